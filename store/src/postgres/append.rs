//! The PostgreSQL writer: how a batch reaches the database.
//!
//! A batch planned on the writer's cache is one statement, `events_append` (migration 0004),
//! which takes the append lock, checks what the plan assumed and inserts. When the log is not
//! what the writer knew (another replica appended), the batch is read and planned under the
//! lock: BEGIN with the lock, one read, `events_append`, COMMIT.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgHasArrayType, PgRow, PgTypeInfo};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Postgres};
use uuid::Uuid;

use super::{APPEND_LOCK, CHANNEL};
use crate::batch::{self, Basis, Head, NewRow, Plan, Snapshot, StoredEvent};
use crate::data_keys::key_columns;
use crate::row::{self, column, signed, unsigned};
use crate::writer::{Backend, WriterConnection};
use crate::{AppendRequest, NewDataKey, StoreError, canonical_json};

/// The writer task's side: its own connection, reopened after a failure.
pub(super) struct PgWriter {
    connection: WriterConnection<PgConnection>,
}

impl PgWriter {
    /// A writer that connects with `options` when it first needs to.
    pub(super) fn new(options: PgConnectOptions) -> Self {
        Self {
            connection: WriterConnection::new(options),
        }
    }
}

#[async_trait]
impl Backend for PgWriter {
    async fn append_if_unchanged(
        &mut self,
        basis: &Basis,
        rows: &[NewRow],
        keys: &[NewDataKey],
    ) -> Result<bool, StoreError> {
        // One statement outside any transaction block is its own transaction: the lock, the
        // checks, the insert, the keys and the NOTIFY in one round trip, and the answer comes
        // only after the commit (sqlx reads up to ReadyForQuery, which follows the commit).
        let connection = self.connection.get().await?;
        events_append(connection, basis, rows, keys).await
    }

    async fn append_locked(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        let connection = self.connection.get().await?;
        // Sent together, as one simple query: a custom BEGIN statement may hold several.
        let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({APPEND_LOCK})");
        let mut tx = connection.begin_with(AssertSqlSafe(begin)).await?;
        // Read only after the lock: under READ COMMITTED each statement sees every commit made
        // before it started, including other replicas' batches.
        let snapshot = read_snapshot(&mut tx, requests).await?;
        let basis = Basis::read(&snapshot, requests);
        let plan = batch::plan(requests, snapshot, now);
        // The lock is held since the read, so the function's own checks cannot fail.
        if !events_append(&mut tx, &basis, &plan.rows, &plan.keys).await? {
            return Err(StoreError::Database(sqlx::Error::Protocol(
                "the log changed under the append lock".to_owned(),
            )));
        }
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

/// Calls `events_append` (migration 0004): takes the append lock, checks `basis`, and if it
/// holds inserts `rows` and `keys` and announces the new head. Returns whether it did.
async fn events_append(
    connection: &mut PgConnection,
    basis: &Basis,
    rows: &[NewRow],
    keys: &[NewDataKey],
) -> Result<bool, StoreError> {
    let mut guessed_streams = Vec::with_capacity(basis.guessed.len());
    let mut guessed_versions = Vec::with_capacity(basis.guessed.len());
    for (stream, version) in &basis.guessed {
        guessed_streams.push(stream.as_str());
        guessed_versions.push(signed(*version)?);
    }
    let rows = rows
        .iter()
        .map(EventsRow::of)
        .collect::<Result<Vec<_>, _>>()?;
    // With keys, one statement still: the keys' INSERT runs in the same transaction, after
    // the function (it reads its answer) and only if it appended.
    let sql = if keys.is_empty() {
        "SELECT events_append($1, $2, $3, $4, $5, $6, $7, $8)"
    } else {
        "WITH appended AS (SELECT events_append($1, $2, $3, $4, $5, $6, $7, $8) AS ok), \
         keys AS (INSERT INTO data_keys (key_id, wrapped_key, kek_id) \
         SELECT * FROM UNNEST($9::uuid[], $10::bytea[], $11::text[]) \
         WHERE (SELECT ok FROM appended) ON CONFLICT (key_id) DO NOTHING) \
         SELECT ok FROM appended"
    };
    let (key_ids, wrapped, keks) = key_columns(keys);
    let mut query = sqlx::query_scalar(sql)
        .bind(APPEND_LOCK)
        .bind(CHANNEL)
        .bind(signed(basis.head.map_or(0, |head| head.position))?)
        .bind(basis.head.as_ref().map(|head| &head.hash[..]))
        .bind(guessed_streams)
        .bind(guessed_versions)
        .bind(&basis.new_ids)
        .bind(rows);
    if !keys.is_empty() {
        query = query.bind(key_ids).bind(wrapped).bind(keks);
    }
    Ok(query.fetch_one(&mut *connection).await?)
}

/// A row for `events_append`, sent as the composite type `events_row` (migration 0004): the
/// fields, in order, must have exactly the type's column types.
#[derive(sqlx::Encode)]
struct EventsRow<'a> {
    position: i64,
    stream_id: &'a str,
    stream_version: i64,
    event_id: Uuid,
    event_type: &'a str,
    schema_version: i32,
    data: &'a serde_json::Value,
    metadata: &'a serde_json::Value,
    recorded_at: DateTime<Utc>,
    prev_hash: &'a [u8],
    hash: &'a [u8],
}

impl sqlx::Type<Postgres> for EventsRow<'_> {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("events_row")
    }
}

