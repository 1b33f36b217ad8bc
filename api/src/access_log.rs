//! Recording who read which case (issue 5): every served read of a case's detail, deadlines,
//! audit trail, identifying details, access log or subject access export is queued for the access log before the
//! answer leaves. A read that cannot be queued is refused with 503 rather than served
//! unrecorded.

use crate::problem::ApiError;
use crate::request_context;
use crate::state::AppState;
use casetrail_domain::{Actor, CaseId};
use casetrail_store::AccessRecord;
use chrono::{DateTime, Utc};

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
    let record = AccessRecord {
        accessed_at: Utc::now(),
        partnership: actor.partnership.to_string(),
        case_id: case_id.as_uuid(),
        resource: resource.as_str().to_owned(),
        user_id: actor.user.clone(),
        user_name: actor.name.clone(),
        organisation: actor.org.to_string(),
        roles: actor.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        as_of,
        request_id: request_context::current().request_id,
    };
    state
        .access_log
        .record(record)
        .await
        .map_err(|e| ApiError::Unavailable(e.into()))
}
