//! Deadline reminders and breaches: recorded by the reminder service as time passes, told in
//! the feed exactly once per deadline and threshold, whichever replica is first and across a
//! restart (docs/rules.md, "Reminders").

use crate::feed::all_items;
use casetrail_app::ManualClock;
use casetrail_domain::Role;
use casetrail_tests::{Backend, TestApp};
use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOTICES: &str = "&type=deadline.due_soon,deadline.breached";

async fn notices(app: &TestApp) -> Vec<Value> {
    all_items(app, &app.business_manager(), NOTICES).await
}

/// Waits until the feed holds `count` notices.
async fn until_notices(app: &TestApp, count: usize) -> Vec<Value> {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let seen = notices(app).await;
        if seen.len() >= count || Instant::now() > until {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An application whose reminder service runs every 200 ms, at 10:00 on Wednesday 28
/// December 2022 by a clock the test moves.
async fn with_reminders(backend: Backend) -> Option<(TestApp, ManualClock)> {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2022, 12, 28, 10, 0, 0).unwrap());
    let app = TestApp::builder(backend)
        .clock(Arc::new(clock.clone()))
        .configure(|config| config.reminder_interval = Duration::from_millis(200))
        .spawn()
        .await?;
    Some((app, clock))
}

async fn reminders_are_recorded_once(backend: Backend) {
    // Became aware on Thursday 22 December 2022: the Panel notification is due by the end of
    // Tuesday 3 January 2023 (bank holidays on 26 and 27 December and 2 January), so two
    // working days before is Thursday 29 December.
    let Some((app, clock)) = with_reminders(backend).await else {
        return;
    };
    let case_id = app.notify_ok().await;
    // A second replica records too: each notice is still stored once.
    let _replica = app.replica().await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        notices(&app).await,
        Vec::<Value>::new(),
        "nothing is owed yet"
    );

    clock.set(Utc.with_ymd_and_hms(2022, 12, 29, 10, 0, 0).unwrap());
    let seen = until_notices(&app, 1).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let two_days = &seen[0];
    assert_eq!(two_days["type"], "deadline.due_soon");
    assert_eq!(two_days["case_id"], case_id.as_str());
    assert_eq!(two_days["occurred_at"], "2022-12-29T00:00:00Z");
    assert_eq!(two_days["data"]["working_days_before"], 2);
    let deadline = &two_days["data"]["deadline"];
    assert_eq!(deadline["kind"], "panel_notification");
    assert_eq!(deadline["organisation"], "southend-council");
    assert_eq!(deadline["responsible_role"], "notifier");
    assert_eq!(deadline["due_at"], "2023-01-03T23:59:59.999999Z");

    // Still the first threshold on Friday: nothing more.
    clock.set(Utc.with_ymd_and_hms(2022, 12, 30, 10, 0, 0).unwrap());
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(notices(&app).await.len(), 1);

    clock.set(Utc.with_ymd_and_hms(2023, 1, 3, 8, 0, 0).unwrap());
    let seen = until_notices(&app, 2).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1]["type"], "deadline.due_soon");
    assert_eq!(seen[1]["data"]["working_days_before"], 0);

    clock.set(Utc.with_ymd_and_hms(2023, 1, 4, 9, 0, 0).unwrap());
    let seen = until_notices(&app, 3).await;
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[2]["type"], "deadline.breached");
    assert_eq!(seen[2]["occurred_at"], "2023-01-03T23:59:59.999999Z");

    // A restart records nothing again.
    let app = app.restart().await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(notices(&app).await, seen);
    // Each is one event of the partnership's reminders stream.
    let auditor = app.token("southend-council", &[Role::Auditor]);
    let log: Value = app
        .get("/v1/events?limit=1000", &auditor)
        .await
        .json()
        .await
        .unwrap();
    let stored: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stream_id"] == "southend/reminders")
        .collect();
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0]["event_type"], "DeadlineReminderIssued");
    assert_eq!(stored[2]["event_type"], "DeadlineBreachRecorded");
    assert_eq!(stored[0]["metadata"]["command"], "RecordDeadlineNotices");
    assert_eq!(stored[0]["metadata"]["actor"]["user"], "system");
    // The breach stays a fact: the deadline met late afterwards is told as met, not on time.
    app.post_ok(
        &format!("/v1/cases/{case_id}/panel-notification"),
        &app.notifier(),
        &serde_json::json!({"panel_reference": "CSPRP-9", "submitted_on": "2023-01-04"}),
    )
    .await;
    let met = all_items(&app, &app.business_manager(), "&type=deadline.met").await;
    assert_eq!(met.len(), 1);
    assert_eq!(met[0]["data"]["on_time"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reminders_are_recorded_once_per_deadline_and_threshold() {
    reminders_are_recorded_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_reminders_are_recorded_once_per_deadline_and_threshold() {
    reminders_are_recorded_once(Backend::Postgres).await;
}

async fn thresholds_are_a_partnership_setting(backend: Backend) {
    let Some((app, _clock)) = with_reminders(backend).await else {
        return;
    };
    let partnership: Value = app
        .get("/v1/partnership", &app.admin())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        partnership["settings"]["reminders"]["working_days_before"],
        serde_json::json!([2, 0])
    );
    let mut settings = partnership["settings"].clone();
    settings["reminders"] = serde_json::json!({"working_days_before": [4]});
    app.post_ok("/v1/partnership/settings", &app.admin(), &settings)
        .await;
    // A change that leaves reminders out keeps them.
    settings.as_object_mut().unwrap().remove("reminders");
    app.post_ok("/v1/partnership/settings", &app.admin(), &settings)
        .await;
    let partnership: Value = app
        .get("/v1/partnership", &app.admin())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        partnership["settings"]["reminders"]["working_days_before"],
        serde_json::json!([4])
    );
    app.notify_ok().await;
    // Four working days before Tuesday 3 January 2023 (28, 29, 30 December and 3 January
    // left) is Friday 23 December: owed at once.
    let seen = until_notices(&app, 1).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["data"]["working_days_before"], 4);
    assert_eq!(seen[0]["occurred_at"], "2022-12-23T00:00:00Z");
    // Out of range: refused, naming the field.
    settings["reminders"] = serde_json::json!({"working_days_before": [2, 2]});
    let refused = app
        .post("/v1/partnership/settings", &app.admin(), &settings)
        .await;
    let body = casetrail_tests::problem(
        refused,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "field.invalid",
    )
    .await;
    assert!(
        body.to_string().contains("reminders.working_days_before"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_thresholds_are_a_partnership_setting() {
    thresholds_are_a_partnership_setting(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_thresholds_are_a_partnership_setting() {
    thresholds_are_a_partnership_setting(Backend::Postgres).await;
}
