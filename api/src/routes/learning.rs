//! The partnership's learning record (issue 17): its learning themes and their tags, the
//! meetings of its groups, its learning events and its budget. Every change is an event of the
//! partnership's learning stream, recorded by the business unit (themes also by `admin`). Each
//! command's role is checked first, from its name, before its path or body is read: a caller
//! who may not send it learns nothing (which themes or cases exist).

use crate::auth::Authenticated;
use crate::dto::{
    AddThemeRequest, EmptyRequest, LearningCommandAccepted, RecordContributionRequest,
    RecordLearningEventRequest, RecordMeetingRequest, RecordSpendingRequest, TagThemesRequest,
};
use crate::extract::{JsonBody, expectations};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, post, web};
use casetrail_app::Addressed;
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::learning::{
    Contribution, LearningCommand, LearningEventHeld, Meeting, PersonRef, Spending, Subject,
    may_send_named,
};
use casetrail_domain::sorted_set::SortedSet;
use casetrail_domain::{Actor, OrgSlug, ThemeSlug};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The most themes one tag or learning event may name.
const MAX_THEMES: usize = 20;

pub(super) async fn run(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    request_hash: &str,
    command: LearningCommand,
    created: Option<(Option<Uuid>, String)>,
) -> Result<HttpResponse, ApiError> {
    let target = Addressed::learning(actor, command);
    let expectations = expectations(req, request_hash)?;
    let accepted = state.bus.execute(actor, target, expectations).await?;
    let mut response = match &created {
        Some(_) => HttpResponse::Created(),
        None => HttpResponse::Ok(),
    };
    response.insert_header((header::ETAG, format!("\"{}\"", accepted.version)));
    if let Some((_, location)) = &created {
        response.insert_header((header::LOCATION, location.clone()));
    }
    Ok(response.json(LearningCommandAccepted {
        partnership: actor.partnership.to_string(),
        version: accepted.version,
        position: accepted.position,
        id: created.and_then(|(id, _)| id),
    }))
}

pub(super) fn financial_year(label: &str) -> Result<FinancialYear, ApiError> {
    FinancialYear::parse(label)
        .map_err(|err| ApiError::bad_request("financial_year.invalid", err.to_string()))
}

fn theme_slugs(field: &str, themes: &[String]) -> Result<SortedSet<ThemeSlug>, ApiError> {
    if themes.len() > MAX_THEMES {
        return Err(ApiError::invalid_field(
            field,
            "field.invalid",
            format!("{field} names at most {MAX_THEMES} themes"),
        ));
    }
    let mut slugs = BTreeSet::new();
    for theme in themes {
        let slug = ThemeSlug::parse(theme)
            .map_err(|err| ApiError::invalid_field(field, "field.invalid", err.to_string()))?;
        if !slugs.insert(slug) {
            return Err(ApiError::invalid_field(
                field,
                "field.invalid",
                format!("{field} names {theme} twice"),
            ));
        }
    }
    Ok(slugs.into_iter().collect())
}

fn person_refs(attendees: &[String]) -> Result<SortedSet<PersonRef>, ApiError> {
    let mut refs = BTreeSet::new();
    for attendee in attendees {
        // The refusal never repeats what was sent: it may be a name typed by mistake.
        let person = PersonRef::parse(attendee).map_err(|err| {
            ApiError::invalid_field("attendees", "field.invalid", err.to_string())
        })?;
        if !refs.insert(person) {
            return Err(ApiError::invalid_field(
                "attendees",
                "field.invalid",
                "attendees names each person once",
            ));
        }
    }
    Ok(refs.into_iter().collect())
}

/// The meeting a request records (or corrects) under `meeting_id`.
pub(super) fn meeting(value: &RecordMeetingRequest, meeting_id: Uuid) -> Result<Meeting, ApiError> {
    Ok(Meeting {
        meeting_id,
        group: value.group,
        held_on: value.held_on,
        attendance: value.attendance.clone(),
        attendees: person_refs(&value.attendees)?,
        discussed: value.discussed.clone(),
    })
}

/// The learning event a request records (or corrects) under `learning_event_id`.
pub(super) fn learning_event(
    value: &RecordLearningEventRequest,
    learning_event_id: Uuid,
) -> Result<LearningEventHeld, ApiError> {
    Ok(LearningEventHeld {
        learning_event_id,
        kind: value.kind,
        topic: value.topic.clone(),
        held_on: value.held_on,
        attendance: value.attendance.clone(),
        attendees: person_refs(&value.attendees)?,
        evaluation: value.evaluation.clone(),
        themes: theme_slugs("themes", &value.themes)?,
    })
}

/// Each case and recommendation discussed exists and the actor may see it.
pub(super) fn discussed(
    state: &AppState,
    actor: &Actor,
    subjects: &[Subject],
) -> Result<(), ApiError> {
    for subject in subjects {
        state.queries.taggable(actor, subject).map_err(|_| {
            ApiError::invalid_field(
                "discussed",
                "case.unknown",
                format!(
                    "the case {} (or its recommendation) is not one of the partnership's",
                    subject.case_id()
                ),
            )
        })?;
    }
    Ok(())
}

