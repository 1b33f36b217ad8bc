//! The SQLite writer: how a batch reaches the file.
//!
//! A batch planned on the writer's cache is one INSERT whose condition checks what the plan
//! assumed; outside BEGIN it is its own transaction. When the file is not what the writer knew
//! (another process appended) or the batch is too large for one statement, it is read and
//! planned under `BEGIN IMMEDIATE`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use super::{parse_time, parse_uuid};
use crate::batch::{self, Basis, Head, NewRow, Plan, Snapshot, StoredEvent};
use crate::data_keys::insert_sqlite_keys;
use crate::hash::recorded_at_text;
use crate::row::{self, COLUMNS_PER_ROW, column, corrupt, event_columns, signed, unsigned};
use crate::writer::{Backend, WriterConnection};
use crate::{AppendRequest, NewDataKey, StoreError, canonical_json};

/// Bind parameters in one statement: SQLite's limit.
const MAX_PARAMETERS: usize = 32_766;

/// Rows per INSERT and ids per `IN (...)`: well under SQLite's 32,766 bind parameters.
const ROWS_PER_INSERT: usize = 1_000;
const IDS_PER_LOOKUP: usize = 1_000;

/// The writer task's side: its own connection, reopened after a failure.
pub(super) struct SqliteWriter {
    connection: WriterConnection<SqliteConnection>,
}

impl SqliteWriter {
    /// A writer that connects with `options` when it first needs to.
    pub(super) fn new(options: SqliteConnectOptions) -> Self {
        Self {
            connection: WriterConnection::new(options),
        }
    }
}

#[async_trait]
impl Backend for SqliteWriter {
    async fn append_if_unchanged(
        &mut self,
        basis: &Basis,
        rows: &[NewRow],
        keys: &[NewDataKey],
    ) -> Result<bool, StoreError> {
        let parameters =
            rows.len() * COLUMNS_PER_ROW + 3 + 2 * basis.guessed.len() + basis.new_ids.len();
        if parameters > MAX_PARAMETERS {
            return Ok(false);
        }
        let connection = self.connection.get().await?;
        if rows.is_empty() {
            // Every append refused: a conflict that held in a consistent read is a true answer,
            // and there is nothing to write.
            let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
            push_unchanged(&mut query, basis)?;
            return Ok(query.build_query_scalar().fetch_one(connection).await?);
        }
        if keys.is_empty() {
            // One statement outside BEGIN is its own transaction, and a statement that writes
            // takes the write lock before it reads (as BEGIN IMMEDIATE does), so the check and
            // the insert cannot be split by another connection, of this process or another.
            let inserted = insert_if_unchanged(connection, basis, rows).await?;
            return all_or_none(inserted, rows);
        }
        // The keys in the same transaction, inserted only if the events are.
        let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
        let inserted = insert_if_unchanged(&mut tx, basis, rows).await?;
        if !all_or_none(inserted, rows)? {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_sqlite_keys(&mut tx, keys).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn append_locked(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        let connection = self.connection.get().await?;
        let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
        let snapshot = Snapshot {
            head: read_head(&mut tx).await?,
            versions: stream_versions(&mut tx, requests).await?,
            stored: stored_events(&mut tx, requests).await?,
        };
        let plan = batch::plan(requests, snapshot, now);
        for rows in plan.rows.chunks(ROWS_PER_INSERT) {
            insert(&mut tx, rows).await?;
        }
        insert_sqlite_keys(&mut tx, &plan.keys).await?;
        tx.commit().await?;
        Ok(plan)
    }

    fn reset(&mut self) {
        self.connection.reset();
    }

    async fn shutdown(&mut self) {
        self.connection.close().await;
    }
}

/// Inserts `rows` if the database is as `basis` says, in one statement; returns how many rows
/// it inserted.
async fn insert_if_unchanged(
    connection: &mut SqliteConnection,
    basis: &Basis,
    rows: &[NewRow],
) -> Result<u64, StoreError> {
    let mut query = QueryBuilder::<Sqlite>::new(concat!(
        "INSERT INTO events (",
        event_columns!(),
        ") SELECT * FROM ("
    ));
    push_rows(&mut query, rows)?;
    // An uncorrelated condition is evaluated once, and a SELECT that reads the table it
    // inserts into is run to the end before the first row is inserted: all rows or none.
    query.push(") WHERE ");
    push_unchanged(&mut query, basis)?;
    Ok(query.build().execute(connection).await?.rows_affected())
}

/// Whether every row was inserted (`false`: none was); an error for anything in between.
fn all_or_none(inserted: u64, rows: &[NewRow]) -> Result<bool, StoreError> {
    match usize::try_from(inserted) {
        Ok(0) => Ok(false),
        Ok(n) if n == rows.len() => Ok(true),
        _ => Err(StoreError::Database(sqlx::Error::Protocol(format!(
            "{inserted} of {} rows inserted",
            rows.len()
        )))),
    }
}

/// A condition that holds while the database is as `basis` says: the chain ends at its head,
/// its guessed streams are at the guessed versions, and none of its new ids is stored.
fn push_unchanged(query: &mut QueryBuilder<Sqlite>, basis: &Basis) -> Result<(), StoreError> {
    let position = signed(basis.head.map_or(0, |head| head.position))?;
    let hash = basis.head.map(|head| head.hash.to_vec());
    query
        .push("COALESCE((SELECT position = ")
        .push_bind(position)
        .push(" AND hash = ")
        .push_bind(hash)
        .push(" FROM events ORDER BY position DESC LIMIT 1), ")
        .push_bind(position)
        .push(" = 0)");
    if !basis.guessed.is_empty() {
        query.push(" AND NOT EXISTS (SELECT 1 FROM (");
        let mut versions = Vec::with_capacity(basis.guessed.len());
        for (stream, version) in &basis.guessed {
            versions.push((stream.as_str(), signed(*version)?));
        }
        query.push_values(versions, |mut row, (stream, version)| {
            row.push_bind(stream).push_bind(version);
        });
        // VALUES names its columns column1, column2.
        query.push(
            ") AS s WHERE COALESCE((SELECT e.stream_version FROM events e \
             WHERE e.stream_id = s.column1 ORDER BY e.stream_version DESC LIMIT 1), 0) \
             <> s.column2)",
        );
    }
    if !basis.new_ids.is_empty() {
        query.push(" AND NOT EXISTS (SELECT 1 FROM events WHERE event_id IN (");
        let mut ids = query.separated(", ");
        for id in &basis.new_ids {
            ids.push_bind(id.to_string());
        }
        query.push("))");
    }
    Ok(())
}

async fn read_head(tx: &mut SqliteConnection) -> Result<Option<Head>, StoreError> {
    let sql = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1";
    let Some(found) = sqlx::query(sql).fetch_optional(&mut *tx).await? else {
        return Ok(None);
    };
    let position = unsigned(column(&found, "position", 0)?, 0, "position")?;
    let hash = row::hash(column(&found, "hash", position)?, position, "hash")?;
    let recorded_at = parse_time(column(&found, "recorded_at", position)?, position)?;
    Ok(Some(Head {
        position,
        hash,
        recorded_at,
    }))
}

async fn stream_versions(
    tx: &mut SqliteConnection,
    requests: &[AppendRequest],
) -> Result<HashMap<String, u64>, StoreError> {
    let mut streams: Vec<&str> = requests.iter().map(|r| r.stream_id.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    let mut versions = HashMap::new();
    for chunk in streams.chunks(IDS_PER_LOOKUP) {
        // One backward index probe per stream: MAX(..) GROUP BY would read whole streams.
        let mut query = QueryBuilder::<Sqlite>::new("WITH s(stream_id) AS (VALUES ");
        let mut list = query.separated(", ");
        for stream in chunk {
            list.push("(")
                .push_bind_unseparated(*stream)
                .push_unseparated(")");
        }
        query.push(
            ") SELECT s.stream_id, (SELECT e.stream_version FROM events e \
             WHERE e.stream_id = s.stream_id ORDER BY e.stream_version DESC LIMIT 1) AS version \
             FROM s",
        );
        for found in query.build().fetch_all(&mut *tx).await? {
            if let Some(version) = column::<_, Option<i64>>(&found, "version", 0)? {
                let version = unsigned(version, 0, "stream_version")?;
                versions.insert(column(&found, "stream_id", 0)?, version);
            }
        }
    }
    Ok(versions)
}

async fn stored_events(
    tx: &mut SqliteConnection,
    requests: &[AppendRequest],
) -> Result<HashMap<Uuid, StoredEvent>, StoreError> {
    let ids: Vec<String> = requests
        .iter()
        .flat_map(|r| &r.events)
        .map(|e| e.event_id.to_string())
        .collect();
    let mut stored = HashMap::new();
    for chunk in ids.chunks(IDS_PER_LOOKUP) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT position, stream_id, stream_version, event_id, event_type, data \
             FROM events WHERE event_id IN (",
        );
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.as_str());
        }
        query.push(")");
        for found in query.build().fetch_all(&mut *tx).await? {
            let position = unsigned(column(&found, "position", 0)?, 0, "position")?;
            let event_id = parse_uuid(column(&found, "event_id", position)?, position)?;
            let data: serde_json::Value = serde_json::from_str(column(&found, "data", position)?)
                .map_err(|e| corrupt(position, format!("data: {e}")))?;
            let stream_version = column(&found, "stream_version", position)?;
            let event = StoredEvent {
                position,
                stream_id: column(&found, "stream_id", position)?,
                stream_version: unsigned(stream_version, position, "stream_version")?,
                event_type: column(&found, "event_type", position)?,
                data: canonical_json(&data),
            };
            stored.insert(event_id, event);
        }
    }
    Ok(stored)
}

