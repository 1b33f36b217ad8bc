//! Casetrail's store appends side by side with cqrs-es + postgres-es, on the same PostgreSQL in
//! the same run.
//!
//! `cargo run --release --manifest-path bench/peer/Cargo.toml -- [--seconds S] [--warmup S]
//! [--writers 1,8,32] [--cqrs-pool N] [--cqrs-store event|aggregate|snapshot:N]
//! [--aggregate-events K]`. PostgreSQL comes from `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`;
//! the bench creates a fresh database there and drops it afterwards.
//!
//! For each number of writers (tokio tasks, each with its own stream or aggregate), every side
//! first warms up, then appends one ~500-byte event per call for the same duration:
//!
//! - **casetrail**: `EventStore::append` on `PostgresEventStore`, `ExpectedVersion::Exact` of the
//!   stream's version (group commit, hash chain, idempotency and version checks).
//! - **postgres-es `persist`**: `PersistedEventRepository::persist` on `PostgresEventRepository`,
//!   postgres-es's lowest-level append: the caller gives the next sequence number, a duplicate
//!   `(aggregate_type, aggregate_id, sequence)` key is its optimistic-concurrency error.
//! - **cqrs-es `execute`**: `CqrsFramework::execute_with_metadata` on a `PersistedEventStore`
//!   over the same repository: load the aggregate, handle the command (one event), commit.
//!
//! See README.md beside this file for what each does per append and the fairness notes.

use std::collections::HashMap;
use std::convert::Infallible;
use std::error::Error;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use casetrail_store::{
    AppendRequest, EventStore, ExpectedVersion, NewEvent, canonical_json,
    postgres::PostgresEventStore,
};
use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{PersistedEventRepository, PersistedEventStore, SerializedEvent};
use cqrs_es::{Aggregate, CqrsFramework, DomainEvent};
use postgres_es::{PostgresCqrs, PostgresEventRepository};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use uuid::Uuid;

type BoxError = Box<dyn Error + Send + Sync>;

/// postgres-es's tables (its `db/init.sql`), renamed: casetrail's store already owns `events`.
const CQRS_EVENTS: &str = "cqrs_events";
const CQRS_SNAPSHOTS: &str = "cqrs_snapshots";
const CQRS_SCHEMA: &str = "
CREATE TABLE cqrs_events (
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);
CREATE TABLE cqrs_snapshots (
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);";

/// Connections casetrail's `PostgresEventStore` opens for appends and reads: its single
/// writer's connection plus a pool of 8 readers (LISTEN connection not counted). Not
/// configurable there, so postgres-es gets the same by default.
const CASETRAIL_CONNECTIONS: u32 = 9;

const EVENT_TYPE: &str = "AgencyReportReceived";

// ---------------------------------------------------------------------------------------------
// The cqrs-es side: an aggregate whose only command emits one event carrying the payload.

/// The event: serialized as the bare payload object (`transparent`), so postgres-es stores
/// exactly the JSON casetrail stores, not `{"AgencyReportReceived": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
struct AgencyReportReceived(Value);

impl DomainEvent for AgencyReportReceived {
    fn event_type(&self) -> String {
        EVENT_TYPE.to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

/// The command: record this report.
#[derive(Debug)]
struct RecordReport(Value);

/// The aggregate: a case that counts its reports (a tiny state, cheap to rebuild or snapshot).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Case {
    reports: u64,
}

impl Aggregate for Case {
    const TYPE: &'static str = "case";
    type Command = RecordReport;
    type Event = AgencyReportReceived;
    type Error = Infallible;
    type Services = ();

    async fn handle(
        &mut self,
        command: RecordReport,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Infallible> {
        sink.write(AgencyReportReceived(command.0), self).await;
        Ok(())
    }

    fn apply(&mut self, _event: AgencyReportReceived) {
        self.reports += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Settings.

#[derive(Debug, Clone, Copy, PartialEq)]
enum CqrsStore {
    /// `PersistedEventStore::new_event_store` (what `postgres_cqrs` builds): replay all events.
    Event,
    /// `new_aggregate_store`: load the aggregate's snapshot, rewrite it with every commit.
    Aggregate,
    /// `new_snapshot_store(repo, N)`: snapshot plus the events since, new snapshot every N.
    Snapshot(usize),
}

impl FromStr for CqrsStore {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "event" => Ok(Self::Event),
            "aggregate" => Ok(Self::Aggregate),
            _ => s
                .strip_prefix("snapshot:")
                .and_then(|n| n.parse().ok())
                .filter(|&n: &usize| n > 0)
                .map(Self::Snapshot)
                .ok_or_else(|| format!("--cqrs-store event|aggregate|snapshot:N, not {s:?}")),
        }
    }
}

impl std::fmt::Display for CqrsStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Event => write!(f, "event store (replay on load)"),
            Self::Aggregate => write!(f, "aggregate store (snapshot every commit)"),
            Self::Snapshot(n) => write!(f, "snapshot store (snapshot every {n} events)"),
        }
    }
}

