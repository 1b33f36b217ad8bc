//! The partnership: read by everyone in it, administered by `admin` users. Every change is an
//! event on the partnership's own stream.

use crate::auth::Authenticated;
use crate::dto::{
    CalendarChangeKind, CalendarChangeView, CorrectionView, DeclareBankHolidayRequest,
    DeclaredHolidayView, EmptyRequest, MoveBankHolidayRequest, OrganisationView,
    PartnershipCommandAccepted, PartnershipView, RegisterOrganisationRequest, SettingsView,
    WithdrawBankHolidayRequest,
};
use crate::extract::{JsonBody, expectations};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use casetrail_app::Addressed;
use casetrail_app::queries::VersionedPartnership;
use casetrail_domain::calendar::history::{CalendarChange, CalendarEntry, Correction};
use casetrail_domain::partnership::{Organisation, PartnershipCommand, PartnershipSettings};
use casetrail_domain::{Actor, OrgSlug};
use chrono::{NaiveDate, NaiveTime};

async fn run(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    request_hash: &str,
    command: PartnershipCommand,
) -> Result<HttpResponse, ApiError> {
    let target = Addressed::partnership(actor, command);
    let expectations = expectations(req, request_hash)?;
    let accepted = state.bus.execute(actor, target, expectations).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", accepted.version)))
        .json(PartnershipCommandAccepted {
            partnership: actor.partnership.to_string(),
            version: accepted.version,
            position: accepted.position,
        }))
}

fn settings_view(settings: &PartnershipSettings) -> SettingsView {
    SettingsView {
        rapid_review_clock_start: settings.rapid_review_clock_start,
        close_of_business: settings.close_of_business.format("%H:%M").to_string(),
        retention: Some(settings.retention.into()),
        reminders: Some(settings.reminders.clone()),
    }
}

/// Reads the partnership.
#[utoipa::path(
    operation_id = "GetPartnership",
    tag = "Partnership",
    summary = "Read the partnership",
    description = "The caller's partnership: its settings, organisations (retired ones marked) and \
the bank holidays it declared beyond the shipped England and Wales list. The ETag is the \
partnership stream's version, for `If-Match` on administration commands. Any role.",
    responses(
        (status = 200, description = "The partnership.", body = PartnershipView,
         headers(("ETag" = String, description = "The partnership's version"))),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/v1/partnership")]
pub async fn get_partnership(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<HttpResponse, ApiError> {
    let VersionedPartnership {
        partnership,
        version,
    } = state.queries.partnership(&actor)?;
    let view = PartnershipView {
        partnership: partnership.slug.to_string(),
        name: partnership.name.clone(),
        version,
        settings: settings_view(&partnership.settings),
        organisations: partnership
            .organisations
            .values()
            .map(|org| OrganisationView {
                slug: org.slug.to_string(),
                name: org.name.clone(),
                kind: org.kind,
                retired: partnership.retired.contains(&org.slug),
            })
            .collect(),
        declared_bank_holidays: partnership
            .declared_holidays
            .iter()
            .map(|(date, name)| DeclaredHolidayView {
                date: *date,
                name: name.clone(),
            })
            .collect(),
        calendar_changes: partnership
            .calendar_history
            .iter()
            .map(calendar_change_view)
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .json(view))
}

fn calendar_change_view(entry: &CalendarEntry) -> CalendarChangeView {
    let (change, date, to) = match entry.change {
        CalendarChange::Declared(date) => (CalendarChangeKind::Declared, date, None),
        CalendarChange::Withdrawn(date) => (CalendarChangeKind::Withdrawn, date, None),
        CalendarChange::Moved { from, to } => (CalendarChangeKind::Moved, from, Some(to)),
    };
    CalendarChangeView {
        change,
        date,
        to,
        recorded_at: entry.at,
        correction: entry.correction.as_ref().map(|c| CorrectionView {
            reason: c.reason.clone(),
        }),
    }
}

fn correction(view: Option<&CorrectionView>) -> Option<Correction> {
    view.map(|c| Correction {
        reason: c.reason.clone(),
    })
}

/// The holiday named in the path.
fn holiday_date(value: &str) -> Result<NaiveDate, ApiError> {
    value.parse().map_err(|_| {
        ApiError::invalid_field("date", "field.invalid", "date must be a date YYYY-MM-DD")
    })
}

/// ChangePartnershipSettings.
#[utoipa::path(
    operation_id = "ChangePartnershipSettings",
    tag = "Partnership",
    summary = "Change the partnership's settings",
    description = "The rapid review clock start (`panel_notification`, `became_aware` or \
`initiation`; applies to reviews initiated from now on, since each review fixes its own at \
initiation), the close-of-business time (`HH:MM`, Europe/London) of close-of-business \
deadlines and the retention periods of personal details after closure (`retention`: child cases \
until the end of the year of the child's `child_until_age` birthday (18 to 100) or \
`child_years_after_closure`, whichever is later; adult and domestic homicide cases N years after \
closure (1 to 100); absent keeps the current periods; a period out of range is 422 naming the \
field), and when deadline reminders go out (`reminders.working_days_before`: working days \
before the due day, 0 meaning on the day, at most 4 thresholds of at most 15; default `[2, 0]`; \
absent keeps the current thresholds; docs/rules.md, Reminders). No statute fixes retention: the \
partnership chooses (docs/rules.md, Retention). Role: `admin`.",
    request_body = SettingsView,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Changed.", body = PartnershipCommandAccepted),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/settings")]
