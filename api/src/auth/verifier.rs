//! JWT verification: RS256/ES256 with the identity provider's public keys (PEM, a JWKS file,
//! or its JWKS URL) in production, HS256 only with an explicitly configured secret (or the
//! development secret).
//!
//! `alg: none` is never accepted, and a token's header can never choose the algorithm family:
//! each key is bound to the one algorithm it was configured for, which defeats algorithm
//! confusion (an HS256 token "signed" with an RSA public key).

mod rotation;

use super::claims::ClaimNames;
use super::identity_provider::{IdentityProvider, JwksUrl};
use super::keys::{Key, KeySet, signing_jwks};
use anyhow::{Context, bail};
use casetrail_domain::Actor;
use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

/// The claims Casetrail reads (api.md "Authentication and authorisation").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Display name.
    pub name: String,
    /// Tenant slug.
    pub partnership: String,
    /// Organisation slug.
    pub org: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Not before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issued at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

/// Where the verification keys come from.
#[derive(Debug, Clone)]
pub enum JwtSettings {
    /// An RSA or EC public key in PEM.
    PublicKeyPem {
        /// PEM text.
        pem: String,
        /// Required issuer.
        issuer: String,
        /// Required audience.
        audience: String,
    },
    /// A JWKS document (RSA and EC keys, chosen by `kid`).
    Jwks {
        /// JWKS JSON text.
        jwks: String,
        /// Required issuer.
        issuer: String,
        /// Required audience.
        audience: String,
    },
    /// The identity provider's JWKS URL: fetched at start ([`Verifier::load`]), again every
    /// `refresh` ([`Verifier::keep_fresh`]) and when a token names a key id not seen before.
    JwksUrl {
        /// Where the keys are published.
        url: JwksUrl,
        /// How often they are fetched again.
        refresh: Duration,
        /// Required issuer.
        issuer: String,
        /// Required audience.
        audience: String,
    },
    /// A shared HS256 secret (explicit configuration or the development secret).
    SharedSecret {
        /// Secret bytes.
        secret: secrecy::SecretSlice<u8>,
        /// Required issuer.
        issuer: String,
        /// Required audience.
        audience: String,
    },
}

/// Seconds of clock skew allowed either side of `exp`, `nbf` and `iat`.
const LEEWAY_SECONDS: u64 = 30;

/// The longest a token may still be valid for, by default (`CASETRAIL_JWT_MAX_LIFETIME`).
pub const DEFAULT_MAX_LIFETIME_SECONDS: i64 = 24 * 3600;

/// Verifies bearer tokens.
pub struct Verifier {
    /// Replaced whole when the identity provider's keys change, with its token cache.
    keys: RwLock<Arc<KeySet>>,
    /// Where the keys are fetched from, when they come from a JWKS URL.
    provider: Option<IdentityProvider>,
    issuer: String,
    audience: String,
    max_lifetime: i64,
    claims: ClaimNames,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("keys", &self.key_set().keys.len())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

/// Why a token was refused. Logged at most; the client is told only that the token is invalid,
/// the same for every cause, so a refusal never says whether the signature was good.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Signature, algorithm, time or audience checks failed.
    #[error("the bearer token is invalid")]
    Invalid,
    /// A required claim is missing or malformed.
    #[error("the bearer token lacks a valid {0} claim")]
    BadClaim(&'static str),
    /// The token names a key id (of an algorithm the service accepts) that no key has.
    #[error("the bearer token names a key that is not known")]
    UnknownKey,
}

impl Verifier {
    /// Builds a verifier from keys given in the settings, failing fast on unusable keys. Keys
    /// at a JWKS URL must be fetched first: [`Verifier::load`].
    pub fn new(settings: &JwtSettings) -> anyhow::Result<Self> {
        use secrecy::ExposeSecret;
        let (keys, issuer, audience) = match settings {
            JwtSettings::PublicKeyPem {
                pem,
                issuer,
                audience,
            } => (KeySet::of(vec![Key::from_pem(pem)?]), issuer, audience),
            JwtSettings::Jwks {
                jwks,
                issuer,
                audience,
            } => (
                KeySet::from_jwks(signing_jwks(jwks.as_bytes())?),
                issuer,
                audience,
            ),
            JwtSettings::JwksUrl { .. } => {
                bail!("the keys at a JWKS URL are fetched: build the verifier with Verifier::load")
            }
            JwtSettings::SharedSecret {
                secret,
                issuer,
                audience,
            } => {
                if secret.expose_secret().len() < 32 {
                    bail!("the HS256 secret must be at least 32 bytes");
                }
                let key = Key::shared_secret(secret.expose_secret());
                (KeySet::of(vec![key]), issuer, audience)
            }
        };
        Ok(Self::holding(keys, None, issuer, audience))
    }