#[derive(Debug)]
struct Settings {
    seconds: f64,
    warmup: f64,
    writers: Vec<usize>,
    cqrs_pool: u32,
    cqrs_store: CqrsStore,
    /// `execute` moves each writer to a fresh aggregate after this many events (0: never).
    aggregate_events: u64,
}

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        seconds: 5.0,
        warmup: 1.0,
        writers: vec![1, 8, 32],
        cqrs_pool: CASETRAIL_CONNECTIONS,
        cqrs_store: CqrsStore::Event,
        aggregate_events: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => settings.seconds = number(&arg, &value()?)?,
            "--warmup" => settings.warmup = number(&arg, &value()?)?,
            "--writers" => {
                settings.writers = value()?
                    .split(',')
                    .map(|n| number(&arg, n.trim()))
                    .collect::<Result<_, _>>()?
            }
            "--cqrs-pool" => settings.cqrs_pool = number(&arg, &value()?)?,
            "--cqrs-store" => settings.cqrs_store = value()?.parse()?,
            "--aggregate-events" => settings.aggregate_events = number(&arg, &value()?)?,
            "--bench" => {} // passed by `cargo bench`, should anyone run it that way
            other => return Err(format!("unknown argument {other:?}; see README.md")),
        }
    }
    if settings.writers.contains(&0) || settings.cqrs_pool == 0 || settings.seconds <= 0.0 {
        return Err("--writers, --cqrs-pool and --seconds must be positive".to_owned());
    }
    Ok(settings)
}

fn number<T: FromStr>(arg: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{arg}: {value:?} is not a valid number"))
}

// ---------------------------------------------------------------------------------------------
// The payload, the same for every side.

/// The same ~500 bytes of data as `store/benches/append.rs`, and metadata of the same keys with
/// string values only (cqrs-es metadata is a `HashMap<String, String>`), so that every side
/// stores byte-for-byte the same data and metadata sizes.
#[derive(Debug, Clone)]
struct Payload {
    data: Value,
    metadata: Value,
    metadata_map: HashMap<String, String>,
}

