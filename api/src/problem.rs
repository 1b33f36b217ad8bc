//! The API's one error type and its one mapping to RFC 9457 `application/problem+json`.
//!
//! Internal causes are logged with their whole chain and never sent: a client sees a stable
//! `code`, a title, a detail free of personal data, and the request id to quote to support.

use crate::request_context;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use casetrail_app::AppError;
use casetrail_domain::{DomainError, ErrorKind, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The most fields one problem lists: far more than any form has, far fewer than a hostile
/// body of 64 KiB could produce.
pub const MAX_LISTED_FIELDS: usize = 25;

/// `Retry-After` of a 503 or 429, in seconds: a lock or a costly read is over by then.
pub const RETRY_AFTER_SECONDS: &str = "1";

/// One invalid field of the body, or one invalid query parameter.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"field": "child.date_of_birth", "pointer": "/child/date_of_birth", "code": "date.after_incident", "message": "child.date_of_birth must not be after incident_date"}))]
pub struct ProblemField {
    /// Path of the body's field (`child.date_of_birth`, `owners[1]`), or the query parameter's
    /// name.
    pub field: String,
    /// The body's field as an RFC 6901 JSON pointer (`/child/date_of_birth`, `/owners/1`);
    /// absent for a query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The query parameter at fault (`limit`, `sort`); absent for a field of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Stable machine-readable code.
    pub code: String,
    /// Explanation, naming the field or parameter, never its value.
    pub message: String,
}

impl ProblemField {
    /// A field of the body, by its path (`child.date_of_birth`, `owners[1]`).
    pub fn body(path: &str, code: &str, message: impl Into<String>) -> Self {
        ProblemField {
            field: path.to_owned(),
            pointer: Some(json_pointer(path)),
            parameter: None,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A query parameter, by its name.
    pub fn parameter(name: &str, code: &str, message: impl Into<String>) -> Self {
        ProblemField {
            field: name.to_owned(),
            pointer: None,
            parameter: Some(name.to_owned()),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The RFC 6901 pointer of a path as the API writes it (`child.date_of_birth`, `owners[1]`;
/// empty or `.` for the whole body).
fn json_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            pointer.push('/');
            pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:casetrail:problem:case.wrong_stage",
    "title": "Conflict",
    "status": 409,
    "detail": "the Panel notification is already recorded for this case",
    "instance": "/v1/cases/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f/panel-notification",
    "code": "case.wrong_stage",
    "request_id": "01937a2e-9000-7000-8000-000000000001"
}))]
pub struct Problem {
    /// URI naming the kind of problem: `urn:casetrail:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the status.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong, without personal data.
    pub detail: String,
    /// The request path.
    pub instance: String,
    /// Stable machine-readable code, e.g. `case.wrong_stage`.
    pub code: String,
    /// The request id (also in the `x-request-id` header).
    pub request_id: String,
    /// Field-level errors, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// With `case.possible_duplicate`: the case already recorded for the same child and
    /// incident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_case_id: Option<uuid::Uuid>,
}

/// Everything that can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid bearer token.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// A domain rule refused the command, or the request was malformed.
    #[error("{code}: {detail}")]
    Client {
        /// HTTP status.
        status: StatusCode,
        /// Stable code.
        code: &'static str,
        /// Explanation.
        detail: String,
        /// Field errors.
        errors: Vec<ProblemField>,
    },
    /// A notification that may repeat a case's (the same child and incident date), sent
    /// without `allow_duplicate`: 409 naming the existing case.
    #[error("case.possible_duplicate")]
    PossibleDuplicate(uuid::Uuid),
    /// A failure of ours; the cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
    /// A dependency (the database) is unavailable, maybe only for a moment: 503 with
    /// `Retry-After`.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
}

impl ApiError {
    /// A client error with a status, code and detail.
    pub fn client(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Client {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// 400 for a body or query that cannot be parsed.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 404 for a case that does not exist for this actor (another tenant's too).
    pub fn case_not_found() -> Self {
        Self::client(StatusCode::NOT_FOUND, "case.not_found", "no such case")
    }

    /// 422 naming one invalid field.
    pub fn invalid_field(field: &str, code: &'static str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            detail: detail.clone(),
            errors: vec![ProblemField::body(field, code, detail)],
        }
    }

    /// 400 naming one invalid query parameter.
    pub fn invalid_parameter(name: &str, code: &'static str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError::Client {
            status: StatusCode::BAD_REQUEST,
            code,
            detail: detail.clone(),
            errors: vec![ProblemField::parameter(name, code, detail)],
        }
    }

    /// One problem for several client errors of one request (every invalid field or parameter
    /// at once): the first one's status and code, every detail, every field. `None` for none.
    pub fn all_of(errors: Vec<ApiError>) -> Option<ApiError> {
        let mut all = errors.into_iter();
        let first = all.next()?;
        let ApiError::Client {
            status,
            code,
            detail,
            errors: mut fields,
        } = first
        else {
            return Some(first);
        };
        let mut details = vec![detail];
        for other in all {
            if let ApiError::Client { detail, errors, .. } = other {
                details.push(detail);
                fields.extend(errors);
            }
        }
        Some(ApiError::fields(status, code, fields, details))
    }

    /// A client error naming `fields` (at most [`MAX_LISTED_FIELDS`] of them, so that a body
    /// of thousands of faults is not echoed back), its detail the first details joined.
    pub fn fields(
        status: StatusCode,
        code: &'static str,
        mut fields: Vec<ProblemField>,
        mut details: Vec<String>,
    ) -> Self {
        let more = details.len().saturating_sub(MAX_LISTED_FIELDS);
        fields.truncate(MAX_LISTED_FIELDS);
        details.truncate(MAX_LISTED_FIELDS);
        let mut detail = details.join("; ");
        if more > 0 {
            detail.push_str(&format!(" (and {more} more)"));
        }
        ApiError::Client {
            status,
            code,
            detail,
            errors: fields,
        }
    }
}

/// The client errors of one request, gathered so that the answer names every one of them.
#[derive(Debug, Default)]
pub struct Gathered(Vec<ApiError>);

impl Gathered {
    /// The value, or `None` with its error kept.
    pub fn take<T>(&mut self, result: Result<T, ApiError>) -> Option<T> {
        result.map_err(|err| self.0.push(err)).ok()
    }

    /// The optional value parsed, or `None` with its error kept.
    pub fn parse<S, T>(
        &mut self,
        value: Option<S>,
        parse: impl FnOnce(S) -> Result<T, ApiError>,
    ) -> Option<T> {
        value.and_then(|value| self.take(parse(value)))
    }

    /// `Ok` when nothing was wrong, else one problem naming everything.
    pub fn finish(self) -> Result<(), ApiError> {
        ApiError::all_of(self.0).map_or(Ok(()), Err)
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Refused(refusal) => refusal.into(),
            AppError::BadQuery(refusal) => ApiError::bad_request(refusal.code, refusal.message),
            AppError::Busy(refusal) => {
                ApiError::client(StatusCode::TOO_MANY_REQUESTS, refusal.code, refusal.message)
            }
            AppError::Behind(refusal) => ApiError::client(
                StatusCode::SERVICE_UNAVAILABLE,
                refusal.code,
                refusal.message,
            ),
            AppError::Gone(refusal) => {
                ApiError::client(StatusCode::GONE, refusal.code, refusal.message)
            }
            AppError::StaleVersion => ApiError::client(
                StatusCode::PRECONDITION_FAILED,
                "version.precondition_failed",
                "the case has changed since the version in If-Match; reload it and retry",
            ),
            AppError::Internal(cause) => ApiError::Internal(cause),
            AppError::Unavailable(cause) => ApiError::Unavailable(cause),
        }
    }
}

impl From<casetrail_app::visibility::PersonalDetailsRefusal> for ApiError {
    fn from(refusal: casetrail_app::visibility::PersonalDetailsRefusal) -> Self {
        AppError::from(refusal).into()
    }
}

impl From<casetrail_store::StoreError> for ApiError {
    /// The database being unreachable is a 503, anything else a 500.
    fn from(err: casetrail_store::StoreError) -> Self {
        AppError::from(err).into()
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let status = match err.kind {
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::Client {
            status,
            code: err.code,
            detail: err.message,
            errors: err.field_errors.into_iter().map(problem_field).collect(),
        }
    }
}

fn problem_field(field: FieldError) -> ProblemField {
    ProblemField::body(&field.field, field.code, field.message)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Client { status, .. } => *status,
            ApiError::PossibleDuplicate(_) => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (code, detail, errors) = match self {
            ApiError::Unauthorized(detail) => {
                ("auth.unauthenticated", (*detail).to_owned(), vec![])
            }
            ApiError::Client {
                code,
                detail,
                errors,
                ..
            } => (*code, detail.clone(), errors.clone()),
            ApiError::PossibleDuplicate(existing) => (
                "case.possible_duplicate",
                format!(
                    "case {existing} has the same child reference and incident date; send \
                     allow_duplicate: true if this is another incident"
                ),
                vec![],
            ),
            ApiError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                (
                    "internal",
                    "an internal error occurred; quote the request id to support".to_owned(),
                    vec![],
                )
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(error = ?cause, "dependency unavailable");
                (
                    "unavailable",
                    "the service is temporarily unavailable; retry later".to_owned(),
                    vec![],
                )
            }
        };
        let mut problem = problem_for(request_context::current(), status, code, detail, errors);
        if let ApiError::PossibleDuplicate(existing) = self {
            problem.existing_case_id = Some(*existing);
        }
        let mut response = problem_json(status, &problem);
        // Both are worth a retry, soon: a transient database failure (a lock held too long, a
        // lost connection) or a caller over its share of costly reads.
        if matches!(
            status,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
        ) {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        if matches!(self, ApiError::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"casetrail\""),
            );
        }
        response
    }
}

