//! The year's figures of the reviews' learning shared with the partnership (docs/rules.md
//! LR-1): how often, from how many reviews, reaching which organisations and how many people.

use super::Counting;
use casetrail_domain::OrgSlug;
use casetrail_domain::case::Case;
use std::collections::BTreeSet;

/// Learning shared in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearningSharedFigures {
    /// Times a review's learning was shared.
    pub disseminations: u32,
    /// Reviews (cases) whose learning was shared.
    pub reviews: u32,
    /// Distinct organisations reached.
    pub organisations_reached: u32,
    /// People reached, where counted.
    pub people_reached: u64,
}

/// The organisations reached, gathered over the cases.
#[derive(Debug, Default)]
pub(super) struct Reached(BTreeSet<OrgSlug>);

/// Adds a case's disseminations of the year.
pub(super) fn count(
    c: &Counting<'_>,
    case: &Case,
    figures: &mut LearningSharedFigures,
    reached: &mut Reached,
) {
    let mut shared = false;
    for dissemination in case
        .after
        .learning_shared
        .iter()
        .filter(|d| c.in_year(d.occurred_at))
    {
        shared = true;
        figures.disseminations += 1;
        figures.people_reached += u64::from(dissemination.people_reached.unwrap_or(0));
        reached
            .0
            .extend(dissemination.organisations.iter().cloned());
    }
    figures.reviews += u32::from(shared);
}

/// The distinct organisations, once every case is counted.
pub(super) fn finish(figures: &mut LearningSharedFigures, reached: Reached) {
    figures.organisations_reached = u32::try_from(reached.0.len()).unwrap_or(u32::MAX);
}
