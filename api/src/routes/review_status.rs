//! The review status and deadline read models: cases, one case, and deadlines, as of now or
//! any past instant (`as_of`), for what the caller may see.

use super::{case_view, cursor};
use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{CaseDetail, CasePage, DeadlinePage};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use casetrail_app::queries::{CaseFilters, ChangedSince, DeadlineFilters};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;

fn page_size(limit: Option<usize>) -> Result<usize, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::bad_request(
            "query.invalid_limit",
            "limit must be 1 to 500",
        ))
    }
}

fn parse_slug(field: &str, value: &str) -> Result<OrgSlug, ApiError> {
    OrgSlug::parse(value).map_err(|_| {
        ApiError::bad_request(
            "query.invalid",
            format!("{field} must be an organisation slug"),
        )
    })
}

/// Query of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCasesQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Only cases of this kind: `child`, `adult` or `domestic_homicide`.
    #[param(value_type = Option<casetrail_domain::case::CaseKind>)]
    pub kind: Option<String>,
    /// Only cases at this stage, e.g. `rapid_review`.
    #[param(value_type = Option<casetrail_domain::case::Stage>)]
    pub stage: Option<String>,
    /// Only cases this organisation is involved in (slug).
    pub organisation: Option<String>,
    /// Only cases with (`true`) or without (`false`) a breached deadline.
    pub has_overdue_deadlines: Option<bool>,
    /// Only cases opened at or after this instant (RFC 3339).
    pub opened_from: Option<DateTime<Utc>>,
    /// Only cases opened before this instant (RFC 3339).
    pub opened_to: Option<DateTime<Utc>>,
    /// Only the cases of the child, adult or victim with this pseudonymous reference, exactly
    /// as recorded (e.g. `SBC-2022-0412`): to find a case before notifying it again.
    pub reference: Option<String>,
    /// Only cases changed since: a log position (a command's answer's `position`, or the
    /// greatest `updated_position` seen) or an instant (RFC 3339, recorded after it).
    pub changed_since: Option<String>,
    /// Answer as the read model stood at this instant (RFC 3339): only facts recorded by then,
    /// deadlines evaluated then. Default: now. A day outside 1990–2100, which the working-day
    /// calendar cannot judge, is 400 `calendar.date_out_of_range`.
    pub as_of: Option<DateTime<Utc>>,
}

/// `changed_since`: a log position or an RFC 3339 instant.
fn changed_since(value: &str) -> Result<ChangedSince, ApiError> {
    if let Ok(position) = value.parse::<u64>() {
        return Ok(ChangedSince::Position(position));
    }
    DateTime::parse_from_rfc3339(value)
        .map(|at| ChangedSince::Instant(at.with_timezone(&Utc)))
        .map_err(|_| {
            ApiError::bad_request(
                "query.invalid",
                "changed_since must be a log position or an RFC 3339 instant",
            )
        })
}

fn wire_enum<T: serde::de::DeserializeOwned>(field: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        ApiError::bad_request("query.invalid", format!("{field} has an unknown value"))
    })
}

/// The query string as typed filters: what is malformed is refused here, the matching is the
/// query's.
fn case_filters(query: ListCasesQuery) -> Result<CaseFilters, ApiError> {
    Ok(CaseFilters {
        limit: page_size(query.limit)?,
        after: query
            .cursor
            .as_deref()
            .map(decode_case_cursor)
            .transpose()?,
        kind: query
            .kind
            .as_deref()
            .map(|k| wire_enum("kind", k))
            .transpose()?,
        stage: query
            .stage
            .as_deref()
            .map(|s| wire_enum("stage", s))
            .transpose()?,
        organisation: query
            .organisation
            .as_deref()
            .map(|o| parse_slug("organisation", o))
            .transpose()?,
        has_overdue_deadlines: query.has_overdue_deadlines,
        opened_from: query.opened_from,
        opened_to: query.opened_to,
        reference: query.reference,
        changed_since: query
            .changed_since
            .as_deref()
            .map(changed_since)
            .transpose()?,
        as_of: query.as_of,
    })
}

