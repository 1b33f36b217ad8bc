//! Personal data of children and adults, sealed before it enters an event.
//!
//! Each case's personal details are encrypted with AES-256-GCM under a key of their own, kept
//! in the store's key table. Erasing the key (crypto-shredding) makes the details unreadable
//! for ever without changing any event, so the log and its hash chain stay intact.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::anyhow;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use casetrail_domain::case::SealedPersonalData;
use casetrail_store::DataKeyStore;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const ALGORITHM: &str = "AES-256-GCM";

/// A child's identifying details and the free-text summary, which may identify them.
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

/// A data key not yet stored: the command stores it just before appending the event that
/// refers to it, so a refused command leaves nothing behind and an acknowledged event never
/// points at a missing key.
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

/// Seals personal data under a new key.
pub fn seal(data: &ChildPersonalData) -> anyhow::Result<(SealedPersonalData, DataKey)> {
    let key = DataKey {
        id: Uuid::new_v4(),
        bytes: {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            bytes
        },
    };
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let plaintext = serde_json::to_vec(data)?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key.bytes));
    let ciphertext = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &plaintext,
                aad: key.id.as_bytes(),
            },
        )
        .map_err(|_| anyhow!("sealing personal data failed"))?;
    let sealed = SealedPersonalData {
        key_id: key.id,
        algorithm: ALGORITHM.to_owned(),
        nonce: STANDARD.encode(nonce),
        ciphertext: STANDARD.encode(ciphertext),
    };
    Ok((sealed, key))
}

/// Opens sealed personal data; `None` when its key has been erased.
pub async fn open(
    keys: &dyn DataKeyStore,
    sealed: &SealedPersonalData,
) -> anyhow::Result<Option<ChildPersonalData>> {
    let Some(key) = keys.get(sealed.key_id).await? else {
        return Ok(None);
    };
    if sealed.algorithm != ALGORITHM {
        return Err(anyhow!("unsupported sealing of personal data"));
    }
    let nonce = STANDARD.decode(&sealed.nonce)?;
    let ciphertext = STANDARD.decode(&sealed.ciphertext)?;
    let nonce: [u8; 12] = nonce.try_into().map_err(|_| anyhow!("malformed nonce"))?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key));
    let plaintext = cipher
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &ciphertext,
                aad: sealed.key_id.as_bytes(),
            },
        )
        .map_err(|_| anyhow!("personal data does not open with its key"))?;
    Ok(Some(serde_json::from_slice(&plaintext)?))
}
