//! The change feed: integration events in log order, as JSON pages or as Server-Sent Events
//! (docs/integration.md).

use crate::auth::Authenticated;
use crate::dto::{FeedItemView, FeedPageView};
use crate::problem::{ApiError, Gathered};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use casetrail_app::queries::FeedQuery;
use casetrail_domain::Actor;
use casetrail_domain::integration::IntegrationEvent;
use casetrail_projections::FeedCursor;
use serde::Deserialize;
use std::time::{Duration, Instant};
use utoipa::IntoParams;

const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1_000;
const EVENT_STREAM: &str = "text/event-stream";
/// How long a browser waits before reconnecting a dropped stream (the SSE `retry` field).
const RECONNECT_MILLIS: u64 = 3_000;

/// How the event stream behaves (configuration).
#[derive(Debug, Clone, Copy)]
pub struct StreamSettings {
    /// A comment line this often while nothing happens, so proxies keep the connection open
    /// and the client knows it is alive.
    pub heartbeat: Duration,
    /// How long one connection lasts: the client reconnects with `Last-Event-ID` and a token
    /// that is still valid, so a stream never outlives the token it was opened with by long.
    pub max_duration: Duration,
}

/// Query of the feed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQueryParams {
    /// Resume after this cursor: an item's `id` (`position.index`), a page's `next`, or a
    /// log position (a command's answer's `position`: after everything it recorded). Default:
    /// from the start. The `Last-Event-ID` header, when sent, takes precedence.
    #[param(example = "1042.1")]
    pub after: Option<String>,
    /// Page size, 1 to 1000 (default 100). JSON pages only.
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<usize>,
    /// Only these types, comma-separated (e.g. `deadline.due_soon,deadline.breached`).
    #[param(example = "deadline.due_soon,deadline.breached")]
    pub r#type: Option<String>,
}

/// Reads the change feed.
#[utoipa::path(
    operation_id = "ReadFeed",
    tag = "Feed",
    summary = "Read the change feed (JSON pages or Server-Sent Events)",
    description = "Integration events derived from the log, in log order: cases opened and \
changing stage, deadlines created, moved, due soon (reminders), breached, met or no longer \
applying, agency reports requested and submitted, decisions, publication, and recommendations \
added, due, overdue and completed (docs/integration.md documents each type and its data). Never \
personal data, and only the items of cases the caller may see (agency users: cases their \
organisation is involved in). Resume from a cursor with `after` or `Last-Event-ID`. With \
`Accept: text/event-stream` the answer is a stream of Server-Sent Events (`id` is the item's \
cursor, `event` its type, `data` the item as JSON) that follows the log as it grows, with a \
heartbeat comment while nothing happens; a connection ends after a while (\
`CASETRAIL_FEED_STREAM_MAX`), and the client reconnects with `Last-Event-ID`. Any role.",
    params(FeedQueryParams,
        ("Last-Event-ID" = Option<String>, Header,
         description = "Resume after this cursor (what an EventSource sends on reconnecting)")),
    responses(
        (status = 200, description = "A page of the feed (JSON), or the feed as Server-Sent \
Events.",
         content(
            (FeedPageView = "application/json", example = json!({"items": [
                {"id": "1042.0", "position": 1042, "type": "case.stage_changed",
                 "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
                 "occurred_at": "2022-12-29T10:00:00Z", "recorded_at": "2022-12-29T10:00:00.123Z",
                 "data": {"from": "notified", "to": "panel_notified"}},
                {"id": "1042.1", "position": 1042, "type": "deadline.met",
                 "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
                 "occurred_at": "2022-12-29T10:00:00Z", "recorded_at": "2022-12-29T10:00:00.123Z",
                 "data": {"deadline": {"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
                     "kind": "panel_notification", "organisation": "southend-council",
                     "responsible_role": "notifier", "due_at": "2023-01-03T23:59:59.999999Z"},
                     "fulfilled_at": "2022-12-29T10:00:00Z", "on_time": true}}],
                "next": "1042.1", "position": 1042})),
            (String = "text/event-stream", example = "id: 1042.1\nevent: deadline.created\ndata: {\"id\":\"1042.1\",\"type\":\"deadline.created\",\"...\":\"...\"}\n\n")
         )),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/feed")]
pub async fn read_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    settings: web::Data<StreamSettings>,
    Authenticated(actor): Authenticated,
    query: crate::extract::Query<FeedQueryParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let last_event_id = req
        .headers()
        .get("last-event-id")
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let (param, text) = match (last_event_id, query.after.as_deref()) {
        (Some(header), _) => ("Last-Event-ID", Some(header)),
        (None, after) => ("after", after),
    };
    // Every parameter at fault named at once, as the lists do.
    let mut faults = Gathered::default();
    let after = faults
        .parse(text, |t| {
            FeedCursor::parse(t.trim()).ok_or_else(|| {
                ApiError::invalid_parameter(
                    param,
                    "query.invalid",
                    format!("{param} must be a feed cursor: `position` or `position.index`"),
                )
            })
        })
        .unwrap_or_default();
    let limit = faults
        .parse(Some(query.limit.unwrap_or(DEFAULT_PAGE)), |limit| {
            if (1..=MAX_PAGE).contains(&limit) {
                Ok(limit)
            } else {
                Err(ApiError::invalid_parameter(
                    "limit",
                    "query.invalid_limit",
                    "limit must be 1 to 1000",
                ))
            }
        })
        .unwrap_or(DEFAULT_PAGE);
    let types: Vec<String> = query
        .r#type
        .map(|t| t.split(',').map(|t| t.trim().to_owned()).collect())
        .unwrap_or_default();
    if types
        .iter()
        .any(|t| !IntegrationEvent::TYPES.contains(&t.as_str()))
    {
        // The value is not echoed: a query string can hold anything.
        faults.take::<()>(Err(ApiError::invalid_parameter(
            "type",
            "query.invalid",
            "type names a type that is not an integration event type (docs/integration.md \
             lists them)",
        )));
    }
    faults.finish()?;
    let feed_query = FeedQuery {
        after,
        limit,
        types,
    };
    let wants_stream = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(EVENT_STREAM));
    if wants_stream {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(EVENT_STREAM)))
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            // Compressing would hold events back until a buffer fills.
            .insert_header((
                header::CONTENT_ENCODING,
                HeaderValue::from_static("identity"),
            ))
            .insert_header(("X-Accel-Buffering", HeaderValue::from_static("no")))
            .streaming(event_stream(
                state.into_inner(),
                actor,
                feed_query,
                **settings,
            )));
    }
    let view = state.queries.feed(&actor, &feed_query).await?;
    Ok(HttpResponse::Ok().json(FeedPageView::from(view)))
}

