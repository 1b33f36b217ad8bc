//! Recording who read which case (issue 5): every served read of a case's detail, deadlines,
//! audit trail, identifying details, access log or subject access export is queued for the access log before the
//! answer leaves. A read that cannot be queued is refused with 503 rather than served
//! unrecorded.
//!
//! A list read (cases, deadlines, the audit trail) is recorded too, once for each case it
//! returned, under a resource of its own (`case_list`, `deadline_list`, `audit_trail_list`):
//! the access log answers "who has seen this case", and a list that showed the case is part of
//! the answer. One row per case keeps that question on the existing index (no separate table of
//! ids to join); the rows of one list read share its request id. A list that returned no case
//! says nothing about any case and is not recorded.

use crate::problem::ApiError;
use crate::request_context;
use crate::state::AppState;
use casetrail_domain::{Actor, CaseId};
use casetrail_store::AccessRecord;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use uuid::Uuid;

/// What of a case was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `GET /v1/cases/{id}`.
    Case,
    /// `GET /v1/cases/{id}/deadlines`.
    Deadlines,
    /// `GET /v1/cases/{id}/audit-trail`.
    AuditTrail,
    /// `GET /v1/cases/{id}/personal-details`.
    PersonalDetails,
    /// `GET /v1/cases/{id}/access-log`: who looked at who looked.
    AccessLog,
    /// `GET /v1/cases/{id}/subject-access-export`: everything held about the person.
    SubjectAccessExport,
    /// `GET /v1/cases`: the case was in the list returned.
    CaseList,
    /// `GET /v1/deadlines`: a deadline of the case was in the list returned.
    DeadlineList,
    /// `GET /v1/audit-trail`: an event of the case was in the list returned.
    AuditTrailList,
}

impl Resource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Case => "case",
            Resource::Deadlines => "deadlines",
            Resource::AuditTrail => "audit_trail",
            Resource::PersonalDetails => "personal_details",
            Resource::AccessLog => "access_log",
            Resource::SubjectAccessExport => "subject_access_export",
            Resource::CaseList => "case_list",
            Resource::DeadlineList => "deadline_list",
            Resource::AuditTrailList => "audit_trail_list",
        }
    }
}

/// Queues the record of a read about to be served.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    case_id: CaseId,
    resource: Resource,
    as_of: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    queue(
        state,
        record_of(actor, case_id.as_uuid(), resource, as_of, state.clock.now()),
    )
    .await
}

/// Queues the records of a list read about to be served: one for each case it returned, in
/// the order first returned, all at the same instant.
pub async fn record_list(
    state: &AppState,
    actor: &Actor,
    case_ids: impl IntoIterator<Item = Uuid>,
    resource: Resource,
    as_of: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    let at = state.clock.now();
    let mut seen = HashSet::new();
    for case_id in case_ids {
        if seen.insert(case_id) {
            queue(state, record_of(actor, case_id, resource, as_of, at)).await?;
        }
    }
    Ok(())
}

async fn queue(state: &AppState, record: AccessRecord) -> Result<(), ApiError> {
    state
        .access_log
        .record(record)
        .await
        .map_err(|e| ApiError::Unavailable(e.into()))
}

fn record_of(
    actor: &Actor,
    case_id: Uuid,
    resource: Resource,
    as_of: Option<DateTime<Utc>>,
    accessed_at: DateTime<Utc>,
) -> AccessRecord {
    AccessRecord {
        accessed_at,
        partnership: actor.partnership.to_string(),
        case_id,
        resource: resource.as_str().to_owned(),
        user_id: actor.user.clone(),
        user_name: actor.name.clone(),
        organisation: actor.org.to_string(),
        roles: actor.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        as_of,
        request_id: request_context::current().request_id,
    }
}
