//! The report's figures as CSV (RFC 4180): one row per figure, with every position it counts.

use super::{AnnualReport, Source};

/// The figures as CSV: `section,key,figure,value,unit,source`, the source being the positions
/// (space-separated) or the statistics' link.
pub fn to_csv(report: &AnnualReport) -> String {
    let mut out = String::from("section,key,figure,value,unit,source\r\n");
    for section in &report.sections {
        for figure in &section.figures {
            let value = serde_json::to_value(&figure.amount).unwrap_or_default();
            let unit = value["unit"].as_str().unwrap_or_default().to_owned();
            let number = match &value["value"] {
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            let source = match &figure.source {
                Source::Events { positions } => positions
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                Source::Statistics { link } => link.clone(),
            };
            let row = [
                section.title,
                &figure.key,
                &figure.label,
                &number,
                &unit,
                &source,
            ]
            .map(field);
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// A field, quoted when it holds a comma, a quote or a line break; a text a spreadsheet would
/// run as a formula is prefixed with `'`.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
