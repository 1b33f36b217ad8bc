//! The text and date rules every request body meets, in one place, applied by the JSON body
//! extractor (`extract::JsonBody`) to every command once its body has parsed, before any rule of
//! the domain: the same rules for the same kind of field, whatever the command.
//!
//! A field's kind follows from its name, the same in every request DTO (`api/src/dto`):
//! - identifiers (references, names of people and organisations, leads, reviewers, owners,
//!   attendees, slugs, descriptors) are one line of at most 64 to 200 characters, without
//!   control characters or bidirectional controls (U+202A-U+202E, U+2066-U+2069): text that
//!   displays other than it reads, in a list of cases or a log, could pass for another case;
//! - links are one line of at most 2,000 characters, without them either;
//! - every other text (summaries, rationales, findings, the values of enumerations, dates) is
//!   at most 20,000 characters, with line breaks and tabs but no other control characters.
//!
//! Every text given is non-blank (a present but blank identifier means nothing); a date of
//! birth lies between 1900-01-01 and today (Europe/London). Messages name the field, never its
//! value: the value may be personal data.

use crate::problem::ApiError;
use chrono::NaiveDate;
use serde_json::Value;

/// Longest reference (case, Panel, organisation slug).
const MAX_REFERENCE: usize = 64;
/// Longest descriptor (sex, ethnicity, age band).
const MAX_DESCRIPTOR: usize = 100;
/// Longest name of a person or organisation.
const MAX_NAME: usize = 200;
/// Longest link.
const MAX_URL: usize = 2_000;
/// Longest free text.
const MAX_TEXT: usize = 20_000;

/// The earliest date of birth accepted.
const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One line, no bidirectional controls.
    Identifier(usize),
    /// Free text: line breaks and tabs allowed.
    Text(usize),
}

/// The kind of a field, by its name (the last key of its path).
fn kind(key: &str) -> Kind {
    match key {
        "reference" | "panel_reference" | "slug" => Kind::Identifier(MAX_REFERENCE),
        "sex" | "ethnicity" | "age_band" => Kind::Identifier(MAX_DESCRIPTOR),
        "given_name"
        | "family_name"
        | "name"
        | "lead_name"
        | "organisation"
        | "owner"
        | "owners"
        | "reviewer"
        | "reviewer_organisation"
        | "chair"
        | "attendees" => Kind::Identifier(MAX_NAME),
        "url" => Kind::Identifier(MAX_URL),
        _ => Kind::Text(MAX_TEXT),
    }
}

/// Checks every text of a parsed body: 422 naming every field at fault (the problem's `code` is
/// the first one's).
pub fn check_body(body: &Value) -> Result<(), ApiError> {
    let mut faults = Vec::new();
    walk(body, "", "", &mut String::new(), &mut faults);
    ApiError::all_of(faults).map_or(Ok(()), Err)
}

fn walk(value: &Value, key: &str, parent_key: &str, path: &mut String, faults: &mut Vec<ApiError>) {
    match value {
        // Items of a list are checked as their list's field.
        Value::String(text) => {
            let name = if key.is_empty() { parent_key } else { key };
            if let Err(fault) = check_text(path, name, text) {
                faults.push(fault);
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                let before = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                walk(field, name, key, path, faults);
                path.truncate(before);
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                let before = path.len();
                path.push_str(&format!("[{n}]"));
                walk(item, "", key, path, faults);
                path.truncate(before);
            }
        }
        _ => {}
    }
}

