//! Safe defaults: without `--dev`, `serve` starts only with the key-encryption key, a token
//! key, the issuer and the audience, names every one that is missing at once and creates
//! nothing; with them it writes nothing to the log that the operator did not ask for.
//! Development mode says what it stood in for.

use casetrail_tests::{Backend, Server, TestDb, verified};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const SECRET: &str = "a-shared-secret-of-at-least-32-bytes!!";

/// Production settings: no development mode, a KEK file of its own, an HS256 secret with
/// issuer and audience.
fn production_settings(kek: &Path) -> [(&'static str, &str); 5] {
    [
        ("CASETRAIL_DEV", "false"),
        ("CASETRAIL_KEK_FILE", kek.to_str().unwrap()),
        ("CASETRAIL_JWT_SECRET", SECRET),
        ("CASETRAIL_JWT_ISSUER", "https://idp.example.org"),
        ("CASETRAIL_JWT_AUDIENCE", "casetrail"),
    ]
}

fn new_kek(path: &Path) {
    std::fs::write(path, rand::random::<[u8; 32]>()).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn serve_without_dev_names_every_missing_setting_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let database = dir.path().join("casetrail.db");
    let url = format!("sqlite://{}", database.display());
    let base = [
        ("DATABASE_URL", url.as_str()),
        ("CASETRAIL_DATA_DIR", data_dir.to_str().unwrap()),
    ];
    let refused =
        casetrail_tests::casetrail(dir.path(), &["serve", "--bind", "127.0.0.1:0"], &base);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    for named in [
        "CASETRAIL_KEK_FILE",
        "CASETRAIL_JWT_PUBLIC_KEY_FILE",
        "CASETRAIL_JWKS_FILE",
        "CASETRAIL_JWT_SECRET",
        "CASETRAIL_JWT_ISSUER",
        "CASETRAIL_JWT_AUDIENCE",
        "casetrail serve --dev",
    ] {
        assert!(stderr.contains(named), "{named} not named: {stderr}");
    }
    assert!(!database.exists(), "no database created");
    assert!(
        !data_dir.exists(),
        "no data directory, secret or KEK created"
    );

    // With some of them set, only the others are named; `CASETRAIL_DEV=false` is no
    // development mode either.
    let kek = dir.path().join("kek-of-production");
    new_kek(&kek);
    let mut partly = base.to_vec();
    partly.extend([
        ("CASETRAIL_DEV", "false"),
        ("CASETRAIL_KEK_FILE", kek.to_str().unwrap()),
        ("CASETRAIL_JWT_ISSUER", "https://idp.example.org"),
    ]);
    let refused =
        casetrail_tests::casetrail(dir.path(), &["serve", "--bind", "127.0.0.1:0"], &partly);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("CASETRAIL_JWT_SECRET") && stderr.contains("CASETRAIL_JWT_AUDIENCE"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("CASETRAIL_KEK_FILE") && !stderr.contains("CASETRAIL_JWT_ISSUER"),
        "a setting given is not named missing: {stderr}"
    );
    assert!(!database.exists() && !data_dir.exists());
}

/// Production settings start the service with no demo partnership, no development secret or
/// KEK and no warning; the log it leaves holds no event.
#[test]
fn production_writes_nothing_to_the_log_unasked() {
    let dir = tempfile::tempdir().unwrap();
    for backend in Backend::ALL {
        let Some(db) = TestDb::create_blocking(backend, dir.path()) else {
            continue;
        };
        let data_dir = dir.path().join(format!("data-{backend:?}"));
        let kek = dir.path().join(format!("kek-{backend:?}"));
        new_kek(&kek);
        let server = Server::start_with(&db.url, &data_dir, &production_settings(&kek));
        let (status, log) = server.stop();
        assert!(status.success(), "{backend:?}: {log}");
        assert!(
            !log.to_lowercase().contains("development"),
            "{backend:?}: {log}"
        );
        assert!(!data_dir.join("kek").exists(), "{backend:?}");
        assert!(!data_dir.join("dev-jwt-secret").exists(), "{backend:?}");
        let verified = verified(dir.path(), &db.url);
        assert_eq!(verified["events"], 0, "{backend:?}: {verified}");
    }
}

/// Asked for in production, the demo partnership is created; in development mode it is the
/// default, and the start says, on the terminal and in the log, what development mode stood in
/// for.
#[test]
fn development_mode_says_so_and_demo_data_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create_blocking(Backend::Sqlite, dir.path()).unwrap();
    let data_dir = dir.path().join("data");
    let server = Server::start_with(
        &db.url,
        &data_dir,
        &[("CASETRAIL_LOG_FORMAT", "json"), ("CASETRAIL_LOG", "info")],
    );
    let (_, log) = server.stop();
    assert!(
        log.contains("DEVELOPMENT MODE (--dev): not for real cases."),
        "{log}"
    );
    for stand_in in [
        "development secret",
        "development key-encryption key",
        "demo partnership",
    ] {
        assert!(log.contains(stand_in), "{stand_in}: {log}");
    }
    let started = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|line| line["message"] == "casetrail started")
        .unwrap_or_else(|| panic!("no start line: {log}"));
    assert_eq!(started["dev"], true, "{started}");
    assert!(
        log.contains("\"development mode: not for real cases\""),
        "the warning in the log: {log}"
    );

    let other = tempfile::tempdir().unwrap();
    let production = TestDb::create_blocking(Backend::Sqlite, other.path()).unwrap();
    let kek = dir.path().join("kek-of-production");
    new_kek(&kek);
    let server = Server::start_with(
        &production.url,
        &dir.path().join("data-p"),
        &[
            production_settings(&kek).as_slice(),
            &[("CASETRAIL_DEMO_DATA", "true")],
        ]
        .concat(),
    );
    server.stop();
    let verified = verified(dir.path(), &production.url);
    assert!(
        verified["events"].as_u64().unwrap() > 0,
        "the demo partnership, asked for: {verified}"
    );
}

