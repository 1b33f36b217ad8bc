//! Production token verification: RS256 and ES256 public keys (PEM and JWKS), issuer and
//! audience, and the classic attacks on them.
#![allow(clippy::unwrap_used)]

use casetrail_api::auth::{JwtSettings, Verifier};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::json;

const RSA_PRIVATE: &str = include_str!("fixtures/rsa-private.pem");
const RSA_PUBLIC: &str = include_str!("fixtures/rsa-public.pem");
const EC_PRIVATE: &str = include_str!("fixtures/ec-private.pem");
const EC_PUBLIC: &str = include_str!("fixtures/ec-public.pem");
const JWKS: &str = include_str!("fixtures/jwks.json");

fn claims() -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": "u-1", "name": "A Worker", "partnership": "southend", "org": "essex-police",
           "roles": ["partner_decision_maker"], "iss": "https://idp.example", "aud": "casetrail",
           "exp": now + 600})
}

fn pem(pem: &str) -> Verifier {
    Verifier::new(&JwtSettings::PublicKeyPem {
        pem: pem.to_owned(),
        issuer: "https://idp.example".into(),
        audience: "casetrail".into(),
    })
    .unwrap()
}

fn rs256(claims: &serde_json::Value, kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    encode(
        &header,
        claims,
        &EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap(),
    )
    .unwrap()
}

#[test]
fn rs256_and_es256_tokens_verify_with_their_public_keys() {
    let actor = pem(RSA_PUBLIC).verify(&rs256(&claims(), None)).unwrap();
    assert_eq!(actor.org.as_str(), "essex-police");
    let es256 = encode(
        &Header::new(Algorithm::ES256),
        &claims(),
        &EncodingKey::from_ec_pem(EC_PRIVATE.as_bytes()).unwrap(),
    )
    .unwrap();
    assert!(pem(EC_PUBLIC).verify(&es256).is_ok());
    // Each key verifies only its own algorithm.
    assert!(pem(RSA_PUBLIC).verify(&es256).is_err());
}

#[test]
fn jwks_keys_are_chosen_by_kid() {
    let verifier = Verifier::new(&JwtSettings::Jwks {
        jwks: JWKS.to_owned(),
        issuer: "https://idp.example".into(),
        audience: "casetrail".into(),
    })
    .unwrap();
    assert!(verifier.verify(&rs256(&claims(), Some("rsa-1"))).is_ok());
    assert!(verifier.verify(&rs256(&claims(), Some("other"))).is_err());
}

#[test]
fn hs256_signed_with_the_public_key_is_refused() {
    // Algorithm confusion: a verifier that let the header pick HS256 would check this with the
    // RSA public key as the HMAC secret, and accept it.
    let forged = encode(
        &Header::new(Algorithm::HS256),
        &claims(),
        &EncodingKey::from_secret(RSA_PUBLIC.as_bytes()),
    )
    .unwrap();
    assert!(pem(RSA_PUBLIC).verify(&forged).is_err());
}

#[test]
fn issuer_audience_and_signature_are_checked() {
    let mut wrong_issuer = claims();
    wrong_issuer["iss"] = json!("https://evil.example");
    assert!(pem(RSA_PUBLIC).verify(&rs256(&wrong_issuer, None)).is_err());
    let mut wrong_audience = claims();
    wrong_audience["aud"] = json!("another-api");
    assert!(
        pem(RSA_PUBLIC)
            .verify(&rs256(&wrong_audience, None))
            .is_err()
    );
    let mut token = rs256(&claims(), None);
    let last = token.pop().unwrap();
    token.push(if last == 'A' { 'B' } else { 'A' });
    assert!(pem(RSA_PUBLIC).verify(&token).is_err());
}
