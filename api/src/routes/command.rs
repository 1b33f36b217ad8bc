//! What every case command handler shares: the sender's role checked once, from the token
//! alone, the need-to-know check, sealing free text with the case's key, parsing organisation
//! slugs, and running the command.

use crate::dto::CommandAccepted;
use crate::extract::expectations;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use casetrail_app::personal_data::DataKey;
use casetrail_app::queries::visible_case;
use casetrail_app::{Accepted, Addressed, AppError};
use casetrail_domain::case::{CaseCommand, SealedPersonalData};
use casetrail_domain::{Actor, CaseId, OrgSlug};
use serde::Serialize;

/// Longest free text accepted in a command (sealed fields).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The answer to an accepted command on a case (201 with Location for the one that opens it).
pub fn accepted(status: StatusCode, case_id: CaseId, accepted: Accepted) -> HttpResponse {
    let body = CommandAccepted {
        case_id: case_id.as_uuid(),
        version: accepted.version,
        position: accepted.position,
    };
    let mut response = HttpResponse::build(status);
    response.insert_header((header::ETAG, format!("\"{}\"", body.version)));
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("/v1/cases/{}", body.case_id)));
    }
    response.json(body)
}

/// Runs a command built from the request alone (nothing looked up yet) on an existing case the
/// actor may see (anything else is 404).
pub async fn run(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    case_id: CaseId,
    request_hash: &str,
    command: CaseCommand,
) -> Result<HttpResponse, ApiError> {
    CommandInput::authorised(state, actor, case_id, command.name())?
        .run(req, request_hash, command)
        .await
}

/// What a case command's handler has in hand once the sender's role is known to be one that
/// may send the command: the helpers for turning a request body into the command, and running
/// it. The only way to one is [`CommandInput::authorised`].
#[derive(Debug)]
pub struct CommandInput<'a> {
    state: &'a AppState,
    actor: &'a Actor,
    case_id: CaseId,
}

impl<'a> CommandInput<'a> {
    /// Refuses a sender whose token holds no role that may send the command, before anything
    /// about the case is looked up: a refusal says nothing about which cases exist. This is
    /// the HTTP side's one check of the role; the bus checks it again before an idempotent
    /// replay, and the decider, with the case in hand, has the last word.
    pub fn authorised(
        state: &'a AppState,
        actor: &'a Actor,
        case_id: CaseId,
        command: &str,
    ) -> Result<Self, ApiError> {
        casetrail_app::bus::require_writer(actor)?;
        casetrail_domain::case::may_send(command, actor)?;
        Ok(Self {
            state,
            actor,
            case_id,
        })
    }

    /// Runs the command on the case, if the actor may see it (404 otherwise).
    pub async fn run(
        &self,
        req: &HttpRequest,
        request_hash: &str,
        command: CaseCommand,
    ) -> Result<HttpResponse, ApiError> {
        visible_case(&self.state.projector, self.actor, self.case_id)?;
        let expectations = expectations(req, request_hash)?;
        let target = Addressed::case(self.actor, self.case_id, command);
        let done = self
            .state
            .bus
            .execute(self.actor, target, expectations)
            .await?;
        Ok(accepted(StatusCode::OK, self.case_id, done))
    }

    /// Seals free text about the case with the case's key.
    pub async fn seal<T: Serialize>(&self, value: &T) -> Result<SealedPersonalData, ApiError> {
        visible_case(&self.state.projector, self.actor, self.case_id)?;
        let erased = || ApiError::from(AppError::personal_data_erased());
        let key_id = {
            let models = self.state.projector.read();
            let case = &models
                .case(&self.actor.partnership, self.case_id)
                .ok_or_else(ApiError::case_not_found)?
                .case;
            if case.personal_data_erased_at.is_some() {
                return Err(erased());
            }
            case.personal_data()
                .map(|p| p.key_id)
                .ok_or_else(|| ApiError::from(AppError::no_personal_data()))?
        };
        let key = DataKey::load(&self.state.data_keys, key_id)
            .await?
            .ok_or_else(erased)?;
        key.seal(value).map_err(ApiError::Internal)
    }
}

/// Parses an organisation slug field (422 naming the field when malformed).
pub fn organisation(field: &str, value: &str) -> Result<OrgSlug, ApiError> {
    OrgSlug::parse(value)
        .map_err(|err| ApiError::invalid_field(field, "organisation.invalid_slug", err.to_string()))
}

/// Checks a free-text field: not blank, not longer than [`MAX_TEXT_CHARS`].
pub fn text(field: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::invalid_field(
            field,
            "field.required",
            format!("{field} must not be empty"),
        ));
    }
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::invalid_field(
            field,
            "field.too_long",
            format!("{field} must be at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}
