//! Reads of the partnership's learning record (issue 17): the themes with their counts, a
//! financial year's meetings and learning events with what they add up to, and a year's budget.
//! Every read takes `as_of`; who may read what is in `docs/access-control.md`.

use super::learning::financial_year;
use crate::auth::Authenticated;
use crate::dto::{
    BudgetTotals, BudgetView, CategoryTotal, ContributionView, EvaluationView, KindCount,
    LearningEventView, LearningEventsView, MeetingView, MeetingsView, ParticipationTotals,
    ParticipationView, SpendingView, ThemeView, ThemeYearView, ThemesView,
};
use crate::extract::Query;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use casetrail_domain::learning::{
    Attendance, LearningEventKind, PersonRef, SpendingCategory, TakingPart, mean_score,
};
use casetrail_domain::sorted_set::SortedSet;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

/// ListThemes.
#[utoipa::path(
    operation_id = "ListThemes",
    tag = "Learning",
    summary = "List the learning themes",
    description = "The partnership's learning themes (retired ones marked) and how often each was \
tagged, by financial year: cases whose reviews carry it (by the year the case was opened), \
recommendations (by the year they were made) and learning events that covered it (by the year \
they were held). Counts over every case, whoever asks: any role. The ETag is the learning \
stream's version, for `If-Match` on the learning commands. With `as_of`, the themes and tags as \
recorded by then.",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The themes.", body = ThemesView,
         headers(("ETag" = String, description = "The learning stream's version"))),
    ),
    security(("bearer" = []))
)]
#[get("/v1/themes")]
pub async fn list_themes(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = state.queries.themes(&actor, query.as_of)?;
    let view = ThemesView {
        version: list.version,
        themes: list
            .themes
            .into_iter()
            .map(|t| ThemeView {
                theme: t.theme.to_string(),
                name: t.name,
                retired: t.retired,
                by_year: t
                    .by_year
                    .into_iter()
                    .map(|(year, counts)| ThemeYearView {
                        financial_year: year.to_string(),
                        reviews: counts.reviews,
                        recommendations: counts.recommendations,
                        learning_events: counts.learning_events,
                        audits: counts.audits,
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", view.version)))
        .json(view))
}

/// The financial year a list is of, and the instant asked about.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The financial year, 1 April to 31 March, e.g. `2021-22`.
    #[param(example = "2021-22")]
    pub financial_year: String,
    /// Answer from what was recorded by this instant (RFC 3339). Default: now.
    #[param(example = "2022-06-30T12:00:00Z")]
    pub as_of: Option<DateTime<Utc>>,
}

/// The instant asked about.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AsOfQuery {
    /// Answer from what was recorded by this instant (RFC 3339). Default: now. A day outside
    /// 1990–2100 is 400 `calendar.date_out_of_range`.
    #[param(example = "2022-06-30T12:00:00Z")]
    pub as_of: Option<DateTime<Utc>>,
}

fn participation(attendance: &[Attendance], named: usize) -> ParticipationView {
    ParticipationView {
        attendance: attendance.to_vec(),
        people: attendance.iter().map(|a| u64::from(a.people)).sum(),
        people_named: named as u64,
    }
}

/// What a year's meetings or learning events add up to.
fn totals<'a>(
    held: impl Iterator<Item = (&'a [Attendance], &'a SortedSet<PersonRef>)>,
) -> ParticipationTotals {
    let taking_part = TakingPart::of(held);
    ParticipationTotals {
        held: taking_part.held,
        organisations: taking_part.organisations,
        people_named: taking_part.people,
        attendances: taking_part.attendances,
    }
}

/// ListMeetings.
#[utoipa::path(
    operation_id = "ListMeetings",
    tag = "Learning",
    summary = "List a financial year's meetings",
    description = "The meetings held in the financial year, in the order recorded, each with its \
log position, and what they add up to: meetings held, distinct organisations, distinct people \
named (by pseudonymous reference, never read back) and attendances. They name the cases \
discussed, so they are read by those who see every case (the statutory partners, \
`business_manager`, `independent_advisor`, `auditor`; otherwise 403). An unreadable \
`financial_year` is 400 `financial_year.invalid`. With `as_of`, the meetings recorded by then.",
    params(YearQuery),
    responses(
        (status = 200, description = "The meetings.", body = MeetingsView),
        (status = 403, response = crate::doc_parts::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/v1/meetings")]
pub async fn list_meetings(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = financial_year(&query.financial_year)?;
    let meetings = state.queries.meetings(&actor, year, query.as_of)?;
    let view = MeetingsView {
        financial_year: year.to_string(),
        totals: totals(
            meetings
                .iter()
                .map(|m| (m.record.attendance.as_slice(), &m.record.attendees)),
        ),
        meetings: meetings
            .iter()
            .map(|m| MeetingView {
                meeting_id: m.record.meeting_id,
                group: m.record.group,
                held_on: m.record.held_on,
                participation: participation(&m.record.attendance, m.record.attendees.len()),
                discussed: m.record.discussed.clone(),
                position: m.position,
                recorded_at: m.recorded_at,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok().json(view))
}

/// ListLearningEvents.
#[utoipa::path(
    operation_id = "ListLearningEvents",
    tag = "Learning",
    summary = "List a financial year's learning events",
    description = "The learning events held in the financial year, in the order recorded, with \
their evaluations' averages, how many of each kind were held, and what they add up to (as for \
meetings). Read by those who see every case, as meetings are. With `as_of`, those recorded by \
then.",
    params(YearQuery),
    responses(
        (status = 200, description = "The learning events.", body = LearningEventsView),
        (status = 403, response = crate::doc_parts::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/v1/learning-events")]
pub async fn list_learning_events(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = financial_year(&query.financial_year)?;
    let held = state.queries.learning_events(&actor, year, query.as_of)?;
    let mut by_kind: BTreeMap<LearningEventKind, u64> = BTreeMap::new();
    for h in &held {
        *by_kind.entry(h.record.kind).or_default() += 1;
    }
    let view = LearningEventsView {
        financial_year: year.to_string(),
        totals: totals(
            held.iter()
                .map(|h| (h.record.attendance.as_slice(), &h.record.attendees)),
        ),
        by_kind: by_kind
            .into_iter()
            .map(|(kind, held)| KindCount { kind, held })
            .collect(),
        learning_events: held
            .iter()
            .map(|h| LearningEventView {
                learning_event_id: h.record.learning_event_id,
                kind: h.record.kind,
                topic: h.record.topic.clone(),
                held_on: h.record.held_on,
                participation: participation(&h.record.attendance, h.record.attendees.len()),
                evaluation: h.record.evaluation.as_ref().map(|e| EvaluationView {
                    responses_by_score: e.responses_by_score,
                    responses: e.responses(),
                    average_score: mean_score(e.score_total(), e.responses()).unwrap_or(0.0),
                }),
                themes: h.record.themes.iter().map(ToString::to_string).collect(),
                position: h.position,
                recorded_at: h.recorded_at,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok().json(view))
}

/// GetBudget.
#[utoipa::path(
    operation_id = "GetBudget",
    tag = "Learning",
    summary = "Read a financial year's budget",
    description = "The partners' contributions (money and in kind) and the spending of the \
financial year, each line with its log position, and their totals with spending by category: \
the annual report's financial summary. Any role. With `as_of`, the lines recorded by then.",
    params(("year" = String, Path, description = "The financial year, e.g. `2021-22`"), AsOfQuery),
    responses(
        (status = 200, description = "The budget.", body = BudgetView),
    ),
    security(("bearer" = []))
)]
#[get("/v1/budget/{year}")]
pub async fn get_budget(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    year: web::Path<String>,
    query: Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = financial_year(&year)?;
    let budget = state.queries.budget(&actor, year, query.as_of)?;
    let sum = |lines: &mut dyn Iterator<Item = i64>| lines.sum::<i64>();
    let mut by_category: BTreeMap<SpendingCategory, i64> = BTreeMap::new();
    for line in &budget.spending {
        *by_category.entry(line.record.category).or_default() += line.record.amount_pence;
    }
    let view = BudgetView {
        financial_year: year.to_string(),
        totals: BudgetTotals {
            contributions_pence: sum(&mut budget
                .contributions
                .iter()
                .filter(|c| !c.record.in_kind)
                .map(|c| c.record.amount_pence)),
            in_kind_pence: sum(&mut budget
                .contributions
                .iter()
                .filter(|c| c.record.in_kind)
                .map(|c| c.record.amount_pence)),
            spending_pence: sum(&mut budget.spending.iter().map(|s| s.record.amount_pence)),
            by_category: by_category
                .into_iter()
                .map(|(category, amount_pence)| CategoryTotal {
                    category,
                    amount_pence,
                })
                .collect(),
        },
        contributions: budget
            .contributions
            .iter()
            .map(|c| ContributionView {
                line_id: c.record.line_id,
                organisation: c.record.organisation.to_string(),
                amount_pence: c.record.amount_pence,
                in_kind: c.record.in_kind,
                position: c.position,
            })
            .collect(),
        spending: budget
            .spending
            .iter()
            .map(|s| SpendingView {
                line_id: s.record.line_id,
                category: s.record.category,
                amount_pence: s.record.amount_pence,
                position: s.position,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok().json(view))
}
