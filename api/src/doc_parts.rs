//! The parts of the OpenAPI document that route attributes name: the command headers and the
//! problem responses. Kept apart from the document builder (`crate::openapi`), which reads
//! the routes, so that routes and the builder do not depend on each other.

use crate::problem::Problem;
use utoipa::{IntoParams, ToResponse};

/// The `Idempotency-Key` header.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKey {
    /// Makes a retry safe: the same key with the same body returns the first response and
    /// writes nothing; with a different body it is 422. 1 to 255 characters, scoped to the user.
    #[param(rename = "Idempotency-Key", example = "notify-SBC-2022-0412")]
    pub idempotency_key: Option<String>,
}

/// The `If-Match` header.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The case version the command was decided on (the ETag of `GET /v1/cases/{case_id}`);
    /// 412 if the case has moved on.
    #[param(rename = "If-Match", example = "\"1\"")]
    pub if_match: Option<String>,
}

macro_rules! problem_response {
    ($name:ident, $description:literal, $status:literal, $code:literal, $detail:literal) => {
        #[doc = $description]
        #[derive(Debug, ToResponse)]
        #[response(
                            description = $description,
                            content_type = "application/problem+json",
                            example = json!({
                                "type": concat!("urn:casetrail:problem:", $code),
                                "title": $description,
                                "status": $status,
                                "detail": $detail,
                                "instance": "/v1/cases/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
                                "code": $code,
                                "request_id": "01937a2e-9000-7000-8000-000000000001"
                            })
                        )]
        pub struct $name(#[allow(dead_code)] Problem);
    };
}

problem_response!(
    BadRequest,
    "Bad Request",
    400,
    "body.invalid",
    "child.looked_after: invalid type, expected a boolean"
);
problem_response!(
    Unauthorized,
    "Unauthorized",
    401,
    "auth.unauthenticated",
    "a bearer token is required"
);
problem_response!(
    Forbidden,
    "Forbidden",
    403,
    "auth.role_required",
    "this command needs the role notifier"
);
problem_response!(NotFound, "Not Found", 404, "case.not_found", "no such case");
problem_response!(
    WebhookNotFound,
    "Not Found",
    404,
    "webhook.not_found",
    "no such webhook subscription"
);
problem_response!(
    Conflict,
    "Conflict",
    409,
    "case.wrong_stage",
    "the Panel notification is already recorded for this case"
);
problem_response!(
    PreconditionFailed,
    "Precondition Failed",
    412,
    "version.precondition_failed",
    "the case has changed since the version in If-Match; reload it and retry"
);
problem_response!(
    PayloadTooLarge,
    "Payload Too Large",
    413,
    "body.too_large",
    "the body must be at most 65536 bytes"
);
problem_response!(
    UnsupportedMediaType,
    "Unsupported Media Type",
    415,
    "body.unsupported_media_type",
    "the body must be application/json"
);
problem_response!(
    Unprocessable,
    "Unprocessable Entity",
    422,
    "notification.criteria_not_met",
    "the notification does not meet the statutory criteria: abuse or neglect must be known or suspected"
);
problem_response!(
    Gone,
    "Gone",
    410,
    "personal_data.erased",
    "this case's personal data has been erased; its process history remains"
);
problem_response!(
    TooManyRequests,
    "Too Many Requests",
    429,
    "as_of.too_many",
    "at most 2 reads with as_of may be under way at once for one user; retry when one has been answered"
);
problem_response!(
    Internal,
    "Internal Server Error",
    500,
    "internal",
    "an internal error occurred; quote the request id to support"
);
problem_response!(
    Unavailable,
    "Service Unavailable",
    503,
    "unavailable",
    "the service is temporarily unavailable; retry later"
);

/// Each problem response by its status, under the name it has in the document's components.
const PROBLEM_RESPONSES: [(u16, &str); 13] = [
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (409, "Conflict"),
    (410, "Gone"),
    (412, "PreconditionFailed"),
    (413, "PayloadTooLarge"),
    (415, "UnsupportedMediaType"),
    (422, "Unprocessable"),
    (429, "TooManyRequests"),
    (500, "Internal"),
    (503, "Unavailable"),
];

/// The name of the shared problem response for a status, if there is one.
pub fn problem_response_name(status: u16) -> Option<&'static str> {
    PROBLEM_RESPONSES
        .iter()
        .find(|(known, _)| *known == status)
        .map(|(_, name)| *name)
}
