//! The one place tests make JWTs: development tokens signed with a data directory's HS256
//! secret (what the server verifies outside production), and tokens of a production identity
//! provider signed with the RS256 and ES256 fixture keys in `tests/fixtures/`.
//!
//! Tokens that must be refused (forged, too loose, of the wrong algorithm) are signed here too,
//! from claims the test writes, so that a test says what is wrong with a token and nothing else.

use casetrail_api::auth::{DevTokenRequest, load_or_create_dev_secret, mint_dev_token};
use casetrail_domain::{OrgSlug, PartnershipSlug, Role};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::Value;
use std::path::Path;

/// The issuer of the fixture identity provider's tokens.
pub const IDP_ISSUER: &str = "https://idp.example";
/// The audience the fixture identity provider's tokens name.
pub const IDP_AUDIENCE: &str = "casetrail";

/// The fixture keys: test-only, generated with openssl, protecting nothing.
pub mod keys {
    use std::path::PathBuf;

    /// The RSA private key (PKCS#8 PEM) that signs RS256 tokens.
    pub const RSA_PRIVATE: &str = include_str!("../fixtures/rsa-private.pem");
    /// Its public key, as a server configured with `CASETRAIL_JWT_PUBLIC_KEY_FILE` reads it.
    pub const RSA_PUBLIC: &str = include_str!("../fixtures/rsa-public.pem");
    /// The EC (P-256) private key that signs ES256 tokens.
    pub const EC_PRIVATE: &str = include_str!("../fixtures/ec-private.pem");
    /// Its public key.
    pub const EC_PUBLIC: &str = include_str!("../fixtures/ec-public.pem");
    /// A JWKS holding the RSA public key under the kid `rsa-1`.
    pub const JWKS: &str = include_str!("../fixtures/jwks.json");

    /// The path of a fixture file, for settings that name a file.
    pub fn path(name: &str) -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")).join(name)
    }
}

/// Signs `claims` as they are, with `algorithm` and an optional key id.
pub fn sign(algorithm: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, key).expect("sign a token")
}

/// HS256 with `secret`: a development token with any claims, or a forgery.
pub fn hs256(secret: &[u8], claims: &Value) -> String {
    sign(
        Algorithm::HS256,
        None,
        claims,
        &EncodingKey::from_secret(secret),
    )
}

/// RS256 with the fixture RSA key, with an optional key id (for JWKS).
pub fn rs256(claims: &Value, kid: Option<&str>) -> String {
    let key = EncodingKey::from_rsa_pem(keys::RSA_PRIVATE.as_bytes()).expect("the RSA fixture");
    sign(Algorithm::RS256, kid, claims, &key)
}

/// ES256 with the fixture EC key.
pub fn es256(claims: &Value) -> String {
    let key = EncodingKey::from_ec_pem(keys::EC_PRIVATE.as_bytes()).expect("the EC fixture");
    sign(Algorithm::ES256, None, claims, &key)
}

/// The development tokens of one data directory: signed with its secret (created there if
/// absent, as `casetrail serve` and `casetrail token` do), so the server started on that
/// directory accepts them.
#[derive(Debug, Clone)]
pub struct DevTokens {
    secret: Vec<u8>,
}

impl DevTokens {
    /// The tokens of the data directory `data_dir`.
    pub fn of_data_dir(data_dir: &Path) -> DevTokens {
        DevTokens {
            secret: load_or_create_dev_secret(data_dir).expect("the development secret"),
        }
    }

    /// Tokens signed with a secret of the test's own: what a forger without the data
    /// directory's secret would send.
    pub fn with_secret(secret: Vec<u8>) -> DevTokens {
        DevTokens { secret }
    }

    /// The secret, for tests that sign claims of their own ([`hs256`]).
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// A ten-minute token of the user `user-<org>` of `org` in `partnership`.
    pub fn user(&self, partnership: &str, org: &str, roles: &[Role]) -> String {
        self.mint(
            partnership,
            org,
            roles,
            &format!("user-{org}"),
            "Test User",
            600,
        )
    }

    /// The token `casetrail token --org <org> --role …` prints: the user `dev-user` of the demo
    /// partnership, for twelve hours.
    pub fn as_cli(&self, org: &str, roles: &[Role]) -> String {
        self.mint(
            "southend",
            org,
            roles,
            "dev-user",
            "Development User",
            12 * 3600,
        )
    }

    fn mint(
        &self,
        partnership: &str,
        org: &str,
        roles: &[Role],
        sub: &str,
        name: &str,
        ttl_seconds: i64,
    ) -> String {
        mint_dev_token(
            &self.secret,
            &DevTokenRequest {
                partnership: PartnershipSlug::parse(partnership).expect("a partnership slug"),
                org: OrgSlug::parse(org).expect("an organisation slug"),
                roles: roles.to_vec(),
                sub: sub.to_owned(),
                name: name.to_owned(),
                ttl_seconds,
            },
        )
        .expect("a development token")
    }
}

/// The demo partnership's users that the tests of the real binary act as, each with the token
/// `casetrail token` prints for them.
#[derive(Debug, Clone)]
pub struct DemoUsers {
    /// The council's notifier.
    pub notifier: String,
    /// The council's business manager.
    pub manager: String,
    /// An agency user of the hospital trust.
    pub hospital: String,
    /// The council's auditor.
    pub auditor: String,
}

impl DemoUsers {
    /// Their tokens, signed with the data directory's development secret.
    pub fn of_data_dir(data_dir: &Path) -> DemoUsers {
        let tokens = DevTokens::of_data_dir(data_dir);
        let token = |role: Role, org: &str| tokens.as_cli(org, &[role]);
        DemoUsers {
            notifier: token(Role::Notifier, "southend-council"),
            manager: token(Role::BusinessManager, "southend-council"),
            hospital: token(Role::AgencyUser, "suhft"),
            auditor: token(Role::Auditor, "southend-council"),
        }
    }
}
