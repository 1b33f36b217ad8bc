//! One connection to a database that must already exist, on either backend, for the commands
//! that look at a database rather than run the store on it: whether it holds a log, which
//! migrations it has, and a backup's reads and writes (`backup::connection`).

use crate::StoreError;
use sqlx::{AssertSqlSafe, ConnectOptions, PgConnection, SqliteConnection};
use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

/// How long a command waits for SQLite's write lock held by a running server.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) enum Connection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Connection {
    /// Connects to an existing database; creates nothing.
    pub async fn open(database_url: &str) -> Result<Self, StoreError> {
        if crate::is_postgres(database_url) {
            let options = sqlx::postgres::PgConnectOptions::from_str(database_url)?;
            Ok(Self::Postgres(options.connect().await?))
        } else if database_url.starts_with("sqlite:") {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(database_url)?
                .create_if_missing(false)
                .busy_timeout(BUSY_TIMEOUT)
                .foreign_keys(true);
            Ok(Self::Sqlite(options.connect().await?))
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    pub(crate) async fn execute(&mut self, sql: &str) -> Result<(), StoreError> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Self::Sqlite(connection) => {
                sqlx::raw_sql(sql).execute(connection).await?;
            }
            Self::Postgres(connection) => {
                sqlx::raw_sql(sql).execute(connection).await?;
            }
        }
        Ok(())
    }

    /// Whether the schema has the table `name` (a database of an older release may lack it).
    pub async fn has_table(&mut self, name: &str) -> Result<bool, StoreError> {
        Ok(match self {
            Self::Sqlite(connection) => sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            )
            .bind(name)
            .fetch_one(connection)
            .await?,
            Self::Postgres(connection) => {
                sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                    .bind(name)
                    .fetch_one(connection)
                    .await?
            }
        })
    }

    /// The versions of the migrations recorded as applied (none before the first).
    pub async fn applied_versions(&mut self) -> Result<BTreeSet<i64>, StoreError> {
        const APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success";
        if !self.has_table("_sqlx_migrations").await? {
            return Ok(BTreeSet::new());
        }
        let versions: Vec<i64> = match self {
            Self::Sqlite(connection) => sqlx::query_scalar(APPLIED).fetch_all(connection).await?,
            Self::Postgres(connection) => sqlx::query_scalar(APPLIED).fetch_all(connection).await?,
        };
        Ok(versions.into_iter().collect())
    }
}
