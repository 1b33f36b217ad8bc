//! Retries made safe: an Idempotency-Key names the events a command writes, so a retry finds
//! them and answers as the first attempt did.

use super::Accepted;
use crate::error::AppError;
use crate::personal_data::KeyVault;
use casetrail_domain::metadata::EventMetadata;
use casetrail_domain::{Actor, CaseId};
use casetrail_store::{EventStore, RecordedEvent};
use uuid::Uuid;

/// Namespace for event ids derived from an Idempotency-Key.
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_4c2e_9b7d_4e0a_8c3f_2d5e_7b9a_1c04);

/// An Idempotency-Key and the hash of the request it was first used with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    /// The key as sent.
    pub key: String,
    /// SHA-256 of the method, path and canonical body: held in memory only. What is stored is
    /// a keyed hash of it ([`KeyVault::request_fingerprint`]).
    pub request_hash: String,
}

impl Idempotency {
    fn base(&self, actor: &Actor) -> Uuid {
        let scope = format!("{}|{}|{}", actor.partnership, actor.user, self.key);
        Uuid::new_v5(&IDEMPOTENCY_NAMESPACE, scope.as_bytes())
    }

    /// The id of the n-th event written under this key: the same on every retry, so the store
    /// recognises a retry and writes nothing.
    pub(super) fn event_id(&self, actor: &Actor, n: usize) -> Uuid {
        Uuid::new_v5(&self.base(actor), format!("event/{n}").as_bytes())
    }

    /// A case id derived from the key, so a retried NotifyIncident names the same case.
    pub fn case_id(&self, actor: &Actor) -> CaseId {
        CaseId::from_uuid(Uuid::new_v5(&self.base(actor), b"case"))
    }
}

/// The first answer to a command sent before with this key, if it was.
pub(super) async fn replay(
    store: &dyn EventStore,
    vault: &KeyVault,
    actor: &Actor,
    idempotency: &Idempotency,
) -> Result<Option<Accepted>, AppError> {
    let Some(first) = store.event_by_id(idempotency.event_id(actor, 0)).await? else {
        return Ok(None);
    };
    let metadata = EventMetadata::from_json(&first.metadata).unwrap_or_default();
    if !same_request(vault, &metadata, idempotency).await? {
        return Err(AppError::idempotency_key_reused());
    }
    let batch = store
        .read_stream(&first.stream_id, first.stream_version)
        .await?;
    let same_command = |e: &&RecordedEvent| {
        EventMetadata::from_json(&e.metadata).and_then(|m| m.correlation_id)
            == metadata.correlation_id
    };
    let last = batch
        .iter()
        .take_while(same_command)
        .last()
        .unwrap_or(&first);
    Ok(Some(Accepted {
        version: last.stream_version,
        position: last.position,
    }))
}

/// Whether the stored event's request hash is that of this request, under the scheme its
/// metadata version names.
async fn same_request(
    vault: &KeyVault,
    metadata: &EventMetadata,
    idempotency: &Idempotency,
) -> Result<bool, AppError> {
    let Some(stored) = metadata.request_hash.as_deref() else {
        return Ok(false);
    };
    if metadata.keyed_request_hash() {
        vault
            .is_same_request(stored, &idempotency.request_hash)
            .await
    } else {
        Ok(stored == idempotency.request_hash)
    }
}