/// AddTheme.
#[utoipa::path(
    operation_id = "AddTheme",
    tag = "Learning",
    summary = "Add a learning theme",
    description = "Adds a theme to the partnership's list (for example `neglect`, \
`exploitation`, `transition-to-adult-services`, `professional-curiosity`, \
`information-sharing`). A slug already on the list is 409 `theme.already_exists`. Role: \
`business_manager` or `admin`.",
    request_body = AddThemeRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "Added.", body = LearningCommandAccepted,
         headers(("Location" = String, description = "The themes"),
                 ("ETag" = String, description = "The learning stream's version"))),
        (status = 409, response = crate::doc_parts::Conflict),
    ),
    security(("bearer" = []))
)]
#[post("/v1/themes")]
pub async fn add_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<AddThemeRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("AddTheme", &actor)?;
    let theme = ThemeSlug::parse(&body.value.theme)
        .map_err(|err| ApiError::invalid_field("theme", "field.invalid", err.to_string()))?;
    let command = LearningCommand::AddTheme {
        theme,
        name: body.value.name.clone(),
    };
    let created = Some((None, "/v1/themes".to_owned()));
    run(&req, &state, &actor, &body.request_hash, command, created).await
}

/// RetireTheme.
#[utoipa::path(
    operation_id = "RetireTheme",
    tag = "Learning",
    summary = "Retire a learning theme",
    description = "Nothing is tagged with the theme from now on; the tags it had still count. A \
theme not on the list is 404 `theme.not_found`; one already retired 409 \
`theme.already_retired`. Role: `business_manager` or `admin`.",
    request_body = EmptyRequest,
    params(("theme" = String, Path, description = "The theme's slug"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Retired.", body = LearningCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/themes/{theme}/retirement")]
pub async fn retire_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    theme: web::Path<String>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("RetireTheme", &actor)?;
    let theme = ThemeSlug::parse(&theme)
        .map_err(|_| ApiError::client(StatusCode::NOT_FOUND, "theme.not_found", "no such theme"))?;
    let command = LearningCommand::RetireTheme { theme };
    run(&req, &state, &actor, &body.request_hash, command, None).await
}

/// TagThemes.
#[utoipa::path(
    operation_id = "TagThemes",
    tag = "Learning",
    summary = "Tag a case's reviews or a recommendation with themes",
    description = "Replaces the themes of a case's reviews, or of a multi-agency audit (`subject.kind` \
`case`, with the case's or the audit's id: an audit's tags count as audits), or of one \
recommendation of a case (`recommendation`, with its `recommendation_id`); an empty list removes \
them. Each theme is on the list and not retired (422 `theme.unknown`), each named once, at most \
20. A case the caller may not see, or a recommendation the case does not have, is 404. Role: \
`business_manager`.",
    request_body = TagThemesRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 200, description = "Tagged.", body = LearningCommandAccepted),
        (status = 404, response = crate::doc_parts::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/themes/tags")]
pub async fn tag_themes(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<TagThemesRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("TagThemes", &actor)?;
    let themes = theme_slugs("themes", &body.value.themes)?;
    let command = LearningCommand::TagThemes {
        subject: body.value.subject.clone(),
        themes,
    };
    state.queries.taggable(&actor, &body.value.subject)?;
    run(&req, &state, &actor, &body.request_hash, command, None).await
}

/// RecordMeeting.
#[utoipa::path(
    operation_id = "RecordMeeting",
    tag = "Learning",
    summary = "Record a partnership meeting",
    description = "A meeting of one of the partnership's groups, once held (`held_on` not after \
today: 422 `date.in_future`): the organisations that attended, each once, registered in the \
partnership (422 `organisation.unknown`), with how many people; those who attended by \
pseudonymous reference (an id from the caller's own directory, with a digit and no spaces: \
never a name), at most as many as attended, counted as distinct people across meetings; and the \
cases and recommendations discussed (422 `case.unknown` for one the caller may not see). A \
`meeting_id` already recorded is 409 `learning.already_recorded`. Role: `business_manager`.",
    request_body = RecordMeetingRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "Recorded.", body = LearningCommandAccepted,
         headers(("Location" = String, description = "The year's meetings"),
                 ("ETag" = String, description = "The learning stream's version"))),
        (status = 409, response = crate::doc_parts::Conflict),
    ),
    security(("bearer" = []))
)]
#[post("/v1/meetings")]
pub async fn record_meeting(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<RecordMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("RecordMeeting", &actor)?;
    let id = body.value.meeting_id.unwrap_or_else(Uuid::now_v7);
    let meeting = meeting(&body.value, id)?;
    let command = LearningCommand::RecordMeeting(meeting.clone());
    discussed(&state, &actor, &meeting.discussed)?;
    let location = format!(
        "/v1/meetings?financial_year={}",
        FinancialYear::containing(meeting.held_on)
    );
    let created = Some((Some(meeting.meeting_id), location));
    run(&req, &state, &actor, &body.request_hash, command, created).await
}

