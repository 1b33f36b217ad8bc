//! How the child process's facts change the case.

use crate::case::decision::{DecisionReached, PartnerDecisionRecorded};
use crate::case::practice_review::{
    DecisionReconsidered, FamilyCommunicationRecorded, PanelResponseRecorded, PracticeReview,
    PracticeReviewCommissioned, PublicationDelayApproved, PublicationWithheld, ReviewPublished,
};
use crate::case::rapid_review::{
    DraftMilestoneRecorded, ModifiedResponseAgreed, Occurred, OrganisationAct, PartnerLeadNamed,
    RapidReview, RapidReviewInitiated, RapidReviewMeetingHeld, RapidReviewSubmitted,
    ReviewLeadAgreed,
};
use crate::case::reconsideration::{
    IndependentAdviceRecorded, ReconsiderationReached, ReconsiderationSentToPanel,
    ReconsideredViewRecorded,
};
use crate::case::{Case, PanelNotification, PanelNotificationRecorded, Stage};

// One function per stored event, named after it: the catalogue in `case_event.rs` hands each
// event to its fold, so a new event is folded where its process's facts are.

/// `PanelNotificationRecorded`.
pub(in crate::case) fn panel_notification_recorded(
    case: &mut Case,
    recorded: &PanelNotificationRecorded,
) {
    if case.stage == Stage::Notified {
        case.stage = Stage::PanelNotified;
    }
    case.panel_notification = Some(PanelNotification {
        panel_reference: recorded.panel_reference.clone(),
        submitted_on: recorded.submitted_on,
        occurred_at: recorded.occurred_at,
        copied_at: None,
    });
}

/// `PanelNotificationCopied`.
pub(in crate::case) fn panel_notification_copied(case: &mut Case, copied: &Occurred) {
    if let Some(panel) = case.panel_notification.as_mut() {
        panel.copied_at = Some(copied.occurred_at);
    }
}

/// `LookedAfterDeathNotified`.
pub(in crate::case) fn looked_after_death_notified(case: &mut Case, notified: &Occurred) {
    case.looked_after_death_notified_at = Some(notified.occurred_at);
}

/// `RapidReviewInitiated`.
pub(in crate::case) fn rapid_review_initiated(case: &mut Case, initiated: &RapidReviewInitiated) {
    case.stage = Stage::RapidReview;
    case.rapid_review = Some(RapidReview::initiated(initiated));
}

/// `PartnerDecisionRecorded`.
pub(in crate::case) fn partner_decision_recorded(case: &mut Case, vote: &PartnerDecisionRecorded) {
    case.votes.insert(vote.partner, vote.clone());
}

/// `DecisionReached`.
pub(in crate::case) fn decision_reached(case: &mut Case, reached: &DecisionReached) {
    case.decision = Some(reached.clone());
}

/// `RapidReviewSubmittedToPanel`.
pub(in crate::case) fn rapid_review_submitted_to_panel(
    case: &mut Case,
    done: &RapidReviewSubmitted,
) {
    case.advance_before_practice_review(Stage::SubmittedToPanel);
    case.with_review(|r| {
        r.submitted_at = Some(done.occurred_at);
        r.national_review_may_be_appropriate = done.national_review_may_be_appropriate;
    });
}

/// `PanelResponseRecorded`.
pub(in crate::case) fn panel_response_recorded(case: &mut Case, response: &PanelResponseRecorded) {
    case.advance_before_practice_review(if response.agrees {
        Stage::PanelAgreed
    } else {
        Stage::Reconsideration
    });
    case.after.panel_response = Some(response.clone());
}

/// `DecisionReconsidered`.
pub(in crate::case) fn decision_reconsidered(case: &mut Case, reconsidered: &DecisionReconsidered) {
    case.advance_before_practice_review(Stage::Decided);
    case.after.reconsideration = Some((reconsidered.outcome, reconsidered.occurred_at));
    case.after.reconsideration_sent_at = Some(reconsidered.occurred_at);
}

/// `ReconsiderationReached`.
pub(in crate::case) fn reconsideration_reached(case: &mut Case, reached: &ReconsiderationReached) {
    case.advance_before_practice_review(Stage::Decided);
    case.after.reconsideration = Some((reached.outcome, reached.occurred_at));
}

/// `IndependentAdviceRecorded`.
pub(in crate::case) fn independent_advice_recorded(case: &mut Case, e: &IndependentAdviceRecorded) {
    case.after.advice.insert(e.subject, e.occurred_at);
}

/// `ReconsideredViewRecorded`.
pub(in crate::case) fn reconsidered_view_recorded(case: &mut Case, e: &ReconsideredViewRecorded) {
    case.after.reconsidered_views.insert(e.partner, e.clone());
}

/// `ReconsiderationSentToPanel`.
pub(in crate::case) fn reconsideration_sent_to_panel(
    case: &mut Case,
    e: &ReconsiderationSentToPanel,
) {
    case.after.reconsideration_sent_at = Some(e.occurred_at);
}

