//! Commands on a case, already parsed from the wire into domain types.

use super::adult_review::{SafeguardingPrinciple, SarDecision};
use super::decision::{DecisionCriterion, ReviewDecision};
use super::homicide_review::{FamilyInvolvement, QaOutcome, Relationship};
use super::practice_review::{ClosureReason, ReconsideredOutcome};
use super::rapid_review::DraftMilestone;
use super::{AbuseOrNeglect, Harm, LocationBasis, SealedPersonalData};
use crate::partnership::StatutoryPartner;
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// What the notifier or referrer knows of the child (identifying details are sealed
/// separately; the date of birth is used here only to derive the age band).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildDetails {
    /// Pseudonymous reference.
    pub reference: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
    /// Looked after.
    pub looked_after: bool,
    /// Child protection plan.
    pub child_protection_plan: bool,
}

/// ReferCaseForConsideration: any organisation asks the partners to consider a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferCaseForConsideration {
    /// Id for the new case, chosen by the edge.
    pub case_id: CaseId,
    /// The child.
    pub child: ChildDetails,
    /// Names, date of birth and the reasons for the referral, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// NotifyIncident: the local authority notifies a serious incident (domain.md step 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyIncident {
    /// Id for the new case, chosen by the caller (the HTTP edge).
    pub case_id: CaseId,
    /// The child.
    pub child: ChildDetails,
    /// Names, date of birth and summary, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// Incident date.
    pub incident_date: NaiveDate,
    /// Date the local authority became aware.
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
    /// When it happened, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordPanelNotification: the Panel was notified (domain.md step 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPanelNotification {
    /// The Panel's reference.
    pub panel_reference: String,
    /// The day it was submitted.
    pub submitted_on: NaiveDate,
    /// When it happened, if not now (must fall on `submitted_on`).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A command that records only that something happened, and when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct At {
    /// When it happened, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// NamePartnerLead: a partner names its lead for the rapid review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePartnerLead {
    /// The partner.
    pub partner: StatutoryPartner,
    /// The lead's name (staff).
    pub lead_name: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AgreeReviewLead: the review lead/author is agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreeReviewLead {
    /// The lead's name (staff).
    pub lead_name: String,
    /// The lead's organisation.
    pub organisation: OrgSlug,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AgreeModifiedResponse: internal documents accepted instead of agency reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreeModifiedResponse {
    /// Why, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A command naming one organisation (request a report, comments, sign-off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForOrganisation {
    /// The organisation.
    pub organisation: OrgSlug,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SubmitAgencyReport: an agency's report for the rapid review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitAgencyReport {
    /// The agency (must be the actor's own organisation).
    pub organisation: OrgSlug,
    /// Involvement, summary and learning, sealed by the edge.
    pub report: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordRapidReviewMeeting: the day-8 meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRapidReviewMeeting {
    /// Organisations present.
    pub attendees: Vec<OrgSlug>,
    /// Whether a service manager was present.
    pub service_manager_present: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDraftMilestone: a drafting step reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDraftMilestone {
    /// Which.
    pub milestone: DraftMilestone,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordPartnerDecision: one partner's vote on an LCSPR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPartnerDecision {
    /// The partner voting (must be the actor's own).
    pub partner: StatutoryPartner,
    /// The vote.
    pub decision: ReviewDecision,
    /// Criteria met.
    pub criteria: Vec<DecisionCriterion>,
    /// Whether a national review may be appropriate.
    pub national_review_suggested: bool,
    /// The rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordPanelResponse: the national Panel agreed or disagreed with the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPanelResponse {
    /// Whether the Panel agrees.
    pub agrees: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordReconsideredDecision: one partner's decision maker's reconsidered view after the
/// Panel disagreed; two of the three agreeing decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordReconsideredDecision {
    /// The partner whose view it is (the actor's own).
    pub partner: StatutoryPartner,
    /// Adhere to the decision, commission a review, or withdraw a decision to hold one.
    pub outcome: ReconsideredOutcome,
    /// The partner's rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordFamilyCommunication: the outcome and rationale given to the child or family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFamilyCommunication {
    /// In person through the practitioner working with the family.
    pub in_person: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionPracticeReview: the LCSPR is commissioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionPracticeReview {
    /// The reviewer.
    pub reviewer: String,
    /// Terms of reference, sealed by the edge.
    pub terms_of_reference: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// ApprovePublicationDelay: the Strategic Leadership Group approved a later publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovePublicationDelay {
    /// The new day by which to publish.
    pub new_due_on: NaiveDate,
    /// The reasons notified to the Panel, sealed by the edge.
    pub reasons: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// PublishReview: the review was published on the partnership's website.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishReview {
    /// Where.
    pub url: Option<String>,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// WithholdPublication: the review will not be published; improvements are published instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithholdPublication {
    /// The justification, sealed by the edge.
    pub justification: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AddRecommendation: a recommendation of the review with its owner and due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRecommendation {
    /// Its id, chosen by the edge.
    pub recommendation_id: Uuid,
    /// What is recommended (for publication, without personal data).
    pub text: String,
    /// The organisations owning the action, the lead first.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteRecommendation: a recommendation's action was completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteRecommendation {
    /// Which.
    pub recommendation_id: Uuid,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CloseCase: the case is closed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseCase {
    /// Why.
    pub reason: ClosureReason,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// What the referrer or notifier knows of an adult or a victim (identifying details are sealed
/// separately; the date of birth is used here only to derive the age band).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    /// Pseudonymous reference.
    pub reference: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
}

/// ReferSafeguardingAdultReview: an organisation asks the Safeguarding Adults Board to consider
/// a safeguarding adult review (Care Act 2014 s44).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferSafeguardingAdultReview {
    /// Id for the new case, chosen by the edge.
    pub case_id: CaseId,
    /// The adult.
    pub adult: PersonDetails,
    /// Names, date of birth and the concerns, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// Whether the adult has needs for care and support.
    pub care_and_support_needs: bool,
    /// Whether the adult died.
    pub adult_died: bool,
    /// The day the adult died (required when the adult died, absent otherwise).
    pub date_of_death: Option<NaiveDate>,
    /// Whether abuse or neglect is known or suspected.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For an adult who died, whether the death resulted from the abuse or neglect (absent for
    /// a living adult).
    pub death_resulted_from_abuse_or_neglect: Option<bool>,
    /// For a living adult, whether the abuse or neglect was serious (absent when the adult died).
    pub serious_abuse_or_neglect: Option<bool>,
    /// For a living adult, the day of the abuse or neglect (required then, absent when the
    /// adult died).
    pub abuse_or_neglect_date: Option<NaiveDate>,
    /// Whether there is concern about how agencies worked together.
    pub joint_working_concern: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordSarDecision: the Board decided whether to hold a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSarDecision {
    /// The decision.
    pub decision: SarDecision,
    /// The rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionSar: the review is commissioned from a reviewer independent of the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionSar {
    /// The reviewer's name.
    pub reviewer: String,
    /// The reviewer's organisation, when one of the partnership's.
    pub reviewer_organisation: Option<OrgSlug>,
    /// Terms of reference, sealed by the edge.
    pub terms_of_reference: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// PauseSar: the review stops (e.g. for court proceedings); its clock stops with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseSar {
    /// Why, sealed by the edge.
    pub reason: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteSar: the review is completed, with findings against the six principles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteSar {
    /// The principles under which there are findings.
    pub principles_with_findings: Vec<SafeguardingPrinciple>,
    /// The findings, sealed by the edge.
    pub findings: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// NotifyDomesticHomicide: a death that may be a domestic homicide is notified to the partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyDomesticHomicide {
    /// Id for the new case, chosen by the edge.
    pub case_id: CaseId,
    /// The victim.
    pub victim: PersonDetails,
    /// Names, date of birth and the summary, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// The day the victim died.
    pub date_of_death: NaiveDate,
    /// How the person suspected of causing the death stood to the victim (s9(1)).
    pub relationship: Relationship,
    /// Whether the death has (`known`) or appears to have (`suspected`) resulted from
    /// violence, abuse or neglect by that person.
    pub violence_abuse_or_neglect: AbuseOrNeglect,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrQaOutcome: the Home Office quality assurance panel answered the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDhrQaOutcome {
    /// The panel's outcome.
    pub outcome: QaOutcome,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrFamilyInvolvement: a step of the victim's family's involvement in the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDhrFamilyInvolvement {
    /// Which step.
    pub involvement: FamilyInvolvement,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrDecision: whether to conduct a domestic homicide review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDhrDecision {
    /// Whether a review is conducted.
    pub conduct_review: bool,
    /// The rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionDhr: the review is commissioned from an independent chair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionDhr {
    /// The independent chair.
    pub chair: String,
    /// Terms of reference, sealed by the edge.
    pub terms_of_reference: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteDhr: the overview report is completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteDhr {
    /// The overview report's summary and findings, sealed by the edge.
    pub overview: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SubmitRapidReviewToPanel: the report and the partners' decision go to the Panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitRapidReviewToPanel {
    /// The partners' view on whether a national review may be appropriate.
    pub national_review_may_be_appropriate: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordIndependentAdvice: the Independent Advisor's advice to the partners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIndependentAdvice {
    /// What it is about.
    pub subject: crate::case::reconsideration::AdviceSubject,
    /// The advice, sealed.
    pub advice: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SendReconsiderationToPanel: the reconsidered decision's written justification went to the
/// Panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReconsiderationToPanel {
    /// The justification, sealed.
    pub justification: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

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
