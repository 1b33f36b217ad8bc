//! Availability of the real `casetrail serve` binary under two attacks that only a process of
//! its own shows: 20,000 requests with invented HTTP methods (its resident memory and the size
//! of `/metrics` must stay flat), and a standard error nobody reads (requests must still be
//! answered, the lines that could not be written dropped and counted).

use casetrail_domain::Role;
use casetrail_tests::tokens::DevTokens;
use casetrail_tests::{Backend, Server, TestDb};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Requests with invented methods, as in the attack reported in issue 12.
const ATTACK_REQUESTS: usize = 20_000;
/// Connections the attack is spread over.
const ATTACKERS: usize = 4;

/// A `casetrail serve` child logging JSON, whose standard error the test reads as it chooses.
struct Process {
    server: Server,
    /// An operator's token: `/metrics` needs the role `admin`.
    admin: String,
    // Dropped after the server: its database and data directory.
    _db: TestDb,
    _dir: tempfile::TempDir,
}

impl Process {
    /// Starts the binary on a fresh database; `None` when the backend is not available here.
    fn start(backend: Backend, settings: &[(&str, &str)]) -> Option<Process> {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDb::create_blocking(backend, dir.path())?;
        let data_dir = dir.path().join("data");
        let mut settings = settings.to_vec();
        settings.insert(0, ("CASETRAIL_LOG_FORMAT", "json"));
        let server = Server::start_unread(&db.url, &data_dir, &settings);
        let admin = DevTokens::of_data_dir(&data_dir).as_cli("southend-council", &[Role::Admin]);
        Some(Process {
            server,
            admin,
            _db: db,
            _dir: dir,
        })
    }

