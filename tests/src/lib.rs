//! The one black-box test harness of Casetrail, used by every test that drives the service from
//! outside: `tests/api` and `tests/reliability` (the application in process, over real HTTP)
//! and `tests/binary` (the `casetrail` binary as a child process: crashes, signals, the CLI).
//!
//! - [`TestDb`]: a fresh database per test on either [`Backend`]; PostgreSQL ones are clones of
//!   a template database migrated once (`casetrail_testkit`).
//! - [`TestApp`]: the application on a random port, real JWT verification, started through
//!   [`TestApp::builder`]; [`both_backends!`] generates a test for SQLite and PostgreSQL.
//! - [`Server`]: `casetrail serve` as a child process, reached over a raw socket that tells a
//!   refused request from a lost one; [`casetrail`] runs the binary's offline commands.
//! - [`tokens`]: every token a test sends, development (HS256) or production (RS256, ES256).
//! - [`problem`], [`notification`], [`deadline`], [`answer`]: requests and problem+json.
//!
//! Rule checks belong in the domain's tests; the tests using this check the HTTP mapping.

mod app;
mod browser;
mod db;
mod empty_postgres;
mod http;
mod process;
pub mod receiver;
pub mod tokens;

pub use app::{Replica, Stopped, TestApp, TestAppBuilder};
pub use browser::chromium;
pub use db::{Backend, TestDb};
pub use empty_postgres::EmptyPostgres;
pub use http::{answer, deadline, notification, problem};
pub use process::{
    Outcome, Reply, Server, binary, casetrail, seeded_database, succeeded, verified,
};

/// Generates the test `$name` twice, `$name::sqlite` and `$name::postgres`, each given a
/// fresh [`TestApp`] (the PostgreSQL one is skipped outside CI when no server is configured).
/// With `configure = <closure>`, the app starts with changed settings
/// ([`TestAppBuilder::configure`]).
#[macro_export]
macro_rules! both_backends {
    ($name:ident, configure = $configure:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::builder($crate::Backend::Sqlite)
                    .configure($configure)
                    .spawn()
                    .await;
                if let Some(app) = app {
                    ($body)(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::builder($crate::Backend::Postgres)
                    .configure($configure)
                    .spawn()
                    .await;
                if let Some(app) = app {
                    ($body)(app).await;
                }
            }
        }
    };
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Sqlite).await {
                    ($body)(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                    ($body)(app).await;
                }
            }
        }
    };
}
