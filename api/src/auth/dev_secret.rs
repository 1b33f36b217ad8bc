//! The development signing secret: random, created on first run in the data directory, never
//! hard-coded, so no two installations share one.

use super::Claims;
use anyhow::Context;
use casetrail_domain::{OrgSlug, PartnershipSlug, Role};
use jsonwebtoken::{EncodingKey, Header, encode};
use rand::RngCore;
use std::path::{Path, PathBuf};

/// Issuer of development tokens.
pub const DEV_ISSUER: &str = "casetrail-dev";
/// Audience of development tokens.
pub const DEV_AUDIENCE: &str = "casetrail";
/// The development secret's file in the data directory.
pub const DEV_SECRET_FILE: &str = "dev-jwt-secret";

fn secret_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DEV_SECRET_FILE)
}

/// Reads the development secret, creating it (64 random bytes, hex, mode 0600) if missing.
pub fn load_or_create_dev_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = secret_path(data_dir);
    if path.exists() {
        casetrail_app::secret_file::require_private(&path, "the development JWT secret")?;
    }
    if let Ok(text) = std::fs::read_to_string(&path) {
        return hex::decode(text.trim())
            .with_context(|| format!("{} is not a hex secret", path.display()));
    }
    let mut secret = vec![0u8; 64];
    rand::rng().fill_bytes(&mut secret);
    casetrail_app::secret_file::create_private(&path, hex::encode(&secret).as_bytes())?;
    Ok(secret)
}

/// What a development token says.
#[derive(Debug, Clone)]
pub struct DevTokenRequest {
    /// Tenant.
    pub partnership: PartnershipSlug,
    /// Organisation.
    pub org: OrgSlug,
    /// Roles.
    pub roles: Vec<Role>,
    /// User id.
    pub sub: String,
    /// Display name.
    pub name: String,
    /// Lifetime in seconds.
    pub ttl_seconds: i64,
}

/// Mints an HS256 development token with the secret.
pub fn mint_dev_token(secret: &[u8], request: &DevTokenRequest) -> anyhow::Result<String> {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: request.sub.clone(),
        name: request.name.clone(),
        partnership: request.partnership.to_string(),
        org: request.org.to_string(),
        roles: request
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        iss: DEV_ISSUER.to_owned(),
        aud: DEV_AUDIENCE.to_owned(),
        exp: now + request.ttl_seconds,
        nbf: Some(now - 1),
        iat: Some(now),
    };
    Ok(encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret),
    )?)
}
