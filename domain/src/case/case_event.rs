//! The catalogue of a case's stored events: one flat enum whose variant names are the stored
//! type names (never renamed), each entry naming the fold of the process whose fact it is. A
//! new event is one entry here (and its arm in `sealed_mut`, which says whether it carries
//! personal data): the compiler refuses an entry without a fold.

use super::adult::evolve as adult;
use super::adult_review::{
    SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused, SarReferred,
};
use super::audit;
use super::child::evolve as child;
use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::homicide::evolve as homicide;
use super::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, DomesticHomicideNotified,
};
use super::practice_review::{
    CaseClosed, DecisionReconsidered, FamilyCommunicationRecorded, PanelResponseRecorded,
    PracticeReviewCommissioned, PublicationDelayApproved, PublicationWithheld, RecommendationAdded,
    RecommendationCompleted, ReviewPublished,
};
use super::rapid_review::{
    AgencyReportSubmitted, DraftMilestoneRecorded, ModifiedResponseAgreed, Occurred,
    OrganisationAct, PartnerLeadNamed, RapidReviewInitiated, RapidReviewMeetingHeld,
    RapidReviewSubmitted, ReviewLeadAgreed,
};
use super::reconsideration::{
    IndependentAdviceRecorded, ReconsiderationReached, ReconsiderationSentToPanel,
    ReconsideredViewRecorded,
};
use super::shared::action_plan as plan;
use super::shared::evolve as shared;
use super::shared::learning;
use super::{Case, CaseReferred, IncidentNotified, PanelNotificationRecorded, SealedPersonalData};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Declares the event enum once: its variants, their stored type names (the variant names,
/// never renamed), `occurred_at` and the fold of each.
macro_rules! case_events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty) => $fold:path),* $(,)?) => {
        /// Something that happened to a case.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "event_type", content = "data")]
        pub enum CaseEvent {
            $($(#[$doc])* $variant($payload),)*
        }

        impl CaseEvent {
            /// Every stored type name.
            pub const EVENT_TYPES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The stable stored type name.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(CaseEvent::$variant(_) => stringify!($variant),)*
                }
            }

            /// When the fact happened.
            pub fn occurred_at(&self) -> DateTime<Utc> {
                match self {
                    $(CaseEvent::$variant(e) => e.occurred_at,)*
                }
            }

            /// Folds the event into an existing case, by its process's rules.
            pub(in crate::case) fn fold_into(&self, case: &mut Case) {
                match self {
                    $(CaseEvent::$variant(e) => $fold(case, e),)*
                }
            }
        }
    };
}

