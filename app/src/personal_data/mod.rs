//! Personal data of children and adults, sealed before it enters an event.
//!
//! Each case's personal details and free text about it (summaries, reports, rationales) are
//! encrypted with AES-256-GCM under the case's own data key. The store's key table holds each
//! data key only wrapped by a key-encryption key kept outside the database ([`kek`]), so a copy
//! of the database opens nothing. Erasing the data key (crypto-shredding) makes all of it
//! unreadable for ever without changing any event, so the log and its hash chain stay intact.

pub mod kek;
mod vault;
pub mod wrapping;

pub use kek::LocalKeyring;
pub use vault::{KeyVault, Rewrapped};
pub use wrapping::{KeyEncryption, Unwrapped};

use crate::error::AppError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::anyhow;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use casetrail_domain::case::SealedPersonalData;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const ALGORITHM: &str = "AES-256-GCM";

/// A child's, adult's or victim's identifying details and the free-text summary (or the
/// concerns of a referral), which may identify them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildPersonalData {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: chrono::NaiveDate,
    /// The notifier's summary of what happened.
    pub summary: String,
}

/// A case's data key. A new key is stored just before the event that first refers to it, so
/// a refused command leaves nothing behind and an acknowledged event never points at a
/// missing key.
#[derive(Clone)]
pub struct DataKey {
    /// The key's id.
    pub id: Uuid,
    /// The key.
    pub bytes: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl DataKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self {
            id: Uuid::new_v4(),
            bytes,
        }
    }

    /// Loads a stored key; `None` when it has been erased.
    pub async fn load(keys: &KeyVault, id: Uuid) -> Result<Option<Self>, AppError> {
        keys.get(id).await
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.bytes))
    }

    /// Seals a value under this key (a fresh nonce each time; the key id is authenticated).
    pub fn seal<T: Serialize>(&self, value: &T) -> anyhow::Result<SealedPersonalData> {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let plaintext = serde_json::to_vec(value)?;
        let ciphertext = self
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &plaintext,
                    aad: self.id.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("sealing personal data failed"))?;
        Ok(SealedPersonalData {
            key_id: self.id,
            algorithm: ALGORITHM.to_owned(),
            nonce: STANDARD.encode(nonce),
            ciphertext: STANDARD.encode(ciphertext),
        })
    }

    /// Opens a value sealed under this key.
    pub fn open<T: DeserializeOwned>(&self, sealed: &SealedPersonalData) -> anyhow::Result<T> {
        if sealed.algorithm != ALGORITHM || sealed.key_id != self.id {
            return Err(anyhow!("sealed with another key or algorithm"));
        }
        let nonce: [u8; 12] = STANDARD
            .decode(&sealed.nonce)?
            .try_into()
            .map_err(|_| anyhow!("malformed nonce"))?;
        let ciphertext = STANDARD.decode(&sealed.ciphertext)?;
        let plaintext = self
            .cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: sealed.key_id.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("personal data does not open with its key"))?;
        Ok(serde_json::from_slice(&plaintext)?)
    }
}

/// Opens sealed data with its stored key; `None` when the key has been erased.
pub async fn open<T: DeserializeOwned>(
    keys: &KeyVault,
    sealed: &SealedPersonalData,
) -> Result<Option<T>, AppError> {
    match DataKey::load(keys, sealed.key_id).await? {
        Some(key) => key.open(sealed).map(Some).map_err(AppError::Internal),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_its_own_key() {
        let key = DataKey::generate();
        let sealed = key.seal(&"Alex Smith").unwrap();
        assert!(!sealed.ciphertext.contains("Alex"));
        assert_eq!(key.open::<String>(&sealed).unwrap(), "Alex Smith");
        let other = DataKey {
            id: key.id,
            bytes: DataKey::generate().bytes,
        };
        assert!(other.open::<String>(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.key_id = Uuid::new_v4();
        assert!(key.open::<String>(&tampered).is_err());
    }
}
