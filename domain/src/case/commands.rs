//! The catalogue of commands on a case: one entry per command, with its payload (each
//! process's own in its module), the decider that judges it and who may send it. A new command
//! is one entry here; the enum, its names, the dispatch and the rules read by the decider, the
//! next steps, the OpenAPI description and `docs/access-control.md` all come from the entry.

mod declare;

pub use super::adult::commands::*;
pub use super::child::commands::*;
pub use super::homicide::commands::*;
pub use super::shared::commands::*;

use super::adult::decide as sar;
use super::audit;
use super::child::decide::{
    decision, notification, practice_review as after, rapid_review as rr, reconsideration,
};
use super::decide::{Context, admit};
use super::homicide::decide as dhr;
use super::policy::OrganisationRule::{
    ActionOwner, Any, LocalAuthority, OwnOrganisation, OwnPartner, RecommendationOwner, Registered,
    StatutoryPartner,
};
use super::policy::{Applies, CommandRule, authorise, rule};
use super::shared::action_plan as plan;
use super::shared::decide::{agency_reports, closure, erasure, publication, recommendations};
use super::shared::learning;
use super::{Case, CaseEvent};
use crate::case::CaseKind::{self, Adult, Audit, Child, DomesticHomicide};
use crate::partnership;
use crate::{DomainError, OrgSlug, Role};
use declare::case_commands;

const BM: Role = Role::BusinessManager;
const PDM: Role = Role::PartnerDecisionMaker;
const AGENCY: Role = Role::AgencyUser;
const IA: Role = Role::IndependentAdvisor;
const REVIEWER: Role = Role::Reviewer;
const NOTIFIER: Role = Role::Notifier;
const ADMIN: Role = Role::Admin;

const CHILD: &[CaseKind] = &[Child];
const ADULT: &[CaseKind] = &[Adult];
const DHR: &[CaseKind] = &[DomesticHomicide];
/// Agency reports are asked for and given in a rapid review and in a safeguarding adult review.
const CHILD_OR_ADULT: &[CaseKind] = &[Child, Adult];
/// The reviews: published, and holding the personal data of whom they are about.
const REVIEWS: &[CaseKind] = &[Child, Adult, DomesticHomicide];
const AUDIT: &[CaseKind] = &[Audit];

