//! A case's deadlines, computed once for the partnership as it stands and kept until the case
//! changes or what its deadlines read of the partnership does (the deadline generation,
//! `ReadModels::deadline_generation`, tells): a page of the case list or the deadline list
//! reads each case's deadlines, and computing them (working days, bank holidays, every calendar a deadline was
//! pending under) cost far more than the rest of the page.

use casetrail_domain::CaseId;
use casetrail_domain::case::Case;
use casetrail_domain::deadline::Deadline;
use casetrail_domain::partnership::BasisChange;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// A deadline with its stable id (a name-based UUID, whose hash was a large part of reading a
/// deadline).
pub type IdentifiedDeadline = (Uuid, Deadline);

/// The case's deadlines with their ids, computed afresh under `partnership`.
pub fn identified(
    case: &casetrail_domain::case::Case,
    partnership: &casetrail_domain::partnership::Partnership,
) -> Vec<IdentifiedDeadline> {
    let case_id: CaseId = case.case_id;
    case.deadlines(partnership)
        .into_iter()
        .map(|d| (d.id(case_id), d))
        .collect()
}

/// A partnership's deadline generation (`ReadModels::deadline_generation`): how many of its
/// events changed what its cases' deadlines read of it, and how each did.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineGeneration<'a> {
    /// `changes[i]` made generation `i + 1`.
    changes: &'a [BasisChange],
}

impl<'a> DeadlineGeneration<'a> {
    pub(crate) fn new(changes: &'a [BasisChange]) -> Self {
        Self { changes }
    }

    /// The generation of a partnership the read models do not hold.
    pub const NONE: DeadlineGeneration<'static> = DeadlineGeneration { changes: &[] };

    /// Its number: deadlines computed under one number hold for as long as it stands.
    #[must_use]
    pub fn number(self) -> u64 {
        u64::try_from(self.changes.len()).unwrap_or(u64::MAX)
    }

    /// Whether `deadlines`, computed for `case` under generation `since`, are its deadlines
    /// under this one: none of the changes since reaches them.
    fn leaves(self, since: u64, case: &Case, deadlines: &[IdentifiedDeadline]) -> bool {
        usize::try_from(since)
            .ok()
            .and_then(|since| self.changes.get(since..))
            .is_some_and(|later| {
                later
                    .iter()
                    .all(|change| change.leaves(case, deadlines.iter().map(|(_, d)| d)))
            })
    }
}

/// The cached deadlines of one case. A clone starts empty: a copy of a record is a case as it
/// was at some instant, whose deadlines are not the present's.
#[derive(Debug, Default)]
pub struct DeadlineCache(Mutex<Option<(u64, Arc<[IdentifiedDeadline]>)>>);

impl Clone for DeadlineCache {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl DeadlineCache {
    /// The deadlines of `case` under the partnership's deadline `generation`, computed by
    /// `compute` unless they are known for it, or for an earlier generation whose later changes
    /// do not reach them (then kept as they are, the same `Arc`, for this one).
    pub fn get_or_compute(
        &self,
        generation: DeadlineGeneration<'_>,
        case: &Case,
        compute: impl FnOnce() -> Vec<IdentifiedDeadline>,
    ) -> Arc<[IdentifiedDeadline]> {
        if let Some(known) = self.kept(generation, case) {
            return known;
        }
        // Computed without the lock held, so readers of other cases are never kept waiting;
        // two readers of one new case may both compute it, and give the same answer.
        let computed: Arc<[IdentifiedDeadline]> = compute().into();
        *self.lock() = Some((generation.number(), Arc::clone(&computed)));
        computed
    }

    /// The deadlines of `case` under the deadline `generation` if they are kept, without
    /// computing them: for a reader that must not make every case keep its deadlines.
    pub fn kept(
        &self,
        generation: DeadlineGeneration<'_>,
        case: &Case,
    ) -> Option<Arc<[IdentifiedDeadline]>> {
        let number = generation.number();
        let mut kept = self.lock();
        let (known_for, known) = kept.as_mut()?;
        if *known_for != number {
            if !generation.leaves(*known_for, case, known) {
                return None;
            }
            *known_for = number;
        }
        Some(Arc::clone(known))
    }

