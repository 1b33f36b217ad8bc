//! How the facts every process shares change the case.

use super::action_plan::ActionPlan;
use crate::case::erasure::PersonalDataErased;
use crate::case::practice_review::{
    CaseClosed, Recommendation, RecommendationAdded, RecommendationCompleted, ReviewPublished,
};
use crate::case::rapid_review::{AgencyReport, AgencyReportSubmitted, Occurred, OrganisationAct};
use crate::case::{Case, Stage};

// One function per stored event, named after it: the catalogue in `case_event.rs` hands each
// event to its fold, so a new event is folded where its process's facts are.

/// `AgencyReportRequested`.
pub(in crate::case) fn agency_report_requested(case: &mut Case, act: &OrganisationAct) {
    case.involved.insert(act.organisation.clone());
    let report = AgencyReport {
        requested_at: act.occurred_at,
        submitted_at: None,
    };
    // An adult case keeps its reports in the safeguarding adult review.
    if let Some(sar) = case.sar.as_mut() {
        sar.agency_reports.insert(act.organisation.clone(), report);
    } else {
        case.with_review(|r| {
            r.agency_reports.insert(act.organisation.clone(), report);
        });
    }
}

/// `AgencyReportSubmitted`.
pub(in crate::case) fn agency_report_submitted(case: &mut Case, submitted: &AgencyReportSubmitted) {
    let reports = match case.sar.as_mut() {
        Some(sar) => Some(&mut sar.agency_reports),
        None => case.rapid_review.as_mut().map(|r| &mut r.agency_reports),
    };
    if let Some(report) = reports.and_then(|r| r.get_mut(&submitted.organisation)) {
        report.submitted_at = Some(submitted.occurred_at);
    }
}

/// `ReviewPublished`.
pub(in crate::case) fn review_published(case: &mut Case, published: &ReviewPublished) {
    case.stage = Stage::Published;
    if let Some(sar) = case.sar.as_mut() {
        sar.published = Some(published.clone());
    } else if let Some(dhr) = case.dhr.as_mut() {
        dhr.published = Some(published.clone());
    } else {
        case.with_practice_review(|r| r.published = Some(published.clone()));
    }
}

/// `ReviewTakenDown`.
pub(in crate::case) fn review_taken_down(case: &mut Case, done: &Occurred) {
    case.with_practice_review(|r| r.taken_down_at = Some(done.occurred_at));
}

/// `RecommendationAdded`.
pub(in crate::case) fn recommendation_added(case: &mut Case, added: &RecommendationAdded) {
    case.involved.extend(added.owners.iter().cloned());
    case.after.recommendations.insert(
        added.recommendation_id,
        Recommendation {
            added: added.clone(),
            completed_at: None,
            plan: ActionPlan::default(),
        },
    );
}

/// `RecommendationCompleted`.
pub(in crate::case) fn recommendation_completed(case: &mut Case, done: &RecommendationCompleted) {
    if let Some(r) = case.after.recommendations.get_mut(&done.recommendation_id) {
        r.completed_at = Some(done.occurred_at);
    }
}

/// `CaseClosed`.
pub(in crate::case) fn case_closed(case: &mut Case, closed: &CaseClosed) {
    case.stage = Stage::Closed;
    case.after.closed = Some(closed.clone());
}

/// `PersonalDataErased`.
pub(in crate::case) fn personal_data_erased(case: &mut Case, erased: &PersonalDataErased) {
    case.personal_data_erased_at = Some(erased.occurred_at);
}
