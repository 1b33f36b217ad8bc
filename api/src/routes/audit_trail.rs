//! The audit trail: every event of the log the caller may see, with who did it, on which
//! command and request, and a summary without personal data, as of now or any past instant.

use super::list_query;
use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{AuditEntryView, AuditTrailPage};
use crate::extract::Query;
use crate::problem::{ApiError, Gathered};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use casetrail_app::queries::{AuditFilters, TrailPage};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// Query of the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditTrailQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Only events of commands sent by this user (the token's `sub`).
    #[param(example = "u-4821")]
    pub actor: Option<String>,
    /// Only events of commands sent by users of this organisation (slug).
    #[param(example = "essex-police")]
    pub organisation: Option<String>,
    /// Only events of this command (its operationId), e.g. `SubmitAgencyReport`.
    #[param(example = "SubmitAgencyReport", value_type = Option<crate::dto::CommandName>)]
    pub command: Option<String>,
    /// Only events recorded at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only events recorded before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Answer as the trail stood at this instant (RFC 3339): only events recorded by then, and
    /// the cases an agency user was involved in then. Default: now.
    pub as_of: Option<DateTime<Utc>>,
}

/// The query string as typed filters: what is malformed is refused here, every parameter at
/// fault named at once; the matching is the query's.
fn filters(query: AuditTrailQuery) -> Result<AuditFilters, ApiError> {
    let mut faults = Gathered::default();
    let limit = faults
        .take(list_query::page_size(query.limit))
        .unwrap_or_default();
    let after = faults.parse(query.cursor.as_deref(), decode_cursor);
    if let Some(actor) = &query.actor
        && (actor.is_empty() || actor.len() > 255)
    {
        faults.take::<()>(Err(ApiError::invalid_parameter(
            "actor",
            "query.invalid",
            "actor must be a user id of 1 to 255 characters",
        )));
    }
    let organisation = faults.parse(query.organisation.as_deref(), |o| {
        OrgSlug::parse(o).map_err(|_| {
            ApiError::invalid_parameter(
                "organisation",
                "query.invalid",
                "organisation must be a slug",
            )
        })
    });
    // Command names are operationIds: a typo such as `submit_agency_report` would match
    // nothing, so it is refused rather than answered with an empty trail.
    if let Some(command) = &query.command {
        let operation_id = command.len() <= 64
            && command.starts_with(|c: char| c.is_ascii_uppercase())
            && command.chars().all(|c| c.is_ascii_alphanumeric());
        if !operation_id {
            faults.take::<()>(Err(ApiError::invalid_parameter(
                "command",
                "query.invalid",
                "command must be a command name such as SubmitAgencyReport",
            )));
        }
    }
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
    Ok(AuditFilters {
        limit,
        after,
        actor: query.actor,
        organisation,
        command: query.command,
        from: query.from,
        to: query.to,
        as_of: query.as_of,
    })
}

fn page(trail: TrailPage) -> AuditTrailPage {
    AuditTrailPage {
        items: trail.entries.iter().map(AuditEntryView::from).collect(),
        next_cursor: trail.next_after.map(encode_cursor),
    }
}

/// Reads one case's audit trail.
#[utoipa::path(
    operation_id = "GetCaseAuditTrail",
    tag = "Audit",
    summary = "Read a case's audit trail",
    description = "Every event of the case in log order: its position, when it happened and was \
recorded, who sent the command (user, name, organisation, roles), the command, the request id \
(the `x-request-id` of the command's response) and a one-sentence summary that never contains \
personal data. Filters: `actor`, `organisation`, `command`, and `from`/`to` on the recorded time. \
With `as_of`, only the events recorded by then. Another partnership's case, one an agency user's \
organisation is not involved in (at `as_of`, or now), or one not yet opened at `as_of` is 404.",
    params(("case_id" = Uuid, Path, description = "The case"), AuditTrailQuery),
    responses(
        (status = 200, description = "A page of the case's trail.", body = AuditTrailPage,
         example = json!({"items": [{"position": 42,
            "stream": "southend/case/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
            "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "event_type": "AgencyReportSubmitted",
            "occurred_at": "2022-09-16T10:00:00Z", "recorded_at": "2022-09-16T10:00:02.417305Z",
            "actor": {"user": "u-4821", "name": "Jo Patel", "organisation": "essex-police",
                      "roles": ["agency_user"]},
            "command": "SubmitAgencyReport", "request_id": "01937a2e-9000-7000-8000-000000000001",
            "correlation_id": "01937a2e-9000-7000-8000-0000000000aa",
            "summary": "Essex Police submitted its agency report"}],
            "next_cursor": "YTE6NDI"})),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}/audit-trail")]
