//! Wire types of what follows the rapid review: the Panel's response, reconsideration, the
//! family, the LCSPR and its publication, recommendations and closure.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use casetrail_domain::case::practice_review::ReconsideredOutcome;

/// RecordReconsideredDecision request: one partner's reconsidered view.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"partner": "police", "outcome": "commission", "rationale": "Having considered the Panel's view, a local review will add learning."}))]
pub struct RecordReconsideredDecisionRequest {
    /// The partner whose view it is: the decision maker's own.
    pub partner: super::Partner,
    /// Adhere to the decision, commission a review (after a decision not to hold one), or
    /// withdraw a decision to hold one.
    pub outcome: ReconsideredOutcome,
    /// The partner's rationale (sealed).
    pub rationale: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::reconsideration::AdviceSubject;

/// RecordIndependentAdvice request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "reconsideration", "advice": "The Panel's points on information sharing are well made; a local review would add learning."}))]
pub struct RecordIndependentAdviceRequest {
    /// What the advice is about.
    pub subject: AdviceSubject,
    /// The advice (sealed).
    pub advice: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SendReconsiderationToPanel request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"justification": "Having considered the Panel's view, the partners agree a local review will add learning."}))]
pub struct SendReconsiderationToPanelRequest {
    /// The written justification sent to the Panel (sealed).
    pub justification: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A partner's reconsidered view (the rationale is sealed and not shown here).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReconsideredViewView {
    /// The partner.
    pub partner: super::Partner,
    /// Its view.
    pub outcome: ReconsideredOutcome,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// CommissionPracticeReview request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reviewer": "Dr A. Reviewer (independent)", "terms_of_reference": "How agencies shared information in the six months before the incident."}))]
pub struct CommissionPracticeReviewRequest {
    /// The reviewer, independent of the case.
    pub reviewer: String,
    /// Terms of reference (sealed).
    pub terms_of_reference: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// ApprovePublicationDelay request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new_due_on": "2023-09-30", "reasons": "Criminal proceedings are ongoing."}))]
pub struct ApprovePublicationDelayRequest {
    /// The new day by which to publish (later than the current one).
    pub new_due_on: NaiveDate,
    /// The reasons notified to the Panel (sealed).
    pub reasons: String,
    /// When the Strategic Leadership Group approved it, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// WithholdPublication request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"justification": "Publication would identify the child's siblings; improvements are published instead."}))]
pub struct WithholdPublicationRequest {
    /// The justification set out for the Panel and the Secretary of State (sealed).
    pub justification: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AddRecommendation request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Police and council review their joint protocol for sharing information about domestic abuse incidents where children are present.", "owners": ["essex-police", "southend-council"], "due_on": "2023-06-30"}))]
pub struct AddRecommendationRequest {
    /// Your own id for the recommendation (UUID), to know it up front; generated if absent.
    pub recommendation_id: Option<Uuid>,
    /// What is recommended (written for publication: no personal data).
    pub text: String,
    /// The organisations owning the action jointly, the lead first (1 to 20, each once). The
    /// lead answers for the deadline; every owner may record the completion.
    #[schema(example = json!(["essex-police", "southend-council"]))]
    pub owners: Option<Vec<String>>,
    /// The one organisation owning the action: the same as `owners` with one entry. Send
    /// `owner` or `owners`, not both.
    #[schema(example = "suhft")]
    pub owner: Option<String>,
    /// When the action is due.
    pub due_on: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::practice_review::ClosureReason;

/// CloseCase request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "review_published"}))]
pub struct CloseCaseRequest {
    /// Why.
    pub reason: ClosureReason,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A recommendation and its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationView {
    /// Its id.
    pub recommendation_id: Uuid,
    /// What is recommended.
    pub text: String,
    /// The lead owner: the organisation answerable for the deadline.
    pub owner: String,
    /// Every owning organisation, the lead first.
    pub owners: Vec<String>,
    /// When due.
    pub due_on: NaiveDate,
    /// When completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Its action plan.
    pub plan: super::ActionPlanView,
}

/// The LCSPR's progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PracticeReviewView {
    /// The reviewer.
    pub reviewer: String,
    /// When commissioned.
    pub commissioned_at: DateTime<Utc>,
    /// Approved delays: the new due days, in order.
    pub delayed_to: Vec<NaiveDate>,
    /// When the final report went to the Panel.
    pub report_sent_at: Option<DateTime<Utc>>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// Where published.
    pub url: Option<String>,
    /// When publication was withheld.
    pub withheld_at: Option<DateTime<Utc>>,
    /// When the published report was taken down from the website.
    pub taken_down_at: Option<DateTime<Utc>>,
    /// Publication withheld: when the improvements information went to the Panel and the
    /// Secretary of State.
    pub improvements_sent_at: Option<DateTime<Utc>>,
    /// Publication withheld: when the improvements information was published.
    pub improvements_published_at: Option<DateTime<Utc>>,
    /// When the report or the improvements information went to Ofsted.
    pub ofsted_copy_at: Option<DateTime<Utc>>,
}

/// What followed the rapid review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AfterReviewView {
    /// Whether the Panel agreed (`null` until it responds).
    pub panel_agrees: Option<bool>,
    /// When the Panel responded.
    pub panel_responded_at: Option<DateTime<Utc>>,
    /// The reconsidered decision (two partners agreeing), when the Panel disagreed.
    pub reconsidered_outcome: Option<ReconsideredOutcome>,
    /// Each partner's reconsidered view.
    pub reconsidered_views: Vec<ReconsideredViewView>,
    /// When the reconsidered decision's justification went to the Panel.
    pub reconsideration_sent_at: Option<DateTime<Utc>>,
    /// Whether the family was told in person (`null` until recorded).
    pub family_told_in_person: Option<bool>,
    /// The LCSPR.
    pub practice_review: Option<PracticeReviewView>,
    /// Recommendations.
    pub recommendations: Vec<RecommendationView>,
    /// Why the case was closed.
    pub closure_reason: Option<ClosureReason>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
}
