//! Wire types of the annual report (issue 17): the figures as JSON, each with its source.

use casetrail_app::report::{Amount, AnnualReport, Source};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The annual report of a financial year: its figures by section, each with where it comes
/// from, and the data of its charts. `Accept: text/markdown`, `text/html` or `text/csv` gives
/// the same report as a document or a table.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"partnership": "Southend Safeguarding Partnership",
    "financial_year": "2021-22", "as_of": "2022-06-30T12:00:00Z",
    "sections": [{"key": "meetings", "title": "Meeting activity", "figures": [
        {"key": "meetings.held", "label": "Partnership meetings held", "unit": "count",
         "value": 72, "text": "72", "source": {"kind": "events", "positions": [4011, 4020]}}]}],
    "charts": [{"key": "reviews_by_theme", "title": "Reviews by learning theme, cases opened in 2021-22",
        "series": ["reviews"], "bars": [{"label": "Neglect", "values": [3]}]}]}))]
pub struct AnnualReportView {
    /// The partnership's name.
    pub partnership: String,
    /// The financial year, e.g. `2021-22`.
    pub financial_year: String,
    /// The instant the record was read as of.
    pub as_of: DateTime<Utc>,
    /// The sections, in reading order.
    pub sections: Vec<SectionView>,
    /// The charts' data, in reading order.
    pub charts: Vec<ChartView>,
}

/// A section of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionView {
    /// A stable id.
    pub key: String,
    /// Its heading.
    pub title: String,
    /// Its figures.
    pub figures: Vec<FigureView>,
}

/// One figure and its source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureView {
    /// A stable id, unique in the report.
    pub key: String,
    /// What it counts.
    pub label: String,
    /// `count`, `percent`, `pence`, `working_days` or `score` (out of 5).
    pub unit: String,
    /// The value in its unit; null for a percentage, time or score of nothing.
    #[schema(value_type = Option<f64>)]
    pub value: serde_json::Value,
    /// The value as the report writes it.
    pub text: String,
    /// What it is counted from.
    pub source: SourceView,
}

/// What a figure is counted from: the events it counts (`kind` `events`, their log positions),
/// or the annual statistics it is one of (`kind` `statistics`, reproducible at `link`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    /// `events` or `statistics`.
    pub kind: String,
    /// The log positions of the events counted (for `events`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positions: Option<Vec<u64>>,
    /// The statistics' resource, `as_of` the report's instant (for `statistics`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A chart's data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChartView {
    /// A stable id.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The stacked parts of each bar, in order.
    pub series: Vec<String>,
    /// The bars.
    pub bars: Vec<BarView>,
}

/// A bar of a chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BarView {
    /// Its label.
    pub label: String,
    /// Each part's value, in the series' order.
    pub values: Vec<u64>,
}

impl From<&AnnualReport> for AnnualReportView {
    fn from(report: &AnnualReport) -> Self {
        Self {
            partnership: report.partnership.clone(),
            financial_year: report.year.to_string(),
            as_of: report.as_of,
            sections: report
                .sections
                .iter()
                .map(|section| SectionView {
                    key: section.key.to_owned(),
                    title: section.title.to_owned(),
                    figures: section
                        .figures
                        .iter()
                        .map(|figure| {
                            let amount = serde_json::to_value(&figure.amount).unwrap_or_default();
                            FigureView {
                                key: figure.key.clone(),
                                label: figure.label.clone(),
                                unit: unit(&figure.amount).to_owned(),
                                value: amount["value"].clone(),
                                text: figure.amount.text(),
                                source: source(&figure.source),
                            }
                        })
                        .collect(),
                })
                .collect(),
            charts: report
                .charts
                .iter()
                .map(|chart| ChartView {
                    key: chart.key.to_owned(),
                    title: chart.title.clone(),
                    series: chart.series.iter().map(|s| (*s).to_owned()).collect(),
                    bars: chart
                        .bars
                        .iter()
                        .map(|bar| BarView {
                            label: bar.label.clone(),
                            values: bar.values.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn source(source: &Source) -> SourceView {
    match source {
        Source::Events { positions } => SourceView {
            kind: "events".to_owned(),
            positions: Some(positions.clone()),
            link: None,
        },
        Source::Statistics { link } => SourceView {
            kind: "statistics".to_owned(),
            positions: None,
            link: Some(link.clone()),
        },
    }
}

/// A figure's unit, as the wire names it.
fn unit(amount: &Amount) -> &'static str {
    match amount {
        Amount::Count(_) => "count",
        Amount::Percent(_) => "percent",
        Amount::Pence(_) => "pence",
        Amount::WorkingDays(_) => "working_days",
        Amount::Score(_) => "score",
    }
}
