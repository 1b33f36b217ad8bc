//! The SQLite backend: one file, one writer connection, a pool of readers.
//!
//! WAL lets readers run while the writer commits; `synchronous = FULL` makes an acknowledged
//! append survive a power cut; every batch takes the write lock before it reads (see
//! [`append`]), so even a second process on the same file cannot interleave with a batch.

mod append;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use tokio::sync::watch;
use uuid::Uuid;

use crate::row::{self, bound, column, corrupt, event_columns, unsigned};
use crate::writer::Writer;
use crate::{AppendRequest, AppendResult, EventStore, RecordedEvent, StoreError};
use append::SqliteWriter;

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a connection waits for another one's lock (another process, or a checkpoint).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Readers at once; SQLite in WAL mode reads concurrently, two cores need no more.
const READ_CONNECTIONS: u32 = 4;

/// Rows a reading connection may hand over ahead of its reader. With sqlx's default of 50,
/// the connection's thread and the reader woke each other every few dozen rows while the log
/// was read at start-up. Four times as many started about 5% faster and held about 15 MiB more.
const ROW_BUFFER: usize = 256;

/// How long the checkpointer lets appends gather in the write-ahead log before it copies them
/// into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// The event store on a SQLite file.
#[derive(Debug)]
pub struct SqliteEventStore {
    pool: SqlitePool,
    writer: Writer,
    head: Arc<watch::Sender<u64>>,
    checkpointer: tokio::task::JoinHandle<()>,
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
            // A directory made here is its owner's only, like the file.
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(sqlx::Error::Io)?;
        }
        create_private(options.get_filename()).map_err(sqlx::Error::Io)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options.clone().row_buffer_size(ROW_BUFFER))
            .await?;
        MIGRATOR.run(&pool).await?;
        let head = Arc::new(watch::channel(max_position(&pool).await?).0);
        // SQLite checkpoints the write-ahead log in the connection whose commit made it long,
        // inside that commit's call: on the writer, a batch now and then waited for the
        // database file's copy and flush. The checkpointer does it beside the writer instead.
        let writer_options = options.pragma("wal_autocheckpoint", "0");
        let writer = Writer::spawn(SqliteWriter::new(writer_options), head.clone());
        let checkpointer = tokio::spawn(checkpoint_after_appends(pool.clone(), head.subscribe()));
        Ok(Self {
            pool,
            writer,
            head,
            checkpointer,
        })
    }
}

impl Drop for SqliteEventStore {
    fn drop(&mut self) {
        self.checkpointer.abort();
    }
}

/// Copies committed appends from the write-ahead log into the database file, at most every
/// [`CHECKPOINT_EVERY`], without blocking the writer or readers (`PASSIVE`), so that the log
/// stays short and reads stay fast.
async fn checkpoint_after_appends(pool: SqlitePool, mut head: watch::Receiver<u64>) {
    while head.changed().await.is_ok() {
        tokio::time::sleep(CHECKPOINT_EVERY).await;
        head.borrow_and_update();
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            // The next append tries again; the log only grows meanwhile.
            tracing::warn!(%error, "checkpointing the SQLite write-ahead log failed");
        }
    }
}

/// Creates the database file readable by its owner only, if it does not exist yet. SQLite gives
/// the write-ahead log and shared-memory files it creates later the database file's mode, so
/// none of the three is ever readable by other users.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" || path.exists() {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    match file.open(path) {
        Ok(_) => Ok(()),
        // Another process created it meanwhile: it is that process's to have made private.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
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

    fn pool_state(&self) -> crate::PoolState {
        crate::PoolState {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
        }
    }

    async fn close(&self) {
        self.writer.close().await;
        self.checkpointer.abort();
        self.pool.close().await;
    }
}

async fn max_position(pool: &SqlitePool) -> Result<u64, StoreError> {
    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
        .fetch_one(pool)
        .await?;
    unsigned(max, 0, "position")
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

fn parse_time(text: &str, position: u64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|e| corrupt(position, format!("recorded_at {text:?}: {e}")))
}

fn parse_uuid(text: &str, position: u64) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt(position, format!("event_id {text:?}: {e}")))
}
