//! Following the log: every event after a position, exactly once, in order, then new ones as
//! they are committed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::{EventStore, RecordedEvent, StoreError};

/// Events read per page while catching up.
const PAGE: usize = 500;

/// Re-read at least this often when caught up, in case a head notification was missed.
const RECHECK: Duration = Duration::from_secs(1);

/// How long a hole in the positions may last before it is reported (see [`Tail::next`]).
const GAP_PATIENCE: Duration = Duration::from_secs(5);

/// A reader that follows the log from a position; see [`tail`].
#[derive(Debug)]
pub struct Tail {
    store: Arc<dyn EventStore>,
    after: u64,
    buffer: VecDeque<Arc<RecordedEvent>>,
    head: watch::Receiver<u64>,
    /// Whether to read the database even at the head this process knows of: at first, after
    /// a read that found events (there may be more), and at each re-check, for commits by
    /// another process that has not moved the head (SQLite's never do).
    look_past_head: bool,
}

/// Follows the log of `store`, starting with the event after position `after`.
pub fn tail(store: Arc<dyn EventStore>, after: u64) -> Tail {
    let head = store.watch_head();
    Tail {
        store,
        after,
        buffer: VecDeque::new(),
        head,
        look_past_head: true,
    }
}

impl Tail {
    /// The position of the last event returned (or the starting position).
    pub fn position(&self) -> u64 {
        self.after
    }

    /// The next events of the log, at least one (waiting for it to be committed if need be)
    /// and at most `max`: those already read from the store with it, so a follower can take
    /// a batch that committed together in one step.
    pub async fn next_batch(&mut self, max: usize) -> Result<Vec<Arc<RecordedEvent>>, StoreError> {
        let first = self.next().await?;
        let more = self.buffer.len().min(max.saturating_sub(1));
        let mut batch = Vec::with_capacity(1 + more);
        batch.push(first);
        batch.extend(self.buffer.drain(..more));
        if let Some(last) = batch.last() {
            self.after = last.position;
        }
        Ok(batch)
    }

    /// The next event of the log, waiting for it to be committed if need be. Shared, not
    /// copied: an event this process's writer committed lately comes as the writer keeps it
    /// (`EventStore::read_recent`), the same for every follower.
    pub async fn next(&mut self) -> Result<Arc<RecordedEvent>, StoreError> {
        let mut gap_since = None;
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.position;
                return Ok(event);
            }
            // Mark the head as seen before reading, so a commit that lands after the read
            // still wakes the wait below.
            let head = *self.head.borrow_and_update();
            if let Some(events) = self.store.read_recent(self.after, PAGE) {
                // This process's writer committed them lately: taken as committed, without
                // reading back the rows it has just written.
                self.look_past_head = false;
                self.buffer.extend(events);
                continue;
            }
            if !self.look_past_head && self.after >= head {
                // At the head after events taken from memory or a read that found nothing
                // more: the database holds nothing this process knows of.
                self.wait().await;
                continue;
            }
            let page = self.store.read_all(self.after, PAGE).await?;
            // Positions are gap-free and become visible in order, so a hole can only be a
            // transaction not yet visible to this reader. Stop before it rather than skip it.
            let after = self.after;
            let contiguous = page
                .iter()
                .zip(1..)
                .take_while(|(event, offset)| Some(event.position) == after.checked_add(*offset))
                .count();
            if contiguous == 0 && !page.is_empty() {
                let since = *gap_since.get_or_insert_with(tokio::time::Instant::now);
                if since.elapsed() > GAP_PATIENCE {
                    return Err(StoreError::Corrupt {
                        position: after.saturating_add(1),
                        reason: "missing from the log".to_owned(),
                    });
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                self.look_past_head = true;
                continue;
            }
            gap_since = None;
            if contiguous > 0 {
                self.look_past_head = true;
                self.buffer
                    .extend(page.into_iter().take(contiguous).map(Arc::new));
                continue;
            }
            self.look_past_head = false;
            self.wait().await;
        }
    }

    /// Caught up: waits for a commit, or re-checks the database after a while anyway.
    async fn wait(&mut self) {
        match tokio::time::timeout(RECHECK, self.head.changed()).await {
            Ok(Ok(())) => {}
            Err(_) => self.look_past_head = true,
            // The head's sender is gone (not while this tail holds the store): poll rather
            // than spin.
            Ok(Err(_)) => {
                tokio::time::sleep(RECHECK).await;
                self.look_past_head = true;
            }
        }
    }
}
