//! The catalogue of every `Problem.code`: what a client may meet, with its HTTP statuses and
//! meaning. Clients switch on the code, so it is documented as an enum in the OpenAPI document
//! and as the table of `docs/problem-codes.md`; on the wire it stays a string, so a new code is
//! not a breaking change for a client that falls back on the status.
//!
//! The codes themselves are written where the refusal is decided (`DomainError::conflict(…)`,
//! `ApiError::client(…)`); the `problem_codes` test fails when one is missing here, and when the
//! docs table and this catalogue disagree.

mod catalogue;

pub use catalogue::CATALOGUE;

use utoipa::openapi::{OpenApi, RefOr, Schema};

/// One code a problem can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemCode {
    /// The stable code, e.g. `case.wrong_stage`.
    pub code: &'static str,
    /// The HTTP statuses it comes with (most codes have one).
    pub statuses: &'static [u16],
    /// What it means, for a client developer.
    pub meaning: &'static str,
}

/// The catalogue as the Markdown table of `docs/problem-codes.md`.
pub fn markdown_table() -> String {
    let mut table = String::from("| Code | HTTP status | Meaning |\n| --- | --- | --- |\n");
    for entry in CATALOGUE {
        let statuses: Vec<String> = entry.statuses.iter().map(u16::to_string).collect();
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            entry.code,
            statuses.join(", "),
            entry.meaning
        ));
    }
    table
}

/// Documents the `code` of `Problem` and of `ProblemField` with the enum of every code.
pub(crate) fn document_codes(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for schema in ["Problem", "ProblemField"] {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
            continue;
        };
        if let Some(RefOr::T(Schema::Object(code))) = object.properties.get_mut("code") {
            code.enum_values = Some(CATALOGUE.iter().map(|entry| entry.code.into()).collect());
        }
    }
}
