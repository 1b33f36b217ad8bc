//! Cross-origin requests from browser front-ends: the origins named in
//! `CASETRAIL_CORS_ORIGINS`, and always the service's own origin (its Swagger UI).
//!
//! Tokens travel in the `Authorization` header, never in cookies, so credentials are not
//! allowed: a page of another origin can act only with a token its user gave it, and a browser
//! never attaches one on its own. Without configured origins there is no CORS at all: a browser
//! then refuses every cross-origin call, as before.

use crate::problem::problem_response;
use crate::telemetry::{KNOWN_METHODS, REQUEST_ID};
use actix_cors::{Cors, CorsError};
use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use anyhow::bail;
use std::future::Future;
use std::sync::Arc;

/// How long a browser may cache a preflight's answer.
const PREFLIGHT_MAX_AGE_SECONDS: usize = 600;

/// The request headers a front-end sends beyond the safelisted ones.
const ALLOWED_HEADERS: [HeaderName; 7] = [
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    header::ACCEPT,
    header::IF_MATCH,
    header::IF_NONE_MATCH,
    HeaderName::from_static("idempotency-key"),
    REQUEST_ID,
];

/// The response headers a front-end may read beyond the safelisted ones.
const EXPOSED_HEADERS: [HeaderName; 8] = [
    header::ETAG,
    header::LOCATION,
    header::RETRY_AFTER,
    REQUEST_ID,
    header::LINK,
    header::CONTENT_LANGUAGE,
    HeaderName::from_static(crate::conditional::BODY_ETAG),
    HeaderName::from_static(crate::routes::list_csv::NEXT_CURSOR),
];

/// Checks the configured origins: each `http://` or `https://` with a host and an optional
/// port, nothing after it, no wildcard (a partnership names its front-ends).
pub fn parse_origins(values: &[String]) -> anyhow::Result<Arc<[String]>> {
    let mut origins = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let Some((scheme, authority)) = value.split_once("://") else {
            bail!(
                "CASETRAIL_CORS_ORIGINS: {value:?} is not an origin such as https://app.example.org"
            );
        };
        let host_like =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if !matches!(scheme, "http" | "https")
            || authority.is_empty()
            || !authority.chars().all(host_like)
        {
            bail!(
                "CASETRAIL_CORS_ORIGINS: {value:?} is not an origin: http or https, a host and \
                 an optional port, no path and no wildcard"
            );
        }
        origins.push(value.to_ascii_lowercase());
    }
    Ok(origins.into())
}

/// The CORS middleware allowing `origins` and the service's own.
pub fn middleware(origins: Arc<[String]>) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin, head| {
            let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
            origins.contains(&origin) || same_origin(&origin, head.headers().get(header::HOST))
        })
        // Every method the API answers; OPTIONS is the preflight itself.
        .allowed_methods(
            KNOWN_METHODS
                .into_iter()
                .filter(|method| *method != Method::OPTIONS),
        )
        .allowed_headers(ALLOWED_HEADERS)
        .expose_headers(EXPOSED_HEADERS)
        .max_age(PREFLIGHT_MAX_AGE_SECONDS)
}

/// Whether the origin is the service's own: its host and port are the request's `Host` (a
/// browser sends `Origin` on its own page's POSTs, the Swagger UI's among them).
fn same_origin(origin: &str, host: Option<&HeaderValue>) -> bool {
    let Some(host) = host.and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

/// Middleware for `App::wrap_fn`, around [`middleware`]: its refusals (an origin, method or
/// header not allowed) become problem+json 403 `cors.not_allowed` instead of plain text.
pub fn refusals_as_problems<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    let response = srv.call(req);
    async move {
        let response = response.await?;
        let refusal = response
            .response()
            .error()
            .and_then(|error| error.as_error::<CorsError>())
            .map(ToString::to_string);
        Ok(match refusal {
            None => response.map_into_boxed_body(),
            Some(reason) => {
                let (request, _) = response.into_parts();
                let problem = problem_response(
                    StatusCode::FORBIDDEN,
                    "cors.not_allowed",
                    format!("cross-origin request refused: {reason}"),
                    Vec::new(),
                );
                ServiceResponse::new(request, problem)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        let parsed = parse_origins(&[
            "https://App.Example.org".into(),
            " http://localhost:5173 ".into(),
            String::new(),
        ])
        .expect("valid origins");
        assert_eq!(
            &*parsed,
            ["https://app.example.org", "http://localhost:5173"]
        );
        for bad in [
            "*",
            "app.example.org",
            "ftp://app.example.org",
            "https://app.example.org/",
            "https://app.example.org/ui",
            "https://*.example.org",
            "https://",
        ] {
            assert!(parse_origins(&[bad.into()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_same_origin_is_the_requests_host() {
        let host = HeaderValue::from_static("localhost:8080");
        assert!(same_origin("http://localhost:8080", Some(&host)));
        assert!(!same_origin("http://localhost:8081", Some(&host)));
        assert!(!same_origin("http://localhost:8080", None));
    }
}
