//! A page of the case list `as_of` a past instant, read case by case in the list's order
//! (issue 15, goal 4). In the log's order and by opening instant a case's place does not move
//! with later facts, so the cases before a page need not be folded again, nor those after it:
//! the cases are taken in order from the cursor in batches, each batch's past read back from
//! the store and filtered as the snapshot of the whole partnership would filter it, until the
//! page is full. A page then costs about the page and the cases its filters pass over, instead
//! of every case of the partnership changed since the instant.
//!
//! The answer is the one the snapshot of every case gives (`cases_from_snapshot`); a test
//! compares the two on many lists and instants.

use super::as_of::{Attempts, history_error};
use super::lists::{
    CaseFilters, CasePage, CasePlace, CaseSort, ListedCase, case_matches, listed, page_of,
};
use super::snapshot::Snapshot;
use crate::error::AppError;
use crate::visibility::{can_see, sees_all_cases};
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::history::Past;
use casetrail_projections::{CaseRecord, ProjectorHandle, ReadModels};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// Cases taken in the first batch beyond the page (a filter passes over some).
const FIRST_BATCH: usize = 32;
/// The most cases read back at once: batches double up to it while filters pass over cases.
const LARGEST_BATCH: usize = 4_096;

/// Whether the page can be read in order: sorted by the log or by opening instant, with a
/// cursor that has the instant its order needs. A reference or `changed_since` picks a few
/// cases from anywhere in the order: a walk would pass over nearly every case in batches, no
/// cheaper than the snapshot, which answers those.
pub(super) fn in_fixed_order(filters: &CaseFilters) -> bool {
    let fixed = match filters.sort {
        CaseSort::Recorded => true,
        CaseSort::OpenedAt | CaseSort::OpenedAtDescending => {
            filters.after.is_none_or(|after| after.instant.is_some())
        }
        CaseSort::NextDueAt => false,
    };
    fixed && filters.reference.is_none() && filters.changed_since.is_none()
}

/// The page of the cases the actor could see at `at`, in an order [`in_fixed_order`] accepts.
pub(super) async fn past_case_page(
    projector: &ProjectorHandle,
    actor: &Actor,
    filters: &CaseFilters,
    at: DateTime<Utc>,
) -> Result<CasePage, AppError> {
    // The partnership then, found once: no fact recorded later changes it.
    let Some(then) = projector.read().partnership_as_of(&actor.partnership, at) else {
        // A partnership that did not exist then had no cases then.
        return Ok(CasePage {
            cases: Vec::new(),
            next_after: None,
        });
    };
    let snapshot = Snapshot {
        at,
        partnership: Cow::Owned(then),
        generation: None,
        cases: Vec::new(),
    };
    let mut after = filters.after;
    let mut found = Vec::new();
    let mut batch = filters.limit.saturating_add(1).max(FIRST_BATCH);
    let mut attempts = Attempts::default();
    loop {
        let (chosen, last) = next_cases(&projector.read(), actor, filters, &snapshot, after, batch);
        let Some(last) = last else {
            break;
        };
        let ids: Vec<CaseId> = chosen.iter().map(|(_, id)| *id).collect();
        let past = Past::load_cases(projector, &actor.partnership, &ids, at)
            .await
            .map_err(history_error)?;
        let Some(kept) = list(&projector.read(), actor, filters, &snapshot, &past, &chosen) else {
            // A case changed between reading its past and listing it: the batch again.
            attempts.again()?;
            continue;
        };
        found.extend(kept);
        if found.len() > filters.limit {
            break;
        }
        after = Some(last);
        batch = batch.saturating_mul(2).min(LARGEST_BATCH);
    }
    let (cases, next_after) = page_of(found.into_iter(), filters.limit, |(place, _)| *place);
    Ok(CasePage {
        cases: cases.into_iter().map(|(_, case)| case).collect(),
        next_after,
    })
}