    /// Builds a verifier from settings, fetching the keys of a JWKS URL: a start without the
    /// identity provider's keys fails, naming `CASETRAIL_JWKS_URL` and why.
    pub async fn load(settings: &JwtSettings) -> anyhow::Result<Self> {
        let JwtSettings::JwksUrl {
            url,
            refresh,
            issuer,
            audience,
        } = settings
        else {
            return Self::new(settings);
        };
        let provider = IdentityProvider::new(url.clone(), *refresh)?;
        let keys = KeySet::from_jwks(provider.fetch().await?);
        tracing::info!(kids = ?keys.kids(), "fetched the identity provider's keys");
        Ok(Self::holding(keys, Some(provider), issuer, audience))
    }

    fn holding(
        keys: KeySet,
        provider: Option<IdentityProvider>,
        issuer: &str,
        audience: &str,
    ) -> Self {
        Self {
            keys: RwLock::new(Arc::new(keys)),
            provider,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            max_lifetime: DEFAULT_MAX_LIFETIME_SECONDS,
            claims: ClaimNames::default(),
        }
    }

    /// Refuses tokens whose `exp` is more than `lifetime` ahead: a token stolen from a client
    /// is then of use for a bounded time however its issuer was configured.
    #[must_use]
    pub fn with_max_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.max_lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        self
    }

    /// Reads the actor's roles, organisation, partnership and name from these claims.
    #[must_use]
    pub fn with_claim_names(mut self, claims: ClaimNames) -> Self {
        self.claims = claims;
        self
    }

    /// Verifies a token with the keys held now and turns its claims into an actor. A token
    /// verified before is answered from memory while it is still valid (see `token_cache`).
    pub fn verify(&self, token: &str) -> Result<Actor, TokenError> {
        self.verify_with(&self.key_set(), token, now())
    }

    /// The keys held now.
    fn key_set(&self) -> Arc<KeySet> {
        Arc::clone(&self.keys.read().unwrap_or_else(PoisonError::into_inner))
    }

    #[cfg(test)]
    fn verify_at(&self, token: &str, now: i64) -> Result<Actor, TokenError> {
        self.verify_with(&self.key_set(), token, now)
    }

    fn verify_with(&self, keys: &KeySet, token: &str, now: i64) -> Result<Actor, TokenError> {
        if let Some(actor) = keys.verified.get(token, now) {
            return Ok(actor);
        }
        let (actor, exp) = self.check(keys, token, now)?;
        if let Some(exp) = exp {
            let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(0);
            let valid_until = exp.saturating_add(leeway);
            keys.verified.insert(token, actor.clone(), valid_until, now);
        }
        Ok(actor)
    }