pub async fn get_case_audit_trail(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    query: Query<AuditTrailQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let filters = filters(query.into_inner())?;
    let trail = state
        .queries
        .case_audit_trail(&actor, case_id, &filters)
        .await?;
    access_log::record(&state, &actor, case_id, Resource::AuditTrail, filters.as_of).await?;
    Ok(HttpResponse::Ok().json(page(trail)))
}

/// Lists the partnership's audit trail.
#[utoipa::path(
    operation_id = "ListAuditTrail",
    tag = "Audit",
    summary = "List the audit trail",
    description = "Every event of the caller's partnership in log order, as for a case's trail: \
the partnership's own facts (organisations, settings, bank holidays) and the events of every case \
the caller may see. Agency users see only the events of cases their organisation is involved in \
(at `as_of`, or now); auditors, statutory partners, the business manager and the Independent \
Advisor see the whole partnership. Filters: `actor` (user id), `organisation` (the actor's), \
`command`, and `from` (inclusive) / `to` (exclusive) on the recorded time. With `as_of`, only the \
events recorded by then.",
    params(AuditTrailQuery),
    responses(
        (status = 200, description = "A page of the trail.", body = AuditTrailPage,
         example = json!({"items": [{"position": 1, "stream": "southend/partnership",
            "case_id": null, "event_type": "PartnershipEstablished",
            "occurred_at": "2022-04-01T09:00:00Z", "recorded_at": "2022-04-01T09:00:00Z",
            "actor": {"user": "system", "name": "Casetrail demo data", "organisation": null,
                      "roles": []},
            "command": "EstablishPartnership", "request_id": null,
            "correlation_id": "5b2c6b6e-3f3c-5d1f-9c55-2f3e0c1d4a10",
            "summary": "The partnership was established"},
            {"position": 20, "stream": "southend/case/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
            "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "event_type": "IncidentNotified",
            "occurred_at": "2022-12-22T10:15:00Z", "recorded_at": "2022-12-22T10:15:00.301442Z",
            "actor": {"user": "u-1093", "name": "Sam Green", "organisation": "southend-council",
                      "roles": ["notifier"]},
            "command": "NotifyIncident", "request_id": "01937a2e-9000-7000-8000-000000000001",
            "correlation_id": "01937a2e-9000-7000-8000-0000000000ab",
            "summary": "Southend Borough Council notified a serious child safeguarding incident"}],
            "next_cursor": "YTE6MjA"})),
    ),
    security(("bearer" = []))
)]
#[get("/v1/audit-trail")]
pub async fn list_audit_trail(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<AuditTrailQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = filters(query.into_inner())?;
    let trail = state.queries.audit_trail(&actor, &filters).await?;
    let cases = trail
        .entries
        .iter()
        .filter_map(|entry| entry.case_id.map(|id| id.as_uuid()));
    access_log::record_list(
        &state,
        &actor,
        cases,
        Resource::AuditTrailList,
        filters.as_of,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page(trail)))
}

/// An audit trail's cursor: the position of the last entry given.
fn encode_cursor(after: u64) -> String {
    super::cursor::encode("a1", after)
}

fn decode_cursor(text: &str) -> Result<u64, ApiError> {
    super::cursor::decode_number("a1", text)
}
