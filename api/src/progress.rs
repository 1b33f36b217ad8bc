//! Progress of the long commands (`seed`, `export`, `verify`, `replay`, `backup`, `restore`)
//! on standard error: a bar with the rate and the time left on a terminal; otherwise (a log
//! file, a CI job, a pipe) one line every [`LINE_EVERY`] events or rows, or [`LINE_EVERY_BYTES`]
//! bytes of a file, so a job's log shows it moving without a line per event. Standard output
//! stays the command's result alone.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Events or rows between two progress lines when standard error is not a terminal.
pub const LINE_EVERY: u64 = 10_000;
/// Bytes between two progress lines when reading a file and standard error is not a terminal.
pub const LINE_EVERY_BYTES: u64 = 16 << 20;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Events of the log.
    Events,
    /// Rows of a backup.
    Rows,
    /// Bytes of a file read.
    Bytes,
}

impl Unit {
    fn word(self) -> &'static str {
        match self {
            Unit::Events => "events",
            Unit::Rows => "rows",
            Unit::Bytes => "bytes",
        }
    }

    fn line_every(self) -> u64 {
        match self {
            Unit::Bytes => LINE_EVERY_BYTES,
            Unit::Events | Unit::Rows => LINE_EVERY,
        }
    }
}

/// The progress of one command; clones report to the same display.
#[derive(Debug, Clone)]
pub struct Progress {
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    command: &'static str,
    unit: Unit,
    total: Option<u64>,
    done: u64,
    next_line: u64,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts showing the progress of `command` towards `total` (when known).
    pub fn start(command: &'static str, unit: Unit, total: Option<u64>) -> Self {
        let bar = std::io::stderr()
            .is_terminal()
            .then(|| bar(command, unit, total));
        Self::with_bar(command, unit, total, bar)
    }

    fn with_bar(
        command: &'static str,
        unit: Unit,
        total: Option<u64>,
        bar: Option<ProgressBar>,
    ) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                command,
                unit,
                total,
                done: 0,
                next_line: unit.line_every(),
                started: Instant::now(),
                bar,
            })),
        }
    }

    /// Reports that `done` of the total are done.
    pub fn set(&self, done: u64) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.done = done;
        if let Some(bar) = &state.bar {
            bar.set_position(done);
        } else if done >= state.next_line {
            let every = state.unit.line_every();
            state.next_line = (done / every + 1) * every;
            eprintln!("{}", state.line());
        }
    }

    /// Removes the bar; the command then prints its own summary.
    pub fn finish(&self) {
        if let Ok(state) = self.state.lock()
            && let Some(bar) = &state.bar
        {
            bar.finish_and_clear();
        }
    }
}

impl State {
    /// `casetrail export: 20000 of 70000 events, 51234/s, about 1 s left`.
    fn line(&self) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = if seconds > 0.0 {
            self.done as f64 / seconds
        } else {
            0.0
        };
        let of = self.total.map(|t| format!(" of {t}")).unwrap_or_default();
        #[allow(clippy::cast_precision_loss)]
        let left = match self.total {
            Some(total) if rate > 0.0 && total > self.done => {
                format!(", about {:.0} s left", (total - self.done) as f64 / rate)
            }
            _ => String::new(),
        };
        format!(
            "casetrail {}: {}{of} {}, {rate:.0}/s{left}",
            self.command,
            self.done,
            self.unit.word()
        )
    }
}

fn bar(command: &'static str, unit: Unit, total: Option<u64>) -> ProgressBar {
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let (count, done, rate) = match unit {
        Unit::Bytes => ("{bytes}/{total_bytes}", "{bytes}", "{bytes_per_sec}"),
        Unit::Events => (
            "{human_pos}/{human_len} events",
            "{human_pos} events",
            "{rate}",
        ),
        Unit::Rows => ("{human_pos}/{human_len} rows", "{human_pos} rows", "{rate}"),
    };
    let template = if total.is_some() {
        format!("casetrail {{msg}} [{{bar:30}}] {count} {rate}, {{eta}} left")
    } else {
        format!("casetrail {{msg}} {{spinner}} {done} {rate}")
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        // indicatif's own `per_sec` has four decimals: a whole number per second reads better.
        let style = style.with_key(
            "rate",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0}/s", state.per_sec());
            },
        );
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(command);
    bar
}

