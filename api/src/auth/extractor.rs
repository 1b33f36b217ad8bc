//! The `Authenticated` extractor: a handler that takes it cannot run without a verified actor.

use super::Verifier;
use crate::problem::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use casetrail_domain::Actor;
use std::future::{Ready, ready};

/// A verified actor.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Actor);

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Authenticated, ApiError> {
    let verifier = req
        .app_data::<web::Data<Verifier>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no verifier configured")))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("a bearer token is required"))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or(ApiError::Unauthorized(
            "the Authorization header must be 'Bearer <token>'",
        ))?;
    // One answer for every refusal: naming the claim at fault would tell a forger that the
    // signature was good.
    let actor = verifier
        .verify(token.trim())
        .map_err(|_| ApiError::Unauthorized("the bearer token is invalid"))?;
    // Kept for the request log line (user and organisation, never case data).
    req.extensions_mut().insert(actor.clone());
    Ok(Authenticated(actor))
}
