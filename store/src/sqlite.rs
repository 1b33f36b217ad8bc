//! The SQLite backend: one file, one writer connection, a pool of readers.
//!
//! WAL lets readers run while the writer commits; `synchronous = FULL` makes an acknowledged
//! append survive a power cut; `BEGIN IMMEDIATE` takes the write lock up front, so even a
//! second process on the same file cannot interleave with a batch.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Sqlite, SqliteConnection};
use tokio::sync::watch;
use uuid::Uuid;

use crate::batch::{self, Head, Plan, Snapshot, StoredEvent};
use crate::row::{self, COLUMNS_PER_ROW, bound, column, corrupt, event_columns, signed, unsigned};
use crate::writer::{Backend, Writer};
use crate::{AppendRequest, AppendResult, EventStore, RecordedEvent, StoreError, canonical_json};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a connection waits for another one's lock (another process, or a checkpoint).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Readers at once; SQLite in WAL mode reads concurrently, two cores need no more.
const READ_CONNECTIONS: u32 = 4;

/// Rows per INSERT and ids per `IN (...)`: well under SQLite's 32,766 bind parameters.
const ROWS_PER_INSERT: usize = 1_000;
const IDS_PER_LOOKUP: usize = 1_000;

/// The event store on a SQLite file.
#[derive(Debug)]
pub struct SqliteEventStore {
    pool: SqlitePool,
    writer: Writer,
    head: Arc<watch::Sender<u64>>,
}

impl SqliteEventStore {
    /// Opens (creating if missing, with its directory) the database at a `sqlite:` URL and
    /// applies the migrations. `sqlite::memory:` works for experiments but is not durable.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        if let Some(dir) = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        let head = Arc::new(watch::channel(max_position(&pool).await?).0);
        let writer = Writer::spawn(
            SqliteWriter {
                options,
                connection: None,
            },
            head.clone(),
        );
        Ok(Self { pool, writer, head })
    }
}

#[async_trait]
impl EventStore for SqliteEventStore {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        self.writer.append(request).await
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = concat!(
            "SELECT ",
            event_columns!(),
            " FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version"
        );
        let rows = sqlx::query(sql)
            .bind(stream_id)
            .bind(bound(from_version))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    async fn read_all(&self, after: u64, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = concat!(
            "SELECT ",
            event_columns!(),
            " FROM events WHERE position > ? ORDER BY position LIMIT ?"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = sqlx::query(sql)
            .bind(bound(after))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    async fn event_by_id(&self, event_id: Uuid) -> Result<Option<RecordedEvent>, StoreError> {
        let sql = concat!(
            "SELECT ",
            event_columns!(),
            " FROM events WHERE event_id = ?"
        );
        let row = sqlx::query(sql)
            .bind(event_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    async fn head_position(&self) -> Result<u64, StoreError> {
        max_position(&self.pool).await
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.head.subscribe()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

async fn max_position(pool: &SqlitePool) -> Result<u64, StoreError> {
    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
        .fetch_one(pool)
        .await?;
    unsigned(max, 0, "position")
}

/// The writer task's side: its own connection, reopened after a failure.
struct SqliteWriter {
    options: SqliteConnectOptions,
    connection: Option<SqliteConnection>,
}

#[async_trait]
impl Backend for SqliteWriter {
    async fn write_batch(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        if self.connection.is_none() {
            self.connection = Some(self.options.connect().await?);
        }
        let connection = self.connection.as_mut().ok_or(StoreError::Closed)?;
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
        tx.commit().await?;
        Ok(plan)
    }

    fn reset(&mut self) {
        self.connection = None;
    }

    async fn shutdown(&mut self) {
        if let Some(connection) = self.connection.take() {
            let _ = connection.close().await;
        }
    }
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

async fn insert(tx: &mut SqliteConnection, rows: &[RecordedEvent]) -> Result<(), StoreError> {
    debug_assert!(rows.len() * COLUMNS_PER_ROW < 32_766);
    let mut query =
        QueryBuilder::<Sqlite>::new(concat!("INSERT INTO events (", event_columns!(), ") "));
    let mut values = Vec::with_capacity(rows.len());
    for event in rows {
        values.push((
            signed(event.position)?,
            signed(event.stream_version)?,
            event,
        ));
    }
    query.push_values(values, |mut row, (position, stream_version, event)| {
        row.push_bind(position)
            .push_bind(event.stream_id.as_str())
            .push_bind(stream_version)
            .push_bind(event.event_id.to_string())
            .push_bind(event.event_type.as_str())
            .push_bind(event.schema_version)
            // The canonical form is stored, so the bytes on disk are the bytes the hash covers.
            .push_bind(canonical_json(&event.data))
            .push_bind(canonical_json(&event.metadata))
            .push_bind(format_time(event.recorded_at))
            .push_bind(&event.prev_hash[..])
            .push_bind(&event.hash[..]);
    });
    query.build().execute(&mut *tx).await?;
    Ok(())
}

/// Turns a row into an event; anything unreadable is reported as corrupt, never a panic.
fn decode(found: &SqliteRow) -> Result<RecordedEvent, StoreError> {
    let position = unsigned(column(found, "position", 0)?, 0, "position")?;
    let json = |name: &str| -> Result<serde_json::Value, StoreError> {
        let text: &str = column(found, name, position)?;
        serde_json::from_str(text).map_err(|e| corrupt(position, format!("{name}: {e}")))
    };
    let stream_version = column(found, "stream_version", position)?;
    Ok(RecordedEvent {
        position,
        stream_id: column(found, "stream_id", position)?,
        stream_version: unsigned(stream_version, position, "stream_version")?,
        event_id: parse_uuid(column(found, "event_id", position)?, position)?,
        event_type: column(found, "event_type", position)?,
        schema_version: column(found, "schema_version", position)?,
        data: json("data")?,
        metadata: json("metadata")?,
        recorded_at: parse_time(column(found, "recorded_at", position)?, position)?,
        prev_hash: row::hash(column(found, "prev_hash", position)?, position, "prev_hash")?,
        hash: row::hash(column(found, "hash", position)?, position, "hash")?,
    })
}

/// The stored form of `recorded_at`: the same RFC 3339 string the hash covers.
fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_time(text: &str, position: u64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|e| corrupt(position, format!("recorded_at {text:?}: {e}")))
}

fn parse_uuid(text: &str, position: u64) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt(position, format!("event_id {text:?}: {e}")))
}
