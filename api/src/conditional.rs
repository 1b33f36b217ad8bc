//! `If-None-Match` on every read: a `GET` answered 200 with a JSON or CSV body (or the docs
//! page and its script) carries a weak validator of that body, `W/"<SHA-256 of the bytes, base64url>"`, and the same `GET` sent
//! with it in `If-None-Match` is answered 304 with no body while the body would be the same.
//!
//! The validator is computed from the body as evaluated for this request, never from a stream
//! version alone: a deadline's status (`due_soon`, `breached`) changes with time passing, not
//! only with facts, so the same case version can answer two different bodies. It is weak
//! because it names the JSON, not its bytes on the wire: gzip and brotli encodings of one body
//! share it.
//!
//! Where a route sets its own `ETag` (a case, the partnership: the stream version, `"3"`, which
//! commands take in `If-Match`), that stays the `ETag`, and the body validator goes in
//! `Casetrail-Body-ETag` instead; `If-None-Match` is always compared with the body validator,
//! so a version tag in `If-None-Match` never yields a 304, and `If-Match` refuses a weak
//! validator (`extract::if_match`).

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The header carrying the body validator when the `ETag` is a version.
pub const BODY_ETAG: &str = "casetrail-body-etag";

/// Larger bodies pass without a validator (none of the JSON answers comes near it; a body
/// this large is streamed, and a stream is never held in memory to be hashed).
const MAX_HASHED_BYTES: u64 = 16 * 1024 * 1024;

/// Middleware (`middleware::from_fn`), inside compression so that it hashes the body itself.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.call(req).await?.map_into_boxed_body();
    if !is_read || response.status() != StatusCode::OK || !hashable(response.response()) {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("the body could not be read"))?;
    let validator = validator(&bytes);
    let header_value = HeaderValue::from_str(&validator)
        .map_err(|_| actix_web::error::ErrorInternalServerError("a validator is ASCII"))?;
    let name = if head.headers().contains_key(header::ETAG) {
        header::HeaderName::from_static(BODY_ETAG)
    } else {
        header::ETAG
    };
    head.headers_mut().insert(name, header_value);
    let unchanged = if_none_match.is_some_and(|tags| matches_any(&tags, &validator));
    let response = if unchanged {
        let mut not_modified = HttpResponse::NotModified().finish();
        // A 304 carries the headers a 200 would have (validators, caching, Vary), no body.
        for (name, value) in head.headers().iter() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                not_modified
                    .headers_mut()
                    .append(name.clone(), value.clone());
            }
        }
        not_modified
    } else {
        head.set_body(bytes).map_into_boxed_body()
    };
    Ok(ServiceResponse::new(request, response))
}

/// A sized JSON or CSV body (or the docs page and its script): not a stream (an export, events
/// as they come), not an error.
fn hashable(response: &HttpResponse) -> bool {
    let sized = matches!(response.body().size(), BodySize::Sized(n) if n <= MAX_HASHED_BYTES);
    let media = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim();
    sized
        && matches!(
            media,
            "application/json" | "text/csv" | "text/html" | "text/javascript"
        )
}

/// `W/"…"`: the SHA-256 of the body, base64url.
pub fn validator(body: &[u8]) -> String {
    format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(Sha256::digest(body)))
}

/// RFC 9110 13.1.2: `*`, or any listed tag equal to ours by weak comparison (the opaque tags
/// equal, `W/` aside).
fn matches_any(if_none_match: &str, validator: &str) -> bool {
    let ours = opaque(validator);
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || opaque(tag) == ours)
}

fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_by_weak_comparison_or_star() {
        let ours = validator(b"{\"items\":[]}");
        assert!(ours.starts_with("W/\"") && ours.ends_with('"'));
        assert!(matches_any(&ours, &ours));
        assert!(
            matches_any(&ours[2..], &ours),
            "the strong form of the same tag"
        );
        assert!(matches_any(&format!("\"3\", {ours}"), &ours));
        assert!(matches_any("*", &ours));
        assert!(!matches_any("\"3\"", &ours));
        assert!(!matches_any(&validator(b"{\"items\":[1]}"), &ours));
    }
}
