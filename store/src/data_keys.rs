//! Keys that seal personal data inside events, kept apart from the events (crypto-shredding):
//! erasing a key makes the data it sealed unreadable without changing the log or its hash
//! chain. A separate trait from [`crate::EventStore`] because keys are mutable state and could
//! move to a key management service without touching the log.
//!
//! The database holds each key only wrapped (encrypted) by a key-encryption key that never
//! enters it: the store neither knows nor needs that key, it keeps opaque bytes and the id of
//! the key that wrapped them. Rows written before wrapping existed hold the key in the clear
//! until the service wraps them ([`StoredKey::Plaintext`]).

use crate::StoreError;
use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// A data key wrapped by a key-encryption key (KEK).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// The id of the KEK that wrapped it.
    pub kek_id: String,
    /// The wrapped key, opaque to the store.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedKey")
            .field("kek_id", &self.kek_id)
            .finish_non_exhaustive()
    }
}

/// A new data key, wrapped, to be stored with the events whose personal data it seals
/// ([`crate::AppendRequest::data_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDataKey {
    /// The key's id, which the sealed data names.
    pub key_id: Uuid,
    /// The key, wrapped by the current KEK.
    pub wrapped: WrappedKey,
}

/// A data key as the database holds it.
#[derive(Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// Wrapped by a KEK: what every key is once the service has started with one.
    Wrapped(WrappedKey),
    /// In the clear: written before keys were wrapped, waiting to be wrapped.
    Plaintext([u8; 32]),
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredKey::Wrapped(wrapped) => wrapped.fmt(f),
            StoredKey::Plaintext(_) => f.write_str("Plaintext(..)"),
        }
    }
}

/// Where data keys live.
#[async_trait]
pub trait DataKeyStore: Send + Sync + std::fmt::Debug {
    /// The key, or `None` if it never existed or has been erased.
    async fn get(&self, key_id: Uuid) -> Result<Option<StoredKey>, StoreError>;

    /// Erases keys for ever, in one statement, durably before it returns; returns how many
    /// were there (already erased and unknown ids count nothing). Follow it with
    /// [`DataKeyStore::purge`] so no copy of the bytes lingers in the files.
    async fn erase(&self, key_ids: &[Uuid]) -> Result<u64, StoreError>;

    /// Up to `limit` keys, in id order after `after`, that are not wrapped by the KEK
    /// `kek_id` (plaintext ones included): the keys a rotation must rewrap. With no `kek_id`,
    /// the plaintext keys only (what a start-up wraps), without reading the wrapped ones.
    async fn needing_rewrap(
        &self,
        kek_id: Option<&str>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<(Uuid, StoredKey)>, StoreError>;

    /// Replaces a key's stored form with `new` if it is still `old` (so a key erased or
    /// rewrapped meanwhile is left alone); returns whether it was replaced.
    async fn replace(
        &self,
        key_id: Uuid,
        old: &StoredKey,
        new: &WrappedKey,
    ) -> Result<bool, StoreError>;

    /// Removes superseded copies of erased or replaced keys that the database keeps for its
    /// own recovery: SQLite checkpoints and truncates its write-ahead log (its pages were
    /// already zeroed by `secure_delete`); PostgreSQL vacuums the table.
    async fn purge(&self) -> Result<(), StoreError>;
}

/// Opens the key table of the database the event store uses. Open the event store first: it
/// applies the migrations that create the table.
pub async fn open_data_keys(database_url: &str) -> Result<Arc<dyn DataKeyStore>, StoreError> {
    if crate::is_postgres(database_url) {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect(database_url)
            .await?;
        Ok(Arc::new(PostgresDataKeys { pool }))
    } else if database_url.starts_with("sqlite:") {
        // secure_delete: SQLite overwrites a deleted or rewritten row with zeros in the page
        // instead of leaving its bytes in free space, so an erased key is not in the file.
        let options = SqliteConnectOptions::from_str(database_url)?
            .busy_timeout(Duration::from_secs(10))
            .pragma("secure_delete", "ON");
        // Reads (new keys are written by the event store's writer, with their events).
        let reads = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Normal))
            .await?;
        // Erasures: no event follows to flush them, so they are flushed themselves.
        let erasures = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.synchronous(SqliteSynchronous::Full))
            .await?;
        Ok(Arc::new(SqliteDataKeys { reads, erasures }))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

