//! The cases a reminder pass may pass over: each found owing nothing, now or later, while it
//! and its partnership stay as they were (`casetrail_domain::reminders::settled_for_good`,
//! docs/rules.md 1.5). Most cases of a partnership are long finished, and computing a case's
//! deadlines is most of a pass's work, so a pass computes only the cases that changed, that
//! are still running, or whose partnership changed (its calendar, its settings) since.

use casetrail_domain::{CaseId, PartnershipSlug};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What passes found settled, by partnership: the partnership's version then, and each
/// settled case's version then.
#[derive(Debug, Default)]
pub struct SettledCases {
    /// The latest instant a case was found settled at: settled for good from then on, but not
    /// before (a clock set back).
    judged_at: Option<DateTime<Utc>>,
    partnerships: HashMap<PartnershipSlug, (u64, HashMap<CaseId, u64>)>,
    /// How many of them the pass that made this passed over, an earlier pass having settled
    /// them.
    passed_over: usize,
}

impl SettledCases {
    /// Whether the case was settled, by `now`, at these versions of it and of its partnership.
    pub fn holds(
        &self,
        slug: &PartnershipSlug,
        partnership_version: u64,
        case_id: CaseId,
        case_version: u64,
        now: DateTime<Utc>,
    ) -> bool {
        self.judged_at.is_some_and(|at| at <= now)
            && self.partnerships.get(slug).is_some_and(|(version, cases)| {
                *version == partnership_version && cases.get(&case_id) == Some(&case_version)
            })
    }

    /// Records the case as settled at these versions from `now` on. A partnership's cases are
    /// kept for one version of it only: a change to the partnership lets go of the rest.
    pub fn settle(
        &mut self,
        slug: &PartnershipSlug,
        partnership_version: u64,
        case_id: CaseId,
        case_version: u64,
        now: DateTime<Utc>,
    ) {
        self.judged_at = self.judged_at.max(Some(now));
        let (version, cases) = self.partnerships.entry(slug.clone()).or_default();
        if *version != partnership_version {
            *version = partnership_version;
            cases.clear();
        }
        cases.insert(case_id, case_version);
    }

    /// Records a case an earlier pass settled, which this pass passed over.
    pub fn carry(
        &mut self,
        slug: &PartnershipSlug,
        partnership_version: u64,
        case_id: CaseId,
        case_version: u64,
        now: DateTime<Utc>,
    ) {
        self.settle(slug, partnership_version, case_id, case_version, now);
        self.passed_over += 1;
    }

    /// How many cases the pass passed over.
    pub fn passed_over(&self) -> usize {
        self.passed_over
    }

    /// How many cases are settled.
    pub fn len(&self) -> usize {
        self.partnerships
            .values()
            .map(|(_, cases)| cases.len())
            .sum()
    }

    /// Whether no case is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use uuid::Uuid;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_case_stays_settled_only_while_it_and_its_partnership_are_unchanged() {
        let slug = PartnershipSlug::parse("southend").unwrap();
        let other = PartnershipSlug::parse("essex").unwrap();
        let case = CaseId::from_uuid(Uuid::from_u128(1));
        let second = CaseId::from_uuid(Uuid::from_u128(2));
        let (earlier, now, later) = (
            at("2026-01-05T09:00:00Z"),
            at("2026-01-06T09:00:00Z"),
            at("2026-01-07T09:00:00Z"),
        );
        let mut settled = SettledCases::default();
        assert!(settled.is_empty());
        settled.settle(&slug, 3, case, 9, earlier);
        settled.settle(&slug, 3, second, 4, now);
        assert!(settled.holds(&slug, 3, case, 9, now));
        assert!(settled.holds(&slug, 3, case, 9, later));
        assert!(
            !settled.holds(&slug, 3, case, 9, earlier),
            "a clock set back"
        );
        assert!(!settled.holds(&slug, 3, case, 10, now), "the case changed");
        assert!(
            !settled.holds(&slug, 4, case, 9, now),
            "the partnership changed"
        );
        assert!(
            !settled.holds(&other, 3, case, 9, now),
            "another partnership"
        );
        assert_eq!(settled.len(), 2);
        // A case settled under a later version of the partnership lets go of the others.
        settled.settle(&slug, 4, case, 9, now);
        assert!(settled.holds(&slug, 4, case, 9, now));
        assert!(!settled.holds(&slug, 4, second, 4, now));
        assert_eq!(settled.len(), 1);
        assert!(!settled.is_empty());
        assert_eq!(settled.passed_over(), 0);
        // Carried from an earlier pass: settled, and counted as passed over.
        settled.carry(&slug, 4, second, 4, later);
        assert!(settled.holds(&slug, 4, second, 4, later));
        assert_eq!((settled.len(), settled.passed_over()), (2, 1));
    }
}
