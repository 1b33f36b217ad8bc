//! The stored event of a case: one flat enum whose variant names are the stored type names
//! (never renamed), and the one place that sorts each into the review process it belongs to.
//! Each process folds its own events with an exhaustive match, so a new event is declared
//! here, placed in its process here, and handled by that process: nothing defaults silently.

use super::adult::AdultEvent;
use super::adult_review::{
    SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused, SarReferred,
};
use super::child::ChildEvent;
use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::homicide::HomicideEvent;
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
use super::shared::SharedEvent;
use super::{CaseReferred, IncidentNotified, PanelNotificationRecorded, SealedPersonalData};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Declares the event enum once: its variants, their stored type names (the variant names,
/// never renamed) and `occurred_at`.
macro_rules! case_events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty)),* $(,)?) => {
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
        }
    };
}

case_events! {
    /// The local authority notified a serious incident (opens a child case).
    IncidentNotified(IncidentNotified),
    /// An organisation referred a case for consideration (opens a child case).
    CaseReferred(CaseReferred),
    /// The local authority notified the national Panel.
    PanelNotificationRecorded(PanelNotificationRecorded),
    /// The business manager initiated the rapid review.
    RapidReviewInitiated(RapidReviewInitiated),
    /// The three safeguarding partners were notified of the rapid review (day 2).
    PartnersNotified(Occurred),
    /// A partner named its lead.
    PartnerLeadNamed(PartnerLeadNamed),
    /// The review lead/author was agreed.
    ReviewLeadAgreed(ReviewLeadAgreed),
    /// A modified response was agreed: internal documents instead of agency reports.
    ModifiedResponseAgreed(ModifiedResponseAgreed),
    /// An agency was asked for a report.
    AgencyReportRequested(OrganisationAct),
    /// An agency submitted its report (day 6, close of business).
    AgencyReportSubmitted(AgencyReportSubmitted),
    /// The business manager circulated the reports (day 7).
    AgencyReportsCirculated(Occurred),
    /// The rapid review meeting was held (day 8).
    RapidReviewMeetingHeld(RapidReviewMeetingHeld),
    /// A drafting step was reached (days 11 and 12).
    DraftMilestoneRecorded(DraftMilestoneRecorded),
    /// An organisation returned its comments on the draft (day 12, 15:00).
    DraftCommentsSubmitted(OrganisationAct),
    /// An organisation's senior manager signed the report off (day 13).
    SeniorSignOffConfirmed(OrganisationAct),
    /// The Independent Advisor signed the report off (day 14).
    RapidReviewSignedOff(Occurred),
    /// A safeguarding partner voted on holding an LCSPR.
    PartnerDecisionRecorded(PartnerDecisionRecorded),
    /// Two partners agreed: the decision.
    DecisionReached(DecisionReached),
    /// The rapid review was submitted to the Panel (day 15), with the partners' view on a
    /// national review.
    RapidReviewSubmittedToPanel(RapidReviewSubmitted),
    /// The national Panel responded to the rapid review.
    PanelResponseRecorded(PanelResponseRecorded),
    /// The partners reconsidered after the Panel disagreed.
    DecisionReconsidered(DecisionReconsidered),
    /// The outcome was communicated to the child or family.
    FamilyCommunicationRecorded(FamilyCommunicationRecorded),
    /// The LCSPR was commissioned.
    PracticeReviewCommissioned(PracticeReviewCommissioned),
    /// A delay to publication was approved.
    PublicationDelayApproved(PublicationDelayApproved),
    /// The final report went to the Panel and the Secretary of State.
    FinalReportSentToPanel(Occurred),
    /// The review was published.
    ReviewPublished(ReviewPublished),
    /// Publication was withheld.
    PublicationWithheld(PublicationWithheld),
    /// The published report was taken down from the website (a year after publication; it
    /// stays available on request).
    ReviewTakenDown(Occurred),
    /// A recommendation was added.
    RecommendationAdded(RecommendationAdded),
    /// A recommendation's action was completed.
    RecommendationCompleted(RecommendationCompleted),
    /// The case was closed.
    CaseClosed(CaseClosed),
    /// An organisation referred an adult for a safeguarding adult review (opens an adult case).
    SarReferred(SarReferred),
    /// The Safeguarding Adults Board decided on a review.
    SarDecisionRecorded(SarDecisionRecorded),
    /// The safeguarding adult review was commissioned.
    SarCommissioned(SarCommissioned),
    /// The adult's family was invited to contribute to the review.
    SarFamilyInvited(Occurred),
    /// The safeguarding adult review was paused.
    SarPaused(SarPaused),
    /// The safeguarding adult review resumed.
    SarResumed(Occurred),
    /// The safeguarding adult review was completed.
    SarCompleted(SarCompleted),
    /// A domestic homicide was notified (opens a domestic homicide case).
    DomesticHomicideNotified(DomesticHomicideNotified),
    /// The partnership decided whether to conduct a domestic homicide review.
    DhrDecisionRecorded(DhrDecisionRecorded),
    /// The domestic homicide review was commissioned.
    DhrCommissioned(DhrCommissioned),
    /// The domestic homicide review's overview report was completed.
    DhrCompleted(DhrCompleted),
    /// The review went to the Home Office quality assurance panel.
    DhrSubmittedToHomeOffice(Occurred),
    /// The Home Office was told of the decision on a domestic homicide review.
    DhrDecisionNotifiedToHomeOffice(Occurred),
    /// The Home Office quality assurance panel answered the submitted review.
    DhrQaOutcomeRecorded(DhrQaOutcomeRecorded),
    /// A step of the victim's family's involvement in the domestic homicide review.
    DhrFamilyInvolvementRecorded(DhrFamilyInvolvementRecorded),
    /// A copy of the Panel notification went to the business manager.
    PanelNotificationCopied(Occurred),
    /// The death of a looked-after child was notified to Ofsted and the Secretary of State.
    LookedAfterDeathNotified(Occurred),
    /// The Independent Advisor advised the partners' decision makers.
    IndependentAdviceRecorded(IndependentAdviceRecorded),
    /// A partner's decision maker recorded its reconsidered view.
    ReconsideredViewRecorded(ReconsideredViewRecorded),
    /// Two partners' reconsidered views agreed: the reconsidered decision.
    ReconsiderationReached(ReconsiderationReached),
    /// The reconsidered decision's written justification went to the Panel.
    ReconsiderationSentToPanel(ReconsiderationSentToPanel),
    /// Publication withheld: the improvements information went to the Panel and the Secretary
    /// of State.
    ImprovementsInformationSentToPanel(Occurred),
    /// Publication withheld: the improvements information was published instead.
    ImprovementsInformationPublished(ReviewPublished),
    /// The LCSPR report, or the improvements information, went to Ofsted.
    PracticeReviewCopiedToOfsted(Occurred),
    /// The case's personal data was erased (its key destroyed).
    PersonalDataErased(super::erasure::PersonalDataErased),
}

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
            | CaseEvent::PersonalDataErased(_) => None,
        }
    }
}

