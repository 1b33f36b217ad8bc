//! Values that go into and come out of the store.

use crate::data_keys::NewDataKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the writer must find in the stream before appending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// The stream must not exist yet.
    NoStream,
    /// The stream's last version must be exactly this (versions start at 1).
    Exact(u64),
    /// No check.
    Any,
}

/// An event to append. Its id makes the append idempotent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Unique id; re-sending the same id is a no-op returning the original result.
    pub event_id: Uuid,
    /// Stable type name, never renamed once stored.
    pub event_type: String,
    /// Version of the data's shape, for upcasting on read.
    pub schema_version: i32,
    /// The event's payload.
    pub data: serde_json::Value,
    /// Who, why and on which request (actor, correlation id, request id, ...).
    pub metadata: serde_json::Value,
}

/// One atomic append of events to one stream.
#[derive(Debug, Clone, PartialEq)]
pub struct AppendRequest {
    /// The stream appended to.
    pub stream_id: String,
    /// The precondition on the stream's version.
    pub expected_version: ExpectedVersion,
    /// The events, in order (at least one).
    pub events: Vec<NewEvent>,
    /// Data keys that seal personal data in these events, stored in the same transaction as
    /// the events (and only if they are appended), so that a command opening a case costs no
    /// write of its own and never races the writer for the database's write lock.
    pub data_keys: Vec<NewDataKey>,
}

/// Where an append landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    /// Stream version of the first event appended.
    pub first_version: u64,
    /// Stream version of the last event appended: the stream's new version.
    pub last_version: u64,
    /// Global position of the first event appended.
    pub first_position: u64,
    /// Global position of the last event appended.
    pub last_position: u64,
    /// True when the events were already stored and nothing was written.
    pub already_stored: bool,
}

/// An event as stored, with its place in the log and in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// Global position, gap-free from 1.
    pub position: u64,
    /// The stream it belongs to.
    pub stream_id: String,
    /// Version within the stream, gap-free from 1.
    pub stream_version: u64,
    /// Unique id.
    pub event_id: Uuid,
    /// Stable type name.
    pub event_type: String,
    /// Version of the data's shape.
    pub schema_version: i32,
    /// Payload.
    pub data: serde_json::Value,
    /// Metadata.
    pub metadata: serde_json::Value,
    /// When the store committed it (microsecond precision).
    pub recorded_at: DateTime<Utc>,
    /// Hash of the previous event (32 zero bytes for the first).
    pub prev_hash: [u8; 32],
    /// SHA-256 over `prev_hash` and the event's canonical bytes.
    pub hash: [u8; 32],
}