case_events! {
    /// The local authority notified a serious incident (opens a child case).
    IncidentNotified(IncidentNotified) => opening,
    /// An organisation referred a case for consideration (opens a child case).
    CaseReferred(CaseReferred) => opening,
    /// The local authority notified the national Panel.
    PanelNotificationRecorded(PanelNotificationRecorded) => child::panel_notification_recorded,
    /// The business manager initiated the rapid review.
    RapidReviewInitiated(RapidReviewInitiated) => child::rapid_review_initiated,
    /// The three safeguarding partners were notified of the rapid review (day 2).
    PartnersNotified(Occurred) => child::partners_notified,
    /// A partner named its lead.
    PartnerLeadNamed(PartnerLeadNamed) => child::partner_lead_named,
    /// The review lead/author was agreed.
    ReviewLeadAgreed(ReviewLeadAgreed) => child::review_lead_agreed,
    /// A modified response was agreed: internal documents instead of agency reports.
    ModifiedResponseAgreed(ModifiedResponseAgreed) => child::modified_response_agreed,
    /// An agency was asked for a report.
    AgencyReportRequested(OrganisationAct) => shared::agency_report_requested,
    /// An agency submitted its report (day 6, close of business).
    AgencyReportSubmitted(AgencyReportSubmitted) => shared::agency_report_submitted,
    /// The business manager circulated the reports (day 7).
    AgencyReportsCirculated(Occurred) => child::agency_reports_circulated,
    /// The rapid review meeting was held (day 8).
    RapidReviewMeetingHeld(RapidReviewMeetingHeld) => child::rapid_review_meeting_held,
    /// A drafting step was reached (days 11 and 12).
    DraftMilestoneRecorded(DraftMilestoneRecorded) => child::draft_milestone_recorded,
    /// An organisation returned its comments on the draft (day 12, 15:00).
    DraftCommentsSubmitted(OrganisationAct) => child::draft_comments_submitted,
    /// An organisation's senior manager signed the report off (day 13).
    SeniorSignOffConfirmed(OrganisationAct) => child::senior_sign_off_confirmed,
    /// The Independent Advisor signed the report off (day 14).
    RapidReviewSignedOff(Occurred) => child::rapid_review_signed_off,
    /// A safeguarding partner voted on holding an LCSPR.
    PartnerDecisionRecorded(PartnerDecisionRecorded) => child::partner_decision_recorded,
    /// Two partners agreed: the decision.
    DecisionReached(DecisionReached) => child::decision_reached,
    /// The rapid review was submitted to the Panel (day 15), with the partners' view on a
    /// national review.
    RapidReviewSubmittedToPanel(RapidReviewSubmitted) => child::rapid_review_submitted_to_panel,
    /// The national Panel responded to the rapid review.
    PanelResponseRecorded(PanelResponseRecorded) => child::panel_response_recorded,
    /// The partners reconsidered after the Panel disagreed.
    DecisionReconsidered(DecisionReconsidered) => child::decision_reconsidered,
    /// The outcome was communicated to the child or family.
    FamilyCommunicationRecorded(FamilyCommunicationRecorded) => child::family_communication_recorded,
    /// The LCSPR was commissioned.
    PracticeReviewCommissioned(PracticeReviewCommissioned) => child::practice_review_commissioned,
    /// A delay to publication was approved.
    PublicationDelayApproved(PublicationDelayApproved) => child::publication_delay_approved,
    /// The final report went to the Panel and the Secretary of State.
    FinalReportSentToPanel(Occurred) => child::final_report_sent_to_panel,
    /// The review was published.
    ReviewPublished(ReviewPublished) => shared::review_published,
    /// Publication was withheld.
    PublicationWithheld(PublicationWithheld) => child::publication_withheld,
    /// The published report was taken down from the website (a year after publication; it
    /// stays available on request).
    ReviewTakenDown(Occurred) => shared::review_taken_down,
    /// A recommendation was added.
    RecommendationAdded(RecommendationAdded) => shared::recommendation_added,
    /// A recommendation's action was completed.
    RecommendationCompleted(RecommendationCompleted) => shared::recommendation_completed,
    /// An action was added to a recommendation's plan.
    ActionAdded(plan::ActionAdded) => plan::action_added,
    /// An owner updated an action's progress.
    ActionProgressRecorded(plan::ActionProgressRecorded) => plan::action_progress_recorded,
    /// An action was done.
    ActionCompleted(plan::ActionCompleted) => plan::action_completed,
    /// The group owning a plan signed it off.
    ActionPlanSignedOff(plan::ActionPlanSignedOff) => plan::action_plan_signed_off,
    /// A review of a plan's impact found whether practice has changed.
    ImpactReviewed(plan::ImpactReviewed) => plan::impact_reviewed,
    /// A multi-agency audit was commissioned (opens an audit case).
    AuditCommissioned(audit::AuditCommissioned) => opening,
    /// The audit's findings were recorded.
    AuditFindingsRecorded(audit::AuditFindingsRecorded) => audit::findings_recorded,
    /// The case was closed.
    CaseClosed(CaseClosed) => shared::case_closed,
    /// An organisation referred an adult for a safeguarding adult review (opens an adult case).
    SarReferred(SarReferred) => opening,
    /// The Safeguarding Adults Board decided on a review.
    SarDecisionRecorded(SarDecisionRecorded) => adult::sar_decision_recorded,
    /// The safeguarding adult review was commissioned.
    SarCommissioned(SarCommissioned) => adult::sar_commissioned,
    /// The adult's family was invited to contribute to the review.
    SarFamilyInvited(Occurred) => adult::sar_family_invited,
    /// The safeguarding adult review was paused.
    SarPaused(SarPaused) => adult::sar_paused,
    /// The safeguarding adult review resumed.
    SarResumed(Occurred) => adult::sar_resumed,
    /// The safeguarding adult review was completed.
    SarCompleted(SarCompleted) => adult::sar_completed,
    /// A domestic homicide was notified (opens a domestic homicide case).
    DomesticHomicideNotified(DomesticHomicideNotified) => opening,
    /// The partnership decided whether to conduct a domestic homicide review.
    DhrDecisionRecorded(DhrDecisionRecorded) => homicide::dhr_decision_recorded,
    /// The domestic homicide review was commissioned.
    DhrCommissioned(DhrCommissioned) => homicide::dhr_commissioned,
    /// The domestic homicide review's overview report was completed.
    DhrCompleted(DhrCompleted) => homicide::dhr_completed,
    /// The review went to the Home Office quality assurance panel.
    DhrSubmittedToHomeOffice(Occurred) => homicide::dhr_submitted_to_home_office,
    /// The Home Office was told of the decision on a domestic homicide review.
    DhrDecisionNotifiedToHomeOffice(Occurred) => homicide::dhr_decision_notified_to_home_office,
    /// The Home Office quality assurance panel answered the submitted review.
    DhrQaOutcomeRecorded(DhrQaOutcomeRecorded) => homicide::dhr_qa_outcome_recorded,
    /// A step of the victim's family's involvement in the domestic homicide review.
    DhrFamilyInvolvementRecorded(DhrFamilyInvolvementRecorded) => homicide::dhr_family_involvement_recorded,
    /// A copy of the Panel notification went to the business manager.
    PanelNotificationCopied(Occurred) => child::panel_notification_copied,
    /// The death of a looked-after child was notified to Ofsted and the Secretary of State.
    LookedAfterDeathNotified(Occurred) => child::looked_after_death_notified,
    /// The Independent Advisor advised the partners' decision makers.
    IndependentAdviceRecorded(IndependentAdviceRecorded) => child::independent_advice_recorded,
    /// A partner's decision maker recorded its reconsidered view.
    ReconsideredViewRecorded(ReconsideredViewRecorded) => child::reconsidered_view_recorded,
    /// Two partners' reconsidered views agreed: the reconsidered decision.
    ReconsiderationReached(ReconsiderationReached) => child::reconsideration_reached,
    /// The reconsidered decision's written justification went to the Panel.
    ReconsiderationSentToPanel(ReconsiderationSentToPanel) => child::reconsideration_sent_to_panel,
    /// Publication withheld: the improvements information went to the Panel and the Secretary
    /// of State.
    ImprovementsInformationSentToPanel(Occurred) => child::improvements_information_sent_to_panel,
    /// Publication withheld: the improvements information was published instead.
    ImprovementsInformationPublished(ReviewPublished) => child::improvements_information_published,
    /// The LCSPR report, or the improvements information, went to Ofsted.
    PracticeReviewCopiedToOfsted(Occurred) => child::practice_review_copied_to_ofsted,
    /// The review's learning was disseminated to organisations of the partnership.
    LearningDisseminated(learning::LearningDisseminated) => learning::disseminated,
    /// The case's personal data was erased (its key destroyed).
    PersonalDataErased(super::erasure::PersonalDataErased) => shared::personal_data_erased,
}

