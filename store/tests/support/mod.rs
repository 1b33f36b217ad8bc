//! Test databases for the store's integration tests: a fresh SQLite file or a fresh
//! PostgreSQL database per test.

#![allow(dead_code, clippy::unwrap_used)]

/// Instantiates each test function for both backends.
macro_rules! both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let db = super::TestDb::sqlite();
                    super::$test(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::$test(&db).await;
                }
            )*
        }
    };
}

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::sync::Arc;

use casetrail_store::EventStore;

/// A fresh database for one test, removed when dropped (even when the test panics).
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<PgDatabase>,
}

#[derive(Debug)]
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // A nested path also proves that `open` creates missing directories.
        let url = format!("sqlite://{}/nested/dir/events.db", dir.path().display());
        Self {
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "TEST_DATABASE_URL must be set in CI: the PostgreSQL conformance tests must run"
            );
            eprintln!("note: TEST_DATABASE_URL is not set; skipping the PostgreSQL backend");
            return None;
        };
        let name = format!("casetrail_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = with_database(&admin_url, &name);
        Some(Self {
            url,
            _dir: None,
            postgres: Some(PgDatabase { admin_url, name }),
        })
    }

    pub async fn open(&self) -> Arc<dyn EventStore> {
        casetrail_store::open(&self.url).await.unwrap()
    }

    pub fn is_sqlite(&self) -> bool {
        self.postgres.is_none()
    }
}

/// The same server URL naming another database (keeps user, host and query string).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Best effort, from a thread of its own: Drop cannot await, and the test's runtime
        // may be shutting down. FORCE ends connections the test left open.
        let admin_url = self.admin_url.clone();
        let sql = format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await?;
                admin.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("note: could not drop test database {}", self.name);
        }
    }
}
