//! Wire types of multi-agency audits (docs/rules.md AU-1 to AU-3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use casetrail_domain::learning::MeetingGroup;

/// CommissionAudit request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "reference": "MAA-2022-03", "topic": "Neglect of children under five",
    "group": "audit_quality_performance_children",
    "agencies": ["southend-council", "essex-police", "suhft"], "sample_size": 12}))]
pub struct CommissionAuditRequest {
    /// The audit's own reference (1 to 64 characters).
    pub reference: String,
    /// What is audited (1 to 200 characters, no personal data).
    pub topic: String,
    /// The group that owns the audit and its action plans.
    pub group: MeetingGroup,
    /// The agencies taking part (1 to 100, each once, registered): each becomes involved.
    pub agencies: Vec<String>,
    /// How many cases the audit samples (1 to 10,000).
    pub sample_size: u32,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordAuditFindings request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"cases_audited": 11,
    "findings": "In 8 of 11 cases the school nurse was not told of a new baby; escalation was used in 2."}))]
pub struct RecordAuditFindingsRequest {
    /// How many cases were audited in the end (1 to the sample's size).
    pub cases_audited: u32,
    /// The findings, in aggregate and without personal data (1 to 20,000 characters).
    pub findings: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A multi-agency audit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditView {
    /// Its reference.
    pub reference: String,
    /// What is audited.
    pub topic: String,
    /// The owning group.
    pub group: MeetingGroup,
    /// The agencies taking part.
    pub agencies: Vec<String>,
    /// The sample's size.
    pub sample_size: u32,
    /// When it was commissioned.
    pub commissioned_at: DateTime<Utc>,
    /// How many cases were audited, once the findings are recorded.
    pub cases_audited: Option<u32>,
    /// The findings.
    pub findings: Option<String>,
    /// When the findings were recorded.
    pub findings_recorded_at: Option<DateTime<Utc>>,
}
