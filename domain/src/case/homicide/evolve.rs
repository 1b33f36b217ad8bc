//! How a domestic homicide review's facts change the case.

use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, QaOutcome,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, Stage};

/// A step of a domestic homicide review (stored as the `Dhr*` events).
#[derive(Debug, Clone, Copy)]
pub enum HomicideEvent<'a> {
    /// `DhrDecisionRecorded`.
    DecisionRecorded(&'a DhrDecisionRecorded),
    /// `DhrCommissioned`.
    Commissioned(&'a DhrCommissioned),
    /// `DhrCompleted`.
    Completed(&'a DhrCompleted),
    /// `DhrSubmittedToHomeOffice`.
    SubmittedToHomeOffice(&'a Occurred),
    /// `DhrDecisionNotifiedToHomeOffice`.
    DecisionNotifiedToHomeOffice(&'a Occurred),
    /// `DhrQaOutcomeRecorded`.
    QaOutcomeRecorded(&'a DhrQaOutcomeRecorded),
    /// `DhrFamilyInvolvementRecorded`.
    FamilyInvolvementRecorded(&'a DhrFamilyInvolvementRecorded),
}

impl Case {
    /// Folds a step of the homicide review; a case of another kind has none to change.
    pub(in crate::case) fn apply_homicide(&mut self, event: HomicideEvent<'_>) {
        let Some(dhr) = self.dhr.as_mut() else {
            return;
        };
        match event {
            HomicideEvent::DecisionRecorded(decided) => {
                self.stage = Stage::DhrDecided;
                dhr.decision = Some(decided.clone());
            }
            HomicideEvent::Commissioned(commissioned) => {
                self.stage = Stage::DhrInProgress;
                dhr.commissioned = Some(commissioned.clone());
            }
            HomicideEvent::Completed(completed) => {
                self.stage = Stage::DhrCompleted;
                dhr.completed_at = Some(completed.occurred_at);
            }
            HomicideEvent::SubmittedToHomeOffice(submitted) => {
                self.stage = Stage::SubmittedToHomeOffice;
                dhr.submitted_to_home_office_at = Some(submitted.occurred_at);
                // A resubmission awaits the panel's answer afresh.
                dhr.qa_outcome = None;
            }
            HomicideEvent::DecisionNotifiedToHomeOffice(notified) => {
                dhr.home_office_notified_at = Some(notified.occurred_at);
            }
            HomicideEvent::QaOutcomeRecorded(outcome) => {
                // Asked to resubmit, the report is back with the review panel for revision.
                if outcome.outcome == QaOutcome::ResubmissionRequested {
                    self.stage = Stage::DhrCompleted;
                }
                dhr.qa_outcome = Some(outcome.clone());
            }
            HomicideEvent::FamilyInvolvementRecorded(step) => {
                dhr.family.push(step.clone());
            }
        }
    }
}
