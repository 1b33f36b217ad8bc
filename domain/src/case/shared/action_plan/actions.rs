//! The actions of a plan: added by an owner of the recommendation (or the business manager),
//! updated and completed by their own owners (or the business manager). Each step is its
//! command, its event, its decider and its fold.

use super::{
    Action, ActionPlan, Evidence, MAX_ACTIONS, MAX_EVIDENCE, MAX_EVIDENCE_LEN, MAX_OWNERS,
    MAX_TEXT_LEN, Rag,
};
use crate::case::decide::{
    Context, OrganisationList, check_organisations, check_text, occurred, once,
};
use crate::case::practice_review::Recommendation;
use crate::case::shared::decide::recommendations::check_due_on;
use crate::case::{Case, CaseEvent};
use crate::{DomainError, OrgSlug, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// AddAction: an action of a recommendation's plan, with the organisations that own it and
/// its due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddAction {
    /// The recommendation whose plan it joins.
    pub recommendation_id: Uuid,
    /// Its id, chosen by the edge.
    pub action_id: Uuid,
    /// What will be done (written without personal data).
    pub text: String,
    /// The organisations owning it, the lead first.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordActionProgress: an owner's update on an action, with its RAG status and evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordActionProgress {
    /// Which action.
    pub action_id: Uuid,
    /// The owner's assessment.
    pub rag: Rag,
    /// What has been done (written without personal data).
    pub note: String,
    /// Evidence of it.
    pub evidence: Vec<Evidence>,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteAction: an action was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteAction {
    /// Which action.
    pub action_id: Uuid,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// An action was added to a recommendation's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAdded {
    /// The recommendation.
    pub recommendation_id: Uuid,
    /// The action's id.
    pub action_id: Uuid,
    /// What will be done.
    pub text: String,
    /// The organisations that own it, the lead first; never empty, no repeats.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When it was added.
    pub occurred_at: DateTime<Utc>,
}

/// An owner's update on an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionProgressRecorded {
    /// The recommendation.
    pub recommendation_id: Uuid,
    /// The action.
    pub action_id: Uuid,
    /// The owner's assessment.
    pub rag: Rag,
    /// What has been done.
    pub note: String,
    /// Evidence of it.
    pub evidence: Vec<Evidence>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An action was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCompleted {
    /// The recommendation.
    pub recommendation_id: Uuid,
    /// The action.
    pub action_id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

pub(in crate::case) fn add_action(case: &Case, cmd: &AddAction, ctx: &Context<'_>) -> Decided {
    let recommendation = recommendation(case, cmd.recommendation_id)?;
    // OrganisationRule::RecommendationOwner: the owners of the recommendation draw up its plan.
    if !ctx.actor.has(Role::BusinessManager)
        && !recommendation.added.owners.contains(&ctx.actor.org)
    {
        return Err(DomainError::forbidden(
            "auth.own_organisation_only",
            "only an owner of the recommendation adds actions to its plan",
        ));
    }
    let plan = &recommendation.plan;
    once(
        plan.signed_off.as_ref(),
        "action_plan.signed_off",
        "the plan is signed off: it takes no more actions",
    )?;
    once(
        recommendation.completed_at,
        "recommendation.already_completed",
        "this recommendation is already completed: it takes no more actions",
    )?;
    once(
        find(case, cmd.action_id),
        "action.already_added",
        "an action with this id already exists",
    )?;
    if plan.actions.len() >= MAX_ACTIONS {
        return Err(DomainError::conflict(
            "action_plan.too_many_actions",
            format!("a plan has at most {MAX_ACTIONS} actions"),
        ));
    }
    check_text("text", &cmd.text, MAX_TEXT_LEN)?;
    check_organisations(ctx, &cmd.owners, OWNERS)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        recommendation.added.occurred_at,
        "the recommendation",
    )?;
    check_due_on(cmd.due_on, occurred_at, "action.due_in_past")?;
    Ok(vec![CaseEvent::ActionAdded(ActionAdded {
        recommendation_id: cmd.recommendation_id,
        action_id: cmd.action_id,
        text: cmd.text.trim().to_owned(),
        owners: cmd.owners.clone(),
        due_on: cmd.due_on,
        occurred_at,
    })])
}

/// An action's owners: as a recommendation's, with codes of their own.
const OWNERS: OrganisationList = OrganisationList {
    field: "owners",
    max: MAX_OWNERS,
    count_code: "action.owners_count",
    repeat_code: "action.owner_repeated",
};

pub(in crate::case) fn record_action_progress(
    case: &Case,
    cmd: &RecordActionProgress,
    ctx: &Context<'_>,
) -> Decided {
    let (recommendation_id, action) = owned_open_action(case, cmd.action_id, ctx)?;
    check_text("note", &cmd.note, MAX_TEXT_LEN)?;
    let evidence = checked_evidence(&cmd.evidence)?;
    let occurred_at = after_last_update(action, cmd.occurred_at, ctx)?;
    Ok(vec![CaseEvent::ActionProgressRecorded(
        ActionProgressRecorded {
            recommendation_id,
            action_id: cmd.action_id,
            rag: cmd.rag,
            note: cmd.note.trim().to_owned(),
            evidence,
            occurred_at,
        },
    )])
}

pub(in crate::case) fn complete_action(
    case: &Case,
    cmd: &CompleteAction,
    ctx: &Context<'_>,
) -> Decided {
    let (recommendation_id, action) = owned_open_action(case, cmd.action_id, ctx)?;
    let occurred_at = after_last_update(action, cmd.occurred_at, ctx)?;
    Ok(vec![CaseEvent::ActionCompleted(ActionCompleted {
        recommendation_id,
        action_id: cmd.action_id,
        occurred_at,
    })])
}

/// The recommendation, or `recommendation.not_found`.
pub(super) fn recommendation(case: &Case, id: Uuid) -> Result<&Recommendation, DomainError> {
    case.after
        .recommendations
        .get(&id)
        .ok_or_else(|| DomainError::not_found("recommendation.not_found", "no such recommendation"))
}

/// The action with this id and its recommendation's, in whichever plan of the case it is.
fn find(case: &Case, action_id: Uuid) -> Option<(Uuid, &Action)> {
    case.after
        .recommendations
        .iter()
        .find_map(|(id, r)| r.plan.actions.get(&action_id).map(|action| (*id, action)))
}

/// The action an update or a completion is about: it exists, the actor owns it (or is the
/// business manager: OrganisationRule::ActionOwner) and it is not done yet.
fn owned_open_action<'c>(
    case: &'c Case,
    action_id: Uuid,
    ctx: &Context<'_>,
) -> Result<(Uuid, &'c Action), DomainError> {
    let (recommendation_id, action) = find(case, action_id)
        .ok_or_else(|| DomainError::not_found("action.not_found", "no such action"))?;
    if !ctx.actor.has(Role::BusinessManager) && !action.added.owners.contains(&ctx.actor.org) {
        return Err(DomainError::forbidden(
            "auth.own_organisation_only",
            "only an owner of the action records its progress and completion",
        ));
    }
    once(
        action.completed_at,
        "action.already_completed",
        "this action is already completed",
    )?;
    Ok((recommendation_id, action))
}

