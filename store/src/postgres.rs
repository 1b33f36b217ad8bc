//! The PostgreSQL backend, which several replicas can share.
//!
//! Each batch transaction takes one transaction-scoped advisory lock and reads the chain head
//! after taking it, so writers in different processes take turns and extend one chain. The
//! lock is released only once the commit is visible, so positions also become visible in
//! order. Commits are announced with NOTIFY; every process listens, and polls as a fallback.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Postgres, QueryBuilder};
use tokio::sync::watch;
use tokio::task::AbortHandle;
use uuid::Uuid;

use crate::batch::{self, Head, Plan, Snapshot, StoredEvent};
use crate::row::{self, COLUMNS_PER_ROW, bound, column, event_columns, signed, unsigned};
use crate::writer::{Backend, Writer, advance};
use crate::{AppendRequest, AppendResult, EventStore, RecordedEvent, StoreError, canonical_json};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The advisory lock that serializes appends across processes ("CASETRL" in ASCII, so that it
/// is recognisable in `pg_locks` and unlikely to collide with another application's key).
const APPEND_LOCK: i64 = 0x4341_5345_5452_4C00;

/// The NOTIFY channel announcing the head position after each commit.
pub const CHANNEL: &str = "casetrail_events";

/// Fallback for lost notifications (listener reconnecting): how often the head is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Wait before re-creating a failed listener, so a database outage is not a busy loop.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Readers at once.
const READ_CONNECTIONS: u32 = 8;

/// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters.
const ROWS_PER_INSERT: usize = 2_000;

/// The event store on a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresEventStore {
    pool: PgPool,
    writer: Writer,
    head: Arc<watch::Sender<u64>>,
    followers: Vec<AbortHandle>,
}

impl PostgresEventStore {
    /// Connects to the database at a `postgres:` URL and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        // Plan every execution with its parameters and the current statistics. A cached
        // generic plan chosen while the log was nearly empty would otherwise stay in use as the
        // log grows: in the benchmark it made the writer's event-id look-up take milliseconds,
        // growing with the table, instead of ~0.1 ms.
        let options =
            PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options.clone())
            .await?;
        // sqlx takes its own advisory lock while migrating, so replicas may start together.
        MIGRATOR.run(&pool).await?;
        let head = Arc::new(watch::channel(max_position(&pool).await?).0);
        let writer = Writer::spawn(
            PgWriter {
                options,
                connection: None,
            },
            head.clone(),
        );
        let followers = vec![
            tokio::spawn(follow_notifications(url.to_owned(), head.clone())).abort_handle(),
            tokio::spawn(poll_head(pool.clone(), head.clone())).abort_handle(),
        ];
        Ok(Self {
            pool,
            writer,
            head,
            followers,
        })
    }
}

impl Drop for PostgresEventStore {
    fn drop(&mut self) {
        // The followers hold a pool and would otherwise outlive the store.
        self.followers.iter().for_each(AbortHandle::abort);
    }
}

#[async_trait]
impl EventStore for PostgresEventStore {
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
            " FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version"
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
            " FROM events WHERE position > $1 ORDER BY position LIMIT $2"
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
            " FROM events WHERE event_id = $1"
        );
        let row = sqlx::query(sql)
            .bind(event_id)
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
        self.followers.iter().for_each(AbortHandle::abort);
        self.pool.close().await;
    }
}

async fn max_position(pool: &PgPool) -> Result<u64, StoreError> {
    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
        .fetch_one(pool)
        .await?;
    unsigned(max, 0, "position")
}

/// Moves the head when another process commits, as announced by NOTIFY.
async fn follow_notifications(url: String, head: Arc<watch::Sender<u64>>) {
    loop {
        if let Err(error) = listen(&url, &head).await {
            tracing::warn!(%error, "event store listener failed; reconnecting");
        }
        tokio::time::sleep(RECONNECT_DELAY).await;
    }
}

async fn listen(url: &str, head: &watch::Sender<u64>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        // `recv` reconnects by itself; notifications lost meanwhile are caught by the poll.
        let notification = listener.recv().await?;
        match notification.payload().parse() {
            Ok(position) => advance(head, position),
            Err(_) => tracing::warn!(payload = notification.payload(), "unexpected notification"),
        }
    }
}

/// Moves the head from the database now and then, in case a notification was lost.
async fn poll_head(pool: PgPool, head: Arc<watch::Sender<u64>>) {
    let mut ticks = tokio::time::interval(POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match max_position(&pool).await {
            Ok(position) => advance(&head, position),
            Err(error) => tracing::debug!(%error, "event store head poll failed"),
        }
    }
}

/// The writer task's side: its own connection, reopened after a failure.
struct PgWriter {
    options: PgConnectOptions,
    connection: Option<PgConnection>,
}

