//! The single writer task with group commit, shared by both backends.
//!
//! Appends are serialized (gap-free positions, one hash chain), and a serialized writer that
//! commits one append per transaction is capped by the commit latency. So callers queue their
//! appends on a channel; the writer takes everything queued, decides each append
//! ([`crate::batch::plan`]), writes all accepted rows in one transaction, commits once, and only
//! then answers each caller. Nothing is acknowledged before its commit is durable.
//!
//! A batch costs one statement when the writer's [`Cache`] is current: it is planned on what
//! the writer knows, and the backend checks that knowledge under the append lock while it
//! inserts. Otherwise (another process appended, an id is already stored, a stream the cache
//! does not know) the batch is read and planned again under the lock.
//!
//! After each commit the writer keeps the batch's events in memory for a follower of the log
//! in this process ([`Recent`], `EventStore::read_recent`), before it moves the head.

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::batch::{self, Basis, NewRow, Plan};
use crate::cache::Cache;
use crate::recent::Recent;
use crate::{AppendRequest, AppendResult, NewDataKey, RecordedEvent, StoreError};

mod connection;
pub(crate) use connection::WriterConnection;

/// The most appends committed in one transaction: bounds the transaction's size and latency.
const MAX_BATCH: usize = 512;

/// Appends waiting for the writer; callers wait for room beyond this (back-pressure).
const QUEUE_CAPACITY: usize = 4096;

type Reply = oneshot::Sender<Result<AppendResult, StoreError>>;
type Job = (AppendRequest, Reply);

/// What a backend does for one batch, on the writer's own connection.
#[async_trait]
pub(crate) trait Backend: Send + 'static {
    /// In one transaction, under the append lock: if the database still holds `basis` (the
    /// chain ends at its head, its guessed streams are at the guessed versions, none of its
    /// new ids is stored), inserts `rows` and `keys` and commits. `Ok(false)` when it does
    /// not, or when the backend cannot write this batch so: nothing was written.
    async fn append_if_unchanged(
        &mut self,
        basis: &Basis,
        rows: &[NewRow],
        keys: &[NewDataKey],
    ) -> Result<bool, StoreError>;

    /// In one transaction: take the append lock, read a [`batch::Snapshot`], call
    /// [`batch::plan`] with `now`, insert the planned rows and keys, commit. Returns the plan only
    /// after the commit.
    async fn append_locked(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError>;

    /// Forgets the connection after a failure, so the next batch starts on a fresh one.
    fn reset(&mut self);

    /// Closes the connection when the writer stops.
    async fn shutdown(&mut self);
}

/// The handle through which a store sends appends to its writer task.
#[derive(Debug)]
pub(crate) struct Writer {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
    task: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    /// The events of its last commits, for a follower in this process.
    recent: Arc<Recent>,
}

impl Writer {
    /// Starts the writer task; it moves `head` after each commit.
    pub(crate) fn spawn(backend: impl Backend, head: Arc<watch::Sender<u64>>) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let recent = Arc::new(Recent::default());
        let task = tokio::spawn(run(backend, receiver, head, Arc::clone(&recent)));
        Self {
            queue: Mutex::new(Some(sender)),
            task: tokio::sync::Mutex::new(Some(task)),
            recent,
        }
    }

    /// Up to `limit` events after position `after` as this writer committed them, if it
    /// committed the one right after `after` lately (see [`Recent`]).
    pub(crate) fn recent(&self, after: u64, limit: usize) -> Option<Vec<Arc<RecordedEvent>>> {
        self.recent.after(after, limit)
    }

    /// Queues an append and waits until it is committed (or refused).
    pub(crate) async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        batch::validate(&request)?;
        let queue = self
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let queue = queue.ok_or(StoreError::Closed)?;
        let (reply, answer) = oneshot::channel();
        queue
            .send((request, reply))
            .await
            .map_err(|_| StoreError::Closed)?;
        drop(queue);
        // A dropped reply means the writer task is gone: the append's fate is unknown to us,
        // and a retry with the same event ids is safe.
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stops accepting appends, lets the writer finish those already queued, and waits for it.
    pub(crate) async fn close(&self) {
        drop(
            self.queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(task) = self.task.lock().await.take()
            && let Err(error) = task.await
        {
            tracing::error!(%error, "event store writer task failed");
        }
    }
}

/// Moves a head watch forward, never back (notifications and polls may arrive out of order).
pub(crate) fn advance(head: &watch::Sender<u64>, position: u64) {
    head.send_if_modified(|current| {
        let moved = position > *current;
        if moved {
            *current = position;
        }
        moved
    });
}

