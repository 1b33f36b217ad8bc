//! The in-process server: the real application (`Application::build`, the code `casetrail
//! serve` runs) on a random port against a fresh database, driven over real HTTP with real
//! token verification.

use crate::db::{Backend, TestDb};
use crate::http::notification;
use crate::tokens::DevTokens;
use casetrail_api::config::LogFormat;
use casetrail_api::{Application, ServeConfig};
use casetrail_domain::Role;
use casetrail_store::RecordedEvent;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

/// A running application and a client for it.
#[derive(Debug)]
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    launch: Launch,
    tokens: DevTokens,
    handle: actix_web::dev::ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    // Dropped last: the server must stop before its database and files go.
    pub db: TestDb,
    pub dir: TempDir,
}

/// A replica of a [`TestApp`] (`TestApp::replica`); tokens of the first are valid here.
#[derive(Debug)]
pub struct Replica {
    pub address: String,
    handle: actix_web::dev::ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Replica {
    fn drop(&mut self) {
        // Stop accepting at once; the first instance's drop takes the database away after.
        drop(self.handle.stop(false));
        self.server.abort();
    }
}

/// How a test application is started: `TestApp::builder(backend).configure(..).spawn()`.
///
/// The clock it decides and evaluates at is part of its settings (`.clock(..)`), so a
/// restarted application (and a stopped one started again) keeps the same one.
#[must_use = "a builder starts nothing until spawned"]
pub struct TestAppBuilder<'a> {
    backend: Backend,
    /// Changes to the default settings, applied in order once the database exists (a change
    /// may read or extend its URL).
    settings: Vec<Setting<'a>>,
}

/// One change a test makes to the settings.
type Setting<'a> = Box<dyn FnOnce(&mut ServeConfig) + 'a>;

impl std::fmt::Debug for TestAppBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestAppBuilder")
            .field("backend", &self.backend)
            .field("settings", &self.settings.len())
            .finish()
    }
}

impl<'a> TestAppBuilder<'a> {
    /// Changes the settings (keys, limits, the token lifetime, the database URL's options …).
    pub fn configure(mut self, configure: impl FnOnce(&mut ServeConfig) + 'a) -> Self {
        self.settings.push(Box::new(configure));
        self
    }

    /// Decides and evaluates at the instants this clock shows: a `ManualClock` the test sets
    /// instead of sleeping.
    pub fn clock(self, clock: casetrail_app::SharedClock) -> Self {
        self.configure(move |config| config.clock = clock)
    }

    /// Creates the database and starts the app; `None` when the backend is not available here.
    pub async fn spawn(self) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = TestDb::create(self.backend, dir.path()).await?;
        let mut config = default_config(&db.url, dir.path());
        for configure in self.settings {
            configure(&mut config);
        }
        let production = config.jwt_secret.is_some()
            || config.jwt_public_key_file.is_some()
            || config.jwks_file.is_some()
            || config.jwks_url.is_some();
        // Production keys: a production start, as `serve` without `--dev` would make.
        config.dev &= !production;
        if production && config.kek_file.is_none() {
            // Production settings need a key-encryption key of their own, outside the data dir.
            let kek = dir.path().join("production.kek");
            std::fs::write(&kek, uuid::Uuid::new_v4().as_bytes().repeat(2)).expect("kek");
            set_private(&kek);
            config.kek_file = Some(kek);
        }
        Some(TestApp::start(Launch { config }, db, dir).await)
    }
}

/// The test settings: port 0, the demo partnership, development tokens, two workers.
fn default_config(database_url: &str, dir: &std::path::Path) -> ServeConfig {
    ServeConfig {
        dev: true,
        database_url: Some(database_url.to_owned()),
        migrate: true,
        bind: "127.0.0.1:0".to_owned(),
        data_dir: dir.join("data"),
        jwt_public_key_file: None,
        jwks_file: None,
        jwks_url: None,
        jwks_refresh: std::time::Duration::from_secs(3600),
        jwt_secret: None,
        jwt_issuer: None,
        jwt_audience: None,
        jwt_roles_claim: casetrail_api::auth::ClaimNames::default().roles,
        jwt_org_claim: casetrail_api::auth::ClaimNames::default().org,
        jwt_partnership_claim: casetrail_api::auth::ClaimNames::default().partnership,
        jwt_name_claim: casetrail_api::auth::ClaimNames::default().name,
        kek_file: None,
        previous_kek_files: Vec::new(),
        log_format: LogFormat::Json,
        demo_data: Some(true),
        workers: Some(2),
        log_queue_lines: casetrail_api::telemetry::DEFAULT_QUEUE_LINES,
        as_of_concurrency: 2,
        jwt_max_lifetime: std::time::Duration::from_secs(24 * 3600),
        metrics_bind: None,
        cors_origins: Vec::new(),
        // Off unless a test turns it on: a notice recorded while another test counts events
        // or positions would be noise there.
        reminder_interval: std::time::Duration::ZERO,
        feed_heartbeat: std::time::Duration::from_secs(15),
        feed_stream_max: std::time::Duration::from_secs(15 * 60),
        webhook_poll: std::time::Duration::from_millis(100),
        webhook_max_attempts: 10,
        webhook_retry_base: std::time::Duration::from_millis(100),
        webhook_retry_max: std::time::Duration::from_secs(1),
        webhook_timeout: std::time::Duration::from_secs(5),
        webhook_allow_private_networks: false,
        read_model_snapshot: None,
        read_model_snapshot_every: 250_000,
        clock: casetrail_app::clock::system_clock(),
    }
}