/// A reader that reports the bytes read through it.
#[derive(Debug)]
pub struct Reading<R> {
    inner: R,
    read: u64,
    progress: Progress,
}

impl<R> Reading<R> {
    /// Reports what is read from `inner` to `progress` (in [`Unit::Bytes`]).
    pub fn new(inner: R, progress: Progress) -> Self {
        Self {
            inner,
            read: 0,
            progress,
        }
    }
}

impl Reading<std::fs::File> {
    /// Opens the file at `path` for `command`, its bytes reported towards its size.
    pub fn open(path: &std::path::Path, command: &'static str) -> anyhow::Result<Self> {
        use anyhow::Context;
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).ok();
        Ok(Self::new(file, Progress::start(command, Unit::Bytes, size)))
    }
}

impl<R> Drop for Reading<R> {
    fn drop(&mut self) {
        self.progress.finish();
    }
}

impl<R: std::io::Read> std::io::Read for Reading<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.progress.set(self.read);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_line_says_how_far_how_fast_and_how_long_is_left() {
        let state = State {
            command: "export",
            unit: Unit::Events,
            total: Some(70_000),
            done: 20_000,
            next_line: 30_000,
            started: Instant::now() - std::time::Duration::from_secs(2),
            bar: None,
        };
        let line = state.line();
        assert!(
            line.starts_with("casetrail export: 20000 of 70000 events, "),
            "{line}"
        );
        assert!(line.ends_with(" s left"), "{line}");
        let unknown = State {
            total: None,
            ..state
        };
        assert!(!unknown.line().contains("left"), "{}", unknown.line());
    }

    #[test]
    fn lines_come_every_so_many_and_not_between() {
        // Lines (no terminal), at 10,000, 20,000 …
        let progress = Progress::with_bar("verify", Unit::Events, Some(100), None);
        for done in [1, 9_999, 10_000, 10_001, 25_000] {
            progress.set(done);
        }
        let state = progress.state.lock().unwrap();
        assert_eq!(state.next_line, 30_000);
        assert_eq!(state.done, 25_000);
    }
}

/// An event store whose reads of the whole log report how far they have come: `export`,
/// `verify` and `replay` read the log page by page, in position order, through it.
#[derive(Debug)]
pub struct Following {
    inner: Arc<dyn casetrail_store::EventStore>,
    progress: Progress,
}

impl Following {
    /// Reports the position of each page of the log read from `inner` to `progress`.
    pub fn new(inner: Arc<dyn casetrail_store::EventStore>, progress: Progress) -> Self {
        Self { inner, progress }
    }
}

#[async_trait::async_trait]
impl casetrail_store::EventStore for Following {
    async fn append(
        &self,
        request: casetrail_store::AppendRequest,
    ) -> Result<casetrail_store::AppendResult, casetrail_store::StoreError> {
        self.inner.append(request).await
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<casetrail_store::RecordedEvent>, casetrail_store::StoreError> {
        self.inner.read_stream(stream_id, from_version).await
    }

    async fn read_all(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<casetrail_store::RecordedEvent>, casetrail_store::StoreError> {
        let page = self.inner.read_all(after, limit).await?;
        if let Some(last) = page.last() {
            self.progress.set(last.position);
        }
        Ok(page)
    }

    fn read_recent(
        &self,
        after: u64,
        limit: usize,
    ) -> Option<Vec<Arc<casetrail_store::RecordedEvent>>> {
        self.inner.read_recent(after, limit)
    }

    async fn event_by_id(
        &self,
        event_id: uuid::Uuid,
    ) -> Result<Option<casetrail_store::RecordedEvent>, casetrail_store::StoreError> {
        self.inner.event_by_id(event_id).await
    }

    async fn head_position(&self) -> Result<u64, casetrail_store::StoreError> {
        self.inner.head_position().await
    }

    fn watch_head(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.watch_head()
    }

    async fn ping(&self) -> Result<(), casetrail_store::StoreError> {
        self.inner.ping().await
    }

    fn pool_state(&self) -> casetrail_store::PoolState {
        self.inner.pool_state()
    }

    async fn close(&self) {
        self.inner.close().await;
    }
}
