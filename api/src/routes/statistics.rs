//! Annual statistics for the annual report: the financial years with facts, and one year's
//! figures as JSON or CSV, now or as of any past instant. Aggregates only (no personal data, no
//! case ids), so every role of the partnership may read them.

use crate::auth::Authenticated;
use crate::dto::{AnnualStatisticsView, StatisticsYear, StatisticsYearPage};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, web};
use casetrail_projections::statistics::FinancialYear;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// The instant asked about.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// Answer from the facts recorded by this instant (RFC 3339), deadlines evaluated then.
    /// Default: now. A day outside 1990–2100 is 400 `calendar.date_out_of_range`.
    #[param(example = "2023-06-30T12:00:00Z")]
    pub as_of: Option<DateTime<Utc>>,
}

/// Lists the financial years that have statistics.
#[utoipa::path(
    operation_id = "ListStatisticsYears",
    tag = "Statistics",
    summary = "List the financial years with statistics",
    description = "The financial years (1 April to 31 March, labelled like `2022-23`) in which any \
fact of the partnership's cases occurred (dated by `occurred_at` in Europe/London), oldest first: \
the years `GET /v1/statistics/annual/{year}` answers for. With `as_of`, only facts recorded by \
then count. Every year fits on one page, so `next_cursor` is always `null`. Every role of the \
partnership may read statistics: they are aggregates, with no personal data and no case ids.",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The years.", body = StatisticsYearPage,
         example = json!({"items": [
            {"year": "2021-22", "start_on": "2021-04-01", "end_on": "2022-03-31"},
            {"year": "2022-23", "start_on": "2022-04-01", "end_on": "2023-03-31"}],
            "next_cursor": null, "as_of": "2023-06-30T12:00:00Z"})),
    ),
    security(("bearer" = []))
)]
#[get("/v1/statistics/annual")]
pub async fn list_statistics_years(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    query: crate::extract::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let listed = state.queries.statistics_years(&actor, query.as_of)?;
    Ok(HttpResponse::Ok().json(StatisticsYearPage {
        items: listed.years.into_iter().map(StatisticsYear::from).collect(),
        next_cursor: None,
        as_of: listed.as_of,
    }))
}

/// Reads one financial year's statistics.
#[utoipa::path(
    operation_id = "GetAnnualStatistics",
    tag = "Statistics",
    summary = "Read a financial year's statistics",
    description = "Every figure the annual report needs for one financial year (1 April to 31 \
March): notifications (by harm, looked after) and the Panel notified within 5 working days; \
referrals; rapid reviews initiated, submitted, on time (by day 15) and the median working days \
from day 0 to submission; agency reports requested and on time, per agency for benchmarking; \
partner decisions (LCSPR or not, unanimous or majority, national review suggested); the Panel's \
agreement rate; reconsiderations; LCSPRs commissioned, published, within 6 months, delayed, \
withheld; safeguarding adult reviews and domestic homicide reviews by stage; family communication \
in person; recommendations on time and overdue; the recommendations' action plans (actions \
added, done, on time and overdue, plans signed off, what the reviews of impact found); the \
reviews' learning shared (times, reviews, organisations and people reached); multi-agency audits \
commissioned and reported; deadlines met, met late and breached by kind; \
rapid review meetings held and the distinct organisations taking part.\n\n\
Each fact is dated by its `occurred_at` in Europe/London and counts in the year it occurred; a \
deadline (and a recommendation's due day) counts in the year it fell due. Percentages have one \
decimal and are `null` when there is nothing to take them of; timeliness percentages are taken \
over what was met, met late or breached at `as_of` (what is still pending waits). With `as_of`, \
the figures are those the facts recorded by then gave, deadlines evaluated at that instant.\n\n\
`Accept: text/csv` answers the same figures as CSV with the header \
`section,figure,organisation,value` and one row per figure: `period` rows first (year, start_on, \
end_on, as_of), then one row per figure of each section, named as in the JSON; per-agency \
figures carry the agency's slug in `organisation`; deadline figures are named `<kind>.<status>`; \
a `null` is an empty value. Otherwise JSON.\n\n\
The year is a label like `2022-23` (400 `statistics.invalid_year` otherwise); a year with no \
facts is 404 `statistics.unknown_year`. Every role of the partnership may read statistics: they \
are aggregates over all its cases, with no personal data and no case ids.",
    params(
        ("year" = String, Path, description = "The financial year, e.g. `2022-23`", example = "2022-23"),
        StatisticsQuery
    ),
    responses(
        (status = 200, description = "The year's figures, as JSON or (with `Accept: text/csv`) CSV.",
         content(
            (AnnualStatisticsView = "application/json", example = json!(annual_example())),
            (String = "text/csv", example = json!(CSV_EXAMPLE)),
         )),
        (status = 404, description = "No facts in that financial year.",
         content_type = "application/problem+json", body = crate::problem::Problem,
         example = json!({"type": "urn:casetrail:problem:statistics.unknown_year",
            "title": "Not Found", "status": 404,
            "detail": "no facts are recorded in the financial year 2031-32",
            "instance": "/v1/statistics/annual/2031-32", "code": "statistics.unknown_year",
            "request_id": "01937a2e-9000-7000-8000-000000000001"})),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/statistics/annual/{year}")]
pub async fn get_annual_statistics(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    year: web::Path<String>,
    query: crate::extract::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let label = year.into_inner();
    let year = FinancialYear::parse(&label)
        .map_err(|err| ApiError::bad_request("statistics.invalid_year", err.to_string()))?;
    let statistics = state
        .queries
        .annual_statistics(&actor, year, query.as_of)
        .await?
        .ok_or_else(|| {
            ApiError::client(
                StatusCode::NOT_FOUND,
                "statistics.unknown_year",
                format!("no facts are recorded in the financial year {year}"),
            )
        })?;
    let view = AnnualStatisticsView::from(&statistics);
    if super::list_csv::wants_csv(&req) {
        let filename = format!("casetrail-statistics-{year}.csv");
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename(filename)],
            })
            .body(view.to_csv()));
    }
    Ok(HttpResponse::Ok().json(view))
}

