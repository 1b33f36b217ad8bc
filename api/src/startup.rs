//! One start-up path for production and tests: `Application::build` opens the store, brings
//! the read models up to date, binds the port and returns the server ready to run.

use crate::auth::{ClaimNames, Verifier};
use crate::config::{AuthMode, ServeConfig};
use crate::state::AppState;
use crate::{conditional, consistency, cors, docs, extract, openapi, problem, routes, telemetry};
use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::middleware::{Compress, Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use casetrail_app::reminders::ReminderService;
use casetrail_app::webhooks::delivery::{Deliverer, DeliverySettings};
use casetrail_app::webhooks::target::TargetPolicy;
use std::net::TcpListener;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

/// A built application, bound to its port, not yet running.
pub struct Application {
    port: u16,
    server: Server,
    /// The separate metrics listener, when configured, and its port.
    metrics_server: Option<(u16, Server)>,
    state: AppState,
    auth_mode: AuthMode,
    /// The migrations this start applied, oldest first.
    migrations_applied: Vec<i64>,
    /// `sqlite` or `postgres`.
    backend: &'static str,
    /// The reminder service and the webhook deliverer, unless configured off, and the
    /// identity provider's key refresh (with a JWKS URL).
    background: Vec<tokio::task::AbortHandle>,
    /// The webhook deliverer, to give up its lease when stopping.
    deliverer: Option<Deliverer>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Opens the store, applies migrations, creates the demo partnership if asked, replays the
    /// log into the read models and binds the listener.
    pub async fn build(config: ServeConfig) -> anyhow::Result<Self> {
        // Before anything is read or created: a setting that cannot work, then every missing
        // production setting named at once.
        crate::settings_check::check(&config)?;
        let cors_origins = cors::parse_origins(&config.cors_origins)?;
        config.require_production_settings()?;
        let (jwt, auth_mode) = config.jwt_settings()?;
        // With a JWKS URL, the identity provider's keys are fetched here: no start without them.
        let verifier = Verifier::load(&jwt)
            .await?
            .with_max_lifetime(config.jwt_max_lifetime)
            .with_claim_names(ClaimNames {
                roles: config.jwt_roles_claim.clone(),
                org: config.jwt_org_claim.clone(),
                partnership: config.jwt_partnership_claim.clone(),
                name: config.jwt_name_claim.clone(),
            });
        let verifier = web::Data::new(verifier);
        let keyring = config.keyring()?;
        let database_url = config.database_url();
        casetrail_app::secret_file::require_private_database(&database_url)?;
        // What opening the store is about to apply: refused when told not to migrate, named in
        // the start-up line otherwise. Another replica may apply some of them first: the line
        // then names a migration this one did not run.
        let migrations_applied: Vec<i64> = casetrail_store::pending_migrations(&database_url)
            .await
            .context("cannot read the database's schema (DATABASE_URL)")?
            .into_iter()
            .map(|migration| migration.version)
            .collect();
        if !config.migrate && !migrations_applied.is_empty() {
            return Err(
                anyhow::Error::new(casetrail_store::StoreError::SchemaBehind(
                    migrations_applied,
                ))
                .context("--migrate false (CASETRAIL_MIGRATE)"),
            );
        }
        let mut state = AppState::open(
            &database_url,
            Arc::new(keyring),
            config.creates_demo_data(),
            Arc::clone(&config.clock),
            crate::snapshots::file(config.read_model_snapshot_path()),
        )
        .await?;
        state.queries = state.queries.with_as_of_per_user(config.as_of_concurrency);
        let policy = TargetPolicy {
            development: config.dev,
            allow_private: config.webhook_allow_private_networks,
        };
        state.webhooks = state.webhooks.clone().with_policy(policy);
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("cannot listen on {} (CASETRAIL_BIND)", config.bind))?;
        let port = listener.local_addr()?.port();
        let metrics = web::Data::new(telemetry::metrics_handle());
        let metrics_server = match &config.metrics_bind {
            Some(bind) => Some(metrics_listener(bind, &state, &metrics)?),
            None => None,
        };
        let reminders = (!config.reminder_interval.is_zero()).then(|| {
            ReminderService::new(
                state.projector.clone(),
                Arc::clone(&state.store),
                Arc::clone(&config.clock),
            )
            .spawn(config.reminder_interval)
        });
        let snapshots = state
            .snapshot
            .clone()
            .filter(|_| config.read_model_snapshot_every > 0)
            .map(|(file, position)| {
                tokio::spawn(crate::snapshots::keep(
                    state.projector.clone(),
                    file,
                    position,
                    config.read_model_snapshot_every,
                ))
            });
        let deliverer = if config.webhook_poll.is_zero() {
            None
        } else {
            let settings = DeliverySettings {
                max_attempts: config.webhook_max_attempts,
                retry_base: config.webhook_retry_base,
                retry_max: config.webhook_retry_max,
                timeout: config.webhook_timeout,
                poll: config.webhook_poll,
            };
            let deliverer = Deliverer::new(state.webhooks.clone(), policy, settings)?;
            let task = deliverer.spawn();
            Some((deliverer, task))
        };
        let stream_settings = web::Data::new(routes::feed::StreamSettings {
            heartbeat: config.feed_heartbeat,
            max_duration: config.feed_stream_max,
        });
        // The identity provider's keys fetched again on schedule (with a JWKS URL).
        let key_refresh = Verifier::keep_fresh(verifier.clone().into_inner());
        let data = web::Data::new(state.clone());
        let mut server = HttpServer::new(move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(openapi::ApiDoc::openapi())
                .configure(routes::configure)
                .split_for_parts();
            app.app_data(data.clone())
                .app_data(verifier.clone())
                .app_data(metrics.clone())
                .app_data(stream_settings.clone())
                .configure(extract::configure_extractors)
                .configure(docs::configure(&openapi::finish(api)))
                .route("/rules.md", web::get().to(rules))
                .default_service(web::to(not_found))
                .wrap(from_fn(consistency::middleware))
                .wrap(Condition::new(
                    !cors_origins.is_empty(),
                    cors::middleware(Arc::clone(&cors_origins)),
                ))
                .wrap_fn(cors::refusals_as_problems)
                // Inside compression: the body validator is of the body, whatever its encoding.
                .wrap(from_fn(conditional::middleware))
                // Only when the client asks (`Accept-Encoding`): gzip or brotli.
                .wrap(Compress::default())
                .wrap_fn(telemetry::middleware)
        })
        .on_connect(send_without_delay)
        .listen(listener)?
        // `casetrail serve` takes SIGTERM and SIGINT over before it builds the application
        // (`crate::signals`): actix-web's own handlers came only once the server first ran,
        // and a SIGTERM just after "listening" ended the process without a graceful stop.
        .disable_signals()
        .shutdown_timeout(10);
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            metrics_server,
            state,
            auth_mode,
            migrations_applied,
            // Opening the store refused any other kind of URL.
            backend: if database_url.starts_with("sqlite:") {
                "sqlite"
            } else {
                "postgres"
            },
            background: reminders
                .into_iter()
                .chain(snapshots)
                .map(|task| task.abort_handle())
                .chain(deliverer.as_ref().map(|(_, task)| task.abort_handle()))
                .chain(key_refresh.map(|task| task.abort_handle()))
                .collect(),
            deliverer: deliverer.map(|(deliverer, _)| deliverer),
        })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_server.as_ref().map(|(port, _)| *port)
    }

    /// How tokens are verified.
    pub fn auth_mode(&self) -> AuthMode {
        self.auth_mode
    }

    /// The migrations this start applied, oldest first.
    pub fn migrations_applied(&self) -> &[i64] {
        &self.migrations_applied
    }

    /// The event store's backend: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (signal or handle), then writes the queued access records and
    /// closes the store after queued appends.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The metrics listener lives as long as the main one.
        let metrics = self.metrics_server.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let result = self.server.await;
        for task in self.background {
            task.abort();
        }
        if let Some(deliverer) = self.deliverer {
            deliverer.release().await;
        }
        if let Some((handle, task)) = metrics {
            handle.stop(true).await;
            let _ = task.await;
        }
        if let Some((file, _)) = &self.state.snapshot {
            // Every command has been answered: the next start folds nothing before this.
            crate::snapshots::write(&self.state.projector, file, "stopping").await;
        }
        self.state.close().await;
        result
    }
}

