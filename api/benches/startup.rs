//! Start-up: how long the real `casetrail` server takes to fold a large log into its read
//! models and answer `/health/ready`, and how much memory it holds then.
//!
//! `cargo bench -p casetrail-api --bench startup -- [--cases N] [--backend sqlite|postgres|both]`
//! (default 33,000 cases, about a million events, both backends), or
//! `-- --database-url URL` to start on a database seeded before (`casetrail seed`), and
//! `-- --casetrail BINARY` to start another build (an earlier one, for a before and after; a
//! relative path from the workspace's root) in place of this one's release binary. It seeds a
//! fresh database
//! with `casetrail_seed` (50 partnerships, fixed seed), then starts the release binary on it,
//! polls `/health/ready` until it answers 200, and reads the process's `VmRSS` and `VmHWM`
//! from `/proc`: first with no read-model snapshot (the whole log folded), then, after a
//! SIGTERM stop that writes one (timed, with its size), again from the snapshot. PostgreSQL comes from `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`; the bench
//! creates a fresh database there and drops it afterwards.

#![allow(clippy::unwrap_used)]

use casetrail_seed::Workload;
use casetrail_testkit::process::status_kib;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PARTNERSHIPS: usize = 50;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let cases: usize = arg("--cases").map_or(33_000, |c| c.replace('_', "").parse().unwrap());
    let backend = arg("--backend").unwrap_or_else(|| "both".to_owned());
    // Cargo runs a bench in its package's directory: a relative path is taken from the
    // workspace's root, where the command was most likely typed.
    let casetrail = arg("--casetrail").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_BIN_EXE_casetrail")),
        |path| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(path)
        },
    );
    assert!(
        casetrail.is_file(),
        "--casetrail {}: no such file",
        casetrail.display()
    );
    let casetrail = casetrail.as_path();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    println!(
        "| backend | events | seeding | from | start-up to ready | events/s | VmRSS | VmHWM | SIGTERM to exit (snapshot written) | snapshot |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    if let Some(url) = arg("--database-url") {
        let dir = tempfile::tempdir().unwrap();
        start(&runtime, casetrail, "given", &url, None, dir.path());
        return;
    }
    if backend == "sqlite" || backend == "both" {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/casetrail.db", dir.path().display());
        measure(&runtime, casetrail, "SQLite", &url, cases, dir.path());
    }
    if backend == "postgres" || backend == "both" {
        let Ok(admin) =
            std::env::var("BENCH_DATABASE_URL").or_else(|_| std::env::var("TEST_DATABASE_URL"))
        else {
            eprintln!("note: set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL");
            return;
        };
        let name = format!("casetrail_bench_{}", uuid::Uuid::new_v4().simple());
        runtime.block_on(admin_sql(&admin, &format!(r#"CREATE DATABASE "{name}""#)));
        let dir = tempfile::tempdir().unwrap();
        let url = with_database(&admin, &name);
        measure(&runtime, casetrail, "PostgreSQL", &url, cases, dir.path());
        runtime.block_on(admin_sql(
            &admin,
            &format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#),
        ));
    }
}

fn measure(
    runtime: &tokio::runtime::Runtime,
    casetrail: &std::path::Path,
    label: &str,
    url: &str,
    cases: usize,
    dir: &std::path::Path,
) {
    let workload = Workload {
        partnerships: PARTNERSHIPS,
        cases,
        open_cases: 2_000,
        seed: 0x00C0_FFEE,
    };
    let started = Instant::now();
    runtime.block_on(async {
        let store = casetrail_store::open(url).await.unwrap();
        casetrail_seed::seed(store.as_ref(), &workload, |_| {})
            .await
            .unwrap();
        store.close().await;
    });
    start(runtime, casetrail, label, url, Some(started.elapsed()), dir);
}

/// Starts the server on the database and measures it.
fn start(
    runtime: &tokio::runtime::Runtime,
    casetrail: &std::path::Path,
    label: &str,
    url: &str,
    seeding: Option<Duration>,
    dir: &std::path::Path,
) {
    let events = runtime.block_on(async {
        let store = casetrail_store::open(url).await.unwrap();
        let head = store.head_position().await.unwrap();
        store.close().await;
        head
    });
    let data_dir = dir.join("data");
    let snapshot = data_dir.join("read-models.snapshot");
    let seeding = seeding.map_or("-".to_owned(), |s| format!("{:.1} s", s.as_secs_f64()));
    // From the log: a data directory without a snapshot.
    let _ = std::fs::remove_file(&snapshot);
    for from in ["the log", "its snapshot"] {
        let (mut server, startup, rss, hwm) = launch(casetrail, url, &data_dir);
        let stopping = terminate(&mut server);
        let written = std::fs::metadata(&snapshot).map_or(0, |m| m.len());
        println!(
            "| {label} | {events} | {seeding} | {from} | {:.2} s | {:.0} | {} MiB | {} MiB | {:.2} s | {:.0} MiB |",
            startup.as_secs_f64(),
            events as f64 / startup.as_secs_f64(),
            rss / 1024,
            hwm / 1024,
            stopping.as_secs_f64(),
            written as f64 / (1024.0 * 1024.0),
        );
    }
}

/// Starts the release server and waits until it is ready: the server, how long it took, and
/// its `VmRSS` and `VmHWM` then.
fn launch(
    casetrail: &std::path::Path,
    url: &str,
    data_dir: &std::path::Path,
) -> (Child, Duration, u64, u64) {
    let port = free_port();
    let started = Instant::now();
    let mut server = Command::new(casetrail)
        .args(["serve", "--dev"])
        .env("DATABASE_URL", url)
        .env("CASETRAIL_BIND", format!("127.0.0.1:{port}"))
        .env("CASETRAIL_DATA_DIR", data_dir)
        .env("CASETRAIL_DEMO_DATA", "false")
        .env("CASETRAIL_REMINDER_INTERVAL", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !ready(port) {
        assert!(server.try_wait().unwrap().is_none(), "the server exited");
        std::thread::sleep(Duration::from_millis(20));
    }
    let startup = started.elapsed();
    let (rss, hwm) = memory(&server);
    (server, startup, rss, hwm)
}

/// SIGTERM, as a service manager stops it (it writes its snapshot on the way out): how long
/// until it exited.
fn terminate(process: &mut Child) -> Duration {
    let started = Instant::now();
    let sent = Command::new("kill")
        .args(["-TERM", &process.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = process.wait().unwrap();
    assert!(status.success(), "the server stopped with {status}");
    started.elapsed()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `GET /health/ready` answers 200.
fn ready(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let request = "GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

/// `VmRSS` and `VmHWM` of the process, in KiB.
fn memory(process: &Child) -> (u64, u64) {
    let field = |name| status_kib(Some(process.id()), name).unwrap_or(0);
    (field("VmRSS"), field("VmHWM"))
}

async fn admin_sql(admin_url: &str, sql: &str) {
    let mut admin = PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
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
