//! Opening a store that must already hold an event log: the commands that only read one
//! (`verify`, `export`, `replay`, `rotate-kek`, `erase`) must never make an empty database and
//! then report on it. `casetrail verify` on a mistyped path used to create an empty SQLite file
//! and answer `"status": "ok"` with 0 events, which an auditor could take for a verified log.

use crate::error::StoreError;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;

/// Fails unless the database at `database_url` exists and holds Casetrail's event log (its
/// `events` table); changes nothing, creates nothing.
pub async fn require_event_log(database_url: &str) -> Result<(), StoreError> {
    if !crate::is_postgres(database_url) {
        if !database_url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl);
        }
        let options = SqliteConnectOptions::from_str(database_url)?;
        let file = options.get_filename();
        if file.as_os_str() == ":memory:" || database_url.contains(":memory:") {
            return Err(StoreError::NoEventLog(
                "an in-memory SQLite database holds no event log".to_owned(),
            ));
        }
        if !file.is_file() {
            return Err(StoreError::NoEventLog(format!(
                "there is no SQLite database at {}",
                file.display()
            )));
        }
    }
    // Connecting to a PostgreSQL database that does not exist fails on its own.
    let has_log = crate::connection::Connection::open(database_url)
        .await?
        .has_table("events")
        .await?;
    if has_log {
        Ok(())
    } else {
        Err(StoreError::NoEventLog(
            "the database holds no Casetrail event log (it has no events table)".to_owned(),
        ))
    }
}

/// Opens the store at `database_url` as [`crate::open`] does, once
/// [`require_event_log`] has found a log there.
pub async fn open_existing(
    database_url: &str,
) -> Result<std::sync::Arc<dyn crate::EventStore>, StoreError> {
    require_event_log(database_url).await?;
    crate::open(database_url).await
}