    /// Every check of a token: its actor, and its `exp` when that is a whole number of
    /// seconds (a fractional one is accepted, as the checks allow, but not remembered).
    fn check(
        &self,
        keys: &KeySet,
        token: &str,
        now: i64,
    ) -> Result<(Actor, Option<i64>), TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Invalid)?;
        if has_crit(token) {
            // Extensions we would have to understand (RFC 7515 4.1.11): we understand none.
            return Err(TokenError::Invalid);
        }
        let Some(key) = keys.find(header.alg, header.kid.as_deref()) else {
            return Err(match (&header.kid, header.alg) {
                // Perhaps a key the identity provider published since its keys were fetched.
                (Some(_), Algorithm::RS256 | Algorithm::ES256) => TokenError::UnknownKey,
                _ => TokenError::Invalid,
            });
        };
        let mut validation = Validation::new(key.algorithm);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        let data = decode::<serde_json::Value>(token, &key.key, &validation)
            .map_err(|_| TokenError::Invalid)?;
        self.check_times(&data.claims, now)?;
        // `jsonwebtoken` takes a list of issuers as well; a token names exactly one.
        if !data
            .claims
            .get("iss")
            .is_some_and(serde_json::Value::is_string)
        {
            return Err(TokenError::BadClaim("iss"));
        }
        let exp = data.claims.get("exp").and_then(serde_json::Value::as_i64);
        Ok((self.claims.actor(&data.claims)?, exp))
    }

    /// `iat` not in the future and `exp` no further ahead than the longest lifetime allowed
    /// (both with the leeway), on top of the `exp` and `nbf` checks of `jsonwebtoken`.
    fn check_times(&self, claims: &serde_json::Value, now: i64) -> Result<(), TokenError> {
        let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(0);
        let seconds = |name: &'static str| match claims.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_f64()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or(TokenError::BadClaim(name)),
        };
        #[allow(clippy::cast_precision_loss)]
        let (now, leeway, lifetime) = (now as f64, leeway as f64, self.max_lifetime as f64);
        if seconds("iat")?.is_some_and(|iat| iat > now + leeway) {
            return Err(TokenError::BadClaim("iat"));
        }
        if seconds("exp")?.is_some_and(|exp| exp > now + lifetime + leeway) {
            return Err(TokenError::BadClaim("exp"));
        }
        Ok(())
    }
}

/// Whether the token's header has a `crit` parameter (read from the header itself, as
/// `jsonwebtoken` ignores parameters it does not know).
fn has_crit(token: &str) -> bool {
    use base64::Engine;
    let Some(header) = token.split('.').next() else {
        return true;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header) else {
        return true;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|header| header.as_object().map(|h| h.contains_key("crit")))
        .unwrap_or(true)
}

/// Seconds since the epoch, the clock `jsonwebtoken` checks `exp` and `nbf` against.
fn now() -> i64 {
    i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX)
}

