//! The raw event log for auditors: paged JSON, or the whole log streamed as NDJSON.

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use casetrail_domain::{Actor, Role};
use casetrail_store::{EventStore, ExportedEvent, RecordedEvent};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Events read from the store per page while streaming.
const STREAM_PAGE: usize = 1_000;
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1_000;
/// The NDJSON media type.
const NDJSON: &str = "application/x-ndjson";

/// Query of the event export.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events after this log position (default 0: from the start).
    pub after: Option<u64>,
    /// Page size for JSON, 1 to 1000 (default 100). Ignored when streaming NDJSON.
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<usize>,
}

/// A page of stored events.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"items": [{"position": 20, "stream_id": "southend/case/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
    "stream_version": 1, "event_id": "01937a2e-9000-7000-8000-000000000002",
    "event_type": "PanelNotificationRecorded", "schema_version": 1,
    "data": {"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29", "occurred_at": "2022-12-29T23:59:59.999999Z"},
    "metadata": {"command": "RecordPanelNotification", "request_id": "01937a2e-9000-7000-8000-000000000001"},
    "recorded_at": "2022-12-29T10:00:00.123456Z",
    "prev_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "hash": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"}],
    "next_after": null}))]
pub struct EventPage {
    /// The events, each as stored, with its position, stream version and hashes.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ExportedEvent>,
    /// `after` for the next page, `null` on the last.
    pub next_after: Option<u64>,
}

fn require_auditor(actor: &Actor) -> Result<(), ApiError> {
    if actor.has(Role::Auditor) {
        Ok(())
    } else {
        Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "reading the raw event log needs the role auditor",
        ))
    }
}

/// Whether a stored event belongs to the actor's partnership: a token never sees another
/// tenant's events.
fn own(actor: &Actor, event: &RecordedEvent) -> bool {
    event
        .stream_id
        .strip_prefix(actor.partnership.as_str())
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Exports the raw event log.
#[utoipa::path(
    operation_id = "ExportEvents",
    tag = "Audit",
    summary = "Export the raw event log",
    description = "The stored events of the caller's partnership, in log order, each with its \
metadata, position, stream version and hashes (personal data stays sealed). JSON pages by \
`after`/`limit`; with `Accept: application/x-ndjson` the whole log from `after` is streamed, one \
event per line, without being held in memory. On a service hosting one partnership, the export \
verifies offline with `casetrail verify --file`; with several, each event's own hash still \
verifies, and the full chain is verified by `GET /v1/integrity`. Role: `auditor`.",
    params(EventsQuery),
    responses(
        (status = 200, description = "A page of events (JSON), or the log as NDJSON.",
         content(
            (EventPage = "application/json"),
            (String = "application/x-ndjson", example = "{\"position\":1,\"stream_id\":\"southend/partnership\",\"stream_version\":1,\"event_type\":\"PartnershipEstablished\",\"...\":\"...\"}\n")
         )),
    ),
    security(("bearer" = []))
)]
#[get("/v1/events")]
pub async fn export_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: crate::extract::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    require_auditor(&actor)?;
    let after = query.after.unwrap_or(0);
    let wants_ndjson = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(NDJSON));
    if wants_ndjson {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(NDJSON)))
            .streaming(ndjson_stream(Arc::clone(&state.store), actor, after)));
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid_parameter(
            "limit",
            "query.invalid_limit",
            "limit must be 1 to 1000",
        ));
    }
    let mut items = Vec::with_capacity(limit.min(64));
    let mut cursor = after;
    // Other tenants' events are skipped, so a page may need several reads to fill.
    'pages: loop {
        let page = state
            .store
            .read_all(cursor, limit)
            .await
            .map_err(ApiError::from)?;
        let Some(last) = page.last() else { break };
        cursor = last.position;
        for event in page.iter().filter(|e| own(&actor, e)) {
            items.push(ExportedEvent::from(event));
            if items.len() == limit {
                break 'pages;
            }
        }
    }
    let next_after = (items.len() == limit)
        .then(|| items.last().map(|e| e.position))
        .flatten();
    Ok(HttpResponse::Ok().json(EventPage { items, next_after }))
}

fn ndjson_stream(
    store: Arc<dyn EventStore>,
    actor: Actor,
    after: u64,
) -> impl futures::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    futures::stream::unfold(Some(after), move |cursor| {
        let store = Arc::clone(&store);
        let actor = actor.clone();
        async move {
            let after = cursor?;
            match store.read_all(after, STREAM_PAGE).await {
                Ok(page) => {
                    let last = page.last()?.position;
                    let mut chunk = Vec::with_capacity(page.len() * 512);
                    for event in page.iter().filter(|e| own(&actor, e)) {
                        if serde_json::to_writer(&mut chunk, &ExportedEvent::from(event)).is_err() {
                            continue;
                        }
                        chunk.push(b'\n');
                    }
                    Some((Ok(web::Bytes::from(chunk)), Some(last)))
                }
                // The status line is already sent: end the stream; the client sees it cut short
                // (no final newline-terminated page) and the error is logged.
                Err(err) => {
                    tracing::error!(error = %err, "event export stream failed");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export failed")),
                        None,
                    ))
                }
            }
        }
    })
}