fn check_text(path: &str, key: &str, text: &str) -> Result<(), ApiError> {
    let field = if path.is_empty() { "body" } else { path };
    if text.trim().is_empty() {
        return Err(ApiError::invalid_field(
            field,
            "field.required",
            format!("{field} must not be blank"),
        ));
    }
    let (max, one_line) = match kind(key) {
        Kind::Identifier(max) => (max, true),
        Kind::Text(max) => (max, false),
    };
    if text.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            "field.too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    let allowed_control = |c: char| !one_line && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed_control(c)) {
        return Err(ApiError::invalid_field(
            field,
            "field.control_character",
            if one_line {
                format!("{field} must be one line without control characters")
            } else {
                format!(
                    "{field} must not contain control characters other than line breaks and tabs"
                )
            },
        ));
    }
    if one_line && text.chars().any(is_bidi_control) {
        return Err(ApiError::invalid_field(
            field,
            "field.bidi_control",
            format!(
                "{field} must not contain bidirectional embedding, override or isolate characters"
            ),
        ));
    }
    if key == "date_of_birth" {
        check_birth(field, text)?;
    }
    Ok(())
}

/// U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A date of birth from 1900 to today; one that does not parse was already refused by the
/// body's own parsing.
fn check_birth(field: &str, text: &str) -> Result<(), ApiError> {
    let Ok(date) = text.parse::<NaiveDate>() else {
        return Ok(());
    };
    let (year, month, day) = EARLIEST_BIRTH;
    let earliest = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN);
    let today = casetrail_domain::calendar::local_date(chrono::Utc::now());
    if date < earliest || date > today {
        return Err(ApiError::invalid_field(
            field,
            "date.out_of_range",
            format!("{field} must be between {earliest} and today"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn code(body: &Value) -> Option<(String, String)> {
        match check_body(body) {
            Ok(()) => None,
            Err(ApiError::Client { code, errors, .. }) => {
                Some((errors[0].field.clone(), code.to_owned()))
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn identifiers_are_one_line_without_bidi_controls_and_text_may_break_lines() {
        let at = |field: &str, c: &str| Some((field.to_owned(), c.to_owned()));
        assert_eq!(code(&json!({"child": {"reference": "SBC-1"}})), None);
        assert_eq!(
            code(&json!({"child": {"reference": "SBC\u{202E}1"}})),
            at("child.reference", "field.bidi_control")
        );
        assert_eq!(
            code(&json!({"lead_name": "A\nB"})),
            at("lead_name", "field.control_character")
        );
        assert_eq!(
            code(&json!({"owners": ["ok", "\u{2066}x"]})),
            at("owners[1]", "field.bidi_control")
        );
        assert_eq!(code(&json!({"summary": "Line one.\r\n\tLine two."})), None);
        assert_eq!(
            code(&json!({"summary": "bell\u{7}"})),
            at("summary", "field.control_character")
        );
        assert_eq!(
            code(&json!({"summary": " \n "})),
            at("summary", "field.required")
        );
        assert_eq!(
            code(&json!({"panel_reference": "x".repeat(65)})),
            at("panel_reference", "field.too_long")
        );
        assert_eq!(code(&json!({"panel_reference": "é".repeat(64)})), None);
    }

    #[test]
    fn every_text_at_fault_is_named_at_once() {
        let Err(ApiError::Client { code, errors, .. }) = check_body(&json!({
            "child": {"reference": " ", "sex": "f\u{202E}"},
            "summary": "fine",
            "owners": ["ok", "x".repeat(201)]
        })) else {
            panic!("three texts at fault");
        };
        let named: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("child.reference", "field.required"),
                ("child.sex", "field.bidi_control"),
                ("owners[1]", "field.too_long")
            ]
        );
        assert_eq!(code, "field.required");
        assert_eq!(errors[2].pointer.as_deref(), Some("/owners/1"));
    }

    #[test]
    fn a_date_of_birth_is_from_1900_to_today() {
        let today = casetrail_domain::calendar::local_date(chrono::Utc::now());
        let tomorrow = today.succ_opt().unwrap();
        for ok in ["1900-01-01".to_owned(), today.to_string()] {
            assert_eq!(code(&json!({"child": {"date_of_birth": ok}})), None);
        }
        for bad in ["1899-12-31".to_owned(), tomorrow.to_string()] {
            assert_eq!(
                code(&json!({"child": {"date_of_birth": bad}})),
                Some(("child.date_of_birth".into(), "date.out_of_range".into()))
            );
        }
    }
}