/// Builds a problem response for the current request.
pub fn problem_response(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<ProblemField>,
) -> HttpResponse {
    problem_response_for(request_context::current(), status, code, detail, errors)
}

/// Builds a problem response for a given request.
pub fn problem_response_for(
    context: request_context::RequestContext,
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<ProblemField>,
) -> HttpResponse {
    let problem = problem_for(context, status, code, detail, errors);
    problem_json(status, &problem)
}

fn problem_for(
    context: request_context::RequestContext,
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<ProblemField>,
) -> Problem {
    Problem {
        problem_type: format!("urn:casetrail:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        instance: context.path,
        code: code.to_owned(),
        request_id: context.request_id,
        errors,
        existing_case_id: None,
    }
}

fn problem_json(status: StatusCode, problem: &Problem) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .json(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_json_pointers() {
        assert_eq!(json_pointer("child.date_of_birth"), "/child/date_of_birth");
        assert_eq!(json_pointer("owners[1]"), "/owners/1");
        assert_eq!(json_pointer("a[0][2].b"), "/a/0/2/b");
        assert_eq!(json_pointer("odd/name~"), "/odd~1name~0");
        assert_eq!(json_pointer("."), "");
    }

    #[test]
    fn every_gathered_error_is_named_under_the_first_code() {
        let mut gathered = Gathered::default();
        assert_eq!(gathered.take(Ok::<_, ApiError>(1)), Some(1));
        let none: Option<u8> = gathered.take(Err(ApiError::invalid_parameter(
            "limit",
            "query.invalid_limit",
            "limit must be 1 to 500",
        )));
        assert_eq!(none, None);
        gathered.take::<()>(Err(ApiError::invalid_parameter(
            "sort",
            "query.invalid",
            "sort has an unknown value",
        )));
        let Err(ApiError::Client {
            status,
            code,
            errors,
            ..
        }) = gathered.finish()
        else {
            panic!("two errors gathered");
        };
        assert_eq!(
            (status, code),
            (StatusCode::BAD_REQUEST, "query.invalid_limit")
        );
        let named: Vec<_> = errors.iter().map(|e| e.parameter.as_deref()).collect();
        assert_eq!(named, [Some("limit"), Some("sort")]);
        assert!(Gathered::default().finish().is_ok());
    }

    #[test]
    fn a_problem_lists_a_bounded_number_of_fields() {
        let many = (0..1000)
            .map(|n| ApiError::invalid_field(&format!("k{n}"), "field.required", "blank"))
            .collect();
        let Some(ApiError::Client { detail, errors, .. }) = ApiError::all_of(many) else {
            panic!("a thousand errors");
        };
        assert_eq!(errors.len(), MAX_LISTED_FIELDS);
        assert!(detail.ends_with("(and 975 more)"), "{detail}");
    }
}
