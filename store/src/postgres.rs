//! The PostgreSQL backend, which several replicas can share.
//!
//! Each batch transaction takes one transaction-scoped advisory lock and checks or reads the
//! chain head after taking it, so writers in different processes take turns and extend one
//! chain (see [`append`]). The lock is released only once the commit is visible, so positions
//! also become visible in order. Commits are announced with NOTIFY; every process listens, and
//! polls as a fallback.

mod append;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use tokio::sync::watch;
use tokio::task::AbortHandle;
use uuid::Uuid;

use crate::row::{self, bound, column, event_columns, unsigned};
use crate::writer::{Writer, advance};
use crate::{AppendRequest, AppendResult, EventStore, RecordedEvent, StoreError};
use append::PgWriter;

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

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
        let writer = Writer::spawn(PgWriter::new(options), head.clone());
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
        let rows = sqlx::query(sql)
            .bind(bound(after))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch(&self.pool);
        row::decode_each(rows, limit, decode).await
    }

    fn read_recent(&self, after: u64, limit: usize) -> Option<Vec<Arc<RecordedEvent>>> {
        self.writer.recent(after, limit)
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

    fn pool_state(&self) -> crate::PoolState {
        crate::PoolState {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
        }
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
