//! Recommendations, whichever review made them: added with their owners, completed by an
//! owner (or the business manager for any).

use crate::calendar::local_date;
use crate::case::commands::{AddRecommendation, CompleteRecommendation};
use crate::case::decide::{
    Context, OrganisationList, check_organisations, check_text, occurred, once,
};
use crate::case::practice_review::{RecommendationAdded, RecommendationCompleted};
use crate::case::{Case, CaseEvent, CaseKind};
use crate::{DomainError, Role};
use chrono::{DateTime, NaiveDate, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest recommendation accepted.
const MAX_RECOMMENDATION_LEN: usize = 5_000;
/// Owners of one recommendation at most: a partnership has some twenty organisations.
const MAX_OWNERS: usize = 20;

pub(in crate::case) fn add_recommendation(
    case: &Case,
    cmd: &AddRecommendation,
    ctx: &Context<'_>,
) -> Decided {
    // Recommendations come from a review (the rapid review, or a commissioned SAR or DHR) or
    // from an audit's findings.
    let review_started_at = case
        .rapid_review
        .as_ref()
        .map(|r| r.initiated_at)
        .or_else(|| {
            let sar = case.sar.as_ref()?.commissioned.as_ref();
            sar.map(|c| c.occurred_at)
        })
        .or_else(|| {
            let dhr = case.dhr.as_ref()?.commissioned.as_ref();
            dhr.map(|c| c.occurred_at)
        })
        .or_else(|| {
            let findings = case.audit.as_ref()?.findings.as_ref();
            findings.map(|f| f.occurred_at)
        })
        .ok_or_else(|| match case.kind {
            CaseKind::Child => DomainError::conflict(
                "rapid_review.not_started",
                "recommendations come from a review",
            ),
            CaseKind::Adult | CaseKind::DomesticHomicide => DomainError::conflict(
                "review.not_commissioned",
                "recommendations come from a commissioned review",
            ),
            CaseKind::Audit => DomainError::conflict(
                "audit.no_findings",
                "an audit's recommendations follow its findings",
            ),
        })?;
    once(
        case.after.recommendations.get(&cmd.recommendation_id),
        "recommendation.already_added",
        "a recommendation with this id already exists",
    )?;
    check_text("text", &cmd.text, MAX_RECOMMENDATION_LEN)?;
    check_organisations(ctx, &cmd.owners, OWNERS)?;
    let occurred_at = occurred(cmd.occurred_at, ctx, review_started_at, "the review")?;
    check_due_on(cmd.due_on, occurred_at, "recommendation.due_in_past")?;
    Ok(vec![CaseEvent::RecommendationAdded(RecommendationAdded {
        recommendation_id: cmd.recommendation_id,
        text: cmd.text.trim().to_owned(),
        owners: cmd.owners.clone(),
        due_on: cmd.due_on,
        occurred_at,
    })])
}

/// A due day not before the day the recommendation or action is made, in London.
pub(in crate::case) fn check_due_on(
    due_on: NaiveDate,
    made_at: DateTime<Utc>,
    code: &'static str,
) -> Result<(), DomainError> {
    if due_on < local_date(made_at) {
        return Err(DomainError::invalid_field(
            "due_on",
            code,
            "due_on must not be before the day it is made",
        ));
    }
    Ok(())
}

const OWNERS: OrganisationList = OrganisationList {
    field: "owners",
    max: MAX_OWNERS,
    count_code: "recommendation.owners_count",
    repeat_code: "recommendation.owner_repeated",
};

pub(in crate::case) fn complete_recommendation(
    case: &Case,
    cmd: &CompleteRecommendation,
    ctx: &Context<'_>,
) -> Decided {
    let recommendation = case
        .after
        .recommendations
        .get(&cmd.recommendation_id)
        .ok_or_else(|| {
            DomainError::not_found("recommendation.not_found", "no such recommendation")
        })?;
    // OrganisationRule::RecommendationOwner: an owner records the action it shares; the
    // business manager may record it for anyone.
    if !ctx.actor.has(Role::BusinessManager)
        && !recommendation.added.owners.contains(&ctx.actor.org)
    {
        return Err(DomainError::forbidden(
            "auth.own_organisation_only",
            "only an owner of the recommendation records its completion",
        ));
    }
    once(
        recommendation.completed_at,
        "recommendation.already_completed",
        "this recommendation is already completed",
    )?;
    // A recommendation with a plan is carried out by its actions: it is complete once they are.
    if !recommendation.plan.all_done() {
        return Err(DomainError::conflict(
            "recommendation.actions_open",
            "a recommendation is completed once every action of its plan is completed",
        ));
    }
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        recommendation.added.occurred_at,
        "the recommendation",
    )?;
    Ok(vec![CaseEvent::RecommendationCompleted(
        RecommendationCompleted {
            recommendation_id: cmd.recommendation_id,
            occurred_at,
        },
    )])
}