/// Reads a file named by a setting, saying which setting when it fails.
pub fn read_key_file(path: &Path, setting: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("{setting}: cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use casetrail_domain::Role;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test";

    fn verifier() -> Verifier {
        Verifier::new(&JwtSettings::SharedSecret {
            secret: SECRET.to_vec().into(),
            issuer: "issuer".into(),
            audience: "casetrail".into(),
        })
        .unwrap()
    }

    fn claims() -> serde_json::Value {
        let now = chrono::Utc::now().timestamp();
        json!({"sub": "u-1", "name": "A Worker", "partnership": "southend",
               "org": "southend-council", "roles": ["notifier", "something_else"],
               "iss": "issuer", "aud": "casetrail", "exp": now + 600, "nbf": now - 10})
    }

    fn sign(claims: &serde_json::Value, secret: &[u8]) -> String {
        encode(
            &Header::default(),
            claims,
            &EncodingKey::from_secret(secret),
        )
        .unwrap()
    }

    #[test]
    fn a_valid_token_becomes_an_actor_and_unknown_roles_are_ignored() {
        let actor = verifier().verify(&sign(&claims(), SECRET)).unwrap();
        assert_eq!(actor.org.as_str(), "southend-council");
        assert_eq!(
            actor.roles.into_iter().collect::<Vec<_>>(),
            vec![Role::Notifier]
        );
    }

    #[test]
    fn tokens_failing_any_check_are_refused() {
        let now = chrono::Utc::now().timestamp();
        let mut cases: Vec<(&str, serde_json::Value)> = Vec::new();
        let mut expired = claims();
        expired["exp"] = json!(now - 3600);
        cases.push(("expired", expired));
        let mut early = claims();
        early["nbf"] = json!(now + 3600);
        cases.push(("not yet valid", early));
        let mut issuer = claims();
        issuer["iss"] = json!("someone-else");
        cases.push(("wrong issuer", issuer));
        let mut audience = claims();
        audience["aud"] = json!("another-api");
        cases.push(("wrong audience", audience));
        for claim in ["sub", "org", "partnership", "roles", "exp", "name"] {
            let mut missing = claims();
            missing.as_object_mut().unwrap().remove(claim);
            cases.push(("missing claim", missing));
        }
        let mut bad_org = claims();
        bad_org["org"] = json!("Not A Slug");
        cases.push(("malformed org", bad_org));
        for (why, claims) in cases {
            assert!(
                verifier().verify(&sign(&claims, SECRET)).is_err(),
                "{why}: {claims}"
            );
        }
        assert!(
            verifier()
                .verify(&sign(&claims(), b"another-secret-of-32-bytes-or-more!!"))
                .is_err()
        );
    }

    #[test]
    fn a_remembered_token_is_checked_in_full_again_once_it_expires() {
        let verifier = verifier();
        let now = chrono::Utc::now().timestamp();
        let mut short = claims();
        short["exp"] = json!(now + 5);
        let token = sign(&short, SECRET);
        let actor = verifier.verify_at(&token, now).unwrap();
        // Within the leeway a remembered token is still valid, as a full check would say.
        assert_eq!(
            verifier.key_set().verified.get(&token, now + 5 + 30),
            Some(actor)
        );
        // Past it, it is forgotten, so the next request checks the token in full, and the
        // full check refuses expired tokens (`tokens_failing_any_check_are_refused`).
        assert_eq!(verifier.key_set().verified.get(&token, now + 5 + 31), None);
        assert_eq!(verifier.key_set().verified.len(), 0);
    }

    #[test]
    fn only_tokens_passing_every_check_are_remembered() {
        let verifier = verifier();
        let now = chrono::Utc::now().timestamp();
        let good = sign(&claims(), SECRET);
        let forged = sign(&claims(), b"another-secret-of-32-bytes-or-more!!");
        let mut bad_org = claims();
        bad_org["org"] = json!("Not A Slug");
        for _ in 0..2 {
            assert!(verifier.verify_at(&forged, now).is_err());
            assert!(verifier.verify_at(&sign(&bad_org, SECRET), now).is_err());
        }
        assert_eq!(verifier.key_set().verified.len(), 0);
        // A remembered token's signature part altered is a different token: checked, refused.
        let actor = verifier.verify_at(&good, now).unwrap();
        assert_eq!(verifier.verify_at(&good, now).unwrap(), actor);
        let (signed, signature) = good.rsplit_once('.').unwrap();
        let flipped = if signature.starts_with('A') { "B" } else { "A" };
        let altered = format!("{signed}.{flipped}{}", &signature[1..]);
        assert!(verifier.verify_at(&altered, now).is_err());
        assert_eq!(verifier.key_set().verified.len(), 1);
    }

    #[test]
    fn the_remembered_tokens_are_bounded() {
        let verifier = verifier();
        let now = chrono::Utc::now().timestamp();
        for n in 0..=super::super::token_cache::CAPACITY {
            let mut claims = claims();
            claims["sub"] = json!(format!("u-{n}"));
            assert!(verifier.verify_at(&sign(&claims, SECRET), now).is_ok());
        }
        assert!(verifier.key_set().verified.len() <= super::super::token_cache::CAPACITY);
    }

    #[test]
    fn alg_none_is_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims().to_string());
        assert!(verifier().verify(&format!("{header}.{body}.")).is_err());
    }

    #[test]
    fn short_secrets_and_unusable_keys_fail_at_start_up() {
        let short = JwtSettings::SharedSecret {
            secret: b"short".to_vec().into(),
            issuer: "i".into(),
            audience: "a".into(),
        };
        assert!(Verifier::new(&short).is_err());
        let pem = JwtSettings::PublicKeyPem {
            pem: "not a key".into(),
            issuer: "i".into(),
            audience: "a".into(),
        };
        assert!(Verifier::new(&pem).is_err());
    }
}
