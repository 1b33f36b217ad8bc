//! Verification keys, each bound to the one algorithm it was configured for, and the set of
//! them a verifier holds at a time.

use super::token_cache::TokenCache;
use anyhow::{Context, bail};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

/// A key and the algorithm it verifies; a token's header can never choose another.
pub(super) struct Key {
    /// Chosen by the token's `kid`; a key without one matches any token of its algorithm.
    pub(super) kid: Option<String>,
    pub(super) algorithm: Algorithm,
    pub(super) key: DecodingKey,
}

impl Key {
    /// An HS256 secret.
    pub(super) fn shared_secret(secret: &[u8]) -> Self {
        Self {
            kid: None,
            algorithm: Algorithm::HS256,
            key: DecodingKey::from_secret(secret),
        }
    }

    /// An RSA (RS256) or P-256 (ES256) public key in PEM.
    pub(super) fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let bytes = pem.as_bytes();
        let (algorithm, key) = if let Ok(key) = DecodingKey::from_rsa_pem(bytes) {
            (Algorithm::RS256, key)
        } else if let Ok(key) = DecodingKey::from_ec_pem(bytes) {
            (Algorithm::ES256, key)
        } else {
            bail!("the JWT public key is neither an RSA nor a P-256 EC public key in PEM")
        };
        Ok(Self {
            kid: None,
            algorithm,
            key,
        })
    }

    /// A JWK that verifies RS256 or ES256 signatures; `None` for any other. Identity providers
    /// publish other keys beside their signing keys (Keycloak an RSA-OAEP encryption key), and
    /// those must never verify a token.
    pub(super) fn from_jwk(jwk: &Jwk) -> Option<Self> {
        if matches!(jwk.common.public_key_use, Some(ref used) if *used != PublicKeyUse::Signature) {
            return None;
        }
        let algorithm = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
                Algorithm::ES256
            }
            _ => return None,
        };
        let declared = jwk.common.key_algorithm;
        let agrees = match algorithm {
            Algorithm::RS256 => declared.is_none_or(|alg| alg == KeyAlgorithm::RS256),
            _ => declared.is_none_or(|alg| alg == KeyAlgorithm::ES256),
        };
        if !agrees {
            return None;
        }
        Some(Self {
            kid: jwk.common.key_id.clone(),
            algorithm,
            key: DecodingKey::from_jwk(jwk).ok()?,
        })
    }
}

/// The RS256 and ES256 signing keys of a JWKS document, in its order. Each key is read on its
/// own, so one the service cannot use (another algorithm, an encryption key, a key type it
/// does not know) is passed over rather than making the whole document unreadable.
pub(super) fn signing_jwks(document: &[u8]) -> anyhow::Result<Vec<Jwk>> {
    #[derive(serde::Deserialize)]
    struct Document {
        keys: Vec<serde_json::Value>,
    }
    let document: Document =
        serde_json::from_slice(document).context("the JWKS document is not a JSON key set")?;
    let jwks: Vec<Jwk> = document
        .keys
        .into_iter()
        .filter_map(|key| serde_json::from_value::<Jwk>(key).ok())
        .filter(|jwk| Key::from_jwk(jwk).is_some())
        .collect();
    if jwks.is_empty() {
        bail!("the JWKS document has no RSA (RS256) or P-256 EC (ES256) signing key");
    }
    Ok(jwks)
}

/// The keys a verifier holds at a time, with the tokens verified with them. A new set of keys
/// comes with an empty token cache: a token remembered as verified with a key the identity
/// provider has withdrawn must be checked again (and refused), and a request that verified
/// with the old set while it was replaced can only write to the old, discarded cache.
pub(super) struct KeySet {
    pub(super) keys: Vec<Key>,
    /// The JWKS the keys came from, to tell whether a fetched document changes anything.
    pub(super) jwks: Vec<Jwk>,
    pub(super) verified: TokenCache,
}

impl KeySet {
    /// Keys that are not from a JWKS.
    pub(super) fn of(keys: Vec<Key>) -> Self {
        Self {
            keys,
            jwks: Vec::new(),
            verified: TokenCache::default(),
        }
    }

    /// The signing keys of a JWKS (from [`signing_jwks`]).
    pub(super) fn from_jwks(jwks: Vec<Jwk>) -> Self {
        Self {
            keys: jwks.iter().filter_map(Key::from_jwk).collect(),
            jwks,
            verified: TokenCache::default(),
        }
    }

    /// The key for a token's header: of its algorithm, and of its `kid` where the key has one.
    pub(super) fn find(&self, algorithm: Algorithm, kid: Option<&str>) -> Option<&Key> {
        self.keys
            .iter()
            .find(|k| k.algorithm == algorithm && (k.kid.is_none() || k.kid.as_deref() == kid))
    }

    /// The key ids, for the log line saying the identity provider's keys changed (key ids are
    /// not personal data).
    pub(super) fn kids(&self) -> Vec<&str> {
        self.keys
            .iter()
            .map(|k| k.kid.as_deref().unwrap_or("(none)"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const RSA_N: &str = "vMf4Fo5H_9sbABcWxQcO2_ISObBU1gYYWyodNGpRXxP5BuP13Iy2eoSc4s0j6SL9UyFdKr-C12nKPttpDF2cifK63a3CBb6-4hzq62BisqnXFOMshie-9TWKK-r5DC-fMQrNDL3lL7dEZWmoc30KjaFaZuR9pL0GEIuvHzlGruUo7Fqf-_Qmbur-cn8pqNrlWjl88TIEeW8BuxTE-Zc-USXBzc8tUrbDnxQ2I00NGb51eVQCmKPYHie3vHDui0KyZtEx0BFL4lZ0S3RlGH_jeKxKt5KPPJp0EjVsMvy5lZAZNfuzr6g0pUHwcvKZFB08ZYGkosaBG3yq1LP6CglQ2w";

    #[test]
    fn only_rs256_and_es256_signing_keys_are_kept() {
        let document = json!({"keys": [
            {"kty": "RSA", "kid": "sig", "use": "sig", "n": RSA_N, "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "alg": "RSA-OAEP", "n": RSA_N, "e": "AQAB"},
            {"kty": "RSA", "kid": "ps", "alg": "PS256", "n": RSA_N, "e": "AQAB"},
            {"kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "made-up", "kid": "odd"},
        ]});
        let jwks = signing_jwks(document.to_string().as_bytes()).unwrap();
        let set = KeySet::from_jwks(jwks);
        assert_eq!(set.kids(), vec!["sig"]);
        assert!(set.find(Algorithm::RS256, Some("sig")).is_some());
        assert!(set.find(Algorithm::RS256, Some("enc")).is_none());
    }

    #[test]
    fn a_document_without_a_signing_key_is_refused() {
        for document in [
            json!({"keys": []}),
            json!({"keys": [{"kty": "RSA", "use": "enc", "n": RSA_N, "e": "AQAB"}]}),
            json!({"no": "keys"}),
        ] {
            assert!(signing_jwks(document.to_string().as_bytes()).is_err());
        }
        assert!(signing_jwks(b"<html>").is_err());
    }
}
