//! Test databases for the store's integration tests: a fresh SQLite file or a fresh
//! PostgreSQL database per test, cloned from a migrated template.

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

use casetrail_testkit::PgTestDb;
use std::sync::Arc;

use casetrail_store::EventStore;

#[allow(unused_imports)] // Only conformance.rs tests it.
pub use casetrail_testkit::with_database;

/// A fresh database for one test, removed when dropped (even when the test panics).
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<PgTestDb>,
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

    /// A clone of the migrated template database (see `casetrail_testkit`).
    pub async fn postgres() -> Option<Self> {
        let db = PgTestDb::create("casetrail_test", migrate).await?;
        Some(Self {
            url: db.url.clone(),
            _dir: None,
            postgres: Some(db),
        })
    }

    pub async fn open(&self) -> Arc<dyn EventStore> {
        casetrail_store::open(&self.url).await.unwrap()
    }

    pub fn is_sqlite(&self) -> bool {
        self.postgres.is_none()
    }
}

/// Migrates the template: the store's own migrations, applied by opening it.
async fn migrate(url: String) {
    casetrail_store::open(&url).await.unwrap().close().await;
}
