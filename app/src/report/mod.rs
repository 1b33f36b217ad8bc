//! The partnership's annual report for a financial year (issue 17), built from the record: the
//! cases as they stood at an instant and the learning record as it was then. Every figure names
//! its source: the log positions of the events it counts, or the annual statistics it is one of
//! (which are reproducible `as_of` the same instant). Rendered as Markdown and HTML (with SVG
//! charts) for readers, and as JSON and CSV for those who would rather compute.

mod assemble;
mod csv;
mod html;
mod markdown;
mod svg;

pub use assemble::{ReportInputs, annual_report};
pub use csv::to_csv;
pub use html::to_html;
pub use markdown::to_markdown;

use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::learning::{grouped, pounds};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The sections' keys, in reading order: a figure's key is its section's, a dot, and its own.
pub const SECTIONS: [&str; 11] = [
    "meetings",
    "participation",
    "child_reviews",
    "adult_and_homicide_reviews",
    "recommendations",
    "audits",
    "action_plans",
    "learning_shared",
    "learning_events",
    "themes",
    "finance",
];

/// The annual report of one financial year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    /// The partnership's name.
    pub partnership: String,
    /// The financial year.
    #[serde(with = "casetrail_domain::calendar::financial_year::label")]
    pub year: FinancialYear,
    /// The instant the record is read as of.
    pub as_of: DateTime<Utc>,
    /// The sections, in reading order.
    pub sections: Vec<Section>,
    /// The charts, in reading order.
    pub charts: Vec<Chart>,
}

/// A section of figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// A stable id (`meetings`, `child_reviews`, …).
    pub key: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its figures.
    pub figures: Vec<Figure>,
}

/// One figure, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// A stable id, unique in the report (`meetings.held`, …).
    pub key: String,
    /// What it counts, as the report reads.
    pub label: String,
    /// Its value.
    pub amount: Amount,
    /// What it is counted from.
    pub source: Source,
}

/// A figure's value and its unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Amount {
    /// How many.
    Count(u64),
    /// A percentage to one decimal; `None` when there was nothing to take it of.
    Percent(Option<f64>),
    /// Money, in pence.
    Pence(i64),
    /// Working days, to one decimal; `None` when there was nothing to measure.
    WorkingDays(Option<f64>),
    /// An average score out of 5, to one decimal; `None` without responses.
    Score(Option<f64>),
}

impl Amount {
    /// The value as a reader reads it.
    pub fn text(&self) -> String {
        let or_dash = |value: &Option<f64>, unit: &str| {
            value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}{unit}"))
        };
        match self {
            Amount::Count(n) => grouped(*n),
            Amount::Percent(p) => or_dash(p, "%"),
            Amount::Pence(pence) => pounds(*pence),
            Amount::WorkingDays(days) => or_dash(days, " working days"),
            Amount::Score(score) => or_dash(score, " of 5"),
        }
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The events it counts, by log position (ascending).
    Events {
        /// Their positions.
        positions: Vec<u64>,
    },
    /// One of the annual statistics, reproducible at this link (`as_of` the report's instant),
    /// whose own figures count the cases' facts.
    Statistics {
        /// The statistics' resource.
        link: String,
    },
}

/// A chart: labelled bars, each of one or more stacked parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// A stable id.
    pub key: &'static str,
    /// Its title.
    pub title: String,
    /// The names of the stacked parts, in stacking order (one for a plain bar chart).
    pub series: Vec<&'static str>,
    /// The bars, in order.
    pub bars: Vec<Bar>,
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Its label.
    pub label: String,
    /// The value of each part, in the chart's series order.
    pub values: Vec<u64>,
}

/// The positions of a source, as a reader reads them: every one up to ten, then the first ten
/// and how many more (the JSON and CSV list them all).
fn positions_text(positions: &[u64]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = positions
        .iter()
        .take(SHOWN)
        .map(|p| p.to_string())
        .collect();
    match positions.len() {
        0 => "no event".to_owned(),
        1 => format!("1 event at position {}", shown.join("")),
        n if n <= SHOWN => format!("{n} events at positions {}", shown.join(", ")),
        n => format!(
            "{n} events at positions {}, and {} more",
            shown.join(", "),
            n - SHOWN
        ),
    }
}

#[cfg(test)]
mod tests;
