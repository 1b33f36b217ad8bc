//! The states the bus keeps after its commands, so that the next command on the same stream
//! is decided without reading the stream and folding it again (issue 15, goal 1: a command on
//! an existing case read and folded its whole stream first).
//!
//! A kept state is a cache, never a source of truth. It is put in only as the fold of a
//! stream's stored events up to a version: read from the store, or the state a command was
//! decided on plus the events that command appended right after it (the store confirmed the
//! stream was still at that version). Another process may move a stream on since: an append
//! decided on a kept state then fails its expected version and the bus reads the stream; a
//! refusal decided on a kept state is decided again on the stream as stored before it is
//! answered; an `If-Match` that names another version reads the stream too.

use crate::bus::Aggregate;
use casetrail_domain::case::Case;
use casetrail_domain::codec::decode;
use casetrail_domain::learning::Learning;
use casetrail_domain::partnership::Partnership;
use casetrail_store::NewEvent;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// Cases kept: those being worked on. A case in its rapid review (12 events) takes about
/// 1.7 KiB (1,144 bytes inline, 593 on the heap, measured with stats_alloc), so at most ~7 MiB.
const CASES: usize = 4_096;
/// Partnerships and learning records kept: one each per partnership served.
const PARTNERSHIPS: usize = 64;

/// The states kept, one map per kind of aggregate.
pub struct KeptStates {
    cases: Kept<Case>,
    partnerships: Kept<Partnership>,
    learning: Kept<Learning>,
}

impl Default for KeptStates {
    fn default() -> Self {
        Self {
            cases: Kept::with_capacity(CASES),
            partnerships: Kept::with_capacity(PARTNERSHIPS),
            learning: Kept::with_capacity(PARTNERSHIPS),
        }
    }
}

impl fmt::Debug for KeptStates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeptStates")
            .field("cases", &self.cases)
            .field("partnerships", &self.partnerships)
            .field("learning", &self.learning)
            .finish()
    }
}

impl KeptStates {
    pub(crate) fn cases(&self) -> &Kept<Case> {
        &self.cases
    }

    pub(crate) fn partnerships(&self) -> &Kept<Partnership> {
        &self.partnerships
    }

    pub(crate) fn learning(&self) -> &Kept<Learning> {
        &self.learning
    }
}

/// A stream's state at a version.
#[derive(Debug, Clone)]
pub(crate) struct KeptState<A> {
    /// The stream's version the state is the fold of.
    pub(crate) version: u64,
    /// `None` for a stream with no events.
    pub(crate) state: Option<A>,
}

/// At most `capacity` streams' states, the least recently kept given up first. Two
/// generations instead of an exact order: a state is kept in the young one; when that is
/// full the old one is given up and the young one becomes it. Taking a state removes it, so
/// two commands on one stream at once never share one: the second reads the stream.
pub struct Kept<A> {
    generations: Mutex<Generations<A>>,
    capacity: usize,
}

