//! The database's schema against this release's migrations: `casetrail migrate` applies the
//! missing ones and exits (for deploy pipelines); `serve --no-migrate` refuses to start on a
//! schema that is behind instead of changing it (docs/operations.md, "Upgrades").

use crate::error::StoreError;
use serde::Serialize;
use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
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

/// The versions of the migrations recorded as applied (none before the first).
async fn applied_versions(database_url: &str) -> Result<BTreeSet<i64>, StoreError> {
    const APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success";
    let versions: Vec<i64> = if crate::is_postgres(database_url) {
        let mut connection = PgConnectOptions::from_str(database_url)?.connect().await?;
        let recorded: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&mut connection)
                .await?;
        if !recorded {
            return Ok(BTreeSet::new());
        }
        sqlx::query_scalar(APPLIED)
            .fetch_all(&mut connection)
            .await?
    } else {
        let options = SqliteConnectOptions::from_str(database_url)?.create_if_missing(false);
        if !options.get_filename().is_file() {
            return Ok(BTreeSet::new());
        }
        let mut connection = options.connect().await?;
        let recorded: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' \
             AND name = '_sqlx_migrations')",
        )
        .fetch_one(&mut connection)
        .await?;
        if !recorded {
            return Ok(BTreeSet::new());
        }
        sqlx::query_scalar(APPLIED)
            .fetch_all(&mut connection)
            .await?
    };
    Ok(versions.into_iter().collect())
}
