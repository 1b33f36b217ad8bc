//! The few statements a backup needs on its one connection: a snapshot to read in, a
//! transaction to write in, rows as portable JSON.

use super::tables::Table;
use crate::StoreError;
use crate::connection::Connection;
use futures::TryStreamExt;
use sqlx::AssertSqlSafe;

impl Connection {
    /// Starts reading one consistent state of the database while others write: PostgreSQL's
    /// repeatable-read snapshot; SQLite's read transaction, whose snapshot (write-ahead log
    /// mode) is fixed at its first read and kept to its end. Appends committed meanwhile are
    /// not in it, and nothing half-written is.
    pub(super) async fn begin_snapshot(&mut self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(_) => self.execute("BEGIN DEFERRED").await,
            Self::Postgres(_) => {
                self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// Starts the one transaction a restore writes in: all of it or nothing.
    pub(super) async fn begin_write(&mut self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(_) => self.execute("BEGIN IMMEDIATE").await,
            Self::Postgres(_) => self.execute("BEGIN").await,
        }
    }

    pub(super) async fn commit(&mut self) -> Result<(), StoreError> {
        self.execute("COMMIT").await
    }

    /// The newest migration applied to the schema (0 before the first).
    pub(super) async fn schema_version(&mut self) -> Result<i64, StoreError> {
        Ok(self.applied_versions().await?.last().copied().unwrap_or(0))
    }

    /// How many rows `table` holds.
    pub(super) async fn count(&mut self, table: &Table) -> Result<u64, StoreError> {
        let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name));
        let count: i64 = match self {
            Self::Sqlite(connection) => sqlx::query_scalar(sql).fetch_one(connection).await?,
            Self::Postgres(connection) => sqlx::query_scalar(sql).fetch_one(connection).await?,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Hands every row of `table`, as portable JSON, to `each`, in order, without holding
    /// the table in memory.
    pub(super) async fn for_each_row(
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
    pub(super) async fn insert(&mut self, table: &Table, batch: String) -> Result<(), StoreError> {
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
    pub(super) async fn after_restore(&mut self, table: &Table) -> Result<(), StoreError> {
        if let (Self::Postgres(connection), Some(sql)) =
            (&mut *self, table.postgres_sequence_reset())
        {
            sqlx::query(AssertSqlSafe(sql)).execute(connection).await?;
        }
        Ok(())
    }
}