/// Up to `batch` cases opened by the snapshot's instant after the place `after` in the list's order, and the
/// place of the last case passed (`None` when none is left). In the log's order an agency's
/// cases, or an organisation's the list is filtered to, are walked alone: an organisation once
/// involved in a case stays involved, so the cases involving it now hold every case that did
/// then.
fn next_cases(
    models: &ReadModels,
    actor: &Actor,
    filters: &CaseFilters,
    snapshot: &Snapshot<'_>,
    after: Option<CasePlace>,
    batch: usize,
) -> (Vec<(CasePlace, CaseId)>, Option<CasePlace>) {
    let slug = &actor.partnership;
    let at = snapshot.at;
    let order: Box<dyn Iterator<Item = &CaseRecord>> = match filters.sort {
        CaseSort::OpenedAt | CaseSort::OpenedAtDescending => Box::new(models.cases_by_opened_at(
            slug,
            after.and_then(|a| Some((a.instant?, a.position))),
            filters.opened_from,
            filters.opened_to,
            filters.sort == CaseSort::OpenedAtDescending,
        )),
        CaseSort::Recorded | CaseSort::NextDueAt => {
            let after = after.map_or(0, |a| a.position);
            let sees_all = sees_all_cases(actor, &snapshot.partnership);
            match (&filters.organisation, sees_all) {
                (_, false) => Box::new(models.cases_involving(slug, &actor.org, after)),
                (Some(org), true) => Box::new(models.cases_involving(slug, org, after)),
                (None, true) => Box::new(models.cases_opened_after(slug, after)),
            }
        }
    };
    let place = |record: &CaseRecord| CasePlace {
        instant: (filters.sort != CaseSort::Recorded).then_some(record.case.opened_at),
        position: record.opened_position,
    };
    let mut last = None;
    let mut chosen = Vec::new();
    for record in order {
        last = Some(place(record));
        // A case opened later is not in the list then: passed over without reading it.
        if record.opened_by(at) {
            chosen.push((place(record), record.case.case_id));
            if chosen.len() == batch {
                break;
            }
        }
    }
    (chosen, last)
}

