//! The events this process's writer committed last, kept in memory so that a follower of the
//! log in the same process (the projector, after every command) takes them from here instead
//! of reading back the rows the writer has just written and parsing their JSON again: under
//! load that read-back was a database round trip and a parse of every event, on the path of
//! every command that waits for the read models.
//!
//! Only one run of consecutive positions is kept. A commit by another process in between (a
//! PostgreSQL replica, a second process on a SQLite file) leaves a hole, and the run starts
//! again after it; a follower asking for a position the run does not hold reads the database.
//! The events are the writer's own rows, exactly as committed (the conformance suite compares
//! them with what the database gives back).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use crate::RecordedEvent;

/// Events kept at most: four of the writer's largest batches of one-event appends, so a
/// follower that keeps up never reads the database, and one that falls behind reads it as
/// before.
const CAPACITY: usize = 2_048;

/// The last committed run of events; see the module's documentation.
#[derive(Debug)]
pub(crate) struct Recent {
    capacity: usize,
    /// Shared with the followers, never copied: in a profile under NotifyIncident a copy of
    /// each event's JSON cost nearly as much as folding it into the read models.
    events: Mutex<VecDeque<Arc<RecordedEvent>>>,
}

impl Default for Recent {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

impl Recent {
    /// Keeps at most `capacity` events.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            events: Mutex::new(VecDeque::with_capacity(capacity)),
        }
    }

    /// Keeps the events of a commit, in position order, dropping the oldest beyond the
    /// capacity and the whole run when they do not follow it.
    pub(crate) fn keep(&self, committed: impl IntoIterator<Item = RecordedEvent>) {
        let mut events = self.lock();
        for event in committed {
            let follows = events
                .back()
                .is_none_or(|last| last.position.checked_add(1) == Some(event.position));
            if !follows {
                events.clear();
            }
            if events.len() >= self.capacity {
                events.pop_front();
            }
            if self.capacity > 0 {
                events.push_back(Arc::new(event));
            }
        }
    }

    /// Up to `limit` events with `position > after`, in order, if the run holds the one right
    /// after `after`; `None` otherwise (the caller reads the database).
    pub(crate) fn after(&self, after: u64, limit: usize) -> Option<Vec<Arc<RecordedEvent>>> {
        let events = self.lock();
        let first = events.front()?.position;
        let skip = after.checked_add(1)?.checked_sub(first)?;
        let skip = usize::try_from(skip).ok().filter(|s| *s < events.len())?;
        if limit == 0 {
            return None;
        }
        Some(events.range(skip..).take(limit).cloned().collect())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<RecordedEvent>>> {
        // Each method leaves the run consistent before it can panic.
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn event(position: u64) -> RecordedEvent {
        RecordedEvent {
            position,
            stream_id: format!("s-{position}"),
            stream_version: 1,
            event_id: uuid::Uuid::now_v7(),
            event_type: "Happened".to_owned(),
            schema_version: 1,
            data: serde_json::json!({ "n": position }),
            metadata: serde_json::json!({}),
            recorded_at: chrono::Utc::now(),
            prev_hash: [0; 32],
            hash: [1; 32],
        }
    }

    fn positions(events: Option<Vec<Arc<RecordedEvent>>>) -> Option<Vec<u64>> {
        events.map(|e| e.iter().map(|e| e.position).collect())
    }

    #[test]
    fn gives_the_run_after_a_position_it_holds_and_nothing_else() {
        let recent = Recent::with_capacity(4);
        assert_eq!(positions(recent.after(0, 10)), None, "nothing kept yet");
        recent.keep((5..=7).map(event));
        assert_eq!(positions(recent.after(4, 10)), Some(vec![5, 6, 7]));
        assert_eq!(positions(recent.after(5, 10)), Some(vec![6, 7]));
        assert_eq!(positions(recent.after(5, 1)), Some(vec![6]));
        assert_eq!(positions(recent.after(6, 10)), Some(vec![7]));
        assert_eq!(
            positions(recent.after(7, 10)),
            None,
            "nothing after the run"
        );
        assert_eq!(
            positions(recent.after(3, 10)),
            None,
            "position 4 is not held"
        );
        assert_eq!(positions(recent.after(5, 0)), None);
        assert_eq!(positions(recent.after(u64::MAX, 10)), None);
    }

    #[test]
    fn drops_the_oldest_beyond_its_capacity_and_the_run_at_a_hole() {
        let recent = Recent::with_capacity(4);
        recent.keep((1..=3).map(event));
        recent.keep((4..=6).map(event));
        assert_eq!(positions(recent.after(2, 10)), Some(vec![3, 4, 5, 6]));
        assert_eq!(
            positions(recent.after(1, 10)),
            None,
            "position 2 was dropped"
        );
        // Positions 7 and 8 were committed by another process: the run starts again.
        recent.keep([event(9)]);
        assert_eq!(positions(recent.after(5, 10)), None);
        assert_eq!(positions(recent.after(8, 10)), Some(vec![9]));
    }

    #[test]
    fn keeps_nothing_at_capacity_zero() {
        let recent = Recent::with_capacity(0);
        recent.keep((1..=3).map(event));
        for after in 0..=3 {
            assert_eq!(positions(recent.after(after, 10)), None, "after {after}");
        }
    }
}
