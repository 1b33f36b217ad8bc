//! Corrections to the partnership's learning record (docs/rules.md LI-4): a meeting or a
//! learning event recorded wrongly is corrected under its own id, a budget line recorded in
//! error is withdrawn. The record as it was stays in the log and the audit trail; the lists,
//! the budget and the annual report count the record as corrected.

use super::learning::{discussed, learning_event, meeting, run};
use crate::auth::Authenticated;
use crate::dto::{EmptyRequest, RecordLearningEventRequest, RecordMeetingRequest};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use casetrail_domain::learning::{LearningCommand, may_send_named};
use uuid::Uuid;

/// The id a correction's body may repeat: the path's, or none.
fn same_id(field: &str, sent: Option<Uuid>, path: Uuid) -> Result<(), ApiError> {
    match sent {
        Some(sent) if sent != path => Err(ApiError::invalid_field(
            field,
            "field.invalid",
            format!(
                "{field}, when sent, is the id in the path: a correction keeps the record's id"
            ),
        )),
        _ => Ok(()),
    }
}

/// CorrectMeeting.
#[utoipa::path(
    operation_id = "CorrectMeeting",
    tag = "Learning",
    summary = "Correct a recorded meeting",
    description = "The meeting as it was held, replacing its record: every field, checked as \
RecordMeeting checks them (the body is RecordMeeting's; `meeting_id`, if sent, is the path's). \
A meeting not recorded is 404 `meeting.not_found`. The record as first made stays in the log \
and the audit trail; the year's meetings and the annual report count the correction, and the \
meeting's `position` becomes the correction's. Role: `business_manager`.",
    request_body = RecordMeetingRequest,
    params(("meeting_id" = Uuid, Path, description = "The meeting"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Corrected.", body = crate::dto::LearningCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/meetings/{meeting_id}/correction")]
pub async fn correct_meeting(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    meeting_id: web::Path<Uuid>,
    body: JsonBody<RecordMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("CorrectMeeting", &actor)?;
    let id = meeting_id.into_inner();
    same_id("meeting_id", body.value.meeting_id, id)?;
    let meeting = meeting(&body.value, id)?;
    discussed(&state, &actor, &meeting.discussed)?;
    let command = LearningCommand::CorrectMeeting(meeting);
    run(&req, &state, &actor, &body.request_hash, command, None).await
}

/// CorrectLearningEvent.
#[utoipa::path(
    operation_id = "CorrectLearningEvent",
    tag = "Learning",
    summary = "Correct a recorded learning event",
    description = "The learning event as it was held, replacing its record, checked as \
RecordLearningEvent checks it (the body is RecordLearningEvent's; `learning_event_id`, if sent, \
is the path's). One not recorded is 404 `learning_event.not_found`. The first record stays in \
the log and the audit trail; the lists, the theme counts and the annual report count the \
correction. Role: `business_manager`.",
    request_body = RecordLearningEventRequest,
    params(("learning_event_id" = Uuid, Path, description = "The learning event"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Corrected.", body = crate::dto::LearningCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/learning-events/{learning_event_id}/correction")]
pub async fn correct_learning_event(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    learning_event_id: web::Path<Uuid>,
    body: JsonBody<RecordLearningEventRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("CorrectLearningEvent", &actor)?;
    let id = learning_event_id.into_inner();
    same_id("learning_event_id", body.value.learning_event_id, id)?;
    let command = LearningCommand::CorrectLearningEvent(learning_event(&body.value, id)?);
    run(&req, &state, &actor, &body.request_hash, command, None).await
}

/// WithdrawBudgetLine.
#[utoipa::path(
    operation_id = "WithdrawBudgetLine",
    tag = "Learning",
    summary = "Withdraw a budget line recorded in error",
    description = "A contribution or a spending line recorded in error no longer counts in its \
year's budget or the annual report; record the right one under a new `line_id` (a withdrawn \
line's id is not used again). A line not standing is 404 `budget_line.not_found`. The line stays \
in the log and the audit trail. Role: `business_manager`.",
    request_body = EmptyRequest,
    params(("line_id" = Uuid, Path, description = "The budget line"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Withdrawn.", body = crate::dto::LearningCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/budget/lines/{line_id}/withdrawal")]
pub async fn withdraw_budget_line(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    line_id: web::Path<Uuid>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("WithdrawBudgetLine", &actor)?;
    let command = LearningCommand::WithdrawBudgetLine {
        line_id: line_id.into_inner(),
    };
    run(&req, &state, &actor, &body.request_hash, command, None).await
}
