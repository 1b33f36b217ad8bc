//! Subject access (UK GDPR Art. 15): everything Casetrail holds about the child, adult or
//! victim of one case, opened, for the partnership's data protection officer to answer a
//! request from the person or their representative.

use super::case_view;
use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{
    AccessLogEntryView, AuditEntryView, ExportRequesterView, PersonalDetails, SealedRecordView,
    SubjectAccessExport,
};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use casetrail_app::error::AppError;
use casetrail_app::queries::SealedRecord;
use casetrail_app::visibility::ActionsShown;
use casetrail_domain::CaseId;
use casetrail_domain::case::CaseKind;
use uuid::Uuid;

/// Whom the case is about, as the export names them; nobody for an audit.
fn data_subject(kind: CaseKind) -> Option<&'static str> {
    match kind {
        CaseKind::Child => Some("child"),
        CaseKind::Adult => Some("adult"),
        CaseKind::DomesticHomicide => Some("victim"),
        CaseKind::Audit => None,
    }
}

fn sealed_record(record: SealedRecord) -> SealedRecordView {
    let entry = AuditEntryView::from(&record.entry);
    SealedRecordView {
        position: entry.position,
        event_type: entry.event_type,
        command: entry.command,
        field: record.field.to_owned(),
        occurred_at: entry.occurred_at,
        recorded_at: entry.recorded_at,
        recorded_by: entry.actor,
        content: record.content,
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
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let held = state.queries.subject_access(&actor, case_id).await?;
    // Recorded once assembled, so that the export lists itself among the reads.
    access_log::record(&state, &actor, case_id, Resource::SubjectAccessExport, None).await?;
    let reads = state.queries.case_reads(&actor, case_id).await?;
    let case = &held.case;
    let details = held.personal_details;
    let export = SubjectAccessExport {
        case_id: case_id.as_uuid(),
        reference: case.case.reference().to_owned(),
        kind: case_view::enum_str(&case.case.kind),
        data_subject: data_subject(case.case.kind)
            .ok_or_else(|| ApiError::from(AppError::no_personal_data()))?
            .to_owned(),
        generated_at: held.at,
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
        case: case_view::detail(
            case,
            &held.partnership,
            held.at,
            &ActionsShown::to(&actor, &held.partnership),
        ),
        sealed_records: held.sealed_records.into_iter().map(sealed_record).collect(),
        process_history: held
            .process_history
            .iter()
            .map(AuditEntryView::from)
            .collect(),
        access_log: reads.into_iter().map(AccessLogEntryView::from).collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(export))
}
