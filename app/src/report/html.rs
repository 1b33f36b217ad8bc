//! The report as one self-contained HTML page: the sections as tables, the charts as inline
//! SVG, no script and nothing fetched, so it prints and archives as it is.

use super::{AnnualReport, Source, positions_text, svg};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;color:#1b1b1b;line-height:1.4}h1{font-size:1.8rem}h2{font-size:1.3rem;\
margin-top:2rem;border-bottom:2px solid #0072B2}table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}\
td.value{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
td.source{font-size:.85rem;color:#555}figure{margin:1rem 0}figcaption{font-weight:600}";

/// What the report is read from, said once above the figures.
pub(super) fn preamble(report: &AnnualReport) -> String {
    format!(
        "The financial year {} (1 April {} to 31 March {}), as the partnership's record stood at \
         {}. Every figure is counted from the record: its source is the events it counts, by \
         log position, or the annual statistics it is one of, which give the same figures for \
         the same instant.",
        report.year,
        report.year.start_on().format("%Y"),
        report.year.end_on().format("%Y"),
        report
            .as_of
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

/// The report as an HTML page.
pub fn to_html(report: &AnnualReport) -> String {
    let title = format!("{}: annual report {}", report.partnership, report.year);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n<p>{}</p>\n",
        escape(&preamble(report)),
        title = escape(&title),
    );
    for section in &report.sections {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">Figure</th>\
             <th scope=\"col\">Value</th><th scope=\"col\">Counted from</th></tr></thead>\n<tbody>\n",
            section.key,
            escape(section.title)
        );
        for figure in &section.figures {
            let _ = writeln!(
                out,
                "<tr id=\"{}\"><th scope=\"row\">{}</th><td class=\"value\">{}</td>\
                 <td class=\"source\">{}</td></tr>",
                escape(&figure.key),
                escape(&figure.label),
                escape(&figure.amount.text()),
                source_html(&figure.source)
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    for chart in &report.charts {
        let _ = write!(
            out,
            "<figure id=\"{}\">\n<figcaption>{}</figcaption>\n{}\n</figure>\n",
            chart.key,
            escape(&chart.title),
            if chart.bars.is_empty() {
                "<p>Nothing to show.</p>".to_owned()
            } else {
                svg::chart(chart)
            }
        );
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A figure's source: the events' positions, or a link to the statistics it is one of.
fn source_html(source: &Source) -> String {
    match source {
        Source::Events { positions } => escape(&positions_text(positions)),
        Source::Statistics { link } => {
            format!("<a href=\"{}\">the annual statistics</a>", escape(link))
        }
    }
}

/// Text made safe for HTML and SVG: markup characters as entities.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