pub async fn change_partnership_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<SettingsView>,
) -> Result<HttpResponse, ApiError> {
    let value = &body.value.close_of_business;
    let close_of_business = NaiveTime::parse_from_str(value, "%H:%M").map_err(|_| {
        ApiError::invalid_field(
            "close_of_business",
            "field.invalid",
            "close_of_business must be a time HH:MM",
        )
    })?;
    // A client that knows nothing of retention or reminders must not reset them.
    let current = state
        .projector
        .read()
        .partnership(&actor.partnership)
        .map(|p| p.settings.clone())
        .unwrap_or_default();
    let settings = PartnershipSettings {
        rapid_review_clock_start: body.value.rapid_review_clock_start,
        close_of_business,
        retention: body.value.retention.map_or(current.retention, Into::into),
        reminders: body.value.reminders.clone().unwrap_or(current.reminders),
    };
    let command = PartnershipCommand::ChangePartnershipSettings(settings);
    run(&req, &state, &actor, &body.request_hash, command).await
}

/// RegisterOrganisation.
#[utoipa::path(
    operation_id = "RegisterOrganisation",
    tag = "Partnership",
    summary = "Register an organisation",
    description = "Adds a relevant agency to the partnership. The three statutory partners are \
fixed. Role: `admin`.",
    request_body = RegisterOrganisationRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Registered.", body = PartnershipCommandAccepted),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/organisations")]
pub async fn register_organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<RegisterOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = &body.value;
    let organisation = Organisation {
        slug: super::command::organisation("slug", &request.slug)?,
        name: request.name.clone(),
        kind: request.kind,
    };
    let command = PartnershipCommand::RegisterOrganisation(organisation);
    run(&req, &state, &actor, &body.request_hash, command).await
}

/// RetireOrganisation.
#[utoipa::path(
    operation_id = "RetireOrganisation",
    tag = "Partnership",
    summary = "Retire an organisation",
    description = "The organisation leaves the partnership: it can no longer be asked for reports \
or own recommendations; its history stays. Statutory partners cannot be retired. Role: `admin`.",
    request_body = EmptyRequest,
    params(("slug" = String, Path, description = "The organisation"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Retired.", body = PartnershipCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/organisations/{slug}/retirement")]
