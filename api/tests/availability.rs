//! Availability of the real `casetrail serve` binary under two attacks that only a process of
//! its own shows: 20,000 requests with invented HTTP methods (its resident memory and the size
//! of `/metrics` must stay flat), and a standard error nobody reads (requests must still be
//! answered, the lines that could not be written dropped and counted).
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};
use support::PostgresDb;

/// Requests with invented methods, as in the attack reported in issue 12.
const ATTACK_REQUESTS: usize = 20_000;
/// Connections the attack is spread over.
const ATTACKERS: usize = 4;

/// A `casetrail serve` child whose standard error the test reads as it chooses.
struct Process {
    child: Child,
    port: u16,
    /// An operator's token: `/metrics` needs the role `admin`.
    admin: String,
    /// Standard error after the start-up lines, unread until the test reads it.
    stderr: Option<BufReader<ChildStderr>>,
}

impl Process {
    fn start(url: &str, data_dir: &Path, settings: &[(&str, &str)]) -> Process {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casetrail"));
        command
            .arg("serve")
            .env_clear()
            .env("DATABASE_URL", url)
            .env("CASETRAIL_BIND", "127.0.0.1:0")
            .env("CASETRAIL_DATA_DIR", data_dir)
            .env("CASETRAIL_WORKERS", "2")
            .env("CASETRAIL_LOG_FORMAT", "json")
            .env("CASETRAIL_LOG", "warn");
        for (name, value) in settings {
            command.env(name, value);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let port = loop {
            line.clear();
            let read = stderr.read_line(&mut line).unwrap();
            assert!(read > 0, "casetrail serve stopped before listening");
            if let Some(port) = line.trim().strip_prefix("Casetrail is listening on port ") {
                break port.parse::<u16>().unwrap();
            }
        };
        let minted = Command::new(env!("CARGO_BIN_EXE_casetrail"))
            .args([
                "token",
                "--role",
                "admin",
                "--org",
                "southend-council",
                "--data-dir",
            ])
            .arg(data_dir)
            .output()
            .unwrap();
        assert!(minted.status.success());
        Process {
            child,
            port,
            admin: String::from_utf8(minted.stdout).unwrap().trim().to_owned(),
            stderr: Some(stderr),
        }
    }

    /// Reads standard error from now on, on a thread, for as long as the process lives.
    fn drain(&mut self) -> std::sync::mpsc::Receiver<String> {
        let (lines, received) = std::sync::mpsc::channel();
        let stderr = self.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        received
    }

    fn connect(&self) -> Connection {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Connection(BufReader::new(stream))
    }

    /// Resident memory, in KiB.
    fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
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

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

fn attack_leaves_memory_and_metrics_flat(url: &str, dir: &Path) {
    let mut server = Process::start(url, &dir.join("data"), &[]);
    let _log = server.drain();
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
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("casetrail.db").display());
    attack_leaves_memory_and_metrics_flat(&url, dir.path());
}

#[test]
fn postgres_invented_methods_leave_memory_and_metrics_flat() {
    let Some(db) = PostgresDb::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    attack_leaves_memory_and_metrics_flat(&db.url, dir.path());
}

/// The value of a counter without labels in a Prometheus text body.
fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map_or(0, |value| value as u64)
}

fn blocked_stderr_never_stalls_requests(url: &str, dir: &Path) {
    // A request line per request, into a queue of 100 lines, onto a pipe nobody reads: the
    // pipe (64 KiB) and the queue are full after a few hundred requests.
    let mut server = Process::start(
        url,
        &dir.join("data"),
        &[
            ("CASETRAIL_LOG", "info"),
            ("CASETRAIL_LOG_QUEUE_LINES", "100"),
        ],
    );
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
    let lines = server.drain();
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
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("casetrail.db").display());
    blocked_stderr_never_stalls_requests(&url, dir.path());
}

#[test]
fn postgres_a_blocked_standard_error_never_stalls_requests() {
    let Some(db) = PostgresDb::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    blocked_stderr_never_stalls_requests(&db.url, dir.path());
}
