//! Batched recording of reads: a handler hands its record to a queue and answers at once; one
//! task writes what has queued up within a few milliseconds in a single transaction, so a
//! burst of reads costs one commit, not one per read.

use super::{AccessLogStore, AccessRecord};
use crate::StoreError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

/// Reads waiting to be written at most; beyond it `record` waits for room (backpressure).
const QUEUE: usize = 16_384;
/// Reads per transaction at most.
const MAX_BATCH: usize = 2_000;
/// How long the writer lets reads gather after the first before it writes them: under load,
/// one transaction per few hundred reads instead of one every few reads, which took about a
/// fifth of two cores at 38,000 reads/s (BENCHMARKS.md, "HTTP"). A read is durable, and a
/// flush answered, at most this much later than without it.
const GATHER: Duration = Duration::from_millis(10);
/// How long `record` waits for room in a full queue before refusing the read.
const ROOM_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest pause between attempts to write a failed batch.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Attempts left for a failing batch once the logger is closing, so shutdown cannot hang on a
/// database that has gone.
const ATTEMPTS_WHEN_CLOSING: u32 = 3;

enum Message {
    Record(Box<AccessRecord>),
    Flush(oneshot::Sender<()>),
    Close,
}

/// Why a read could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum AccessLogError {
    /// The queue stayed full (the database is slow or down) or the logger has closed.
    #[error("the access log cannot take more records now")]
    Unavailable,
}

/// The handle through which reads are recorded. Cheap to clone; all clones feed one writer.
#[derive(Debug, Clone)]
pub struct AccessLogger {
    sender: mpsc::Sender<Message>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl AccessLogger {
    /// Starts the writer task on the current runtime.
    pub fn start(store: Arc<dyn AccessLogStore>) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let task = tokio::spawn(write_batches(store, receiver));
        Self {
            sender,
            task: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// Queues a read. Returns once queued, not once written: the read's answer does not wait
    /// for a commit. Refuses (so the read can be refused) when the queue has stayed full for
    /// two seconds or the logger has closed: a read that cannot be recorded is not served.
    pub async fn record(&self, record: AccessRecord) -> Result<(), AccessLogError> {
        self.sender
            .send_timeout(Message::Record(Box::new(record)), ROOM_TIMEOUT)
            .await
            .map_err(|_| AccessLogError::Unavailable)
    }

    /// Reads queued and not yet handed to the writer, for the metrics.
    pub fn queued(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }

    /// Waits until every read queued before this call is durable.
    pub async fn flush(&self) -> Result<(), AccessLogError> {
        let (done, written) = oneshot::channel();
        self.sender
            .send(Message::Flush(done))
            .await
            .map_err(|_| AccessLogError::Unavailable)?;
        written.await.map_err(|_| AccessLogError::Unavailable)
    }

    /// Writes what is queued and stops the writer. Later records are refused.
    pub async fn close(&self) {
        let _ = self.sender.send(Message::Close).await;
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

async fn write_batches(store: Arc<dyn AccessLogStore>, mut queue: mpsc::Receiver<Message>) {
    let mut batch = Batch::default();
    while !batch.closing {
        let Some(first) = queue.recv().await else {
            break;
        };
        batch.gather(first, &mut queue).await;
        if !batch.records.is_empty() {
            write_with_retries(store.as_ref(), &batch.records, batch.closing).await;
            batch.records.clear();
        }
        for done in batch.waiters.drain(..) {
            let _ = done.send(());
        }
    }
    queue.close();
}

/// What one transaction writes, and who waits for it.
#[derive(Default)]
struct Batch {
    records: Vec<AccessRecord>,
    waiters: Vec<oneshot::Sender<()>>,
    closing: bool,
}

impl Batch {
    /// Takes `first` and, unless that settles it, what has queued `GATHER` later. The
    /// writer sleeps meanwhile rather than waiting on the queue, so the reads queued in the
    /// meantime do not each have to wake it.
    async fn gather(&mut self, first: Message, queue: &mut mpsc::Receiver<Message>) {
        self.take(first);
        if !self.is_ready() {
            tokio::time::sleep(GATHER).await;
        }
        while !self.is_ready() {
            match queue.try_recv() {
                Ok(message) => self.take(message),
                Err(mpsc::error::TryRecvError::Empty) => return,
                // Every handle is gone: write what there is and stop.
                Err(mpsc::error::TryRecvError::Disconnected) => self.closing = true,
            }
        }
    }

    fn take(&mut self, message: Message) {
        match message {
            Message::Record(record) => self.records.push(*record),
            Message::Flush(done) => self.waiters.push(done),
            Message::Close => self.closing = true,
        }
    }

    fn is_ready(&self) -> bool {
        self.records.len() >= MAX_BATCH || self.closing || !self.waiters.is_empty()
    }
}

/// Writes one batch, retrying with backoff: a passing database outage delays the records but
/// does not lose them. Only when closing does it give up, after a few attempts, and says so.
async fn write_with_retries(store: &dyn AccessLogStore, records: &[AccessRecord], closing: bool) {
    let mut backoff = Duration::from_millis(50);
    let mut attempts = 0;
    loop {
        attempts += 1;
        match store.append(records).await {
            Ok(()) => return,
            Err(error) => {
                report(&error, records.len(), attempts);
                if closing && attempts >= ATTEMPTS_WHEN_CLOSING {
                    tracing::error!(
                        lost = records.len(),
                        "access log records lost at shutdown: the database did not accept them"
                    );
                    return;
                }
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn report(error: &StoreError, records: usize, attempt: u32) {
    // The records name cases and staff, never a child or adult: only the count is logged.
    tracing::warn!(%error, records, attempt, "cannot write access log records; retrying");
}
