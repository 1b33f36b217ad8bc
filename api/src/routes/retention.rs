//! Retention: the list of closed cases due for erasure (`casetrail_app::queries::RetentionList`
//! decides which), in pages.

use super::cursor;
use crate::auth::Authenticated;
use crate::dto::{RetentionDuePage, RetentionDueView};
use crate::problem::{ApiError, Gathered};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use casetrail_app::queries::DueCase;
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of the due list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RetentionDueQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

fn encode_cursor(after: u64) -> String {
    cursor::encode("r1", after)
}

fn decode_cursor(text: &str) -> Result<u64, ApiError> {
    cursor::decode_number("r1", text)
}

fn due_view(case: DueCase) -> RetentionDueView {
    let case_id = case.case_id.as_uuid();
    RetentionDueView {
        case_id,
        reference: case.reference,
        kind: super::case_view::enum_str(&case.kind),
        closed_at: case.closed_at,
        retention_ends_on: case.retention_ends_on,
        erasure: format!("/v1/cases/{case_id}/erasure"),
    }
}

/// Lists the cases whose retention period has ended.
#[utoipa::path(
    operation_id = "ListRetentionDue",
    tag = "Partnership",
    summary = "List the cases due for erasure",
    description = "Closed cases whose retention period, as the partnership's `retention` setting \
(`GET /v1/partnership`) defines it, ended before today (Europe/London) and whose personal \
details are still held, in the order the cases were opened, in pages. A child case is due once \
both `child_years_after_closure` after its closure and the end of the year of the child's \
`child_until_age` birthday have passed; adult and domestic homicide cases once their years after \
closure have passed. The date of birth is sealed, so the list opens the sealed details of the \
closed cases past the closure rule when it is asked for; it never shows them, and the year-end \
rule keeps the exact date of birth out of `retention_ends_on`. Each case is erased with \
`POST /v1/cases/{case_id}/erasure` (EraseCasePersonalData, role `admin`, with the reason and the \
legal basis, e.g. the end of the retention period); an erased case leaves the list. Roles: \
`admin` or `business_manager` (403 otherwise).",
    params(RetentionDueQuery),
    responses(
        (status = 200, description = "A page of cases due for erasure.", body = RetentionDuePage,
         example = json!({"items": [{"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
            "reference": "SBC-2014-0087", "kind": "child", "closed_at": "2015-06-30T10:00:00Z",
            "retention_ends_on": "2021-06-30",
            "erasure": "/v1/cases/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f/erasure"}],
            "next_cursor": null})),
    ),
    security(("bearer" = []))
)]
#[get("/v1/retention/due")]
pub async fn list_retention_due(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: crate::extract::Query<RetentionDueQuery>,
) -> Result<HttpResponse, ApiError> {
    // The role before the request is read: every other role gets the same 403.
    let list = state.queries.retention_list(&actor)?;
    let mut faults = Gathered::default();
    let limit = faults
        .take(super::list_query::page_size(query.limit))
        .unwrap_or_default();
    let after = faults.parse(query.cursor.as_deref(), decode_cursor);
    faults.finish()?;
    let page = list.due(after, limit).await?;
    Ok(HttpResponse::Ok().json(RetentionDuePage {
        items: page.cases.into_iter().map(due_view).collect(),
        next_cursor: page.next_after.map(encode_cursor),
    }))
}
