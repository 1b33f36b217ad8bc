//! How a safeguarding adult review's facts change the case.

use crate::case::adult_review::{
    Pause, SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, Stage};

/// A step of a safeguarding adult review (stored as the `Sar*` events).
#[derive(Debug, Clone, Copy)]
pub enum AdultEvent<'a> {
    /// `SarDecisionRecorded`.
    DecisionRecorded(&'a SarDecisionRecorded),
    /// `SarCommissioned`.
    Commissioned(&'a SarCommissioned),
    /// `SarFamilyInvited`.
    FamilyInvited(&'a Occurred),
    /// `SarPaused`.
    Paused(&'a SarPaused),
    /// `SarResumed`.
    Resumed(&'a Occurred),
    /// `SarCompleted`.
    Completed(&'a SarCompleted),
}

impl Case {
    /// Folds a step of the adult review; a case of another kind has none to change.
    pub(in crate::case) fn apply_adult(&mut self, event: AdultEvent<'_>) {
        let Some(sar) = self.sar.as_mut() else {
            return;
        };
        match event {
            AdultEvent::DecisionRecorded(decided) => {
                self.stage = Stage::SarDecided;
                sar.decision = Some(decided.clone());
            }
            AdultEvent::Commissioned(commissioned) => {
                self.stage = Stage::SarInProgress;
                if let Some(org) = &commissioned.reviewer_organisation {
                    self.involved.insert(org.clone());
                }
                sar.commissioned = Some(commissioned.clone());
            }
            AdultEvent::FamilyInvited(invited) => {
                sar.family_invited_at = Some(invited.occurred_at);
            }
            AdultEvent::Paused(paused) => {
                self.stage = Stage::SarPaused;
                sar.pauses.push(Pause {
                    paused_at: paused.occurred_at,
                    resumed_at: None,
                });
            }
            AdultEvent::Resumed(resumed) => {
                self.stage = if sar.commissioned.is_some() {
                    Stage::SarInProgress
                } else {
                    Stage::SarDecided
                };
                if let Some(pause) = sar.pauses.last_mut() {
                    pause.resumed_at = Some(resumed.occurred_at);
                }
            }
            AdultEvent::Completed(completed) => {
                self.stage = Stage::SarCompleted;
                sar.completed = Some(completed.clone());
            }
        }
    }
}
