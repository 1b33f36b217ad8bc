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

/// The commands that read an existing log refuse a database that does not exist or holds no
/// log, naming the setting, and create nothing: `verify` on a mistyped path used to create an
/// empty database and answer `"status": "ok"` with 0 events.
#[test]
fn reading_commands_refuse_a_database_without_a_log_and_create_none() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.db");
    let missing_url = format!("sqlite://{}", missing.display());
    // A SQLite file that is a database, but not Casetrail's.
    let foreign = dir.path().join("foreign.db");
    let foreign_url = format!("sqlite://{}", foreign.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::ConnectOptions;
        let options: sqlx::sqlite::SqliteConnectOptions = foreign_url.parse().unwrap();
        let mut connection = options.create_if_missing(true).connect().await.unwrap();
        sqlx::query("CREATE TABLE notes (body TEXT)")
            .execute(&mut connection)
            .await
            .unwrap();
    });
    let mut urls = vec![
        (missing_url, "there is no SQLite database at"),
        (foreign_url, "holds no Casetrail event log"),
        ("sqlite::memory:".to_owned(), "in-memory"),
    ];
    let empty =
        casetrail_testkit::admin_url().map(|admin| casetrail_tests::EmptyPostgres::create(&admin));
    if let Some(empty) = &empty {
        urls.push((empty.url.clone(), "holds no Casetrail event log"));
    }
    for (url, why) in &urls {
        for command in [
            vec!["verify", "--database-url", url],
            vec!["export", "--database-url", url],
            vec!["replay", "--database-url", url],
            vec!["rotate-kek", "--database-url", url],
        ] {
            let output = casetrail(&command, dir.path());
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "{command:?} succeeded");
            assert!(output.stdout.is_empty(), "{command:?} printed a verdict");
            assert!(
                stderr.contains("--database-url (or DATABASE_URL)") && stderr.contains(why),
                "{command:?}: {stderr}"
            );
        }
    }
    assert!(
        !missing.exists(),
        "a database was created at the mistyped path"
    );
    if let Some(empty) = &empty {
        assert!(!empty.has_tables(), "the empty database was migrated");
    }
}

/// `casetrail export | head` and the like: a reader that closes the pipe early ends the command
/// quietly with exit 0, as Unix tools do, instead of "Error: Broken pipe" and exit 1.
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    // Far more than a pipe's buffer (64 KiB) of export and of replay.
    let url = casetrail_tests::seeded_database(dir.path(), 100);
    for command in [
        vec!["export", "--database-url", &url],
        vec!["replay", "--database-url", &url],
        vec!["openapi"],
    ] {
        let mut child = Command::new(casetrail_tests::binary())
            .args(&command)
            .current_dir(dir.path())
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The reader is gone: the next write finds the pipe closed.
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{command:?}: {:?}", output.status);
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "",
            "{command:?} said something"
        );
    }
}

/// Without `DATABASE_URL`, `serve` keeps its SQLite database in its data directory, wherever it
/// is started from, as `--data-dir`'s help says (it used to go to `./data` whatever the data
/// directory).
#[test]
fn the_default_database_lives_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("elsewhere");
    let mut child = std::process::Command::new(casetrail_tests::binary())
        .args(["serve", "--dev", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_clear()
        .env("CASETRAIL_DATA_DIR", &data_dir)
        .env("CASETRAIL_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let database = data_dir.join("casetrail.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !database.is_file() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(database.is_file(), "no database in the data directory");
    assert!(
        !dir.path().join("data").exists(),
        "a database in ./data besides"
    );
}

/// `--version` names the commit the binary was built from, so an operator can tell what runs.
#[test]
fn the_version_names_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let version = casetrail(&["--version"], dir.path());
    assert!(version.status.success());
    let version = String::from_utf8(version.stdout).unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_owned());
    // Built from a checkout (CI, a developer): that commit; without one, said so.
    let commit = head.as_deref().unwrap_or("unknown commit");
    assert_eq!(
        version.trim(),
        format!("casetrail {} ({commit})", env!("CARGO_PKG_VERSION"))
    );
}