/// When an update or a completion happened: never before the action's latest fact, its last
/// update or else its addition.
fn after_last_update(
    action: &Action,
    given: Option<DateTime<Utc>>,
    ctx: &Context<'_>,
) -> Result<DateTime<Utc>, DomainError> {
    let last = action
        .progress
        .last()
        .map_or(action.added.occurred_at, |p| p.occurred_at);
    occurred(given, ctx, last, "the action's last update")
}

/// The evidence of an update, trimmed: at most [`MAX_EVIDENCE`] pieces, each described, with
/// a web address or a document reference when given.
fn checked_evidence(evidence: &[Evidence]) -> Result<Vec<Evidence>, DomainError> {
    if evidence.len() > MAX_EVIDENCE {
        return Err(DomainError::invalid_field(
            "evidence",
            "evidence.too_many",
            format!("an update gives at most {MAX_EVIDENCE} pieces of evidence"),
        ));
    }
    evidence
        .iter()
        .enumerate()
        .map(|(n, piece)| {
            check_text(
                &format!("evidence[{n}].description"),
                &piece.description,
                MAX_EVIDENCE_LEN,
            )?;
            if let Some(link) = &piece.link
                && !is_web_address(link)
            {
                return Err(DomainError::invalid_field(
                    format!("evidence[{n}].link"),
                    "evidence.link_invalid",
                    format!(
                        "a link is an https or http address without spaces, at most \
                         {MAX_EVIDENCE_LEN} characters"
                    ),
                ));
            }
            if let Some(document) = &piece.document {
                check_text(
                    &format!("evidence[{n}].document"),
                    document,
                    MAX_EVIDENCE_LEN,
                )?;
            }
            Ok(Evidence {
                description: piece.description.trim().to_owned(),
                link: piece.link.clone(),
                document: piece.document.as_deref().map(|d| d.trim().to_owned()),
            })
        })
        .collect()
}

/// An `https` or `http` address with a host, without whitespace, of a sensible length.
fn is_web_address(link: &str) -> bool {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !link.chars().any(char::is_whitespace)
        && link.chars().count() <= MAX_EVIDENCE_LEN
}

/// `ActionAdded`.
pub(in crate::case) fn action_added(case: &mut Case, added: &ActionAdded) {
    case.involved.extend(added.owners.iter().cloned());
    with_plan(case, added.recommendation_id, |plan| {
        plan.actions.insert(
            added.action_id,
            Action {
                added: added.clone(),
                progress: Vec::new(),
                completed_at: None,
            },
        );
    });
}

/// `ActionProgressRecorded`.
pub(in crate::case) fn action_progress_recorded(case: &mut Case, update: &ActionProgressRecorded) {
    with_plan(case, update.recommendation_id, |plan| {
        if let Some(action) = plan.actions.get_mut(&update.action_id) {
            action.progress.push(update.clone());
        }
    });
}

/// `ActionCompleted`.
pub(in crate::case) fn action_completed(case: &mut Case, done: &ActionCompleted) {
    with_plan(case, done.recommendation_id, |plan| {
        if let Some(action) = plan.actions.get_mut(&done.action_id) {
            action.completed_at = Some(done.occurred_at);
        }
    });
}

/// Changes the plan of a recommendation the case has.
pub(super) fn with_plan(
    case: &mut Case,
    recommendation_id: Uuid,
    change: impl FnOnce(&mut ActionPlan),
) {
    if let Some(recommendation) = case.after.recommendations.get_mut(&recommendation_id) {
        change(&mut recommendation.plan);
    }
}