impl<A> fmt::Debug for Kept<A> {
    // How many, never what: a case's state holds sealed personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kept")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

// Boxed: a case's state is over a kilobyte, and a map's table has room for more entries
// than it holds.
struct Generations<A> {
    young: HashMap<String, Box<KeptState<A>>>,
    old: HashMap<String, Box<KeptState<A>>>,
}

impl<A> Kept<A> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            generations: Mutex::new(Generations {
                young: HashMap::new(),
                old: HashMap::new(),
            }),
            capacity,
        }
    }

    /// The state kept for the stream, taken out.
    pub(crate) fn take(&self, stream_id: &str) -> Option<KeptState<A>> {
        let mut generations = self.lock();
        generations
            .young
            .remove(stream_id)
            .or_else(|| generations.old.remove(stream_id))
            .map(|kept| *kept)
    }

    /// A copy of the state kept for the stream, left in place.
    pub(crate) fn copy(&self, stream_id: &str) -> Option<KeptState<A>>
    where
        A: Clone,
    {
        let generations = self.lock();
        generations
            .young
            .get(stream_id)
            .or_else(|| generations.old.get(stream_id))
            .map(|kept| KeptState::clone(kept))
    }

    /// Keeps the stream's state, in place of any kept before.
    pub(crate) fn keep(&self, stream_id: &str, kept: KeptState<A>) {
        let half = self.capacity / 2;
        if half == 0 {
            return;
        }
        let given_up = {
            let mut generations = self.lock();
            generations.old.remove(stream_id);
            let given_up =
                if generations.young.len() >= half && !generations.young.contains_key(stream_id) {
                    let young = std::mem::take(&mut generations.young);
                    Some(std::mem::replace(&mut generations.old, young))
                } else {
                    None
                };
            generations
                .young
                .insert(stream_id.to_owned(), Box::new(kept));
            given_up
        };
        // Dropped after the lock is released: up to half the capacity of states.
        drop(given_up);
    }

    /// How many states are kept.
    pub(crate) fn len(&self) -> usize {
        let generations = self.lock();
        generations.young.len() + generations.old.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations<A>> {
        // A panic while the lock was held left at worst a state too few: the maps are whole.
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state after the events as the store keeps them: each decoded from the JSON it is
/// stored as, the same decoding a read of the stream does. `None` when one does not decode
/// (it is then not kept; the next command reads the stream and reports the error).
pub(crate) fn after<A: Aggregate>(mut state: Option<A>, events: &[NewEvent]) -> Option<Option<A>> {
    for event in events {
        let decoded: A::Event =
            decode(&event.event_type, event.schema_version, &event.data).ok()?;
        state = A::evolve(state, &decoded);
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(version: u64) -> KeptState<u64> {
        KeptState {
            version,
            state: Some(version * 10),
        }
    }

    #[test]
    fn a_state_is_taken_once() {
        let states = Kept::with_capacity(4);
        states.keep("a", kept(1));
        let taken = states.take("a").expect("kept");
        assert_eq!((taken.version, taken.state), (1, Some(10)));
        assert!(states.take("a").is_none());
        assert_eq!(states.len(), 0);
    }

    #[test]
    fn a_copy_leaves_the_state_kept() {
        let states = Kept::with_capacity(4);
        assert!(states.copy("a").is_none());
        states.keep("a", kept(1));
        states.keep("b", kept(2));
        states.keep("c", kept(3)); // a and b are old now
        for (stream, version) in [("a", 1), ("c", 3), ("a", 1)] {
            assert_eq!(states.copy(stream).map(|k| k.version), Some(version));
        }
        assert_eq!(states.len(), 3);
    }

    #[test]
    fn keeping_again_replaces_in_either_generation() {
        let states = Kept::with_capacity(4);
        states.keep("a", kept(1));
        states.keep("b", kept(1));
        // "a" moves to the old generation.
        states.keep("c", kept(1));
        states.keep("a", kept(2));
        assert_eq!(states.len(), 3);
        assert_eq!(states.take("a").map(|k| k.version), Some(2));
        assert!(states.take("a").is_none());
    }

    #[test]
    fn at_most_the_capacity_is_kept_the_oldest_given_up_first() {
        let states = Kept::with_capacity(4);
        for (n, stream) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
            states.keep(stream, kept(n as u64));
            assert!(states.len() <= 4);
        }
        // a and b were the old generation when e came: given up; c, d, e kept.
        assert!(states.take("a").is_none());
        assert!(states.take("b").is_none());
        for stream in ["c", "d", "e"] {
            assert!(states.take(stream).is_some(), "{stream}");
        }
    }

    #[test]
    fn keeping_a_young_state_again_gives_nothing_up() {
        let states = Kept::with_capacity(4);
        states.keep("a", kept(1));
        states.keep("b", kept(1));
        states.keep("c", kept(1));
        states.keep("d", kept(1));
        // The young generation (c, d) is full; d kept again replaces itself.
        states.keep("d", kept(2));
        assert_eq!(states.len(), 4);
        assert!(states.take("a").is_some());
    }

    #[test]
    fn debug_says_how_many_never_what() {
        let states = Kept::with_capacity(4);
        let secret = KeptState {
            version: 1,
            state: Some("sealed details".to_owned()),
        };
        states.keep("a", secret);
        assert_eq!(format!("{states:?}"), "Kept { len: 1, capacity: 4 }");
        assert_eq!(
            format!("{:?}", KeptStates::default()),
            "KeptStates { cases: Kept { len: 0, capacity: 4096 }, \
             partnerships: Kept { len: 0, capacity: 64 }, \
             learning: Kept { len: 0, capacity: 64 } }"
        );
    }

    #[test]
    fn a_capacity_under_two_keeps_nothing() {
        for capacity in [0, 1] {
            let states = Kept::with_capacity(capacity);
            states.keep("a", kept(1));
            assert!(states.take("a").is_none());
        }
    }
}
