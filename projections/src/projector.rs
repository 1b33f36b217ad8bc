//! The projector: builds the read models from the log at start-up, then keeps them current by
//! tailing the store, publishing the position it has reached so commands can wait for it.

use crate::ReadModels;
use crate::snapshot::{SnapshotFile, Unusable, Written};
use casetrail_store::{EventStore, RecordedEvent, StoreError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Page size for the start-up catch-up read.
const CATCH_UP_PAGE: usize = 5_000;

/// The most events applied under one write lock while tailing: a large catch-up (another
/// replica's burst) still lets readers in between batches.
const TAIL_BATCH: usize = 256;

/// Why the read models could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The log could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The thread folding the log failed.
    #[error("folding the log failed: {0}")]
    Fold(String),
}

/// Builds and feeds the read models.
#[derive(Debug)]
pub struct Projector;

/// A running projector: the read models, the position they reached, and the tailing task.
#[derive(Debug, Clone)]
pub struct ProjectorHandle {
    models: Arc<RwLock<ReadModels>>,
    store: Arc<dyn EventStore>,
    position: watch::Receiver<u64>,
    task: Arc<JoinHandle<()>>,
    /// How many snapshots are being encoded under the read lock (see [`write_models`]).
    snapshotting: Arc<AtomicUsize>,
}

/// How the read models were built at start-up.
#[derive(Debug)]
pub struct Started {
    /// The snapshot's position when one was used; why none was otherwise.
    pub snapshot: Result<u64, Unusable>,
    /// The events folded from the log after it (all of them without one).
    pub folded: u64,
}

impl Projector {
    /// Replays the whole log into fresh read models, then tails the store in the background.
    pub async fn start(store: Arc<dyn EventStore>) -> Result<ProjectorHandle, StartError> {
        Ok(Self::start_from(store, None).await?.0)
    }

    /// Starts from the read models `snapshot` holds when it can be trusted (see
    /// `crate::snapshot`), folding only the events after it; from the start of the log
    /// otherwise. Then tails the store in the background.
    pub async fn start_from(
        store: Arc<dyn EventStore>,
        snapshot: Option<&SnapshotFile>,
    ) -> Result<(ProjectorHandle, Started), StartError> {
        let (base, snapshot) = match snapshot {
            Some(file) => match file.load(store.as_ref()).await {
                Ok(models) => {
                    let position = models.position();
                    (models, Ok(position))
                }
                Err(unusable) => (ReadModels::default(), Err(unusable)),
            },
            None => (ReadModels::default(), Err(Unusable::Missing)),
        };
        let from = base.position();
        // Reading and parsing the rows and folding them take about as long as each other, so
        // a thread of its own folds while this task reads the next pages: the server's runtime
        // has one thread, and the machine two cores.
        let (pages_tx, pages) = std::sync::mpsc::sync_channel::<Vec<RecordedEvent>>(2);
        let fold = tokio::task::spawn_blocking(move || {
            let mut models = base;
            for page in pages {
                for event in &page {
                    apply_or_report(&mut models, event);
                }
            }
            models.compact(from);
            models
        });
        let read = read_pages(store.as_ref(), from, &pages_tx).await;
        drop(pages_tx);
        let models = fold.await.map_err(|e| StartError::Fold(e.to_string()))?;
        read?;
        let started = Started {
            snapshot,
            folded: models.position() - from,
        };
        let (position_tx, position) = watch::channel(models.position());
        let models = Arc::new(RwLock::new(models));
        let snapshotting = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn(tail_forever(
            Arc::clone(&store),
            Arc::clone(&models),
            position_tx,
            Arc::clone(&snapshotting),
        ));
        let handle = ProjectorHandle {
            models,
            store,
            position,
            task: Arc::new(task),
            snapshotting,
        };
        Ok((handle, started))
    }
}

