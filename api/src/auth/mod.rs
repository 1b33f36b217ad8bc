//! Authentication: bearer JWTs verified into an [`Actor`], and the extractor handlers use.

mod dev_secret;
mod extractor;
mod token_cache;
mod verifier;

pub use dev_secret::{
    DEV_AUDIENCE, DEV_ISSUER, DevTokenRequest, load_or_create_dev_secret, mint_dev_token,
};
pub use extractor::Authenticated;
pub use verifier::{Claims, JwtSettings, Verifier, read_key_file};
