//! The log: one thread owns standard error and writes every line, so a request's worker never
//! waits on a write. The request line (one per request) is handed over as plain values and
//! turned into text on that thread: formatting it on the worker was a tenth of a case read's
//! CPU (BENCHMARKS.md, "HTTP"). Other events are formatted by `tracing-subscriber` as usual
//! and handed over as finished lines.
//!
//! Logging never holds up a request: when the queue is full (standard error is slow or
//! blocked: a full pipe, a stalled log shipper), the line is dropped and counted in
//! `log_lines_dropped_total`, and the log thread writes one warning saying how many were lost
//! once it has caught up. The access log of reads is not written here and keeps its own
//! guarantee (`access_log`).
//!
//! Why not `tracing-appender`'s non-blocking writer, which also gives standard error a thread
//! of its own: it takes finished bytes, so the request line would be formatted on the
//! request's worker again, and its thread wakes for every line it receives. Those are the two
//! costs this writer was built to remove; BENCHMARKS.md ("Reads: where the time went")
//! measured the request line at 8.2–13.0% of a read's CPU before and 3.8% after. (That was the
//! `tracing` JSON formatter with a wake per line against this writer, not `tracing-appender`
//! itself, which does the same two things.) Its lossy mode drops lines too, but only counts
//! them; this one also says in the log how many were lost.

use crate::config::LogFormat;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant, SystemTime};

/// Lines waiting for the log thread at most, by default (`CASETRAIL_LOG_QUEUE_LINES`).
pub const DEFAULT_QUEUE_LINES: usize = 65_536;
/// The counter of lines dropped because the queue was full.
pub const DROPPED_METRIC: &str = "log_lines_dropped_total";
/// After writing, the log thread lets lines gather this long before it writes again: under
/// load it then wakes a few hundred times a second, not once per request, and writes each
/// gathering with one system call. Lines are at most this much later on standard error.
const GATHER: Duration = Duration::from_millis(5);
/// How long a stopping server waits for the queued lines to be written.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// The target the request line is filed under (`CASETRAIL_LOG` can turn it off by it).
pub(super) const REQUEST_TARGET: &str = "casetrail_api::telemetry";

/// One request, as logged: ids of the user and organisation, never anything about a child or
/// adult, and the route pattern, never the path's values, the query or the body.
#[derive(Debug)]
pub(super) struct RequestLine {
    pub at: SystemTime,
    pub request_id: String,
    /// The id the client sent, if well-formed: logged, never used as ours.
    pub client_request_id: Option<String>,
    /// The caller's W3C trace id (`traceparent`), if it sent a well-formed one.
    pub trace_id: Option<String>,
    /// A known method, or `other`.
    pub method: &'static str,
    pub route: String,
    pub status: u16,
    pub latency: Duration,
    pub user: String,
    pub org: String,
}

#[derive(Debug)]
enum Entry {
    /// A line formatted by `tracing-subscriber`.
    Formatted(Vec<u8>),
    /// A request line, to be formatted here (boxed: the queue holds small entries).
    Request(Box<RequestLine>),
    /// Write everything queued before this, then answer.
    Flush(mpsc::Sender<()>),
}

static QUEUE: OnceLock<SyncSender<Entry>> = OnceLock::new();

/// Lines dropped since the log thread last reported it.
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Queues an entry without ever waiting: a full queue drops it and counts it.
fn offer(queue: &SyncSender<Entry>, entry: Entry) {
    if let Err(TrySendError::Full(_)) = queue.try_send(entry) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        metrics::counter!(DROPPED_METRIC).increment(1);
    }
}

/// Flushes the log when dropped: keep it until the server has stopped.
#[must_use = "dropping the guard flushes the log at once"]
#[derive(Debug)]
pub struct LogGuard(());

impl LogGuard {
    pub(super) fn new() -> Self {
        Self(())
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        let Some(queue) = QUEUE.get() else { return };
        let (done, written) = mpsc::channel();
        // A blocked standard error must not hold up the exit either: wait for room in the
        // queue, and then for the write, no longer than the flush timeout in all.
        let deadline = Instant::now() + FLUSH_TIMEOUT;
        let mut flush = Entry::Flush(done);
        loop {
            match queue.try_send(flush) {
                Ok(()) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    let _ = written.recv_timeout(left);
                    return;
                }
                Err(TrySendError::Full(entry)) if Instant::now() < deadline => {
                    flush = entry;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => return,
            }
        }
    }
}

