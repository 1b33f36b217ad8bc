//! The oversight of a plan by the group that owns it: its sign-off once every action is done,
//! and the reviews of impact that ask whether practice has changed. The business unit records
//! both for the group (the business manager coordinates the groups' action monitoring).

use super::actions::{recommendation, with_plan};
use super::{MAX_TEXT_LEN, PracticeChange};
use crate::DomainError;
use crate::case::decide::{Context, check_text, occurred, once};
use crate::case::{Case, CaseEvent};
use crate::learning::MeetingGroup;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// SignOffActionPlan: the group that owns the plan signed it off, every action done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffActionPlan {
    /// The recommendation whose plan it is.
    pub recommendation_id: Uuid,
    /// The group that signed it off.
    pub group: MeetingGroup,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// ReviewImpact: a review of the plan's impact found whether practice has changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewImpact {
    /// The recommendation whose plan it is.
    pub recommendation_id: Uuid,
    /// What it found.
    pub practice_changed: PracticeChange,
    /// How it knows (audit, survey, case sampling), written without personal data.
    pub summary: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The plan was signed off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlanSignedOff {
    /// The recommendation.
    pub recommendation_id: Uuid,
    /// By which group.
    pub group: MeetingGroup,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The plan's impact was reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactReviewed {
    /// The recommendation.
    pub recommendation_id: Uuid,
    /// Has practice changed?
    pub practice_changed: PracticeChange,
    /// How it knows.
    pub summary: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

pub(in crate::case) fn sign_off_action_plan(
    case: &Case,
    cmd: &SignOffActionPlan,
    ctx: &Context<'_>,
) -> Decided {
    let plan = &recommendation(case, cmd.recommendation_id)?.plan;
    once(
        plan.signed_off.as_ref(),
        "action_plan.already_signed_off",
        "this plan is already signed off",
    )?;
    if !plan.all_done() {
        return Err(DomainError::conflict(
            "action_plan.actions_open",
            "a plan is signed off once every action is completed",
        ));
    }
    // The plan is signed off when its work is done, and not before the last of it.
    let last_done = plan
        .actions
        .values()
        .filter_map(|action| action.completed_at)
        .max()
        .ok_or_else(|| {
            DomainError::conflict(
                "action_plan.empty",
                "a plan is signed off once it has actions, all of them done",
            )
        })?;
    let occurred_at = occurred(cmd.occurred_at, ctx, last_done, "the plan's last action")?;
    Ok(vec![CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
        recommendation_id: cmd.recommendation_id,
        group: cmd.group,
        occurred_at,
    })])
}

pub(in crate::case) fn review_impact(
    case: &Case,
    cmd: &ReviewImpact,
    ctx: &Context<'_>,
) -> Decided {
    let plan = &recommendation(case, cmd.recommendation_id)?.plan;
    let signed_off = plan.signed_off.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "action_plan.not_signed_off",
            "the impact of a plan is reviewed once the plan is signed off",
        )
    })?;
    check_text("summary", &cmd.summary, MAX_TEXT_LEN)?;
    // Impact is reviewed again as practice settles; each review comes after the last.
    let not_before = plan
        .impact_reviews
        .last()
        .map_or(signed_off.occurred_at, |r| r.occurred_at);
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        not_before,
        "the plan's sign-off or last review",
    )?;
    Ok(vec![CaseEvent::ImpactReviewed(ImpactReviewed {
        recommendation_id: cmd.recommendation_id,
        practice_changed: cmd.practice_changed,
        summary: cmd.summary.trim().to_owned(),
        occurred_at,
    })])
}

/// `ActionPlanSignedOff`.
pub(in crate::case) fn action_plan_signed_off(case: &mut Case, signed: &ActionPlanSignedOff) {
    with_plan(case, signed.recommendation_id, |plan| {
        plan.signed_off = Some(signed.clone());
    });
}

/// `ImpactReviewed`.
pub(in crate::case) fn impact_reviewed(case: &mut Case, reviewed: &ImpactReviewed) {
    with_plan(case, reviewed.recommendation_id, |plan| {
        plan.impact_reviews.push(reviewed.clone());
    });
}
