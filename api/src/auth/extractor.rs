//! The `Authenticated` extractor: a handler that takes it cannot run without a verified actor.

use super::Verifier;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use casetrail_domain::Actor;
use futures::future::LocalBoxFuture;

/// A verified actor.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Actor);

impl FromRequest for Authenticated {
    type Error = ApiError;
    // A future, not a ready answer: a token of a key the identity provider published since
    // its keys were fetched waits for them (`Verifier::verify_fresh`).
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<Authenticated, ApiError> {
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
        .verify_fresh(token.trim())
        .await
        .map_err(|_| ApiError::Unauthorized("the bearer token is invalid"))?;
    // Kept for the request log line (user and organisation, never case data).
    req.extensions_mut().insert(actor.clone());
    require_role(&actor)?;
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        require_member(&actor, state)?;
    }
    Ok(Authenticated(actor))
}

/// A token with no Casetrail role (none, or only other systems' roles, which the verifier
/// drops) reads and writes nothing: every use of the service is granted by a role.
fn require_role(actor: &Actor) -> Result<(), ApiError> {
    if actor.roles.is_empty() {
        Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.no_role",
            "the token holds no Casetrail role",
        ))
    } else {
        Ok(())
    }
}

/// The user's organisation must be an active member of the partnership: a retired one has left
/// it (its history stays, its users' access ends), and one never registered was never in it.
/// Reads are refused as well as commands: need to know ends when membership does. A token of
/// a partnership this service does not know passes here and finds nothing (tenancy, api.md).
fn require_member(actor: &Actor, state: &AppState) -> Result<(), ApiError> {
    let models = state.projector.read();
    let Some(partnership) = models.partnership(&actor.partnership) else {
        return Ok(());
    };
    if partnership.active_organisation(&actor.org).is_some() {
        Ok(())
    } else if partnership.organisation(&actor.org).is_some() {
        Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "organisation.retired",
            "the user's organisation has retired from the partnership",
        ))
    } else {
        Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "organisation.unknown",
            "the user's organisation is not registered with the partnership",
        ))
    }
}
