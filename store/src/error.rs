//! The store's one error type.

use crate::ExpectedVersion;

/// Why an operation on the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The stream was not at the expected version; nothing was written.
    #[error("stream {stream_id} expected {expected:?} but is at version {actual}")]
    Conflict {
        /// The stream.
        stream_id: String,
        /// What the caller expected.
        expected: ExpectedVersion,
        /// The stream's actual last version (0 when it does not exist).
        actual: u64,
    },
    /// Some of the event ids are already stored with different content, in another stream,
    /// or only part of the batch is stored: not a retry of the same append.
    #[error("event ids already used by a different append")]
    IdempotencyMismatch,
    /// The append was malformed (no events, duplicate ids in one request).
    #[error("invalid append: {0}")]
    InvalidAppend(&'static str),
    /// The URL names no supported backend.
    #[error("database URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    /// The writer task has stopped (store closed).
    #[error("the event store is closed")]
    Closed,
    /// A stored row cannot be read back (corrupt or foreign data).
    #[error("corrupt stored event at position {position}: {reason}")]
    Corrupt {
        /// Position of the row.
        position: u64,
        /// What is wrong.
        reason: String,
    },
    /// A stored access log row cannot be read back.
    #[error("corrupt access log row: {0}")]
    CorruptAccessLog(String),
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The write-ahead log could not be checkpointed while readers held it.
    #[error("checkpoint incomplete: {0}")]
    CheckpointBusy(&'static str),
    /// Migrations failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether the database could not be reached (worth a 503 and a retry), as opposed to a
    /// refusal or a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Closed
                | StoreError::Database(
                    sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
                )
        )
    }
}
