//! Configuration: one typed struct, each setting a flag and an environment variable. Zero
//! configuration starts a working development instance; production settings fail fast with a
//! message naming the setting that is wrong.

use crate::auth::{DEV_AUDIENCE, DEV_ISSUER, JwtSettings, load_or_create_dev_secret};
use anyhow::{Context, bail};
use casetrail_app::personal_data::LocalKeyring;
use secrecy::SecretString;
use std::path::PathBuf;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line (for log shippers).
    Json,
    /// Human-readable lines.
    Text,
}

/// Settings of `casetrail serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Development mode, for a developer's own machine: settings left out take development
    /// values (a JWT secret and a key-encryption key created in the data directory, beside the
    /// database) and the demo partnership is created. Without it `serve` refuses to start
    /// until the key-encryption key, a token key, the issuer and the audience are set.
    #[arg(long, env = "CASETRAIL_DEV", default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub dev: bool,
    /// Event store: `sqlite://path` (embedded) or `postgres://user@host/db`. Default:
    /// `casetrail.db` in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Apply this release's missing migrations at start. `false` (for a deploy pipeline that
    /// runs `casetrail migrate` first): refuse to start on a schema that is behind, naming
    /// the migrations, and change nothing.
    #[arg(long, env = "CASETRAIL_MIGRATE", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate: bool,
    /// Address to listen on.
    #[arg(long, env = "CASETRAIL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Directory for the development JWT secret (and the SQLite file by default).
    #[arg(long, env = "CASETRAIL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Production: PEM file with the RSA (RS256) or P-256 (ES256) public key of the identity provider.
    #[arg(long, env = "CASETRAIL_JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<PathBuf>,
    /// Production: JWKS file with the identity provider's RSA/EC public keys (chosen by `kid`).
    #[arg(long, env = "CASETRAIL_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Production: the identity provider's JWKS URL (https; http only to a loopback address),
    /// fetched at start, every `--jwks-refresh`, and when a token names a key id not seen
    /// before (at most every 30 s).
    #[arg(long, env = "CASETRAIL_JWKS_URL")]
    pub jwks_url: Option<String>,
    /// How often the keys at `--jwks-url` are fetched again, e.g. `1h`, `15m`; a key the
    /// identity provider no longer publishes stops verifying tokens at the next fetch.
    #[arg(long, env = "CASETRAIL_JWKS_REFRESH", default_value = "1h", value_parser = parse_lifetime)]
    pub jwks_refresh: std::time::Duration,
    /// HS256 shared secret (at least 32 bytes); only when explicitly set.
    #[arg(long, env = "CASETRAIL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<SecretString>,
    /// Required `iss` claim (required with a key or secret; dev default `casetrail-dev`).
    #[arg(long, env = "CASETRAIL_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// Required `aud` claim (required with a key or secret; dev default `casetrail`).
    #[arg(long, env = "CASETRAIL_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// The claim holding the user's roles (an array): a name, or a dotted path into nested
    /// objects (Keycloak: `realm_access.roles`).
    #[arg(long, env = "CASETRAIL_JWT_ROLES_CLAIM", default_value = "roles", value_parser = crate::auth::ClaimPath::parse)]
    pub jwt_roles_claim: crate::auth::ClaimPath,
    /// The claim holding the organisation's slug (a name or a dotted path).
    #[arg(long, env = "CASETRAIL_JWT_ORG_CLAIM", default_value = "org", value_parser = crate::auth::ClaimPath::parse)]
    pub jwt_org_claim: crate::auth::ClaimPath,
    /// The claim holding the partnership's slug (a name or a dotted path).
    #[arg(long, env = "CASETRAIL_JWT_PARTNERSHIP_CLAIM", default_value = "partnership", value_parser = crate::auth::ClaimPath::parse)]
    pub jwt_partnership_claim: crate::auth::ClaimPath,
    /// The claim holding the user's display name (a name or a dotted path).
    #[arg(long, env = "CASETRAIL_JWT_NAME_CLAIM", default_value = "name", value_parser = crate::auth::ClaimPath::parse)]
    pub jwt_name_claim: crate::auth::ClaimPath,
    /// The key-encryption key: a file of 32 random bytes, mode 0600, outside the database.
    /// Required in production; a development instance creates `kek` in the data directory.
    #[arg(long, env = "CASETRAIL_KEK_FILE")]
    pub kek_file: Option<PathBuf>,
    /// Previous key-encryption keys (comma-separated files), still accepted to unwrap keys
    /// until `casetrail rotate-kek` has rewrapped them with the current one.
    #[arg(long, env = "CASETRAIL_PREVIOUS_KEK_FILES", value_delimiter = ',')]
    pub previous_kek_files: Vec<PathBuf>,
    /// Log format.
    #[arg(long, env = "CASETRAIL_LOG_FORMAT", value_enum, default_value = "json")]
    pub log_format: LogFormat,
    /// Create the demo partnership (Southend) from the seeds if it does not exist. Default:
    /// in development mode only (nothing goes into a production log unasked).
    #[arg(long, env = "CASETRAIL_DEMO_DATA", action = clap::ArgAction::Set)]
    pub demo_data: Option<bool>,
    /// HTTP worker threads, 1 to 1024 (default: one per core).
    #[arg(long, env = "CASETRAIL_WORKERS", value_parser = parse_workers)]
    pub workers: Option<usize>,
    /// An extra listener serving only `/metrics`, without a token, for a Prometheus scraper:
    /// meant for loopback (e.g. `127.0.0.1:9090`) or a private network, never the public one.
    /// Unset: no such listener, and `/metrics` on the main listener needs an `admin` token.
    #[arg(long, env = "CASETRAIL_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Log lines waiting to be written at most; beyond it (standard error slow or blocked)
    /// lines are dropped and counted in `log_lines_dropped_total`, never waited for.
    #[arg(long, env = "CASETRAIL_LOG_QUEUE_LINES", default_value_t = crate::telemetry::DEFAULT_QUEUE_LINES)]
    pub log_queue_lines: usize,
    /// Reads with `as_of` one user may have under way at once (they refold history: costly);
    /// more are answered 429 with `Retry-After`.
    #[arg(long, env = "CASETRAIL_AS_OF_CONCURRENCY", default_value_t = 2)]
    pub as_of_concurrency: usize,
    /// Longest a token may still be valid for (`exp` ahead of now), e.g. `24h`, `90m`, `3600s`
    /// or seconds; a token valid for longer is refused.
    #[arg(long, env = "CASETRAIL_JWT_MAX_LIFETIME", default_value = "24h", value_parser = parse_lifetime)]
    pub jwt_max_lifetime: std::time::Duration,
    /// Origins of browser front-ends allowed to call the API (comma-separated, e.g.
    /// `https://app.example.org,http://localhost:5173`): scheme, host and port, no wildcard.
    /// Unset: no cross-origin calls (the service's own pages, such as `/docs`, always work).
    #[arg(long, env = "CASETRAIL_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// How often this replica looks for deadline reminders and breaches owed and records
    /// them (each once, whichever replica is first), e.g. `60s`; `off`: never.
    #[arg(long, env = "CASETRAIL_REMINDER_INTERVAL", default_value = "60s", value_parser = parse_interval)]
    pub reminder_interval: std::time::Duration,
    /// How often the feed's event stream sends a heartbeat comment while nothing happens.
    #[arg(long, env = "CASETRAIL_FEED_HEARTBEAT", default_value = "15s", value_parser = parse_lifetime)]
    pub feed_heartbeat: std::time::Duration,
    /// How long one connection to the feed's event stream lasts before the client reconnects
    /// (with `Last-Event-ID` and a current token).
    #[arg(long, env = "CASETRAIL_FEED_STREAM_MAX", default_value = "15m", value_parser = parse_lifetime)]
    pub feed_stream_max: std::time::Duration,
    /// How often this replica looks for webhook messages to deliver, if it holds the delivery
    /// lease (one replica delivers at a time), e.g. `1s`; `off`: this replica never delivers.
    #[arg(long, env = "CASETRAIL_WEBHOOK_POLL", default_value = "1s", value_parser = parse_interval)]
    pub webhook_poll: std::time::Duration,
    /// Attempts at one message before a subscription is dead-lettered.
    #[arg(long, env = "CASETRAIL_WEBHOOK_MAX_ATTEMPTS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub webhook_max_attempts: u32,
    /// The wait after a failed delivery, doubled after each further failure (with jitter).
    #[arg(long, env = "CASETRAIL_WEBHOOK_RETRY_BASE", default_value = "10s", value_parser = parse_lifetime)]
    pub webhook_retry_base: std::time::Duration,
    /// The longest wait between two attempts at a message.
    #[arg(long, env = "CASETRAIL_WEBHOOK_RETRY_MAX", default_value = "1h", value_parser = parse_lifetime)]
    pub webhook_retry_max: std::time::Duration,
    /// How long a receiver has to answer a delivery.
    #[arg(long, env = "CASETRAIL_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = parse_lifetime)]
    pub webhook_timeout: std::time::Duration,
    /// Whether webhook URLs may point into private, loopback or link-local networks (a
    /// receiver inside an organisation's own network). Off: refused, at subscription and at
    /// every delivery (SSRF).
    #[arg(long, env = "CASETRAIL_WEBHOOK_ALLOW_PRIVATE_NETWORKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private_networks: bool,
    /// Where the read models' snapshot is kept, so that a start-up folds only the events after
    /// it (default: `read-models.snapshot` in the data directory); `off`: none. A cache: one
    /// written by another build, damaged, or of another log is ignored.
    #[arg(long, env = "CASETRAIL_READ_MODEL_SNAPSHOT")]
    pub read_model_snapshot: Option<String>,
    /// Events recorded since the last snapshot after which this replica writes another
    /// (looked at every minute; projection waits while the read models are encoded, about a
    /// second at a million events, reads do not); `0`: only when stopping. One is also
    /// written when stopping.
    #[arg(
        long,
        env = "CASETRAIL_READ_MODEL_SNAPSHOT_EVERY",
        default_value_t = 250_000
    )]
    pub read_model_snapshot_every: u64,
    /// The time the service decides at: the machine's clock; a test sets its own.
    #[arg(skip = casetrail_app::clock::system_clock())]
    pub clock: casetrail_app::SharedClock,
}

