//! Wire types of a recommendation's action plan (docs/rules.md AP-1 to AP-5): the requests of
//! its five commands and the plan as the case shows it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The values of the plan are the domain's own: their schemas derive from them (feature
/// `openapi`), so no mirror can drift.
pub use casetrail_domain::case::shared::action_plan::{Evidence, PracticeChange, Rag};

/// AddAction request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "text": "Add the school nurse to the health visitors' handover checklist.",
    "owners": ["suhft", "southend-schools"], "due_on": "2023-06-30"}))]
pub struct AddActionRequest {
    /// Your own id for the action (UUID), to know it up front; generated if absent.
    pub action_id: Option<Uuid>,
    /// What will be done (written without personal data).
    pub text: String,
    /// The organisations owning the action, the lead first (1 to 20, each once). The lead
    /// answers for its `action` deadline; every owner records progress and completion.
    pub owners: Vec<String>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordActionProgress request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "rag": "amber",
    "note": "Checklist drafted; sign-off by the named nurse is due next month.",
    "evidence": [{"description": "Draft checklist v2", "document": "SUHFT/SG/2023/014"}]}))]
pub struct RecordActionProgressRequest {
    /// The owner's assessment: red (off track), amber (at risk), green (on track).
    pub rag: Rag,
    /// What has been done (written without personal data).
    pub note: String,
    /// Evidence: each a description with a link or the owner's reference for a document it
    /// holds (documents are referred to, never uploaded). At most 20.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

use casetrail_domain::learning::MeetingGroup;

/// SignOffActionPlan request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"group": "practice_review"}))]
pub struct SignOffActionPlanRequest {
    /// The group of the partnership that owns the plan and signed it off.
    pub group: MeetingGroup,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// ReviewImpact request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "practice_changed": "partly_changed",
    "summary": "Multi-agency case sampling: the school nurse was told of 6 of 10 new births."}))]
pub struct ReviewImpactRequest {
    /// Has practice changed?
    pub practice_changed: PracticeChange,
    /// How it is known (an audit, a survey, case sampling), without personal data.
    pub summary: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Where an action stands: done, or the owner's latest RAG status, or not yet assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// No update yet.
    NotStarted,
    /// Off track.
    Red,
    /// At risk.
    Amber,
    /// On track.
    Green,
    /// Done.
    Complete,
}

/// An update on an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionProgressView {
    /// The owner's assessment.
    pub rag: Rag,
    /// What had been done.
    pub note: String,
    /// The evidence given.
    pub evidence: Vec<Evidence>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An action of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionView {
    /// Its id.
    pub action_id: Uuid,
    /// What will be done.
    pub text: String,
    /// The owning organisations, the lead first.
    pub owners: Vec<String>,
    /// When it is due (its `action` deadline, in `deadlines`).
    pub due_on: NaiveDate,
    /// Where it stands.
    pub status: ActionStatus,
    /// The updates, oldest first.
    pub progress: Vec<ActionProgressView>,
    /// When it was done.
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was added.
    pub added_at: DateTime<Utc>,
}

/// A review of a plan's impact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImpactReviewView {
    /// Has practice changed?
    pub practice_changed: PracticeChange,
    /// How it is known.
    pub summary: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A recommendation's action plan. An agency user sees the actions its organisation owns;
/// the partners, the business unit, the Independent Advisor and auditors see them all.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionPlanView {
    /// The actions the reader may see, in id order.
    pub actions: Vec<ActionView>,
    /// How many actions the plan has in all, those hidden from the reader included.
    pub actions_total: u32,
    /// The group that signed the plan off.
    pub signed_off_by: Option<MeetingGroup>,
    /// When it was signed off.
    pub signed_off_at: Option<DateTime<Utc>>,
    /// The reviews of its impact, oldest first: the latest answers whether practice changed.
    pub impact_reviews: Vec<ImpactReviewView>,
}