/// A production instance starts with no partnership; the operator establishes theirs from a
/// charter while it runs, and its users' tokens then work. A charter without a statutory
/// partner, or a second one for the same slug, records nothing.
#[test]
fn the_operator_establishes_the_partnership_of_a_production_instance() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create_blocking(Backend::Sqlite, dir.path()).unwrap();
    let kek = dir.path().join("kek-of-production");
    new_kek(&kek);
    let server = Server::start_with(
        &db.url,
        &dir.path().join("data"),
        &production_settings(&kek),
    );
    let notifier = casetrail_tests::tokens::hs256(
        SECRET.as_bytes(),
        &serde_json::json!({
            "sub": "u-1", "name": "A Notifier", "partnership": "thurrock",
            "org": "thurrock-council", "roles": ["notifier"],
            "iss": "https://idp.example.org", "aud": "casetrail",
            "exp": chrono::Utc::now().timestamp() + 600,
        }),
    );
    let notify = || {
        server
            .call(
                "POST",
                "/v1/cases/notifications",
                &notifier,
                &[],
                Some(&casetrail_tests::notification()),
            )
            .answered()
    };
    assert_eq!(notify().status, 403, "no partnership yet");

    let organisations = serde_json::json!([
        {"slug": "thurrock-council", "name": "Thurrock Council", "kind": "local_authority"},
        {"slug": "essex-police", "name": "Essex Police", "kind": "police"},
        {"slug": "thurrock-icb", "name": "Mid and South Essex ICB", "kind": "health"}
    ]);
    let charter = |organisations: &Value| {
        let path = dir.path().join("charter.json");
        let charter = serde_json::json!({
            "slug": "thurrock", "name": "Thurrock Safeguarding Partnership",
            "organisations": organisations,
        });
        std::fs::write(&path, charter.to_string()).unwrap();
        casetrail_tests::casetrail(
            dir.path(),
            &[
                "establish-partnership",
                "--database-url",
                &db.url,
                "--file",
                path.to_str().unwrap(),
                "--user",
                "operator-7",
            ],
            &[],
        )
    };
    let without_police = charter(&Value::Array(
        organisations
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["kind"] != "police")
            .cloned()
            .collect(),
    ));
    assert!(!without_police.status.success());
    assert_eq!(notify().status, 403, "nothing recorded");

    let established = charter(&organisations);
    assert!(
        established.status.success(),
        "{}",
        String::from_utf8_lossy(&established.stderr)
    );
    let established: Value = serde_json::from_slice(&established.stdout).unwrap();
    assert_eq!(established["status"], "established");
    let again = charter(&organisations);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already established"));

    // The running server follows the log: the partnership's users may act within seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let created = loop {
        let reply = notify();
        if reply.status != 403 || std::time::Instant::now() > deadline {
            break reply;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(created.status, 201, "{:?}", created.body);
    server.stop();
    assert_eq!(verified(dir.path(), &db.url)["status"], "ok");
}
