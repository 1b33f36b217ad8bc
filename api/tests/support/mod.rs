//! A real `casetrail serve` child process for black-box tests, reached over loopback with a
//! deliberately tiny HTTP/1.1 client on `std::net`: the api package has no HTTP client or SQL
//! driver of its own, and a raw socket also tells "refused" (never sent) from "lost" (sent, no
//! answer) exactly. Each test crate uses a part of it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running `casetrail serve` child process.
#[derive(Debug)]
pub struct Server {
    child: Mutex<Child>,
    pub port: u16,
    log: Arc<Mutex<String>>,
    drain: Mutex<Option<JoinHandle<()>>>,
}

impl Server {
    /// Starts the binary on the database, logging warnings as text, and waits until it
    /// listens.
    pub fn start(url: &str, data_dir: &Path) -> Server {
        Server::start_with(url, data_dir, &[])
    }

    /// Starts the binary with these settings besides (or instead of) the defaults.
    pub fn start_with(url: &str, data_dir: &Path, settings: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casetrail"));
        command
            .arg("serve")
            // Only what the test sets: no setting of the developer's shell leaks in.
            .env_clear()
            .env("DATABASE_URL", url)
            .env("CASETRAIL_BIND", "127.0.0.1:0")
            .env("CASETRAIL_DATA_DIR", data_dir)
            .env("CASETRAIL_WORKERS", "2")
            .env("CASETRAIL_LOG_FORMAT", "text")
            .env("CASETRAIL_LOG", "warn");
        for (name, value) in settings {
            command.env(name, value);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        // Drains stderr for as long as the process lives, so it can never block on a full pipe.
        let drain = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("Casetrail is listening on port ") {
                    let _ = port_tx.send(port.trim().parse::<u16>().unwrap());
                }
                sink.lock().unwrap().push_str(&line);
                sink.lock().unwrap().push('\n');
            }
        });
        let Ok(port) = port_rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!("casetrail serve did not start:\n{}", log.lock().unwrap());
        };
        Server {
            child: Mutex::new(child),
            port,
            log,
            drain: Mutex::new(Some(drain)),
        }
    }

    /// SIGKILL: no shutdown hook, no flush, no goodbye.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }

    /// SIGTERM, as a service manager stops it: waits for the process to exit and returns
    /// its exit status and everything it wrote to standard error.
    pub fn stop(&self) -> (std::process::ExitStatus, String) {
        let pid = self.child.lock().unwrap().id();
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.lock().unwrap().try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "no exit within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(drain) = self.drain.lock().unwrap().take() {
            drain.join().unwrap();
        }
        (status, self.log())
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// One request on its own connection.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Outcome {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return Outcome::Refused;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\
             authorization: Bearer {token}\r\ncontent-length: {}\r\n",
            body.len()
        );
        if !body.is_empty() {
            request.push_str("content-type: application/json\r\n");
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        // Once any byte may have reached the server, the outcome is unknown until answered.
        if stream.write_all(request.as_bytes()).is_err() {
            return Outcome::Lost;
        }
        let mut raw = Vec::new();
        if stream.read_to_end(&mut raw).is_err() {
            return Outcome::Lost;
        }
        Reply::parse(&raw).map_or(Outcome::Lost, Outcome::Answered)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What became of a request.
#[derive(Debug)]
pub enum Outcome {
    /// The connection was refused: nothing was sent.
    Refused,
    /// Sent, but no complete answer came back: it may or may not have been carried out.
    Lost,
    /// A complete response.
    Answered(Reply),
}

impl Outcome {
    pub fn answered(self) -> Reply {
        match self {
            Outcome::Answered(reply) => reply,
            other => panic!("no answer: {other:?}"),
        }
    }
}

/// A complete HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    /// Parses a response read to the end; `None` unless it is complete.
    fn parse(raw: &[u8]) -> Option<Reply> {
        let text = std::str::from_utf8(raw).ok()?;
        let (head, body) = text.split_once("\r\n\r\n")?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse::<usize>().ok())?;
        if body.len() != length {
            return None;
        }
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).ok()?
        };
        Some(Reply {
            status,
            headers,
            body,
        })
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

// ---- PostgreSQL ------------------------------------------------------------------------------

/// A fresh PostgreSQL database on the server of `TEST_DATABASE_URL`, dropped afterwards.
///
/// A clone of the template database that `casetrail_testkit` migrates once per process. The
/// template is migrated with `casetrail_store::open`, the store the binary itself opens (the api
/// package depends on it), so no `psql` is needed.
#[derive(Debug)]
pub struct PostgresDb {
    pub url: String,
    _db: casetrail_testkit::PgTestDb,
}

impl PostgresDb {
    pub fn create() -> Option<PostgresDb> {
        let db =
            casetrail_testkit::PgTestDb::create_blocking("casetrail_crash", |url| async move {
                let store = casetrail_store::open(&url)
                    .await
                    .expect("migrate the template");
                store.close().await;
            })?;
        Some(PostgresDb {
            url: db.url.clone(),
            _db: db,
        })
    }
}