async fn insert(tx: &mut SqliteConnection, rows: &[NewRow]) -> Result<(), StoreError> {
    let mut query =
        QueryBuilder::<Sqlite>::new(concat!("INSERT INTO events (", event_columns!(), ") "));
    push_rows(&mut query, rows)?;
    query.build().execute(&mut *tx).await?;
    Ok(())
}

/// `VALUES (..), (..)` with the stored form of each row.
fn push_rows(query: &mut QueryBuilder<Sqlite>, rows: &[NewRow]) -> Result<(), StoreError> {
    debug_assert!(rows.len() * COLUMNS_PER_ROW <= MAX_PARAMETERS);
    let mut values = Vec::with_capacity(rows.len());
    for new in rows {
        values.push((
            signed(new.event.position)?,
            signed(new.event.stream_version)?,
            new,
        ));
    }
    query.push_values(values, |mut row, (position, stream_version, new)| {
        let event = &new.event;
        row.push_bind(position)
            .push_bind(event.stream_id.as_str())
            .push_bind(stream_version)
            .push_bind(event.event_id.to_string())
            .push_bind(event.event_type.as_str())
            .push_bind(event.schema_version)
            // The canonical form is stored, so the bytes on disk are the bytes the hash covers.
            .push_bind(new.data_json.as_str())
            .push_bind(new.metadata_json.as_str())
            // The same RFC 3339 string the hash covers.
            .push_bind(recorded_at_text(event.recorded_at))
            .push_bind(&event.prev_hash[..])
            .push_bind(&event.hash[..]);
    });
    Ok(())
}
