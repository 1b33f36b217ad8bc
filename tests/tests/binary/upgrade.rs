//! Upgrading a database the previous release made: `casetrail migrate` applies what it lacks,
//! `serve --migrate false` refuses it until then and changes nothing, and the log is intact.

use casetrail_tests::{Backend, EmptyPostgres, Server};

/// The first migration of this release that the previous one did not have (`0011_webhooks`,
/// issue 14): it only creates tables and indexes, so dropping them and its record gives the
/// previous release's schema exactly.
const FIRST_NEW: i64 = 11;
const PREVIOUS_RELEASE: &str = "DROP TABLE webhook_lease; DROP TABLE webhook_deliveries; \
     DROP TABLE webhook_subscriptions; DELETE FROM _sqlx_migrations WHERE version >= 11;";

/// The demo partnership's log (19 events) in a database of this release, set back to the
/// previous release's schema.
fn previous_release_database(url: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = casetrail_store::open(url).await.unwrap();
        casetrail_app::demo::ensure_demo_partnership(store.as_ref())
            .await
            .unwrap();
        store.close().await;
        if url.starts_with("sqlite:") {
            use sqlx::ConnectOptions;
            let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
            let mut connection = options.connect().await.unwrap();
            sqlx::raw_sql(PREVIOUS_RELEASE)
                .execute(&mut connection)
                .await
                .unwrap();
        }
    });
    if !url.starts_with("sqlite:") {
        EmptyPostgres::run(url, PREVIOUS_RELEASE);
    }
}

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_database_of_the_previous_release_is_migrated_by_command_and_then_served() {
    for backend in Backend::ALL {
        let dir = tempfile::tempdir().unwrap();
        let empty = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => match casetrail_testkit::admin_url() {
                Some(admin) => Some(EmptyPostgres::create(&admin)),
                None => continue,
            },
        };
        let url = empty.as_ref().map_or_else(
            || format!("sqlite://{}/casetrail.db", dir.path().display()),
            |db| db.url.clone(),
        );
        previous_release_database(&url);
        let latest = casetrail_store::latest_migration(&url).unwrap();
        let missing: Vec<i64> = (FIRST_NEW..=latest).collect();
        let data_dir = dir.path().join("data");
        let data_dir = data_dir.to_str().unwrap();

        // Told not to migrate, the server refuses to start and names what is missing.
        let refused = casetrail_tests::casetrail(
            dir.path(),
            &[
                "serve",
                "--dev",
                "--migrate",
                "false",
                "--bind",
                "127.0.0.1:0",
            ],
            &[("DATABASE_URL", &url), ("CASETRAIL_DATA_DIR", data_dir)],
        );
        assert!(!refused.status.success(), "{backend:?}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains(&format!("{missing:?}")) && stderr.contains("casetrail migrate"),
            "{backend:?}: {stderr}"
        );
        let pending = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(casetrail_store::pending_migrations(&url))
            .unwrap();
        let pending: Vec<i64> = pending.iter().map(|m| m.version).collect();
        assert_eq!(
            pending, missing,
            "{backend:?}: the refusal changed the schema"
        );

        let migrated = json(&casetrail_tests::casetrail(
            dir.path(),
            &["migrate", "--database-url", &url],
            &[],
        ));
        let applied: Vec<i64> = migrated["applied"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["version"].as_i64().unwrap())
            .collect();
        assert_eq!(applied, missing, "{backend:?}");
        assert_eq!(migrated["applied"][0]["description"], "webhooks");
        assert_eq!(migrated["schema_version"], latest);
        let again = json(&casetrail_tests::casetrail(
            dir.path(),
            &["migrate", "--database-url", &url],
            &[],
        ));
        assert_eq!(again["applied"], serde_json::json!([]), "{backend:?}");

        // The log the previous release wrote is whole, and the server starts without migrating.
        let verdict = json(&casetrail_tests::casetrail(
            dir.path(),
            &["verify", "--database-url", &url],
            &[],
        ));
        assert_eq!(verdict["status"], "ok", "{backend:?}");
        assert_eq!(verdict["head_position"], 19, "{backend:?}");
        let server = Server::start_with(
            &url,
            &dir.path().join("data"),
            &[("CASETRAIL_MIGRATE", "false")],
        );
        let bind = format!("127.0.0.1:{}", server.port);
        let health = casetrail_tests::casetrail(dir.path(), &["health", "--bind", &bind], &[]);
        assert_eq!(health.status.code(), Some(0), "{backend:?}");
        server.stop();
    }
}
