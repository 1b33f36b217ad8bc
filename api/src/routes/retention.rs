//! Retention: the closed cases whose personal details have been kept as long as the
//! partnership's retention schedule says, so that an admin can erase them.
//!
//! A child case's period may run to the child's 25th birthday (or whatever age the partnership
//! sets), but the date of birth is sealed and no read model or event holds it, in clear or in
//! any form it could be derived from. So the list opens the sealed details of the candidates
//! when it is asked for: only closed cases past the closure rule (which needs no personal
//! data) can be due, which keeps the opening to those few.

use super::cursor;
use super::subject_access::case_events;
use crate::auth::Authenticated;
use crate::dto::{RetentionDuePage, RetentionDueView};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use casetrail_app::personal_data::{self, ChildPersonalData};
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::{Case, CaseKind};
use casetrail_domain::partnership::RetentionSettings;
use casetrail_domain::{Actor, CaseId, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;

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

/// A closed case that the closure rule alone already lets go.
struct Candidate {
    opened_position: u64,
    case_id: CaseId,
    kind: CaseKind,
    reference: String,
    closed_at: DateTime<Utc>,
}

fn encode_cursor(after: u64) -> String {
    cursor::encode("r1", after)
}

fn decode_cursor(text: &str) -> Result<u64, ApiError> {
    cursor::decode_number("r1", text)
}

/// The closed cases after the cursor whose closure-rule period has ended by `today`.
fn candidates(
    state: &AppState,
    actor: &Actor,
    after: Option<u64>,
    today: NaiveDate,
) -> (RetentionSettings, Vec<Candidate>) {
    let models = state.projector.read();
    let Some(partnership) = models.partnership(&actor.partnership) else {
        return (RetentionSettings::default(), Vec::new());
    };
    let retention = partnership.settings.retention;
    let found = models
        .cases(&actor.partnership)
        .filter(|r| after.is_none_or(|a| r.opened_position > a))
        .filter(|r| r.case.personal_data_erased_at.is_none())
        .filter_map(|r| {
            let closed_at = r.case.after.closed.as_ref()?.occurred_at;
            let ends = retention.closure_rule_ends_on(r.case.kind, local_date(closed_at));
            (ends < today).then(|| Candidate {
                opened_position: r.opened_position,
                case_id: r.case.case_id,
                kind: r.case.kind,
                reference: r.case.reference().to_owned(),
                closed_at,
            })
        })
        .collect();
    (retention, found)
}

/// The last day of the candidate's period, or `None` when its personal data is already
/// erased (nothing left to erase).
async fn retention_ends_on(
    state: &AppState,
    actor: &Actor,
    retention: &RetentionSettings,
    candidate: &Candidate,
) -> Result<Option<NaiveDate>, ApiError> {
    let events = case_events(state, actor, candidate.case_id).await?;
    let opening = events
        .first()
        .and_then(|(_, event)| Case::evolve(None, event))
        .map(|case| case.personal_data().clone())
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a case stream that opens no case")))?;
    let opened: Option<ChildPersonalData> = personal_data::open(&state.data_keys, &opening).await?;
    let Some(details) = opened else {
        return Ok(None);
    };
    Ok(Some(retention.ends_on(
        candidate.kind,
        local_date(candidate.closed_at),
        Some(details.date_of_birth),
    )))
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
    query: web::Query<RetentionDueQuery>,
) -> Result<HttpResponse, ApiError> {
    if !actor.has(Role::Admin) && !actor.has(Role::BusinessManager) {
        return Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "the retention list needs the role admin or business_manager",
        ));
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(
            "query.invalid_limit",
            "limit must be 1 to 500",
        ));
    }
    let after = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let today = local_date(state.clock.now());
    let (retention, candidates) = candidates(&state, &actor, after, today);
    let mut items = Vec::new();
    let mut next_cursor = None;
    for candidate in &candidates {
        let Some(ends_on) = retention_ends_on(&state, &actor, &retention, candidate).await? else {
            continue;
        };
        if ends_on >= today {
            continue;
        }
        if items.len() == limit {
            // One more due case than asked: the page ends at the last one given.
            next_cursor = items
                .last()
                .map(|(position, _): &(u64, RetentionDueView)| encode_cursor(*position));
            break;
        }
        let case_id = candidate.case_id.as_uuid();
        items.push((
            candidate.opened_position,
            RetentionDueView {
                case_id,
                reference: candidate.reference.clone(),
                kind: super::case_view::enum_str(&candidate.kind),
                closed_at: candidate.closed_at,
                retention_ends_on: ends_on,
                erasure: format!("/v1/cases/{case_id}/erasure"),
            },
        ));
    }
    Ok(HttpResponse::Ok().json(RetentionDuePage {
        items: items.into_iter().map(|(_, view)| view).collect(),
        next_cursor,
    }))
}
