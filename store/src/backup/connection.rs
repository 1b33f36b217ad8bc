//! One connection to the database backed up or restored, on either backend, with the few
//! statements a backup needs: a snapshot to read in, a transaction to write in, rows as JSON.

use super::tables::Table;
use crate::StoreError;
use futures::TryStreamExt;
use sqlx::{AssertSqlSafe, ConnectOptions, PgConnection, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

/// How long a restore or backup waits for SQLite's write lock held by a running server.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) enum Connection {
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

    async fn execute(&mut self, sql: &str) -> Result<(), StoreError> {
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

    /// Starts reading one consistent state of the database while others write: PostgreSQL's
    /// repeatable-read snapshot; SQLite's read transaction, whose snapshot (write-ahead log
    /// mode) is fixed at its first read and kept to its end. Appends committed meanwhile are
    /// not in it, and nothing half-written is.
    pub async fn begin_snapshot(&mut self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(_) => self.execute("BEGIN DEFERRED").await,
            Self::Postgres(_) => {
                self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// Starts the one transaction a restore writes in: all of it or nothing.
    pub async fn begin_write(&mut self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(_) => self.execute("BEGIN IMMEDIATE").await,
            Self::Postgres(_) => self.execute("BEGIN").await,
        }
    }

    pub async fn commit(&mut self) -> Result<(), StoreError> {
        self.execute("COMMIT").await
    }

    /// The newest migration applied to the schema.
    pub async fn schema_version(&mut self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        Ok(match self {
            Self::Sqlite(connection) => sqlx::query_scalar(SQL).fetch_one(connection).await?,
            Self::Postgres(connection) => sqlx::query_scalar(SQL).fetch_one(connection).await?,
        })
    }

    /// Whether the schema has `table` (a database made by an older release may lack it).
    pub async fn has_table(&mut self, table: &Table) -> Result<bool, StoreError> {
        Ok(match self {
            Self::Sqlite(connection) => sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            )
            .bind(table.name)
            .fetch_one(connection)
            .await?,
            Self::Postgres(connection) => {
                sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                    .bind(table.name)
                    .fetch_one(connection)
                    .await?
            }
        })
    }

    /// How many rows `table` holds.
    pub async fn count(&mut self, table: &Table) -> Result<u64, StoreError> {
        let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name));
        let count: i64 = match self {
            Self::Sqlite(connection) => sqlx::query_scalar(sql).fetch_one(connection).await?,
            Self::Postgres(connection) => sqlx::query_scalar(sql).fetch_one(connection).await?,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Hands every row of `table`, as portable JSON, to `each`, in order, without holding
    /// the table in memory.
    pub async fn for_each_row(
        &mut self,
        table: &Table,
        mut each: impl FnMut(&str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(connection) => {
                let sql = AssertSqlSafe(table.sqlite_select());
                let mut rows = sqlx::query_scalar::<_, String>(sql).fetch(connection);
                while let Some(row) = rows.try_next().await? {
                    each(&row)?;
                }
            }
            Self::Postgres(connection) => {
                let sql = AssertSqlSafe(table.postgres_select());
                let mut rows = sqlx::query_scalar::<_, String>(sql).fetch(connection);
                while let Some(row) = rows.try_next().await? {
                    each(&row)?;
                }
            }
        }
        Ok(())
    }

    /// Writes the rows of `batch`, a JSON array of rows as [`Self::for_each_row`] gives them.
    pub async fn insert(&mut self, table: &Table, batch: String) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(connection) => {
                sqlx::query(AssertSqlSafe(table.sqlite_insert()))
                    .bind(batch)
                    .execute(connection)
                    .await?;
            }
            Self::Postgres(connection) => {
                sqlx::query(AssertSqlSafe(table.postgres_insert()))
                    .bind(batch)
                    .execute(connection)
                    .await?;
            }
        }
        Ok(())
    }

    /// After the rows are written: PostgreSQL's own row numbers continue after them.
    pub async fn after_restore(&mut self, table: &Table) -> Result<(), StoreError> {
        if let (Self::Postgres(connection), Some(sql)) =
            (&mut *self, table.postgres_sequence_reset())
        {
            sqlx::query(AssertSqlSafe(sql)).execute(connection).await?;
        }
        Ok(())
    }
}
