//! Case resources: the commands of the child life cycle's first steps and the review status.

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_opening!`.
#![allow(missing_debug_implementations)]

use crate::access_log::{self, Resource};
use crate::auth::Authenticated;
use crate::dto::{
    ChildInput, CommandAccepted, NotifyIncidentRequest, PersonalDetails,
    RecordPanelNotificationRequest, ReferCaseForConsiderationRequest,
};
use crate::extract::{JsonBody, expectations};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use casetrail_app::Addressed;
use casetrail_app::personal_data::{ChildPersonalData, DataKey};
use casetrail_domain::case::commands::{ChildDetails, ReferCaseForConsideration};
use casetrail_domain::case::{
    CaseCommand, NotifyIncident, RecordPanelNotification, SealedPersonalData,
};
use casetrail_domain::{Actor, CaseId};
use uuid::Uuid;

case_opening!(
    tag = "Child cases",
    notify_incident,
    "NotifyIncident",
    "/v1/cases/notifications",
    "Notify a serious incident (opens a child case)",
    "The local authority notifies a serious child safeguarding incident: abuse or \
neglect known or suspected, and the child died or was seriously harmed in the area (or, normally \
resident, outside England). Opens a case with the statutory deadline to notify the national Panel \
within 5 working days of becoming aware. The child's names, date of birth and the summary are \
sealed with a key of their own and never appear in read models or logs. A notification that does \
not meet the criteria is refused with 422 and the reason.",
    NotifyIncidentRequest,
    |request, input| {
        if !request.allow_duplicate
            && let Some(existing) = input.state.queries.possible_duplicate(
                input.actor,
                &request.child.reference,
                request.incident_date,
            )
        {
            return Err(ApiError::PossibleDuplicate(existing.as_uuid()));
        }
        let child = child_details(&request.child);
        let personal = ChildPersonalData {
            given_name: request.child.given_name,
            family_name: request.child.family_name,
            date_of_birth: request.child.date_of_birth,
            summary: request.summary,
        };
        let command = move |case_id, sealed| {
            CaseCommand::NotifyIncident(NotifyIncident {
                case_id,
                child,
                personal_data: sealed,
                incident_date: request.incident_date,
                became_aware_on: request.became_aware_on,
                harm: request.harm,
                abuse_or_neglect: request.abuse_or_neglect,
                location_basis: request.location_basis,
                occurred_at: request.occurred_at,
            })
        };
        (personal, command)
    }
);

case_opening!(
    tag = "Child cases",
    refer_case_for_consideration,
    "ReferCaseForConsideration",
    "/v1/cases/referrals",
    "Refer a case for consideration (opens a child case)",
    "Any organisation of the partnership with statutory or official duties towards \
children asks the safeguarding partners to consider a case for a child safeguarding practice \
review. Opens a child case at stage `referred`; its rapid review, once initiated, runs from the day \
of initiation. The child's names, date of birth and the reasons are sealed.",
    ReferCaseForConsiderationRequest,
    |request, _input| {
        super::command::text("reasons", &request.reasons)?;
        let child = child_details(&request.child);
        let personal = ChildPersonalData {
            given_name: request.child.given_name,
            family_name: request.child.family_name,
            date_of_birth: request.child.date_of_birth,
            summary: request.reasons,
        };
        let command = move |case_id, sealed| {
            CaseCommand::ReferCaseForConsideration(ReferCaseForConsideration {
                case_id,
                child,
                personal_data: sealed,
                incident_date: request.incident_date,
                occurred_at: request.occurred_at,
            })
        };
        (personal, command)
    }
);

fn child_details(child: &ChildInput) -> ChildDetails {
    ChildDetails {
        reference: child.reference.clone(),
        date_of_birth: child.date_of_birth,
        sex: child.sex.clone(),
        ethnicity: child.ethnicity.clone(),
        looked_after: child.looked_after,
        child_protection_plan: child.child_protection_plan,
    }
}

/// What the conversion of an opening command's body may consult besides the body.
#[derive(Debug, Clone, Copy)]
pub struct OpeningInput<'a> {
    /// The application.
    pub state: &'a AppState,
    /// Who sends it.
    pub actor: &'a Actor,
}

/// Runs a command that opens a case: a new case id (derived from the Idempotency-Key when one
/// is sent, so a retry names the same case) and a new data key sealing the personal data.
pub(crate) async fn open_case(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    request_hash: &str,
    personal: ChildPersonalData,
    command: impl FnOnce(CaseId, SealedPersonalData) -> CaseCommand,
) -> Result<HttpResponse, ApiError> {
    let mut expectations = expectations(req, request_hash)?;
    let case_id = expectations
        .idempotency
        .as_ref()
        .map_or_else(|| CaseId::from_uuid(Uuid::now_v7()), |i| i.case_id(actor));
    let data_key = DataKey::generate();
    let sealed = data_key.seal(&personal).map_err(ApiError::Internal)?;
    // A new case: nothing to match.
    expectations.if_match = None;
    expectations.data_key = Some(data_key);
    let target = Addressed::new_case(actor, case_id, command(case_id, sealed));
    let done = state.bus.execute(actor, target, expectations).await?;
    Ok(super::command::accepted(StatusCode::CREATED, case_id, done))
}

/// RecordPanelNotification: the local authority notified the national Panel.
#[utoipa::path(
    operation_id = "RecordPanelNotification",
    tag = "Child cases",
    summary = "Record that the Panel was notified",
    description = "Records the local authority's notification to the national Child Safeguarding \
Practice Review Panel, with the Panel's reference. Fulfils the `panel_notification` deadline \
(5 working days after becoming aware): met if submitted by the end of that day. A backfilled \
notification without `occurred_at` counts at the end of `submitted_on`.",
    request_body = RecordPanelNotificationRequest,
    params(("case_id" = Uuid, Path, description = "The case"), crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Recorded.", body = CommandAccepted,
         headers(("ETag" = String, description = "The case's new version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/cases/{case_id}/panel-notification")]
pub async fn record_panel_notification(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
    body: JsonBody<RecordPanelNotificationRequest>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let command = CaseCommand::RecordPanelNotification(RecordPanelNotification {
        panel_reference: body.value.panel_reference,
        submitted_on: body.value.submitted_on,
        occurred_at: body.value.occurred_at,
    });
    super::command::run(&req, &state, &actor, case_id, &body.request_hash, command).await
}

/// Reads the child's identifying details.
#[utoipa::path(
    operation_id = "GetPersonalDetails",
    tag = "Child cases",
    summary = "Read the identifying details of the child, adult or victim",
    description = "Names, date of birth and the notification summary (a safeguarding adult \
review referral's concerns), unsealed, for any kind of case. Only for the \
business manager, the Independent Advisor, the notifiers of the local authority and the reviewers \
of the case (a `reviewer` whose organisation leads its rapid review or conducts its safeguarding \
adult review), among those who may see the case (docs/access-control.md). Refused with 403 before \
the case is looked up to a token with none of these roles (`auth.role_required`) and to a \
notifier of another organisation (`auth.local_authority_only`); 403 \
`auth.not_reviewer_of_case` to a reviewer of another organisation. 410 when the details have been \
erased.",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The details.", body = PersonalDetails,
         example = json!({"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "given_name": "Alex",
             "family_name": "Smith", "date_of_birth": "2016-03-01",
             "summary": "Admitted to hospital with injuries inconsistent with the account given."})),
        (status = 410, response = crate::doc_parts::Gone),
    ),
    security(("bearer" = []))
)]
#[get("/v1/cases/{case_id}/personal-details")]
pub async fn get_personal_details(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    case_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let case_id = CaseId::from_uuid(case_id.into_inner());
    let details = state.queries.personal_details(&actor, case_id).await?;
    access_log::record(&state, &actor, case_id, Resource::PersonalDetails, None).await?;
    Ok(HttpResponse::Ok().json(PersonalDetails {
        case_id: case_id.as_uuid(),
        given_name: details.given_name,
        family_name: details.family_name,
        date_of_birth: details.date_of_birth,
        summary: details.summary,
    }))
}
