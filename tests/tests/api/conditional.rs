//! `If-None-Match` on reads: 304 while the body would be the same, and a new validator when
//! it would not, also when only time has passed (a deadline falling due soon, then breached)
//! and no fact was recorded. A case's version `ETag` keeps its meaning for `If-Match`.

use casetrail_app::ManualClock;
use casetrail_tests::{Backend, TestApp, problem};
use chrono::{TimeZone, Utc};
use reqwest::{Response, StatusCode};
use serde_json::json;
use std::sync::Arc;

async fn get(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Response {
    let mut request = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(app.business_manager());
    if let Some(tag) = if_none_match {
        request = request.header("If-None-Match", tag);
    }
    request.send().await.unwrap()
}

fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn reads_are_not_modified_until_the_body_changes(backend: Backend) {
    // Aware on Thursday 22 December 2022: the Panel notification is due by the end of Tuesday
    // 3 January 2023.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2022, 12, 28, 10, 0, 0).unwrap());
    let Some(app) = TestApp::builder(backend)
        .clock(Arc::new(clock.clone()))
        .spawn()
        .await
    else {
        return;
    };
    let case_id = app.notify_ok().await;
    let case_path = format!("/v1/cases/{case_id}");
    let paths = ["/v1/deadlines", "/v1/cases?limit=50", case_path.as_str()];

    let mut validators = Vec::new();
    for path in paths {
        let first = get(&app, path, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        // The case's ETag is its version; its body validator has a header of its own.
        let validator = if path == case_path {
            assert_eq!(header(&first, "etag"), "\"1\"");
            header(&first, "casetrail-body-etag")
        } else {
            header(&first, "etag")
        };
        assert!(
            validator.starts_with("W/\"") && validator.len() > 40,
            "{path}: {validator}"
        );

        let again = get(&app, path, Some(&validator)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(&again, "cache-control"), "no-store", "{path}");
        assert!(!header(&again, "x-request-id").is_empty(), "{path}");
        assert!(
            again.bytes().await.unwrap().is_empty(),
            "{path}: a 304 has no body"
        );
        // Among others, and compressed: the validator is of the body, whatever its encoding.
        let listed = get(&app, path, Some(&format!("W/\"other\", {validator}"))).await;
        assert_eq!(listed.status(), StatusCode::NOT_MODIFIED, "{path}");
        let gzip = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(app.business_manager())
            .header("If-None-Match", &validator)
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gzip.status(), StatusCode::NOT_MODIFIED, "{path}");
        validators.push(validator);
    }
    // The version is no body validator: it never answers 304.
    let by_version = get(&app, &case_path, Some("\"1\"")).await;
    assert_eq!(by_version.status(), StatusCode::OK);

    // Time passes, nothing is recorded: the deadline is breached, every body is new.
    let log = app.log_length().await;
    clock.set(Utc.with_ymd_and_hms(2023, 1, 4, 9, 0, 0).unwrap());
    for (path, old) in paths.into_iter().zip(&validators) {
        let later = get(&app, path, Some(old)).await;
        assert_eq!(
            later.status(),
            StatusCode::OK,
            "{path}: the status changed with time"
        );
        let new = if path == case_path {
            assert_eq!(header(&later, "etag"), "\"1\"", "the version did not move");
            header(&later, "casetrail-body-etag")
        } else {
            header(&later, "etag")
        };
        assert_ne!(&new, old, "{path}");
        let body = later.text().await.unwrap();
        let breached =
            body.contains("\"breached\"") || body.contains("\"has_overdue_deadlines\":true");
        assert!(breached, "{path}: {body}");
    }
    assert_eq!(app.log_length().await, log);

    // If-Match takes the version, never a body validator.
    let refused = app
        .client
        .post(format!("{}{case_path}/panel-notification", app.address))
        .bearer_auth(app.notifier())
        .header("If-Match", &validators[2])
        .json(&json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2023-01-04"}))
        .send()
        .await
        .unwrap();
    problem(
        refused,
        StatusCode::PRECONDITION_FAILED,
        "version.precondition_failed",
    )
    .await;
    let weak_version = app
        .client
        .post(format!("{}{case_path}/panel-notification", app.address))
        .bearer_auth(app.notifier())
        .header("If-Match", "W/\"1\"")
        .json(&json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2023-01-04"}))
        .send()
        .await
        .unwrap();
    problem(
        weak_version,
        StatusCode::PRECONDITION_FAILED,
        "version.precondition_failed",
    )
    .await;
    let accepted = app
        .client
        .post(format!("{}{case_path}/panel-notification", app.address))
        .bearer_auth(app.notifier())
        .header("If-Match", "\"1\"")
        .json(&json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2023-01-04"}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reads_are_not_modified_until_the_body_changes() {
    reads_are_not_modified_until_the_body_changes(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_reads_are_not_modified_until_the_body_changes() {
    reads_are_not_modified_until_the_body_changes(Backend::Postgres).await;
}
