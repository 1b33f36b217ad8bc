//! Which review process each stored event belongs to: the one place that sorts the flat,
//! stored `CaseEvent` (whose wire names never change) into the processes' own events. Each
//! process folds its events with an exhaustive match, so a new event must be placed here and
//! then handled by its process: nothing defaults silently.

use super::CaseEvent;
use super::adult::AdultEvent;
use super::child::ChildEvent;
use super::homicide::HomicideEvent;
use super::shared::SharedEvent;

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
