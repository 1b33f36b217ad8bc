//! The deadline list: the deadlines of every case the actor may see, with their status now or
//! at `as_of`, soonest (or latest) due first, one page at a time. The present is read through
//! the read models' order of the partnership's deadlines by due instant, so a page costs about
//! the page (issue 15, goal 2); `as_of` evaluates every case the actor could see then, and the
//! present's page must equal that answer (a test compares the two on many lists).

use super::Queries;
use super::case_pages::fewer_to_sort;
use super::deadlines::{DeadlineAt, deadline_at, deadlines_at};
use super::lists::{ChangedSince, page_of};
use super::snapshot::Snapshot;
use crate::error::AppError;
use crate::visibility::sees_all_cases;
use casetrail_domain::deadline::{DeadlineKind, DeadlineStatus};
use casetrail_domain::{Actor, CaseId, OrgSlug};
use casetrail_projections::history::{Past, Stale};
use casetrail_projections::{CaseRecord, DueWithin, Lane, ReadModels};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Which deadlines of the list are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineFilters {
    /// At most this many deadlines.
    pub limit: usize,
    /// Latest due first instead of soonest due first.
    pub descending: bool,
    /// Only deadlines after this place in the list's order: the due instant and id of the
    /// previous page's last deadline.
    pub after: Option<(DateTime<Utc>, Uuid)>,
    /// Only deadlines with this status then.
    pub status: Option<DeadlineStatus>,
    /// Only deadlines of the kind with this code (`DeadlineKind::as_str`). A code that names no
    /// kind matches nothing: the list has always answered so rather than refused it.
    pub kind: Option<String>,
    /// Only deadlines of this case.
    pub case_id: Option<CaseId>,
    /// Only deadlines this organisation must meet.
    pub organisation: Option<OrgSlug>,
    /// Only deadlines due at or after this instant.
    pub due_from: Option<DateTime<Utc>>,
    /// Only deadlines due before this instant.
    pub due_to: Option<DateTime<Utc>>,
    /// Only deadlines of the cases with a fact recorded since (a deadline's status also moves
    /// with time alone, which no position or instant of the log tells).
    pub changed_since: Option<ChangedSince>,
    /// The deadlines evaluated at this instant, from the facts recorded by then; now when
    /// absent.
    pub as_of: Option<DateTime<Utc>>,
}

impl DeadlineFilters {
    /// The first page of `limit` deadlines of every case, soonest due first, now.
    pub fn first_page(limit: usize) -> Self {
        Self {
            limit,
            descending: false,
            after: None,
            status: None,
            kind: None,
            case_id: None,
            organisation: None,
            due_from: None,
            due_to: None,
            changed_since: None,
            as_of: None,
        }
    }

    fn matches(&self, d: &DeadlineAt) -> bool {
        self.after.is_none_or(|a| {
            if self.descending {
                d.order() < a
            } else {
                d.order() > a
            }
        }) && self.status.is_none_or(|s| s == d.status)
            && self.kind.as_deref().is_none_or(|k| d.kind.as_str() == k)
            && self.case_id.is_none_or(|c| d.case_id == c)
            && self
                .organisation
                .as_ref()
                .is_none_or(|o| d.organisation.as_ref() == Some(o))
            && self.due_from.is_none_or(|from| d.due_at >= from)
            && self.due_to.is_none_or(|to| d.due_at < to)
    }
}

/// One page of the deadline list, soonest (or latest) due first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlinePage {
    /// The deadlines.
    pub deadlines: Vec<DeadlineAt>,
    /// Where the next page starts (after this due instant and id); `None` on the last.
    pub next_after: Option<(DateTime<Utc>, Uuid)>,
}

impl DeadlinePage {
    fn empty() -> Self {
        DeadlinePage {
            deadlines: vec![],
            next_after: None,
        }
    }
}

impl Queries {
    /// A page of the deadlines of every case the actor could see now or at `as_of`, with their
    /// status then, soonest due first. Empty for a partnership that did not exist then.
    pub async fn deadlines(
        &self,
        actor: &Actor,
        filters: &DeadlineFilters,
    ) -> Result<DeadlinePage, AppError> {
        let now = self.now();
        // One case's deadlines need only that case's past.
        self.answer(
            actor,
            filters.case_id,
            filters.as_of,
            |models, past| match past {
                None => Ok(deadline_page(models, actor, filters, now)),
                Some(past) => deadlines_from_snapshot(models, actor, filters, Some(past), now),
            },
        )
        .await
    }
}

