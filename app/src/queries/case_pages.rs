//! A page of the case list as it stands now, read through the read models' orders of the
//! partnership's cases (issue 15, goal 2): the cases an actor may see are taken in the order
//! asked for and filtered until the page is full, so a page costs about the page and the
//! cases its filters pass over, not the whole partnership.
//!
//! The answer is the one the snapshot of every visible case gives (`lists.rs`, which still
//! answers `as_of`); a test compares the two on many lists.

use super::lists::{CaseFilters, CasePage, CaseSort, case_matches, listed, page_of, place};
use super::snapshot::Snapshot;
use crate::visibility::sees_all_cases;
use casetrail_domain::case::Stage;
use casetrail_domain::{Actor, OrgSlug, PartnershipSlug};
use casetrail_projections::{CaseRecord, NextDue, ReadModels};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The page, or `None` when the read models' orders cannot give it (a cursor without the
/// instant its order needs): the caller then answers from the snapshot.
pub(super) fn present_page(
    models: &ReadModels,
    actor: &Actor,
    filters: &CaseFilters,
    now: DateTime<Utc>,
) -> Option<CasePage> {
    let slug = &actor.partnership;
    let Some(partnership) = models.partnership(slug) else {
        return Some(CasePage {
            cases: vec![],
            next_after: None,
        });
    };
    let snapshot = Snapshot {
        at: now,
        partnership: Cow::Borrowed(partnership),
        generation: Some(models.deadline_generation(slug)),
        cases: Vec::new(),
    };
    let sees_all = sees_all_cases(actor, partnership);
    // Whose cases to walk: an agency's own, or an organisation's the list is filtered to.
    let scope = match (&filters.organisation, sees_all) {
        (_, false) => Some(&actor.org),
        (Some(org), true) => Some(org),
        (None, true) => None,
    };
    let admits = |record: &CaseRecord| {
        (sees_all || record.case.involved.contains(&actor.org))
            && case_matches(filters, &snapshot, record)
    };
    let sort = filters.sort;
    let confined = Confined::fewest(models, slug, scope, filters.stage);
    // Few cases whatever the order: those with the reference, or changed since.
    let candidates: Option<Vec<&CaseRecord>> = if let Some(reference) = &filters.reference {
        Some(models.cases_with_reference(slug, reference).collect())
    } else if let Some(since) = filters.changed_since {
        Some(models.cases_changed_after(slug, since.into()).collect())
    } else {
        // Few cases to place in another order than the log's (a small organisation's, or a
        // rare stage's): those cases, sorted.
        confined
            .filter(|(_, count)| {
                sort != CaseSort::Recorded
                    && sorting_is_cheaper(models, slug, *count, filters.limit)
            })
            .map(|(confined, _)| confined.cases(models, slug, 0).collect())
    };
    if let Some(candidates) = candidates {
        let wanted = candidates.into_iter().filter(|r| admits(r));
        return Some(sorted_page(wanted, filters, &snapshot));
    }
    // The order asked for, from the cursor on.
    let limit = filters.limit;
    let page = |records: &mut dyn Iterator<Item = &CaseRecord>| {
        let (records, next_after) = page_of(records.filter(|r| admits(r)), limit, |r| {
            place(sort, r, &snapshot)
        });
        CasePage {
            cases: records.into_iter().map(|r| listed(r, &snapshot)).collect(),
            next_after,
        }
    };
    match sort {
        CaseSort::Recorded => {
            let after = filters.after.map_or(0, |a| a.position);
            Some(match confined {
                Some((confined, _)) => page(&mut confined.cases(models, slug, after)),
                None => page(&mut models.cases_opened_after(slug, after)),
            })
        }
        CaseSort::OpenedAt | CaseSort::OpenedAtDescending => {
            let after = match filters.after {
                Some(after) => Some((after.instant?, after.position)),
                None => None,
            };
            let descending = sort == CaseSort::OpenedAtDescending;
            let mut records = models.cases_by_opened_at(
                slug,
                after,
                filters.opened_from,
                filters.opened_to,
                descending,
            );
            Some(page(&mut records))
        }
        CaseSort::NextDueAt => {
            let after = filters
                .after
                .map(|after| (NextDue::from(after.instant), after.position));
            models.with_cases_by_next_due(slug, now, after, |records| page(records))
        }
    }
}

/// Whether a page of `org`'s cases costs less by placing every one of them in the order and
/// sorting them than by walking the partnership's order past the cases of others.
pub(super) fn fewer_to_sort(
    models: &ReadModels,
    slug: &PartnershipSlug,
    org: &OrgSlug,
    limit: usize,
) -> bool {
    sorting_is_cheaper(models, slug, models.cases_involving_count(slug, org), limit)
}

