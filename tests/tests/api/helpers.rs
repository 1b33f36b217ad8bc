//! The test harness: the real server on port 0 against a fresh database, driven over HTTP.

use casetrail_api::auth::{DevTokenRequest, load_or_create_dev_secret, mint_dev_token};
use casetrail_api::config::LogFormat;
use casetrail_api::{Application, ServeConfig};
use casetrail_domain::{OrgSlug, PartnershipSlug, Role};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

/// Which event store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `TEST_DATABASE_URL`.
    Postgres,
}

/// A fresh database for one test, dropped when the test ends.
pub struct TestDb {
    pub url: String,
    // A clone of the migrated template database (see `casetrail_testkit`), dropped with this.
    _postgres: Option<casetrail_testkit::PgTestDb>,
}

impl TestDb {
    /// Creates the database, or returns `None` when PostgreSQL is not configured (outside CI).
    pub async fn create(backend: Backend, dir: &TempDir) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb {
                url: format!("sqlite://{}", dir.path().join("casetrail.db").display()),
                _postgres: None,
            }),
            Backend::Postgres => {
                // The template holds only the migrated schema: the server still creates the
                // demo partnership at start (`demo_data: true`).
                let db = casetrail_testkit::PgTestDb::create("casetrail_test", |url| async move {
                    let store = casetrail_store::open(&url)
                        .await
                        .expect("migrate the template");
                    store.close().await;
                })
                .await?;
                Some(TestDb {
                    url: db.url.clone(),
                    _postgres: Some(db),
                })
            }
        }
    }
}

/// A running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    config: ServeConfig,
    secret: Vec<u8>,
    handle: actix_web::dev::ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    // Dropped last: the server must stop before its database and files go.
    pub db: TestDb,
    pub dir: TempDir,
}