pub async fn retire_organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    slug: web::Path<String>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    let slug = OrgSlug::parse(&slug).map_err(|_| {
        ApiError::client(
            StatusCode::NOT_FOUND,
            "organisation.not_found",
            "no such organisation",
        )
    })?;
    let command = PartnershipCommand::RetireOrganisation { slug };
    run(&req, &state, &actor, &body.request_hash, command).await
}

/// DeclareBankHoliday.
#[utoipa::path(
    operation_id = "DeclareBankHoliday",
    tag = "Partnership",
    summary = "Declare a one-off bank holiday",
    description = "New one-off bank holidays are proclaimed at short notice (e.g. 19 September \
2022). The declaration reaches only the deadlines still pending when it is recorded; deadlines \
already met, met late or breached keep their due instant (docs/rules.md, section 2). A day before \
today (Europe/London) is refused with `holiday.in_the_past` unless the body carries \
`correction: {\"reason\": …}`: a correction fixes the calendar itself, reaches every deadline, \
and its reason shows in the audit trail. A day outside 1990–2100 is \
`calendar.date_out_of_range`. Role: `admin`.",
    request_body = DeclareBankHolidayRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Declared.", body = PartnershipCommandAccepted),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/bank-holidays")]
pub async fn declare_bank_holiday(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<DeclareBankHolidayRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = PartnershipCommand::DeclareBankHoliday {
        date: body.value.date,
        name: body.value.name.clone(),
        correction: correction(body.value.correction.as_ref()),
    };
    run(&req, &state, &actor, &body.request_hash, command).await
}

/// WithdrawBankHoliday.
#[utoipa::path(
    operation_id = "WithdrawBankHoliday",
    tag = "Partnership",
    summary = "Withdraw a bank holiday",
    description = "The day (a declared holiday or one of the England and Wales calendar) is a \
working day again, for the deadlines still pending when the withdrawal is recorded. A day \
before today is refused with `holiday.in_the_past` unless the body carries `correction: \
{\"reason\": …}`, which reaches every deadline. Role: `admin`.",
    request_body = WithdrawBankHolidayRequest,
    params(("date" = String, Path, description = "The holiday, YYYY-MM-DD"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Withdrawn.", body = PartnershipCommandAccepted),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/bank-holidays/{date}/withdrawal")]
pub async fn withdraw_bank_holiday(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    date: web::Path<String>,
    body: JsonBody<WithdrawBankHolidayRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = PartnershipCommand::WithdrawBankHoliday {
        date: holiday_date(&date)?,
        correction: correction(body.value.correction.as_ref()),
    };
    run(&req, &state, &actor, &body.request_hash, command).await
}

/// MoveBankHoliday.
#[utoipa::path(
    operation_id = "MoveBankHoliday",
    tag = "Partnership",
    summary = "Move a bank holiday to another day",
    description = "Proclamations move holidays (the early May holiday to VE Day in 2020, the \
spring holiday for the Platinum Jubilee in 2022). The move reaches the deadlines still pending \
when it is recorded. Either day before today is refused with `holiday.in_the_past` unless the \
body carries `correction: {\"reason\": …}`, which reaches every deadline. Role: `admin`.",
    request_body = MoveBankHolidayRequest,
    params(("date" = String, Path, description = "The holiday's current day, YYYY-MM-DD"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Moved.", body = PartnershipCommandAccepted),
    ),
    security(("bearer" = []))
)]
#[post("/v1/partnership/bank-holidays/{date}/move")]
pub async fn move_bank_holiday(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    date: web::Path<String>,
    body: JsonBody<MoveBankHolidayRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = PartnershipCommand::MoveBankHoliday {
        from: holiday_date(&date)?,
        to: body.value.to,
        name: body.value.name.clone(),
        correction: correction(body.value.correction.as_ref()),
    };
    run(&req, &state, &actor, &body.request_hash, command).await
}
