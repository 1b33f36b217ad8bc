#![allow(clippy::unwrap_used)]

use super::*;
use casetrail_seed::life_cycle::{Rng, partnership_change, partnership_opening, partnership_slug};
use chrono::{DateTime, Duration};

/// A partnership set up, then changed `changes` times (bank holidays, settings, organisations).
fn history(changes: usize) -> Vec<Recorded<PartnershipEvent>> {
    let start = DateTime::from_timestamp(1_650_000_000, 0).unwrap();
    let mut rng = Rng::new(42);
    let opening = partnership_opening(&partnership_slug(0));
    let changed =
        (0..changes).map(|n| partnership_change(&mut rng, start + Duration::days(n as i64)));
    opening
        .into_iter()
        .chain(changed)
        .enumerate()
        .map(|(n, event)| Recorded {
            position: n as u64 + 1,
            stream_version: n as u64 + 1,
            recorded_at: start + Duration::hours(n as i64),
            event,
        })
        .collect()
}

fn fold(history: &[Recorded<PartnershipEvent>]) -> Option<Partnership> {
    history
        .iter()
        .fold(None, |state, r| Partnership::evolve(state, &r.event))
}

#[test]
fn every_past_partnership_is_the_fold_of_its_history_then() {
    // Past several checkpoints, and not on one.
    let history = history(3 * CHECKPOINT_EVERY + 5);
    let record = PartnershipRecord::try_from(history.clone()).unwrap();
    assert_eq!(record.checkpoints.len(), history.len() / CHECKPOINT_EVERY);
    for known in 0..=history.len() {
        assert_eq!(
            record.after(known),
            fold(&history[..known]),
            "after {known} events"
        );
    }
    assert_eq!(record.after(history.len() + 1), fold(&history));
}

#[test]
fn a_long_history_is_folded_from_its_checkpoints() {
    // More checkpoints than events between two: a mix-up of the two counts shows.
    let history = history(CHECKPOINT_EVERY * CHECKPOINT_EVERY + 3);
    let record = PartnershipRecord::try_from(history.clone()).unwrap();
    let mut then = None;
    // `then` is the fold of the first `known` events.
    for (known, recorded) in std::iter::once(None)
        .chain(history.iter().map(Some))
        .enumerate()
    {
        if let Some(recorded) = recorded {
            then = Partnership::evolve(then, &recorded.event);
        }
        if known % 61 == 0 || known % CHECKPOINT_EVERY <= 1 || known + 1 >= history.len() {
            assert_eq!(record.after(known), then, "after {known} events");
        }
    }
}

#[test]
fn a_record_built_event_by_event_is_the_one_built_from_its_history() {
    let history = history(2 * CHECKPOINT_EVERY);
    let mut record = None;
    for recorded in history.clone() {
        record = PartnershipRecord::next(record, recorded);
    }
    let record = record.unwrap();
    assert_eq!(record.current(), &fold(&history).unwrap());
    assert_eq!(record, PartnershipRecord::try_from(history).unwrap());
}

#[test]
fn a_history_that_makes_no_partnership_is_refused() {
    let mut history = history(1);
    // Without its first event (the partnership established), nothing folds.
    history.remove(0);
    assert!(PartnershipRecord::try_from(history).is_err());
    assert!(PartnershipRecord::try_from(Vec::new()).is_err());
}
