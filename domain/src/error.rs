//! The domain's one error type: a refused command, with a stable code.

use serde::Serialize;

/// What kind of refusal, which the HTTP edge maps to a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The actor may not send this command (403).
    Forbidden,
    /// The case or a named thing does not exist for this actor (404).
    NotFound,
    /// The command does not fit the case's current state (409).
    Conflict,
    /// The command itself is invalid (422).
    Invalid,
}

/// One invalid field of a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `child.date_of_birth`.
    pub field: String,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human explanation, free of personal data.
    pub message: String,
}

/// A refused command. Messages never contain personal data: they name rules and fields only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct DomainError {
    /// How the refusal maps to HTTP.
    pub kind: ErrorKind,
    /// Stable machine-readable code, e.g. `case.wrong_stage`.
    pub code: &'static str,
    /// Human explanation.
    pub message: String,
    /// Field-level detail for invalid commands.
    pub field_errors: Vec<FieldError>,
}

impl DomainError {
    /// A 403-style refusal.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }

    /// A 404-style refusal.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    /// A 409-style refusal.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    /// A 422-style refusal.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }

    /// A 422 refusal naming one field.
    pub fn invalid_field(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        Self {
            kind: ErrorKind::Invalid,
            code,
            message: message.clone(),
            field_errors: vec![FieldError {
                field: field.into(),
                code,
                message,
            }],
        }
    }

    /// The fields of one command checked each on its own: `Ok` when none is at fault, else one
    /// refusal with the first's code and message naming every field at fault, so that a form
    /// can mark them all at once.
    pub fn all_fields(errors: impl IntoIterator<Item = Option<DomainError>>) -> Result<(), Self> {
        let mut found = errors.into_iter().flatten();
        let Some(mut first) = found.next() else {
            return Ok(());
        };
        for more in found {
            first.field_errors.extend(more.field_errors);
        }
        Err(first)
    }

    fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            message: message.into(),
            field_errors: Vec::new(),
        }
    }
}
