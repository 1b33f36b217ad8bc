//! The hash chain: `hash = SHA-256(prev_hash || canonical bytes of the event)`.
//!
//! The canonical bytes are the compact JSON of the stored fields with object keys sorted
//! recursively by their UTF-8 bytes, so anyone can recompute a hash from an export without
//! this code: the recipe is documented here and in the README. Keys are sorted explicitly,
//! not left to serde_json's map, whose order changes when any crate enables
//! `preserve_order`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first event in the log.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Computes an event's hash from the previous hash and the event's stored fields.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &[u8; 32],
    position: u64,
    stream_id: &str,
    stream_version: u64,
    event_id: Uuid,
    event_type: &str,
    schema_version: i32,
    data: &serde_json::Value,
    metadata: &serde_json::Value,
    recorded_at: DateTime<Utc>,
) -> [u8; 32] {
    let canonical = json!({
        "position": position,
        "stream_id": stream_id,
        "stream_version": stream_version,
        "event_id": event_id.to_string(),
        "event_type": event_type,
        "schema_version": schema_version,
        "data": data,
        "metadata": metadata,
        "recorded_at": recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    });
    let mut hasher = Sha256::new();
    hasher.update(prev_hash);
    hasher.update(canonical_json(&canonical).as_bytes());
    hasher.finalize().into()
}

/// Compact JSON with object keys sorted recursively.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
