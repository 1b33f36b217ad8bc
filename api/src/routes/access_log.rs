//! The access log of a case, for auditors: who read its detail, deadlines, audit trail or
//! identifying details, when, and with which token's identity.

use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{AccessLogEntryView, AccessLogPage};
use crate::problem::{ApiError, Gathered};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use casetrail_app::queries::AccessFilters;
use casetrail_domain::CaseId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// Query of a case's access log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Only reads at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only reads before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// An access log's cursor: the id of the last read given.
fn encode_cursor(id: u64) -> String {
    super::cursor::encode("l1", id)
}

fn decode_cursor(text: &str) -> Result<u64, ApiError> {
    super::cursor::decode_number("l1", text)
}

/// The query string as typed filters: what is malformed is refused here.
fn filters(query: AccessLogQuery) -> Result<AccessFilters, ApiError> {
    let mut faults = Gathered::default();
    let limit = faults
        .take(super::list_query::page_size(query.limit))
        .unwrap_or_default();
    let after = faults.parse(query.cursor.as_deref(), decode_cursor);
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        faults.take::<()>(Err(ApiError::invalid_parameter(
            "from",
            "query.invalid",
            "from must not be after to",
        )));
    }
    faults.finish()?;
    Ok(AccessFilters {
        limit,
        after,
        from: query.from,
        to: query.to,
    })
}

/// Reads a case's access log.
#[utoipa::path(
    operation_id = "GetCaseAccessLog",
    tag = "Audit",
    summary = "Read who read a case",
    description = "Every served read of the case's detail, deadlines, audit trail, identifying \
details, subject access exports or of this log, and every list read that returned the case \
(`case_list`, `deadline_list`, `audit_trail_list`: the rows of one list read share its request \
id), oldest first: when, what, who (user, name, organisation, roles), the `as_of` asked for and \
the read's request id. Only for auditors (403 otherwise, before the case is looked up). Reads are \
written in batches; this answer includes every read this server answered before it, its own \
included. \
Filters: `from`/`to` on the time of the read. The log is kept apart from the event log and is \
not a read model of it, so `as_of` does not apply. 503 if queued reads cannot be written.",
    params(("case_id" = Uuid, Path, description = "The case"), AccessLogQuery),
    responses(
        (status = 200, description = "A page of the case's access log.", body = AccessLogPage,
         example = json!({"items": [{"accessed_at": "2023-01-05T09:14:03.512004Z",
            "resource": "deadlines", "reader": {"user": "u-4821", "name": "Jo Patel",
            "organisation": "essex-police", "roles": ["agency_user"]}, "as_of": null,
            "request_id": "01937a2e-9000-7000-8000-000000000007"}],
            "next_cursor": "bDE6MTI"})),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}/access-log")]
pub async fn get_case_access_log(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    query: crate::extract::Query<AccessLogQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    // Refused from the token before the query string is read.
    let access_log = state.queries.access_log(&actor)?;
    let filters = filters(query.into_inner())?;
    let case_log = access_log.case(case_id)?;
    // This read is in its own answer.
    access_log::record(&state, &actor, case_id, Resource::AccessLog, None).await?;
    let page = case_log.page(&filters).await?;
    Ok(HttpResponse::Ok().json(AccessLogPage {
        items: page
            .reads
            .into_iter()
            .map(AccessLogEntryView::from)
            .collect(),
        next_cursor: page.next_after.map(encode_cursor),
    }))
}