    /// Forgets them: the case changed.
    pub fn forget(&mut self) {
        *self.0.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(u64, Arc<[IdentifiedDeadline]>)>> {
        // Only a whole `Option` is ever stored, so a panic elsewhere cannot leave it half
        // written.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A case of a seeded partnership, and two changes of the partnership: a change of its
    /// retention settings, which no deadline reads, and another police force standing for the
    /// police, which has every case's deadlines computed again.
    fn case_and_changes() -> (Case, [BasisChange; 2]) {
        use casetrail_domain::OrgSlug;
        use casetrail_domain::partnership::{OrgKind, Organisation, Partnership, PartnershipEvent};
        use casetrail_seed::Workload;
        let workload = Workload {
            partnerships: 1,
            cases: 1,
            open_cases: 1,
            seed: 3,
        };
        let mut models = crate::ReadModels::default();
        for event in workload
            .recorded("2023-01-02T09:00:00Z".parse().unwrap())
            .take(30)
        {
            models.apply(&event).unwrap();
        }
        let slug = casetrail_seed::life_cycle::partnership_slug(0);
        let case = models.cases(&slug).next().unwrap().case.clone();
        let partnership = models.partnership(&slug).unwrap().clone();
        let change = |before: &Partnership, event: PartnershipEvent| {
            let after = Partnership::evolve(Some(before.clone()), &event).unwrap();
            let change = before
                .deadline_basis()
                .summary()
                .change_to(&after.deadline_basis());
            (change, after)
        };
        let mut settings = partnership.settings.clone();
        settings.retention.adult_years_after_closure += 1;
        let (retention, partnership) = change(
            &partnership,
            PartnershipEvent::PartnershipSettingsChanged(settings),
        );
        let (police, _) = change(
            &partnership,
            PartnershipEvent::OrganisationRegistered(Organisation {
                slug: OrgSlug::parse("aardvark-police").unwrap(),
                name: "Aardvark Police".to_owned(),
                kind: OrgKind::Police,
            }),
        );
        (case, [retention, police])
    }

    #[test]
    fn computed_once_per_generation_kept_through_changes_that_leave_them_and_never_cloned() {
        let (case, changes) = case_and_changes();
        let generation = |number: usize| DeadlineGeneration::new(&changes[..number]);
        let mut cache = DeadlineCache::default();
        let computed = std::cell::Cell::new(0);
        let compute = || {
            computed.set(computed.get() + 1);
            vec![]
        };
        let first = cache.get_or_compute(generation(0), &case, compute);
        cache.get_or_compute(generation(0), &case, compute);
        assert_eq!(computed.get(), 1);
        let copy = cache.clone();
        copy.get_or_compute(generation(0), &case, compute);
        assert_eq!(computed.get(), 2, "a clone starts empty");
        cache.forget();
        let first = {
            let again = cache.get_or_compute(generation(0), &case, compute);
            assert!(!Arc::ptr_eq(&first, &again));
            again
        };
        assert_eq!(computed.get(), 3);
        // A change of the retention settings reaches no deadline: the same ones, kept for it.
        let kept = cache.get_or_compute(generation(1), &case, compute);
        assert!(Arc::ptr_eq(&first, &kept));
        assert_eq!(computed.get(), 3);
        // Another police force reaches every case: computed again, then kept.
        cache.get_or_compute(generation(2), &case, compute);
        cache.get_or_compute(generation(2), &case, compute);
        assert_eq!(computed.get(), 4);
        // A generation behind the one known (read models older than the cache) is computed.
        cache.get_or_compute(generation(1), &case, compute);
        assert_eq!(computed.get(), 5);
    }

    #[test]
    fn kept_tells_what_is_kept_and_computes_nothing() {
        let (case, changes) = case_and_changes();
        let generation = |number: usize| DeadlineGeneration::new(&changes[..number]);
        let mut cache = DeadlineCache::default();
        assert!(
            cache.kept(generation(0), &case).is_none(),
            "nothing computed yet"
        );
        let computed = cache.get_or_compute(generation(0), &case, Vec::new);
        let kept = cache.kept(generation(0), &case).unwrap();
        assert!(Arc::ptr_eq(&computed, &kept));
        // Through a change that leaves them, not through one that reaches them.
        assert!(Arc::ptr_eq(
            &cache.kept(generation(1), &case).unwrap(),
            &kept
        ));
        assert!(cache.kept(generation(2), &case).is_none());
        assert!(
            cache.kept(generation(1), &case).is_some(),
            "still kept for the first"
        );
        cache.forget();
        assert!(cache.kept(generation(1), &case).is_none());
    }

    /// The deadlines the read models keep are those computed afresh, after the rest of the log
    /// has changed cases (a fact) and the partnership (settings, a bank holiday).
    #[test]
    fn kept_deadlines_are_the_fresh_ones_after_cases_and_the_partnership_change() {
        use crate::ReadModels;
        use casetrail_seed::Workload;
        use casetrail_seed::life_cycle::partnership_slug;
        let workload = Workload {
            partnerships: 1,
            cases: 10_000,
            open_cases: 60,
            seed: 16,
        };
        let log: Vec<_> = workload
            .recorded("2023-01-02T09:00:00Z".parse().unwrap())
            .take(8_000)
            .collect();
        let slug = partnership_slug(0);
        let mut models = ReadModels::default();
        let mut changed = 0;
        let mut deadlines = 0;
        // Deadlines kept through a change of the partnership that did not reach them, and
        // computed again after one that did.
        let (mut carried, mut recomputed) = (0, 0);
        let mut last: std::collections::HashMap<CaseId, Arc<[IdentifiedDeadline]>> =
            std::collections::HashMap::new();
        // Chunks short enough that many hold no change of the partnership, only of cases.
        for chunk in log.chunks(40) {
            let before = models.deadline_generation(&slug).number();
            for event in chunk {
                models.apply(event).unwrap();
            }
            let moved = models.deadline_generation(&slug).number() != before;
            changed += usize::from(moved);
            let partnership = models.partnership(&slug).unwrap();
            let generation = models.deadline_generation(&slug);
            for record in models.cases(&slug) {
                let kept = record.present_deadlines(partnership, generation);
                if let Some(previous) = last.insert(record.case.case_id, Arc::clone(&kept))
                    && moved
                {
                    if Arc::ptr_eq(&previous, &kept) {
                        carried += 1;
                    } else {
                        recomputed += 1;
                    }
                }
                let fresh: Vec<IdentifiedDeadline> = record
                    .case
                    .deadlines(partnership)
                    .into_iter()
                    .map(|d| (d.id(record.case.case_id), d))
                    .collect();
                assert_eq!(&*kept, fresh.as_slice());
                deadlines += fresh.len();
            }
        }
        assert!(changed > 3, "the partnership changed {changed} times");
        assert!(
            carried > 100 && recomputed > 10,
            "{carried} kept through a change, {recomputed} computed again"
        );
        assert!(deadlines > 1_000, "{deadlines} deadlines compared");
    }

    /// An agency joining changes nothing the deadlines read: every case keeps the deadlines it
    /// had, not computed again; a change of the settings has those of the reviews not yet
    /// initiated computed again.
    #[test]
    fn an_agency_joining_keeps_every_cases_deadlines() {
        use crate::ReadModels;
        use casetrail_domain::OrgSlug;
        use casetrail_domain::partnership::{OrgKind, Organisation, PartnershipEvent};
        use casetrail_seed::Workload;
        use casetrail_seed::life_cycle::{LogWriter, StreamEvent, partnership_slug};
        let workload = Workload {
            partnerships: 1,
            cases: 200,
            open_cases: 20,
            seed: 17,
        };
        let mut models = ReadModels::default();
        let mut writer = LogWriter::new("2023-01-02T09:00:00Z".parse().unwrap());
        for (event, gap) in workload.events().take(3_000) {
            models.apply(&writer.append(&event, gap)).unwrap();
        }
        let slug = partnership_slug(0);
        let kept = |models: &ReadModels| -> Vec<Arc<[IdentifiedDeadline]>> {
            let partnership = models.partnership(&slug).unwrap();
            let generation = models.deadline_generation(&slug);
            models
                .cases(&slug)
                .map(|record| record.present_deadlines(partnership, generation))
                .collect()
        };
        let before = kept(&models);
        assert!(before.iter().any(|d| !d.is_empty()), "cases with deadlines");
        let mut change = |models: &mut ReadModels, event| {
            let fact = StreamEvent::Partnership(slug.clone(), event);
            models
                .apply(&writer.append(&fact, chrono::Duration::minutes(1)))
                .unwrap();
        };
        change(
            &mut models,
            PartnershipEvent::OrganisationRegistered(Organisation {
                slug: OrgSlug::parse("youth-offending-team").unwrap(),
                name: "Youth Offending Team".to_owned(),
                kind: OrgKind::CriminalJustice,
            }),
        );
        let after = kept(&models);
        assert_eq!(before.len(), after.len());
        assert!(
            before.iter().zip(&after).all(|(b, a)| Arc::ptr_eq(b, a)),
            "an agency joining had deadlines computed again"
        );
        let mut settings = models.partnership(&slug).unwrap().settings.clone();
        settings.close_of_business += chrono::Duration::hours(1);
        change(
            &mut models,
            PartnershipEvent::PartnershipSettingsChanged(settings),
        );
        let recomputed = kept(&models);
        // Reviews not yet initiated run by the settings as they stand: computed again; the
        // others' deadlines kept as they were.
        let reads: Vec<bool> = models
            .cases(&slug)
            .map(|record| record.case.reads_rapid_review_settings())
            .collect();
        assert!(reads.contains(&true) && reads.contains(&false), "{reads:?}");
        for ((a, r), reads) in after.iter().zip(&recomputed).zip(reads) {
            assert_eq!(Arc::ptr_eq(a, r), !reads);
        }
    }
}
