//! Subject access (UK GDPR Art. 15): everything Casetrail holds about the child, adult or
//! victim of one case, opened, for the partnership's data protection officer to answer a
//! request from the person or their representative.

use super::case_view;
use super::cases::erased;
use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{
    AccessLogEntryView, AuditEntryView, ExportRequesterView, PersonalDetails, SealedRecordView,
    SubjectAccessExport,
};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, web};
use casetrail_app::personal_data::{self, ChildPersonalData};
use casetrail_domain::case::{CaseEvent, CaseKind, SealedPersonalData};
use casetrail_domain::{Actor, CaseId, Role};
use casetrail_store::{AccessQuery, RecordedEvent};
use serde::de::DeserializeOwned;
use std::time::Duration;
use uuid::Uuid;

/// How long the export waits for queued reads to be written before answering 503.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// Reads of the access log fetched at a time.
const ACCESS_PAGE: usize = 500;

/// Opens sealed data with its case's key; 410 when the key has been erased.
pub(crate) async fn open<T: DeserializeOwned>(
    state: &AppState,
    sealed: &SealedPersonalData,
) -> Result<T, ApiError> {
    personal_data::open(&state.data_keys, sealed)
        .await?
        .ok_or_else(erased)
}

/// The case's stored events, oldest first.
pub(crate) async fn case_events(
    state: &AppState,
    actor: &Actor,
    case_id: CaseId,
) -> Result<Vec<(RecordedEvent, CaseEvent)>, ApiError> {
    let stream = casetrail_domain::stream::case_stream(&actor.partnership, case_id);
    let stored = state
        .store
        .read_stream(&stream, 1)
        .await
        .map_err(ApiError::from)?;
    stored
        .into_iter()
        .map(|recorded| {
            let event = casetrail_domain::codec::decode(
                &recorded.event_type,
                recorded.schema_version,
                &recorded.data,
            )
            .map_err(|e| ApiError::Internal(e.into()))?;
            Ok((recorded, event))
        })
        .collect()
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

fn data_subject(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Child => "child",
        CaseKind::Adult => "adult",
        CaseKind::DomesticHomicide => "victim",
    }
}

/// Every reader of the case, oldest first, the export's own read included.
async fn all_reads(
    state: &AppState,
    actor: &Actor,
    case_id: CaseId,
) -> Result<Vec<AccessLogEntryView>, ApiError> {
    tokio::time::timeout(FLUSH_TIMEOUT, state.access_log.flush())
        .await
        .map_err(|e| ApiError::Unavailable(e.into()))?
        .map_err(|e| ApiError::Unavailable(e.into()))?;
    let mut reads = Vec::new();
    let mut after_id = 0;
    loop {
        let page = state
            .access_log_store
            .read_case(&AccessQuery {
                partnership: actor.partnership.to_string(),
                case_id: case_id.as_uuid(),
                after_id,
                from: None,
                to: None,
                limit: ACCESS_PAGE,
            })
            .await
            .map_err(ApiError::from)?;
        let full = page.len() == ACCESS_PAGE;
        after_id = page.last().map_or(after_id, |last| last.id);
        reads.extend(page.into_iter().map(AccessLogEntryView::from));
        if !full {
            return Ok(reads);
        }
    }
}

