//! The data keys as the application uses them: stored wrapped, unwrapped on use, erased for
//! good, rewrapped when the KEK rotates.

use super::DataKey;
use super::wrapping::{KeyEncryption, Unwrapped};
use crate::error::AppError;
use anyhow::anyhow;
use casetrail_store::{DataKeyStore, NewDataKey, StoredKey};
use std::sync::Arc;
use uuid::Uuid;

/// Keys rewrapped a page at a time, so a rotation of many keys holds little memory.
const REWRAP_PAGE: u32 = 500;

/// What the keyed request hash is for (see [`KeyVault::request_fingerprint`]).
const REQUEST_PURPOSE: &str = "casetrail request hash v2";

/// Data keys, wrapped by the key-encryption keys in the database.
#[derive(Debug, Clone)]
pub struct KeyVault {
    store: Arc<dyn DataKeyStore>,
    keks: Arc<dyn KeyEncryption>,
}

/// What a rotation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rewrapped {
    /// Keys that were wrapped by a previous KEK, now by the current one.
    pub rewrapped: u64,
    /// Keys stored in the clear by an older version, now wrapped.
    pub wrapped_from_plaintext: u64,
}

/// What webhook signing secrets are derived for: no other keyed hash shares them.
const WEBHOOK_PURPOSE: &str = "casetrail webhook signing secret v1";

impl KeyVault {
    /// Keys in `store`, wrapped with `keks`.
    pub fn new(store: Arc<dyn DataKeyStore>, keks: Arc<dyn KeyEncryption>) -> Self {
        Self { store, keks }
    }

    /// The id of the KEK that wraps new keys.
    pub fn current_kek_id(&self) -> &str {
        self.keks.current_kek_id()
    }

    /// A new data key wrapped by the current KEK, to be stored with the events it seals
    /// ([`casetrail_store::AppendRequest::data_keys`]): durable when they are, and never
    /// without them.
    pub async fn wrap(&self, key: &DataKey) -> Result<NewDataKey, AppError> {
        let wrapped = self
            .keks
            .wrap(key.id, &key.bytes)
            .await
            .map_err(AppError::Internal)?;
        Ok(NewDataKey {
            key_id: key.id,
            wrapped,
        })
    }

    /// The data key, or `None` when it has been erased.
    pub async fn get(&self, key_id: Uuid) -> Result<Option<DataKey>, AppError> {
        let stored = self.store.get(key_id).await.map_err(AppError::from)?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        let bytes = self
            .key_bytes(key_id, &stored)
            .await
            .map_err(AppError::Internal)?;
        Ok(Some(DataKey { id: key_id, bytes }))
    }

    /// The key's bytes from its stored form, unwrapped with the KEK that wrapped it.
    async fn key_bytes(&self, key_id: Uuid, stored: &StoredKey) -> anyhow::Result<[u8; 32]> {
        match stored {
            StoredKey::Plaintext(bytes) => Ok(*bytes),
            StoredKey::Wrapped(wrapped) => match self.keks.unwrap(key_id, wrapped).await? {
                Unwrapped::Key(bytes) => Ok(bytes),
                Unwrapped::UnknownKek => Err(anyhow!(
                    "data key {key_id} is wrapped by {}, which this service was not given \
                     (CASETRAIL_PREVIOUS_KEK_FILES, --previous-kek-files)",
                    wrapped.kek_id
                )),
            },
        }
    }

    /// Destroys data keys for ever, in one statement, and purges the database's superseded
    /// copies of them; returns how many were still there.
    pub async fn erase(&self, key_ids: &[Uuid]) -> Result<u64, AppError> {
        let erased = self.store.erase(key_ids).await.map_err(AppError::from)?;
        if erased > 0 {
            self.purge().await?;
        }
        Ok(erased)
    }

    /// Removes the database's superseded copies of erased and rewrapped keys (see
    /// [`DataKeyStore::purge`]).
    pub async fn purge(&self) -> Result<(), AppError> {
        self.store.purge().await.map_err(AppError::from)
    }