/// A duration as a whole number with an optional unit: `ms`, `s` (the default), `m`, `h` or
/// `d`.
fn parse_lifetime(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, "s"),
    };
    let millis = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("unknown unit {unit:?}: use ms, s, m, h or d")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(millis))
        .filter(|millis| *millis > 0)
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| "expected a positive whole number, e.g. 24h".to_owned())
}

/// An interval as [`parse_lifetime`] reads it, or `off` (zero: never).
fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    if text.trim() == "off" {
        return Ok(std::time::Duration::ZERO);
    }
    parse_lifetime(text).map_err(|e| format!("{e}, or off"))
}

/// Whether tokens are verified with production keys or the development secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Public keys or an explicit secret.
    Production,
    /// The development secret in the data directory.
    Development,
}

impl ServeConfig {
    /// The event store's URL: the one set, else `casetrail.db` in the data directory (an
    /// operator who moves the data directory moves the embedded database with it).
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("casetrail.db").display()))
    }

    /// Where the read models' snapshot is kept; `None` when turned off.
    pub fn read_model_snapshot_path(&self) -> Option<PathBuf> {
        match self.read_model_snapshot.as_deref().map(str::trim) {
            Some("off") => None,
            Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
            _ => Some(self.data_dir.join("read-models.snapshot")),
        }
    }

    /// Whether the demo partnership is created: as set, else only in development mode.
    pub fn creates_demo_data(&self) -> bool {
        self.demo_data.unwrap_or(self.dev)
    }

    /// Outside development mode, the settings that have no safe default, all named at once so
    /// that an operator mends them in one go. Development values (a secret and a KEK made up
    /// beside the database) would protect nothing in production.
    pub fn require_production_settings(&self) -> anyhow::Result<()> {
        if self.dev {
            return Ok(());
        }
        let missing: Vec<&str> = [
            (
                self.kek_file.is_none(),
                "the key-encryption key: --kek-file or CASETRAIL_KEK_FILE, a file of 32 random \
                 bytes, mode 0600, kept outside the database and its backups \
                 (`head -c 32 /dev/urandom > kek && chmod 600 kek`)",
            ),
            (
                self.token_keys() == 0,
                "the identity provider's token key: --jwt-public-key-file \
                 (CASETRAIL_JWT_PUBLIC_KEY_FILE), --jwks-file (CASETRAIL_JWKS_FILE), \
                 --jwks-url (CASETRAIL_JWKS_URL) or --jwt-secret (CASETRAIL_JWT_SECRET)",
            ),
            (
                self.jwt_issuer.is_none(),
                "the tokens' issuer: --jwt-issuer or CASETRAIL_JWT_ISSUER",
            ),
            (
                self.jwt_audience.is_none(),
                "the tokens' audience: --jwt-audience or CASETRAIL_JWT_AUDIENCE",
            ),
        ]
        .into_iter()
        .filter_map(|(missing, what)| missing.then_some(what))
        .collect();
        if missing.is_empty() {
            return Ok(());
        }
        bail!(
            "casetrail serve needs these production settings:\n  - {}\n\
             (on a developer's own machine, `casetrail serve --dev` supplies development \
             values and the demo partnership instead)",
            missing.join("\n  - ")
        )
    }

    /// What development mode supplied in place of production settings, for the warning it
    /// prints; empty outside development mode.
    pub fn development_stand_ins(&self) -> Vec<String> {
        if !self.dev {
            return Vec::new();
        }
        let mut stand_ins = Vec::new();
        if self.token_keys() == 0 {
            stand_ins.push(format!(
                "tokens are signed with the development secret {} (casetrail token mints them)",
                self.data_dir.join(crate::auth::DEV_SECRET_FILE).display()
            ));
        }
        if self.kek_file.is_none() {
            stand_ins.push(format!(
                "personal data is sealed under the development key-encryption key {}, beside the database",
                self.data_dir.join(casetrail_app::personal_data::kek::DEV_KEK_FILE).display()
            ));
        }
        if self.creates_demo_data() {
            stand_ins.push("the demo partnership (Southend) is created if absent".to_owned());
        }
        stand_ins
    }

    /// How many of the ways to give the token key are set (one is right in production).
    fn token_keys(&self) -> usize {
        [
            self.jwt_public_key_file.is_some(),
            self.jwks_file.is_some(),
            self.jwks_url.is_some(),
            self.jwt_secret.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }

    /// The key-encryption keys: the configured files, or in development mode the data
    /// directory's own KEK (created on first start).
    pub fn keyring(&self) -> anyhow::Result<LocalKeyring> {
        self.require_production_settings()?;
        LocalKeyring::open(
            self.kek_file.as_deref(),
            &self.data_dir,
            &self.previous_kek_files,
        )
    }

    /// The JWT verification settings, reading key files and creating the dev secret if needed.
    pub fn jwt_settings(&self) -> anyhow::Result<(JwtSettings, AuthMode)> {
        let configured = self.token_keys();
        if configured > 1 {
            bail!(
                "set only one of CASETRAIL_JWT_PUBLIC_KEY_FILE, CASETRAIL_JWKS_FILE, \
                 CASETRAIL_JWKS_URL and CASETRAIL_JWT_SECRET"
            );
        }
        if configured == 0 {
            self.require_production_settings()?;
            let secret = load_or_create_dev_secret(&self.data_dir)?;
            let settings = JwtSettings::SharedSecret {
                secret: secret.into(),
                issuer: self
                    .jwt_issuer
                    .clone()
                    .unwrap_or_else(|| DEV_ISSUER.to_owned()),
                audience: self
                    .jwt_audience
                    .clone()
                    .unwrap_or_else(|| DEV_AUDIENCE.to_owned()),
            };
            return Ok((settings, AuthMode::Development));
        }
        let issuer = self
            .jwt_issuer
            .clone()
            .context("CASETRAIL_JWT_ISSUER is required with a JWT key or secret")?;
        let audience = self
            .jwt_audience
            .clone()
            .context("CASETRAIL_JWT_AUDIENCE is required with a JWT key or secret")?;
        let settings = if let Some(path) = &self.jwt_public_key_file {
            JwtSettings::PublicKeyPem {
                pem: crate::auth::read_key_file(path, "CASETRAIL_JWT_PUBLIC_KEY_FILE")?,
                issuer,
                audience,
            }
        } else if let Some(path) = &self.jwks_file {
            JwtSettings::Jwks {
                jwks: crate::auth::read_key_file(path, "CASETRAIL_JWKS_FILE")?,
                issuer,
                audience,
            }
        } else if let Some(url) = &self.jwks_url {
            JwtSettings::JwksUrl {
                url: crate::auth::JwksUrl::parse(url).context("CASETRAIL_JWKS_URL")?,
                refresh: self.jwks_refresh,
                issuer,
                audience,
            }
        } else {
            use secrecy::ExposeSecret;
            let secret = self
                .jwt_secret
                .as_ref()
                .map(|s| s.expose_secret().as_bytes().to_vec())
                .unwrap_or_default();
            JwtSettings::SharedSecret {
                secret: secret.into(),
                issuer,
                audience,
            }
        };
        Ok((settings, AuthMode::Production))
    }
}

/// `--workers`: actix-web stops the process on 0 workers with a panic, and a thousand threads
/// per core is a typing mistake, not a setting.
fn parse_workers(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(workers @ 1..=1024) => Ok(workers),
        _ => Err("a number of worker threads from 1 to 1024".to_owned()),
    }
}
