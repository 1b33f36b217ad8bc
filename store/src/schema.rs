//! The database's schema against this release's migrations: `casetrail migrate` applies the
//! missing ones and exits (for deploy pipelines); `serve --no-migrate` refuses to start on a
//! schema that is behind instead of changing it (docs/operations.md, "Upgrades").

use crate::error::StoreError;
use serde::Serialize;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use std::collections::BTreeSet;
use std::str::FromStr;

/// One migration of this release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// Its number, the prefix of its file in `migrations/`.
    pub version: i64,
    /// What it does, from its file's name.
    pub description: String,
}

/// The migrations of this release for the backend `database_url` names.
fn migrator(database_url: &str) -> Result<&'static Migrator, StoreError> {
    if crate::is_postgres(database_url) {
        Ok(&crate::postgres::MIGRATOR)
    } else if database_url.starts_with("sqlite:") {
        Ok(&crate::sqlite::MIGRATOR)
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

/// The latest migration of this release: the schema version a current database has.
pub fn latest_migration(database_url: &str) -> Result<i64, StoreError> {
    Ok(migrator(database_url)?
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0))
}

/// This release's migrations the database has not applied, oldest first; all of them for a
/// SQLite file that does not exist yet. Changes nothing.
pub async fn pending_migrations(database_url: &str) -> Result<Vec<Migration>, StoreError> {
    let applied = applied_versions(database_url).await?;
    Ok(migrator(database_url)?
        .iter()
        .filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version))
        .map(|m| Migration {
            version: m.version,
            description: m.description.to_string(),
        })
        .collect())
}

/// Applies the missing migrations (creating a SQLite file, private to its owner, if there is
/// none) and returns them.
pub async fn migrate(database_url: &str) -> Result<Vec<Migration>, StoreError> {
    let pending = pending_migrations(database_url).await?;
    // Opening the store applies them, under sqlx's lock on PostgreSQL, so that two deploys at
    // once apply each migration once.
    crate::open(database_url).await?.close().await;
    Ok(pending)
}

/// The versions of the migrations recorded as applied (none before the first, none for a
/// SQLite file that does not exist yet).
async fn applied_versions(database_url: &str) -> Result<BTreeSet<i64>, StoreError> {
    if !crate::is_postgres(database_url) {
        let options = SqliteConnectOptions::from_str(database_url)?;
        if !options.get_filename().is_file() {
            return Ok(BTreeSet::new());
        }
    }
    crate::connection::Connection::open(database_url)
        .await?
        .applied_versions()
        .await
}