/// Starts the log thread once per process and returns the sink `tracing-subscriber` writes
/// its lines to; `None` if it cannot start (then the subscriber writes directly).
pub(super) fn start(format: LogFormat, queue_lines: usize) -> Option<LineSink> {
    if QUEUE.get().is_none() {
        // Present from the start, so a dashboard sees 0 rather than nothing.
        metrics::counter!(DROPPED_METRIC).absolute(0);
        let (queue, lines) = mpsc::sync_channel(queue_lines.max(1));
        std::thread::Builder::new()
            .name("casetrail-log".into())
            .spawn(move || write_lines(&lines, format))
            .ok()?;
        let _ = QUEUE.set(queue);
    }
    QUEUE.get().map(|queue| LineSink(queue.clone()))
}

/// Logs a request: on the log thread when it runs, else through `tracing` (tests and
/// embedders that install their own subscriber).
pub(super) fn request(line: RequestLine, span: &tracing::Span) {
    if !tracing::enabled!(target: REQUEST_TARGET, tracing::Level::INFO) {
        return;
    }
    match QUEUE.get() {
        Some(queue) => offer(queue, Entry::Request(Box::new(line))),
        None => span.in_scope(|| {
            tracing::info!(
                target: REQUEST_TARGET,
                method = line.method,
                route = line.route,
                status = line.status,
                latency_ms = line.latency.as_secs_f64() * 1000.0,
                user = line.user,
                org = line.org,
                "request"
            );
        }),
    }
}

fn write_lines(lines: &Receiver<Entry>, format: LogFormat) {
    // Not `stderr().lock()` for good: `eprintln!` elsewhere must still be able to write.
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stderr());
    let mut text = String::new();
    while let Ok(first) = lines.recv() {
        let mut flushed = Vec::new();
        // Everything already queued goes out in one write.
        for entry in std::iter::once(first).chain(lines.try_iter()) {
            // A failed write to standard error cannot be reported anywhere: carry on.
            let _ = match entry {
                Entry::Formatted(line) => out.write_all(&line),
                Entry::Request(line) => match format {
                    LogFormat::Json => write_json(&mut out, &line),
                    LogFormat::Text => {
                        text.clear();
                        write_text(&mut text, &line);
                        out.write_all(text.as_bytes())
                    }
                },
                Entry::Flush(done) => {
                    flushed.push(done);
                    Ok(())
                }
            };
        }
        // Caught up: say how many lines were lost while the writes were held up.
        let dropped = DROPPED.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = write_dropped(&mut out, format, dropped);
        }
        let _ = out.flush();
        for done in flushed {
            let _ = done.send(());
        }
        std::thread::sleep(GATHER);
    }
}

fn timestamp(at: SystemTime) -> String {
    DateTime::<Utc>::from(at).to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The warning that lines were dropped, in the shape of the other lines.
fn write_dropped(out: &mut impl Write, format: LogFormat, dropped: u64) -> io::Result<()> {
    let at = timestamp(SystemTime::now());
    let message = format!("{dropped} log lines dropped");
    match format {
        LogFormat::Json => {
            let line = serde_json::json!({
                "timestamp": at, "level": "WARN", "message": message,
                "dropped": dropped, "target": REQUEST_TARGET,
            });
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")
        }
        LogFormat::Text => writeln!(out, "{at}  WARN {REQUEST_TARGET}: {message}"),
    }
}

/// The JSON shape `tracing-subscriber` gives the other lines (flattened fields, the request's
/// span beside them), so one query reads them all.
fn write_json(out: &mut impl Write, line: &RequestLine) -> io::Result<()> {
    #[derive(Serialize)]
    struct Json<'a> {
        timestamp: String,
        level: &'static str,
        message: &'static str,
        method: &'a str,
        route: &'a str,
        status: u16,
        latency_ms: f64,
        user: &'a str,
        org: &'a str,
        target: &'static str,
        span: Span<'a>,
    }
    #[derive(Serialize)]
    struct Span<'a> {
        request_id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_request_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        trace_id: Option<&'a str>,
        name: &'static str,
    }
    serde_json::to_writer(
        &mut *out,
        &Json {
            timestamp: timestamp(line.at),
            level: "INFO",
            message: "request",
            method: line.method,
            route: &line.route,
            status: line.status,
            latency_ms: line.latency.as_secs_f64() * 1000.0,
            user: &line.user,
            org: &line.org,
            target: REQUEST_TARGET,
            span: Span {
                request_id: &line.request_id,
                client_request_id: line.client_request_id.as_deref(),
                trace_id: line.trace_id.as_deref(),
                name: "request",
            },
        },
    )?;
    out.write_all(b"\n")
}

