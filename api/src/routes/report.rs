//! The partnership's annual report (issue 17): `GET /v1/reports/annual/{year}`, as JSON, or as
//! Markdown, HTML (with SVG charts) or CSV by `Accept`.

use super::learning::financial_year;
use crate::auth::Authenticated;
use crate::dto::AnnualReportView;
use crate::extract::Query;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use casetrail_app::report::{to_csv, to_html, to_markdown};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The instant asked about.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Report from what was recorded by this instant (RFC 3339), deadlines evaluated then.
    /// Default: now. The same instant gives the same report.
    #[param(example = "2022-06-30T12:00:00Z")]
    pub as_of: Option<DateTime<Utc>>,
}

/// The formats the report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Markdown,
    Html,
    Csv,
}

/// The first format `Accept` names (by quality), JSON when it names none of them.
fn format(req: &HttpRequest) -> Format {
    let Ok(accept) = <header::Accept as header::Header>::parse(req) else {
        return Format::Json;
    };
    accept
        .ranked()
        .into_iter()
        .find_map(
            |mime| match (mime.type_().as_str(), mime.subtype().as_str()) {
                ("text", "markdown") => Some(Format::Markdown),
                ("text", "html") => Some(Format::Html),
                ("text", "csv") => Some(Format::Csv),
                ("application", "json" | "*") | ("*", "*") => Some(Format::Json),
                _ => None,
            },
        )
        .unwrap_or(Format::Json)
}

const MARKDOWN_EXAMPLE: &str = "# Southend Safeguarding Partnership: annual report 2021-22\n\n\
## Meeting activity\n\n| Figure | Value | Counted from |\n| --- | ---: | --- |\n\
| Partnership meetings held | 72 | 72 events at positions 4011, 4020, …, and 62 more |\n";

/// GetAnnualReport.
#[utoipa::path(
    operation_id = "GetAnnualReport",
    tag = "Statistics",
    summary = "Read the annual report of a financial year",
    description = "The partnership's annual report for the financial year (1 April to 31 March, \
`2021-22`), built from the record: meeting activity, the organisations and people taking part, \
child reviews (notifications, rapid reviews and their timeliness, decisions, the Panel, local \
reviews), safeguarding adult reviews and domestic homicide reviews, recommendations, learning \
events and training, learning themes and the financial summary, with the deadlines falling due \
in each quarter and the reviews by theme as charts. Every figure names its source: the log \
positions of the events it counts (the learning record), or the annual statistics it is one of \
(`/v1/statistics/annual/{year}` at the same `as_of`). With `as_of`, the report as the record \
stood then: the same instant gives the same report. `Accept: text/markdown`, `text/html` (one \
self-contained page, charts as SVG) or `text/csv` (one row per figure, every position listed); \
JSON otherwise. Aggregates only: any role. An unreadable year is 400 `financial_year.invalid`; \
an `as_of` before the partnership was established is 404 `partnership.not_found`.",
    params(("year" = String, Path, description = "The financial year, e.g. `2021-22`"), ReportQuery),
    responses(
        (status = 200, description = "The report.",
         content(
            (AnnualReportView = "application/json"),
            (String = "text/markdown", example = json!(MARKDOWN_EXAMPLE)),
            (String = "text/html", example = json!("<!doctype html>\n<html lang=\"en\">…</html>")),
            (String = "text/csv", example = json!("section,key,figure,value,unit,source\r\nMeeting activity,meetings.held,Partnership meetings held,72,count,4011 4020\r\n")),
         )),
        (status = 400, response = crate::doc_parts::BadRequest),
        (status = 404, response = crate::doc_parts::NotFound),
        (status = 429, response = crate::doc_parts::TooManyRequests),
    ),
    security(("bearer" = []))
)]
#[get("/v1/reports/annual/{year}")]
pub async fn get_annual_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    year: web::Path<String>,
    query: Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = financial_year(&year)?;
    let report = state
        .queries
        .annual_report(&actor, year, query.as_of)
        .await?
        .ok_or_else(|| {
            ApiError::client(
                StatusCode::NOT_FOUND,
                "partnership.not_found",
                "the partnership was not established by then",
            )
        })?;
    let (content_type, body) = match format(&req) {
        Format::Json => {
            return Ok(HttpResponse::Ok().json(AnnualReportView::from(&report)));
        }
        Format::Markdown => ("text/markdown; charset=utf-8", to_markdown(&report)),
        Format::Html => ("text/html; charset=utf-8", to_html(&report)),
        Format::Csv => ("text/csv; charset=utf-8", to_csv(&report)),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::VARY, "Accept"))
        // The page is the server's own text with its styles inline: nothing to run or fetch.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(body))
}
