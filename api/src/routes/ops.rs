//! Operations endpoints: liveness, readiness and Prometheus metrics.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Health answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "position": 1234}))]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// Log position the read models have reached.
    pub position: u64,
}

/// Liveness: the process answers.
#[utoipa::path(
    operation_id = "Live",
    tag = "Operations",
    summary = "Liveness probe",
    responses((status = 200, description = "The process is up.", body = Health))
)]
#[get("/health/live")]
pub async fn live(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        position: state.projector.position(),
    })
}

/// Readiness: the database answers and the read models have caught up with the log.
#[utoipa::path(
    operation_id = "Ready",
    tag = "Operations",
    summary = "Readiness probe",
    responses(
        (status = 200, description = "Ready to serve.", body = Health),
        (status = 503, response = crate::openapi::Unavailable),
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
    Ok(HttpResponse::Ok().json(Health {
        status: "ok",
        position: state.projector.position(),
    }))
}

/// Prometheus metrics.
#[utoipa::path(
    operation_id = "Metrics",
    tag = "Operations",
    summary = "Prometheus metrics",
    description = "Request counts and latency by route and status, events appended, and the \
projection lag, in the Prometheus text format.",
    responses((status = 200, description = "Metrics.", content_type = "text/plain; version=0.0.4",
               body = String, example = "http_requests_total{method=\"GET\",route=\"/v1/cases\",status=\"200\"} 12\n"))
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    handle: web::Data<PrometheusHandle>,
) -> HttpResponse {
    if let Ok(head) = state.store.head_position().await {
        let lag = head.saturating_sub(state.projector.position());
        #[allow(clippy::cast_precision_loss)]
        ::metrics::gauge!("casetrail_projection_lag_events").set(lag as f64);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle.render())
}