async fn run(
    mut backend: impl Backend,
    mut queue: mpsc::Receiver<Job>,
    head: Arc<watch::Sender<u64>>,
    recent: Arc<Recent>,
) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    let mut cache = Cache::default();
    // `recv_many` waits for one append, then takes whatever else is already queued: under
    // load batches grow by themselves, and a lone append is not delayed.
    loop {
        // The callers just answered are runnable now; letting them run first lets their next
        // appends join this batch. Otherwise the first of them would go alone and the rest in
        // the batch after, one commit more for the same appends.
        tokio::task::yield_now().await;
        if queue.recv_many(&mut jobs, MAX_BATCH).await == 0 {
            break;
        }
        let (requests, replies): (Vec<_>, Vec<_>) = jobs.drain(..).unzip();
        let now = Utc::now().trunc_subsecs(6);
        let started = std::time::Instant::now();
        match write_batch(&mut backend, &cache, &requests, now).await {
            Ok(mut plan) => {
                record_batch(requests.len(), plan.rows.len(), started.elapsed());
                cache.remember(&mut plan);
                let new_head = plan.new_head();
                // Kept before the head moves, so a follower woken by the move finds them.
                recent.keep(plan.rows.drain(..).map(|row| row.event));
                // Move the head before answering, so that a caller that got its result finds
                // `watch_head()` at or past its position.
                if let Some(position) = new_head {
                    advance(&head, position);
                }
                for (reply, outcome) in replies.into_iter().zip(plan.outcomes) {
                    // A caller that stopped waiting still had its append committed.
                    let _ = reply.send(outcome);
                }
            }
            Err(error) => {
                metrics::counter!("casetrail_append_batches_failed_total").increment(1);
                tracing::error!(error = %error, source = ?std::error::Error::source(&error),
                    appends = replies.len(), "event store batch failed; nothing was acknowledged");
                backend.reset();
                cache.forget();
                for reply in replies {
                    let _ = reply.send(Err(replicate(&error)));
                }
            }
        }
    }
    backend.shutdown().await;
}

/// The metrics of a committed batch (a no-op where no recorder is installed, as in the
/// commands and the tests).
fn record_batch(appends: usize, events: usize, took: std::time::Duration) {
    #[allow(clippy::cast_precision_loss)]
    metrics::histogram!("casetrail_append_batch_appends").record(appends as f64);
    metrics::histogram!("casetrail_append_batch_seconds").record(took.as_secs_f64());
    metrics::counter!("casetrail_events_appended_total").increment(events as u64);
}

/// Commits one batch: planned on the cache and checked by the database when the cache knows
/// the log, else (or when the check fails) read and planned under the lock.
async fn write_batch(
    backend: &mut impl Backend,
    cache: &Cache,
    requests: &[AppendRequest],
    now: DateTime<Utc>,
) -> Result<Plan, StoreError> {
    if let Some((snapshot, basis)) = cache.assume(requests) {
        let plan = batch::plan(requests, snapshot, now);
        if backend
            .append_if_unchanged(&basis, &plan.rows, &plan.keys)
            .await?
        {
            return Ok(plan);
        }
        tracing::debug!(
            appends = requests.len(),
            "the log is not what this writer knew; reading it under the lock"
        );
    }
    backend.append_locked(requests, now).await
}

/// One failed transaction fails every append of its batch, but errors cannot be cloned: each
/// caller gets an equivalent error that keeps the kind and the message.
fn replicate(error: &StoreError) -> StoreError {
    if error.is_unavailable() && !matches!(error, StoreError::Closed) {
        let cause = match error {
            StoreError::Database(inner) => inner.to_string(),
            other => other.to_string(),
        };
        return StoreError::Unavailable(cause);
    }
    match error {
        StoreError::Corrupt { position, reason } => StoreError::Corrupt {
            position: *position,
            reason: reason.clone(),
        },
        StoreError::InvalidAppend(reason) => StoreError::InvalidAppend(reason),
        StoreError::Closed => StoreError::Closed,
        StoreError::Database(sqlx::Error::PoolTimedOut) => {
            StoreError::Database(sqlx::Error::PoolTimedOut)
        }
        StoreError::Database(sqlx::Error::PoolClosed) => {
            StoreError::Database(sqlx::Error::PoolClosed)
        }
        StoreError::Database(sqlx::Error::Io(io)) => StoreError::Database(sqlx::Error::Io(
            std::io::Error::new(io.kind(), io.to_string()),
        )),
        StoreError::Database(inner) => StoreError::Database(sqlx::Error::AnyDriverError(
            format!("the batch transaction failed: {inner}").into(),
        )),
        other => StoreError::Database(sqlx::Error::AnyDriverError(
            format!("the batch transaction failed: {other}").into(),
        )),
    }
}

#[cfg(test)]
mod tests;
