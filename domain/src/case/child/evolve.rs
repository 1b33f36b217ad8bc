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

/// A step of the child process, named as it is stored.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)] // each variant is the stored event of the same name
pub enum ChildEvent<'a> {
    PanelNotificationRecorded(&'a PanelNotificationRecorded),
    PanelNotificationCopied(&'a Occurred),
    LookedAfterDeathNotified(&'a Occurred),
    RapidReviewInitiated(&'a RapidReviewInitiated),
    PartnersNotified(&'a Occurred),
    PartnerLeadNamed(&'a PartnerLeadNamed),
    ReviewLeadAgreed(&'a ReviewLeadAgreed),
    ModifiedResponseAgreed(&'a ModifiedResponseAgreed),
    AgencyReportsCirculated(&'a Occurred),
    RapidReviewMeetingHeld(&'a RapidReviewMeetingHeld),
    DraftMilestoneRecorded(&'a DraftMilestoneRecorded),
    DraftCommentsSubmitted(&'a OrganisationAct),
    SeniorSignOffConfirmed(&'a OrganisationAct),
    RapidReviewSignedOff(&'a Occurred),
    PartnerDecisionRecorded(&'a PartnerDecisionRecorded),
    DecisionReached(&'a DecisionReached),
    RapidReviewSubmittedToPanel(&'a RapidReviewSubmitted),
    PanelResponseRecorded(&'a PanelResponseRecorded),
    DecisionReconsidered(&'a DecisionReconsidered),
    IndependentAdviceRecorded(&'a IndependentAdviceRecorded),
    ReconsideredViewRecorded(&'a ReconsideredViewRecorded),
    ReconsiderationReached(&'a ReconsiderationReached),
    ReconsiderationSentToPanel(&'a ReconsiderationSentToPanel),
    FamilyCommunicationRecorded(&'a FamilyCommunicationRecorded),
    PracticeReviewCommissioned(&'a PracticeReviewCommissioned),
    PublicationDelayApproved(&'a PublicationDelayApproved),
    FinalReportSentToPanel(&'a Occurred),
    PublicationWithheld(&'a PublicationWithheld),
    ImprovementsInformationSentToPanel(&'a Occurred),
    ImprovementsInformationPublished(&'a ReviewPublished),
    PracticeReviewCopiedToOfsted(&'a Occurred),
}

impl Case {
    /// Folds a step of the child process.
    pub(in crate::case) fn apply_child(&mut self, event: ChildEvent<'_>) {
        match event {
            ChildEvent::PanelNotificationRecorded(recorded) => {
                if self.stage == Stage::Notified {
                    self.stage = Stage::PanelNotified;
                }
                self.panel_notification = Some(PanelNotification {
                    panel_reference: recorded.panel_reference.clone(),
                    submitted_on: recorded.submitted_on,
                    occurred_at: recorded.occurred_at,
                    copied_at: None,
                });
            }
            ChildEvent::PanelNotificationCopied(copied) => {
                if let Some(panel) = self.panel_notification.as_mut() {
                    panel.copied_at = Some(copied.occurred_at);
                }
            }
            ChildEvent::LookedAfterDeathNotified(notified) => {
                self.looked_after_death_notified_at = Some(notified.occurred_at);
            }
            ChildEvent::RapidReviewInitiated(initiated) => {
                self.stage = Stage::RapidReview;
                self.rapid_review = Some(RapidReview::initiated(initiated));
            }
            ChildEvent::PartnerDecisionRecorded(vote) => {
                self.votes.insert(vote.partner, vote.clone());
            }
            ChildEvent::DecisionReached(reached) => {
                self.decision = Some(reached.clone());
            }
            ChildEvent::RapidReviewSubmittedToPanel(done) => {
                self.advance_before_practice_review(Stage::SubmittedToPanel);
                self.with_review(|r| {
                    r.submitted_at = Some(done.occurred_at);
                    r.national_review_may_be_appropriate = done.national_review_may_be_appropriate;
                });
            }
            ChildEvent::PanelResponseRecorded(response) => {
                self.advance_before_practice_review(if response.agrees {
                    Stage::PanelAgreed
                } else {
                    Stage::Reconsideration
                });
                self.after.panel_response = Some(response.clone());
            }
            ChildEvent::DecisionReconsidered(reconsidered) => {
                self.advance_before_practice_review(Stage::Decided);
                self.after.reconsideration = Some((reconsidered.outcome, reconsidered.occurred_at));
                self.after.reconsideration_sent_at = Some(reconsidered.occurred_at);
            }
            ChildEvent::ReconsiderationReached(reached) => {
                self.advance_before_practice_review(Stage::Decided);
                self.after.reconsideration = Some((reached.outcome, reached.occurred_at));
            }
            ChildEvent::IndependentAdviceRecorded(e) => {
                self.after.advice.insert(e.subject, e.occurred_at);
            }
            ChildEvent::ReconsideredViewRecorded(e) => {
                self.after.reconsidered_views.insert(e.partner, e.clone());
            }
            ChildEvent::ReconsiderationSentToPanel(e) => {
                self.after.reconsideration_sent_at = Some(e.occurred_at);
            }
            ChildEvent::FamilyCommunicationRecorded(told) => {
                self.after.family_communication = Some(told.clone());
            }
            ChildEvent::PracticeReviewCommissioned(commissioned) => {
                self.stage = Stage::PracticeReview;
                self.after.practice_review = Some(PracticeReview::commissioned(commissioned));
            }
            ChildEvent::PublicationWithheld(withheld) => {
                self.stage = Stage::PublicationWithheld;
                self.with_practice_review(|r| r.withheld_at = Some(withheld.occurred_at));
            }
            ChildEvent::PublicationDelayApproved(delay) => {
                self.with_practice_review(|r| r.delays.push((delay.new_due_on, delay.occurred_at)));
            }
            ChildEvent::FinalReportSentToPanel(sent) => {
                self.with_practice_review(|r| r.report_sent_at = Some(sent.occurred_at));
            }
            ChildEvent::ImprovementsInformationSentToPanel(e) => {
                self.with_practice_review(|r| r.improvements_sent_at = Some(e.occurred_at));
            }
            ChildEvent::ImprovementsInformationPublished(e) => {
                self.with_practice_review(|r| r.improvements_published = Some(e.clone()));
            }
            ChildEvent::PracticeReviewCopiedToOfsted(e) => {
                self.with_practice_review(|r| r.ofsted_copy_at = Some(e.occurred_at));
            }
            ChildEvent::PartnersNotified(done) => {
                self.with_review(|r| r.partners_notified_at = Some(done.occurred_at));
            }
            ChildEvent::PartnerLeadNamed(named) => self.with_review(|r| {
                r.partner_leads
                    .insert(named.partner, named.lead_name.clone());
            }),
            ChildEvent::ReviewLeadAgreed(agreed) => self.with_review(|r| {
                r.review_lead = Some((agreed.lead_name.clone(), agreed.organisation.clone()));
            }),
            ChildEvent::ModifiedResponseAgreed(agreed) => {
                self.with_review(|r| r.modified_response_at = Some(agreed.occurred_at));
            }
            ChildEvent::AgencyReportsCirculated(done) => {
                self.with_review(|r| r.reports_circulated_at = Some(done.occurred_at));
            }
            ChildEvent::RapidReviewMeetingHeld(held) => self.with_review(|r| {
                r.meeting_held_at = Some(held.occurred_at);
                r.meeting_attendees = held.attendees.iter().cloned().collect();
            }),
            ChildEvent::DraftMilestoneRecorded(recorded) => self.with_review(|r| {
                r.drafts.insert(recorded.milestone, recorded.occurred_at);
            }),
            ChildEvent::DraftCommentsSubmitted(act) => self.with_review(|r| {
                r.draft_comments
                    .insert(act.organisation.clone(), act.occurred_at);
            }),
            ChildEvent::SeniorSignOffConfirmed(act) => self.with_review(|r| {
                r.senior_sign_offs
                    .insert(act.organisation.clone(), act.occurred_at);
            }),
            ChildEvent::RapidReviewSignedOff(done) => {
                self.with_review(|r| r.independent_sign_off_at = Some(done.occurred_at));
            }
        }
    }
}