/// RecordLearningEvent.
#[utoipa::path(
    operation_id = "RecordLearningEvent",
    tag = "Learning",
    summary = "Record a learning event or training",
    description = "A learning event once held: one of the three shared learning days a year \
(`shared_learning_event`), a commissioned course (`training`), a structured update or \
conference, or a briefing; its topic (1 to 200 characters, no personal data), who attended (as \
for meetings), how it was rated when evaluated (`evaluation.responses_by_score`: how many gave \
each score 1 to 5; at least one response and no more than attended) and the themes it covered \
(on the list and not retired: 422 `theme.unknown`). Role: `business_manager`.",
    request_body = RecordLearningEventRequest,
    params(crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "Recorded.", body = LearningCommandAccepted,
         headers(("Location" = String, description = "The year's learning events"),
                 ("ETag" = String, description = "The learning stream's version"))),
        (status = 409, response = crate::doc_parts::Conflict),
    ),
    security(("bearer" = []))
)]
#[post("/v1/learning-events")]
pub async fn record_learning_event(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<RecordLearningEventRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("RecordLearningEvent", &actor)?;
    let id = body.value.learning_event_id.unwrap_or_else(Uuid::now_v7);
    let held = learning_event(&body.value, id)?;
    let location = format!(
        "/v1/learning-events?financial_year={}",
        FinancialYear::containing(held.held_on)
    );
    let created = Some((Some(held.learning_event_id), location));
    let command = LearningCommand::RecordLearningEvent(held);
    run(&req, &state, &actor, &body.request_hash, command, created).await
}

/// RecordContribution.
#[utoipa::path(
    operation_id = "RecordContribution",
    tag = "Learning",
    summary = "Record a partner's contribution to a year's budget",
    description = "A contribution in money, or in kind (`in_kind`: goods and services), from an \
organisation registered in the partnership (422 `organisation.unknown`), of 1 to \
10,000,000,000 pence, for the financial year in the path (starting 1990 to 2099). Role: \
`business_manager`.",
    request_body = RecordContributionRequest,
    params(("year" = String, Path, description = "The financial year, e.g. `2021-22`"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "Recorded.", body = LearningCommandAccepted,
         headers(("Location" = String, description = "The year's budget"),
                 ("ETag" = String, description = "The learning stream's version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/budget/{year}/contributions")]
pub async fn record_contribution(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    year: web::Path<String>,
    body: JsonBody<RecordContributionRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("RecordContribution", &actor)?;
    let year = financial_year(&year)?;
    let organisation = OrgSlug::parse(&body.value.organisation).map_err(|_| {
        ApiError::invalid_field(
            "organisation",
            "organisation.unknown",
            "organisation is not an organisation of the partnership",
        )
    })?;
    let line = Contribution {
        line_id: body.value.line_id.unwrap_or_else(Uuid::now_v7),
        financial_year: year,
        organisation,
        amount_pence: body.value.amount_pence,
        in_kind: body.value.in_kind,
    };
    let created = Some((Some(line.line_id), format!("/v1/budget/{year}")));
    let command = LearningCommand::RecordContribution(line);
    run(&req, &state, &actor, &body.request_hash, command, created).await
}

/// RecordSpending.
#[utoipa::path(
    operation_id = "RecordSpending",
    tag = "Learning",
    summary = "Record spending in a year's budget",
    description = "Money spent in the financial year in the path, by category (the resource \
plan's lines of expenditure), of 1 to 10,000,000,000 pence. Role: `business_manager`.",
    request_body = RecordSpendingRequest,
    params(("year" = String, Path, description = "The financial year, e.g. `2021-22`"),
           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
    responses(
        (status = 201, description = "Recorded.", body = LearningCommandAccepted,
         headers(("Location" = String, description = "The year's budget"),
                 ("ETag" = String, description = "The learning stream's version"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/budget/{year}/spending")]
pub async fn record_spending(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    year: web::Path<String>,
    body: JsonBody<RecordSpendingRequest>,
) -> Result<HttpResponse, ApiError> {
    may_send_named("RecordSpending", &actor)?;
    let year = financial_year(&year)?;
    let line = Spending {
        line_id: body.value.line_id.unwrap_or_else(Uuid::now_v7),
        financial_year: year,
        category: body.value.category,
        amount_pence: body.value.amount_pence,
    };
    let created = Some((Some(line.line_id), format!("/v1/budget/{year}")));
    let command = LearningCommand::RecordSpending(line);
    run(&req, &state, &actor, &body.request_hash, command, created).await
}
