//! The log as NDJSON: one stored event per line, with its position, stream version and
//! hashes, so an auditor can take the whole history away and verify it without this service.

use crate::{EventStore, RecordedEvent, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows read per page while exporting.
const PAGE: usize = 2_000;

/// One line of an export: a stored event exactly as written, hashes in hex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedEvent {
    /// Global position.
    pub position: u64,
    /// Stream.
    pub stream_id: String,
    /// Version within the stream.
    pub stream_version: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Stored type name.
    pub event_type: String,
    /// Schema version.
    pub schema_version: i32,
    /// Payload as stored (personal data sealed).
    pub data: serde_json::Value,
    /// Metadata as stored.
    pub metadata: serde_json::Value,
    /// When committed (RFC 3339, microseconds).
    pub recorded_at: String,
    /// Previous event's hash, hex.
    pub prev_hash: String,
    /// This event's hash, hex.
    pub hash: String,
}

impl From<&RecordedEvent> for ExportedEvent {
    fn from(event: &RecordedEvent) -> Self {
        Self {
            position: event.position,
            stream_id: event.stream_id.clone(),
            stream_version: event.stream_version,
            event_id: event.event_id,
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            data: event.data.clone(),
            metadata: event.metadata.clone(),
            recorded_at: event
                .recorded_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            prev_hash: hex::encode(event.prev_hash),
            hash: hex::encode(event.hash),
        }
    }
}

impl TryFrom<ExportedEvent> for RecordedEvent {
    type Error = String;

    fn try_from(line: ExportedEvent) -> Result<Self, String> {
        let hash = |text: &str, field: &str| -> Result<[u8; 32], String> {
            hex::decode(text)
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| format!("{field} is not 32 bytes of hex"))
        };
        Ok(RecordedEvent {
            position: line.position,
            stream_id: line.stream_id,
            stream_version: line.stream_version,
            event_id: line.event_id,
            event_type: line.event_type,
            schema_version: line.schema_version,
            data: line.data,
            metadata: line.metadata,
            recorded_at: DateTime::parse_from_rfc3339(&line.recorded_at)
                .map_err(|_| "recorded_at is not RFC 3339".to_owned())?
                .with_timezone(&Utc),
            prev_hash: hash(&line.prev_hash, "prev_hash")?,
            hash: hash(&line.hash, "hash")?,
        })
    }
}

/// Writes every event after `after` as NDJSON, page by page: the log is never held in memory.
pub async fn export_ndjson<W: std::io::Write>(
    store: &dyn EventStore,
    after: u64,
    out: &mut W,
) -> Result<u64, StoreError> {
    let mut after = after;
    let mut written = 0;
    loop {
        let page = store.read_all(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            let line = serde_json::to_string(&ExportedEvent::from(event)).map_err(|err| {
                StoreError::Corrupt {
                    position: event.position,
                    reason: err.to_string(),
                }
            })?;
            writeln!(out, "{line}").map_err(StoreError::Output)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Verifies an NDJSON export read line by line, as `verify` does for the database.
pub fn verify_ndjson<R: std::io::BufRead>(input: R) -> std::io::Result<crate::Integrity> {
    let mut verifier = crate::Verifier::default();
    let mut position = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        position += 1;
        let event = serde_json::from_str::<ExportedEvent>(&line)
            .map_err(|err| err.to_string())
            .and_then(RecordedEvent::try_from);
        let outcome = event.and_then(|event| verifier.check(&event));
        if let Err(reason) = outcome {
            return Ok(crate::Integrity::Broken { position, reason });
        }
    }
    Ok(verifier.finish())
}