/// Whether a page of `these` of the partnership's cases costs less by placing every one of
/// them and sorting them than by walking the partnership's order past the others: a walk
/// passes about `limit × all / these` cases for a page, the sort `these`.
fn sorting_is_cheaper(
    models: &ReadModels,
    slug: &PartnershipSlug,
    these: usize,
    limit: usize,
) -> bool {
    these.saturating_mul(these) <= limit.saturating_mul(models.case_count(slug))
}

/// Cases a list is confined to by whose they are or by their stage, which the read models
/// keep in opening order: walking them passes no case the confinement leaves out.
#[derive(Debug, Clone, Copy)]
enum Confined<'a> {
    /// The cases an organisation is involved in.
    Involving(&'a OrgSlug),
    /// The cases at a stage.
    AtStage(Stage),
}

impl<'a> Confined<'a> {
    /// The fewer of the organisation's cases and the stage's, with how many they are.
    fn fewest(
        models: &ReadModels,
        slug: &PartnershipSlug,
        org: Option<&'a OrgSlug>,
        stage: Option<Stage>,
    ) -> Option<(Confined<'a>, usize)> {
        let involving = org.map(|org| {
            (
                Confined::Involving(org),
                models.cases_involving_count(slug, org),
            )
        });
        let at_stage = stage.map(|stage| {
            (
                Confined::AtStage(stage),
                models.cases_at_stage_count(slug, stage),
            )
        });
        match (involving, at_stage) {
            (Some(a), Some(b)) => Some(if b.1 < a.1 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// Its cases opened after log position `after`, in opening order.
    fn cases<'m>(
        self,
        models: &'m ReadModels,
        slug: &'m PartnershipSlug,
        after: u64,
    ) -> Box<dyn Iterator<Item = &'m CaseRecord> + 'm>
    where
        'a: 'm,
    {
        match self {
            Confined::Involving(org) => Box::new(models.cases_involving(slug, org, after)),
            Confined::AtStage(stage) => Box::new(models.cases_at_stage(slug, stage, after)),
        }
    }
}

/// Places every wanted case, sorts them, and gives the page after the cursor.
pub(super) fn sorted_page<'a>(
    wanted: impl Iterator<Item = &'a CaseRecord>,
    filters: &CaseFilters,
    snapshot: &Snapshot<'_>,
) -> CasePage {
    let sort = filters.sort;
    let mut placed: Vec<_> = wanted
        .map(|r| (place(sort, r, snapshot), r))
        .filter(|(place, _)| {
            filters
                .after
                .is_none_or(|after| sort.compare(place, &after) == Ordering::Greater)
        })
        .collect();
    placed.sort_by(|(a, _), (b, _)| sort.compare(a, b));
    let (records, next_after) = page_of(placed.into_iter(), filters.limit, |(place, _)| *place);
    CasePage {
        cases: records
            .into_iter()
            .map(|(_, r)| listed(r, snapshot))
            .collect(),
        next_after,
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::queries::lists::{CasePlace, ChangedSince};
    use crate::queries::snapshot::snapshot;
    use casetrail_domain::{OrgSlug, Role};
    use casetrail_seed::Workload;
    use casetrail_seed::life_cycle::{ORGANISATIONS, Rng, partnership_slug};

    /// One partnership's log from the seed generator: cases, and now and then a change of
    /// the partnership (settings, organisations, a bank holiday).
    pub(crate) fn log(events: usize) -> Vec<casetrail_store::RecordedEvent> {
        let workload = Workload {
            partnerships: 1,
            cases: events,
            open_cases: 60,
            seed: 15,
        };
        workload
            .recorded("2023-01-02T09:00:00Z".parse().unwrap())
            .take(events)
            .collect()
    }

    fn models(events: usize) -> ReadModels {
        let mut models = ReadModels::default();
        for event in log(events) {
            models.apply(&event).unwrap();
        }
        models
    }

    /// Who the random lists are read as: a statutory partner, two agencies in different
    /// roles, and a voluntary organisation's business manager.
    pub(crate) fn list_readers() -> [Actor; 4] {
        [
            actor("police", Role::Reviewer),
            actor("housing", Role::Notifier),
            actor("primary-school", Role::Reviewer),
            actor("family-charity", Role::BusinessManager),
        ]
    }

    pub(crate) fn actor(org: &str, role: Role) -> Actor {
        Actor {
            user: format!("{org}-user"),
            name: "Test User".to_owned(),
            partnership: partnership_slug(0),
            org: OrgSlug::parse(org).unwrap(),
            roles: [role].into(),
        }
    }

    /// What the snapshot of every visible case answers, each case's deadlines computed afresh
    /// rather than taken from the read models: the reference.
    pub(crate) fn from_snapshot(
        models: &ReadModels,
        actor: &Actor,
        filters: &CaseFilters,
        now: DateTime<Utc>,
    ) -> CasePage {
        let mut snapshot = snapshot(models, actor, None, None, now).unwrap().unwrap();
        snapshot.generation = None;
        let wanted = snapshot
            .cases
            .iter()
            .map(AsRef::as_ref)
            .filter(|r| case_matches(filters, &snapshot, r));
        sorted_page(wanted, filters, &snapshot)
    }

    pub(crate) fn random_filters(rng: &mut Rng, records: &[&CaseRecord]) -> CaseFilters {
        let mut pick = |n: usize| rng.below(n as u64) as usize;
        let case = records[pick(records.len())];
        let other = records[pick(records.len())];
        let instant = |r: &CaseRecord| r.case.opened_at;
        let (from, to) = {
            let (a, b) = (instant(case), instant(other));
            (a.min(b), a.max(b))
        };
        let sorts = [
            CaseSort::Recorded,
            CaseSort::OpenedAt,
            CaseSort::OpenedAtDescending,
            CaseSort::NextDueAt,
        ];
        CaseFilters {
            limit: [1, 3, 10, 50][pick(4)],
            sort: sorts[pick(4)],
            after: None,
            kind: (pick(4) == 0).then_some(case.case.kind),
            stage: (pick(4) == 0).then_some(other.case.stage),
            organisation: (pick(3) == 0)
                .then(|| OrgSlug::parse(ORGANISATIONS[pick(ORGANISATIONS.len())].0).unwrap()),
            has_overdue_deadlines: [None, None, Some(true), Some(false)][pick(4)],
            opened_from: (pick(4) == 0).then_some(from),
            opened_to: (pick(4) == 0).then_some(to),
            changed_since: match pick(6) {
                0 => Some(ChangedSince::Position(
                    case.marks[pick(case.marks.len())].position,
                )),
                1 => Some(ChangedSince::Instant(other.updated_at)),
                _ => None,
            },
            reference: (pick(8) == 0).then(|| case.case.reference().to_owned()),
            as_of: None,
        }
    }

    #[test]
    fn every_page_of_every_list_is_the_snapshots_page() {
        compared_before_and_after_more_of_the_log(42, compare_lists);
    }

    /// Lists compared by `compare` (which says how many pages it compared) twice: once the
    /// read models have kept deadlines and orders for many cases, and again after the rest of
    /// the log has changed cases and the partnership, when what they kept must not be used.
    pub(crate) fn compared_before_and_after_more_of_the_log(
        seed: u64,
        mut compare: impl FnMut(&ReadModels, &mut Rng) -> usize,
    ) {
        let log = log(8_000);
        let (first, rest) = log.split_at(6_000);
        assert!(
            rest.iter().any(|e| e.stream_id.ends_with("/partnership")),
            "the rest of the log changes the partnership"
        );
        let mut models = ReadModels::default();
        for event in first {
            models.apply(event).unwrap();
        }
        let mut rng = Rng::new(seed);
        let mut pages = compare(&models, &mut rng);
        for event in rest {
            models.apply(event).unwrap();
        }
        pages += compare(&models, &mut rng);
        assert!(pages > 400, "{pages} pages compared");
    }

    /// Random lists, every page of each (up to a dozen) through the orders against the
    /// reference; how many pages were compared.
    fn compare_lists(models: &ReadModels, rng: &mut Rng) -> usize {
        let slug = partnership_slug(0);
        let records: Vec<&CaseRecord> = models.cases(&slug).collect();
        assert!(records.len() > 150, "{} cases", records.len());
        let last = records.iter().map(|r| r.updated_at).max().unwrap();
        let actors = list_readers();
        let mut pages = 0;
        for round in 0..60 {
            let actor = &actors[round % actors.len()];
            // Now, and a year on, when many deadlines have breached.
            let now = last + chrono::Duration::days(rng.below(400) as i64);
            let mut filters = random_filters(rng, &records);
            loop {
                let expected = from_snapshot(models, actor, &filters, now);
                let present = present_page(models, actor, &filters, now)
                    .unwrap_or_else(|| panic!("no present page for {filters:?}"));
                assert_eq!(present, expected, "{filters:?} for {}", actor.org);
                pages += 1;
                let Some(after) = present.next_after else {
                    break;
                };
                filters.after = Some(after);
                if pages % 12 == 0 {
                    break;
                }
            }
        }
        pages
    }

    #[test]
    fn a_cursor_without_the_instant_its_order_needs_is_left_to_the_snapshot() {
        let models = models(2_000);
        let filters = CaseFilters {
            sort: CaseSort::OpenedAt,
            after: Some(CasePlace {
                instant: None,
                position: 3,
            }),
            ..CaseFilters::first_page(5)
        };
        let now = Utc::now();
        assert_eq!(
            present_page(&models, &actor("police", Role::Reviewer), &filters, now),
            None
        );
    }
}
