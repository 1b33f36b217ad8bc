//! A fresh database for one test, on either backend.
//!
//! PostgreSQL databases are clones of a template database migrated once per test process
//! (`casetrail_testkit`): `CREATE DATABASE … TEMPLATE` copies the schema inside the server
//! instead of every test running every migration over the network. The template holds only the
//! schema: the server still creates the demo partnership when it starts (`demo_data`).

use std::path::Path;

/// Which event store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite in the test's temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `TEST_DATABASE_URL`.
    Postgres,
}

impl Backend {
    /// Both backends, for tests that loop over them instead of being generated twice.
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];
}

/// A fresh database for one test, dropped when the test ends (even on panic).
#[derive(Debug)]
pub struct TestDb {
    /// What `DATABASE_URL` or `casetrail_store::open` takes.
    pub url: String,
    /// The backend it is on.
    pub backend: Backend,
    // A clone of the migrated template database, dropped with this.
    _postgres: Option<casetrail_testkit::PgTestDb>,
}

/// Every test database's name starts with this, so a left-over one is recognised on the server.
const PREFIX: &str = "casetrail_test";

impl TestDb {
    /// Creates the database: SQLite as `casetrail.db` in `dir`, PostgreSQL as a clone of the
    /// template. `None` when PostgreSQL is not configured (outside CI; in CI that panics).
    pub async fn create(backend: Backend, dir: &Path) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite(dir)),
            Backend::Postgres => {
                let db = casetrail_testkit::PgTestDb::create(PREFIX, migrate).await?;
                Some(TestDb::postgres(db))
            }
        }
    }

    /// [`TestDb::create`] for a test without a runtime (the tests that drive the binary).
    pub fn create_blocking(backend: Backend, dir: &Path) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite(dir)),
            Backend::Postgres => {
                let db = casetrail_testkit::PgTestDb::create_blocking(PREFIX, migrate)?;
                Some(TestDb::postgres(db))
            }
        }
    }

    fn sqlite(dir: &Path) -> TestDb {
        TestDb {
            url: format!("sqlite://{}", dir.join("casetrail.db").display()),
            backend: Backend::Sqlite,
            _postgres: None,
        }
    }

    fn postgres(db: casetrail_testkit::PgTestDb) -> TestDb {
        TestDb {
            url: db.url.clone(),
            backend: Backend::Postgres,
            _postgres: Some(db),
        }
    }
}

/// Migrates the template with the store's own code, the code the server opens it with.
async fn migrate(url: String) {
    let store = casetrail_store::open(&url)
        .await
        .expect("migrate the template");
    store.close().await;
}
