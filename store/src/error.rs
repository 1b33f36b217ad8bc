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
    /// A command that reads an existing log found none where it was told to look.
    #[error("no event log: {0}")]
    NoEventLog(String),
    /// A backup file that cannot be restored: not one, of a newer release, cut short,
    /// altered, or not matching its own counts. Nothing was restored.
    #[error("the backup cannot be restored: {0}")]
    Backup(String),
    /// A restore was pointed at a database that already holds data; nothing was changed.
    #[error("a backup is restored only into an empty database: {0}")]
    NotEmpty(String),
    /// What was read could not be written out (an export to a full disk or a closed pipe).
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    /// The database has not applied these migrations of this release, and was not to be
    /// migrated.
    #[error(
        "the database's schema is behind this release (migrations {0:?} not applied): run `casetrail migrate` first"
    )]
    SchemaBehind(Vec<i64>),
    /// The URL names no supported backend.
    #[error("database URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    /// A transient database failure, as reported to each append of a failed batch (the
    /// database error itself cannot be cloned).
    #[error("the database is temporarily unavailable: {0}")]
    Unavailable(String),
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
    /// Whether the failure is transient, worth a 503 and a retry, as opposed to a refusal or a
    /// bug: the database cannot be reached or its connection was lost, a lock was held past the
    /// timeout (SQLite busy or locked, PostgreSQL lock timeout, deadlock, serialization
    /// failure), or the server is shutting down or full.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Closed | StoreError::Unavailable(_) => true,
            StoreError::Database(error) => is_transient(error),
            _ => false,
        }
    }
}

fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => {
            if database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                sqlite_transient(database.code().as_deref())
            } else if let Some(postgres) =
                database.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            {
                postgres_transient(postgres.code())
            } else {
                false
            }
        }
        _ => false,
    }
}

/// SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes (the low byte).
fn sqlite_transient(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// SQLSTATEs that say "try again": connection exceptions (class 08), serialization failure,
/// deadlock, lock not available (lock_timeout), statement cancelled (statement_timeout), the
/// server shutting down or starting, too many connections.
fn postgres_transient(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "40001" | "40P01" | "55P03" | "57014" | "57P01" | "57P02" | "57P03" | "53300"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_busy_and_locked_are_transient_and_constraints_are_not() {
        for code in ["5", "6", "261", "517", "262"] {
            assert!(sqlite_transient(Some(code)), "{code}");
        }
        for code in ["19", "2067", "1", "11"] {
            assert!(!sqlite_transient(Some(code)), "{code}");
        }
        assert!(!sqlite_transient(None));
    }

    #[test]
    fn postgres_lock_and_connection_failures_are_transient_and_constraints_are_not() {
        for code in [
            "08006", "08003", "40001", "40P01", "55P03", "57P01", "53300",
        ] {
            assert!(postgres_transient(code), "{code}");
        }
        for code in ["23505", "22P02", "42P01", "53100"] {
            assert!(!postgres_transient(code), "{code}");
        }
    }
}