/// The stored form from a row's `key`, `wrapped_key` and `kek_id` columns.
fn stored_key(
    plaintext: Option<Vec<u8>>,
    wrapped: Option<Vec<u8>>,
    kek_id: Option<String>,
) -> Option<StoredKey> {
    match (wrapped, kek_id, plaintext) {
        (Some(bytes), Some(kek_id), _) => Some(StoredKey::Wrapped(WrappedKey { kek_id, bytes })),
        (_, _, Some(plain)) => <[u8; 32]>::try_from(plain.as_slice())
            .ok()
            .map(StoredKey::Plaintext),
        _ => None,
    }
}

fn sqlite_row_key(row: &SqliteRow) -> Option<StoredKey> {
    stored_key(
        row.try_get("key").ok().flatten(),
        row.try_get("wrapped_key").ok().flatten(),
        row.try_get("kek_id").ok().flatten(),
    )
}

fn pg_row_key(row: &PgRow) -> Option<StoredKey> {
    stored_key(
        row.try_get("key").ok().flatten(),
        row.try_get("wrapped_key").ok().flatten(),
        row.try_get("kek_id").ok().flatten(),
    )
}

/// The columns a compare-and-set matches: `(key, wrapped_key)` of the old form.
fn old_columns(old: &StoredKey) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    match old {
        StoredKey::Wrapped(wrapped) => (None, Some(wrapped.bytes.clone())),
        StoredKey::Plaintext(plain) => (Some(plain.to_vec()), None),
    }
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Inserts new keys on the event store's writer connection, in the transaction of the events
/// they seal (see [`crate::AppendRequest::data_keys`]). A key already stored, or erased since,
/// is left as it is: a retried command cannot bring an erased key back.
pub(crate) async fn insert_sqlite_keys(
    connection: &mut sqlx::SqliteConnection,
    keys: &[NewDataKey],
) -> Result<(), StoreError> {
    let created_at = now_text();
    // Four parameters a key: well under SQLite's 32,766.
    for chunk in keys.chunks(1_000) {
        let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO data_keys (key_id, wrapped_key, kek_id, created_at) ",
        );
        query.push_values(chunk, |mut row, key| {
            row.push_bind(key.key_id.to_string())
                .push_bind(key.wrapped.bytes.as_slice())
                .push_bind(key.wrapped.kek_id.as_str())
                .push_bind(created_at.as_str());
        });
        query.push(" ON CONFLICT (key_id) DO NOTHING");
        query.build().execute(&mut *connection).await?;
    }
    Ok(())
}

/// The keys as three arrays (ids, wrapped bytes, KEK ids), for PostgreSQL's `UNNEST`.
pub(crate) fn key_columns(keys: &[NewDataKey]) -> (Vec<Uuid>, Vec<&[u8]>, Vec<&str>) {
    let mut columns = (
        Vec::with_capacity(keys.len()),
        Vec::with_capacity(keys.len()),
        Vec::with_capacity(keys.len()),
    );
    for key in keys {
        columns.0.push(key.key_id);
        columns.1.push(key.wrapped.bytes.as_slice());
        columns.2.push(key.wrapped.kek_id.as_str());
    }
    columns
}

/// Data keys in SQLite.
#[derive(Debug)]
pub struct SqliteDataKeys {
    reads: SqlitePool,
    erasures: SqlitePool,
}

#[async_trait]
impl DataKeyStore for SqliteDataKeys {
    async fn get(&self, key_id: Uuid) -> Result<Option<StoredKey>, StoreError> {
        let row = sqlx::query("SELECT key, wrapped_key, kek_id FROM data_keys WHERE key_id = ?")
            .bind(key_id.to_string())
            .fetch_optional(&self.reads)
            .await?;
        Ok(row.as_ref().and_then(sqlite_row_key))
    }

