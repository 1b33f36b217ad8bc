//! The hash chain: `hash = SHA-256(prev_hash || canonical bytes of the event)`.
//!
//! The canonical bytes are the compact JSON of the stored fields with object keys sorted
//! recursively by their UTF-8 bytes, so anyone can recompute a hash from an export without
//! this code: the recipe is documented here and in the README. Keys are sorted explicitly,
//! not left to serde_json's map, whose order changes when any crate enables
//! `preserve_order`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
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
    hash_canonical(
        prev_hash,
        position,
        stream_id,
        stream_version,
        event_id,
        event_type,
        schema_version,
        &canonical_json(data),
        &canonical_json(metadata),
        &recorded_at_text(recorded_at),
    )
}

/// [`event_hash`] for a writer that already holds the canonical JSON of the payload and the
/// metadata (it stores those bytes too) and the text of `recorded_at`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn hash_canonical(
    prev_hash: &[u8; 32],
    position: u64,
    stream_id: &str,
    stream_version: u64,
    event_id: Uuid,
    event_type: &str,
    schema_version: i32,
    data_json: &str,
    metadata_json: &str,
    recorded_at: &str,
) -> [u8; 32] {
    // The canonical object written out directly, its keys already in byte order, rather than
    // built as a JSON value (copying payload and metadata) and then sorted.
    let mut bytes = Vec::with_capacity(data_json.len() + metadata_json.len() + 256);
    bytes.extend_from_slice(b"{\"data\":");
    bytes.extend_from_slice(data_json.as_bytes());
    bytes.extend_from_slice(b",\"event_id\":");
    write_json(
        &mut bytes,
        event_id
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer()),
    );
    bytes.extend_from_slice(b",\"event_type\":");
    write_json(&mut bytes, event_type);
    bytes.extend_from_slice(b",\"metadata\":");
    bytes.extend_from_slice(metadata_json.as_bytes());
    bytes.extend_from_slice(b",\"position\":");
    write_json(&mut bytes, &position);
    bytes.extend_from_slice(b",\"recorded_at\":");
    write_json(&mut bytes, recorded_at);
    bytes.extend_from_slice(b",\"schema_version\":");
    write_json(&mut bytes, &schema_version);
    bytes.extend_from_slice(b",\"stream_id\":");
    write_json(&mut bytes, stream_id);
    bytes.extend_from_slice(b",\"stream_version\":");
    write_json(&mut bytes, &stream_version);
    bytes.push(b'}');
    let mut hasher = Sha256::new();
    hasher.update(prev_hash);
    hasher.update(&bytes);
    hasher.finalize().into()
}

/// `recorded_at` as the hash covers it (and SQLite stores it): RFC 3339, UTC, microseconds.
pub(crate) fn recorded_at_text(recorded_at: DateTime<Utc>) -> String {
    recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Compact JSON with object keys sorted recursively.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, key);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        serde_json::Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => write_json(out, scalar),
    }
}

/// Appends compact JSON: escaped strings, shortest round-trip numbers.
fn write_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing strings, integers and JSON values to memory cannot fail: a JSON value holds no
    // number that JSON cannot represent.
    serde_json::to_writer(out, value).expect("JSON text written to memory");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The recipe as first written: build the canonical object as a JSON value, then write it
    /// with sorted keys. Hashes already in the field were made this way.
    #[allow(clippy::too_many_arguments)]
    fn reference_hash(
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
        hasher.update(reference_canonical(&canonical).as_bytes());
        hasher.finalize().into()
    }

    fn reference_canonical(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                let items: Vec<String> = entries
                    .into_iter()
                    .map(|(key, item)| {
                        let key = serde_json::Value::String(key.clone()).to_string();
                        format!("{key}:{}", reference_canonical(item))
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().map(reference_canonical).collect();
                format!("[{}]", items.join(","))
            }
            scalar => scalar.to_string(),
        }
    }

    #[test]
    fn the_same_bytes_as_the_original_recipe() {
        let values = [
            json!({}),
            json!([]),
            json!(null),
            json!({ "z": 1, "a": { "y": [1.5, true, null, "ünïcödé ✓"], "b": -7 }, "": "" }),
            json!({ "quote\"key": "back\\slash", "ctl": "\u{0001}\n\t", "é": 1, "e": 2, "ß": [] }),
            json!({ "big": u64::MAX, "small": i64::MIN, "float": 1e300, "tiny": 5e-324, "neg": -0.5 }),
            json!({ "emoji": "👩‍👧", "nested": [[{ "b": 1, "a": [{}] }]], "uuid": Uuid::nil() }),
            json!("just a string with \u{2028} separators"),
            json!(12.0),
        ];
        let recorded_at = DateTime::parse_from_rfc3339("2025-01-31T09:30:00.123456Z")
            .unwrap_or_default()
            .with_timezone(&Utc);
        for (n, data) in values.iter().enumerate() {
            assert_eq!(canonical_json(data), reference_canonical(data));
            let metadata = &values[values.len() - 1 - n];
            for (position, stream, event_type, schema) in [
                (1, "case-1", "CaseNoted", 1),
                (u64::MAX, "strëam \"quoted\"", "Type\\With\u{7f}", i32::MIN),
            ] {
                let id = Uuid::from_u128(0xfeed_0000_0000_0000_0000_0000_0000_00ab + n as u128);
                assert_eq!(
                    event_hash(
                        &[n as u8; 32],
                        position,
                        stream,
                        position / 3,
                        id,
                        event_type,
                        schema,
                        data,
                        metadata,
                        recorded_at,
                    ),
                    reference_hash(
                        &[n as u8; 32],
                        position,
                        stream,
                        position / 3,
                        id,
                        event_type,
                        schema,
                        data,
                        metadata,
                        recorded_at,
                    ),
                );
            }
        }
    }
}
