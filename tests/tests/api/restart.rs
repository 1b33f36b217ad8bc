//! Acknowledged events survive a restart, and the read models come back from the log.

use casetrail_tests::TestApp;
use casetrail_tests::both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(data_survives_a_restart, |app: TestApp| async move {
    let case_id = app.notify_ok().await;
    let body = json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"});
    let path = format!("/v1/cases/{case_id}/panel-notification");
    assert_eq!(
        app.post(&path, &app.notifier(), &body).await.status(),
        StatusCode::OK
    );
    let before: Value = app
        .get(&format!("/v1/cases/{case_id}"), &app.notifier())
        .await
        .json()
        .await
        .unwrap();

    let app = app.restart().await;
    let response = app
        .get(&format!("/v1/cases/{case_id}"), &app.notifier())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let after: Value = response.json().await.unwrap();
    assert_eq!(before, after);
    assert_eq!(after["version"], 2);
    // The dev secret survived too: the same tokens still work, and the log goes on.
    let second = app.notify_ok().await;
    assert_ne!(second, case_id);
});
