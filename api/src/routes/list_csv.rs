//! The case and deadline lists as CSV (`Accept: text/csv`), for spreadsheets: the same
//! filters, order and pages as JSON, one row per item with the JSON item's own fields (so a
//! role never sees more in CSV than in JSON), RFC 4180 (quoted where needed, CRLF), and every
//! text cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage
//! return first) prefixed with `'`. The next page is in the `Link` header (`rel="next"`) and
//! its cursor alone in `Casetrail-Next-Cursor`.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

/// The header carrying the next page's cursor of a CSV page.
pub const NEXT_CURSOR: &str = "casetrail-next-cursor";

/// The CSV media type the lists answer with.
pub const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// The case list's columns: the fields of a JSON item.
pub const CASE_COLUMNS: &[&str] = &[
    "case_id",
    "kind",
    "stage",
    "version",
    "reference",
    "opened_at",
    "has_overdue_deadlines",
    "next_due_at",
    "updated_at",
    "updated_position",
];

/// The deadline list's columns: the fields of a JSON item, `late_by` in two.
pub const DEADLINE_COLUMNS: &[&str] = &[
    "deadline_id",
    "case_id",
    "kind",
    "organisation",
    "due_at",
    "status",
    "fulfilled_at",
    "late_by.working_days",
    "late_by.hours",
    "fulfilled_by",
    "original_due_at",
    "recommendation_id",
    "action_id",
    "provisional",
    "case_version",
    "updated_at",
    "updated_position",
];

/// Whether the client asked for CSV before JSON.
pub fn wants_csv(req: &HttpRequest) -> bool {
    let Ok(accept) = <header::Accept as header::Header>::parse(req) else {
        return false;
    };
    accept
        .ranked()
        .into_iter()
        .find_map(
            |mime| match (mime.type_().as_str(), mime.subtype().as_str()) {
                ("text", "csv") => Some(true),
                ("application", "json" | "*") | ("*", "*") => Some(false),
                _ => None,
            },
        )
        .unwrap_or(false)
}

/// A page of a list as a CSV answer: a header row, a row per item, the next page linked.
pub fn page<T: Serialize>(
    req: &HttpRequest,
    name: &str,
    columns: &[&str],
    items: &[T],
    next_cursor: Option<&str>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(TEXT_CSV)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("casetrail-{name}.csv"))],
        });
    if let Some(cursor) = next_cursor {
        response
            .insert_header((header::LINK, next_link(req, cursor)))
            .insert_header((NEXT_CURSOR, cursor));
    }
    response.body(document(columns, items))
}

/// The CSV document: the columns, then each item's values.
pub fn document<T: Serialize>(columns: &[&str], items: &[T]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and every row has the header's fields.
    writer
        .write_record(columns)
        .expect("a CSV row written to memory");
    for item in items {
        let value = serde_json::to_value(item).unwrap_or(Value::Null);
        let row = columns.iter().map(|column| cell(&value, column));
        writer
            .write_record(row)
            .expect("a CSV row written to memory");
    }
    let bytes = writer
        .into_inner()
        .expect("a CSV document flushed to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}

/// The item's value at `column` (`late_by.hours` inside an object) as a cell: empty for null.
fn cell(item: &Value, column: &str) -> String {
    let value = column
        .split('.')
        .try_fold(item, |value, key| value.get(key))
        .unwrap_or(&Value::Null);
    match value {
        Value::Null => String::new(),
        Value::String(text) => guarded(text),
        other => other.to_string(),
    }
}

/// A text a spreadsheet would run as a formula, made inert with a leading `'` (OWASP's advice
/// on CSV injection); other text unchanged.
fn guarded(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The request's own URL with the next cursor in place of its cursor, as a `Link` header.
fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    pairs.retain(|(name, _)| name != "cursor");
    pairs.push(("cursor".to_owned(), cursor.to_owned()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("<{}?{query}>; rel=\"next\"", req.path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_quoted_by_rfc_4180_and_formulas_made_inert() {
        let items = [
            json!({"reference": "=HYPERLINK(\"http://x\")", "kind": "child", "version": 3,
                   "next_due_at": null}),
            json!({"reference": "A, \"B\"\nC", "kind": "+1", "version": 4,
                   "next_due_at": "2023-01-03T23:59:59.999999Z"}),
            json!({"reference": "@SUM(A1)", "kind": "-2", "version": 5, "next_due_at": null}),
        ];
        let csv = document(&["reference", "kind", "version", "next_due_at"], &items);
        assert_eq!(
            csv,
            "reference,kind,version,next_due_at\r\n\
             \"'=HYPERLINK(\"\"http://x\"\")\",child,3,\r\n\
             \"A, \"\"B\"\"\nC\",'+1,4,2023-01-03T23:59:59.999999Z\r\n\
             '@SUM(A1),'-2,5,\r\n"
        );
    }

    #[test]
    fn an_object_field_is_read_by_its_path() {
        let items = [
            json!({"late_by": {"working_days": 2, "hours": 50}}),
            json!({"late_by": null}),
        ];
        assert_eq!(
            document(&["late_by.working_days", "late_by.hours"], &items),
            "late_by.working_days,late_by.hours\r\n2,50\r\n,\r\n"
        );
    }
}
