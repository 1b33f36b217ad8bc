//! The access log: who read which case, and what of it. Append-only, in its own table beside
//! the events and outside their hash chain, because a read changes nothing in the process and
//! must not slow it down: reads are recorded through [`AccessLogger`], which writes them in
//! batches.

mod logger;
mod postgres;
mod sqlite;

pub use logger::{AccessLogError, AccessLogger};
pub use postgres::PostgresAccessLog;
pub use sqlite::SqliteAccessLog;

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

/// One read of a case, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRecord {
    /// When the answer was given (microsecond precision once stored).
    pub accessed_at: DateTime<Utc>,
    /// The reader's partnership, which is the case's.
    pub partnership: String,
    /// The case read.
    pub case_id: Uuid,
    /// What was read: `case`, `deadlines`, `audit_trail`, `personal_details`, `access_log`, or
    /// a list that returned the case: `case_list`, `deadline_list`, `audit_trail_list`.
    pub resource: String,
    /// The reader's id at the identity provider.
    pub user_id: String,
    /// The reader's display name (staff).
    pub user_name: String,
    /// The reader's organisation.
    pub organisation: String,
    /// The reader's roles.
    pub roles: Vec<String>,
    /// The instant the reader asked to see the case as of, if any.
    pub as_of: Option<DateTime<Utc>>,
    /// The request id of the read (`x-request-id`).
    pub request_id: String,
}

/// A stored read with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedAccess {
    /// Increasing id, the cursor of [`AccessLogStore::read_case`].
    pub id: u64,
    /// The read.
    pub record: AccessRecord,
}

/// Which reads of one case to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessQuery {
    /// The partnership the case belongs to.
    pub partnership: String,
    /// The case.
    pub case_id: Uuid,
    /// Only reads with an id above this (0 for the first page).
    pub after_id: u64,
    /// Only reads at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only reads before this instant.
    pub to: Option<DateTime<Utc>>,
    /// At most this many.
    pub limit: usize,
}

/// Where reads are kept.
#[async_trait]
pub trait AccessLogStore: Send + Sync + std::fmt::Debug {
    /// Appends reads in one transaction, in order.
    async fn append(&self, records: &[AccessRecord]) -> Result<(), StoreError>;

    /// Reads of one case, oldest first.
    async fn read_case(&self, query: &AccessQuery) -> Result<Vec<LoggedAccess>, StoreError>;
}

/// Opens the access log of the database the event store uses. Open the event store first: it
/// applies the migrations that create the table.
pub async fn open_access_log(database_url: &str) -> Result<Arc<dyn AccessLogStore>, StoreError> {
    if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
        Ok(Arc::new(PostgresAccessLog::connect(database_url).await?))
    } else if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteAccessLog::connect(database_url).await?))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}