/// A stored event, seen as a fact of one review process.
#[derive(Debug, Clone, Copy)]
pub enum ProcessEvent<'a> {
    /// A fact opening a case: folded from nothing by `Case::evolve`, never into a case.
    Opening,
    /// A step of the child process (notification, rapid review, decision, Panel, LCSPR).
    Child(ChildEvent<'a>),
    /// A step of a safeguarding adult review.
    Adult(AdultEvent<'a>),
    /// A step of a domestic homicide review.
    Homicide(HomicideEvent<'a>),
    /// What the processes share: agency reports, publication, recommendations, closure,
    /// erasure.
    Shared(SharedEvent<'a>),
}

impl CaseEvent {
    /// The event as a fact of its review process.
    pub fn by_process(&self) -> ProcessEvent<'_> {
        use ChildEvent as C;
        use ProcessEvent::{Adult, Child, Homicide, Shared};
        match self {
            CaseEvent::IncidentNotified(_)
            | CaseEvent::CaseReferred(_)
            | CaseEvent::SarReferred(_)
            | CaseEvent::DomesticHomicideNotified(_) => ProcessEvent::Opening,
            CaseEvent::PanelNotificationRecorded(e) => Child(C::PanelNotificationRecorded(e)),
            CaseEvent::PanelNotificationCopied(e) => Child(C::PanelNotificationCopied(e)),
            CaseEvent::LookedAfterDeathNotified(e) => Child(C::LookedAfterDeathNotified(e)),
            CaseEvent::RapidReviewInitiated(e) => Child(C::RapidReviewInitiated(e)),
            CaseEvent::PartnersNotified(e) => Child(C::PartnersNotified(e)),
            CaseEvent::PartnerLeadNamed(e) => Child(C::PartnerLeadNamed(e)),
            CaseEvent::ReviewLeadAgreed(e) => Child(C::ReviewLeadAgreed(e)),
            CaseEvent::ModifiedResponseAgreed(e) => Child(C::ModifiedResponseAgreed(e)),
            CaseEvent::AgencyReportsCirculated(e) => Child(C::AgencyReportsCirculated(e)),
            CaseEvent::RapidReviewMeetingHeld(e) => Child(C::RapidReviewMeetingHeld(e)),
            CaseEvent::DraftMilestoneRecorded(e) => Child(C::DraftMilestoneRecorded(e)),
            CaseEvent::DraftCommentsSubmitted(e) => Child(C::DraftCommentsSubmitted(e)),
            CaseEvent::SeniorSignOffConfirmed(e) => Child(C::SeniorSignOffConfirmed(e)),
            CaseEvent::RapidReviewSignedOff(e) => Child(C::RapidReviewSignedOff(e)),
            CaseEvent::PartnerDecisionRecorded(e) => Child(C::PartnerDecisionRecorded(e)),
            CaseEvent::DecisionReached(e) => Child(C::DecisionReached(e)),
            CaseEvent::RapidReviewSubmittedToPanel(e) => Child(C::RapidReviewSubmittedToPanel(e)),
            CaseEvent::PanelResponseRecorded(e) => Child(C::PanelResponseRecorded(e)),
            CaseEvent::DecisionReconsidered(e) => Child(C::DecisionReconsidered(e)),
            CaseEvent::IndependentAdviceRecorded(e) => Child(C::IndependentAdviceRecorded(e)),
            CaseEvent::ReconsideredViewRecorded(e) => Child(C::ReconsideredViewRecorded(e)),
            CaseEvent::ReconsiderationReached(e) => Child(C::ReconsiderationReached(e)),
            CaseEvent::ReconsiderationSentToPanel(e) => Child(C::ReconsiderationSentToPanel(e)),
            CaseEvent::FamilyCommunicationRecorded(e) => Child(C::FamilyCommunicationRecorded(e)),
            CaseEvent::PracticeReviewCommissioned(e) => Child(C::PracticeReviewCommissioned(e)),
            CaseEvent::PublicationDelayApproved(e) => Child(C::PublicationDelayApproved(e)),
            CaseEvent::FinalReportSentToPanel(e) => Child(C::FinalReportSentToPanel(e)),
            CaseEvent::PublicationWithheld(e) => Child(C::PublicationWithheld(e)),
            CaseEvent::ImprovementsInformationSentToPanel(e) => {
                Child(C::ImprovementsInformationSentToPanel(e))
            }
            CaseEvent::ImprovementsInformationPublished(e) => {
                Child(C::ImprovementsInformationPublished(e))
            }
            CaseEvent::PracticeReviewCopiedToOfsted(e) => Child(C::PracticeReviewCopiedToOfsted(e)),
            CaseEvent::SarDecisionRecorded(e) => Adult(AdultEvent::DecisionRecorded(e)),
            CaseEvent::SarCommissioned(e) => Adult(AdultEvent::Commissioned(e)),
            CaseEvent::SarFamilyInvited(e) => Adult(AdultEvent::FamilyInvited(e)),
            CaseEvent::SarPaused(e) => Adult(AdultEvent::Paused(e)),
            CaseEvent::SarResumed(e) => Adult(AdultEvent::Resumed(e)),
            CaseEvent::SarCompleted(e) => Adult(AdultEvent::Completed(e)),
            CaseEvent::DhrDecisionRecorded(e) => Homicide(HomicideEvent::DecisionRecorded(e)),
            CaseEvent::DhrCommissioned(e) => Homicide(HomicideEvent::Commissioned(e)),
            CaseEvent::DhrCompleted(e) => Homicide(HomicideEvent::Completed(e)),
            CaseEvent::DhrSubmittedToHomeOffice(e) => {
                Homicide(HomicideEvent::SubmittedToHomeOffice(e))
            }
            CaseEvent::DhrDecisionNotifiedToHomeOffice(e) => {
                Homicide(HomicideEvent::DecisionNotifiedToHomeOffice(e))
            }
            CaseEvent::DhrQaOutcomeRecorded(e) => Homicide(HomicideEvent::QaOutcomeRecorded(e)),
            CaseEvent::DhrFamilyInvolvementRecorded(e) => {
                Homicide(HomicideEvent::FamilyInvolvementRecorded(e))
            }
            CaseEvent::AgencyReportRequested(e) => Shared(SharedEvent::AgencyReportRequested(e)),
            CaseEvent::AgencyReportSubmitted(e) => Shared(SharedEvent::AgencyReportSubmitted(e)),
            CaseEvent::ReviewPublished(e) => Shared(SharedEvent::ReviewPublished(e)),
            CaseEvent::ReviewTakenDown(e) => Shared(SharedEvent::ReviewTakenDown(e)),
            CaseEvent::RecommendationAdded(e) => Shared(SharedEvent::RecommendationAdded(e)),
            CaseEvent::RecommendationCompleted(e) => {
                Shared(SharedEvent::RecommendationCompleted(e))
            }
            CaseEvent::CaseClosed(e) => Shared(SharedEvent::CaseClosed(e)),
            CaseEvent::PersonalDataErased(e) => Shared(SharedEvent::PersonalDataErased(e)),
        }
    }
}
