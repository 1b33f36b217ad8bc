//! Bar charts as inline SVG: each bar's parts stacked, labelled on the left, its total at its
//! end, with a legend for stacked charts and a text alternative for screen readers.

use super::Chart;
use super::html::escape;
use std::fmt::Write;

const WIDTH: u64 = 640;
const LABEL_WIDTH: u64 = 200;
const BAR_HEIGHT: u64 = 22;
const GAP: u64 = 10;
/// Colours that stay apart for the common colour blindnesses (Okabe and Ito).
const COLOURS: [&str; 3] = ["#0072B2", "#E69F00", "#D55E00"];

/// The chart as an SVG element.
pub fn chart(chart: &Chart) -> String {
    let max = chart
        .bars
        .iter()
        .map(|b| b.values.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = WIDTH - LABEL_WIDTH - 60;
    let legend = if chart.series.len() > 1 { 28 } else { 0 };
    let height = legend + chart.bars.len() as u64 * (BAR_HEIGHT + GAP) + GAP;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" aria-labelledby="{key}-title"><title id="{key}-title">{title}</title>"#,
        key = chart.key,
        title = escape(&alternative(chart)),
    );
    if legend > 0 {
        let mut x = LABEL_WIDTH;
        for (name, colour) in chart.series.iter().zip(COLOURS) {
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/><text x="{}" y="16" font-size="12">{}</text>"#,
                x + 16,
                escape(name)
            );
            x += 24 + 8 * name.len() as u64;
        }
    }
    for (n, bar) in chart.bars.iter().enumerate() {
        let y = legend + GAP + n as u64 * (BAR_HEIGHT + GAP);
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            LABEL_WIDTH - 8,
            y + 15,
            escape(&bar.label)
        );
        let mut x = LABEL_WIDTH;
        for (value, colour) in bar.values.iter().zip(COLOURS) {
            let width = value * plot / max;
            if width > 0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{colour}"/>"#
                );
            }
            x += width;
        }
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="12">{}</text>"#,
            x + 6,
            y + 15,
            bar.values.iter().sum::<u64>()
        );
    }
    svg.push_str("</svg>");
    svg
}

/// What the chart shows, in words: its title and every bar's values.
fn alternative(chart: &Chart) -> String {
    let bars: Vec<String> = chart
        .bars
        .iter()
        .map(|bar| {
            let parts: Vec<String> = chart
                .series
                .iter()
                .zip(&bar.values)
                .map(|(name, value)| format!("{value} {name}"))
                .collect();
            format!("{}: {}", bar.label, parts.join(", "))
        })
        .collect();
    format!("{}. {}", chart.title, bars.join("; "))
}