/// The `chosen` cases as the actor could see them at the snapshot's instant (the partnership
/// then, no cases), those the filters pass, in order; `None` when one changed since its past
/// was read.
fn list(
    models: &ReadModels,
    actor: &Actor,
    filters: &CaseFilters,
    snapshot: &Snapshot<'_>,
    past: &Past,
    chosen: &[(CasePlace, CaseId)],
) -> Option<Vec<(CasePlace, ListedCase)>> {
    let slug = &actor.partnership;
    let mut kept = Vec::new();
    for &(place, case_id) in chosen {
        let Some(record) = models.case(slug, case_id) else {
            continue;
        };
        let Some(then) = past.case(record).ok()? else {
            continue;
        };
        if can_see(actor, &snapshot.partnership, &then.case)
            && case_matches(filters, snapshot, &then)
        {
            kept.push((place, listed(&then, snapshot)));
        }
    }
    Some(kept)
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::queries::case_pages::tests::{list_readers, random_filters};
    use crate::queries::lists::cases_from_snapshot;
    use casetrail_projections::Projector;
    use casetrail_seed::Workload;
    use casetrail_seed::life_cycle::{Rng, partnership_slug};
    use std::sync::Arc;

    /// A SQLite store in a new directory (kept while the directory lives) seeded with one
    /// partnership's 300 cases, and the read models of it.
    pub(crate) async fn seeded(
        seed: u64,
    ) -> (
        tempfile::TempDir,
        Arc<dyn casetrail_store::EventStore>,
        ProjectorHandle,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/log.db", dir.path().display());
        let store = casetrail_store::open(&url).await.unwrap();
        let workload = Workload {
            partnerships: 1,
            cases: 300,
            open_cases: 40,
            seed,
        };
        casetrail_seed::seed(store.as_ref(), &workload, |_| {})
            .await
            .unwrap();
        let projector = Projector::start(Arc::clone(&store)).await.unwrap();
        (dir, store, projector)
    }

    /// When a random event of the store's log was recorded.
    pub(crate) async fn recorded_at_random(
        store: &dyn casetrail_store::EventStore,
        rng: &mut Rng,
    ) -> DateTime<Utc> {
        let last = store.head_position().await.unwrap();
        let position = 1 + rng.below(last);
        store.read_all(position - 1, 1).await.unwrap()[0].recorded_at
    }

    /// Random lists in the orders read case by case, at random instants of a seeded log (and
    /// before it): every page, walked by cursor, is the slice of the list the snapshot of the
    /// whole partnership at that instant gives, with the same cursor.
    #[tokio::test]
    async fn every_page_read_in_order_is_the_snapshots_page() {
        let (_dir, store, projector) = seeded(23).await;
        let slug = partnership_slug(0);
        let mut rng = Rng::new(29);
        let mut lists = Vec::new();
        for round in 0..40 {
            let recorded = recorded_at_random(store.as_ref(), &mut rng).await;
            // Now and then before the first fact: no partnership then, so no cases.
            let at = if round % 10 == 0 {
                recorded - chrono::Duration::days(400)
            } else {
                recorded
            };
            let models = projector.read();
            let records: Vec<&CaseRecord> = models.cases(&slug).collect();
            let filters = CaseFilters {
                sort: [
                    CaseSort::Recorded,
                    CaseSort::OpenedAt,
                    CaseSort::OpenedAtDescending,
                ][round % 3],
                changed_since: None,
                reference: None,
                as_of: Some(at),
                ..random_filters(&mut rng, &records)
            };
            assert!(in_fixed_order(&filters));
            lists.push((list_readers()[round % 4].clone(), filters));
        }
        let (mut pages, mut cases) = (0, 0);
        for (actor, mut filters) in lists {
            let at = filters.as_of.unwrap();
            let past = Past::load(&projector, &slug, None, at).await.unwrap();
            let whole = CaseFilters {
                limit: usize::MAX,
                ..filters.clone()
            };
            let all = cases_from_snapshot(&projector.read(), &actor, &whole, Some(&past), at)
                .unwrap()
                .cases;
            let mut offset = 0;
            loop {
                let page = past_case_page(&projector, &actor, &filters, at)
                    .await
                    .unwrap();
                let end = all.len().min(offset + filters.limit);
                assert_eq!(
                    page.cases,
                    all[offset..end],
                    "{filters:?} for {}",
                    actor.org
                );
                let expected_next = (end < all.len()).then(|| {
                    let last = &all[end - 1];
                    CasePlace {
                        instant: (filters.sort != CaseSort::Recorded).then_some(last.opened_at),
                        position: last.opened_position,
                    }
                });
                assert_eq!(page.next_after, expected_next, "{filters:?}");
                pages += 1;
                cases += page.cases.len();
                let Some(after) = page.next_after else {
                    break;
                };
                filters.after = Some(after);
                offset = end;
                if pages % 15 == 0 {
                    break;
                }
            }
        }
        assert!(pages > 100 && cases > 500, "{pages} pages, {cases} cases");
        // A batch is as large as asked while cases are left.
        let everyone = CaseFilters::first_page(10);
        let police = &list_readers()[0];
        let now = Snapshot {
            at: Utc::now(),
            partnership: Cow::Owned(projector.read().partnership(&slug).unwrap().clone()),
            generation: None,
            cases: Vec::new(),
        };
        let (chosen, last) = next_cases(&projector.read(), police, &everyone, &now, None, 7);
        assert_eq!(chosen.len(), 7);
        assert_eq!(last, Some(chosen[6].0));
    }

    #[test]
    fn only_the_orders_a_later_fact_cannot_move_are_read_in_order() {
        let page = CaseFilters::first_page(10);
        assert!(in_fixed_order(&page));
        let place = |instant| CasePlace {
            instant,
            position: 7,
        };
        for sort in [CaseSort::OpenedAt, CaseSort::OpenedAtDescending] {
            let sorted = CaseFilters {
                sort,
                ..page.clone()
            };
            assert!(in_fixed_order(&sorted));
            let now = Utc::now();
            let with = |instant| CaseFilters {
                after: Some(place(instant)),
                ..sorted.clone()
            };
            assert!(in_fixed_order(&with(Some(now))));
            // A cursor without the instant the order needs: the snapshot answers.
            assert!(!in_fixed_order(&with(None)));
        }
        let by_due = CaseFilters {
            sort: CaseSort::NextDueAt,
            ..page.clone()
        };
        assert!(!in_fixed_order(&by_due));
        let one = CaseFilters {
            reference: Some("CR-1".to_owned()),
            ..page.clone()
        };
        assert!(!in_fixed_order(&one));
        let changed = CaseFilters {
            changed_since: Some(super::super::lists::ChangedSince::Position(3)),
            ..page
        };
        assert!(!in_fixed_order(&changed));
    }
}