impl TestApp {
    /// Starts the app on a fresh database; `None` when the backend is not available here.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_configured(backend, |_| {}).await
    }

    /// Starts the app with changed settings.
    pub async fn spawn_configured(
        backend: Backend,
        configure: impl FnOnce(&mut ServeConfig),
    ) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = TestDb::create(backend, &dir).await?;
        let mut config = ServeConfig {
            database_url: db.url.clone(),
            bind: "127.0.0.1:0".to_owned(),
            data_dir: dir.path().join("data"),
            jwt_public_key_file: None,
            jwks_file: None,
            jwt_secret: None,
            jwt_issuer: None,
            jwt_audience: None,
            kek_file: None,
            previous_kek_files: Vec::new(),
            log_format: LogFormat::Json,
            demo_data: true,
            workers: Some(2),
            log_queue_lines: casetrail_api::telemetry::DEFAULT_QUEUE_LINES,
            as_of_concurrency: 2,
            jwt_max_lifetime: std::time::Duration::from_secs(24 * 3600),
            metrics_bind: None,
            clock: casetrail_app::clock::system_clock(),
        };
        configure(&mut config);
        let production = config.jwt_secret.is_some()
            || config.jwt_public_key_file.is_some()
            || config.jwks_file.is_some();
        if production && config.kek_file.is_none() {
            // Production settings need a key-encryption key of their own, outside the data dir.
            let kek = dir.path().join("production.kek");
            std::fs::write(&kek, uuid::Uuid::new_v4().as_bytes().repeat(2)).expect("kek");
            set_private(&kek);
            config.kek_file = Some(kek);
        }
        Some(Self::start(backend, config, db, dir).await)
    }

    async fn start(backend: Backend, config: ServeConfig, db: TestDb, dir: TempDir) -> TestApp {
        let app = Application::build(config.clone())
            .await
            .expect("build the app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let server = tokio::spawn(app.run_until_stopped());
        let secret = load_or_create_dev_secret(&config.data_dir).expect("dev secret");
        TestApp {
            address,
            client: reqwest::Client::new(),
            backend,
            config,
            secret,
            handle,
            server,
            db,
            dir,
        }
    }

    /// The settings it runs with.
    pub fn config(&self) -> &ServeConfig {
        &self.config
    }

    /// Stops the server gracefully, keeping its database and data directory.
    pub async fn stop(self) -> Stopped {
        let TestApp {
            config,
            handle,
            server,
            db,
            dir,
            backend,
            ..
        } = self;
        handle.stop(true).await;
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
        Stopped {
            backend,
            config,
            db,
            dir,
        }
    }

    /// Stops the server gracefully and starts a new one on the same database and data dir.
    pub async fn restart(self) -> TestApp {
        let TestApp {
            config,
            handle,
            server,
            db,
            dir,
            backend,
            ..
        } = self;
        handle.stop(true).await;
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
        Self::start(backend, config, db, dir).await
    }

    /// A development token for the demo partnership.
    pub fn token(&self, org: &str, roles: &[Role]) -> String {
        self.token_for("southend", org, roles)
    }

    /// A development token for any partnership.
    pub fn token_for(&self, partnership: &str, org: &str, roles: &[Role]) -> String {
        mint_dev_token(
            &self.secret,
            &DevTokenRequest {
                partnership: PartnershipSlug::parse(partnership).expect("slug"),
                org: OrgSlug::parse(org).expect("slug"),
                roles: roles.to_vec(),
                sub: format!("user-{org}"),
                name: "Test User".to_owned(),
                ttl_seconds: 600,
            },
        )
        .expect("token")
    }

    /// The local authority's notifier.
    pub fn notifier(&self) -> String {
        self.token("southend-council", &[Role::Notifier])
    }

    /// The partnership's business manager.
    pub fn business_manager(&self) -> String {
        self.token("southend-council", &[Role::BusinessManager])
    }

    /// The partnership's admin.
    pub fn admin(&self) -> String {
        self.token("southend-council", &[Role::Admin])
    }

    /// The case as the notifier reads it now.
    pub async fn case(&self, case_id: &str) -> Value {
        self.get(&format!("/v1/cases/{case_id}"), &self.notifier())
            .await
            .json()
            .await
            .expect("case json")
    }

    /// POST JSON with a token.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// NotifyIncident as the notifier; returns the response.
    pub async fn notify(&self, body: &Value) -> Response {
        self.post("/v1/cases/notifications", &self.notifier(), body)
            .await
    }

    /// NotifyIncident that must succeed; returns the case id.
    pub async fn notify_ok(&self) -> String {
        let response = self.notify(&notification()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        body["case_id"].as_str().expect("case_id").to_owned()
    }

    /// The number of events in the log, as the store sees it.
    pub async fn log_length(&self) -> u64 {
        let store = casetrail_store::open(&self.db.url)
            .await
            .expect("open store");
        let head = store.head_position().await.expect("head");
        store.close().await;
        head
    }
}

/// Makes a file readable by its owner only.
fn set_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

/// A stopped application: its database and data directory, to inspect or start again.
pub struct Stopped {
    pub backend: Backend,
    pub config: ServeConfig,
    pub db: TestDb,
    pub dir: TempDir,
}

impl Stopped {
    /// Starts the application again, with changed settings.
    pub async fn start(self, configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let mut config = self.config;
        configure(&mut config);
        TestApp::start(self.backend, config, self.db, self.dir).await
    }
}

/// A valid notification (the worked example of domain.md).
pub fn notification() -> Value {
    json!({
        "child": {
            "reference": "SBC-2022-0412",
            "given_name": "Alex", "family_name": "Smith", "date_of_birth": "2016-03-01",
            "sex": "female", "ethnicity": "White British", "looked_after": false,
            "child_protection_plan": true
        },
        "incident_date": "2022-12-20",
        "became_aware_on": "2022-12-22",
        "harm": "serious_harm",
        "abuse_or_neglect": "suspected",
        "location_basis": "in_area",
        "summary": "Admitted to hospital with unexplained injuries."
    })
}

/// The case's deadline of `kind` (the first, for kinds with one per organisation).
pub fn deadline<'a>(case: &'a Value, kind: &str) -> &'a Value {
    case["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} deadline in {case}"))
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{body}"
    );
    body
}

/// Generates the test for both backends.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = TestApp::spawn(Backend::Sqlite).await {
                    ($body)(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = TestApp::spawn(Backend::Postgres).await {
                    ($body)(app).await;
                }
            }
        }
    };
}
