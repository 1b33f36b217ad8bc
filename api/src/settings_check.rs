//! Every setting of `serve` that can be judged without opening anything, judged before
//! anything is opened: a mistake stops the start with a message naming the setting and where
//! its value came from, instead of surfacing after the database was opened and migrated, or
//! never (a retry wait longer than its cap).

use crate::config::ServeConfig;
use crate::setting_source::describe;
use anyhow::bail;
use std::net::ToSocketAddrs;

/// Checks the settings of `config`, naming the first that cannot work. The CORS origins are
/// parsed where they are kept, right after this (`Application::build`).
pub fn check(config: &ServeConfig) -> anyhow::Result<()> {
    if let Some(url) = &config.database_url {
        let known = ["sqlite:", "postgres:", "postgresql:"];
        if !known.iter().any(|scheme| url.starts_with(scheme)) {
            bail!(
                "{}: a database URL starts with sqlite: or postgres:",
                describe("database-url", "DATABASE_URL")
            );
        }
    }
    address(&config.bind, "bind", "CASETRAIL_BIND")?;
    if let Some(bind) = &config.metrics_bind {
        address(bind, "metrics-bind", "CASETRAIL_METRICS_BIND")?;
    }
    if config.data_dir.exists() && !config.data_dir.is_dir() {
        bail!(
            "{}: {} is not a directory",
            describe("data-dir", "CASETRAIL_DATA_DIR"),
            config.data_dir.display()
        );
    }
    if config.as_of_concurrency == 0 {
        bail!(
            "{}: 0 would refuse every read as_of a past instant; at least 1",
            describe("as-of-concurrency", "CASETRAIL_AS_OF_CONCURRENCY")
        );
    }
    if config.log_queue_lines == 0 {
        bail!(
            "{}: 0 would drop every log line; at least 1",
            describe("log-queue-lines", "CASETRAIL_LOG_QUEUE_LINES")
        );
    }
    if config.webhook_retry_base > config.webhook_retry_max {
        bail!(
            "{} ({:?}) is longer than {} ({:?}), the longest wait between attempts",
            describe("webhook-retry-base", "CASETRAIL_WEBHOOK_RETRY_BASE"),
            config.webhook_retry_base,
            describe("webhook-retry-max", "CASETRAIL_WEBHOOK_RETRY_MAX"),
            config.webhook_retry_max
        );
    }
    for (value, flag, variable) in [
        (&config.jwt_issuer, "jwt-issuer", "CASETRAIL_JWT_ISSUER"),
        (
            &config.jwt_audience,
            "jwt-audience",
            "CASETRAIL_JWT_AUDIENCE",
        ),
    ] {
        if value
            .as_deref()
            .is_some_and(|value| value.trim().is_empty())
        {
            bail!(
                "{}: empty; every token would be refused",
                describe(flag, variable)
            );
        }
    }
    Ok(())
}

/// A listen address: an IP address or a name that resolves, and a port.
fn address(value: &str, flag: &str, variable: &str) -> anyhow::Result<()> {
    let resolves = value
        .to_socket_addrs()
        .is_ok_and(|mut addresses| addresses.next().is_some());
    match resolves {
        true => Ok(()),
        false => bail!(
            "{}: {value:?} is not an address to listen on, such as 127.0.0.1:8080 or 0.0.0.0:8080",
            describe(flag, variable)
        ),
    }
}
