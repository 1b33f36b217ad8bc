//! Integrity of the event log, for auditors.

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use casetrail_domain::Role;
use serde::Serialize;
use utoipa::ToSchema;

/// The verdict on the log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "events": 1042, "head_position": 1042,
    "head_hash": "3f5a0c9e1b7d4a2f8e6c5b4a3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e", "position": null, "reason": null}))]
pub struct IntegrityView {
    /// `ok` or `broken`.
    #[schema(value_type = crate::dto::IntegrityStatus)]
    pub status: String,
    /// Events checked (when ok).
    pub events: Option<u64>,
    /// Position of the last event (when ok).
    pub head_position: Option<u64>,
    /// SHA-256 of the last event, hex (when ok): keep it to prove later that nothing before it
    /// changed.
    pub head_hash: Option<String>,
    /// The first position that fails (when broken).
    pub position: Option<u64>,
    /// Why it fails (when broken).
    pub reason: Option<String>,
}

impl From<casetrail_store::Integrity> for IntegrityView {
    fn from(verdict: casetrail_store::Integrity) -> Self {
        match verdict {
            casetrail_store::Integrity::Ok {
                events,
                head_position,
                head_hash,
            } => IntegrityView {
                status: "ok".to_owned(),
                events: Some(events),
                head_position: Some(head_position),
                head_hash: Some(head_hash),
                position: None,
                reason: None,
            },
            casetrail_store::Integrity::Broken { position, reason } => IntegrityView {
                status: "broken".to_owned(),
                events: None,
                head_position: None,
                head_hash: None,
                position: Some(position),
                reason: Some(reason),
            },
        }
    }
}

/// Verifies the event log for the caller's partnership.
#[utoipa::path(
    operation_id = "VerifyIntegrity",
    tag = "Audit",
    summary = "Verify the event log's integrity for the caller's partnership",
    description = "Recomputes the SHA-256 hash chain and checks that positions are gap-free and \
every stream's versions follow on. All partnerships share one chain, so the whole log is checked, \
but the answer is about the caller's partnership only: `events` counts its events, \
`head_position` and `head_hash` are those of its last event (keep them to prove later that \
nothing up to it changed; 0 and the genesis hash when it has none). `broken` gives the first \
position that fails; the reason is given only when that event is the caller's partnership's, \
otherwise a fixed text (the operator sees the reason with `casetrail verify`). The log is read \
page by page; on a large log this takes a while. Role: `auditor`.",
    responses(
        (status = 200, description = "The verdict (also when the log is broken).", body = IntegrityView),
    ),
    security(("bearer" = []))
)]
#[get("/v1/integrity")]
pub async fn verify_integrity(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<HttpResponse, ApiError> {
    if !actor.has(Role::Auditor) {
        return Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "verifying the log needs the role auditor",
        ));
    }
    let verdict =
        casetrail_store::verify_partnership(state.store.as_ref(), actor.partnership.as_str())
            .await
            .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(IntegrityView::from(verdict)))
}