case_commands! {
    // Opening a case.
    /// See [`NotifyIncident`].
    NotifyIncident(NotifyIncident) => notification::notify_incident,
        Opens(Child), [NOTIFIER], LocalAuthority;
    /// See [`ReferCaseForConsideration`].
    ReferCaseForConsideration(ReferCaseForConsideration) => notification::refer_case,
        Opens(Child), [AGENCY, PDM, NOTIFIER], Registered;
    /// See [`ReferSafeguardingAdultReview`].
    ReferSafeguardingAdultReview(ReferSafeguardingAdultReview) => sar::refer,
        Opens(Adult), [AGENCY, PDM, BM], Registered;
    /// See [`NotifyDomesticHomicide`].
    NotifyDomesticHomicide(NotifyDomesticHomicide) => dhr::notify,
        Opens(DomesticHomicide), [NOTIFIER, PDM, BM], Registered;
    // The child process: notification, rapid review, decision, Panel, LCSPR.
    /// See [`RecordPanelNotification`].
    RecordPanelNotification(RecordPanelNotification) => notification::record_panel_notification,
        To(CHILD), [NOTIFIER], LocalAuthority;
    /// A copy of the Panel notification went to the business manager.
    RecordPanelNotificationCopied(At) => notification::record_panel_notification_copied,
        To(CHILD), [NOTIFIER, BM], Any;
    /// The death of a looked-after child was notified to Ofsted and the Secretary of State.
    RecordLookedAfterDeathNotified(At) => notification::record_looked_after_death_notified,
        To(CHILD), [NOTIFIER], LocalAuthority;
    /// Starts the rapid review (business manager).
    InitiateRapidReview(At) => rr::initiate,
        To(CHILD), [BM], Any;
    /// The three partners were notified of the rapid review.
    RecordPartnersNotified(At) => rr::partners_notified,
        To(CHILD), [BM], Any;
    /// See [`NamePartnerLead`].
    NamePartnerLead(NamePartnerLead) => rr::name_partner_lead,
        To(CHILD), [PDM, BM], OwnPartner {
            business_manager_for_any: true,
            refusal: "a partner decision maker acts only for their own partner",
        };
    /// See [`AgreeReviewLead`].
    AgreeReviewLead(AgreeReviewLead) => rr::agree_review_lead,
        To(CHILD), [BM], Any;
    /// See [`AgreeModifiedResponse`].
    AgreeModifiedResponse(AgreeModifiedResponse) => rr::agree_modified_response,
        To(CHILD), [BM], Any;
    /// The reports were circulated to all involved.
    CirculateAgencyReports(At) => rr::circulate_reports,
        To(CHILD), [BM], Any;
    /// See [`RecordRapidReviewMeeting`].
    RecordRapidReviewMeeting(RecordRapidReviewMeeting) => rr::record_meeting,
        To(CHILD), [BM], Any;
    /// See [`RecordDraftMilestone`].
    RecordDraftMilestone(RecordDraftMilestone) => rr::record_draft_milestone,
        To(CHILD), [REVIEWER, BM], Any;
    /// An organisation returned its comments on the draft.
    SubmitDraftComments(ForOrganisation) => rr::submit_draft_comments,
        To(CHILD), [AGENCY, PDM], OwnOrganisation;
    /// An organisation's senior manager signed the report off.
    ConfirmSeniorSignOff(ForOrganisation) => rr::confirm_senior_sign_off,
        To(CHILD), [AGENCY, PDM], OwnOrganisation;
    /// The Independent Advisor signed the report off.
    SignOffRapidReview(At) => rr::independent_sign_off,
        To(CHILD), [IA], Any;
    /// See [`RecordPartnerDecision`].
    RecordPartnerDecision(RecordPartnerDecision) => decision::record_partner_decision,
        To(CHILD), [PDM], OwnPartner {
            business_manager_for_any: false,
            refusal: "a partner decision maker votes only for their own partner",
        };
    /// See [`SubmitRapidReviewToPanel`].
    SubmitRapidReviewToPanel(SubmitRapidReviewToPanel) => rr::submit_to_panel,
        To(CHILD), [BM, IA], Any;
    /// See [`RecordPanelResponse`].
    RecordPanelResponse(RecordPanelResponse) => after::record_panel_response,
        To(CHILD), [BM], Any;
    /// See [`RecordReconsideredDecision`].
    RecordReconsideredDecision(RecordReconsideredDecision) => reconsideration::record_reconsidered_decision,
        To(CHILD), [PDM], OwnPartner {
            business_manager_for_any: false,
            refusal: "a partner decision maker reconsiders only for their own partner",
        };
    /// See [`RecordIndependentAdvice`].
    RecordIndependentAdvice(RecordIndependentAdvice) => reconsideration::record_independent_advice,
        To(CHILD), [IA], Any;
    /// See [`SendReconsiderationToPanel`].
    SendReconsiderationToPanel(SendReconsiderationToPanel) => reconsideration::send_reconsideration_to_panel,
        To(CHILD), [BM, IA], Any;
    /// Publication withheld: the improvements information went to the Panel and the Secretary
    /// of State.
    RecordImprovementsInformationSentToPanel(At) => after::record_improvements_sent,
        To(CHILD), [BM], Any;
    /// Publication withheld: the improvements information was published.
    PublishImprovementsInformation(PublishReview) => after::publish_improvements_information,
        To(CHILD), [BM], Any;
    /// The report or the improvements information went to Ofsted.
    RecordCopySentToOfsted(At) => after::record_copy_sent_to_ofsted,
        To(CHILD), [BM], Any;
    /// See [`RecordFamilyCommunication`].
    RecordFamilyCommunication(RecordFamilyCommunication) => after::record_family_communication,
        To(CHILD), [BM], Any;
    /// See [`CommissionPracticeReview`].
    CommissionPracticeReview(CommissionPracticeReview) => after::commission_practice_review,
        To(CHILD), [BM], Any;
    /// See [`ApprovePublicationDelay`].
    ApprovePublicationDelay(ApprovePublicationDelay) => after::approve_publication_delay,
        To(CHILD), [BM], Any;
    /// The final report went to the Panel and the Secretary of State.
    RecordFinalReportSentToPanel(At) => after::record_final_report_sent,
        To(CHILD), [BM], Any;
    /// See [`WithholdPublication`].
    WithholdPublication(WithholdPublication) => after::withhold_publication,
        To(CHILD), [BM], Any;
    // Agency reports: a rapid review's and a safeguarding adult review's.
    /// Asks an agency for its report.
    RequestAgencyReport(ForOrganisation) => agency_reports::request,
        To(CHILD_OR_ADULT), [BM], Any;
    /// See [`SubmitAgencyReport`].
    SubmitAgencyReport(SubmitAgencyReport) => agency_reports::submit,
        To(CHILD_OR_ADULT), [AGENCY], OwnOrganisation;
    // The safeguarding adult review.
    /// See [`RecordSarDecision`].
    RecordSarDecision(RecordSarDecision) => sar::record_decision,
        To(ADULT), [BM, PDM], StatutoryPartner;
    /// See [`CommissionSar`].
    CommissionSar(CommissionSar) => sar::commission,
        To(ADULT), [BM], Any;
    /// The adult's family was invited to contribute to the review.
    RecordFamilyInvited(At) => sar::record_family_invited,
        To(ADULT), [BM], Any;
    /// See [`PauseSar`].
    PauseSar(PauseSar) => sar::pause,
        To(ADULT), [BM], Any;
    /// The paused review resumes.
    ResumeSar(At) => sar::resume,
        To(ADULT), [BM], Any;
    /// See [`CompleteSar`].
    CompleteSar(CompleteSar) => sar::complete,
        To(ADULT), [BM, REVIEWER], Any;
    // The domestic homicide review.
    /// See [`RecordDhrDecision`].
    RecordDhrDecision(RecordDhrDecision) => dhr::record_decision,
        To(DHR), [BM, PDM], StatutoryPartner;
    /// See [`CommissionDhr`].
    CommissionDhr(CommissionDhr) => dhr::commission,
        To(DHR), [BM], Any;
    /// See [`CompleteDhr`].
    CompleteDhr(CompleteDhr) => dhr::complete,
        To(DHR), [BM, REVIEWER], Any;
    /// The review was submitted to the Home Office quality assurance panel.
    SubmitDhrToHomeOffice(At) => dhr::submit_to_home_office,
        To(DHR), [BM], Any;
    /// The Home Office was told of the decision on a review (also a decision not to review).
    NotifyHomeOfficeOfDhrDecision(At) => dhr::notify_home_office,
        To(DHR), [BM], Any;
    /// See [`RecordDhrQaOutcome`].
    RecordDhrQaOutcome(RecordDhrQaOutcome) => dhr::record_qa_outcome,
        To(DHR), [BM], Any;
    /// See [`RecordDhrFamilyInvolvement`].
    RecordDhrFamilyInvolvement(RecordDhrFamilyInvolvement) => dhr::record_family_involvement,
        To(DHR), [BM], Any;
    // What every process shares: publication, recommendations, closure, erasure.
    /// See [`PublishReview`].
    PublishReview(PublishReview) => publication::publish,
        To(REVIEWS), [BM], Any;
    /// The published report was taken down from the website.
    RecordReviewTakenDown(At) => after::record_review_taken_down,
        To(REVIEWS), [BM], Any;
    /// See [`AddRecommendation`].
    AddRecommendation(AddRecommendation) => recommendations::add_recommendation,
        AnyKind, [BM, REVIEWER], Any;
    /// See [`CompleteRecommendation`].
    CompleteRecommendation(CompleteRecommendation) => recommendations::complete_recommendation,
        AnyKind, [AGENCY, PDM, BM], RecommendationOwner;
    // A recommendation's action plan (docs/rules.md AP-1 to AP-5).
    /// See [`plan::AddAction`].
    AddAction(plan::AddAction) => plan::add_action,
        AnyKind, [AGENCY, PDM, BM], RecommendationOwner;
    /// See [`plan::RecordActionProgress`].
    RecordActionProgress(plan::RecordActionProgress) => plan::record_action_progress,
        AnyKind, [AGENCY, PDM, BM], ActionOwner;
    /// See [`plan::CompleteAction`].
    CompleteAction(plan::CompleteAction) => plan::complete_action,
        AnyKind, [AGENCY, PDM, BM], ActionOwner;
    /// See [`plan::SignOffActionPlan`].
    SignOffActionPlan(plan::SignOffActionPlan) => plan::sign_off_action_plan,
        AnyKind, [BM], Any;
    /// See [`plan::ReviewImpact`].
    ReviewImpact(plan::ReviewImpact) => plan::review_impact,
        AnyKind, [BM], Any;
    /// See [`CloseCase`].
    CloseCase(CloseCase) => closure::close_case,
        AnyKind, [BM], Any;
    /// See [`learning::RecordLearningDisseminated`].
    RecordLearningDisseminated(learning::RecordLearningDisseminated) => learning::record,
        AnyKind, [BM], Any;
    /// See [`EraseCasePersonalData`].
    EraseCasePersonalData(super::erasure::EraseCasePersonalData) => erasure::erase_personal_data,
        To(REVIEWS), [ADMIN], Any;
    // Multi-agency audits (docs/rules.md AU-1 to AU-3).
    /// See [`audit::CommissionAudit`].
    CommissionAudit(audit::CommissionAudit) => audit::commission,
        Opens(Audit), [BM], Any;
    /// See [`audit::RecordAuditFindings`].
    RecordAuditFindings(audit::RecordAuditFindings) => audit::record_findings,
        To(AUDIT), [BM], Any;

}

/// Whom a command says it acts for, if anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActingFor<'a> {
    /// The organisation named in the command (`auth.own_organisation_only` unless the actor's).
    Organisation(&'a OrgSlug),
    /// The statutory partner named in the command (`auth.own_partner_only` unless the actor's).
    Partner(partnership::StatutoryPartner),
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
            | C::RecordCopySentToOfsted(_)
            | C::RecordLearningDisseminated(_)
            | C::AddAction(_)
            | C::RecordActionProgress(_)
            | C::CompleteAction(_)
            | C::SignOffActionPlan(_)
            | C::ReviewImpact(_)
            | C::CommissionAudit(_)
            | C::RecordAuditFindings(_) => ActingFor::Nobody,
        }
    }
}
