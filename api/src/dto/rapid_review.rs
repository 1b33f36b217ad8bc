//! Wire types of the rapid review and the partners' decision.

use super::same_enum;
use casetrail_domain::partnership;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One of the three statutory safeguarding partners.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    /// The local authority.
    LocalAuthority,
    /// The police.
    Police,
    /// Health.
    Health,
}
same_enum!(Partner => partnership::StatutoryPartner { LocalAuthority, Police, Health });

/// NamePartnerLead request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"partner": "police", "lead_name": "DI Sam Jones"}))]
pub struct NamePartnerLeadRequest {
    /// The partner naming its lead (a partner decision maker names only their own).
    pub partner: Partner,
    /// The lead's name (a member of staff).
    pub lead_name: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AgreeReviewLead request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lead_name": "Jo Patel", "organisation": "southend-council"}))]
pub struct AgreeReviewLeadRequest {
    /// The review lead/author's name (staff).
    pub lead_name: String,
    /// Their organisation's slug.
    pub organisation: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AgreeModifiedResponse request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rationale": "Early information shows a further review is highly likely; internal chronologies will be used."}))]
pub struct AgreeModifiedResponseRequest {
    /// Why internal documents are accepted instead of agency reports (sealed).
    pub rationale: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A command naming one organisation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation": "essex-police"}))]
pub struct OrganisationRequest {
    /// The organisation's slug.
    pub organisation: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SubmitAgencyReport request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organisation": "suhft",
    "involvement": "Emergency department attendance on 18 December.",
    "summary": "Injuries recorded; safeguarding referral made the same day.",
    "learning": "Body map not completed at triage."
}))]
pub struct SubmitAgencyReportRequest {
    /// The agency submitting: the user's own organisation.
    pub organisation: String,
    /// The agency's involvement with the child and family (sealed).
    pub involvement: String,
    /// Summary of what the agency knew and did (sealed).
    pub summary: String,
    /// Learning the agency has identified (sealed).
    pub learning: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// An agency report's content, as sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgencyReportContent {
    /// Involvement.
    pub involvement: String,
    /// Summary.
    pub summary: String,
    /// Learning.
    pub learning: String,
}

/// RecordRapidReviewMeeting request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "attendees": ["southend-council", "essex-police", "southend-ccg", "suhft"],
    "service_manager_present": true
}))]
pub struct RecordRapidReviewMeetingRequest {
    /// Organisations represented: must include the local authority, police and health.
    pub attendees: Vec<String>,
    /// Whether at least one service manager attended (required).
    pub service_manager_present: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::rapid_review::DraftMilestone;

pub use casetrail_domain::case::decision::ReviewDecision;

pub use casetrail_domain::case::decision::DecisionCriterion;

/// RecordPartnerDecision request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "partner": "police", "decision": "lcspr",
    "criteria": ["improvements_needed", "agencies_working_together"],
    "national_review_suggested": false,
    "rationale": "Information sharing between agencies before the incident needs examination."
}))]
pub struct RecordPartnerDecisionRequest {
    /// The voting partner: the user's own.
    pub partner: Partner,
    /// The vote.
    pub decision: ReviewDecision,
    /// Criteria met (required for `lcspr`).
    #[serde(default)]
    pub criteria: Vec<DecisionCriterion>,
    /// Whether a national review may be appropriate.
    #[serde(default)]
    pub national_review_suggested: bool,
    /// The rationale (sealed).
    pub rationale: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// An agency report's progress (its content is read separately by those who need it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyReportView {
    /// The agency.
    pub organisation: String,
    /// When requested.
    pub requested_at: DateTime<Utc>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Something an organisation did, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationActView {
    /// The organisation.
    pub organisation: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A partner's named lead.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartnerLeadView {
    /// The partner.
    pub partner: Partner,
    /// The lead's name.
    pub lead_name: String,
}

/// The agreed review lead.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewLeadView {
    /// Name.
    pub lead_name: String,
    /// Organisation.
    pub organisation: String,
}

/// A drafting step reached.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftView {
    /// The step.
    pub milestone: DraftMilestone,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The rapid review's progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RapidReviewView {
    /// Day 0, once known (`null` while waiting for the Panel notification).
    pub day0: Option<chrono::NaiveDate>,
    /// How day 0 is chosen: `panel_notification`, `became_aware` or `initiation`.
    #[schema(value_type = super::ClockStart)]
    pub clock_start: String,
    /// When initiated.
    pub initiated_at: DateTime<Utc>,
    /// When the partners were notified.
    pub partners_notified_at: Option<DateTime<Utc>>,
    /// Partners' leads.
    pub partner_leads: Vec<PartnerLeadView>,
    /// The review lead/author.
    pub review_lead: Option<ReviewLeadView>,
    /// When a modified response was agreed.
    pub modified_response_at: Option<DateTime<Utc>>,
    /// Agency reports.
    pub agency_reports: Vec<AgencyReportView>,
    /// When the reports were circulated.
    pub reports_circulated_at: Option<DateTime<Utc>>,
    /// When the meeting was held.
    pub meeting_held_at: Option<DateTime<Utc>>,
    /// Drafting steps reached.
    pub drafts: Vec<DraftView>,
    /// Comments returned on the draft.
    pub draft_comments: Vec<OrganisationActView>,
    /// Senior sign-offs.
    pub senior_sign_offs: Vec<OrganisationActView>,
    /// The Independent Advisor's sign-off.
    pub independent_sign_off_at: Option<DateTime<Utc>>,
    /// Submission to the Panel.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The partners' view on a national review, as submitted to the Panel (`null` before the
    /// submission, or when it was not recorded).
    pub national_review_may_be_appropriate: Option<bool>,
}

/// A partner's vote (the rationale is sealed and not shown here).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteView {
    /// The partner.
    pub partner: Partner,
    /// The vote.
    pub decision: ReviewDecision,
    /// Criteria met.
    pub criteria: Vec<DecisionCriterion>,
    /// Whether a national review may be appropriate.
    pub national_review_suggested: bool,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The partners' decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionView {
    /// The decision.
    pub decision: ReviewDecision,
    /// The partners whose agreement made it.
    pub agreed_by: Vec<Partner>,
    /// When it was reached.
    pub occurred_at: DateTime<Utc>,
}
