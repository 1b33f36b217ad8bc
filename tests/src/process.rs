//! The real `casetrail` binary as a child process, for what only a process of its own shows:
//! SIGKILL and SIGTERM, its standard error, its memory, its file modes, its offline commands.
//!
//! Requests go over loopback through a deliberately tiny HTTP/1.1 client on `std::net`: a raw
//! socket tells "refused" (never sent) from "lost" (sent, no complete answer) exactly.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The `casetrail` binary under test: `CASETRAIL_BIN` when set, otherwise the one Cargo built
/// into this test's target directory. `cargo test --workspace` builds it (the `casetrail-api`
/// package's own tests need it); run alone, build it first: `cargo build -p casetrail-api`.
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CASETRAIL_BIN") {
        return PathBuf::from(path);
    }
    // The test runs as target/<profile>/deps/<test>-<hash>; binaries are in target/<profile>.
    let test = std::env::current_exe().expect("the test's own path");
    let profile = test
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from target/<profile>/deps");
    let path = profile.join("casetrail");
    assert!(
        path.is_file(),
        "{} is not built: `cargo build -p casetrail-api`, or set CASETRAIL_BIN",
        path.display()
    );
    path
}

/// The JSON a command printed, which must have succeeded (else its standard error is shown).
pub fn succeeded(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the command printed JSON")
}

/// A SQLite database in `dir` with one generated partnership of `cases` cases (about 30
/// events each), by `casetrail seed`.
pub fn seeded_database(dir: &Path, cases: usize) -> String {
    let url = format!("sqlite://{}/seeded.db", dir.display());
    let cases = cases.to_string();
    let seeded = casetrail(
        dir,
        &[
            "seed",
            "--database-url",
            &url,
            "--partnerships",
            "1",
            "--cases",
            &cases,
        ],
        &[],
    );
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    url
}

/// What `casetrail verify` says of the log at `url` (which it must verify as whole).
pub fn verified(dir: &Path, url: &str) -> Value {
    succeeded(&casetrail(dir, &["verify", "--database-url", url], &[]))
}

/// `casetrail <args>` run to its end in `dir`, with only the environment given.
pub fn casetrail(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).current_dir(dir).env_clear();
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run casetrail")
}

/// A running `casetrail serve` child process, killed when dropped.
#[derive(Debug)]
pub struct Server {
    child: Mutex<Child>,
    pub port: u16,
    log: Arc<Mutex<String>>,
    stderr: Mutex<Stderr>,
}

/// What becomes of the server's standard error.
#[derive(Debug)]
enum Stderr {
    /// Read into the log by a thread, for as long as the process lives: it never blocks.
    Drained(Option<JoinHandle<()>>),
    /// Left unread until the test reads it ([`Server::lines`]): writes to it block.
    Held(Option<BufReader<ChildStderr>>),
}

impl Server {
    /// Starts the binary on the database, logging warnings as text, and waits until it
    /// listens.
    pub fn start(url: &str, data_dir: &Path) -> Server {
        Server::start_with(url, data_dir, &[])
    }