/// The text shape of `tracing-subscriber`'s other lines.
fn write_text(out: &mut String, line: &RequestLine) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{}  INFO request{{request_id={}{}{}}}: {REQUEST_TARGET}: request method={} route={} \
         status={} latency_ms={} user={:?} org={:?}",
        timestamp(line.at),
        line.request_id,
        line.client_request_id
            .as_deref()
            .map(|id| format!(" client_request_id={id}"))
            .unwrap_or_default(),
        line.trace_id
            .as_deref()
            .map(|id| format!(" trace_id={id}"))
            .unwrap_or_default(),
        line.method,
        line.route,
        line.status,
        line.latency.as_secs_f64() * 1000.0,
        line.user,
        line.org,
    );
}

/// Where `tracing-subscriber` writes its formatted lines: the log thread's queue.
#[derive(Debug)]
pub(super) struct LineSink(SyncSender<Entry>);

/// One formatted event (the subscriber writes each event with a single `write_all`).
#[derive(Debug)]
pub(super) struct LineWriter<'a>(&'a SyncSender<Entry>);

impl io::Write for LineWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        offer(self.0, Entry::Formatted(buf.to_vec()));
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LineSink {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> LineWriter<'a> {
        LineWriter(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line(user: &str) -> RequestLine {
        RequestLine {
            at: SystemTime::UNIX_EPOCH + Duration::from_micros(1_795_000_000_123_456),
            request_id: "req-1".into(),
            client_request_id: None,
            trace_id: None,
            method: "GET",
            route: "/v1/cases/{case_id}".into(),
            status: 200,
            latency: Duration::from_micros(250),
            user: user.into(),
            org: "southend-council".into(),
        }
    }

    #[test]
    fn a_json_request_line_has_the_subscribers_shape() {
        let mut out = Vec::new();
        write_json(&mut out, &line("u-\"1\"")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with('\n') && text.matches('\n').count() == 1);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "timestamp": "2026-11-18T11:06:40.123456Z", "level": "INFO",
                "message": "request", "method": "GET", "route": "/v1/cases/{case_id}",
                "status": 200, "latency_ms": 0.25, "user": "u-\"1\"",
                "org": "southend-council", "target": "casetrail_api::telemetry",
                "span": {"request_id": "req-1", "name": "request"}
            })
        );
    }

    #[test]
    fn a_request_line_carries_the_callers_trace() {
        let mut traced = line("u-1");
        traced.trace_id = Some("4bf92f3577b34da6a3ce929d0e0e4736".into());
        let mut out = Vec::new();
        write_json(&mut out, &traced).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["span"]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
        let mut text = String::new();
        write_text(&mut text, &traced);
        assert!(
            text.contains("{request_id=req-1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736}"),
            "{text}"
        );
    }

    #[test]
    fn a_text_request_line_is_one_line() {
        let mut out = String::new();
        write_text(&mut out, &line("u-1\nforged line"));
        assert_eq!(
            out,
            "2026-11-18T11:06:40.123456Z  INFO request{request_id=req-1}: \
             casetrail_api::telemetry: request method=GET route=/v1/cases/{case_id} \
             status=200 latency_ms=0.25 user=\"u-1\\nforged line\" org=\"southend-council\"\n"
        );
    }
}
