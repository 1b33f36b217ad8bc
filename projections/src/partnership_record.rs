//! A partnership and its history, for time travel: the partnership as any prefix of its history
//! made it, folded from the nearest checkpoint rather than from its first event.

use crate::deadline_cache::DeadlineGeneration;
use crate::review_status::Recorded;
use casetrail_domain::partnership::{BasisChange, BasisSummary, Partnership, PartnershipEvent};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How many events of a partnership's history lie between two checkpoints. A partnership whose
/// calendar and settings changed often has thousands of events, and every read `as_of` an
/// instant folded them all: one case `as_of` took 4.5–24 ms in a partnership of 11,706 events,
/// 2.6–5.1 ms folding at most 63 from a checkpoint (BENCHMARKS.md, goal 4).
const CHECKPOINT_EVERY: usize = 64;

/// A partnership, its history, and the partnership at intervals of it. A snapshot keeps the
/// history only: the rest is its fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    into = "Vec<Recorded<PartnershipEvent>>",
    try_from = "Vec<Recorded<PartnershipEvent>>"
)]
pub(crate) struct PartnershipRecord {
    /// Shared with the commands deciding on it (each took a copy of it before).
    current: Arc<Partnership>,
    history: Vec<Recorded<PartnershipEvent>>,
    /// The partnership after the first `(i + 1) * CHECKPOINT_EVERY` events, for each `i`.
    checkpoints: Vec<Partnership>,
    /// What the cases' deadlines read of the partnership as it stands.
    basis: BasisSummary,
    /// Each event that changed `basis`, how it did: the deadline generation is how many there
    /// were, and deadlines computed under an earlier one hold for the cases none of the later
    /// changes reaches.
    basis_changes: Vec<BasisChange>,
}

impl PartnershipRecord {
    /// The record once `recorded` is applied to `previous` (none before the partnership's first
    /// event); `None` when the event makes no partnership of it.
    pub(crate) fn next(
        previous: Option<PartnershipRecord>,
        recorded: Recorded<PartnershipEvent>,
    ) -> Option<PartnershipRecord> {
        let (current, mut history, mut checkpoints, before) = match previous {
            Some(record) => (
                // A copy only while a command still holds this one.
                Some(Arc::unwrap_or_clone(record.current)),
                record.history,
                record.checkpoints,
                Some((record.basis, record.basis_changes)),
            ),
            None => (None, Vec::new(), Vec::new(), None),
        };
        let current = Partnership::evolve(current, &recorded.event)?;
        history.push(recorded);
        if history.len().is_multiple_of(CHECKPOINT_EVERY) {
            checkpoints.push(current.clone());
        }
        let after = current.deadline_basis();
        let basis = after.summary();
        let basis_changes = match before {
            Some((was, changes)) if was == basis => changes,
            Some((was, mut changes)) => {
                changes.push(was.change_to(&after));
                changes
            }
            None => Vec::new(),
        };
        Some(PartnershipRecord {
            current: Arc::new(current),
            history,
            checkpoints,
            basis,
            basis_changes,
        })
    }

    /// How many of its events changed what the cases' deadlines read of it, and how.
    pub(crate) fn deadline_generation(&self) -> DeadlineGeneration<'_> {
        DeadlineGeneration::new(&self.basis_changes)
    }

    /// The partnership as it stands.
    pub(crate) fn current(&self) -> &Partnership {
        &self.current
    }

    /// The partnership as it stands, shared rather than copied.
    pub(crate) fn shared(&self) -> Arc<Partnership> {
        Arc::clone(&self.current)
    }

    /// Its events, in order.
    pub(crate) fn history(&self) -> &[Recorded<PartnershipEvent>] {
        &self.history
    }

    /// The partnership as the first `known` events of its history made it (`None` before the
    /// first).
    pub(crate) fn after(&self, known: usize) -> Option<Partnership> {
        if known >= self.history.len() {
            return Some(Partnership::clone(&self.current));
        }
        let passed = known / CHECKPOINT_EVERY;
        let (state, from) = match passed.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(checkpoint) => (Some(checkpoint.clone()), passed * CHECKPOINT_EVERY),
            None => (None, 0),
        };
        self.history[from..known]
            .iter()
            .fold(state, |state, r| Partnership::evolve(state, &r.event))
    }
}

impl From<PartnershipRecord> for Vec<Recorded<PartnershipEvent>> {
    fn from(record: PartnershipRecord) -> Self {
        record.history
    }
}

/// A history that folds to no partnership is not one the read models could have kept.
#[derive(Debug, thiserror::Error)]
#[error("a partnership's history folds to no partnership")]
pub struct NoPartnership;

impl TryFrom<Vec<Recorded<PartnershipEvent>>> for PartnershipRecord {
    type Error = NoPartnership;

    fn try_from(history: Vec<Recorded<PartnershipEvent>>) -> Result<Self, NoPartnership> {
        history
            .into_iter()
            .try_fold(None, |record, recorded| {
                PartnershipRecord::next(record, recorded).map(Some)
            })
            .flatten()
            .ok_or(NoPartnership)
    }
}

#[cfg(test)]
mod tests;
