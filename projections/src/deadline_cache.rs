//! A case's deadlines, computed once for the partnership as it stands and kept until the case
//! changes or what its deadlines read of the partnership does (the deadline generation,
//! `ReadModels::deadline_generation`, tells): a page of the case list or the deadline list
//! reads each case's deadlines, and computing them (working days, bank holidays, every calendar a deadline was
//! pending under) cost far more than the rest of the page.

use casetrail_domain::CaseId;
use casetrail_domain::deadline::Deadline;
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
    /// The deadlines under the partnership's deadline `generation`, computed by `compute` unless they
    /// are already known for it.
    pub fn get_or_compute(
        &self,
        generation: u64,
        compute: impl FnOnce() -> Vec<IdentifiedDeadline>,
    ) -> Arc<[IdentifiedDeadline]> {
        if let Some((known_for, known)) = self.lock().as_ref()
            && *known_for == generation
        {
            return Arc::clone(known);
        }
        // Computed without the lock held, so readers of other cases are never kept waiting;
        // two readers of one new case may both compute it, and give the same answer.
        let computed: Arc<[IdentifiedDeadline]> = compute().into();
        *self.lock() = Some((generation, Arc::clone(&computed)));
        computed
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

    #[test]
    fn computed_once_per_generation_forgotten_on_change_and_never_cloned() {
        let mut cache = DeadlineCache::default();
        let computed = std::cell::Cell::new(0);
        let compute = || {
            computed.set(computed.get() + 1);
            Vec::new()
        };
        cache.get_or_compute(1, compute);
        cache.get_or_compute(1, compute);
        assert_eq!(computed.get(), 1);
        let copy = cache.clone();
        copy.get_or_compute(1, compute);
        assert_eq!(computed.get(), 2, "a clone starts empty");
        cache.forget();
        cache.get_or_compute(1, compute);
        assert_eq!(computed.get(), 3);
        // The partnership changed: computed again, then kept for the new generation.
        cache.get_or_compute(2, compute);
        cache.get_or_compute(2, compute);
        assert_eq!(computed.get(), 4);
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
        // Chunks short enough that many hold no change of the partnership, only of cases.
        for chunk in log.chunks(40) {
            let before = models.deadline_generation(&slug);
            for event in chunk {
                models.apply(event).unwrap();
            }
            changed += usize::from(models.deadline_generation(&slug) != before);
            let partnership = models.partnership(&slug).unwrap();
            let generation = models.deadline_generation(&slug);
            for record in models.cases(&slug) {
                let kept = record.present_deadlines(partnership, generation);
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
        assert!(deadlines > 1_000, "{deadlines} deadlines compared");
    }

    /// An agency joining changes nothing the deadlines read: every case keeps the deadlines it
    /// had, not computed again; a change of the settings has them computed again.
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
        assert!(
            after
                .iter()
                .zip(&recomputed)
                .all(|(a, r)| !Arc::ptr_eq(a, r)),
            "a change of the settings kept deadlines computed before it"
        );
    }
}