/// Produces a subject access export.
#[utoipa::path(
    operation_id = "GetSubjectAccessExport",
    tag = "Child cases",
    summary = "Export everything held about the person of a case (subject access)",
    description = "For a subject access request (UK GDPR Art. 15): everything Casetrail holds \
about the child, adult or victim of the case, opened, as one JSON document for the data \
protection officer. `personal_details`: the identifying details (as `/personal-details`). \
`sealed_records`: every sealed free text recorded about the case (the opening details, agency \
reports, rationales, justifications, terms of reference, reasons, findings, overviews, advice), \
each with the event and command it came from, who recorded it, when it happened and when it was \
recorded. `case`: the facts that identify no one (kind, stage, the person's recorded attributes \
such as age band, sex, ethnicity and whether looked after, decisions, deadlines). \
`process_history`: every event of the case with its command, organisation and a summary without \
personal data. `access_log`: every recorded read of the case, this export included. Staff names \
in it are the partnership's own staff, which the data protection officer may need to redact \
before disclosure. Role: `business_manager` only (403 for any other role, before the case is \
looked up); another partnership's case is 404. The export is recorded in the access log \
(`subject_access_export`). 410 `personal_data.erased` when the case's personal data has been \
erased. The answer carries `Cache-Control: no-store`.",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The export.", body = SubjectAccessExport,
         headers(("Cache-Control" = String, description = "`no-store`")),
         example = json!({
            "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "reference": "SBC-2022-0412",
            "kind": "child", "data_subject": "child",
            "generated_at": "2024-02-01T10:00:00Z",
            "generated_by": {"user": "u-2001", "name": "Pat Jones", "organisation": "southend-council"},
            "personal_details": {"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
                "given_name": "Alex", "family_name": "Smith", "date_of_birth": "2016-03-01",
                "summary": "Admitted to hospital with unexplained injuries."},
            "sealed_records": [
                {"position": 20, "event_type": "IncidentNotified", "command": "NotifyIncident",
                 "field": "personal_data", "occurred_at": "2022-12-22T10:15:00Z",
                 "recorded_at": "2022-12-22T10:15:00.301442Z",
                 "recorded_by": {"user": "u-1093", "name": "Sam Green",
                     "organisation": "southend-council", "roles": ["notifier"]},
                 "content": {"given_name": "Alex", "family_name": "Smith",
                     "date_of_birth": "2016-03-01",
                     "summary": "Admitted to hospital with unexplained injuries."}},
                {"position": 42, "event_type": "AgencyReportSubmitted",
                 "command": "SubmitAgencyReport", "field": "report",
                 "occurred_at": "2023-01-10T10:00:00Z",
                 "recorded_at": "2023-01-10T10:00:02.417305Z",
                 "recorded_by": {"user": "u-4821", "name": "Jo Patel",
                     "organisation": "essex-police", "roles": ["agency_user"]},
                 "content": {"involvement": "Two call-outs to the address in 2022.",
                     "summary": "Officers attended; no injuries were seen.",
                     "learning": "Share call-out records with children's services."}}],
            "case": {"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "child",
                "stage": "rapid_review", "version": 3,
                "child": {"reference": "SBC-2022-0412", "age_band": "6_to_10", "sex": "female",
                    "ethnicity": "White British", "looked_after": false,
                    "child_protection_plan": true}},
            "process_history": [{"position": 20,
                "stream": "southend/case/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
                "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "event_type": "IncidentNotified",
                "occurred_at": "2022-12-22T10:15:00Z", "recorded_at": "2022-12-22T10:15:00.301442Z",
                "actor": {"user": "u-1093", "name": "Sam Green", "organisation": "southend-council",
                          "roles": ["notifier"]},
                "command": "NotifyIncident", "request_id": "01937a2e-9000-7000-8000-000000000001",
                "correlation_id": "01937a2e-9000-7000-8000-0000000000ab",
                "summary": "Southend Borough Council notified a serious child safeguarding incident"}],
            "access_log": [{"accessed_at": "2023-01-05T09:14:03.512004Z",
                "resource": "personal_details", "reader": {"user": "u-2001", "name": "Pat Jones",
                "organisation": "southend-council", "roles": ["business_manager"]}, "as_of": null,
                "request_id": "01937a2e-9000-7000-8000-000000000007"}]
         })),
        (status = 410, response = crate::doc_parts::Gone),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}/subject-access-export")]
pub async fn get_subject_access_export(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    // Before any look-up: whether the case exists is itself not for other roles.
    if !actor.has(Role::BusinessManager) {
        return Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "a subject access export needs the role business_manager",
        ));
    }
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let now = state.clock.now();
    let (case, kind, reference, opening) = {
        let models = state.projector.read();
        let partnership = models
            .partnership(&actor.partnership)
            .ok_or_else(ApiError::case_not_found)?;
        let record = models
            .case(&actor.partnership, case_id)
            .ok_or_else(ApiError::case_not_found)?;
        // Recorded as erased: gone, even in the moment before the key is destroyed.
        if record.case.personal_data_erased_at.is_some() {
            return Err(erased());
        }
        (
            case_view::detail(record, partnership, now),
            record.case.kind,
            record.case.reference().to_owned(),
            record.case.personal_data().key_id,
        )
    };
    let events = case_events(&state, &actor, case_id).await?;
    let (process_history, sealed_records) = {
        let models = state.projector.read();
        let mut history = Vec::with_capacity(events.len());
        let mut sealed = Vec::new();
        for (recorded, event) in &events {
            let entry = models
                .audit()
                .render(&actor.partnership, recorded)
                .map_err(|e| ApiError::Internal(e.into()))?;
            let view = AuditEntryView::from(&entry);
            let mut copy = event.clone();
            if let Some(data) = copy.sealed_mut() {
                sealed.push((view.clone(), sealed_field(event), data.clone()));
            }
            history.push(view);
        }
        (history, sealed)
    };
    let mut records = Vec::with_capacity(sealed_records.len());
    let mut details = None;
    for (entry, field, data) in sealed_records {
        let content: serde_json::Value = open(&state, &data).await?;
        if details.is_none() && data.key_id == opening && field == "personal_data" {
            let opened: ChildPersonalData = serde_json::from_value(content.clone())
                .map_err(|e| ApiError::Internal(e.into()))?;
            details = Some(opened);
        }
        records.push(SealedRecordView {
            position: entry.position,
            event_type: entry.event_type,
            command: entry.command,
            field: field.to_owned(),
            occurred_at: entry.occurred_at,
            recorded_at: entry.recorded_at,
            recorded_by: entry.actor,
            content,
        });
    }
    let details = details.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("a case stream that opens no personal data"))
    })?;
    access_log::record(&state, &actor, case_id, Resource::SubjectAccessExport, None).await?;
    let access_log = all_reads(&state, &actor, case_id).await?;
    let export = SubjectAccessExport {
        case_id: case_id.as_uuid(),
        reference,
        kind: case.kind.clone(),
        data_subject: data_subject(kind).to_owned(),
        generated_at: now,
        generated_by: ExportRequesterView {
            user: actor.user.clone(),
            name: actor.name.clone(),
            organisation: actor.org.to_string(),
        },
        personal_details: PersonalDetails {
            case_id: case_id.as_uuid(),
            given_name: details.given_name,
            family_name: details.family_name,
            date_of_birth: details.date_of_birth,
            summary: details.summary,
        },
        sealed_records: records,
        case,
        process_history,
        access_log,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(export))
}
