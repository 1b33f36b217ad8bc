//! Store appends against raw single-row insert transactions, on the same database.
//!
//! `cargo bench -p casetrail-store --bench append -- [--backend sqlite|postgres|both]
//! [--seconds S] [--writers 1,8,32] [--raw-single-statement]`. PostgreSQL comes from
//! `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`; the bench creates a fresh database there and
//! drops it afterwards.
//!
//! For 1, 8 and 32 concurrent writers, each appending one ~500-byte event to its own stream,
//! it measures the store (serialized appends, hash chain, group commit) and a baseline: the same
//! row inserted into a table of the same schema, one transaction per row, from a pool of as
//! many connections, with no lock and no chain. Group commit is what lets the serialized store
//! keep up with the unserialized baseline.
//!
//! `--raw-single-statement` sends each raw insert as one statement outside any transaction
//! block (its own transaction, one round trip) instead of BEGIN, INSERT, COMMIT: the same row,
//! the same durability, the fastest a single-row insert transaction can be sent.

#![allow(clippy::unwrap_used)]

use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use casetrail_store::{
    AppendRequest, EventStore, ExpectedVersion, NewEvent, canonical_json, postgres, sqlite,
};
use chrono::{SecondsFormat, SubsecRound, Utc};
use serde_json::{Value, json};
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool, Postgres, Sqlite, SqlitePool};
use uuid::Uuid;

type Op =
    Arc<dyn Fn(usize) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
struct Measured {
    ops: u64,
    errors: u64,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64()
    }
}

#[tokio::main]
async fn main() {
    let settings = parse_args();
    let duration = Duration::from_secs_f64(settings.seconds);
    println!(
        "| backend | writers | store appends/s | store p50 | store p99 | raw inserts/s | raw p50 | raw p99 | store / raw |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for backend in settings.backends {
        match backend {
            Backend::Sqlite => bench_sqlite(&settings.writers, duration, settings.raw).await,
            Backend::Postgres => match std::env::var("BENCH_DATABASE_URL")
                .or_else(|_| std::env::var("TEST_DATABASE_URL"))
            {
                Ok(url) => bench_postgres(&url, &settings.writers, duration, settings.raw).await,
                Err(_) => {
                    eprintln!("note: set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL")
                }
            },
        }
    }
}

struct Settings {
    backends: Vec<Backend>,
    seconds: f64,
    writers: Vec<usize>,
    raw: Raw,
}

/// How a raw insert is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Raw {
    /// BEGIN (IMMEDIATE on SQLite), INSERT, COMMIT.
    Transaction,
    /// INSERT alone, which is its own transaction.
    SingleStatement,
}

fn parse_args() -> Settings {
    let mut backends = vec![Backend::Sqlite, Backend::Postgres];
    let mut seconds = 5.0;
    let mut writers = vec![1, 8, 32];
    let mut raw = Raw::Transaction;
    let mut args = std::env::args().skip(1);
    // Anything else (cargo passes `--bench`) is ignored.
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--backend" => {
                backends = match args.next().as_deref() {
                    Some("sqlite") => vec![Backend::Sqlite],
                    Some("postgres") => vec![Backend::Postgres],
                    Some("both") => vec![Backend::Sqlite, Backend::Postgres],
                    other => panic!("--backend sqlite|postgres|both, not {other:?}"),
                }
            }
            "--writers" => {
                let list = args.next().unwrap_or_default();
                writers = list
                    .split(',')
                    .map(|n| n.trim().parse().expect("--writers 1,8,32"))
                    .collect()
            }
            "--raw-single-statement" => raw = Raw::SingleStatement,
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds needs a number")
            }
            _ => {}
        }
    }
    Settings {
        backends,
        seconds,
        writers,
        raw,
    }
}

/// About 500 bytes of canonical JSON, shaped like a case event.
fn payload() -> (Value, Value) {
    let data = json!({
        "case_id": Uuid::new_v4(),
        "partnership": "northshire-safeguarding",
        "agency": "community-health",
        "summary": "Agency report received for the rapid review; chronology attached.",
        "findings": ["information sharing delayed", "escalation route unclear"],
        "due": "2025-03-14",
        "working_days": 15,
        "notes": "x".repeat(160),
    });
    let metadata = json!({
        "actor": "user-42", "org": "community-health", "roles": ["reviewer"],
        "correlation_id": Uuid::new_v4(), "request_id": Uuid::new_v4(),
    });
    (data, metadata)
}

