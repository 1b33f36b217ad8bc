//! Subject access (UK GDPR Art. 15): everything Casetrail holds about the child, adult or victim
//! of one case, opened, for the partnership's data protection officer to answer a request from
//! the person or their representative.

use super::Queries;
use super::sealed::{case_events, open};
use crate::error::AppError;
use crate::personal_data::ChildPersonalData;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, CaseId, DomainError, Role};
use casetrail_projections::{AuditEntry, CaseRecord};
use chrono::{DateTime, Utc};

/// One piece of sealed free text recorded about the case, opened, with the event it came in.
#[derive(Debug, Clone)]
pub struct SealedRecord {
    /// The event that recorded it, as the audit trail shows it.
    pub entry: AuditEntry,
    /// Which field of the event held it, as a data protection officer reads it:
    /// `personal_data`, `report`, `rationale`, `justification`, `terms_of_reference`,
    /// `reasons`, `reason`, `findings`, `overview`, `advice` (or `text`).
    pub field: &'static str,
    /// The text as recorded: a string, or an object for structured text.
    pub content: serde_json::Value,
}

/// Everything held about the person at the heart of a case, but who read it (see
/// [`Queries::case_reads`]: the export is itself a read, recorded once it is assembled).
#[derive(Debug, Clone)]
pub struct SubjectAccess {
    /// The instant it was assembled at (deadlines are evaluated then).
    pub at: DateTime<Utc>,
    /// The partnership now (its calendar judges the deadlines).
    pub partnership: Partnership,
    /// The case as the read models hold it: the facts that identify no one.
    pub case: CaseRecord,
    /// The identifying details the case was opened with.
    pub personal_details: ChildPersonalData,
    /// Every sealed free text recorded about the case, opened, in log order (the opening
    /// details included).
    pub sealed_records: Vec<SealedRecord>,
    /// Every event of the case, in log order.
    pub process_history: Vec<AuditEntry>,
}

impl Queries {
    /// Everything held about the person of the case, opened. Only the business manager may ask,
    /// and that is judged from the token before the case is looked up: whether a case exists is
    /// itself not for other roles. A case of no partnership or none at all is not found; one
    /// whose personal data is erased (recorded so, or its key already destroyed) is gone.
    pub async fn subject_access(
        &self,
        actor: &Actor,
        case_id: CaseId,
    ) -> Result<SubjectAccess, AppError> {
        if !actor.has(Role::BusinessManager) {
            return Err(DomainError::forbidden(
                "auth.role_required",
                "a subject access export needs the role business_manager",
            )
            .into());
        }
        let at = self.now();
        let (partnership, case) = {
            let models = self.projector.read();
            let partnership = models
                .partnership(&actor.partnership)
                .ok_or_else(AppError::case_not_found)?;
            let record = models
                .case(&actor.partnership, case_id)
                .ok_or_else(AppError::case_not_found)?;
            // Recorded as erased: gone, even in the moment before the key is destroyed.
            if record.case.personal_data_erased_at.is_some() {
                return Err(AppError::personal_data_gone());
            }
            (partnership.clone(), record.clone())
        };
        let opening = case
            .case
            .personal_data()
            .map(|p| p.key_id)
            .ok_or_else(AppError::no_personal_data)?;
        let events = case_events(self.projector.store(), &actor.partnership, case_id).await?;
        let (process_history, sealed) = {
            let models = self.projector.read();
            let mut history = Vec::with_capacity(events.len());
            let mut sealed = Vec::new();
            for (recorded, event) in &events {
                let entry = models
                    .audit()
                    .render(&actor.partnership, recorded)
                    .map_err(|e| AppError::Internal(e.into()))?;
                // The domain lends its sealed field mutably only; a copy keeps the event intact.
                let mut copy = event.clone();
                if let Some(data) = copy.sealed_mut() {
                    sealed.push((entry.clone(), sealed_field(event), data.clone()));
                }
                history.push(entry);
            }
            (history, sealed)
        };
        let mut sealed_records = Vec::with_capacity(sealed.len());
        let mut personal_details = None;
        for (entry, field, data) in sealed {
            let content: serde_json::Value = open(&self.data_keys, &data).await?;
            if personal_details.is_none() && data.key_id == opening && field == "personal_data" {
                let opened: ChildPersonalData = serde_json::from_value(content.clone())
                    .map_err(|e| AppError::Internal(e.into()))?;
                personal_details = Some(opened);
            }
            sealed_records.push(SealedRecord {
                entry,
                field,
                content,
            });
        }
        let personal_details = personal_details.ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("a case stream that opens no personal data"))
        })?;
        Ok(SubjectAccess {
            at,
            partnership,
            case,
            personal_details,
            sealed_records,
            process_history,
        })
    }
}

/// The name of the event's sealed field, as a data protection officer reads it.
fn sealed_field(event: &CaseEvent) -> &'static str {
    match event {
        CaseEvent::IncidentNotified(_)
        | CaseEvent::CaseReferred(_)
        | CaseEvent::SarReferred(_)
        | CaseEvent::DomesticHomicideNotified(_) => "personal_data",
        CaseEvent::AgencyReportSubmitted(_) => "report",
        CaseEvent::ModifiedResponseAgreed(_)
        | CaseEvent::PartnerDecisionRecorded(_)
        | CaseEvent::SarDecisionRecorded(_)
        | CaseEvent::DhrDecisionRecorded(_)
        | CaseEvent::ReconsideredViewRecorded(_) => "rationale",
        CaseEvent::DecisionReconsidered(_)
        | CaseEvent::PublicationWithheld(_)
        | CaseEvent::ReconsiderationSentToPanel(_) => "justification",
        CaseEvent::PracticeReviewCommissioned(_)
        | CaseEvent::SarCommissioned(_)
        | CaseEvent::DhrCommissioned(_) => "terms_of_reference",
        CaseEvent::PublicationDelayApproved(_) => "reasons",
        CaseEvent::SarPaused(_) => "reason",
        CaseEvent::SarCompleted(_) => "findings",
        CaseEvent::DhrCompleted(_) => "overview",
        CaseEvent::IndependentAdviceRecorded(_) => "advice",
        _ => "text",
    }
}
