//! Integrity verification over HTTP and with the offline command.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
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

both_backends!(
    auditors_export_their_partnerships_events,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let auditor = app.token("southend-council", &[Role::Auditor]);
        // Pages of JSON, in log order, each event with its hashes.
        let first: Value = app
            .get("/v1/events?limit=15", &auditor)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(first["items"].as_array().unwrap().len(), 15);
        assert_eq!(first["next_after"], 15);
        let rest: Value = app
            .get("/v1/events?after=15", &auditor)
            .await
            .json()
            .await
            .unwrap();
        let rest = rest["items"].as_array().unwrap().clone();
        assert_eq!(rest.len(), 5);
        assert_eq!(rest[4]["stream_id"], format!("southend/case/{case_id}"));
        assert_eq!(rest[4]["hash"].as_str().unwrap().len(), 64);
        assert!(
            !rest[4].to_string().contains("Alex"),
            "personal data stays sealed"
        );
        // The whole log streamed as NDJSON verifies offline.
        let response = app
            .client
            .get(format!("{}/v1/events", app.address))
            .bearer_auth(&auditor)
            .header("accept", "application/x-ndjson")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-type"], "application/x-ndjson");
        let text = response.text().await.unwrap();
        assert_eq!(text.lines().count(), 20);
        let verdict = casetrail_store::verify_ndjson(text.as_bytes()).unwrap();
        assert!(
            matches!(verdict, casetrail_store::Integrity::Ok { events: 20, .. }),
            "{verdict:?}"
        );
        // Only auditors, and never another partnership's events.
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        problem(
            app.get("/v1/events", &manager).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        let outsider = app.token_for("thurrock", "thurrock-council", &[Role::Auditor]);
        let theirs: Value = app.get("/v1/events", &outsider).await.json().await.unwrap();
        assert_eq!(theirs["items"], serde_json::json!([]));
    }
);
