//! The `casetrail` binary's offline commands.

fn casetrail(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    casetrail_tests::casetrail(dir, args, &[])
}

#[test]
fn token_mints_a_development_token_and_openapi_prints_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let token = casetrail(
        &["token", "--role", "notifier", "--org", "southend-council"],
        dir.path(),
    );
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap();
    assert_eq!(token.trim().split('.').count(), 3, "a JWT and nothing else");
    assert!(
        dir.path().join("data/dev-jwt-secret").exists(),
        "the secret is created on first use"
    );
    let unknown = casetrail(&["token", "--role", "wizard", "--org", "x"], dir.path());
    assert!(!unknown.status.success());
    let openapi = casetrail(&["openapi"], dir.path());
    assert_eq!(
        String::from_utf8(openapi.stdout).unwrap(),
        casetrail_api::openapi::document_json()
    );
}

/// A SQLite log in `dir` holding the demo partnership, written by the library (no server).
fn demo_database(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}/events.db", dir.display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = casetrail_store::open(&url).await.unwrap();
        casetrail_app::demo::ensure_demo_partnership(store.as_ref())
            .await
            .unwrap();
        store.close().await;
    });
    url
}

#[test]
fn verify_checks_a_log_offline() {
    let dir = tempfile::tempdir().unwrap();
    let url = demo_database(dir.path());
    let output = casetrail(&["verify", "--database-url", &url], dir.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdict: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["status"], "ok");
    assert_eq!(verdict["head_position"], 19);
    let missing = casetrail(&["verify", "--database-url", "mysql://nowhere"], dir.path());
    assert!(!missing.status.success());

    // Exported, the log verifies from the file alone, and a tampered copy does not.
    let export = casetrail(&["export", "--database-url", &url], dir.path());
    assert!(export.status.success());
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, &export.stdout).unwrap();
    let from_file = casetrail(&["verify", "--file", path.to_str().unwrap()], dir.path());
    assert!(from_file.status.success());
    let file_verdict: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(file_verdict, verdict);
    let text = String::from_utf8(export.stdout).unwrap();
    let tampered = text.replacen("Essex Police", "Essex Constabulary", 1);
    assert_ne!(tampered, text);
    std::fs::write(&path, tampered).unwrap();
    let broken = casetrail(&["verify", "--file", path.to_str().unwrap()], dir.path());
    assert_eq!(broken.status.code(), Some(1));
    let broken: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(broken["status"], "broken");
    assert_eq!(
        broken["position"], 3,
        "Essex Police is the second organisation registered"
    );
}

#[test]
fn replay_prints_the_read_models_from_the_database_or_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let url = demo_database(dir.path());
    let replay = |args: &[&str]| {
        let output = casetrail(&[&["replay"], args].concat(), dir.path());
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let whole = replay(&["--database-url", &url, "--until", "19"]);
    assert_eq!(whole["until"]["position"], 19);
    assert_eq!(whole["until"]["hash"].as_str().unwrap().len(), 64);
    let southend = &whole["partnerships"][0];
    assert_eq!(southend["partnership"], "southend");
    assert_eq!(southend["cases"], serde_json::json!([]));
    assert_eq!(southend["audit_trail"].as_array().unwrap().len(), 19);
    // Position 1 is the partnership's founding; its organisations follow.
    let first = replay(&[
        "--database-url",
        &url,
        "--until",
        "1",
        "--model",
        "audit-trail",
    ]);
    let trail = first["partnerships"][0]["audit_trail"].as_array().unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0]["event_type"], "PartnershipEstablished");
    assert!(first["partnerships"][0].get("cases").is_none());

    // From an export, with no database, the same answer.
    let export = casetrail(&["export", "--database-url", &url], dir.path());
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, &export.stdout).unwrap();
    let file = path.to_str().unwrap();
    assert_eq!(replay(&["--file", file, "--until", "19"]), whole);

    // A position past the end, an unreadable --until and an altered log are refused.
    let past = casetrail(&["replay", "--file", file, "--until", "20"], dir.path());
    assert_eq!(past.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&past.stderr).contains("ends at position 19"));
    let nonsense = casetrail(
        &["replay", "--file", file, "--until", "yesterday"],
        dir.path(),
    );
    assert!(!nonsense.status.success());
    let text = String::from_utf8(export.stdout).unwrap();
    std::fs::write(
        &path,
        text.replacen("Essex Police", "Essex Constabulary", 1),
    )
    .unwrap();
    let broken = casetrail(&["replay", "--file", file], dir.path());
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("broken at position 3"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
    assert!(
        broken.stdout.is_empty(),
        "nothing printed from an altered log"
    );
}
