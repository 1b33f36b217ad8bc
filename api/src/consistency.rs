//! Read your writes across replicas, for every request: `?min_position=N` or the header
//! `Casetrail-Consistency: min-position=N` makes it wait (a bounded time) until this replica's
//! read models have reached log position N, the `position` of a command's answer
//! (`casetrail_app::consistency`): a read, or a command on a case another replica has just
//! opened (this replica finds the case in its read models). The query parameter is taken off
//! the request before the route reads its own parameters, so every route accepts it.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

/// The header, for clients that cannot change a URL.
pub const HEADER: &str = "casetrail-consistency";
/// The query parameter.
pub const PARAMETER: &str = "min_position";

/// Middleware (`middleware::from_fn`), the innermost: waits for the position a request asks
/// for, then lets the route run; a refused wait runs nothing.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let refusal = match wanted_position(&mut req) {
        Err(refusal) => Some(refusal),
        Ok(None) => None,
        Ok(Some(position)) => match req.app_data::<web::Data<AppState>>().cloned() {
            None => None,
            Some(state) => casetrail_app::consistency::reach(&state.projector, position)
                .await
                .err()
                .map(ApiError::from),
        },
    };
    if let Some(refusal) = refusal {
        return Ok(req.into_response(refusal.error_response()));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The position asked for, from the header or the query parameter (which is removed).
fn wanted_position(req: &mut ServiceRequest) -> Result<Option<u64>, ApiError> {
    let from_header = match req.headers().get(HEADER) {
        None => None,
        Some(value) => Some(parse_header(value.to_str().unwrap_or_default())?),
    };
    // Most reads do not ask: they pass without a copy of their query string.
    let asks = |pair: &str| {
        pair.split_once('=')
            .is_some_and(|(name, _)| name == PARAMETER)
    };
    let Some(query) = req
        .uri()
        .query()
        .filter(|query| query.split('&').any(asks))
        .map(str::to_owned)
    else {
        return Ok(from_header);
    };
    let mut from_query = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some((PARAMETER, value)) => from_query = Some(parse_number(value)?),
            _ => kept.push(pair),
        }
    }
    strip_query(req, &kept.join("&"));
    Ok(from_query.max(from_header))
}

fn parse_header(value: &str) -> Result<u64, ApiError> {
    value
        .trim()
        .strip_prefix("min-position=")
        .ok_or_else(|| {
            ApiError::bad_request(
                "consistency.invalid",
                "Casetrail-Consistency must be `min-position=<log position>`",
            )
        })
        .and_then(parse_number)
}

fn parse_number(value: &str) -> Result<u64, ApiError> {
    value.parse::<u64>().map_err(|_| {
        ApiError::bad_request(
            "consistency.invalid",
            "min_position must be a log position: a whole number from a command's answer",
        )
    })
}

/// Rewrites the request's query without the parameter, so the route's strict query
/// parameters do not see it.
fn strip_query(req: &mut ServiceRequest, kept: &str) {
    let path = req.uri().path().to_owned();
    let path_and_query = if kept.is_empty() {
        path
    } else {
        format!("{path}?{kept}")
    };
    let mut parts = req.uri().clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    if let Ok(uri) = Uri::from_parts(parts) {
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
    }
}
