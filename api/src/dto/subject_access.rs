//! Wire types of a subject access export (UK GDPR Art. 15): everything held about the child,
//! adult or victim of one case, for the partnership's data protection officer.

use super::{AccessLogEntryView, AuditActorView, AuditEntryView, CaseDetail, PersonalDetails};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One piece of sealed free text recorded about the case, opened, with where it came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SealedRecordView {
    /// The event's position in the log (the audit trail's `position`).
    pub position: u64,
    /// The stored event type, e.g. `AgencyReportSubmitted`.
    pub event_type: String,
    /// The command that recorded it (its operationId), e.g. `SubmitAgencyReport`.
    #[schema(value_type = Option<super::CommandName>)]
    pub command: Option<String>,
    /// Which field of the event held it: `personal_data` (names, date of birth and summary or
    /// concerns), `report`, `rationale`, `justification`, `terms_of_reference`, `reasons`,
    /// `reason`, `findings`, `overview` or `advice`.
    pub field: String,
    /// When the fact happened.
    pub occurred_at: DateTime<Utc>,
    /// When Casetrail recorded it.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it.
    pub recorded_by: AuditActorView,
    /// The text as recorded: a string, or an object for structured text (an agency report's
    /// `involvement`, `summary` and `learning`; the opening `personal_data`).
    #[schema(value_type = Value)]
    pub content: serde_json::Value,
}

/// Who asked for the export.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportRequesterView {
    /// The user's id at the identity provider.
    pub user: String,
    /// Display name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
}

/// Everything Casetrail holds about the person at the heart of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectAccessExport {
    /// The case.
    pub case_id: Uuid,
    /// The case's pseudonymous reference.
    pub reference: String,
    /// `child`, `adult` or `domestic_homicide`.
    #[schema(value_type = casetrail_domain::case::CaseKind)]
    pub kind: String,
    /// Whom the case is about: `child`, `adult` or `victim`.
    #[schema(value_type = super::DataSubject)]
    pub data_subject: String,
    /// When the export was produced.
    pub generated_at: DateTime<Utc>,
    /// Who produced it.
    pub generated_by: ExportRequesterView,
    /// The identifying details, as `GET /v1/cases/{case_id}/personal-details` gives them.
    pub personal_details: PersonalDetails,
    /// Every sealed free text recorded about the case, opened, in log order (the opening
    /// details included).
    pub sealed_records: Vec<SealedRecordView>,
    /// The case's facts that identify no one: kind, stage, the person's recorded attributes
    /// (age band, sex, ethnicity, looked after...), decisions and deadlines.
    pub case: CaseDetail,
    /// Every event of the case: when, which command, by whom (organisation) and a summary
    /// without personal data.
    pub process_history: Vec<AuditEntryView>,
    /// Every recorded read of the case, this export included: who read the person's details
    /// and the case, and when.
    pub access_log: Vec<AccessLogEntryView>,
}
