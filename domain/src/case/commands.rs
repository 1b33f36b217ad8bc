//! Commands on a case, already parsed from the wire into domain types.

use super::{AbuseOrNeglect, Harm, LocationBasis, SealedPersonalData};
use crate::CaseId;
use chrono::{DateTime, NaiveDate, Utc};

/// NotifyIncident: the local authority notifies a serious incident (domain.md step 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyIncident {
    /// Id for the new case, chosen by the caller (the HTTP edge).
    pub case_id: CaseId,
    /// Pseudonymous reference.
    pub child_reference: String,
    /// Date of birth: used to derive the age band, then stored only sealed.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
    /// Looked after.
    pub looked_after: bool,
    /// Child protection plan.
    pub child_protection_plan: bool,
    /// Names, date of birth and summary, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// Incident date.
    pub incident_date: NaiveDate,
    /// Date the local authority became aware.
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
    /// When it happened, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordPanelNotification: the Panel was notified (domain.md step 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPanelNotification {
    /// The Panel's reference.
    pub panel_reference: String,
    /// The day it was submitted.
    pub submitted_on: NaiveDate,
    /// When it happened, if not now (must fall on `submitted_on`).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Any command on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseCommand {
    /// See [`NotifyIncident`].
    NotifyIncident(NotifyIncident),
    /// See [`RecordPanelNotification`].
    RecordPanelNotification(RecordPanelNotification),
}

impl CaseCommand {
    /// The command's name, which is also its OpenAPI operationId.
    pub fn name(&self) -> &'static str {
        match self {
            CaseCommand::NotifyIncident(_) => "NotifyIncident",
            CaseCommand::RecordPanelNotification(_) => "RecordPanelNotification",
        }
    }
}