/// A page of the deadline list as it stands at `now`.
pub fn deadline_page(
    models: &ReadModels,
    actor: &Actor,
    filters: &DeadlineFilters,
    now: DateTime<Utc>,
) -> DeadlinePage {
    match present_page(models, actor, filters, now) {
        Some(page) => page,
        // A present snapshot is never stale: nothing is read back from the store.
        None => deadlines_from_snapshot(models, actor, filters, None, now)
            .unwrap_or_else(|_| DeadlinePage::empty()),
    }
}

/// The page from the read models' order by due instant, or `None` when it cannot answer at
/// `now` (the clock was set back before an instant it relies on).
fn present_page(
    models: &ReadModels,
    actor: &Actor,
    filters: &DeadlineFilters,
    now: DateTime<Utc>,
) -> Option<DeadlinePage> {
    let slug = &actor.partnership;
    let Some(partnership) = models.partnership(slug) else {
        return Some(DeadlinePage::empty());
    };
    let generation = models.deadline_generation(slug);
    let sees_all = sees_all_cases(actor, partnership);
    let visible = |r: &CaseRecord| sees_all || r.case.involved.contains(&actor.org);
    // Few cases: one, those changed since, or a small agency's: their deadlines, sorted.
    let few: Option<Vec<&CaseRecord>> = if let Some(case_id) = filters.case_id {
        Some(models.case(slug, case_id).into_iter().collect())
    } else if let Some(since) = filters.changed_since {
        Some(models.cases_changed_after(slug, since.into()).collect())
    } else if !sees_all && fewer_to_sort(models, slug, &actor.org, filters.limit) {
        Some(models.cases_involving(slug, &actor.org, 0).collect())
    } else {
        None
    };
    if let Some(few) = few {
        let all = few
            .into_iter()
            .filter(|r| visible(r))
            .flat_map(|r| deadlines_at(r, partnership, Some(generation), now))
            .collect();
        return Some(sorted_page(all, filters));
    }
    let kind = filters.kind.as_deref().map(DeadlineKind::parse);
    if kind == Some(None) {
        // A code that names no kind matches nothing.
        return Some(DeadlinePage::empty());
    }
    let within = DueWithin {
        from: filters.due_from,
        to: filters.due_to,
        after: filters.after,
        descending: filters.descending,
        status: filters.status,
        lane: Lane::of(filters.organisation.as_ref(), kind.flatten()),
    };
    models.with_deadlines_by_due(slug, now, within, |deadlines| {
        let wanted = deadlines
            .filter(|(record, _)| visible(record))
            .map(|(record, slot)| {
                let deadlines = record.present_deadlines(partnership, generation);
                deadline_at(record, partnership, &deadlines[slot], now)
            })
            .filter(|d| filters.matches(d));
        let (deadlines, next_after) = page_of(wanted, filters.limit, DeadlineAt::order);
        DeadlinePage {
            deadlines,
            next_after,
        }
    })
}

/// The page from the deadlines of every case the actor could see at `past`'s instant, or now:
/// what time travel answers, and what the present's page must equal.
pub fn deadlines_from_snapshot(
    models: &ReadModels,
    actor: &Actor,
    filters: &DeadlineFilters,
    past: Option<&Past>,
    now: DateTime<Utc>,
) -> Result<DeadlinePage, Stale> {
    let only = filters.case_id;
    let Some(snapshot) = super::snapshot::snapshot(models, actor, only, past, now)? else {
        return Ok(DeadlinePage::empty());
    };
    Ok(snapshot_page(&snapshot, filters))
}

/// The page from the deadlines of every case of the snapshot.
fn snapshot_page(snapshot: &Snapshot<'_>, filters: &DeadlineFilters) -> DeadlinePage {
    let all = snapshot
        .cases
        .iter()
        .filter(|r| filters.changed_since.is_none_or(|since| since.admits(r)))
        .flat_map(|r| deadlines_at(r, &snapshot.partnership, snapshot.generation, snapshot.at))
        .collect();
    sorted_page(all, filters)
}