/// The start of the CSV form of the example year, as the OpenAPI document shows it.
const CSV_EXAMPLE: &str = "section,figure,organisation,value\r\n\
period,year,,2022-23\r\n\
period,start_on,,2022-04-01\r\n\
period,end_on,,2023-03-31\r\n\
period,as_of,,2023-06-30T12:00:00Z\r\n\
notifications,total,,2\r\n\
notifications,death,,1\r\n\
notifications,serious_harm,,1\r\n\
notifications,looked_after,,1\r\n\
notifications,panel_notified_on_time,,1\r\n\
notifications,panel_notified_late,,1\r\n\
notifications,panel_notified_on_time_percent,,50.0\r\n\
referrals,total,,1\r\n\
agency_reports,requested,,4\r\n\
agency_reports,on_time_percent,,75.0\r\n\
agency_reports,requested,essex-police,2\r\n\
agency_reports,on_time_percent,essex-police,50.0\r\n\
deadlines,rr_agency_report.met_late,,1\r\n\
practice_reviews,published_within_6_months_percent,,100.0\r\n";

/// The example year's figures, as the OpenAPI document shows them.
fn annual_example() -> serde_json::Value {
    let deadline = |kind: &str, met: u32, met_late: u32, breached: u32| serde_json::json!({"kind": kind, "met": met, "met_late": met_late, "breached": breached});
    serde_json::json!({
        "year": "2022-23", "start_on": "2022-04-01", "end_on": "2023-03-31",
        "as_of": "2023-06-30T12:00:00Z",
        "notifications": {"total": 2, "death": 1, "serious_harm": 1, "looked_after": 1,
            "panel_notified_on_time": 1, "panel_notified_late": 1,
            "panel_notified_on_time_percent": 50.0},
        "referrals": {"total": 1},
        "rapid_reviews": {"initiated": 2, "submitted": 2, "submitted_on_time": 1,
            "submitted_on_time_percent": 50.0, "median_working_days_to_submission": 16.0},
        "agency_reports": {"requested": 4, "on_time": 3, "late": 1, "on_time_percent": 75.0,
            "by_agency": [
                {"organisation": "essex-police", "requested": 2, "on_time": 1, "late": 1,
                 "on_time_percent": 50.0},
                {"organisation": "suhft", "requested": 2, "on_time": 2, "late": 0,
                 "on_time_percent": 100.0}]},
        "decisions": {"total": 2, "lcspr": 1, "no_lcspr": 1, "unanimous": 1, "majority": 1,
            "national_review_suggested": 1},
        "panel_responses": {"total": 2, "agreed": 1, "disagreed": 1, "agreement_percent": 50.0},
        "reconsiderations": {"total": 1, "adhered": 0, "commissioned": 1, "withdrawn": 0},
        "practice_reviews": {"commissioned": 2, "published": 1, "published_within_6_months": 1,
            "published_within_6_months_percent": 100.0, "delayed": 1, "withheld": 0},
        "adult_reviews": {"referred": 2, "mandatory": 1, "discretionary": 0, "not_required": 0,
            "commissioned": 1, "paused": 1, "completed": 1, "published": 0},
        "homicide_reviews": {"notified": 1, "review": 1, "no_review": 0, "commissioned": 1,
            "completed": 0, "submitted_to_home_office": 0, "published": 0},
        "family_communication": {"total": 2, "in_person": 1, "in_person_percent": 50.0},
        "recommendations": {"added": 4, "completed": 2, "due": 3, "on_time": 1,
            "completed_late": 1, "overdue": 1, "on_time_percent": 33.3},
        "action_plans": {"actions_added": 6, "actions_completed": 4, "actions_due": 4,
            "actions_on_time": 3, "actions_completed_late": 1, "actions_overdue": 0,
            "actions_on_time_percent": 75.0, "plans_signed_off": 1, "practice_changed": 0,
            "practice_partly_changed": 1, "practice_not_changed": 0},
        "learning_shared": {"disseminations": 3, "reviews": 2, "organisations_reached": 4,
            "people_reached": 165},
        "audits": {"commissioned": 2, "reported": 1, "cases_audited": 11},
        "deadlines": [
            deadline("panel_notification", 2, 1, 0),
            deadline("rr_agency_report", 3, 1, 0),
            deadline("rr_submission", 1, 1, 0),
            deadline("recommendation", 1, 1, 1)],
        "meetings": {"held": 2, "organisations_taking_part": 5}
    })
}
