//! The report as Markdown: a heading, what it is read from, a table per section and per chart.

use super::{AnnualReport, Chart, Source, positions_text};
use std::fmt::Write;

/// The report as Markdown (CommonMark with GitHub tables).
pub fn to_markdown(report: &AnnualReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: annual report {}\n",
        cell(&report.partnership),
        report.year
    );
    let _ = writeln!(out, "{}\n", super::html::preamble(report));
    for section in &report.sections {
        let _ = writeln!(out, "## {}\n", section.title);
        out.push_str("| Figure | Value | Counted from |\n| --- | ---: | --- |\n");
        for figure in &section.figures {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&figure.label),
                figure.amount.text(),
                source_text(&figure.source)
            );
        }
        out.push('\n');
    }
    for chart in &report.charts {
        chart_table(&mut out, chart);
    }
    out
}

/// A source as a reader reads it.
fn source_text(source: &Source) -> String {
    match source {
        Source::Events { positions } => positions_text(positions),
        Source::Statistics { link } => format!("[the annual statistics]({link})"),
    }
}

fn chart_table(out: &mut String, chart: &Chart) {
    let _ = writeln!(out, "## {}\n", cell(&chart.title));
    if chart.bars.is_empty() {
        out.push_str("Nothing to show.\n\n");
        return;
    }
    let _ = writeln!(out, "| | {} |", chart.series.join(" | "));
    let _ = writeln!(out, "| --- |{}", " ---: |".repeat(chart.series.len()));
    for bar in &chart.bars {
        let values: Vec<String> = bar.values.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "| {} | {} |", cell(&bar.label), values.join(" | "));
    }
    out.push('\n');
}

/// Text in a table cell: a pipe would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
