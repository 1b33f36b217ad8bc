//! Integrity verification over HTTP and with the offline command.

use crate::both_backends;
use crate::helpers::{Backend, TestApp, problem};
use casetrail_domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

both_backends!(auditors_verify_the_log, |app: TestApp| async move {
    app.notify_ok().await;
    let auditor = app.token("southend-council", &[Role::Auditor]);
    let response = app.get("/v1/integrity", &auditor).await;
    assert_eq!(response.status(), StatusCode::OK);
    let verdict: Value = response.json().await.unwrap();
    assert_eq!(verdict["status"], "ok");
    assert_eq!(verdict["head_position"], 20);
    assert_eq!(verdict["head_hash"].as_str().unwrap().len(), 64);
    let manager = app.token("southend-council", &[Role::BusinessManager]);
    problem(
        app.get("/v1/integrity", &manager).await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;

    // Verifying offline, straight from the database, gives the same head.
    let store = casetrail_store::open(&app.db.url).await.unwrap();
    let offline = casetrail_store::verify(store.as_ref()).await.unwrap();
    store.close().await;
    let offline = serde_json::to_value(offline).unwrap();
    assert_eq!(offline["head_hash"], verdict["head_hash"]);
});