/// `FamilyCommunicationRecorded`.
pub(in crate::case) fn family_communication_recorded(
    case: &mut Case,
    told: &FamilyCommunicationRecorded,
) {
    case.after.family_communication = Some(told.clone());
}

/// `PracticeReviewCommissioned`.
pub(in crate::case) fn practice_review_commissioned(
    case: &mut Case,
    commissioned: &PracticeReviewCommissioned,
) {
    case.stage = Stage::PracticeReview;
    case.after.practice_review = Some(PracticeReview::commissioned(commissioned));
}

/// `PublicationWithheld`.
pub(in crate::case) fn publication_withheld(case: &mut Case, withheld: &PublicationWithheld) {
    case.stage = Stage::PublicationWithheld;
    case.with_practice_review(|r| r.withheld_at = Some(withheld.occurred_at));
}

/// `PublicationDelayApproved`.
pub(in crate::case) fn publication_delay_approved(
    case: &mut Case,
    delay: &PublicationDelayApproved,
) {
    case.with_practice_review(|r| r.delays.push((delay.new_due_on, delay.occurred_at)));
}

/// `FinalReportSentToPanel`.
pub(in crate::case) fn final_report_sent_to_panel(case: &mut Case, sent: &Occurred) {
    case.with_practice_review(|r| r.report_sent_at = Some(sent.occurred_at));
}

/// `ImprovementsInformationSentToPanel`.
pub(in crate::case) fn improvements_information_sent_to_panel(case: &mut Case, e: &Occurred) {
    case.with_practice_review(|r| r.improvements_sent_at = Some(e.occurred_at));
}

/// `ImprovementsInformationPublished`.
pub(in crate::case) fn improvements_information_published(case: &mut Case, e: &ReviewPublished) {
    case.with_practice_review(|r| r.improvements_published = Some(e.clone()));
}

/// `PracticeReviewCopiedToOfsted`.
pub(in crate::case) fn practice_review_copied_to_ofsted(case: &mut Case, e: &Occurred) {
    case.with_practice_review(|r| r.ofsted_copy_at = Some(e.occurred_at));
}

/// `PartnersNotified`.
pub(in crate::case) fn partners_notified(case: &mut Case, done: &Occurred) {
    case.with_review(|r| r.partners_notified_at = Some(done.occurred_at));
}

/// `PartnerLeadNamed`.
pub(in crate::case) fn partner_lead_named(case: &mut Case, named: &PartnerLeadNamed) {
    case.with_review(|r| {
        r.partner_leads
            .insert(named.partner, named.lead_name.clone());
    });
}

/// `ReviewLeadAgreed`.
pub(in crate::case) fn review_lead_agreed(case: &mut Case, agreed: &ReviewLeadAgreed) {
    case.with_review(|r| {
        r.review_lead = Some((agreed.lead_name.clone(), agreed.organisation.clone()));
    });
}

/// `ModifiedResponseAgreed`.
pub(in crate::case) fn modified_response_agreed(case: &mut Case, agreed: &ModifiedResponseAgreed) {
    case.with_review(|r| r.modified_response_at = Some(agreed.occurred_at));
}

/// `AgencyReportsCirculated`.
pub(in crate::case) fn agency_reports_circulated(case: &mut Case, done: &Occurred) {
    case.with_review(|r| r.reports_circulated_at = Some(done.occurred_at));
}

/// `RapidReviewMeetingHeld`.
pub(in crate::case) fn rapid_review_meeting_held(case: &mut Case, held: &RapidReviewMeetingHeld) {
    case.with_review(|r| {
        r.meeting_held_at = Some(held.occurred_at);
        r.meeting_attendees = held.attendees.iter().cloned().collect();
    });
}

/// `DraftMilestoneRecorded`.
pub(in crate::case) fn draft_milestone_recorded(
    case: &mut Case,
    recorded: &DraftMilestoneRecorded,
) {
    case.with_review(|r| {
        r.drafts.insert(recorded.milestone, recorded.occurred_at);
    });
}

/// `DraftCommentsSubmitted`.
pub(in crate::case) fn draft_comments_submitted(case: &mut Case, act: &OrganisationAct) {
    case.with_review(|r| {
        r.draft_comments
            .insert(act.organisation.clone(), act.occurred_at);
    });
}

/// `SeniorSignOffConfirmed`.
pub(in crate::case) fn senior_sign_off_confirmed(case: &mut Case, act: &OrganisationAct) {
    case.with_review(|r| {
        r.senior_sign_offs
            .insert(act.organisation.clone(), act.occurred_at);
    });
}

/// `RapidReviewSignedOff`.
pub(in crate::case) fn rapid_review_signed_off(case: &mut Case, done: &Occurred) {
    case.with_review(|r| r.independent_sign_off_at = Some(done.occurred_at));
}
