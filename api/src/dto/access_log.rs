//! Wire types of the access log.

use casetrail_store::LoggedAccess;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// Who read the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessReaderView {
    /// The reader's id at the identity provider (the token's `sub`).
    #[schema(example = "u-4821")]
    pub user: String,
    /// The reader's display name (staff).
    #[schema(example = "Jo Patel")]
    pub name: String,
    /// The reader's organisation.
    #[schema(example = "essex-police")]
    pub organisation: String,
    /// The reader's roles in the token of the read.
    #[schema(example = json!(["agency_user"]))]
    #[schema(value_type = Vec<casetrail_domain::Role>)]
    pub roles: Vec<String>,
}

/// One read of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "accessed_at": "2023-01-05T09:14:03.512004Z", "resource": "deadlines",
    "reader": {"user": "u-4821", "name": "Jo Patel", "organisation": "essex-police",
               "roles": ["agency_user"]},
    "as_of": null, "request_id": "01937a2e-9000-7000-8000-000000000007"}))]
pub struct AccessLogEntryView {
    /// When the answer was given.
    pub accessed_at: DateTime<Utc>,
    /// What was read: `case` (the detail), `deadlines`, `audit_trail`, `personal_details`
    /// (the identifying details), `access_log` or `subject_access_export`; or a list read
    /// that returned the case: `case_list` (`GET /v1/cases`), `deadline_list`
    /// (`GET /v1/deadlines`) or `audit_trail_list` (`GET /v1/audit-trail`).
    #[schema(example = "case")]
    pub resource: String,
    /// Who read it.
    pub reader: AccessReaderView,
    /// The past instant the reader asked to see, if the read used `as_of`.
    pub as_of: Option<DateTime<Utc>>,
    /// The read's request id (`x-request-id` of its response).
    pub request_id: String,
}

impl From<LoggedAccess> for AccessLogEntryView {
    fn from(logged: LoggedAccess) -> Self {
        let r = logged.record;
        AccessLogEntryView {
            accessed_at: r.accessed_at,
            resource: r.resource,
            reader: AccessReaderView {
                user: r.user_id,
                name: r.user_name,
                organisation: r.organisation,
                roles: r.roles,
            },
            as_of: r.as_of,
            request_id: r.request_id,
        }
    }
}

/// A page of a case's access log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogPage {
    /// The reads, oldest first.
    pub items: Vec<AccessLogEntryView>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}
