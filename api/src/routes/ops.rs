//! Operations endpoints: liveness, readiness and Prometheus metrics.

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use casetrail_domain::Role;
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Health answer. It says nothing about the log (not even its position): the probes answer
/// without a token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(
    operation_id = "Live",
    tag = "Operations",
    summary = "Liveness probe",
    responses((status = 200, description = "The process is up.", body = Health))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness: the database answers and the read models have caught up with the log.
#[utoipa::path(
    operation_id = "Ready",
    tag = "Operations",
    summary = "Readiness probe",
    responses(
        (status = 200, description = "Ready to serve.", body = Health),
        (status = 503, response = crate::doc_parts::Unavailable),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .store
        .ping()
        .await
        .map_err(|err| ApiError::Unavailable(err.into()))?;
    let head = state
        .store
        .head_position()
        .await
        .map_err(|err| ApiError::Unavailable(err.into()))?;
    if !state.projector.wait_for(head, Duration::from_secs(1)).await {
        return Err(ApiError::Unavailable(anyhow::anyhow!(
            "read models are behind the log"
        )));
    }
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus metrics, for an operator: the main listener serves them only to a token with
/// the role `admin`.
#[utoipa::path(
    operation_id = "Metrics",
    tag = "Operations",
    summary = "Prometheus metrics",
    description = "Request counts and latency by route and status, events appended, and the \
projection lag, in the Prometheus text format. Role: `admin` (a token with another role is 403 \
`auth.role_required`). A scraper without a token uses the separate metrics listener \
(`--metrics-bind` / `CASETRAIL_METRICS_BIND`), meant for loopback or a private network, which \
serves `/metrics` alone.",
    responses(
        (status = 200, description = "Metrics.", content_type = "text/plain; version=0.0.4",
         body = String, example = "http_requests_total{method=\"GET\",route=\"/v1/cases\",status=\"200\"} 12\n"),
    ),
    security(("bearer" = []))
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    handle: web::Data<PrometheusHandle>,
    Authenticated(actor): Authenticated,
) -> Result<HttpResponse, ApiError> {
    if !actor.has(Role::Admin) {
        return Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "metrics need the role admin",
        ));
    }
    Ok(render_metrics(&state, &handle).await)
}

/// `/metrics` on the separate metrics listener: no token, because only what can reach that
/// address (loopback or a private network, by the operator's choice) can ask.
pub async fn metrics_on_private_listener(
    state: web::Data<AppState>,
    handle: web::Data<PrometheusHandle>,
) -> HttpResponse {
    render_metrics(&state, &handle).await
}

async fn render_metrics(state: &AppState, handle: &PrometheusHandle) -> HttpResponse {
    if let Ok(head) = state.store.head_position().await {
        let lag = head.saturating_sub(state.projector.position());
        #[allow(clippy::cast_precision_loss)]
        ::metrics::gauge!("casetrail_projection_lag_events").set(lag as f64);
    }
    // Read when asked, as the lag is: what holds now, not what held at the last change.
    let pool = state.store.pool_state();
    let in_use = pool.open.saturating_sub(pool.idle);
    ::metrics::gauge!("casetrail_db_connections", "state" => "idle").set(f64::from(pool.idle));
    ::metrics::gauge!("casetrail_db_connections", "state" => "in_use").set(f64::from(in_use));
    #[allow(clippy::cast_precision_loss)]
    ::metrics::gauge!("casetrail_access_log_queue_records").set(state.access_log.queued() as f64);
    crate::telemetry::collect_process_metrics();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle.render())
}
