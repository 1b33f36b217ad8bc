//! Multi-agency audits (docs/rules.md AU-1 to AU-3): commissioned as a case of their own kind,
//! with no personal data and no data key; their findings; then recommendations and action
//! plans as any case has.

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_command!`.
#![allow(missing_debug_implementations)]

use super::command;
use crate::auth::Authenticated;
use crate::dto::{CommissionAuditRequest, RecordAuditFindingsRequest};
use crate::extract::{JsonBody, expectations};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use casetrail_app::Addressed;
use casetrail_domain::CaseId;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::audit::{CommissionAudit, RecordAuditFindings};
use uuid::Uuid;

/// CommissionAudit: a multi-agency audit opens as a case of kind `audit`.
#[utoipa::path(
    operation_id = "CommissionAudit",
    tag = "Learning",
    summary = "Commission a multi-agency audit",
    description = "A multi-agency audit of a topic (1 to 200 characters), owned by one of the \
partnership's groups (the Audit, Quality Assurance and Performance groups, usually), across 1 to \
100 agencies registered in the partnership (each once: 422 `organisation.duplicate`, \
`organisation.unknown`), on a sample of 1 to 10,000 cases. It opens a case of kind `audit` (stage \
`audit_under_way`) that holds no personal data: no data key, no identifying details, nothing to \
erase or export. The agencies become involved, so their users see the audit and its action \
plans as they see their own cases. Role: `business_manager`.",
    request_body = CommissionAuditRequest,
    params(crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "The audit is open.", body = crate::dto::CommandAccepted,
         headers(("Location" = String, description = "The audit's case"),
                 ("ETag" = String, description = "The case's version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/audits")]
pub async fn commission_audit(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<CommissionAuditRequest>,
) -> Result<HttpResponse, ApiError> {
    // The role before anything else: a refusal must not depend on what exists.
    casetrail_app::bus::require_writer(&actor)?;
    casetrail_domain::case::may_send("CommissionAudit", &actor)?;
    let mut expectations = expectations(&req, &body.request_hash)?;
    let case_id = expectations
        .idempotency
        .as_ref()
        .map_or_else(|| CaseId::from_uuid(Uuid::now_v7()), |i| i.case_id(&actor));
    // A new case, and one without personal data: nothing to match, no data key.
    expectations.if_match = None;
    let value = body.value;
    let agencies = value
        .agencies
        .iter()
        .enumerate()
        .map(|(n, agency)| command::organisation(&format!("agencies[{n}]"), agency))
        .collect::<Result<Vec<_>, _>>()?;
    let audit = CaseCommand::CommissionAudit(CommissionAudit {
        case_id,
        reference: value.reference,
        topic: value.topic,
        group: value.group,
        agencies,
        sample_size: value.sample_size,
        occurred_at: value.occurred_at,
    });
    let target = Addressed::new_case(&actor, case_id, audit);
    let done = state.bus.execute(&actor, target, expectations).await?;
    Ok(command::accepted(StatusCode::CREATED, case_id, done))
}

case_command!(
    tag = "Learning",
    record_audit_findings,
    "RecordAuditFindings",
    "/v1/cases/{case_id}/audit-findings",
    "Record an audit's findings",
    "What the audit found, in aggregate and without personal data (1 to 20,000 characters), and \
how many cases were audited in the end (1 to the sample's size). Once (409 \
`audit.findings_already_recorded`); the audit moves to `audit_reported`, its recommendations \
may be added (AddRecommendation) with their action plans, and it may be closed \
(`audit_completed`). Role: `business_manager`.",
    RecordAuditFindingsRequest,
    |body, _input| CaseCommand::RecordAuditFindings(RecordAuditFindings {
        cases_audited: body.cases_audited,
        findings: body.findings,
        occurred_at: body.occurred_at,
    })
);

/// Registers this module's routes, in the order the OpenAPI document lists them.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(commission_audit).service(record_audit_findings);
}