    /// Wraps every key not yet wrapped by the current KEK with it: keys of previous KEKs and
    /// plaintext keys of older versions. Safe to run while the service serves (each key is
    /// replaced only if unchanged since read) and to run again.
    pub async fn rewrap_all(&self) -> anyhow::Result<Rewrapped> {
        self.rewrap(false).await
    }

    /// Wraps the keys an older version stored in the clear (at start-up, before serving);
    /// returns how many.
    pub async fn wrap_plaintext_keys(&self) -> anyhow::Result<u64> {
        Ok(self.rewrap(true).await?.wrapped_from_plaintext)
    }

    async fn rewrap(&self, only_plaintext: bool) -> anyhow::Result<Rewrapped> {
        let mut done = Rewrapped::default();
        let mut after = None;
        loop {
            let page = self
                .store
                .needing_rewrap(
                    (!only_plaintext).then(|| self.current_kek_id()),
                    after,
                    REWRAP_PAGE,
                )
                .await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(*last);
            for (key_id, stored) in page {
                let plaintext = matches!(stored, StoredKey::Plaintext(_));
                let bytes = self.key_bytes(key_id, &stored).await?;
                let wrapped = self.keks.wrap(key_id, &bytes).await?;
                if self.store.replace(key_id, &stored, &wrapped).await? {
                    if plaintext {
                        done.wrapped_from_plaintext += 1;
                    } else {
                        done.rewrapped += 1;
                    }
                }
            }
        }
        if done != Rewrapped::default() {
            // The old forms, plaintext keys above all, must not linger in the files.
            self.store.purge().await?;
        }
        Ok(done)
    }

    /// The keyed hash of a request stored in event metadata for idempotency: an HMAC under a
    /// key derived from the current KEK, so after an erasure nobody can confirm a guessed name
    /// against it (an unkeyed hash of the body would allow exactly that).
    pub async fn request_fingerprint(&self, request_digest: &str) -> Result<String, AppError> {
        self.keks
            .fingerprint(REQUEST_PURPOSE, request_digest.as_bytes())
            .await
            .map_err(AppError::Internal)
    }

    /// Whether a stored keyed request hash is that of this request. One made under a KEK this
    /// service no longer holds cannot be checked and counts as different.
    pub async fn is_same_request(
        &self,
        stored: &str,
        request_digest: &str,
    ) -> Result<bool, AppError> {
        let Some((kek_id, _)) = stored.split_once(':') else {
            return Ok(false);
        };
        let recomputed = self
            .keks
            .fingerprint_with(kek_id, REQUEST_PURPOSE, request_digest.as_bytes())
            .await
            .map_err(AppError::Internal)?;
        Ok(recomputed.as_deref() == Some(stored))
    }

    /// A webhook subscription's signing secret: derived from a KEK (the current one unless
    /// `kek_id` names another), the subscription and the secret's generation, so it is never
    /// stored, and a copy of the database cannot sign. With the KEK's id; `None` when this
    /// service does not hold the KEK named.
    pub async fn webhook_secret(
        &self,
        kek_id: Option<&str>,
        subscription: Uuid,
        generation: u32,
    ) -> Result<Option<(String, [u8; 32])>, AppError> {
        let mut data = subscription.as_bytes().to_vec();
        data.extend_from_slice(&generation.to_be_bytes());
        let derived = match kek_id {
            Some(kek_id) => self
                .keks
                .fingerprint_with(kek_id, WEBHOOK_PURPOSE, &data)
                .await
                .map_err(AppError::Internal)?,
            None => Some(
                self.keks
                    .fingerprint(WEBHOOK_PURPOSE, &data)
                    .await
                    .map_err(AppError::Internal)?,
            ),
        };
        let Some(derived) = derived else {
            return Ok(None);
        };
        let (kek_id, mac) = derived
            .split_once(':')
            .ok_or_else(|| AppError::Internal(anyhow!("a keyed hash without its KEK id")))?;
        let bytes: [u8; 32] = hex::decode(mac)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| AppError::Internal(anyhow!("a keyed hash of the wrong length")))?;
        Ok(Some((kek_id.to_owned(), bytes)))
    }
}
