//! A recommendation's action plan (docs/rules.md AP-1 to AP-5): one endpoint per command,
//! addressed by the case and the recommendation or action it is about.

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `plan_command!`.
#![allow(missing_debug_implementations)]

use super::command;
use crate::dto::{
    AddActionRequest, RecordActionProgressRequest, ReviewImpactRequest, SignOffActionPlanRequest,
};
use crate::problem::ApiError;
use actix_web::post;
use casetrail_domain::OrgSlug;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::commands::At;
use casetrail_domain::case::shared::action_plan as plan;
use uuid::Uuid;

/// Declares a command on one recommendation or action of a case: its route, its OpenAPI
/// description and the body's turning into the command with the second path id.
macro_rules! plan_command {
    (
        $name:ident, $op:literal, $path:literal, $id:literal, $id_doc:literal, $summary:literal,
        $description:literal, $body:ident, |$value:ident, $id_value:ident| $convert:expr
    ) => {
        #[doc = $summary]
        #[utoipa::path(
            operation_id = $op,
            tag = "Learning",
            summary = $summary,
            description = $description,
            request_body = $body,
            params(("case_id" = Uuid, Path, description = "The case"),
                   ($id = Uuid, Path, description = $id_doc),
                   crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
            responses(
                (status = 200, description = "Recorded.", body = crate::dto::CommandAccepted,
                 headers(("ETag" = String, description = "The case's new version"))),
            ),
            security(("bearer" = []))
        )]
        #[post($path)]
        pub async fn $name(
            req: actix_web::HttpRequest,
            state: actix_web::web::Data<crate::state::AppState>,
            crate::auth::Authenticated(actor): crate::auth::Authenticated,
            path: actix_web::web::Path<(Uuid, Uuid)>,
            body: crate::extract::JsonBody<$body>,
        ) -> Result<actix_web::HttpResponse, ApiError> {
            let (case_id, $id_value) = path.into_inner();
            let case_id = casetrail_domain::CaseId::from_uuid(case_id);
            let input = command::CommandInput::authorised(&state, &actor, case_id, $op)?;
            let $value = body.value;
            let command: CaseCommand = $convert;
            input.run(&req, &body.request_hash, command).await
        }
    };
}

plan_command!(
    add_action,
    "AddAction",
    "/v1/cases/{case_id}/recommendations/{recommendation_id}/actions",
    "recommendation_id",
    "The recommendation whose plan the action joins",
    "Add an action to a recommendation's plan",
    "An action that carries the recommendation out, with the organisations that own it (the \
lead first) and its due date: an `action` deadline answered for by the lead owner, met by \
CompleteAction, breached like any other. Sent by an owner of the recommendation (or the business \
manager); refused once the recommendation is completed (`recommendation.already_completed`) or \
its plan signed off (`action_plan.signed_off`); at most 50 actions a plan. Send your own \
`action_id` to know it up front. Every owner becomes involved in the case. Accepted after the \
case's closure: the plan outlives it.",
    AddActionRequest,
    |body, recommendation_id| CaseCommand::AddAction(plan::AddAction {
        recommendation_id,
        action_id: body.action_id.unwrap_or_else(Uuid::now_v7),
        text: body.text,
        owners: owners(&body.owners)?,
        due_on: body.due_on,
        occurred_at: body.occurred_at,
    })
);

plan_command!(
    record_action_progress,
    "RecordActionProgress",
    "/v1/cases/{case_id}/actions/{action_id}/progress",
    "action_id",
    "The action",
    "Record progress on an action",
    "An owner's update on an action: its RAG status (`red` off track, `amber` at risk, `green` \
on track), what has been done, and evidence (a description with a link or the owner's reference \
for a document it holds; documents are referred to, never uploaded). Sent by an owner of the \
action (or the business manager); refused once the action is done (`action.already_completed`). \
Write it without personal data: it is read by every organisation that sees the action.",
    RecordActionProgressRequest,
    |body, action_id| CaseCommand::RecordActionProgress(plan::RecordActionProgress {
        action_id,
        rag: body.rag,
        note: body.note,
        evidence: body.evidence,
        occurred_at: body.occurred_at,
    })
);

plan_command!(
    complete_action,
    "CompleteAction",
    "/v1/cases/{case_id}/actions/{action_id}/completion",
    "action_id",
    "The action",
    "Complete an action",
    "An owner of the action (or the business manager) records it done, fulfilling its `action` \
deadline (late if after `due_on`). A recommendation with a plan is completed \
(CompleteRecommendation) once every action is.",
    At,
    |body, action_id| CaseCommand::CompleteAction(plan::CompleteAction {
        action_id,
        occurred_at: body.occurred_at,
    })
);

plan_command!(
    sign_off_action_plan,
    "SignOffActionPlan",
    "/v1/cases/{case_id}/recommendations/{recommendation_id}/sign-off",
    "recommendation_id",
    "The recommendation whose plan it is",
    "Sign a recommendation's action plan off",
    "The group of the partnership that owns the plan (the Safeguarding Practice Review Group \
for a review's, say) signed it off: the business manager records it, once the plan has actions \
and every one is done (`action_plan.empty`, `action_plan.actions_open`). Once only; the plan \
then takes no more actions.",
    SignOffActionPlanRequest,
    |body, recommendation_id| CaseCommand::SignOffActionPlan(plan::SignOffActionPlan {
        recommendation_id,
        group: body.group,
        occurred_at: body.occurred_at,
    })
);

plan_command!(
    review_impact,
    "ReviewImpact",
    "/v1/cases/{case_id}/recommendations/{recommendation_id}/impact-reviews",
    "recommendation_id",
    "The recommendation whose plan it is",
    "Record a review of a plan's impact",
    "Has practice changed? A review of the signed-off plan's impact (an audit, a survey, case \
sampling) records `changed`, `partly_changed` or `not_changed` with how it is known. The \
business manager records it, after the sign-off (`action_plan.not_signed_off`), as often as \
practice is checked again: the latest review answers.",
    ReviewImpactRequest,
    |body, recommendation_id| CaseCommand::ReviewImpact(plan::ReviewImpact {
        recommendation_id,
        practice_changed: body.practice_changed,
        summary: body.summary,
        occurred_at: body.occurred_at,
    })
);

/// The owners of an action, each a well-formed organisation slug.
fn owners(owners: &[String]) -> Result<Vec<OrgSlug>, ApiError> {
    owners
        .iter()
        .enumerate()
        .map(|(n, owner)| command::organisation(&format!("owners[{n}]"), owner))
        .collect()
}

/// Registers this module's routes, in the order the OpenAPI document lists them.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(add_action)
        .service(record_action_progress)
        .service(complete_action)
        .service(sign_off_action_plan)
        .service(review_impact);
}
