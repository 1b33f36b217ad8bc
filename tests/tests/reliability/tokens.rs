//! Forged, stale and incomplete bearer tokens, sent over HTTP to the real server: every one is
//! 401 problem+json, for the production RS256 key and for the development HS256 secret alike,
//! and nothing is written. A valid token signed the same way is accepted, so the refusals are
//! the checks at work and not a broken setup.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use casetrail_tests::tokens::{IDP_AUDIENCE, IDP_ISSUER, es256, hs256, keys, rs256, sign};
use casetrail_tests::{TestApp, notification, problem};
use jsonwebtoken::{Algorithm, EncodingKey};
use reqwest::StatusCode;
use serde_json::{Value, json};

const IDP: &str = IDP_ISSUER;

fn valid_claims(issuer: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": "u-1", "name": "A Notifier", "partnership": "southend",
           "org": "southend-council", "roles": ["notifier"], "iss": issuer,
           "aud": "casetrail", "exp": now + 600, "nbf": now - 10, "iat": now})
}

/// Claims that a verifier must refuse however well they are signed.
fn bad_claims(valid: &Value) -> Vec<(String, Value)> {
    let now = chrono::Utc::now().timestamp();
    let with = |name: &str, value: Value| {
        let mut claims = valid.clone();
        claims[name] = value;
        claims
    };
    let mut cases = vec![
        // Beyond the verifier's 30 s leeway.
        ("expired".to_owned(), with("exp", json!(now - 120))),
        ("not yet valid".to_owned(), with("nbf", json!(now + 3600))),
        (
            "wrong issuer".to_owned(),
            with("iss", json!("https://evil.example")),
        ),
        (
            "wrong audience".to_owned(),
            with("aud", json!("another-api")),
        ),
        (
            "roles not a list".to_owned(),
            with("roles", json!("notifier")),
        ),
        ("malformed org".to_owned(), with("org", json!("Not A Slug"))),
        ("empty subject".to_owned(), with("sub", json!(""))),
    ];
    for claim in [
        "sub",
        "name",
        "partnership",
        "org",
        "roles",
        "exp",
        "iss",
        "aud",
    ] {
        let mut claims = valid.clone();
        claims.as_object_mut().unwrap().remove(claim);
        cases.push((format!("missing {claim}"), claims));
    }
    cases
}

/// An unsigned token: `alg: none`, with an empty signature or one copied from a real token.
fn unsigned(claims: &Value, signature: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.{signature}")
}

/// The same token with one character of its signature changed.
fn bad_signature(token: &str) -> String {
    let mut token = token.to_owned();
    let last = token.pop().unwrap();
    token.push(if last == 'A' { 'B' } else { 'A' });
    token
}

/// A real token's header and signature around a payload that grants more.
fn tampered(token: &str, claims: &Value) -> String {
    let mut parts = token.split('.');
    let (header, _, signature) = (parts.next(), parts.next(), parts.next());
    let mut elevated = claims.clone();
    elevated["roles"] = json!(["admin", "business_manager", "auditor"]);
    let payload = URL_SAFE_NO_PAD.encode(elevated.to_string());
    format!("{}.{payload}.{}", header.unwrap(), signature.unwrap())
}

/// Sends every token, expects 401 for each, then the valid one is accepted.
async fn assert_only_the_valid_token_passes(
    app: &TestApp,
    valid: String,
    refused: Vec<(String, String)>,
) {
    let before = app.log_length().await;
    for (why, token) in &refused {
        let response = app
            .post("/v1/cases/notifications", token, &notification())
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{why}");
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"casetrail\"",
            "{why}"
        );
        problem(response, StatusCode::UNAUTHORIZED, "auth.unauthenticated").await;
        let response = app.get("/v1/cases", token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{why}");
    }
    assert_eq!(app.log_length().await, before, "a refused token wrote");
    let response = app
        .post("/v1/cases/notifications", &valid, &notification())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

async fn production_keys(app: TestApp) {
    let rs256 = |claims: &Value| rs256(claims, None);
    let claims = valid_claims(IDP);
    let valid = rs256(&claims);
    let mut refused: Vec<(String, String)> = bad_claims(&claims)
        .into_iter()
        .map(|(why, claims)| (why, rs256(&claims)))
        .collect();
    let signature = valid.rsplit('.').next().unwrap();
    refused.extend([
        ("alg none".to_owned(), unsigned(&claims, "")),
        (
            "alg none with a real signature".to_owned(),
            unsigned(&claims, signature),
        ),
        // Algorithm confusion: HMAC keyed with the public key the server verifies RS256 with.
        (
            "HS256 signed with the RS256 public key".to_owned(),
            hs256(keys::RSA_PUBLIC.as_bytes(), &claims),
        ),
        (
            "ES256 from a key the server does not trust".to_owned(),
            es256(&claims),
        ),
        ("bad signature".to_owned(), bad_signature(&valid)),
        ("tampered payload".to_owned(), tampered(&valid, &claims)),
        ("not a JWT".to_owned(), "a.b.c".to_owned()),
    ]);
    assert_only_the_valid_token_passes(&app, valid, refused).await;
}

async fn development_secret(app: TestApp) {
    let secret = app.dev_tokens().secret();
    let hs256 = |claims: &Value| hs256(secret, claims);
    let claims = valid_claims(casetrail_api::auth::DEV_ISSUER);
    let valid = hs256(&claims);
    let mut refused: Vec<(String, String)> = bad_claims(&claims)
        .into_iter()
        .map(|(why, claims)| (why, hs256(&claims)))
        .collect();
    refused.extend([
        ("alg none".to_owned(), unsigned(&claims, "")),
        (
            "HS384 with the right secret".to_owned(),
            sign(
                Algorithm::HS384,
                None,
                &claims,
                &EncodingKey::from_secret(secret),
            ),
        ),
        ("bad signature".to_owned(), bad_signature(&valid)),
        ("tampered payload".to_owned(), tampered(&valid, &claims)),
    ]);
    assert_only_the_valid_token_passes(&app, valid, refused).await;
}

/// The settings of a production identity provider's RS256 key.
fn production_settings(config: &mut casetrail_api::ServeConfig) {
    config.jwt_public_key_file = Some(keys::path("rsa-public.pem"));
    config.jwt_issuer = Some(IDP.into());
    config.jwt_audience = Some(IDP_AUDIENCE.into());
}

casetrail_tests::both_backends!(
    rs256_public_key,
    configure = production_settings,
    production_keys
);

casetrail_tests::both_backends!(hs256_development_secret, development_secret);
