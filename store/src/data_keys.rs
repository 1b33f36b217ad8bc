//! Keys that seal personal data inside events, kept apart from the events (crypto-shredding):
//! erasing a key makes the data it sealed unreadable without changing the log or its hash
//! chain. A separate trait from [`crate::EventStore`] because keys are mutable state and could
//! move to a key management service without touching the log.

use crate::StoreError;
use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Where data keys live.
#[async_trait]
pub trait DataKeyStore: Send + Sync + std::fmt::Debug {
    /// Stores a new key. Storing the same id again is a no-op (retries are safe).
    ///
    /// The key is durable once the event that uses it is: it is committed in the same log
    /// (SQLite's WAL, PostgreSQL's WAL) before the event's append, which flushes the log up to
    /// and including it. So it is committed without a flush of its own; a key whose event
    /// never came is harmless. Call it before appending the events that use the key.
    async fn put(&self, key_id: Uuid, key: &[u8; 32]) -> Result<(), StoreError>;

    /// The key, or `None` if it never existed or has been erased.
    async fn get(&self, key_id: Uuid) -> Result<Option<[u8; 32]>, StoreError>;

    /// Erases a key for ever, durably before it returns; returns whether a key was there.
    async fn erase(&self, key_id: Uuid) -> Result<bool, StoreError>;
}

/// Opens the key table of the database the event store uses. Open the event store first: it
/// applies the migrations that create the table.
pub async fn open_data_keys(database_url: &str) -> Result<Arc<dyn DataKeyStore>, StoreError> {
    if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect(database_url)
            .await?;
        Ok(Arc::new(PostgresDataKeys { pool }))
    } else if database_url.starts_with("sqlite:") {
        let options =
            SqliteConnectOptions::from_str(database_url)?.busy_timeout(Duration::from_secs(10));
        // New keys: committed to the WAL without an fsync of their own (see `put`); the
        // event store's next commit, with synchronous = FULL, flushes them with its events.
        let puts = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Normal))
            .await?;
        // Erasures: no event follows to flush them, so they are flushed themselves.
        let erasures = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.synchronous(SqliteSynchronous::Full))
            .await?;
        Ok(Arc::new(SqliteDataKeys { puts, erasures }))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

fn to_key(bytes: Option<Vec<u8>>) -> Option<[u8; 32]> {
    bytes.and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
}

/// Data keys in SQLite.
#[derive(Debug)]
pub struct SqliteDataKeys {
    puts: SqlitePool,
    erasures: SqlitePool,
}

#[async_trait]
impl DataKeyStore for SqliteDataKeys {
    async fn put(&self, key_id: Uuid, key: &[u8; 32]) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO data_keys (key_id, key, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (key_id) DO NOTHING",
        )
        .bind(key_id.to_string())
        .bind(key.as_slice())
        .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
        .execute(&self.puts)
        .await?;
        Ok(())
    }

    async fn get(&self, key_id: Uuid) -> Result<Option<[u8; 32]>, StoreError> {
        let row = sqlx::query("SELECT key FROM data_keys WHERE key_id = ?")
            .bind(key_id.to_string())
            .fetch_optional(&self.puts)
            .await?;
        Ok(to_key(row.and_then(|r| r.try_get("key").ok())))
    }

    async fn erase(&self, key_id: Uuid) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, erased_at = ? WHERE key_id = ? AND key IS NOT NULL",
        )
        .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
        .bind(key_id.to_string())
        .execute(&self.erasures)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// Data keys in PostgreSQL.
#[derive(Debug)]
pub struct PostgresDataKeys {
    pool: PgPool,
}

#[async_trait]
impl DataKeyStore for PostgresDataKeys {
    async fn put(&self, key_id: Uuid, key: &[u8; 32]) -> Result<(), StoreError> {
        // Committed without waiting for the WAL flush (see the trait): the event append's
        // synchronous commit flushes the WAL past this commit record.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO data_keys (key_id, key) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING",
        )
        .bind(key_id)
        .bind(key.as_slice())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get(&self, key_id: Uuid) -> Result<Option<[u8; 32]>, StoreError> {
        let row = sqlx::query("SELECT key FROM data_keys WHERE key_id = $1")
            .bind(key_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(to_key(row.and_then(|r| r.try_get("key").ok())))
    }

    async fn erase(&self, key_id: Uuid) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, erased_at = now() WHERE key_id = $1 AND key IS NOT NULL",
        )
        .bind(key_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
