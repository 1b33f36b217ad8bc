//! How a safeguarding adult review's facts change the case.

use crate::case::adult_review::{
    Pause, SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, Stage};

// One function per stored event, named after it (the catalogue in `case_event.rs` hands each
// event to its fold); a case of another kind has no adult review for them to change.

/// `SarDecisionRecorded`.
pub(in crate::case) fn sar_decision_recorded(case: &mut Case, decided: &SarDecisionRecorded) {
    let Some(sar) = case.sar.as_mut() else { return };
    case.stage = Stage::SarDecided;
    sar.decision = Some(decided.clone());
}

/// `SarCommissioned`.
pub(in crate::case) fn sar_commissioned(case: &mut Case, commissioned: &SarCommissioned) {
    let Some(sar) = case.sar.as_mut() else { return };
    case.stage = Stage::SarInProgress;
    if let Some(org) = &commissioned.reviewer_organisation {
        case.involved.insert(org.clone());
    }
    sar.commissioned = Some(commissioned.clone());
}

/// `SarFamilyInvited`.
pub(in crate::case) fn sar_family_invited(case: &mut Case, invited: &Occurred) {
    if let Some(sar) = case.sar.as_mut() {
        sar.family_invited_at = Some(invited.occurred_at);
    }
}

/// `SarPaused`.
pub(in crate::case) fn sar_paused(case: &mut Case, paused: &SarPaused) {
    let Some(sar) = case.sar.as_mut() else { return };
    case.stage = Stage::SarPaused;
    sar.pauses.push(Pause {
        paused_at: paused.occurred_at,
        resumed_at: None,
    });
}

/// `SarResumed`.
pub(in crate::case) fn sar_resumed(case: &mut Case, resumed: &Occurred) {
    let Some(sar) = case.sar.as_mut() else { return };
    case.stage = if sar.commissioned.is_some() {
        Stage::SarInProgress
    } else {
        Stage::SarDecided
    };
    if let Some(pause) = sar.pauses.last_mut() {
        pause.resumed_at = Some(resumed.occurred_at);
    }
}

/// `SarCompleted`.
pub(in crate::case) fn sar_completed(case: &mut Case, completed: &SarCompleted) {
    let Some(sar) = case.sar.as_mut() else { return };
    case.stage = Stage::SarCompleted;
    sar.completed = Some(completed.clone());
}