/// The separate listener for a Prometheus scraper: `/metrics` without a token, nothing else.
fn metrics_listener(
    bind: &str,
    state: &AppState,
    metrics: &web::Data<metrics_exporter_prometheus::PrometheusHandle>,
) -> anyhow::Result<(u16, Server)> {
    let listener = TcpListener::bind(bind)
        .with_context(|| format!("cannot listen on {bind} (CASETRAIL_METRICS_BIND)"))?;
    let port = listener.local_addr()?.port();
    let data = web::Data::new(state.clone());
    let metrics = metrics.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(metrics.clone())
            .route(
                "/metrics",
                web::get().to(routes::ops::metrics_on_private_listener),
            )
            .default_service(web::to(not_found))
    })
    .on_connect(send_without_delay)
    .listen(listener)?
    // Stopped with the main listener (`run_until_stopped`), never by a signal of its own.
    .disable_signals()
    .workers(1)
    .shutdown_timeout(5)
    .run();
    Ok((port, server))
}

/// Turns Nagle's algorithm off on an accepted connection. A response is written as it is
/// produced (a compressed body after its headers, a stream's events as they come); with the
/// algorithm on, a response's second write waited for the client's acknowledgement of the
/// first, which clients delay by up to 40 ms: `bench/http` found every compressed read taking
/// 44 ms on a kept-alive connection.
fn send_without_delay(connection: &dyn std::any::Any, _: &mut actix_web::dev::Extensions) {
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
        && let Err(error) = tcp.set_nodelay(true)
    {
        tracing::debug!(%error, "could not turn Nagle's algorithm off on a connection");
    }
}

/// The rules behind every deadline and decision, with their sources (`docs/rules.md`), which
/// the API reference links to: served from the binary so the link works on every instance.
async fn rules() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .body(include_str!("../../docs/rules.md"))
}

async fn not_found() -> HttpResponse {
    problem::problem_response(
        StatusCode::NOT_FOUND,
        "resource.not_found",
        "no such resource; the API is documented at /docs".to_owned(),
        Vec::new(),
    )
}
