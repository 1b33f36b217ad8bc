//! The injected clock: the service decides and evaluates at the instant a test sets, so a
//! deadline is seen pending and then breached without any waiting.

use casetrail_app::ManualClock;
use casetrail_tests::{Backend, TestApp, deadline};
use chrono::{TimeZone, Utc};
use std::sync::Arc;

async fn decides_and_evaluates_at_the_clocks_instant(backend: Backend) {
    // Became aware on Thursday 22 December 2022: the Panel notification is due by the end of
    // Tuesday 3 January 2023 (bank holidays on 26 and 27 December and 2 January).
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2022, 12, 28, 10, 0, 0).unwrap());
    let Some(app) = TestApp::builder(backend)
        .clock(Arc::new(clock.clone()))
        .spawn()
        .await
    else {
        return;
    };
    let case_id = app.notify_ok().await;
    let events = app.case_events(&case_id).await;
    assert_eq!(events[0].data["occurred_at"], "2022-12-28T10:00:00Z");
    let case = app.case(&case_id).await;
    assert_eq!(deadline(&case, "panel_notification")["status"], "pending");

    clock.set(Utc.with_ymd_and_hms(2023, 1, 4, 9, 0, 0).unwrap());
    let case = app.case(&case_id).await;
    assert_eq!(deadline(&case, "panel_notification")["status"], "breached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_decides_and_evaluates_at_the_clocks_instant() {
    decides_and_evaluates_at_the_clocks_instant(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_decides_and_evaluates_at_the_clocks_instant() {
    decides_and_evaluates_at_the_clocks_instant(Backend::Postgres).await;
}