/// What an application is started with, kept to start it again on the same database.
#[derive(Debug, Clone)]
struct Launch {
    config: ServeConfig,
}

impl Launch {
    async fn start(&self) -> Application {
        Application::build(self.config.clone())
            .await
            .expect("build the app")
    }
}

impl TestApp {
    /// A test application on `backend`, with the default test settings until configured.
    pub fn builder<'a>(backend: Backend) -> TestAppBuilder<'a> {
        TestAppBuilder {
            backend,
            settings: Vec::new(),
        }
    }

    /// Starts the app on a fresh database; `None` when the backend is not available here.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::builder(backend).spawn().await
    }

    /// Starts the app with changed settings.
    pub async fn spawn_configured(
        backend: Backend,
        configure: impl FnOnce(&mut ServeConfig),
    ) -> Option<TestApp> {
        Self::builder(backend).configure(configure).spawn().await
    }

    async fn start(launch: Launch, db: TestDb, dir: TempDir) -> TestApp {
        let app = launch.start().await;
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let server = tokio::spawn(app.run_until_stopped());
        let tokens = DevTokens::of_data_dir(&launch.config.data_dir);
        TestApp {
            address,
            client: reqwest::Client::new(),
            backend: db.backend,
            launch,
            tokens,
            handle,
            server,
            db,
            dir,
        }
    }

    /// The settings it runs with.
    pub fn config(&self) -> &ServeConfig {
        &self.launch.config
    }

    /// The development tokens it accepts (its data directory's secret).
    pub fn dev_tokens(&self) -> &DevTokens {
        &self.tokens
    }

    /// Stops the server gracefully, keeping its database and data directory.
    pub async fn stop(self) -> Stopped {
        let TestApp {
            launch,
            handle,
            server,
            db,
            dir,
            ..
        } = self;
        handle.stop(true).await;
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
        Stopped { launch, db, dir }
    }

    /// A second instance on the same database and data directory (its keys and development
    /// secret), with its own read models: a replica, as a load balancer would run beside this
    /// one. It stops when dropped.
    pub async fn replica(&self) -> Replica {
        let app = self.launch.start().await;
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let server = tokio::spawn(app.run_until_stopped());
        Replica {
            address,
            handle,
            server,
        }
    }

    /// Stops the server gracefully and starts a new one on the same database and data dir.
    pub async fn restart(self) -> TestApp {
        self.stop().await.start(|_| {}).await
    }

    /// A development token for the demo partnership.
    pub fn token(&self, org: &str, roles: &[Role]) -> String {
        self.token_for("southend", org, roles)
    }

    /// A development token for any partnership.
    pub fn token_for(&self, partnership: &str, org: &str, roles: &[Role]) -> String {
        self.tokens.user(partnership, org, roles)
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

    /// POST that must succeed (2xx); returns the answer, saying what was refused otherwise.
    pub async fn post_ok(&self, path: &str, token: &str, body: &Value) -> Value {
        let response = self.post(path, token, body).await;
        let status = response.status();
        let text = response.text().await.expect("answer");
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).expect("json answer")
    }

    /// GET that must answer 200; returns the JSON body, saying what was answered otherwise.
    pub async fn get_ok(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        let status = response.status();
        let text = response.text().await.expect("answer");
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        serde_json::from_str(&text).expect("json answer")
    }

    /// The summaries of an audit trail page (`path`), as an auditor of the demo partnership
    /// reads them.
    pub async fn audit_summaries(&self, path: &str) -> Vec<String> {
        let auditor = self.token("southend-council", &[Role::Auditor]);
        let trail = self.get_ok(path, &auditor).await;
        trail["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|entry| entry["summary"].as_str().map(str::to_owned))
            .collect()
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

    /// The OpenAPI document it serves (`GET /openapi.json`, no token).
    pub async fn served_openapi(&self) -> Value {
        self.client
            .get(format!("{}/openapi.json", self.address))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("the document")
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

    /// A demo partnership case's events, as the store holds them.
    pub async fn case_events(&self, case_id: &str) -> Vec<RecordedEvent> {
        let store = casetrail_store::open(&self.db.url)
            .await
            .expect("open store");
        let events = store
            .read_stream(&format!("southend/case/{case_id}"), 1)
            .await
            .expect("read the case's stream");
        store.close().await;
        events
    }
}

/// Makes a file readable by its owner only.
fn set_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

/// A stopped application: its database and data directory, to inspect or start again.
#[derive(Debug)]
pub struct Stopped {
    launch: Launch,
    pub db: TestDb,
    pub dir: TempDir,
}

impl Stopped {
    /// The settings it ran with.
    pub fn config(&self) -> &ServeConfig {
        &self.launch.config
    }

    /// Starts the application again, with changed settings.
    pub async fn start(self, configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let Stopped {
            mut launch,
            db,
            dir,
        } = self;
        configure(&mut launch.config);
        TestApp::start(launch, db, dir).await
    }
}
