//! PostgreSQL databases for tests, cloned from a template database migrated once.
//!
//! `CREATE DATABASE x TEMPLATE t` copies an already migrated schema inside the server, instead
//! of every test creating an empty database and running every migration over the network.
//! The template's name carries a hash of `migrations/postgres/*.sql`, so a changed migration
//! gets a new template on its next run. Templates of earlier migrations are left on the server
//! (drop them by hand: `ALTER DATABASE t IS_TEMPLATE false; DROP DATABASE t`); they are small
//! and a branch switched back finds its own again.
//!
//! Also a process's memory as Linux reports it (`process`), for benches and tests.
//!
//! This crate depends on no Casetrail crate (`store` dev-depends on it): the caller hands in
//! the migration, `casetrail_store::open` on the template's URL.

pub mod process;

use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::future::Future;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The advisory lock taken while a template is made: several test binaries start at once.
const TEMPLATE_LOCK: i64 = 0x6361_7365_7472_6c31; // "casetrl1"

/// The server named by `TEST_DATABASE_URL`; `None` when it is unset, which fails in CI
/// (with `CI` set) instead of skipping: the PostgreSQL tests must run there.
pub fn admin_url() -> Option<String> {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "TEST_DATABASE_URL must be set in CI: the PostgreSQL tests may not be skipped"
        );
        eprintln!("note: TEST_DATABASE_URL is not set; skipping the PostgreSQL variant");
        return None;
    };
    Some(url)
}

/// A fresh, migrated PostgreSQL database for one test, dropped with it (even on panic).
#[derive(Debug)]
pub struct PgTestDb {
    /// The database's URL: the admin URL's server, user and query string.
    pub url: String,
    /// Its name, `<prefix>_<uuid>`.
    pub name: String,
    admin_url: String,
}

impl PgTestDb {
    /// Clones the template (made first, once per process, by `migrate` on its URL) into a
    /// database named `<prefix>_<uuid>`; `None` when PostgreSQL is not configured (outside CI).
    pub async fn create<F, Fut>(prefix: &str, migrate: F) -> Option<PgTestDb>
    where
        F: FnOnce(String) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let admin_url = admin_url()?;
        let template = template(&admin_url, migrate);
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        clone(&mut admin, &template, &name).await;
        let _ = admin.close().await;
        Some(PgTestDb {
            url: with_database(&admin_url, &name),
            name,
            admin_url,
        })
    }

    /// [`PgTestDb::create`] for a test without a runtime.
    pub fn create_blocking<F, Fut>(prefix: &str, migrate: F) -> Option<PgTestDb>
    where
        F: FnOnce(String) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let prefix = prefix.to_owned();
        on_own_runtime(move || async move { PgTestDb::create(&prefix, migrate).await })
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        // Drop cannot await and the test's runtime may be shutting down: a runtime of its own.
        // FORCE ends connections the test left open. Best effort.
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

/// The template's name, made on the server if absent: once per process, on a thread and
/// runtime of its own so that a test's runtime (which may be any flavour) is not involved.
fn template<F, Fut>(admin_url: &str, migrate: F) -> String
where
    F: FnOnce(String) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let admin_url = admin_url.to_owned();
            on_own_runtime(move || async move { ensure_template(&admin_url, migrate).await })
        })
        .clone()
}

/// Runs the future `make` returns on a new thread's own runtime, and waits for it.
fn on_own_runtime<T, Fut>(make: impl FnOnce() -> Fut + Send + 'static) -> T
where
    T: Send + 'static,
    Fut: Future<Output = T>,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(make())
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

async fn ensure_template<F, Fut>(admin_url: &str, migrate: F) -> String
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let name = format!("casetrail_template_{}", migrations_hash());
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    // Session-level: released on unlock, or by the server if this process dies meanwhile.
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut admin)
        .await
        .expect("lock");
    let is_template: Option<bool> =
        sqlx::query_scalar("SELECT datistemplate FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut admin)
            .await
            .expect("look for the template");
    if is_template != Some(true) {
        if is_template.is_some() {
            // Left half-made by a process that died while migrating it.
            execute(
                &mut admin,
                &format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#),
            )
            .await;
        }
        execute(&mut admin, &format!(r#"CREATE DATABASE "{name}""#)).await;
        migrate(with_database(admin_url, &name)).await;
        // A template with a session open cannot be cloned: wait for the closed store's
        // connections to go.
        until_unused(&mut admin, &name).await;
        execute(
            &mut admin,
            &format!(r#"ALTER DATABASE "{name}" IS_TEMPLATE true"#),
        )
        .await;
    }
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut admin)
        .await
        .expect("unlock");
    let _ = admin.close().await;
    name
}

/// Waits until nobody is connected to the database; after 5 s, ends whoever still is (only
/// the store that migrated it ever connected).
async fn until_unused(admin: &mut PgConnection, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let sessions: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(name)
        .fetch_one(&mut *admin)
        .await
        .expect("sessions on the template");
        if sessions == 0 {
            return;
        }
        if Instant::now() > deadline {
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(name)
            .execute(&mut *admin)
            .await
            .expect("end sessions on the template");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `CREATE DATABASE name TEMPLATE template`, retried for a while when the server says the
/// template is in use (a session of a closing store that has not quite gone yet).
async fn clone(admin: &mut PgConnection, template: &str, name: &str) {
    let sql = format!(r#"CREATE DATABASE "{name}" TEMPLATE "{template}""#);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match sqlx::raw_sql(AssertSqlSafe(sql.clone()))
            .execute(&mut *admin)
            .await
        {
            Ok(_) => return,
            Err(error) if Instant::now() < deadline && error.to_string().contains("accessed") => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("{sql}: {error}"),
        }
    }
}

async fn execute(admin: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(admin)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// The first 16 hex digits of SHA-256 over the PostgreSQL migrations' names and contents.
fn migrations_hash() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a migration").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        let name = file.file_name().expect("a file name").as_encoded_bytes();
        let contents = std::fs::read(&file).expect("a migration");
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name);
        hash.update((contents.len() as u64).to_le_bytes());
        hash.update(contents);
    }
    hex::encode(&hash.finalize()[..8])
}