struct Streaming {
    state: std::sync::Arc<AppState>,
    actor: Actor,
    query: FeedQuery,
    settings: StreamSettings,
    ends_at: Instant,
    started: bool,
}

fn event_stream(
    state: std::sync::Arc<AppState>,
    actor: Actor,
    mut query: FeedQuery,
    settings: StreamSettings,
) -> impl futures::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    query.limit = DEFAULT_PAGE;
    let streaming = Streaming {
        state,
        actor,
        query,
        settings,
        ends_at: Instant::now() + settings.max_duration,
        started: false,
    };
    futures::stream::unfold(streaming, |mut s| async move {
        if !s.started {
            s.started = true;
            let hello = format!("retry: {RECONNECT_MILLIS}\n: casetrail feed\n\n");
            return Some((Ok(web::Bytes::from(hello)), s));
        }
        let chunk = next_chunk(&mut s).await?;
        Some((Ok(chunk), s))
    })
}

/// The next events, or a heartbeat when none came for a while; `None` once the connection
/// has lasted its time (or the feed cannot be read).
async fn next_chunk(s: &mut Streaming) -> Option<web::Bytes> {
    loop {
        let left = s.ends_at.checked_duration_since(Instant::now())?;
        let view = s.state.queries.feed(&s.actor, &s.query).await.ok()?;
        let moved = view.next != s.query.after;
        s.query.after = view.next;
        if !view.items.is_empty() {
            let mut chunk = Vec::with_capacity(view.items.len() * 400);
            for item in &view.items {
                let item = FeedItemView::from(item);
                let data = serde_json::to_string(&item).ok()?;
                chunk.extend_from_slice(
                    format!(
                        "id: {}\nevent: {}\ndata: {data}\n\n",
                        item.id,
                        item.event.type_name()
                    )
                    .as_bytes(),
                );
            }
            return Some(web::Bytes::from(chunk));
        }
        if moved {
            // Items looked at but hidden from this caller: read on at once.
            continue;
        }
        let wait = s.settings.heartbeat.min(left);
        if !s.state.projector.wait_for(view.position + 1, wait).await {
            if left <= s.settings.heartbeat {
                return None;
            }
            return Some(web::Bytes::from_static(b": heartbeat\n\n"));
        }
    }
}