    async fn erase(&self, key_ids: &[Uuid]) -> Result<u64, StoreError> {
        // The ids as one JSON array: no limit on bound parameters, one statement.
        let ids: Vec<String> = key_ids.iter().map(Uuid::to_string).collect();
        let ids = serde_json::Value::from(ids).to_string();
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, wrapped_key = NULL, erased_at = ? \
             WHERE key_id IN (SELECT value FROM json_each(?)) \
             AND (key IS NOT NULL OR wrapped_key IS NOT NULL)",
        )
        .bind(now_text())
        .bind(ids)
        .execute(&self.erasures)
        .await?;
        Ok(done.rows_affected())
    }

    async fn needing_rewrap(
        &self,
        kek_id: Option<&str>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<(Uuid, StoredKey)>, StoreError> {
        let rows = sqlx::query(
            "SELECT key_id, key, wrapped_key, kek_id FROM data_keys \
             WHERE key_id > ?1 AND (key IS NOT NULL \
             OR (?2 IS NOT NULL AND wrapped_key IS NOT NULL AND kek_id <> ?2)) \
             ORDER BY key_id LIMIT ?3",
        )
        .bind(after.map(|id| id.to_string()).unwrap_or_default())
        .bind(kek_id)
        .bind(i64::from(limit))
        .fetch_all(&self.reads)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let id: String = row.try_get("key_id").ok()?;
                Some((Uuid::parse_str(&id).ok()?, sqlite_row_key(row)?))
            })
            .collect())
    }

    async fn replace(
        &self,
        key_id: Uuid,
        old: &StoredKey,
        new: &WrappedKey,
    ) -> Result<bool, StoreError> {
        let (old_plain, old_wrapped) = old_columns(old);
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, wrapped_key = ?, kek_id = ? \
             WHERE key_id = ? AND key IS ? AND wrapped_key IS ?",
        )
        .bind(new.bytes.as_slice())
        .bind(&new.kek_id)
        .bind(key_id.to_string())
        .bind(old_plain)
        .bind(old_wrapped)
        .execute(&self.erasures)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn purge(&self) -> Result<(), StoreError> {
        // TRUNCATE waits (busy timeout) for readers of older snapshots; a reader that holds
        // on past it leaves the checkpoint incomplete, so it is tried again a few times.
        for attempt in 0..20u64 {
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.erasures)
                .await?;
            let busy: i64 = row.try_get(0)?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50 * (attempt + 1))).await;
        }
        Err(StoreError::CheckpointBusy(
            "readers kept the write-ahead log busy",
        ))
    }
}

/// Data keys in PostgreSQL.
#[derive(Debug)]
pub struct PostgresDataKeys {
    pool: PgPool,
}

#[async_trait]
impl DataKeyStore for PostgresDataKeys {
    async fn get(&self, key_id: Uuid) -> Result<Option<StoredKey>, StoreError> {
        let row = sqlx::query("SELECT key, wrapped_key, kek_id FROM data_keys WHERE key_id = $1")
            .bind(key_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().and_then(pg_row_key))
    }

    async fn erase(&self, key_ids: &[Uuid]) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, wrapped_key = NULL, erased_at = now() \
             WHERE key_id = ANY($1) AND (key IS NOT NULL OR wrapped_key IS NOT NULL)",
        )
        .bind(key_ids)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn needing_rewrap(
        &self,
        kek_id: Option<&str>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<(Uuid, StoredKey)>, StoreError> {
        let rows = sqlx::query(
            "SELECT key_id, key, wrapped_key, kek_id FROM data_keys \
             WHERE key_id > $1 AND (key IS NOT NULL \
             OR ($2::text IS NOT NULL AND wrapped_key IS NOT NULL AND kek_id <> $2)) \
             ORDER BY key_id LIMIT $3",
        )
        .bind(after.unwrap_or(Uuid::nil()))
        .bind(kek_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| Some((row.try_get("key_id").ok()?, pg_row_key(row)?)))
            .collect())
    }

    async fn replace(
        &self,
        key_id: Uuid,
        old: &StoredKey,
        new: &WrappedKey,
    ) -> Result<bool, StoreError> {
        let (old_plain, old_wrapped) = old_columns(old);
        let done = sqlx::query(
            "UPDATE data_keys SET key = NULL, wrapped_key = $1, kek_id = $2 \
             WHERE key_id = $3 AND key IS NOT DISTINCT FROM $4 \
             AND wrapped_key IS NOT DISTINCT FROM $5",
        )
        .bind(new.bytes.as_slice())
        .bind(&new.kek_id)
        .bind(key_id)
        .bind(old_plain)
        .bind(old_wrapped)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn purge(&self) -> Result<(), StoreError> {
        // Dead row versions stay in the table's pages until vacuumed. Copies in the WAL, in
        // archived WAL and in backups remain: they hold the key wrapped, useless without the
        // KEK (docs/security.md says what an operator does about them).
        sqlx::query("VACUUM data_keys").execute(&self.pool).await?;
        Ok(())
    }
}
