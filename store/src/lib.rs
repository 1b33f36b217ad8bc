//! The Casetrail event store: an append-only, hash-chained log of events in streams.
//!
//! One trait ([`EventStore`]) and two backends ([`sqlite::SqliteEventStore`],
//! [`postgres::PostgresEventStore`]) with the same guarantees, proven by one conformance suite:
//!
//! - every append names an [`ExpectedVersion`] for its stream; a mismatch is a typed
//!   [`StoreError::Conflict`] and writes nothing;
//! - re-sending events whose ids are already stored returns the original result and writes
//!   nothing (idempotency by event id);
//! - appends are serialized, so global positions are gap-free and become visible in order, and
//!   every event extends one SHA-256 hash chain;
//! - concurrent appends are committed together by a single writer task (group commit); nothing
//!   is acknowledged before its commit is durable;
//! - a follower of the log in the same process ([`tail`]) takes what the writer has just
//!   committed from memory, as committed, instead of reading it back.
//!
//! The store knows nothing about safeguarding: it stores opaque JSON with a type name.

pub mod access_log;
pub mod backup;
mod batch;
mod cache;
mod connection;
mod data_keys;
mod error;
mod existing;
mod export;
mod hash;
mod model;
pub mod postgres;
mod recent;
mod row;
mod schema;
pub mod sqlite;
mod tail;
mod verify;
pub mod webhooks;
mod writer;

pub use access_log::{
    AccessLogStore, AccessLogger, AccessQuery, AccessRecord, LoggedAccess, open_access_log,
};
pub use data_keys::{
    DataKeyStore, NewDataKey, PostgresDataKeys, SqliteDataKeys, StoredKey, WrappedKey,
    open_data_keys,
};
pub use error::StoreError;
pub use existing::{open_existing, require_event_log};
pub use export::{ExportedEvent, export_ndjson, verify_ndjson};
pub use hash::{GENESIS_HASH, canonical_json, event_hash};
pub use model::{AppendRequest, AppendResult, ExpectedVersion, NewEvent, RecordedEvent};
pub use schema::{Migration, latest_migration, migrate, pending_migrations};
pub use tail::{Tail, tail};
pub use verify::{Integrity, Verifier, verify, verify_partnership};
pub use webhooks::{
    AttemptOutcome, DeliveryAttempt, DeliveryState, DeliveryStatus, LoggedAttempt, SecretRef,
    Subscription, WebhookStore, open_webhooks,
};

use async_trait::async_trait;
use tokio::sync::watch;

/// The event store interface shared by both backends.
/// The connections of a store's read pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Connections open.
    pub open: u32,
    /// Of them, connections idle (the rest are in use).
    pub idle: u32,
}

#[async_trait]
pub trait EventStore: Send + Sync + std::fmt::Debug {
    /// Appends events to one stream atomically, after checking the expected version.
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError>;

    /// Reads a stream's events with `stream_version >= from_version`, in version order.
    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Reads up to `limit` events of the whole log with `position > after`, in position order.
    async fn read_all(&self, after: u64, limit: usize) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events with `position > after`, in position order, if this process's
    /// writer committed the event right after `after` lately and still holds it in memory:
    /// what [`EventStore::read_all`] would read, without the database. `None` when it does
    /// not (then read the database). For a follower of the log in the same process, not for
    /// checking what the database holds.
    fn read_recent(&self, after: u64, limit: usize) -> Option<Vec<std::sync::Arc<RecordedEvent>>>;

    /// Finds one event by its id, whatever its stream.
    async fn event_by_id(&self, event_id: uuid::Uuid) -> Result<Option<RecordedEvent>, StoreError>;

    /// The position of the last committed event (0 for an empty log).
    async fn head_position(&self) -> Result<u64, StoreError>;

    /// Watches the highest committed position known to this process. It moves after every
    /// local commit and, on PostgreSQL, after commits by other processes (LISTEN/NOTIFY with a
    /// polling fallback).
    fn watch_head(&self) -> watch::Receiver<u64>;

    /// Checks that the database answers (used by readiness probes).
    async fn ping(&self) -> Result<(), StoreError>;

    /// The read connections the store holds now, for the metrics.
    fn pool_state(&self) -> PoolState;

    /// Stops the writer after the appends already queued, and closes the connections.
    async fn close(&self);
}

/// Whether the URL names a PostgreSQL database.
pub(crate) fn is_postgres(database_url: &str) -> bool {
    database_url.starts_with("postgres:") || database_url.starts_with("postgresql:")
}

/// Opens the store named by a `sqlite:` or `postgres:` URL, applying migrations.
pub async fn open(database_url: &str) -> Result<std::sync::Arc<dyn EventStore>, StoreError> {
    if is_postgres(database_url) {
        Ok(std::sync::Arc::new(
            postgres::PostgresEventStore::open(database_url).await?,
        ))
    } else if database_url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(
            sqlite::SqliteEventStore::open(database_url).await?,
        ))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}