/// Lists the cases the actor may see.
#[utoipa::path(
    operation_id = "ListCases",
    tag = "Review status",
    summary = "List cases",
    description = "The cases of the caller's partnership that the caller may see (agency users: \
only cases their organisation is involved in), oldest first, in pages, with filters. With \
`as_of`, the list as it stood at that instant: only facts recorded by then, deadlines evaluated \
then.",
    params(ListCasesQuery),
    responses(
        (status = 200, description = "A page of cases.", body = CasePage,
         example = json!({"items": [{"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "child",
            "stage": "notified", "version": 1, "reference": "SBC-2022-0412",
            "opened_at": "2022-12-22T10:15:00Z", "has_overdue_deadlines": false,
            "updated_at": "2022-12-22T10:15:00.482Z", "updated_position": 1042}],
            "next_cursor": null})),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: web::Query<ListCasesQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = case_filters(query.into_inner())?;
    let listed = state.queries.cases(&actor, &filters).await?;
    let cases = listed.cases.iter().map(|c| c.case_id.as_uuid());
    access_log::record_list(&state, &actor, cases, Resource::CaseList, filters.as_of).await?;
    Ok(HttpResponse::Ok().json(CasePage {
        next_cursor: listed.next_after.map(encode_case_cursor),
        items: listed.cases.into_iter().map(case_view::summary).collect(),
    }))
}

/// A case list's cursor: the opening position of the last case given.
fn encode_case_cursor(after: u64) -> String {
    cursor::encode("c1", after)
}

fn decode_case_cursor(text: &str) -> Result<u64, ApiError> {
    cursor::decode_number("c1", text)
}

/// `as_of` alone.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// Answer as the read model stood at this instant (RFC 3339). Default: now. A day outside
    /// 1990–2100 is 400 `calendar.date_out_of_range`.
    pub as_of: Option<DateTime<Utc>>,
}

/// The case as the actor may see it at the snapshot's instant.
/// Reads one case with its deadlines.
#[utoipa::path(
    operation_id = "GetCase",
    tag = "Review status",
    summary = "Read a case",
    description = "The case's stage, facts and deadlines (status evaluated now, or at `as_of`: the \
case as it stood then, from the facts recorded by then). The `ETag` is the case version to send \
back in `If-Match`. Another partnership's case, or one an agency user is not involved in, is 404; \
so is a case not yet opened at `as_of`.",
    params(("case_id" = Uuid, Path, description = "The case"), AsOfQuery),
    responses(
        (status = 200, description = "The case.", body = CaseDetail,
         headers(("ETag" = String, description = "The case's version, e.g. \"2\""))),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    query: web::Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let (version, detail) = state
        .queries
        .case_as_of(&actor, case_id, query.as_of, |r, p, at| {
            (r.version, case_view::detail(r, p, at))
        })
        .await?;
    access_log::record(&state, &actor, case_id, Resource::Case, query.as_of).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .json(detail))
}

/// Query of the deadline list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDeadlinesQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Only deadlines with this status: `pending`, `due_soon`, `met`, `met_late`, `breached`,
    /// `not_applicable`.
    #[param(value_type = Option<casetrail_domain::deadline::DeadlineStatus>)]
    pub status: Option<String>,
    /// Only deadlines of this kind, e.g. `rr_agency_report`.
    #[param(value_type = Option<casetrail_domain::deadline::DeadlineKind>)]
    pub kind: Option<String>,
    /// Only deadlines of this case.
    pub case_id: Option<Uuid>,
    /// Only deadlines this organisation must meet (slug).
    pub organisation: Option<String>,
    /// Only deadlines due at or after this instant (RFC 3339).
    pub due_from: Option<DateTime<Utc>>,
    /// Only deadlines due before this instant (RFC 3339).
    pub due_to: Option<DateTime<Utc>>,
    /// Evaluate at this instant, from the facts recorded by then (RFC 3339). Default: now. A day
    /// outside 1990–2100 is 400 `calendar.date_out_of_range`.
    pub as_of: Option<DateTime<Utc>>,
}

/// A deadline list's cursor: the due instant and id of the last deadline given.
fn encode_deadline_cursor((due_at, deadline_id): (DateTime<Utc>, Uuid)) -> String {
    cursor::encode(
        "d1",
        format_args!("{}:{}", due_at.timestamp_micros(), deadline_id),
    )
}

