//! EraseCasePersonalData over HTTP.

// actix's route macro turns the handler into a unit struct without Debug.
#![allow(missing_debug_implementations)]

use crate::auth::Authenticated;
use crate::dto::{CommandAccepted, EraseCasePersonalDataRequest};
use crate::extract::{JsonBody, expectations};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use casetrail_app::erasure;
use casetrail_app::queries::visible_case;
use casetrail_domain::CaseId;
use casetrail_domain::case::erasure::EraseCasePersonalData;
use uuid::Uuid;

/// Erases a case's personal data.
#[utoipa::path(
    operation_id = "EraseCasePersonalData",
    tag = "Personal data",
    summary = "Erase a case's personal data",
    description = "Erases for ever the personal data of a case (UK GDPR Art. 17, the end of the \
retention period listed by `GET /v1/retention/due`, or a court order): destroys the case's data \
key, which sealed the identifying details and every free text recorded about the case, and \
records a `PersonalDataErased` event saying who, when and on what legal basis (no personal data). \
From then on `/personal-details` answers 410 `personal_data.erased` and commands that carry \
free text are refused 409; the case's process history, deadlines, statistics and the log's hash \
chain stay as they were. The `reason` is kept in clear in the log: it must identify no one. \
Also available as `casetrail erase`.",
    request_body = EraseCasePersonalDataRequest,
    params(("case_id" = Uuid, Path, description = "The case"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Erased.", body = CommandAccepted,
         headers(("ETag" = String, description = "The case's new version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/cases/{case_id}/erasure")]
pub async fn erase_case_personal_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    body: JsonBody<EraseCasePersonalDataRequest>,
) -> Result<HttpResponse, ApiError> {
    // The role first (the command's entry in the role table): a caller without it learns
    // nothing about which cases exist.
    casetrail_domain::case::may_send("EraseCasePersonalData", &actor)?;
    let case_id = CaseId::from_uuid(case_id.into_inner());
    visible_case(&state.projector, &actor, case_id)?;
    let request = body.value;
    let accepted = erasure::erase(
        &state.bus,
        &state.projector,
        &state.data_keys,
        &actor,
        case_id,
        EraseCasePersonalData {
            legal_basis: request.legal_basis.into(),
            reason: request.reason,
        },
        expectations(&req, &body.request_hash)?,
    )
    .await?;
    Ok(super::command::accepted(StatusCode::OK, case_id, accepted))
}