async fn bench_sqlite(concurrency: &[usize], duration: Duration, raw: Raw) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let store: Arc<dyn EventStore> = Arc::new(sqlite::SqliteEventStore::open(&url).await.unwrap());
    let options = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(30));
    let setup = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap();
    sqlx::raw_sql(SQLITE_RAW_TABLE)
        .execute(&setup)
        .await
        .unwrap();
    setup.close().await;
    let next_position = Arc::new(AtomicU64::new(1));
    for &writers in concurrency {
        let measured_store = measure(writers, duration, store_op(&store, "sqlite", writers)).await;
        let pool = SqlitePoolOptions::new()
            .max_connections(writers as u32)
            .connect_with(options.clone())
            .await
            .unwrap();
        warm(&pool, writers).await;
        let op = match raw {
            Raw::Transaction => sqlite_raw_op(pool.clone(), next_position.clone(), writers),
            Raw::SingleStatement => {
                sqlite_raw_statement_op(pool.clone(), next_position.clone(), writers)
            }
        };
        let measured_raw = measure(writers, duration, op).await;
        pool.close().await;
        report("SQLite", writers, &measured_store, &measured_raw);
    }
    store.close().await;
}

async fn bench_postgres(admin_url: &str, concurrency: &[usize], duration: Duration, raw: Raw) {
    let name = format!("casetrail_bench_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .execute(&mut admin)
        .await
        .unwrap();
    let options = PgConnectOptions::from_str(admin_url)
        .unwrap()
        .database(&name);
    let url = with_database(admin_url, &name);
    let store: Arc<dyn EventStore> =
        Arc::new(postgres::PostgresEventStore::open(&url).await.unwrap());
    // Same columns, types, constraints and indexes as `events`; triggers do not matter here.
    let setup = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap();
    sqlx::raw_sql("CREATE TABLE bench_raw (LIKE events INCLUDING ALL)")
        .execute(&setup)
        .await
        .unwrap();
    setup.close().await;
    let next_position = Arc::new(AtomicU64::new(1));
    for &writers in concurrency {
        let measured_store =
            measure(writers, duration, store_op(&store, "postgres", writers)).await;
        let pool = PgPoolOptions::new()
            .max_connections(writers as u32)
            .connect_with(options.clone())
            .await
            .unwrap();
        warm(&pool, writers).await;
        let op = match raw {
            Raw::Transaction => postgres_raw_op(pool.clone(), next_position.clone(), writers),
            Raw::SingleStatement => {
                postgres_raw_statement_op(pool.clone(), next_position.clone(), writers)
            }
        };
        let measured_raw = measure(writers, duration, op).await;
        pool.close().await;
        report("PostgreSQL", writers, &measured_store, &measured_raw);
    }
    store.close().await;
    let dropped = sqlx::raw_sql(AssertSqlSafe(format!(
        r#"DROP DATABASE "{name}" WITH (FORCE)"#
    )))
    .execute(&mut admin)
    .await;
    if let Err(error) = dropped {
        eprintln!("note: could not drop {name}: {error}");
    }
}

/// The same server URL naming another database (keeps user, host and query string).
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = base[authority..]
        .find('/')
        .map_or(base, |slash| &base[..authority + slash]);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// Opens every connection of a pool before measuring, so connecting is not timed.
async fn warm<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, connections: usize) {
    let mut held = Vec::with_capacity(connections);
    for _ in 0..connections {
        held.push(pool.acquire().await.unwrap());
    }
}