/// Settings that cannot work stop the start with a message naming them and where their value
/// came from, not a panic, a silent default or a failure after the database was opened: 0
/// worker threads (actix-web panicked), a log filter that is none (logging went on at the
/// default level), an address that is none, a retry wait longer than its cap, a duration that
/// is none, an empty issuer. Nothing is created.
#[test]
fn settings_that_cannot_work_are_refused_at_start_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("casetrail.db");
    let url = format!("sqlite://{}", database.display());
    let data_dir = dir.path().join("data");
    for (setting, value, named) in [
        (
            "CASETRAIL_WORKERS",
            "0",
            "CASETRAIL_WORKERS, not the command line",
        ),
        ("CASETRAIL_WORKERS", "many", "--workers"),
        (
            "CASETRAIL_WEBHOOK_MAX_ATTEMPTS",
            "500",
            "CASETRAIL_WEBHOOK_MAX_ATTEMPTS, not",
        ),
        ("CASETRAIL_LOG", "casetrail=loud", "CASETRAIL_LOG"),
        (
            "CASETRAIL_METRICS_BIND",
            "nowhere",
            "CASETRAIL_METRICS_BIND (environment)",
        ),
        (
            "CASETRAIL_WEBHOOK_RETRY_BASE",
            "2h",
            "CASETRAIL_WEBHOOK_RETRY_BASE (environment)",
        ),
        (
            "CASETRAIL_FEED_HEARTBEAT",
            "soon",
            "CASETRAIL_FEED_HEARTBEAT, not",
        ),
        (
            "CASETRAIL_AS_OF_CONCURRENCY",
            "0",
            "CASETRAIL_AS_OF_CONCURRENCY (environment)",
        ),
        (
            "CASETRAIL_JWT_ISSUER",
            " ",
            "CASETRAIL_JWT_ISSUER (environment)",
        ),
        (
            "DATABASE_URL",
            "mysql://db/casetrail",
            "DATABASE_URL (environment)",
        ),
    ] {
        let output = casetrail_tests::casetrail(
            dir.path(),
            &["serve", "--dev", "--bind", "127.0.0.1:0"],
            &[
                ("DATABASE_URL", &url),
                ("CASETRAIL_DATA_DIR", data_dir.to_str().unwrap()),
                (setting, value),
            ],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{setting}={value} started");
        assert!(
            stderr.contains(named) && !stderr.contains("panicked"),
            "{setting}={value}: {stderr}"
        );
        assert!(
            !database.exists() && !data_dir.exists(),
            "{setting}={value}"
        );
    }
    // A flag is named as the flag.
    let output = casetrail_tests::casetrail(
        dir.path(),
        &["serve", "--dev", "--bind", "nowhere"],
        &[("DATABASE_URL", &url)],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--bind: \"nowhere\" is not an address"),
        "{stderr}"
    );
}

/// The long commands say how far they have come on standard error, never on standard output:
/// a line every 10,000 events when it is not a terminal, a bar with the rate and the time left
/// on a terminal (a pseudo-terminal made by `script`).
#[test]
fn long_commands_show_their_progress() {
    let dir = tempfile::tempdir().unwrap();
    let url = casetrail_tests::seeded_database(dir.path(), 400);
    let events = casetrail_tests::verified(dir.path(), &url)["events"]
        .as_u64()
        .unwrap();
    assert!(events > 10_000, "{events}");
    for command in ["export", "verify", "replay"] {
        let output = casetrail(&[command, "--database-url", &url], dir.path());
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("casetrail {command}: 10000 of {events} events, ")),
            "{command}: {stderr}"
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains("10000 of"));
    }
    let backup = dir.path().join("casetrail.backup");
    let output = casetrail(
        &[
            "backup",
            "--database-url",
            &url,
            "--to",
            backup.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("casetrail backup: 10000 of"));

    let binary = casetrail_tests::binary();
    let on_a_terminal = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} verify --database-url {url} > /dev/null",
            binary.display()
        ))
        .arg("/dev/null")
        .output()
        .expect("script (util-linux) makes a pseudo-terminal");
    let shown = String::from_utf8_lossy(&on_a_terminal.stdout);
    assert!(
        shown.contains("casetrail verify [")
            && shown.contains(&format!("/{} events", thousands(events))),
        "{shown}"
    );
}

/// `12345` as indicatif writes it: `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
