//! Commands on a case, already parsed from the wire into domain types: each process's own in
//! its module, joined here into the one `CaseCommand` the decider and the edge take.

pub use super::adult::commands::*;
pub use super::child::commands::*;
pub use super::homicide::commands::*;
pub use super::shared::commands::*;

use crate::OrgSlug;
use crate::partnership::StatutoryPartner;

/// Declares the command enum and its names (each also an OpenAPI operationId).
macro_rules! case_commands {
    ($($(#[$doc:meta])* $variant:ident($payload:ty)),* $(,)?) => {
        /// Any command on a case.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum CaseCommand {
            $($(#[$doc])* $variant($payload),)*
        }

        impl CaseCommand {
            /// Every command's name.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The command's name, which is also its OpenAPI operationId.
            pub fn name(&self) -> &'static str {
                match self {
                    $(CaseCommand::$variant(_) => stringify!($variant),)*
                }
            }
        }
    };
}

case_commands! {
    /// See [`NotifyIncident`].
    NotifyIncident(NotifyIncident),
    /// See [`ReferCaseForConsideration`].
    ReferCaseForConsideration(ReferCaseForConsideration),
    /// See [`RecordPanelNotification`].
    RecordPanelNotification(RecordPanelNotification),
    /// Starts the rapid review (business manager).
    InitiateRapidReview(At),
    /// The three partners were notified of the rapid review.
    RecordPartnersNotified(At),
    /// See [`NamePartnerLead`].
    NamePartnerLead(NamePartnerLead),
    /// See [`AgreeReviewLead`].
    AgreeReviewLead(AgreeReviewLead),
    /// See [`AgreeModifiedResponse`].
    AgreeModifiedResponse(AgreeModifiedResponse),
    /// Asks an agency for its report.
    RequestAgencyReport(ForOrganisation),
    /// See [`SubmitAgencyReport`].
    SubmitAgencyReport(SubmitAgencyReport),
    /// The reports were circulated to all involved.
    CirculateAgencyReports(At),
    /// See [`RecordRapidReviewMeeting`].
    RecordRapidReviewMeeting(RecordRapidReviewMeeting),
    /// See [`RecordDraftMilestone`].
    RecordDraftMilestone(RecordDraftMilestone),
    /// An organisation returned its comments on the draft.
    SubmitDraftComments(ForOrganisation),
    /// An organisation's senior manager signed the report off.
    ConfirmSeniorSignOff(ForOrganisation),
    /// The Independent Advisor signed the report off.
    SignOffRapidReview(At),
    /// See [`RecordPartnerDecision`].
    RecordPartnerDecision(RecordPartnerDecision),
    /// See [`SubmitRapidReviewToPanel`].
    SubmitRapidReviewToPanel(SubmitRapidReviewToPanel),
    /// See [`RecordPanelResponse`].
    RecordPanelResponse(RecordPanelResponse),
    /// See [`RecordReconsideredDecision`].
    RecordReconsideredDecision(RecordReconsideredDecision),
    /// See [`RecordFamilyCommunication`].
    RecordFamilyCommunication(RecordFamilyCommunication),
    /// See [`CommissionPracticeReview`].
    CommissionPracticeReview(CommissionPracticeReview),
    /// See [`ApprovePublicationDelay`].
    ApprovePublicationDelay(ApprovePublicationDelay),
    /// The final report went to the Panel and the Secretary of State.
    RecordFinalReportSentToPanel(At),
    /// See [`PublishReview`].
    PublishReview(PublishReview),
    /// See [`WithholdPublication`].
    WithholdPublication(WithholdPublication),
    /// The published report was taken down from the website.
    RecordReviewTakenDown(At),
    /// See [`AddRecommendation`].
    AddRecommendation(AddRecommendation),
    /// See [`CompleteRecommendation`].
    CompleteRecommendation(CompleteRecommendation),
    /// See [`CloseCase`].
    CloseCase(CloseCase),
    /// See [`EraseCasePersonalData`].
    EraseCasePersonalData(super::erasure::EraseCasePersonalData),
    /// See [`ReferSafeguardingAdultReview`].
    ReferSafeguardingAdultReview(ReferSafeguardingAdultReview),
    /// See [`RecordSarDecision`].
    RecordSarDecision(RecordSarDecision),
    /// See [`CommissionSar`].
    CommissionSar(CommissionSar),
    /// The adult's family was invited to contribute to the review.
    RecordFamilyInvited(At),
    /// See [`PauseSar`].
    PauseSar(PauseSar),
    /// The paused review resumes.
    ResumeSar(At),
    /// See [`CompleteSar`].
    CompleteSar(CompleteSar),
    /// See [`NotifyDomesticHomicide`].
    NotifyDomesticHomicide(NotifyDomesticHomicide),
    /// See [`RecordDhrDecision`].
    RecordDhrDecision(RecordDhrDecision),
    /// See [`CommissionDhr`].
    CommissionDhr(CommissionDhr),
    /// See [`CompleteDhr`].
    CompleteDhr(CompleteDhr),
    /// The review was submitted to the Home Office quality assurance panel.
    SubmitDhrToHomeOffice(At),
    /// The Home Office was told of the decision on a review (also a decision not to review).
    NotifyHomeOfficeOfDhrDecision(At),
    /// See [`RecordDhrQaOutcome`].
    RecordDhrQaOutcome(RecordDhrQaOutcome),
    /// See [`RecordDhrFamilyInvolvement`].
    RecordDhrFamilyInvolvement(RecordDhrFamilyInvolvement),
    /// A copy of the Panel notification went to the business manager.
    RecordPanelNotificationCopied(At),
    /// The death of a looked-after child was notified to Ofsted and the Secretary of State.
    RecordLookedAfterDeathNotified(At),
    /// See [`RecordIndependentAdvice`].
    RecordIndependentAdvice(RecordIndependentAdvice),
    /// See [`SendReconsiderationToPanel`].
    SendReconsiderationToPanel(SendReconsiderationToPanel),
    /// Publication withheld: the improvements information went to the Panel and the Secretary
    /// of State.
    RecordImprovementsInformationSentToPanel(At),
    /// Publication withheld: the improvements information was published.
    PublishImprovementsInformation(PublishReview),
    /// The report or the improvements information went to Ofsted.
    RecordCopySentToOfsted(At),
}

/// Whom a command says it acts for, if anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActingFor<'a> {
    /// The organisation named in the command (`auth.own_organisation_only` unless the actor's).
    Organisation(&'a OrgSlug),
    /// The statutory partner named in the command (`auth.own_partner_only` unless the actor's).
    Partner(StatutoryPartner),
    /// Nobody but the actor.
    Nobody,
}

impl CaseCommand {
    /// The organisation or statutory partner the command names as the one acting, which the
    /// organisation rule of [`crate::case::policy`] may require to be the actor's own.
    pub fn acting_for(&self) -> ActingFor<'_> {
        use CaseCommand as C;
        match self {
            C::SubmitAgencyReport(c) => ActingFor::Organisation(&c.organisation),
            C::SubmitDraftComments(c) | C::ConfirmSeniorSignOff(c) => {
                ActingFor::Organisation(&c.organisation)
            }
            C::NamePartnerLead(c) => ActingFor::Partner(c.partner),
            C::RecordPartnerDecision(c) => ActingFor::Partner(c.partner),
            C::RecordReconsideredDecision(c) => ActingFor::Partner(c.partner),
            // The organisation asked for a report is not the one acting.
            C::RequestAgencyReport(_)
            | C::NotifyIncident(_)
            | C::ReferCaseForConsideration(_)
            | C::RecordPanelNotification(_)
            | C::InitiateRapidReview(_)
            | C::RecordPartnersNotified(_)
            | C::AgreeReviewLead(_)
            | C::AgreeModifiedResponse(_)
            | C::CirculateAgencyReports(_)
            | C::RecordRapidReviewMeeting(_)
            | C::RecordDraftMilestone(_)
            | C::SignOffRapidReview(_)
            | C::SubmitRapidReviewToPanel(_)
            | C::RecordPanelResponse(_)
            | C::RecordFamilyCommunication(_)
            | C::CommissionPracticeReview(_)
            | C::ApprovePublicationDelay(_)
            | C::RecordFinalReportSentToPanel(_)
            | C::PublishReview(_)
            | C::WithholdPublication(_)
            | C::RecordReviewTakenDown(_)
            | C::AddRecommendation(_)
            | C::CompleteRecommendation(_)
            | C::CloseCase(_)
            | C::EraseCasePersonalData(_)
            | C::ReferSafeguardingAdultReview(_)
            | C::RecordSarDecision(_)
            | C::CommissionSar(_)
            | C::RecordFamilyInvited(_)
            | C::PauseSar(_)
            | C::ResumeSar(_)
            | C::CompleteSar(_)
            | C::NotifyDomesticHomicide(_)
            | C::RecordDhrDecision(_)
            | C::CommissionDhr(_)
            | C::CompleteDhr(_)
            | C::SubmitDhrToHomeOffice(_)
            | C::NotifyHomeOfficeOfDhrDecision(_)
            | C::RecordDhrQaOutcome(_)
            | C::RecordDhrFamilyInvolvement(_)
            | C::RecordPanelNotificationCopied(_)
            | C::RecordLookedAfterDeathNotified(_)
            | C::RecordIndependentAdvice(_)
            | C::SendReconsiderationToPanel(_)
            | C::RecordImprovementsInformationSentToPanel(_)
            | C::PublishImprovementsInformation(_)
            | C::RecordCopySentToOfsted(_) => ActingFor::Nobody,
        }
    }
}