    fn connect(&self) -> Connection {
        let stream = TcpStream::connect(("127.0.0.1", self.server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Connection(BufReader::new(stream))
    }

    /// Resident memory, in KiB.
    fn resident_kib(&self) -> u64 {
        casetrail_testkit::process::status_kib(Some(self.server.pid()), "VmRSS").unwrap()
    }

    fn metrics(&self) -> String {
        let (status, _, body) = self.connect().send_with(
            "GET",
            "/metrics",
            &format!("authorization: Bearer {}\r\n", self.admin),
        );
        assert_eq!(status, 200);
        body
    }
}

/// A keep-alive HTTP/1.1 connection.
struct Connection(BufReader<TcpStream>);

impl Connection {
    /// One request without a body: status, headers and body of the answer.
    fn send(&mut self, method: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
        self.send_with(method, path, "")
    }

    /// Sends a request with extra header lines (each ending in CRLF).
    fn send_with(
        &mut self,
        method: &str,
        path: &str,
        headers: &str,
    ) -> (u16, Vec<(String, String)>, String) {
        let request = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{headers}\r\n");
        self.0.get_mut().write_all(request.as_bytes()).unwrap();
        let mut line = String::new();
        self.0
            .read_line(&mut line)
            .unwrap_or_else(|err| panic!("no answer to {method} {path}: {err}"));
        let status = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.0.read_line(&mut line).unwrap();
            let Some((name, value)) = line.trim_end().split_once(':') else {
                break;
            };
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .map_or(0, |(_, value)| value.parse().unwrap());
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).unwrap();
        (status, headers, String::from_utf8(body).unwrap())
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Sends `count` requests with methods never seen before, over several connections at once;
/// each must be a 405 naming the methods allowed.
fn invented_methods(server: &Process, round: &str, count: usize) {
    std::thread::scope(|threads| {
        for attacker in 0..ATTACKERS {
            let mut connection = server.connect();
            threads.spawn(move || {
                for n in (attacker..count).step_by(ATTACKERS) {
                    let method = format!("{round}{n}INVENTED");
                    let (status, headers, body) = connection.send(&method, "/v1/cases");
                    assert_eq!(status, 405, "{method}: {body}");
                    assert!(header(&headers, "allow").starts_with("GET, HEAD, POST"));
                }
            });
        }
    });
}

fn attack_leaves_memory_and_metrics_flat(backend: Backend) {
    let Some(server) = Process::start(backend, &[]) else {
        return;
    };
    let _log = server.server.lines();
    let server = &server;
    // Warm up: the first 405s create the `other` series and the allocator's pools.
    invented_methods(server, "WARM", 1_000);
    // The first read of `/metrics` adds its own route's series.
    server.metrics();
    let metrics_before = server.metrics().len();
    let rss_before = server.resident_kib();
    let started = Instant::now();
    invented_methods(server, "ATTACK", ATTACK_REQUESTS);
    let took = started.elapsed();
    let metrics = server.metrics();
    let rss_after = server.resident_kib();
    eprintln!(
        "{ATTACK_REQUESTS} invented methods in {took:?}: VmRSS {rss_before} -> {rss_after} KiB, \
         /metrics {metrics_before} -> {} bytes",
        metrics.len()
    );
    assert!(!metrics.contains("ATTACK"), "a raw method became a label");
    assert!(
        metrics.len() < metrics_before + 4 * 1024,
        "/metrics grew from {metrics_before} to {} bytes",
        metrics.len()
    );
    assert!(
        rss_after < rss_before + 32 * 1024,
        "resident memory grew from {rss_before} to {rss_after} KiB"
    );
}

#[test]
fn sqlite_invented_methods_leave_memory_and_metrics_flat() {
    attack_leaves_memory_and_metrics_flat(Backend::Sqlite);
}

#[test]
fn postgres_invented_methods_leave_memory_and_metrics_flat() {
    attack_leaves_memory_and_metrics_flat(Backend::Postgres);
}

/// The value of a counter without labels in a Prometheus text body.
fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map_or(0, |value| value as u64)
}

fn blocked_stderr_never_stalls_requests(backend: Backend) {
    // A request line per request, into a queue of 100 lines, onto a pipe nobody reads: the
    // pipe (64 KiB) and the queue are full after a few hundred requests.
    let Some(server) = Process::start(
        backend,
        &[
            ("CASETRAIL_LOG", "info"),
            ("CASETRAIL_LOG_QUEUE_LINES", "100"),
        ],
    ) else {
        return;
    };
    let started = Instant::now();
    std::thread::scope(|threads| {
        for _ in 0..2 {
            let mut connection = server.connect();
            threads.spawn(move || {
                for _ in 0..1_500 {
                    // Answered (401) and logged, with a read timeout of 10 s.
                    let (status, _, _) = connection.send("GET", "/v1/cases");
                    assert_eq!(status, 401);
                }
            });
        }
    });
    let took = started.elapsed();
    let dropped = counter(&server.metrics(), "log_lines_dropped_total");
    eprintln!(
        "3000 requests answered in {took:?} with standard error blocked; {dropped} lines dropped"
    );
    assert!(dropped > 1_000, "{dropped} lines dropped");
    assert!(took < Duration::from_secs(60), "{took:?}");

    // Once standard error is read again, the log says how many lines were lost.
    let lines = server.server.lines();
    let deadline = Instant::now() + Duration::from_secs(20);
    let warning = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("a warning of lines dropped");
        if line.contains("log lines dropped") {
            break line;
        }
    };
    let warning: serde_json::Value = serde_json::from_str(&warning).unwrap();
    assert_eq!(warning["level"], "WARN", "{warning}");
    assert!(warning["dropped"].as_u64().unwrap() > 0, "{warning}");
    let (status, _, _) = server.connect().send("GET", "/v1/cases");
    assert_eq!(status, 401);
}

#[test]
fn sqlite_a_blocked_standard_error_never_stalls_requests() {
    blocked_stderr_never_stalls_requests(Backend::Sqlite);
}

#[test]
fn postgres_a_blocked_standard_error_never_stalls_requests() {
    blocked_stderr_never_stalls_requests(Backend::Postgres);
}