/// Sends the log after `after`, page by page, until the end or the receiver is gone.
async fn read_pages(
    store: &dyn EventStore,
    mut after: u64,
    pages: &std::sync::mpsc::SyncSender<Vec<RecordedEvent>>,
) -> Result<(), StoreError> {
    loop {
        let page = store.read_all(after, CATCH_UP_PAGE).await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.position;
        // The fold thread drains the channel; a full channel waits only briefly, and a blocked
        // send on a two-page channel is what keeps memory bounded.
        let mut page = Some(page);
        while let Some(next) = page.take() {
            match pages.try_send(next) {
                Ok(()) => {}
                Err(std::sync::mpsc::TrySendError::Full(back)) => {
                    page = Some(back);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                Err(std::sync::mpsc::TrySendError::Disconnected(_)) => return Ok(()),
            }
        }
    }
}

fn apply_or_report(models: &mut ReadModels, event: &casetrail_store::RecordedEvent) {
    if let Err(err) = models.apply(event) {
        // An event this code cannot read must not stop the service; it is reported (without
        // its data) and the position moves on so later events are still projected.
        tracing::error!(position = event.position, error = %err, "event not projected");
        models.skip(event);
    }
}

async fn tail_forever(
    store: Arc<dyn EventStore>,
    models: Arc<RwLock<ReadModels>>,
    position_tx: watch::Sender<u64>,
    snapshotting: Arc<AtomicUsize>,
) {
    let start = read_models(&models).position();
    let mut tail = casetrail_store::tail(store, start);
    loop {
        // The events read together (a batch of commands the writer committed at once) are
        // applied under one write lock and published once: each publication wakes every
        // command waiting for the read models, and readers wait while the lock is held.
        match tail.next_batch(TAIL_BATCH).await {
            Ok(events) => {
                let mut position = None;
                {
                    let mut guard = write_models(&models, &snapshotting).await;
                    for event in &events {
                        apply_or_report(&mut guard, event);
                        position = Some(event.position);
                    }
                }
                if let Some(position) = position {
                    position_tx.send_replace(position);
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "tailing the event log failed; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    }
}

/// A snapshot being encoded, counted while it lives (also when the encoding panics): a
/// periodic snapshot and the one when stopping may overlap.
struct Encoding<'a>(&'a AtomicUsize);

impl<'a> Encoding<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Encoding(count)
    }
}

impl Drop for Encoding<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The write lock. While a snapshot is encoded under the read lock (a second at a million
/// events), a writer waiting for the lock would hold up every reader behind it (the lock lets no
/// new reader in while a writer waits): the projector asks without waiting until the snapshot
/// is done, so reads go on and only projection is delayed.
async fn write_models<'a>(
    models: &'a RwLock<ReadModels>,
    snapshotting: &AtomicUsize,
) -> RwLockWriteGuard<'a, ReadModels> {
    while snapshotting.load(Ordering::Acquire) > 0 {
        // Decided in a statement of its own: the attempt (not `Send`) is gone before the wait.
        match models.try_write() {
            Ok(guard) => return guard,
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {}
        };
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    models.write().unwrap_or_else(|p| p.into_inner())
}

fn read_models(models: &RwLock<ReadModels>) -> RwLockReadGuard<'_, ReadModels> {
    // A panic while holding the lock cannot leave a half-applied event: apply mutates only
    // after decoding succeeds, so the data is still consistent and reads may go on.
    models.read().unwrap_or_else(|p| p.into_inner())
}

impl ProjectorHandle {
    /// Reads the current read models.
    pub fn read(&self) -> RwLockReadGuard<'_, ReadModels> {
        read_models(&self.models)
    }

    /// The store the models are folded from: where time travel reads past events back.
    pub fn store(&self) -> &dyn EventStore {
        self.store.as_ref()
    }

    /// The position the read models have reached.
    pub fn position(&self) -> u64 {
        *self.position.borrow()
    }

    /// Waits until the read models have reached `position`, at most `timeout`.
    /// Returns whether they did.
    pub async fn wait_for(&self, position: u64, timeout: Duration) -> bool {
        let mut rx = self.position.clone();
        tokio::time::timeout(timeout, rx.wait_for(|p| *p >= position))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Writes the snapshot of the read models as they stand to `file`. The read models are
    /// encoded into the new file under the read lock, so the projector waits meanwhile; the
    /// file is synced and put in place after.
    pub async fn write_snapshot(&self, file: &SnapshotFile) -> std::io::Result<Option<Written>> {
        let models = Arc::clone(&self.models);
        let snapshotting = Arc::clone(&self.snapshotting);
        let file = file.clone();
        tokio::task::spawn_blocking(move || {
            let draft = {
                let _encoding = Encoding::start(&snapshotting);
                file.draft(&read_models(&models))
            };
            draft?.map(|draft| draft.commit()).transpose()
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Stops tailing.
    pub fn stop(&self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests;
