//! Key-encryption keys (KEKs) held in files outside the database: 32 random bytes each,
//! readable by the service's user only. The current KEK wraps new data keys; previous KEKs
//! only unwrap the keys still wrapped by them until `casetrail rotate-kek` has rewrapped them.

use super::wrapping::{KeyEncryption, Unwrapped};
use crate::secret_file;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::{Context, anyhow, bail};
use async_trait::async_trait;
use casetrail_store::WrappedKey;
// hmac 0.13 is on digest 0.11, whose `KeyInit` is not the one aes-gcm 0.10 re-exports.
use hmac::{Hmac, KeyInit as MacKeyInit, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The file a zero-configuration (development) instance keeps its KEK in, in the data directory.
pub const DEV_KEK_FILE: &str = "kek";

const NONCE_LEN: usize = 12;

/// One key-encryption key.
struct Kek {
    /// Derived from the key (a one-way fingerprint), so it names the key without an extra
    /// setting and never reveals it.
    id: String,
    key: [u8; 32],
}

impl Kek {
    fn new(key: [u8; 32]) -> Self {
        let digest = Sha256::new()
            .chain_update(b"casetrail key-encryption key id\0")
            .chain_update(key)
            .finalize();
        Self {
            id: format!("kek-{}", hex::encode(&digest[..8])),
            key,
        }
    }

    fn read(path: &Path, setting: &str) -> anyhow::Result<Self> {
        secret_file::require_private(path, setting)?;
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read {} ({setting})", path.display()))?;
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
            anyhow!(
                "{} ({setting}) must hold exactly 32 random bytes, not {}",
                path.display(),
                bytes.len()
            )
        })?;
        Ok(Self::new(key))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.key))
    }

    /// What the wrapping authenticates: the data key's id and this KEK's id, so a wrapped key
    /// moved to another row, or relabelled, does not unwrap.
    fn aad(&self, key_id: Uuid) -> Vec<u8> {
        let mut aad = key_id.as_bytes().to_vec();
        aad.extend_from_slice(self.id.as_bytes());
        aad
    }

    /// A keyed hash under a key derived from this KEK for that one purpose.
    fn mac(&self, purpose: &[u8], data: &[u8]) -> String {
        let derived = <Hmac<Sha256> as MacKeyInit>::new_from_slice(&self.key)
            .map(|m| m.chain_update(purpose).finalize().into_bytes())
            .unwrap_or_default();
        let mac = <Hmac<Sha256> as MacKeyInit>::new_from_slice(&derived)
            .map(|m| m.chain_update(data).finalize().into_bytes())
            .unwrap_or_default();
        format!("{}:{}", self.id, hex::encode(mac))
    }
}

/// The KEKs read from files: the current one and any previous ones.
pub struct LocalKeyring {
    current: Kek,
    previous: Vec<Kek>,
}

impl std::fmt::Debug for LocalKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalKeyring")
            .field("current", &self.current.id)
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl LocalKeyring {
    /// Reads the current KEK and the previous ones, refusing files others may read.
    pub fn read(current: &Path, previous: &[PathBuf]) -> anyhow::Result<Self> {
        let current = Kek::read(current, "CASETRAIL_KEK_FILE")?;
        let previous = previous
            .iter()
            .map(|path| Kek::read(path, "CASETRAIL_PREVIOUS_KEK_FILES"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self { current, previous })
    }

    /// Reads the development KEK of the data directory, creating it (32 random bytes, mode
    /// 0600) if missing, like the development JWT secret.
    pub fn dev(data_dir: &Path, previous: &[PathBuf]) -> anyhow::Result<Self> {
        let path = data_dir.join(DEV_KEK_FILE);
        if !path.exists() {
            let mut key = [0u8; 32];
            rand::rng().fill_bytes(&mut key);
            secret_file::create_private(&path, &key)?;
        }
        Self::read(&path, previous)
    }

    /// The named KEK file, or without one the data directory's development KEK.
    pub fn open(
        kek_file: Option<&Path>,
        data_dir: &Path,
        previous: &[PathBuf],
    ) -> anyhow::Result<Self> {
        match kek_file {
            Some(path) => Self::read(path, previous),
            None => Self::dev(data_dir, previous),
        }
    }

    fn by_id(&self, id: &str) -> Option<&Kek> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|kek| kek.id == id)
    }
}

