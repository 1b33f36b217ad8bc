//! Wire types of the audit trail.

use casetrail_projections::AuditEntry;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Who sent the command that appended the event, as the event's metadata records them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditActorView {
    /// The user's id at the identity provider (the token's `sub`).
    #[schema(example = "u-4821")]
    pub user: String,
    /// The user's display name (staff).
    #[schema(example = "Jo Patel")]
    pub name: String,
    /// The user's organisation; `null` for events the system wrote.
    #[schema(example = "essex-police")]
    pub organisation: Option<String>,
    /// The user's roles when the command was decided.
    #[schema(example = json!(["agency_user"]))]
    #[schema(value_type = Vec<casetrail_domain::Role>)]
    pub roles: Vec<String>,
}

/// One event of the log as the audit trail shows it: who, what, when, on which request. Never
/// the payload: the summary is built from fields that are not personal data.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "position": 42, "stream": "southend/case/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
    "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "event_type": "AgencyReportSubmitted",
    "occurred_at": "2022-09-16T10:00:00Z", "recorded_at": "2022-09-16T10:00:02.417305Z",
    "actor": {"user": "u-4821", "name": "Jo Patel", "organisation": "essex-police",
              "roles": ["agency_user"]},
    "command": "SubmitAgencyReport", "request_id": "01937a2e-9000-7000-8000-000000000001",
    "correlation_id": "01937a2e-9000-7000-8000-0000000000aa",
    "summary": "Essex Police submitted its agency report"}))]
pub struct AuditEntryView {
    /// Global position in the log: the order of the trail.
    pub position: u64,
    /// The stored stream: `<partnership>/case/<case_id>` or `<partnership>/partnership`.
    pub stream: String,
    /// The case, for an event of a case; `null` for the partnership's own facts.
    pub case_id: Option<Uuid>,
    /// The stored event type (docs/events.md), e.g. `AgencyReportSubmitted`.
    pub event_type: String,
    /// When the fact happened (for the partnership's own facts, when it was recorded).
    pub occurred_at: DateTime<Utc>,
    /// When Casetrail recorded it.
    pub recorded_at: DateTime<Utc>,
    /// Who did it.
    pub actor: AuditActorView,
    /// The command (its OpenAPI operationId), e.g. `SubmitAgencyReport`.
    #[schema(value_type = Option<super::CommandName>)]
    pub command: Option<String>,
    /// The HTTP request id (`x-request-id` of the command's response).
    pub request_id: Option<String>,
    /// Shared by every event one command appended.
    pub correlation_id: Option<Uuid>,
    /// A short sentence without personal data.
    pub summary: String,
}

impl From<&AuditEntry> for AuditEntryView {
    fn from(entry: &AuditEntry) -> Self {
        AuditEntryView {
            position: entry.position,
            stream: entry.stream.clone(),
            case_id: entry.case_id.map(|id| id.as_uuid()),
            event_type: entry.event_type.clone(),
            occurred_at: entry.occurred_at,
            recorded_at: entry.recorded_at,
            actor: AuditActorView {
                user: entry.actor.user.clone(),
                name: entry.actor.name.clone(),
                organisation: entry.actor.org.as_ref().map(ToString::to_string),
                roles: entry.actor.roles.clone(),
            },
            command: entry.command.clone(),
            request_id: entry.request_id.clone(),
            correlation_id: entry.correlation_id,
            summary: entry.summary.clone(),
        }
    }
}

/// A page of the audit trail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditTrailPage {
    /// The entries, in log order.
    pub items: Vec<AuditEntryView>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}
