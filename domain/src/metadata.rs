//! What the log records about the command behind each event: who sent it, which command,
//! on which request, under which idempotency key. One typed definition for every writer
//! (the command bus, the demo partnership, the seeded histories) and every reader (the
//! idempotent replay, the audit trail).

use crate::{Actor, OrgSlug, PartnershipSlug, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The version of the metadata the command bus writes. Version 2 stores a keyed request hash
/// (`"<kek id>:<hmac>"`); metadata without a version (1) holds an unkeyed SHA-256, which stays
/// as it was written: the log is never rewritten.
pub const METADATA_VERSION: u64 = 2;

/// The metadata of one event. Every field has a default so that metadata written by an
/// older version (or by the seeded histories, which record no partnership) still reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EventMetadata {
    /// The metadata's version; absent (1) before keyed request hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_version: Option<u64>,
    /// Who sent the command.
    #[serde(default)]
    pub actor: MetadataActor,
    /// The tenant, when the writer records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<PartnershipSlug>,
    /// The command's name (its operationId).
    #[serde(default)]
    pub command: String,
    /// Shared by every event one command appended.
    #[serde(default)]
    pub correlation_id: Option<Uuid>,
    /// The event that caused this one, for events written in reaction to another (none yet).
    #[serde(default)]
    pub causation_id: Option<Uuid>,
    /// The server's id of the request.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The client's Idempotency-Key.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// The hash of the request first sent with the key (keyed from version 2 on).
    #[serde(default)]
    pub request_hash: Option<String>,
}

/// The sender of a command as the log records them: staff, never a child or adult at risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MetadataActor {
    /// The user's id at the identity provider; `system` for the service itself.
    #[serde(default)]
    pub user: String,
    /// The user's display name.
    #[serde(default)]
    pub name: String,
    /// The user's organisation; none for the service itself.
    #[serde(default)]
    pub org: Option<OrgSlug>,
    /// The roles the token held.
    #[serde(default)]
    pub roles: Vec<Role>,
}

impl From<&Actor> for MetadataActor {
    fn from(actor: &Actor) -> Self {
        Self {
            user: actor.user.clone(),
            name: actor.name.clone(),
            org: Some(actor.org.clone()),
            roles: actor.roles.iter().copied().collect(),
        }
    }
}

impl EventMetadata {
    /// The metadata as stored.
    pub fn to_json(&self) -> serde_json::Value {
        // A struct of strings, ids and options always serializes.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Reads stored metadata; `None` when it is not metadata of ours.
    pub fn from_json(value: &serde_json::Value) -> Option<Self> {
        // Read from the borrowed value: the replay reads every event of a retried command's
        // batch, and a copy of each would be thrown away at once.
        Self::deserialize(value).ok()
    }

    /// Whether the request hash is keyed (version 2 and later).
    pub fn keyed_request_hash(&self) -> bool {
        self.metadata_version.is_some_and(|version| version >= 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_bus_metadata_reads_back_and_keeps_its_nulls() {
        let metadata = EventMetadata {
            metadata_version: Some(METADATA_VERSION),
            actor: MetadataActor {
                user: "u1".into(),
                name: "Business Manager".into(),
                org: Some(OrgSlug::parse("southend-council").expect("slug")),
                roles: vec![Role::BusinessManager],
            },
            partnership: Some(PartnershipSlug::parse("southend").expect("slug")),
            command: "NotifyIncident".into(),
            correlation_id: Some(Uuid::nil()),
            causation_id: None,
            request_id: Some("req-1".into()),
            idempotency_key: None,
            request_hash: None,
        };
        let stored = metadata.to_json();
        assert_eq!(stored["causation_id"], json!(null));
        assert_eq!(stored["idempotency_key"], json!(null));
        assert_eq!(stored["actor"]["roles"], json!(["business_manager"]));
        assert_eq!(EventMetadata::from_json(&stored), Some(metadata.clone()));
        assert!(metadata.keyed_request_hash());
    }

    #[test]
    fn metadata_of_version_one_and_of_the_seeds_reads() {
        let seeded = json!({
            "actor": {"user": "auth0|1", "name": "Business Manager", "org": "council",
                      "roles": ["business_manager"]},
            "command": "IncidentNotified", "correlation_id": Uuid::nil(), "causation_id": null,
            "request_id": "req-1", "idempotency_key": null, "request_hash": "abc"
        });
        let read = EventMetadata::from_json(&seeded).expect("seeded metadata reads");
        assert_eq!(read.partnership, None);
        assert!(!read.keyed_request_hash());
        assert_eq!(read.request_hash.as_deref(), Some("abc"));
        assert_eq!(EventMetadata::from_json(&json!("not metadata")), None);
    }
}