/// Sorts every candidate deadline and gives the page after the cursor.
fn sorted_page(mut all: Vec<DeadlineAt>, filters: &DeadlineFilters) -> DeadlinePage {
    all.sort_by_key(DeadlineAt::order);
    if filters.descending {
        all.reverse();
    }
    let wanted = all.into_iter().filter(|d| filters.matches(d));
    let (deadlines, next_after) = page_of(wanted, filters.limit, DeadlineAt::order);
    DeadlinePage {
        deadlines,
        next_after,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::queries::case_pages::tests::{
        actor, compared_before_and_after_more_of_the_log, list_readers, log,
    };
    use crate::queries::snapshot::snapshot;
    use casetrail_domain::Role;
    use casetrail_projections::{DueKey, identified};
    use casetrail_seed::life_cycle::{ORGANISATIONS, Rng, partnership_slug};

    /// What the snapshot of every visible case answers, each case's deadlines computed afresh
    /// rather than taken from the read models: the reference.
    fn from_snapshot(
        models: &ReadModels,
        actor: &Actor,
        filters: &DeadlineFilters,
        now: DateTime<Utc>,
    ) -> DeadlinePage {
        let mut snapshot = snapshot(models, actor, None, None, now).unwrap().unwrap();
        snapshot.generation = None;
        snapshot_page(&snapshot, filters)
    }

    /// Random filters over the list: the ranges between due instants of real deadlines.
    fn random_filters(rng: &mut Rng, records: &[&CaseRecord], dues: &[DueKey]) -> DeadlineFilters {
        let mut pick = |n: usize| rng.below(n as u64) as usize;
        let case = records[pick(records.len())];
        let other = records[pick(records.len())];
        let statuses = [
            DeadlineStatus::Pending,
            DeadlineStatus::DueSoon,
            DeadlineStatus::Met,
            DeadlineStatus::MetLate,
            DeadlineStatus::Breached,
            DeadlineStatus::NotApplicable,
        ];
        let (from, to) = {
            let (a, b) = (dues[pick(dues.len())].0, dues[pick(dues.len())].0);
            (a.min(b), a.max(b))
        };
        let kinds = [
            "rr_meeting",
            "rr_agency_report",
            "lcspr_report_to_panel",
            "no_such_kind",
        ];
        DeadlineFilters {
            limit: [1, 3, 10, 50][pick(4)],
            descending: pick(3) == 0,
            after: None,
            status: (pick(3) == 0).then(|| statuses[pick(statuses.len())]),
            kind: (pick(5) == 0).then(|| kinds[pick(kinds.len())].to_owned()),
            case_id: (pick(12) == 0).then_some(case.case.case_id),
            organisation: (pick(4) == 0)
                .then(|| OrgSlug::parse(ORGANISATIONS[pick(ORGANISATIONS.len())].0).unwrap()),
            due_from: (pick(4) == 0).then_some(from),
            due_to: (pick(4) == 0).then_some(to),
            changed_since: match pick(8) {
                0 => Some(ChangedSince::Position(
                    case.marks[pick(case.marks.len())].position,
                )),
                1 => Some(ChangedSince::Instant(other.updated_at)),
                _ => None,
            },
            as_of: None,
        }
    }

    /// A clock set back before a fact the order placed a case after: the page is the one
    /// every case gives.
    #[test]
    fn a_clock_set_back_is_answered_from_every_case() {
        let mut models = ReadModels::default();
        for event in log(3_000) {
            models.apply(&event).unwrap();
        }
        let slug = partnership_slug(0);
        let records: Vec<&CaseRecord> = models.cases(&slug).collect();
        let later =
            records.iter().map(|r| r.updated_at).max().unwrap() + chrono::Duration::days(30);
        let before =
            records.iter().map(|r| r.case.opened_at).min().unwrap() - chrono::Duration::days(1);
        let police = actor("police", Role::Reviewer);
        let filters = DeadlineFilters::first_page(20);
        let page = deadline_page(&models, &police, &filters, later);
        assert_eq!(page, from_snapshot(&models, &police, &filters, later));
        assert_eq!(page.deadlines.len(), 20);
        assert_eq!(present_page(&models, &police, &filters, before), None);
        let page = deadline_page(&models, &police, &filters, before);
        assert_eq!(page, from_snapshot(&models, &police, &filters, before));
        assert_eq!(page.deadlines.len(), 20);
    }

    /// The whole deadline list in each status and either order, of every deadline and of a
    /// kind, an organisation and both (each read from its own lane), and the whole case list by
    /// next due instant, are the snapshot's at `now`.
    fn every_due_order_is_the_snapshots(models: &ReadModels, now: DateTime<Utc>) {
        use crate::queries::case_pages::{
            present_page as case_page, tests::from_snapshot as cases,
        };
        use crate::queries::lists::{CaseFilters, CaseSort};
        let police = actor("police", Role::Reviewer);
        let statuses = [
            None,
            Some(DeadlineStatus::Pending),
            Some(DeadlineStatus::DueSoon),
            Some(DeadlineStatus::Met),
            Some(DeadlineStatus::Breached),
        ];
        let police_org = || Some(OrgSlug::parse("police").unwrap());
        let lanes = [
            (None, None),
            (Some("sar_completion".to_owned()), None),
            (None, police_org()),
            (Some("sar_completion".to_owned()), police_org()),
        ];
        for status in statuses {
            for (descending, (kind, organisation)) in [false, true]
                .into_iter()
                .flat_map(|descending| lanes.iter().map(move |lane| (descending, lane)))
            {
                let filters = DeadlineFilters {
                    status,
                    descending,
                    kind: kind.clone(),
                    organisation: organisation.clone(),
                    ..DeadlineFilters::first_page(usize::MAX)
                };
                let present = present_page(models, &police, &filters, now).unwrap();
                assert_eq!(
                    present,
                    from_snapshot(models, &police, &filters, now),
                    "{filters:?}"
                );
            }
        }
        let by_due = CaseFilters {
            sort: CaseSort::NextDueAt,
            ..CaseFilters::first_page(usize::MAX)
        };
        let present = case_page(models, &police, &by_due, now).unwrap();
        assert_eq!(present, cases(models, &police, &by_due, now));
    }

    /// A report sent to the Panel before the publication is settled only 7 working days later
    /// (until then it shows pending, then met): the orders place its case again once a read
    /// comes after that instant.
    #[test]
    fn a_deadline_settled_by_time_alone_moves_to_its_new_place() {
        let slug = partnership_slug(0);
        let mut models = ReadModels::default();
        let mut settles = None;
        for event in log(20_000) {
            models.apply(&event).unwrap();
            let Some(record) = models
                .cases(&slug)
                .find(|r| r.updated_position() == event.position)
            else {
                continue;
            };
            let partnership = models.partnership(&slug).unwrap();
            let sent = identified(&record.case, partnership)
                .into_iter()
                .filter_map(|(_, d)| Some((d.fulfilled_at?, d.unsettled_until?)))
                .find(|(_, until)| *until < DateTime::<Utc>::MAX_UTC);
            if sent.is_some() {
                settles = sent;
                break;
            }
        }
        let (sent, until) = settles.expect("a report sent before a publication");
        every_due_order_is_the_snapshots(&models, sent + chrono::Duration::hours(1));
        every_due_order_is_the_snapshots(&models, until + chrono::Duration::hours(1));
    }

    /// A paused review's clock stands still, so its due instants move on with every read's
    /// instant: the orders place it at each read.
    #[test]
    fn a_paused_review_is_placed_at_each_reads_instant() {
        use casetrail_domain::case::adult_review::{
            SarCommissioned, SarDecision, SarDecisionRecorded, SarPaused, SarReferred,
        };
        use casetrail_domain::case::{
            AbuseOrNeglect, AdultAgeBand, CaseEvent, PersonProfile, SealedPersonalData,
        };
        use casetrail_domain::codec::encode;
        use casetrail_domain::stream::case_stream;
        let slug = partnership_slug(0);
        let log = log(8_000);
        let mut models = ReadModels::default();
        for event in &log {
            models.apply(event).unwrap();
        }
        let last = log.last().unwrap().clone();
        let base = last.recorded_at;
        every_due_order_is_the_snapshots(&models, base);
        let sealed = || SealedPersonalData {
            key_id: Uuid::nil(),
            algorithm: "AES-256-GCM".into(),
            nonce: String::new(),
            ciphertext: String::new(),
        };
        let hours = |h: i64| base + chrono::Duration::hours(h);
        // Three mandatory reviews, commissioned, two of them then paused: a few hours apart.
        for n in 0..3_i64 {
            let case_id = CaseId::from_uuid(Uuid::from_u128(0x5a4 + n as u128));
            let referred = CaseEvent::SarReferred(SarReferred {
                case_id,
                referred_by: OrgSlug::parse("police").unwrap(),
                adult: PersonProfile {
                    reference: format!("SAR-{n}"),
                    age_band: AdultAgeBand::From35To44,
                    sex: "female".into(),
                    ethnicity: "White British".into(),
                },
                personal_data: sealed(),
                care_and_support_needs: true,
                adult_died: true,
                date_of_death: Some(hours(n).date_naive()),
                abuse_or_neglect: AbuseOrNeglect::Known,
                death_resulted_from_abuse_or_neglect: Some(true),
                serious_abuse_or_neglect: None,
                abuse_or_neglect_date: None,
                joint_working_concern: true,
                occurred_at: hours(n),
            });
            let decided = CaseEvent::SarDecisionRecorded(SarDecisionRecorded {
                decision: SarDecision::Mandatory,
                rationale: sealed(),
                occurred_at: hours(n + 1),
            });
            let commissioned = CaseEvent::SarCommissioned(SarCommissioned {
                reviewer: "C. Reviewer".into(),
                reviewer_organisation: None,
                terms_of_reference: sealed(),
                occurred_at: hours(n + 2),
            });
            let paused = CaseEvent::SarPaused(SarPaused {
                reason: sealed(),
                occurred_at: hours(n + 3),
            });
            // The last one goes on: due the same day as the others before they were paused,
            // after them in the order until then, before them once they have stood still.
            let events = if n < 2 {
                vec![referred, decided, commissioned, paused]
            } else {
                vec![referred, decided, commissioned]
            };
            for (version, event) in events.iter().enumerate() {
                let (event_type, data) = encode(event);
                let position = models.position() + 1;
                models
                    .apply(&casetrail_store::RecordedEvent {
                        position,
                        stream_id: case_stream(&slug, case_id),
                        stream_version: version as u64 + 1,
                        event_id: Uuid::from_u128(u128::from(position)),
                        schema_version: casetrail_domain::codec::schema_version(&event_type),
                        event_type,
                        data,
                        recorded_at: hours(n + version as i64),
                        ..last.clone()
                    })
                    .unwrap();
            }
        }
        for days in [1, 20, 90, 400] {
            every_due_order_is_the_snapshots(&models, base + chrono::Duration::days(days));
        }
    }

    /// A lane asked for early is kept through every later change of its cases (new deadlines,
    /// deadlines met, moved or taken off), not only placed afresh under a new calendar.
    #[test]
    fn a_lane_follows_the_changes_of_its_cases() {
        let police = actor("police", Role::Reviewer);
        let housing = || Some(OrgSlug::parse("housing").unwrap());
        let report = || Some("rr_agency_report".to_owned());
        let lanes = [
            (report(), None),
            (Some("rr_meeting".to_owned()), None),
            (None, housing()),
            (report(), housing()),
        ];
        let mut models = ReadModels::default();
        let mut compared = 0;
        for part in log(6_000).chunks(250) {
            for event in part {
                models.apply(event).unwrap();
            }
            let now = part.last().unwrap().recorded_at + chrono::Duration::hours(1);
            for (kind, organisation) in &lanes {
                for status in [None, Some(DeadlineStatus::Pending)] {
                    let filters = DeadlineFilters {
                        kind: kind.clone(),
                        organisation: organisation.clone(),
                        status,
                        ..DeadlineFilters::first_page(usize::MAX)
                    };
                    let present = present_page(&models, &police, &filters, now).unwrap();
                    let expected = from_snapshot(&models, &police, &filters, now);
                    assert_eq!(present, expected, "{filters:?}");
                    compared += present.deadlines.len();
                }
            }
        }
        assert!(compared > 10_000, "{compared} deadlines compared");
    }

    /// The deadline list of one case `as_of` reads back only that case's past, and gives what
    /// the snapshot of every case then gives for it.
    #[tokio::test]
    async fn one_cases_deadlines_as_of_need_only_its_past() {
        use crate::queries::past_pages::tests::{recorded_at_random, seeded};
        let (_dir, store, projector) = seeded(31).await;
        let slug = partnership_slug(0);
        let mut rng = Rng::new(37);
        let readers = list_readers();
        let mut deadlines = 0;
        for round in 0..30 {
            let at = recorded_at_random(store.as_ref(), &mut rng).await;
            let case_id = {
                let models = projector.read();
                let records: Vec<&CaseRecord> = models.cases(&slug).collect();
                records[rng.below(records.len() as u64) as usize]
                    .case
                    .case_id
            };
            let actor = &readers[round % readers.len()];
            let filters = DeadlineFilters {
                case_id: Some(case_id),
                ..DeadlineFilters::first_page(usize::MAX)
            };
            let one = Past::load(&projector, &slug, Some(case_id), at)
                .await
                .unwrap();
            let every = Past::load(&projector, &slug, None, at).await.unwrap();
            let models = projector.read();
            let page = deadlines_from_snapshot(&models, actor, &filters, Some(&one), at).unwrap();
            let whole = snapshot(&models, actor, None, Some(&every), at).unwrap();
            let expected = whole.map_or(DeadlinePage::empty(), |s| snapshot_page(&s, &filters));
            assert_eq!(page, expected, "{case_id} at {at} for {}", actor.org);
            deadlines += page.deadlines.len();
        }
        assert!(deadlines > 100, "{deadlines} deadlines compared");
    }

    #[test]
    fn every_page_of_every_deadline_list_is_the_snapshots_page() {
        // After more of the log, a new calendar places every case again.
        compared_before_and_after_more_of_the_log(7, compare_lists);
    }

    /// Random lists, every page of each (up to a dozen) through the order against the
    /// reference; how many pages were compared.
    fn compare_lists(models: &ReadModels, rng: &mut Rng) -> usize {
        let slug = partnership_slug(0);
        let records: Vec<&CaseRecord> = models.cases(&slug).collect();
        let partnership = models.partnership(&slug).unwrap();
        let last = records.iter().map(|r| r.updated_at).max().unwrap();
        let dues: Vec<DueKey> = records
            .iter()
            .flat_map(|r| identified(&r.case, partnership))
            .map(|(id, d)| (d.due_at, id))
            .collect();
        // Some cases are placed by every read: a deadline still waits on a fact to settle.
        let unsettled = records
            .iter()
            .flat_map(|r| identified(&r.case, partnership))
            .filter(|(_, d)| d.unsettled_until.is_some_and(|until| until > last))
            .count();
        assert!(unsettled > 5, "{unsettled} unsettled deadlines");
        let actors = list_readers();
        let mut pages = 0;
        for round in 0..60 {
            let actor = &actors[round % actors.len()];
            // Now, and up to a year on, when many deadlines have breached.
            let now = last + chrono::Duration::days(rng.below(400) as i64);
            let mut filters = random_filters(rng, &records, &dues);
            // The whole list once; each page is a slice of it, with the next page's cursor.
            let whole = DeadlineFilters {
                limit: usize::MAX,
                ..filters.clone()
            };
            let all = from_snapshot(models, actor, &whole, now).deadlines;
            let mut offset = 0;
            loop {
                let present = present_page(models, actor, &filters, now)
                    .unwrap_or_else(|| panic!("no present page for {filters:?}"));
                let end = all.len().min(offset + filters.limit);
                let expected = DeadlinePage {
                    deadlines: all[offset..end].to_vec(),
                    next_after: (end < all.len()).then(|| all[end - 1].order()),
                };
                assert_eq!(present, expected, "{filters:?} for {}", actor.org);
                pages += 1;
                let Some(after) = present.next_after else {
                    break;
                };
                filters.after = Some(after);
                offset = end;
                if pages % 12 == 0 {
                    break;
                }
            }
        }
        pages
    }
}
