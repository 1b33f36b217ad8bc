//! The reminder service against a real store (SQLite, and PostgreSQL when `TEST_DATABASE_URL`
//! is set): two replicas' passes at the same moment record each notice once, and a later pass
//! passes over the cases settled for good and records nothing again.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;

use casetrail_app::reminders::{Pass, ReminderService};
use casetrail_seed::Workload;
use harness::harness;
use std::sync::Arc;
use std::time::Duration;

async fn two_replicas_record_each_notice_once_then_pass_over_settled_cases(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    // Cases of years before the clock's day: whatever they left unmet is breached.
    let workload = Workload {
        partnerships: 1,
        cases: 30,
        open_cases: 10,
        seed: 5,
    };
    casetrail_seed::seed(h.store.as_ref(), &workload, |_| {})
        .await
        .unwrap();
    let head = h.store.head_position().await.unwrap();
    assert!(h.projector.wait_for(head, Duration::from_secs(10)).await);
    let replica = || {
        ReminderService::new(
            h.projector.clone(),
            Arc::clone(&h.store),
            Arc::new(h.clock.clone()),
        )
    };
    let (one, two) = (replica(), replica());

    // Both judge before either's notices are projected, so both append every notice.
    let (first, second) = tokio::join!(one.pass(), two.pass());
    let (first, second) = (first.unwrap(), second.unwrap());
    let owed = first.recorded + first.already_stored;
    assert!(owed > 10, "the seeded history owes notices: {first:?}");
    assert_eq!(second.recorded + second.already_stored, owed);
    assert_eq!(first.recorded + second.recorded, owed, "each recorded once");
    assert_eq!(first.already_stored + second.already_stored, owed);

    // The log holds every notice now: nothing is owed, and cases are settled.
    let again = one.pass().await.unwrap();
    assert_eq!((again.recorded, again.already_stored), (0, 0));
    assert!(again.settled > first.settled, "{again:?} after {first:?}");
    // A replica that never passed before finds the same.
    let fresh = replica().pass().await.unwrap();
    assert_eq!(
        fresh,
        Pass {
            recorded: 0,
            already_stored: 0,
            settled: again.settled,
        }
    );
    assert_eq!(one.pass().await.unwrap(), again);
}

both_backends!(two_replicas_record_each_notice_once_then_pass_over_settled_cases);