fn store_op(store: &Arc<dyn EventStore>, backend: &str, writers: usize) -> Op {
    let store = store.clone();
    let (data, metadata) = payload();
    let prefix = format!("bench-{backend}-{writers}");
    Arc::new(move |task| {
        let store = store.clone();
        let request = AppendRequest {
            data_keys: Vec::new(),
            stream_id: format!("{prefix}-{task}"),
            expected_version: ExpectedVersion::Any,
            events: vec![NewEvent {
                event_id: Uuid::new_v4(),
                event_type: "AgencyReportReceived".to_owned(),
                schema_version: 1,
                data: data.clone(),
                metadata: metadata.clone(),
            }],
        };
        Box::pin(async move {
            store
                .append(request)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

/// One raw row: the same columns and bytes as a stored event, with a fixed (unchained) hash.
struct RawRow {
    position: i64,
    stream_id: String,
    stream_version: i64,
}

fn raw_rows(next_position: Arc<AtomicU64>, writers: usize) -> impl Fn(usize) -> RawRow {
    let versions: Arc<Vec<AtomicU64>> = Arc::new((0..writers).map(|_| AtomicU64::new(0)).collect());
    let run = Uuid::new_v4().simple().to_string();
    move |task| RawRow {
        position: next_position.fetch_add(1, Ordering::Relaxed) as i64,
        stream_id: format!("raw-{run}-{task}"),
        stream_version: versions[task].fetch_add(1, Ordering::Relaxed) as i64 + 1,
    }
}

const SQLITE_RAW_TABLE: &str = "CREATE TABLE bench_raw (
    position INTEGER PRIMARY KEY CHECK (position > 0),
    stream_id TEXT NOT NULL CHECK (length(stream_id) > 0),
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) = 36),
    event_type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL CHECK (length(recorded_at) = 27),
    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    UNIQUE (stream_id, stream_version)
) STRICT";

fn sqlite_raw_op(pool: SqlitePool, next_position: Arc<AtomicU64>, writers: usize) -> Op {
    let (data, metadata) = payload();
    let (data, metadata) = (canonical_json(&data), canonical_json(&metadata));
    let rows = Arc::new(raw_rows(next_position, writers));
    Arc::new(move |task| {
        let (pool, data, metadata, rows) =
            (pool.clone(), data.clone(), metadata.clone(), rows.clone());
        Box::pin(async move {
            // The same write lock the store takes; SQLite has only one writer anyway.
            let mut tx = pool
                .begin_with("BEGIN IMMEDIATE")
                .await
                .map_err(|e| e.to_string())?;
            sqlite_insert(rows(task), data, metadata)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        })
    })
}

/// As [`sqlite_raw_op`], each insert alone: a statement outside BEGIN is its own transaction.
fn sqlite_raw_statement_op(pool: SqlitePool, next_position: Arc<AtomicU64>, writers: usize) -> Op {
    let (data, metadata) = payload();
    let (data, metadata) = (canonical_json(&data), canonical_json(&metadata));
    let rows = Arc::new(raw_rows(next_position, writers));
    Arc::new(move |task| {
        let (pool, data, metadata, rows) =
            (pool.clone(), data.clone(), metadata.clone(), rows.clone());
        Box::pin(async move {
            sqlite_insert(rows(task), data, metadata)
                .execute(&pool)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

fn sqlite_insert(
    row: RawRow,
    data: String,
    metadata: String,
) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
    sqlx::query(
        "INSERT INTO bench_raw (position, stream_id, stream_version, event_id, event_type, \
         schema_version, data, metadata, recorded_at, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.position)
    .bind(row.stream_id)
    .bind(row.stream_version)
    .bind(Uuid::new_v4().to_string())
    .bind("AgencyReportReceived")
    .bind(1_i32)
    .bind(data)
    .bind(metadata)
    .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
    .bind(&[7_u8; 32][..])
    .bind(&[9_u8; 32][..])
}

fn postgres_raw_op(pool: PgPool, next_position: Arc<AtomicU64>, writers: usize) -> Op {
    let (data, metadata) = payload();
    let rows = Arc::new(raw_rows(next_position, writers));
    Arc::new(move |task| {
        let (pool, data, metadata, rows) =
            (pool.clone(), data.clone(), metadata.clone(), rows.clone());
        Box::pin(async move {
            let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
            postgres_insert(rows(task), data, metadata)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        })
    })
}

/// As [`postgres_raw_op`], each insert alone: a statement outside BEGIN is its own transaction.
fn postgres_raw_statement_op(pool: PgPool, next_position: Arc<AtomicU64>, writers: usize) -> Op {
    let (data, metadata) = payload();
    let rows = Arc::new(raw_rows(next_position, writers));
    Arc::new(move |task| {
        let (pool, data, metadata, rows) =
            (pool.clone(), data.clone(), metadata.clone(), rows.clone());
        Box::pin(async move {
            postgres_insert(rows(task), data, metadata)
                .execute(&pool)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

fn postgres_insert(
    row: RawRow,
    data: Value,
    metadata: Value,
) -> sqlx::query::Query<'static, Postgres, PgArguments> {
    sqlx::query(
        "INSERT INTO bench_raw (position, stream_id, stream_version, event_id, event_type, \
         schema_version, data, metadata, recorded_at, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(row.position)
    .bind(row.stream_id)
    .bind(row.stream_version)
    .bind(Uuid::new_v4())
    .bind("AgencyReportReceived")
    .bind(1_i32)
    .bind(data)
    .bind(metadata)
    .bind(Utc::now().trunc_subsecs(6))
    .bind(&[7_u8; 32][..])
    .bind(&[9_u8; 32][..])
}

/// Runs `op` from `writers` tasks for `duration` and collects throughput and latencies.
async fn measure(writers: usize, duration: Duration, op: Op) -> Measured {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..writers)
        .map(|task| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                while Instant::now() < deadline {
                    let begun = Instant::now();
                    match op(task).await {
                        Ok(()) => latencies.push(begun.elapsed()),
                        Err(error) => errors.push(error),
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        let (l, e) = task.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = started.elapsed();
    if let Some(first) = errors.first() {
        eprintln!("note: {} errors, first: {first}", errors.len());
    }
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Measured {
        ops: latencies.len() as u64,
        errors: errors.len() as u64,
        elapsed,
        p50: percentile(0.50),
        p99: percentile(0.99),
    }
}

fn report(backend: &str, writers: usize, store: &Measured, raw: &Measured) {
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
    let errors = |m: &Measured| {
        if m.errors > 0 {
            format!(" ({} errors)", m.errors)
        } else {
            String::new()
        }
    };
    println!(
        "| {backend} | {writers} | {:.0}{} | {} | {} | {:.0}{} | {} | {} | {:.2}x |",
        store.per_second(),
        errors(store),
        ms(store.p50),
        ms(store.p99),
        raw.per_second(),
        errors(raw),
        ms(raw.p50),
        ms(raw.p99),
        store.per_second() / raw.per_second().max(f64::MIN_POSITIVE),
    );
}
