//! The seam between data keys and whatever holds the key-encryption keys: files today
//! ([`super::kek::LocalKeyring`]); a cloud key management service can implement the same
//! trait later without changing any caller.

use async_trait::async_trait;
use casetrail_store::WrappedKey;
use uuid::Uuid;

/// What unwrapping found.
#[derive(Debug)]
pub enum Unwrapped {
    /// The data key.
    Key([u8; 32]),
    /// The key was wrapped by a KEK this service was not given.
    UnknownKek,
}

/// Wraps and unwraps data keys with key-encryption keys, and computes keyed fingerprints.
#[async_trait]
pub trait KeyEncryption: Send + Sync + std::fmt::Debug {
    /// The id of the KEK that wraps new keys.
    fn current_kek_id(&self) -> &str;

    /// Wraps a data key under the current KEK, bound to the key's id.
    async fn wrap(&self, key_id: Uuid, key: &[u8; 32]) -> anyhow::Result<WrappedKey>;

    /// Unwraps a data key; an error when it does not authenticate (tampered or moved).
    async fn unwrap(&self, key_id: Uuid, wrapped: &WrappedKey) -> anyhow::Result<Unwrapped>;

    /// A keyed hash of `data` for one `purpose`, under the current KEK: `"<kek id>:<hex>"`.
    /// Without the KEK nobody can compute it, so it confirms no guess about `data`.
    async fn fingerprint(&self, purpose: &str, data: &[u8]) -> anyhow::Result<String>;

    /// The same under a named KEK; `None` when this service does not hold it.
    async fn fingerprint_with(
        &self,
        kek_id: &str,
        purpose: &str,
        data: &[u8],
    ) -> anyhow::Result<Option<String>>;
}
