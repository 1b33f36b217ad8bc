//! How a domestic homicide review's facts change the case.

use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, QaOutcome,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, Stage};

// One function per stored event, named after it (the catalogue in `case_event.rs` hands each
// event to its fold); a case of another kind has no domestic homicide review for them to change.

/// `DhrDecisionRecorded`.
pub(in crate::case) fn dhr_decision_recorded(case: &mut Case, decided: &DhrDecisionRecorded) {
    let Some(dhr) = case.dhr.as_mut() else { return };
    case.stage = Stage::DhrDecided;
    dhr.decision = Some(decided.clone());
}

/// `DhrCommissioned`.
pub(in crate::case) fn dhr_commissioned(case: &mut Case, commissioned: &DhrCommissioned) {
    let Some(dhr) = case.dhr.as_mut() else { return };
    case.stage = Stage::DhrInProgress;
    dhr.commissioned = Some(commissioned.clone());
}

/// `DhrCompleted`.
pub(in crate::case) fn dhr_completed(case: &mut Case, completed: &DhrCompleted) {
    let Some(dhr) = case.dhr.as_mut() else { return };
    case.stage = Stage::DhrCompleted;
    dhr.completed_at = Some(completed.occurred_at);
}

/// `DhrSubmittedToHomeOffice`.
pub(in crate::case) fn dhr_submitted_to_home_office(case: &mut Case, submitted: &Occurred) {
    let Some(dhr) = case.dhr.as_mut() else { return };
    case.stage = Stage::SubmittedToHomeOffice;
    dhr.submitted_to_home_office_at = Some(submitted.occurred_at);
    // A resubmission awaits the panel's answer afresh.
    dhr.qa_outcome = None;
}

/// `DhrDecisionNotifiedToHomeOffice`.
pub(in crate::case) fn dhr_decision_notified_to_home_office(case: &mut Case, notified: &Occurred) {
    if let Some(dhr) = case.dhr.as_mut() {
        dhr.home_office_notified_at = Some(notified.occurred_at);
    }
}

/// `DhrQaOutcomeRecorded`.
pub(in crate::case) fn dhr_qa_outcome_recorded(case: &mut Case, outcome: &DhrQaOutcomeRecorded) {
    let Some(dhr) = case.dhr.as_mut() else { return };
    // Asked to resubmit, the report is back with the review panel for revision.
    if outcome.outcome == QaOutcome::ResubmissionRequested {
        case.stage = Stage::DhrCompleted;
    }
    dhr.qa_outcome = Some(outcome.clone());
}

/// `DhrFamilyInvolvementRecorded`.
pub(in crate::case) fn dhr_family_involvement_recorded(
    case: &mut Case,
    step: &DhrFamilyInvolvementRecorded,
) {
    if let Some(dhr) = case.dhr.as_mut() {
        dhr.family.push(step.clone());
    }
}
