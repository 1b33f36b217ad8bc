//! Production token verification: RS256 and ES256 public keys (PEM and JWKS), issuer and
//! audience, and the classic attacks on them: the verifier alone, without a server.

use casetrail_api::auth::{JwtSettings, Verifier};
use casetrail_tests::tokens::keys::{EC_PUBLIC, JWKS, RSA_PUBLIC};
use casetrail_tests::tokens::{IDP_AUDIENCE, IDP_ISSUER, es256, hs256, rs256};
use serde_json::json;

fn claims() -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": "u-1", "name": "A Worker", "partnership": "southend", "org": "essex-police",
           "roles": ["partner_decision_maker"], "iss": IDP_ISSUER, "aud": IDP_AUDIENCE,
           "exp": now + 600})
}

fn pem(pem: &str) -> Verifier {
    Verifier::new(&JwtSettings::PublicKeyPem {
        pem: pem.to_owned(),
        issuer: IDP_ISSUER.into(),
        audience: IDP_AUDIENCE.into(),
    })
    .unwrap()
}

#[test]
fn rs256_and_es256_tokens_verify_with_their_public_keys() {
    let actor = pem(RSA_PUBLIC).verify(&rs256(&claims(), None)).unwrap();
    assert_eq!(actor.org.as_str(), "essex-police");
    let es256 = es256(&claims());
    assert!(pem(EC_PUBLIC).verify(&es256).is_ok());
    // Each key verifies only its own algorithm.
    assert!(pem(RSA_PUBLIC).verify(&es256).is_err());
}

#[test]
fn jwks_keys_are_chosen_by_kid() {
    let verifier = Verifier::new(&JwtSettings::Jwks {
        jwks: JWKS.to_owned(),
        issuer: IDP_ISSUER.into(),
        audience: IDP_AUDIENCE.into(),
    })
    .unwrap();
    assert!(verifier.verify(&rs256(&claims(), Some("rsa-1"))).is_ok());
    assert!(verifier.verify(&rs256(&claims(), Some("other"))).is_err());
}

#[test]
fn hs256_signed_with_the_public_key_is_refused() {
    // Algorithm confusion: a verifier that let the header pick HS256 would check this with the
    // RSA public key as the HMAC secret, and accept it.
    let forged = hs256(RSA_PUBLIC.as_bytes(), &claims());
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