    /// Starts the binary with these settings besides (or instead of) the defaults.
    pub fn start_with(url: &str, data_dir: &Path, settings: &[(&str, &str)]) -> Server {
        let (child, port, log, stderr) = spawn(url, data_dir, settings);
        let sink = Arc::clone(&log);
        let drain = std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let mut log = sink.lock().expect("the log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server::new(child, port, log, Stderr::Drained(Some(drain)))
    }

    /// Starts the binary with its standard error left unread after the start-up lines, as a
    /// service manager whose journal has stalled would: the test reads it when it chooses.
    pub fn start_unread(url: &str, data_dir: &Path, settings: &[(&str, &str)]) -> Server {
        let (child, port, log, stderr) = spawn(url, data_dir, settings);
        Server::new(child, port, log, Stderr::Held(Some(stderr)))
    }

    fn new(child: Child, port: u16, log: Arc<Mutex<String>>, stderr: Stderr) -> Server {
        Server {
            child: Mutex::new(child),
            port,
            log,
            stderr: Mutex::new(stderr),
        }
    }

    /// Standard error from now on, line by line, read on a thread for as long as the process
    /// lives (a server started with [`Server::start_unread`], once).
    pub fn lines(&self) -> mpsc::Receiver<String> {
        let Stderr::Held(held) = &mut *self.stderr.lock().expect("stderr") else {
            panic!("standard error is drained into the log: read Server::log");
        };
        let stderr = held.take().expect("standard error is read once");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        received
    }

    /// The process id, to read its `/proc` entries.
    pub fn pid(&self) -> u32 {
        self.child.lock().expect("the child").id()
    }

    /// SIGKILL: no shutdown hook, no flush, no goodbye.
    pub fn kill(&self) {
        let mut child = self.child.lock().expect("the child");
        let _ = child.kill();
        let _ = child.wait();
    }

    /// SIGTERM, as a service manager stops it: waits for the process to exit and returns
    /// its exit status and everything it wrote to standard error.
    pub fn stop(&self) -> (std::process::ExitStatus, String) {
        let pid = self.pid();
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self
                .child
                .lock()
                .expect("the child")
                .try_wait()
                .expect("wait")
            {
                break status;
            }
            assert!(Instant::now() < deadline, "no exit within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Stderr::Drained(drain) = &mut *self.stderr.lock().expect("stderr")
            && let Some(drain) = drain.take()
        {
            drain.join().expect("the stderr drain");
        }
        (status, self.log())
    }

    /// What it has written to standard error so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("the log").clone()
    }

    /// Notifies an incident (the example notification) with `token`, which must open a case;
    /// returns the case's id.
    pub fn notify(&self, token: &str) -> String {
        let created = self
            .call(
                "POST",
                "/v1/cases/notifications",
                token,
                &[],
                Some(&crate::notification()),
            )
            .answered();
        assert_eq!(created.status, 201, "{:?}", created.body);
        created.body["case_id"]
            .as_str()
            .expect("the case id")
            .to_owned()
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
            .expect("a read timeout");
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

/// Starts `casetrail serve` and reads its standard error up to the line naming its port.
fn spawn(
    url: &str,
    data_dir: &Path,
    settings: &[(&str, &str)],
) -> (Child, u16, Arc<Mutex<String>>, BufReader<ChildStderr>) {
    let mut command = Command::new(binary());
    command
        .arg("serve")
        // Only what the test sets: no setting of the developer's shell leaks in.
        .env_clear()
        .env("DATABASE_URL", url)
        .env("CASETRAIL_BIND", "127.0.0.1:0")
        .env("CASETRAIL_DATA_DIR", data_dir)
        // Development values for whatever a test leaves out; a test of production settings
        // sets CASETRAIL_DEV=false.
        .env("CASETRAIL_DEV", "true")
        .env("CASETRAIL_WORKERS", "2")
        .env("CASETRAIL_LOG_FORMAT", "text")
        .env("CASETRAIL_LOG", "warn")
        // Off unless a test sets it: the tests here count the events they caused, and the
        // worked example's deadlines, long past, would each be recorded as breached.
        .env("CASETRAIL_REMINDER_INTERVAL", "off");
    for (name, value) in settings {
        command.env(name, value);
    }
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start casetrail serve");
    let mut stderr = BufReader::new(child.stderr.take().expect("its standard error"));
    // A thread waits for the port, so that a server that never listens fails the test in a
    // minute instead of hanging it.
    let (port_tx, port_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut seen = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            match stderr.read_line(&mut line) {
                Ok(0) | Err(_) => return (stderr, seen, None),
                Ok(_) => {}
            }
            seen.push_str(&line);
            if let Some(port) = line.trim().strip_prefix("Casetrail is listening on port ") {
                let port = port.parse::<u16>().ok();
                let _ = port_tx.send(());
                return (stderr, seen, port);
            }
        }
    });
    let started = port_rx.recv_timeout(Duration::from_secs(60)).is_ok();
    if !started {
        let _ = child.kill();
    }
    let (stderr, seen, port) = reader.join().expect("the start-up reader");
    let Some(port) = port.filter(|_| started) else {
        let _ = child.kill();
        panic!("casetrail serve did not start:\n{seen}");
    };
    (child, port, Arc::new(Mutex::new(seen)), stderr)
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
    /// The answer, which there must be.
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

    /// A 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header's value, empty when absent (names are lower case).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, value)| value.as_str())
    }
}