#[async_trait]
impl Backend for PgWriter {
    async fn write_batch(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        if self.connection.is_none() {
            self.connection = Some(self.options.connect().await?);
        }
        let connection = self.connection.as_mut().ok_or(StoreError::Closed)?;
        let mut tx = connection.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *tx)
            .await?;
        // Read only after the lock: under READ COMMITTED each statement sees every commit made
        // before it started, including other replicas' batches.
        let snapshot = Snapshot {
            head: read_head(&mut tx).await?,
            versions: stream_versions(&mut tx, requests).await?,
            stored: stored_events(&mut tx, requests).await?,
        };
        let plan = batch::plan(requests, snapshot, now);
        for rows in plan.rows.chunks(ROWS_PER_INSERT) {
            insert(&mut tx, rows).await?;
        }
        if let Some(position) = plan.new_head() {
            // Delivered to listeners only when the transaction commits.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(position.to_string())
                .execute(&mut *tx)
                .await?;
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

async fn read_head(tx: &mut PgConnection) -> Result<Option<Head>, StoreError> {
    let sql = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1";
    let Some(found) = sqlx::query(sql).fetch_optional(&mut *tx).await? else {
        return Ok(None);
    };
    let position = unsigned(column(&found, "position", 0)?, 0, "position")?;
    let hash: Vec<u8> = column(&found, "hash", position)?;
    Ok(Some(Head {
        position,
        hash: row::hash(&hash, position, "hash")?,
        recorded_at: column(&found, "recorded_at", position)?,
    }))
}

async fn stream_versions(
    tx: &mut PgConnection,
    requests: &[AppendRequest],
) -> Result<HashMap<String, u64>, StoreError> {
    let mut streams: Vec<&str> = requests.iter().map(|r| r.stream_id.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    // One backward index probe per stream: MAX(..) GROUP BY would read whole streams.
    let sql = "SELECT s.stream_id, (SELECT e.stream_version FROM events e \
               WHERE e.stream_id = s.stream_id ORDER BY e.stream_version DESC LIMIT 1) AS version \
               FROM unnest($1::text[]) AS s(stream_id)";
    let mut versions = HashMap::new();
    for found in sqlx::query(sql).bind(streams).fetch_all(&mut *tx).await? {
        if let Some(version) = column::<_, Option<i64>>(&found, "version", 0)? {
            let version = unsigned(version, 0, "stream_version")?;
            versions.insert(column(&found, "stream_id", 0)?, version);
        }
    }
    Ok(versions)
}

async fn stored_events(
    tx: &mut PgConnection,
    requests: &[AppendRequest],
) -> Result<HashMap<Uuid, StoredEvent>, StoreError> {
    let ids: Vec<Uuid> = requests
        .iter()
        .flat_map(|r| &r.events)
        .map(|e| e.event_id)
        .collect();
    let sql = "SELECT position, stream_id, stream_version, event_id, event_type, data \
               FROM events WHERE event_id = ANY($1)";
    let mut stored = HashMap::new();
    for found in sqlx::query(sql).bind(ids).fetch_all(&mut *tx).await? {
        let position = unsigned(column(&found, "position", 0)?, 0, "position")?;
        let stream_version = column(&found, "stream_version", position)?;
        let data: serde_json::Value = column(&found, "data", position)?;
        let event = StoredEvent {
            position,
            stream_id: column(&found, "stream_id", position)?,
            stream_version: unsigned(stream_version, position, "stream_version")?,
            event_type: column(&found, "event_type", position)?,
            data: canonical_json(&data),
        };
        stored.insert(column(&found, "event_id", position)?, event);
    }
    Ok(stored)
}

async fn insert(tx: &mut PgConnection, rows: &[RecordedEvent]) -> Result<(), StoreError> {
    debug_assert!(rows.len() * COLUMNS_PER_ROW < 65_535);
    let mut query =
        QueryBuilder::<Postgres>::new(concat!("INSERT INTO events (", event_columns!(), ") "));
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
            .push_bind(event.event_id)
            .push_bind(event.event_type.as_str())
            .push_bind(event.schema_version)
            .push_bind(&event.data)
            .push_bind(&event.metadata)
            .push_bind(event.recorded_at)
            .push_bind(&event.prev_hash[..])
            .push_bind(&event.hash[..]);
    });
    query.build().execute(&mut *tx).await?;
    Ok(())
}

/// Turns a row into an event; anything unreadable is reported as corrupt, never a panic.
fn decode(found: &PgRow) -> Result<RecordedEvent, StoreError> {
    let position = unsigned(column(found, "position", 0)?, 0, "position")?;
    let stream_version = column(found, "stream_version", position)?;
    let prev_hash: Vec<u8> = column(found, "prev_hash", position)?;
    let hash: Vec<u8> = column(found, "hash", position)?;
    Ok(RecordedEvent {
        position,
        stream_id: column(found, "stream_id", position)?,
        stream_version: unsigned(stream_version, position, "stream_version")?,
        event_id: column(found, "event_id", position)?,
        event_type: column(found, "event_type", position)?,
        schema_version: column(found, "schema_version", position)?,
        data: column(found, "data", position)?,
        metadata: column(found, "metadata", position)?,
        recorded_at: column(found, "recorded_at", position)?,
        prev_hash: row::hash(&prev_hash, position, "prev_hash")?,
        hash: row::hash(&hash, position, "hash")?,
    })
}