fn decode_deadline_cursor(text: &str) -> Result<(DateTime<Utc>, Uuid), ApiError> {
    let payload = cursor::decode("d1", text)?;
    let (micros, id) = payload.split_once(':').ok_or_else(cursor::invalid)?;
    let due_at = micros
        .parse()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(cursor::invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| cursor::invalid())?;
    Ok((due_at, id))
}

/// The query string as typed filters: what is malformed is refused here, the matching is the
/// query's.
fn deadline_filters(query: ListDeadlinesQuery) -> Result<DeadlineFilters, ApiError> {
    Ok(DeadlineFilters {
        limit: page_size(query.limit)?,
        after: query
            .cursor
            .as_deref()
            .map(decode_deadline_cursor)
            .transpose()?,
        status: query
            .status
            .as_deref()
            .map(|s| wire_enum("status", s))
            .transpose()?,
        kind: query.kind,
        case_id: query.case_id.map(CaseId::from_uuid),
        organisation: query
            .organisation
            .as_deref()
            .map(|o| parse_slug("organisation", o))
            .transpose()?,
        due_from: query.due_from,
        due_to: query.due_to,
        as_of: query.as_of,
    })
}

/// Lists deadlines across the cases the actor may see.
#[utoipa::path(
    operation_id = "ListDeadlines",
    tag = "Review status",
    summary = "List deadlines and breaches",
    description = "Every deadline of the cases the caller may see, soonest due first, with its \
status at the instant asked (now by default): `pending`, `due_soon` (within one working day), \
`met`, `met_late`, `breached` (past due, unmet; `late_by` says how late in working days and \
hours) or `not_applicable`. With `as_of`, only facts recorded by then count: a fact recorded late \
but backdated shows as breached before it was recorded and as met after.",
    params(ListDeadlinesQuery),
    responses(
        (status = 200, description = "A page of deadlines.", body = DeadlinePage,
         example = json!({"items": [{"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
            "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "panel_notification",
            "organisation": "southend-council", "due_at": "2023-01-03T23:59:59.999999Z",
            "status": "breached", "fulfilled_at": null,
            "late_by": {"working_days": 2, "hours": 50},
            "fulfilled_by": "RecordPanelNotification", "original_due_at": null,
            "recommendation_id": null}], "next_cursor": null})),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/deadlines")]
pub async fn list_deadlines(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: web::Query<ListDeadlinesQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = deadline_filters(query.into_inner())?;
    let listed = state.queries.deadlines(&actor, &filters).await?;
    let cases = listed.deadlines.iter().map(|d| d.case_id.as_uuid());
    access_log::record_list(&state, &actor, cases, Resource::DeadlineList, filters.as_of).await?;
    Ok(HttpResponse::Ok().json(DeadlinePage {
        next_cursor: listed.next_after.map(encode_deadline_cursor),
        items: listed
            .deadlines
            .into_iter()
            .map(case_view::deadline_view)
            .collect(),
    }))
}

/// Lists one case's deadlines.
#[utoipa::path(
    operation_id = "ListCaseDeadlines",
    tag = "Review status",
    summary = "List a case's deadlines",
    description = "Every deadline of the case with its status now or at `as_of`, soonest due first.",
    params(("case_id" = Uuid, Path, description = "The case"), AsOfQuery),
    responses(
        (status = 200, description = "The case's deadlines.", body = DeadlinePage,
         example = json!({"items": [{"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
            "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "panel_notification",
            "organisation": "southend-council", "due_at": "2023-01-03T23:59:59.999999Z",
            "status": "met", "fulfilled_at": "2022-12-29T23:59:59.999999Z", "late_by": null,
            "fulfilled_by": "RecordPanelNotification", "original_due_at": null,
            "recommendation_id": null}], "next_cursor": null})),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}/deadlines")]
pub async fn list_case_deadlines(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    query: web::Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let deadlines = state
        .queries
        .case_deadlines(&actor, case_id, query.as_of)
        .await?;
    access_log::record(&state, &actor, case_id, Resource::Deadlines, query.as_of).await?;
    Ok(HttpResponse::Ok().json(DeadlinePage {
        items: deadlines
            .into_iter()
            .map(case_view::deadline_view)
            .collect(),
        next_cursor: None,
    }))
}
