//! Authentication: bearer JWTs verified into an [`Actor`], and the extractor handlers use.

mod claims;
mod dev_secret;
mod extractor;
mod identity_provider;
mod keys;
mod token_cache;
mod verifier;

pub use claims::{ClaimNames, ClaimPath};
pub use dev_secret::{
    DEV_AUDIENCE, DEV_ISSUER, DEV_SECRET_FILE, DevTokenRequest, load_or_create_dev_secret,
    mint_dev_token,
};
pub use extractor::Authenticated;
pub use identity_provider::JwksUrl;
pub use verifier::{Claims, JwtSettings, TokenError, Verifier, read_key_file};
