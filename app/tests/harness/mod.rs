//! The one harness of the app crate's tests: the real store (SQLite, and PostgreSQL when
//! `TEST_DATABASE_URL` is set, a fresh database from the migrated template), the demo
//! partnership, the projector, the key vault, the access log, the bus and the queries, all at a
//! clock the test sets.

#![allow(dead_code, clippy::unwrap_used)] // each test binary uses its own part of it

/// Runs the test function `$name(postgres: bool)` on SQLite and on PostgreSQL.
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(false).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(true).await;
            }
        }
    };
}

use casetrail_app::demo::{DEMO_PARTNERSHIP, ensure_demo_partnership};
use casetrail_app::personal_data::{KeyVault, LocalKeyring};
use casetrail_app::queries::Queries;
use casetrail_app::{CommandBus, ManualClock};
use casetrail_domain::{Actor, OrgSlug, PartnershipSlug, Role};
use casetrail_projections::{Projector, ProjectorHandle};
use casetrail_store::{AccessLogger, EventStore};
use chrono::{TimeZone, Utc};
use std::sync::Arc;
use std::time::Duration;

/// Everything the app runs on, for one test.
pub struct Harness {
    pub bus: CommandBus,
    pub queries: Queries,
    pub store: Arc<dyn EventStore>,
    pub projector: ProjectorHandle,
    pub vault: KeyVault,
    pub access_log: AccessLogger,
    pub clock: ManualClock,
    _dir: tempfile::TempDir,
    _pg: Option<casetrail_testkit::PgTestDb>,
}

/// A harness on SQLite, or on PostgreSQL (`None` when PostgreSQL is not configured here). The
/// clock reads a Monday morning in term time, 2 March 2026, 09:00 UTC: the decisions are dated
/// by it, not by the machine.
pub async fn harness(postgres: bool) -> Option<Harness> {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, pg) = if postgres {
        let db = casetrail_testkit::PgTestDb::create("casetrail_app", |url| async move {
            let store = casetrail_store::open(&url).await.expect("migrate");
            store.close().await;
        })
        .await?;
        (db.url.clone(), Some(db))
    } else {
        let path = dir.path().join("app.db");
        (format!("sqlite://{}", path.display()), None)
    };
    let store = casetrail_store::open(&url).await.expect("open the store");
    let keys = casetrail_store::open_data_keys(&url).await.expect("keys");
    let keyring = LocalKeyring::dev(&dir.path().join("data"), &[]).expect("dev keyring");
    let vault = KeyVault::new(keys, Arc::new(keyring));
    let access_log_store = casetrail_store::open_access_log(&url)
        .await
        .expect("access log");
    let access_log = AccessLogger::start(Arc::clone(&access_log_store));
    ensure_demo_partnership(store.as_ref()).await.expect("demo");
    let projector = Projector::start(Arc::clone(&store)).await.expect("project");
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let bus = CommandBus::new(
        Arc::clone(&store),
        projector.clone(),
        vault.clone(),
        Arc::new(clock.clone()),
        Duration::from_secs(2),
    );
    let queries = Queries::new(
        projector.clone(),
        vault.clone(),
        access_log.clone(),
        access_log_store,
        2,
        Arc::new(clock.clone()),
    );
    Some(Harness {
        bus,
        queries,
        store,
        projector,
        vault,
        access_log,
        clock,
        _dir: dir,
        _pg: pg,
    })
}

/// A user of the demo partnership with one role, in `org`.
pub fn actor(role: Role, org: &str) -> Actor {
    Actor {
        user: format!("{role:?}-user"),
        name: "Staff Member".to_owned(),
        partnership: PartnershipSlug::parse(DEMO_PARTNERSHIP).unwrap(),
        org: OrgSlug::parse(org).unwrap(),
        roles: [role].into_iter().collect(),
    }
}
