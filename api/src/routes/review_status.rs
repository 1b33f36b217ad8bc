//! The review status and deadline read models: cases, one case, and deadlines, as of now or
//! any past instant (`as_of`), for what the caller may see.

use super::case_view;
use super::list_csv::{self, CASE_COLUMNS, DEADLINE_COLUMNS};
use super::list_query::{self, ListCasesQuery, ListDeadlinesQuery};
use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{CaseDetail, CasePage, DeadlinePage};
use crate::extract::Query;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use casetrail_app::visibility::ActionsShown;
use casetrail_domain::CaseId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// The start of the case list as CSV, as the OpenAPI document shows it.
const CASES_CSV_EXAMPLE: &str = "case_id,kind,stage,version,reference,opened_at,\
has_overdue_deadlines,next_due_at,updated_at,updated_position\r\n\
01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f,child,notified,1,SBC-2022-0412,2022-12-22T10:15:00Z,\
false,2023-01-03T23:59:59.999999Z,2022-12-22T10:15:00.482Z,1042\r\n";

/// The start of the deadline list as CSV, as the OpenAPI document shows it.
const DEADLINES_CSV_EXAMPLE: &str = "deadline_id,case_id,kind,organisation,due_at,status,\
fulfilled_at,late_by.working_days,late_by.hours,fulfilled_by,original_due_at,recommendation_id,\
provisional,case_version,updated_at,updated_position\r\n\
5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11,01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f,panel_notification,\
southend-council,2023-01-03T23:59:59.999999Z,breached,,2,50,RecordPanelNotification,,,false,1,\
2022-12-22T10:15:00.482Z,1042\r\n";

/// Lists the cases the actor may see.
#[utoipa::path(
    operation_id = "ListCases",
    tag = "Review status",
    summary = "List cases",
    description = "The cases of the caller's partnership that the caller may see (agency users: \
only cases their organisation is involved in), in the order recorded or by `sort`, in pages, \
with filters. With `as_of`, the list as it stood at that instant: only facts recorded by then, \
deadlines evaluated then.\n\n`Accept: text/csv` answers the same page as CSV (RFC 4180, one \
row per case with the JSON item's fields; a text that a spreadsheet would run as a formula is \
prefixed with `'`); the next page is in the `Link` header (`rel=\"next\"`) and its cursor in \
`Casetrail-Next-Cursor`. A cursor is valid only with the `sort` it was given for (400 \
`query.invalid_cursor` naming `cursor` otherwise).",
    params(ListCasesQuery),
    responses(
        (status = 200, description = "A page of cases, as JSON or (with `Accept: text/csv`) CSV.",
         content(
            (CasePage = "application/json",
             example = json!({"items": [{"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "child",
                "stage": "notified", "version": 1, "reference": "SBC-2022-0412",
                "opened_at": "2022-12-22T10:15:00Z", "has_overdue_deadlines": false,
                "updated_at": "2022-12-22T10:15:00.482Z", "updated_position": 1042,
                "next_due_at": "2023-01-03T23:59:59.999999Z"}],
                "next_cursor": null})),
            (String = "text/csv", example = json!(CASES_CSV_EXAMPLE)),
         ),
         headers(
            ("Link" = String, description = "CSV only: the next page, `<…>; rel=\"next\"`, when there is one"),
            ("Casetrail-Next-Cursor" = String, description = "CSV only: the next page's cursor, when there is one"),
         )),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases")]
pub async fn list_cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<ListCasesQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = list_query::case_filters(query.into_inner())?;
    let listed = state.queries.cases(&actor, &filters).await?;
    let cases = listed.cases.iter().map(|c| c.case_id.as_uuid());
    access_log::record_list(&state, &actor, cases, Resource::CaseList, filters.as_of).await?;
    let page = CasePage {
        next_cursor: listed
            .next_after
            .map(|after| list_query::encode_case_cursor(filters.sort, after)),
        items: listed.cases.into_iter().map(case_view::summary).collect(),
    };
    if list_csv::wants_csv(&req) {
        let next = page.next_cursor.as_deref();
        return Ok(list_csv::page(
            &req,
            "cases",
            CASE_COLUMNS,
            &page.items,
            next,
        ));
    }
    Ok(HttpResponse::Ok().json(page))
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
    query: Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let (version, detail) = state
        .queries
        .case_as_of(&actor, case_id, query.as_of, |r, p, at| {
            (
                r.version,
                case_view::detail(r, p, at, &ActionsShown::to(&actor, p)),
            )
        })
        .await?;
    access_log::record(&state, &actor, case_id, Resource::Case, query.as_of).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .json(detail))
}

/// Lists deadlines across the cases the actor may see.
#[utoipa::path(
    operation_id = "ListDeadlines",
    tag = "Review status",
    summary = "List deadlines and breaches",
    description = "Every deadline of the cases the caller may see, soonest due first (latest \
first with `sort=-due_at`), with its status at the instant asked (now by default): `pending`, \
`due_soon` (within one working day), `met`, `met_late`, `breached` (past due, unmet; `late_by` \
says how late in working days and hours) or `not_applicable`. With `as_of`, only facts recorded \
by then count: a fact recorded late but backdated shows as breached before it was recorded and \
as met after.\n\n`Accept: text/csv` answers the same page as CSV (RFC 4180, one row per \
deadline with the JSON item's fields, `late_by` in two columns; a text that a spreadsheet would \
run as a formula is prefixed with `'`); the next page is in the `Link` header and its cursor in \
`Casetrail-Next-Cursor`. A cursor is valid only with the `sort` it was given for.",
    params(ListDeadlinesQuery),
    responses(
        (status = 200, description = "A page of deadlines, as JSON or (with `Accept: text/csv`) CSV.",
         content(
            (DeadlinePage = "application/json",
             example = json!({"items": [{"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
                "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "panel_notification",
                "organisation": "southend-council", "due_at": "2023-01-03T23:59:59.999999Z",
                "status": "breached", "fulfilled_at": null,
                "late_by": {"working_days": 2, "hours": 50},
                "fulfilled_by": "RecordPanelNotification", "original_due_at": null,
                "recommendation_id": null}], "next_cursor": null})),
            (String = "text/csv", example = json!(DEADLINES_CSV_EXAMPLE)),
         ),
         headers(
            ("Link" = String, description = "CSV only: the next page, `<…>; rel=\"next\"`, when there is one"),
            ("Casetrail-Next-Cursor" = String, description = "CSV only: the next page's cursor, when there is one"),
         )),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/deadlines")]
pub async fn list_deadlines(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<ListDeadlinesQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = list_query::deadline_filters(query.into_inner())?;
    let listed = state.queries.deadlines(&actor, &filters).await?;
    let cases = listed.deadlines.iter().map(|d| d.case_id.as_uuid());
    access_log::record_list(&state, &actor, cases, Resource::DeadlineList, filters.as_of).await?;
    let descending = filters.descending;
    let page = DeadlinePage {
        next_cursor: listed
            .next_after
            .map(|after| list_query::encode_deadline_cursor(descending, after)),
        items: listed
            .deadlines
            .into_iter()
            .map(case_view::deadline_view)
            .collect(),
    };
    if list_csv::wants_csv(&req) {
        let next = page.next_cursor.as_deref();
        return Ok(list_csv::page(
            &req,
            "deadlines",
            DEADLINE_COLUMNS,
            &page.items,
            next,
        ));
    }
    Ok(HttpResponse::Ok().json(page))
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
    query: Query<AsOfQuery>,
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