/// The fold of an event that opens a case: `Case::evolve` makes the case from it, and it is
/// never folded into one.
fn opening<E>(_: &mut Case, _: &E) {}

impl CaseEvent {
    /// The event's sealed field, if it has one (no event type has more than one).
    pub fn sealed_mut(&mut self) -> Option<&mut SealedPersonalData> {
        match self {
            CaseEvent::IncidentNotified(e) => Some(&mut e.personal_data),
            CaseEvent::CaseReferred(e) => Some(&mut e.personal_data),
            CaseEvent::ModifiedResponseAgreed(e) => Some(&mut e.rationale),
            CaseEvent::AgencyReportSubmitted(e) => Some(&mut e.report),
            CaseEvent::PartnerDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::DecisionReconsidered(e) => Some(&mut e.justification),
            CaseEvent::PracticeReviewCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::PublicationDelayApproved(e) => Some(&mut e.reasons),
            CaseEvent::PublicationWithheld(e) => Some(&mut e.justification),
            CaseEvent::SarReferred(e) => Some(&mut e.personal_data),
            CaseEvent::SarDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::SarCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::SarPaused(e) => Some(&mut e.reason),
            CaseEvent::SarCompleted(e) => Some(&mut e.findings),
            CaseEvent::DomesticHomicideNotified(e) => Some(&mut e.personal_data),
            CaseEvent::DhrDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::DhrCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::DhrCompleted(e) => Some(&mut e.overview),
            CaseEvent::IndependentAdviceRecorded(e) => Some(&mut e.advice),
            CaseEvent::ReconsideredViewRecorded(e) => Some(&mut e.rationale),
            CaseEvent::ReconsiderationSentToPanel(e) => Some(&mut e.justification),
            // No personal data: a new event with any must be sealed above.
            CaseEvent::PanelNotificationRecorded(_)
            | CaseEvent::RapidReviewInitiated(_)
            | CaseEvent::PartnersNotified(_)
            | CaseEvent::PartnerLeadNamed(_)
            | CaseEvent::ReviewLeadAgreed(_)
            | CaseEvent::AgencyReportRequested(_)
            | CaseEvent::AgencyReportsCirculated(_)
            | CaseEvent::RapidReviewMeetingHeld(_)
            | CaseEvent::DraftMilestoneRecorded(_)
            | CaseEvent::DraftCommentsSubmitted(_)
            | CaseEvent::SeniorSignOffConfirmed(_)
            | CaseEvent::RapidReviewSignedOff(_)
            | CaseEvent::DecisionReached(_)
            | CaseEvent::RapidReviewSubmittedToPanel(_)
            | CaseEvent::PanelResponseRecorded(_)
            | CaseEvent::FamilyCommunicationRecorded(_)
            | CaseEvent::FinalReportSentToPanel(_)
            | CaseEvent::ReviewPublished(_)
            | CaseEvent::ReviewTakenDown(_)
            | CaseEvent::RecommendationAdded(_)
            | CaseEvent::RecommendationCompleted(_)
            | CaseEvent::CaseClosed(_)
            | CaseEvent::SarFamilyInvited(_)
            | CaseEvent::SarResumed(_)
            | CaseEvent::DhrSubmittedToHomeOffice(_)
            | CaseEvent::DhrDecisionNotifiedToHomeOffice(_)
            | CaseEvent::DhrQaOutcomeRecorded(_)
            | CaseEvent::DhrFamilyInvolvementRecorded(_)
            | CaseEvent::PanelNotificationCopied(_)
            | CaseEvent::LookedAfterDeathNotified(_)
            | CaseEvent::ReconsiderationReached(_)
            | CaseEvent::ImprovementsInformationSentToPanel(_)
            | CaseEvent::ImprovementsInformationPublished(_)
            | CaseEvent::PracticeReviewCopiedToOfsted(_)
            | CaseEvent::PersonalDataErased(_)
            | CaseEvent::LearningDisseminated(_)
            // Action plans are written without personal data, as recommendations are.
            | CaseEvent::ActionAdded(_)
            | CaseEvent::ActionProgressRecorded(_)
            | CaseEvent::ActionCompleted(_)
            | CaseEvent::ActionPlanSignedOff(_)
            | CaseEvent::ImpactReviewed(_)
            // An audit holds no personal data: its findings are written in aggregate.
            | CaseEvent::AuditCommissioned(_)
            | CaseEvent::AuditFindingsRecorded(_) => None,
        }
    }
}