impl PgHasArrayType for EventsRow<'_> {
    fn array_type_info() -> PgTypeInfo {
        PgTypeInfo::array_of("events_row")
    }
}

impl<'a> EventsRow<'a> {
    fn of(row: &'a NewRow) -> Result<Self, StoreError> {
        let event = &row.event;
        Ok(Self {
            position: signed(event.position)?,
            stream_id: &event.stream_id,
            stream_version: signed(event.stream_version)?,
            event_id: event.event_id,
            event_type: &event.event_type,
            schema_version: event.schema_version,
            data: &event.data,
            metadata: &event.metadata,
            recorded_at: event.recorded_at,
            prev_hash: &event.prev_hash,
            hash: &event.hash,
        })
    }
}

/// What a batch depends on, in one statement: the end of the chain (kind 0), the current
/// version of each of its streams (kind 1, NULL for no stream), and those of its event ids
/// already stored (kind 2).
const SNAPSHOT: &str = "\
    SELECT 0 AS kind, position, hash, recorded_at, NULL::text AS stream_id, \
           NULL::bigint AS stream_version, NULL::uuid AS event_id, NULL::text AS event_type, \
           NULL::jsonb AS data \
    FROM (SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1) AS h \
    UNION ALL \
    SELECT 1, NULL, NULL, NULL, s.stream_id, \
           (SELECT e.stream_version FROM events e WHERE e.stream_id = s.stream_id \
            ORDER BY e.stream_version DESC LIMIT 1), NULL, NULL, NULL \
    FROM unnest($1::text[]) AS s(stream_id) \
    UNION ALL \
    SELECT 2, position, NULL, NULL, stream_id, stream_version, event_id, event_type, data \
    FROM events WHERE event_id = ANY($2)";

async fn read_snapshot(
    tx: &mut PgConnection,
    requests: &[AppendRequest],
) -> Result<Snapshot, StoreError> {
    let mut streams: Vec<&str> = requests.iter().map(|r| r.stream_id.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    let ids: Vec<Uuid> = requests
        .iter()
        .flat_map(|r| &r.events)
        .map(|e| e.event_id)
        .collect();
    let mut snapshot = Snapshot::default();
    for found in sqlx::query(SNAPSHOT)
        .bind(streams)
        .bind(ids)
        .fetch_all(&mut *tx)
        .await?
    {
        match column::<_, i32>(&found, "kind", 0)? {
            0 => snapshot.head = Some(head(&found)?),
            1 => {
                if let Some(version) = column::<_, Option<i64>>(&found, "stream_version", 0)? {
                    let version = unsigned(version, 0, "stream_version")?;
                    snapshot
                        .versions
                        .insert(column(&found, "stream_id", 0)?, version);
                }
            }
            _ => {
                let (event_id, event) = stored(&found)?;
                snapshot.stored.insert(event_id, event);
            }
        }
    }
    Ok(snapshot)
}

fn head(found: &PgRow) -> Result<Head, StoreError> {
    let position = unsigned(column(found, "position", 0)?, 0, "position")?;
    let hash: Vec<u8> = column(found, "hash", position)?;
    Ok(Head {
        position,
        hash: row::hash(&hash, position, "hash")?,
        recorded_at: column(found, "recorded_at", position)?,
    })
}

fn stored(found: &PgRow) -> Result<(Uuid, StoredEvent), StoreError> {
    let position = unsigned(column(found, "position", 0)?, 0, "position")?;
    let stream_version = column(found, "stream_version", position)?;
    let data: serde_json::Value = column(found, "data", position)?;
    let event = StoredEvent {
        position,
        stream_id: column(found, "stream_id", position)?,
        stream_version: unsigned(stream_version, position, "stream_version")?,
        event_type: column(found, "event_type", position)?,
        data: canonical_json(&data),
    };
    Ok((column(found, "event_id", position)?, event))
}