#[async_trait]
impl KeyEncryption for LocalKeyring {
    fn current_kek_id(&self) -> &str {
        &self.current.id
    }

    async fn wrap(&self, key_id: Uuid, key: &[u8; 32]) -> anyhow::Result<WrappedKey> {
        let kek = &self.current;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = kek
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: key,
                    aad: &kek.aad(key_id),
                },
            )
            .map_err(|_| anyhow!("wrapping a data key failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(WrappedKey {
            kek_id: kek.id.clone(),
            bytes,
        })
    }

    async fn unwrap(&self, key_id: Uuid, wrapped: &WrappedKey) -> anyhow::Result<Unwrapped> {
        let Some(kek) = self.by_id(&wrapped.kek_id) else {
            return Ok(Unwrapped::UnknownKek);
        };
        if wrapped.bytes.len() <= NONCE_LEN {
            bail!("a wrapped data key is too short");
        }
        let (nonce, sealed) = wrapped.bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into()?;
        let key = kek
            .cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &kek.aad(key_id),
                },
            )
            .map_err(|_| anyhow!("a wrapped data key does not unwrap with its KEK"))?;
        let key: [u8; 32] = key
            .as_slice()
            .try_into()
            .map_err(|_| anyhow!("an unwrapped data key is not 32 bytes"))?;
        Ok(Unwrapped::Key(key))
    }

    async fn fingerprint(&self, purpose: &str, data: &[u8]) -> anyhow::Result<String> {
        Ok(self.current.mac(purpose.as_bytes(), data))
    }

    async fn fingerprint_with(
        &self,
        kek_id: &str,
        purpose: &str,
        data: &[u8],
    ) -> anyhow::Result<Option<String>> {
        Ok(self
            .by_id(kek_id)
            .map(|kek| kek.mac(purpose.as_bytes(), data)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn keyring(byte: u8, previous: &[u8]) -> LocalKeyring {
        LocalKeyring {
            current: Kek::new([byte; 32]),
            previous: previous.iter().map(|b| Kek::new([*b; 32])).collect(),
        }
    }

    #[tokio::test]
    async fn a_wrapped_key_unwraps_only_with_its_kek_and_its_own_id() {
        let id = Uuid::new_v4();
        let wrapped = keyring(1, &[]).wrap(id, &[7; 32]).await.unwrap();
        assert!(!wrapped.bytes.windows(32).any(|w| w == [7; 32]));
        assert!(matches!(
            keyring(2, &[1]).unwrap(id, &wrapped).await.unwrap(),
            Unwrapped::Key(k) if k == [7; 32]
        ));
        assert!(matches!(
            keyring(2, &[3]).unwrap(id, &wrapped).await.unwrap(),
            Unwrapped::UnknownKek
        ));
        // Moved to another key's row: refused.
        assert!(
            keyring(1, &[])
                .unwrap(Uuid::new_v4(), &wrapped)
                .await
                .is_err()
        );
        // Tampered: refused.
        let mut tampered = wrapped.clone();
        let last = tampered.bytes.len() - 1;
        tampered.bytes[last] ^= 1;
        assert!(keyring(1, &[]).unwrap(id, &tampered).await.is_err());
    }

    #[tokio::test]
    async fn fingerprints_are_keyed_and_separated_by_purpose() {
        let a = keyring(1, &[]);
        let b = keyring(2, &[1]);
        let fp = a.fingerprint("request", b"body").await.unwrap();
        assert_ne!(fp, b.fingerprint("request", b"body").await.unwrap());
        assert_ne!(fp, a.fingerprint("other", b"body").await.unwrap());
        assert_ne!(fp, a.fingerprint("request", b"bodY").await.unwrap());
        let kek_id = fp.split_once(':').unwrap().0;
        assert_eq!(
            b.fingerprint_with(kek_id, "request", b"body")
                .await
                .unwrap(),
            Some(fp.clone())
        );
        assert_eq!(
            keyring(3, &[])
                .fingerprint_with(kek_id, "request", b"body")
                .await
                .unwrap(),
            None
        );
        assert!(!fp.contains(&hex::encode(Sha256::digest(b"body"))));
    }
}