fn payload() -> Payload {
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
    let metadata_map: HashMap<String, String> = [
        ("actor", "user-42".to_owned()),
        ("org", "community-health".to_owned()),
        ("roles", "reviewer".to_owned()),
        ("correlation_id", Uuid::new_v4().to_string()),
        ("request_id", Uuid::new_v4().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let metadata = json!(metadata_map);
    Payload {
        data,
        metadata,
        metadata_map,
    }
}

// ---------------------------------------------------------------------------------------------
// The sides and their writers.

#[derive(Clone)]
enum Side {
    Casetrail(Arc<PostgresEventStore>),
    Persist(Arc<PostgresEventRepository>),
    Execute(Arc<PostgresCqrs<Case>>),
}

/// One writer's stream (or aggregate) and its version, carried from warm-up into measurement.
#[derive(Debug)]
struct WriterState {
    prefix: String,
    generation: u64,
    stream: String,
    version: u64,
}

impl WriterState {
    fn new(prefix: String) -> Self {
        let stream = format!("{prefix}-0");
        Self {
            prefix,
            generation: 0,
            stream,
            version: 0,
        }
    }

    /// Moves on to a fresh, empty stream.
    fn next_stream(&mut self) {
        self.generation += 1;
        self.stream = format!("{}-{}", self.prefix, self.generation);
        self.version = 0;
    }
}

/// One append (or one command emitting one event) by one writer.
async fn step(
    side: &Side,
    payload: &Payload,
    aggregate_events: u64,
    state: &mut WriterState,
) -> Result<(), String> {
    match side {
        Side::Casetrail(store) => {
            let request = AppendRequest {
                data_keys: Vec::new(),
                stream_id: state.stream.clone(),
                expected_version: ExpectedVersion::Exact(state.version),
                events: vec![NewEvent {
                    event_id: Uuid::new_v4(),
                    event_type: EVENT_TYPE.to_owned(),
                    schema_version: 1,
                    data: payload.data.clone(),
                    metadata: payload.metadata.clone(),
                }],
            };
            let result = store.append(request).await.map_err(|e| e.to_string())?;
            state.version = result.last_version;
        }
        Side::Persist(repository) => {
            let event = SerializedEvent::new(
                state.stream.clone(),
                state.version as usize + 1,
                Case::TYPE.to_owned(),
                EVENT_TYPE.to_owned(),
                "1".to_owned(),
                payload.data.clone(),
                payload.metadata.clone(),
            );
            repository
                .persist::<Case>(&[event], None)
                .await
                .map_err(|e| e.to_string())?;
            state.version += 1;
        }
        Side::Execute(cqrs) => {
            if aggregate_events > 0 && state.version >= aggregate_events {
                state.next_stream();
            }
            cqrs.execute_with_metadata(
                &state.stream,
                RecordReport(payload.data.clone()),
                payload.metadata_map.clone(),
            )
            .await
            .map_err(|e| e.to_string())?;
            state.version += 1;
        }
    }
    Ok(())
}

#[derive(Debug, Default)]
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

/// Runs every writer until `duration` has passed and collects throughput and latencies.
async fn run_phase(
    side: &Side,
    payload: &Payload,
    aggregate_events: u64,
    states: Vec<WriterState>,
    duration: Duration,
) -> Result<(Vec<WriterState>, Measured), BoxError> {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = states
        .into_iter()
        .map(|mut state| {
            let (side, payload) = (side.clone(), payload.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                while Instant::now() < deadline {
                    let begun = Instant::now();
                    match step(&side, &payload, aggregate_events, &mut state).await {
                        Ok(()) => latencies.push(begun.elapsed()),
                        Err(error) => {
                            errors.push(error);
                            // Whatever happened, do not keep appending at a stale version.
                            state.next_stream();
                        }
                    }
                }
                (state, latencies, errors)
            })
        })
        .collect();
    let mut states = Vec::with_capacity(tasks.len());
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        let (state, l, e) = task.await?;
        states.push(state);
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
    let measured = Measured {
        ops: latencies.len() as u64,
        errors: errors.len() as u64,
        elapsed,
        p50: percentile(0.50),
        p99: percentile(0.99),
    };
    Ok((states, measured))
}

/// Warms a side up on its writers' streams, then measures it on the same streams. Also returns
/// every acknowledged append, warm-up included, to check against the rows stored.
async fn bench_side(
    side: &Side,
    name: &str,
    writers: usize,
    settings: &Settings,
) -> Result<(Measured, u64), BoxError> {
    let payload = payload();
    let run = Uuid::new_v4().simple().to_string();
    let states = (0..writers)
        .map(|task| WriterState::new(format!("{name}-{run}-w{writers}-t{task}")))
        .collect();
    let (states, warm) = run_phase(
        side,
        &payload,
        settings.aggregate_events,
        states,
        Duration::from_secs_f64(settings.warmup),
    )
    .await?;
    let (_, measured) = run_phase(
        side,
        &payload,
        settings.aggregate_events,
        states,
        Duration::from_secs_f64(settings.seconds),
    )
    .await?;
    let acknowledged = warm.ops + measured.ops;
    Ok((measured, acknowledged))
}

// ---------------------------------------------------------------------------------------------
// The run.

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let settings = parse_args()?;
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .map_err(|_| "set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server")?;
    let name = format!("casetrail_peer_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&admin_url).await?;
    sqlx::raw_sql(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .execute(&mut admin)
        .await?;
    let outcome = run(&with_database(&admin_url, &name), &settings).await;
    let dropped = sqlx::raw_sql(AssertSqlSafe(format!(
        r#"DROP DATABASE "{name}" WITH (FORCE)"#
    )))
    .execute(&mut admin)
    .await;
    if let Err(error) = dropped {
        eprintln!("note: could not drop {name}: {error}");
    }
    outcome
}

async fn run(url: &str, settings: &Settings) -> Result<(), BoxError> {
    let mut setup = PgConnection::connect(url).await?;
    let server: String = sqlx::query_scalar("SELECT version()")
        .fetch_one(&mut setup)
        .await?;
    let mut durability = Vec::new();
    for setting in ["fsync", "synchronous_commit", "wal_sync_method"] {
        let value: String = sqlx::query_scalar(AssertSqlSafe(format!("SHOW {setting}")))
            .fetch_one(&mut setup)
            .await?;
        durability.push(format!("{setting} = {value}"));
    }
    sqlx::raw_sql(CQRS_SCHEMA).execute(&mut setup).await?;

    // casetrail: as it ships (its migrations, its own connections and writer task).
    let store = Arc::new(PostgresEventStore::open(url).await?);
    // postgres-es: its repository on a pool of `--cqrs-pool` connections, all opened up front.
    let pool = sqlx08::postgres::PgPoolOptions::new()
        .max_connections(settings.cqrs_pool)
        .min_connections(settings.cqrs_pool)
        .connect(url)
        .await?;
    let repository =
        || PostgresEventRepository::new(pool.clone()).with_tables(CQRS_EVENTS, CQRS_SNAPSHOTS);
    let event_store = match settings.cqrs_store {
        CqrsStore::Event => PersistedEventStore::new_event_store(repository()),
        CqrsStore::Aggregate => PersistedEventStore::new_aggregate_store(repository()),
        CqrsStore::Snapshot(n) => PersistedEventStore::new_snapshot_store(repository(), n),
    };
    let casetrail = Side::Casetrail(store.clone());
    let persist = Side::Persist(Arc::new(repository()));
    let execute = Side::Execute(Arc::new(CqrsFramework::new(event_store, vec![], ())));

    let sample = payload();
    println!("PostgreSQL: {server}; {}", durability.join(", "));
    println!(
        "Per append: data {} bytes, metadata {} bytes (canonical JSON), the same on every side.",
        canonical_json(&sample.data).len(),
        canonical_json(&sample.metadata).len(),
    );
    println!(
        "{} s warm-up, then {} s measured, per side and writer count. casetrail: {} connections \
         (1 writer + 8 readers); postgres-es pool: {} connections.",
        settings.warmup, settings.seconds, CASETRAIL_CONNECTIONS, settings.cqrs_pool
    );
    let rollover = match settings.aggregate_events {
        0 => "one aggregate per writer for the whole run".to_owned(),
        k => format!("a fresh aggregate per writer every {k} events"),
    };
    println!("cqrs-es execute: {}, {rollover}.", settings.cqrs_store);

    let mut rows = Vec::new();
    let mut acknowledged = [0_u64; 3];
    for &writers in &settings.writers {
        let (ours, a) = bench_side(&casetrail, "casetrail", writers, settings).await?;
        let (low, b) = bench_side(&persist, "persist", writers, settings).await?;
        let (high, c) = bench_side(&execute, "execute", writers, settings).await?;
        for (total, n) in acknowledged.iter_mut().zip([a, b, c]) {
            *total += n;
        }
        eprintln!(
            "done: {writers} writers ({:.0} / {:.0} / {:.0} per s)",
            ours.per_second(),
            low.per_second(),
            high.per_second()
        );
        rows.push((writers, ours, low, high));
    }

    println!();
    println!(
        "casetrail `EventStore::append` vs postgres-es `PersistedEventRepository::persist` \
         (append against append):"
    );
    println!();
    table(rows.iter().map(|(w, ours, low, _)| (*w, ours, low)));
    println!();
    println!(
        "casetrail `EventStore::append` vs cqrs-es `CqrsFramework::execute_with_metadata` \
         (load aggregate, handle command, append one event):"
    );
    println!();
    table(rows.iter().map(|(w, ours, _, high)| (*w, ours, high)));

    store.close().await;
    pool.close().await;

    // Every acknowledged append must be a stored row, and nothing else may be.
    let mut stored = [0_i64; 3];
    for (count, sql) in stored.iter_mut().zip([
        "SELECT count(*) FROM events",
        "SELECT count(*) FROM cqrs_events WHERE aggregate_id LIKE 'persist-%'",
        "SELECT count(*) FROM cqrs_events WHERE aggregate_id LIKE 'execute-%'",
    ]) {
        *count = sqlx::query_scalar(sql).fetch_one(&mut setup).await?;
    }
    setup.close().await?;
    println!();
    println!(
        "Rows stored / appends acknowledged (warm-up included): casetrail {}/{}, \
         persist {}/{}, execute {}/{}.",
        stored[0], acknowledged[0], stored[1], acknowledged[1], stored[2], acknowledged[2]
    );
    if stored.iter().zip(acknowledged).any(|(&s, a)| s as u64 != a) {
        return Err("stored rows do not match acknowledged appends".into());
    }
    Ok(())
}

fn table<'a>(rows: impl Iterator<Item = (usize, &'a Measured, &'a Measured)>) {
    println!(
        "| writers | casetrail appends/s | casetrail p50 | casetrail p99 | cqrs-es appends/s | cqrs-es p50 | cqrs-es p99 | casetrail / cqrs-es |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
    let errors = |m: &Measured| match m.errors {
        0 => String::new(),
        n => format!(" ({n} errors)"),
    };
    for (writers, ours, theirs) in rows {
        println!(
            "| {writers} | {:.0}{} | {} | {} | {:.0}{} | {} | {} | {:.2}x |",
            ours.per_second(),
            errors(ours),
            ms(ours.p50),
            ms(ours.p99),
            theirs.per_second(),
            errors(theirs),
            ms(theirs.p50),
            ms(theirs.p99),
            ours.per_second() / theirs.per_second().max(f64::MIN_POSITIVE),
        );
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
