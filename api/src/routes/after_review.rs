//! After the rapid review: one endpoint per command (domain.md child steps 6–10).

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_command!`.
#![allow(missing_debug_implementations)]

use super::command;
use crate::auth::Authenticated;
use crate::dto::{
    AddRecommendationRequest, ApprovePublicationDelayRequest, CloseCaseRequest, CommandAccepted,
    CommissionPracticeReviewRequest, RecordIndependentAdviceRequest,
    RecordReconsideredDecisionRequest, SendReconsiderationToPanelRequest,
    WithholdPublicationRequest,
};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::commands as cmd;
use casetrail_domain::case::commands::{
    At, PublishReview, RecordFamilyCommunication, RecordPanelResponse,
};
use casetrail_domain::case::shared::learning::RecordLearningDisseminated;
use casetrail_domain::{CaseId, OrgSlug};
use uuid::Uuid;

case_command!(
    record_panel_response,
    "RecordPanelResponse",
    "/v1/cases/{case_id}/panel-response",
    "Record the Panel's response",
    "The national Panel's response to the rapid review: whether it agrees with the partners' \
decision. On disagreement the case moves to `reconsideration`.",
    RecordPanelResponse,
    |body, _input| CaseCommand::RecordPanelResponse(body)
);

case_command!(
    record_reconsidered_decision,
    "RecordReconsideredDecision",
    "/v1/cases/{case_id}/reconsideration",
    "Record a partner's reconsidered view",
    "After the Panel disagreed and the Independent Advisor advised (RecordIndependentAdvice), \
each partner's decision maker records its own reconsidered view: adhere, `commission` an LCSPR \
(after a decision not to hold one) or `withdraw` a decision to hold one. One partner alone \
decides nothing: when two of the three agree, the reconsidered decision is reached (a \
`ReconsiderationReached` event). A commission starts the LCSPR's 6 months from that day; a \
withdrawal makes the LCSPR deadlines still owed `not_applicable`. The rationale is sealed.",
    RecordReconsideredDecisionRequest,
    |body, input| {
        command::text("rationale", &body.rationale)?;
        CaseCommand::RecordReconsideredDecision(cmd::RecordReconsideredDecision {
            partner: body.partner.into(),
            outcome: body.outcome,
            rationale: input.seal(&body.rationale).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    record_independent_advice,
    "RecordIndependentAdvice",
    "/v1/cases/{case_id}/independent-advice",
    "Record the Independent Advisor's advice",
    "The Independent Advisor's advice to the partners' decision makers (sealed): on a \
`decision_dispute` once two partners voted differently, or on the `reconsideration` after the \
Panel disagreed (needed before the partners record their views). Once per subject.",
    RecordIndependentAdviceRequest,
    |body, input| {
        command::text("advice", &body.advice)?;
        CaseCommand::RecordIndependentAdvice(cmd::RecordIndependentAdvice {
            subject: body.subject,
            advice: input.seal(&body.advice).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    send_reconsideration_to_panel,
    "SendReconsiderationToPanel",
    "/v1/cases/{case_id}/reconsideration/justification",
    "Record that the reconsideration's justification went to the Panel",
    "The written justification of the reconsidered decision (sealed) was sent to the Panel. Once, \
after two partners agreed.",
    SendReconsiderationToPanelRequest,
    |body, input| {
        command::text("justification", &body.justification)?;
        CaseCommand::SendReconsiderationToPanel(cmd::SendReconsiderationToPanel {
            justification: input.seal(&body.justification).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    record_improvements_information_sent_to_panel,
    "RecordImprovementsInformationSentToPanel",
    "/v1/cases/{case_id}/publication-withheld/improvements-sent",
    "Record that the improvements information went to the Panel",
    "Publication withheld: the information about the improvements went to the Panel and the \
Secretary of State, at least 7 working days before it is published \
(`lcspr_improvements_to_panel`).",
    At,
    |body, _input| CaseCommand::RecordImprovementsInformationSentToPanel(body)
);

case_command!(
    publish_improvements_information,
    "PublishImprovementsInformation",
    "/v1/cases/{case_id}/publication-withheld/improvements-published",
    "Publish the improvements information",
    "Publication withheld: the information about the improvements was published instead of the \
report (after it went to the Panel). Fulfils `lcspr_publication` and opens \
`publication_take_down` a year later.",
    PublishReview,
    |body, _input| CaseCommand::PublishImprovementsInformation(body)
);

case_command!(
    record_copy_sent_to_ofsted,
    "RecordCopySentToOfsted",
    "/v1/cases/{case_id}/practice-review/ofsted-copy",
    "Record that the report went to Ofsted",
    "The LCSPR report, or the improvements information when publication is withheld, went to \
Ofsted, at least 7 working days before publication (`lcspr_copy_to_ofsted`).",
    At,
    |body, _input| CaseCommand::RecordCopySentToOfsted(body)
);

case_command!(
    record_panel_notification_copied,
    "RecordPanelNotificationCopied",
    "/v1/cases/{case_id}/panel-notification/copy",
    "Record the copy of the Panel notification to the business manager",
    "The local authority sent a copy of its Panel notification to the business manager, due the \
same day (`panel_notification_copy`).",
    At,
    |body, _input| CaseCommand::RecordPanelNotificationCopied(body)
);

case_command!(
    record_looked_after_death_notified,
    "RecordLookedAfterDeathNotified",
    "/v1/cases/{case_id}/looked-after-death-notification",
    "Record that a looked-after child's death was notified to Ofsted and the Secretary of State",
    "The death of a looked-after child, whatever its cause, is notified to Ofsted and the \
Secretary of State within 5 working days of becoming aware (`looked_after_death_notification`).",
    At,
    |body, _input| CaseCommand::RecordLookedAfterDeathNotified(body)
);

case_command!(
    record_family_communication,
    "RecordFamilyCommunication",
    "/v1/cases/{case_id}/family-communication",
    "Record that the family was told",
    "The outcome and rationale of the decision were communicated in writing to the child or \
family, where possible in person through the practitioner working with them.",
    RecordFamilyCommunication,
    |body, _input| CaseCommand::RecordFamilyCommunication(body)
);

case_command!(
    commission_practice_review,
    "CommissionPracticeReview",
    "/v1/cases/{case_id}/practice-review",
    "Commission the LCSPR",
    "Commissions the local child safeguarding practice review with its reviewer and terms of \
reference (sealed). The LCSPR's deadlines (`lcspr_publication`, 6 calendar months after the \
decision to hold it, and `lcspr_report_to_panel`, 7 working days before publication) run from \
the decision, not from this command.",
    CommissionPracticeReviewRequest,
    |body, input| {
        command::text("terms_of_reference", &body.terms_of_reference)?;
        CaseCommand::CommissionPracticeReview(cmd::CommissionPracticeReview {
            reviewer: body.reviewer,
            terms_of_reference: input.seal(&body.terms_of_reference).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    approve_publication_delay,
    "ApprovePublicationDelay",
    "/v1/cases/{case_id}/practice-review/delay",
    "Approve a delay to publication",
    "The Strategic Leadership Group approved publishing later, with reasons notified to the Panel \
(sealed). The `lcspr_publication` deadline moves; its `original_due_at` stays visible.",
    ApprovePublicationDelayRequest,
    |body, input| {
        command::text("reasons", &body.reasons)?;
        CaseCommand::ApprovePublicationDelay(cmd::ApprovePublicationDelay {
            new_due_on: body.new_due_on,
            reasons: input.seal(&body.reasons).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    record_final_report_sent_to_panel,
    "RecordFinalReportSentToPanel",
    "/v1/cases/{case_id}/practice-review/report-sent",
    "Record that the final report went to the Panel",
    "The LCSPR's final report was sent to the Panel and the Secretary of State, at least 7 working \
days before publication (`lcspr_report_to_panel`): judged against the planned publication day \
until the review is published, then against the actual publication.",
    At,
    |body, _input| CaseCommand::RecordFinalReportSentToPanel(body)
);

case_command!(
    publish_review,
    "PublishReview",
    "/v1/cases/{case_id}/publication",
    "Publish the review",
    "The review was published on the partnership's website (after the final report went to the \
Panel). Fulfils `lcspr_publication` and opens `publication_take_down` a year later. A \
safeguarding adult review is published once completed, a domestic homicide review once submitted \
to the Home Office.",
    PublishReview,
    |body, _input| CaseCommand::PublishReview(body)
);

case_command!(
    withhold_publication,
    "WithholdPublication",
    "/v1/cases/{case_id}/publication-withheld",
    "Withhold publication",
    "The Strategic Leadership Group decided not to publish the report; information about the \
improvements is published instead, with the justification (sealed) set out for the Panel and \
the Secretary of State.",
    WithholdPublicationRequest,
    |body, input| {
        command::text("justification", &body.justification)?;
        CaseCommand::WithholdPublication(cmd::WithholdPublication {
            justification: input.seal(&body.justification).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    record_review_taken_down,
    "RecordReviewTakenDown",
    "/v1/cases/{case_id}/publication/take-down",
    "Record that the published report was taken down",
    "Published reports stay on the partnership's website for a year and are then available on \
request: this records taking the LCSPR report down, fulfilling `publication_take_down`. Accepted \
after closure too.",
    At,
    |body, _input| CaseCommand::RecordReviewTakenDown(body)
);

case_command!(
    add_recommendation,
    "AddRecommendation",
    "/v1/cases/{case_id}/recommendations",
    "Add a recommendation",
    "A recommendation of the review, with the organisations that own the action (`owners`, the \
lead first, or a single `owner`) and its due date (a `recommendation` deadline, answered for by \
the lead owner). Send your own `recommendation_id` to know it up front; otherwise read it from \
the case. Every owner becomes involved in the case.",
    AddRecommendationRequest,
    |body, _input| CaseCommand::AddRecommendation(cmd::AddRecommendation {
        recommendation_id: body.recommendation_id.unwrap_or_else(Uuid::now_v7),
        text: body.text,
        owners: owners(body.owner.as_deref(), body.owners.as_deref())?,
        due_on: body.due_on,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    record_learning_disseminated,
    "RecordLearningDisseminated",
    "/v1/cases/{case_id}/learning-disseminated",
    "Record that the review's learning was shared",
    "The review's learning reached these organisations (a seven-minute briefing, a practitioner \
briefing, a learning event, training or the newsletter), with the number of people reached when \
counted: never names. For any review, as often as the learning is shared, once the review has \
reached its findings (a child case's rapid review submitted to the Panel, a safeguarding adult \
review completed, a domestic homicide review's overview report completed). The body carries no \
personal data, so it is the command itself.",
    RecordLearningDisseminated,
    |body, _input| CaseCommand::RecordLearningDisseminated(body)
);

case_command!(
    close_case,
    "CloseCase",
    "/v1/cases/{case_id}/closure",
    "Close the case",
    "Closes the case (of any kind: child, adult or domestic homicide) with a reason that its \
state bears out, or 409 with a code naming what is missing (`closure.no_decision`, \
`closure.review_decided`, `closure.no_panel_response`, `closure.reconsideration_pending`, \
`closure.not_published`, `closure.not_withheld`, `closure.not_a_referral`, \
`closure.referral_taken_forward`, `closure.not_a_notification`, `closure.decision_reached`, \
`closure.reason_not_for_kind`; docs/rules.md). Deadlines still pending at the closure's \
`occurred_at` become `not_applicable`; those already met, met late or breached stay so, and the \
recommendations' actions stay due. After closure only CompleteRecommendation and \
RecordReviewTakenDown are accepted.",
    CloseCaseRequest,
    |body, _input| CaseCommand::CloseCase(cmd::CloseCase {
        reason: body.reason,
        occurred_at: body.occurred_at,
    })
);

/// CompleteRecommendation: a recommendation's action was completed.
#[utoipa::path(
    operation_id = "CompleteRecommendation",
    tag = "Child cases",
    summary = "Complete a recommendation's action",
    description = "The owning organisation completed the action of a recommendation, fulfilling \
its `recommendation` deadline (late if after `due_on`). Accepted after closure too.",
    request_body = At,
    params(("case_id" = Uuid, Path, description = "The case"),
           ("recommendation_id" = Uuid, Path, description = "The recommendation"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Recorded.", body = CommandAccepted,
         headers(("ETag" = String, description = "The case's new version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/cases/{case_id}/recommendations/{recommendation_id}/completion")]
pub async fn complete_recommendation(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<At>,
) -> Result<HttpResponse, ApiError> {
    let (case_id, recommendation_id) = path.into_inner();
    let case_id = CaseId::from_uuid(case_id);
    let command = CaseCommand::CompleteRecommendation(cmd::CompleteRecommendation {
        recommendation_id,
        occurred_at: body.value.occurred_at,
    });
    command::run(&req, &state, &actor, case_id, &body.request_hash, command).await
}

/// The owners of a recommendation from a request naming either one `owner` or `owners`.
fn owners(owner: Option<&str>, owners: Option<&[String]>) -> Result<Vec<OrgSlug>, ApiError> {
    match (owner, owners) {
        (Some(owner), None) => Ok(vec![command::organisation("owner", owner)?]),
        (None, Some(owners)) => owners
            .iter()
            .enumerate()
            .map(|(n, owner)| command::organisation(&format!("owners[{n}]"), owner))
            .collect(),
        _ => Err(ApiError::invalid_field(
            "owners",
            "recommendation.owner_required",
            "send the owning organisations as `owners`, or a single one as `owner`",
        )),
    }
}

/// Registers this module's routes, in the order the OpenAPI document lists them: a new
/// command here is registered here.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(record_panel_response)
        .service(record_panel_notification_copied)
        .service(record_looked_after_death_notified)
        .service(record_independent_advice)
        .service(record_reconsidered_decision)
        .service(send_reconsideration_to_panel)
        .service(record_family_communication)
        .service(commission_practice_review)
        .service(approve_publication_delay)
        .service(record_final_report_sent_to_panel)
        .service(publish_review)
        .service(withhold_publication)
        .service(record_improvements_information_sent_to_panel)
        .service(publish_improvements_information)
        .service(record_copy_sent_to_ofsted)
        .service(record_review_taken_down)
        .service(add_recommendation)
        .service(complete_recommendation)
        .service(record_learning_disseminated)
        .service(close_case);
}
