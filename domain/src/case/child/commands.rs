//! The child process's commands: notification, referral, rapid review, decision, Panel,
//! reconsideration and LCSPR; already parsed from the wire into domain types.

use crate::case::decision::{DecisionCriterion, ReviewDecision};
use crate::case::practice_review::ReconsideredOutcome;
use crate::case::rapid_review::DraftMilestone;
use crate::case::{AbuseOrNeglect, Harm, LocationBasis, SealedPersonalData};
use crate::partnership::StatutoryPartner;
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecordDraftMilestoneRequest, example = json!({"milestone": "first_draft_completed"}))
)]
#[serde(deny_unknown_fields)]
pub struct RecordDraftMilestone {
    /// The step reached; steps are recorded in order.
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecordPanelResponseRequest, example = json!({"agrees": false, "occurred_at": "2022-10-20T11:00:00Z"}))
)]
#[serde(deny_unknown_fields)]
pub struct RecordPanelResponse {
    /// Whether the Panel agrees with the partners' decision.
    pub agrees: bool,
    /// When the response was received, if not now.
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecordFamilyCommunicationRequest, example = json!({"in_person": true}))
)]
#[serde(deny_unknown_fields)]
pub struct RecordFamilyCommunication {
    /// Whether it was given in person through the practitioner working with the family.
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

/// WithholdPublication: the review will not be published; improvements are published instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithholdPublication {
    /// The justification, sealed by the edge.
    pub justification: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SubmitRapidReviewToPanel: the report and the partners' decision go to the Panel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = SubmitRapidReviewToPanelRequest, example = json!({"national_review_may_be_appropriate": false}))
)]
#[serde(deny_unknown_fields)]
pub struct SubmitRapidReviewToPanel {
    /// The partners' view, shared with the Panel in the submitted decision, on whether the case
    /// raises issues so complex or of such national importance that a national review may be
    /// appropriate.
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
