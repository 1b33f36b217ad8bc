//! The identity provider's published keys (`CASETRAIL_JWKS_URL`): fetched at start, again on
//! a schedule, and again when a token names a key id the service has not seen (the provider
//! has rotated its keys). The fetch is bounded in time and size and in how often a stranger
//! can cause one: anyone can send a token with a made-up `kid`.

use super::keys::signing_jwks;
use anyhow::{Context, bail};
use jsonwebtoken::jwk::Jwk;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// How long one fetch may take, connecting included; a request waiting on a key rotation
/// waits at most about this long.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest JWKS document read: Entra ID's is a few kilobytes.
const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Keys kept at most from one document; an identity provider publishes a handful.
pub(super) const MAX_KEYS: usize = 100;

/// Fetches caused by unknown key ids happen at most this often, so that tokens with made-up
/// key ids cannot make the service hammer the identity provider.
pub(super) const UNKNOWN_KID_FETCH_INTERVAL: Duration = Duration::from_secs(30);

/// Where the identity provider publishes its keys: https, or http to this host's own loopback
/// address (a test, or a sidecar that fetches for the service), where nothing can be
/// intercepted on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwksUrl(reqwest::Url);

impl JwksUrl {
    /// Parses and checks a JWKS URL.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let url = reqwest::Url::parse(text.trim()).context("not a URL")?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => bail!(
                "http is accepted only to a loopback address (127.0.0.1, ::1, localhost): the \
                 keys that decide who may sign in must come over https"
            ),
            other => bail!("the scheme must be https, not {other}"),
        }
        if !url.username().is_empty() || url.password().is_some() {
            // It would be written in every message about a fetch.
            bail!("the URL must not hold a user name or password");
        }
        Ok(Self(url))
    }
}

impl std::fmt::Display for JwksUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Fetches the identity provider's keys; one fetch at a time.
#[derive(Debug)]
pub(super) struct IdentityProvider {
    url: JwksUrl,
    client: reqwest::Client,
    /// How often the keys are fetched again on schedule.
    pub(super) refresh: Duration,
    /// Held for the length of a fetch and the replacement of the keys: requests waiting for a
    /// rotation queue here and use the keys the one fetch brought. It holds when a fetch for an
    /// unknown key id last began.
    pub(super) fetching: tokio::sync::Mutex<UnknownKidGate>,
}

impl IdentityProvider {
    /// A provider whose keys are at `url`, fetched again every `refresh`.
    pub(super) fn new(url: JwksUrl, refresh: Duration) -> anyhow::Result<Self> {
        let mut client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(FETCH_TIMEOUT)
            // A redirect could lead from https to http; the provider's URL is configured whole.
            .redirect(reqwest::redirect::Policy::none())
            // Fetches are rare and come from the runtime of whichever worker needs one; a pooled
            // connection belongs to the runtime that opened it.
            .pool_max_idle_per_host(0)
            .user_agent(concat!("Casetrail/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&url.0) {
            client = client.no_proxy();
        }
        Ok(Self {
            url,
            client: client.build().context("cannot build the JWKS client")?,
            refresh,
            fetching: tokio::sync::Mutex::new(UnknownKidGate::default()),
        })
    }

    /// The provider's RS256 and ES256 signing keys, at most [`MAX_KEYS`]; an error names
    /// `CASETRAIL_JWKS_URL` and what went wrong.
    pub(super) async fn fetch(&self) -> anyhow::Result<Vec<Jwk>> {
        let mut jwks = self
            .fetch_document()
            .await
            .and_then(|document| signing_jwks(&document))
            .with_context(|| {
                format!(
                    "CASETRAIL_JWKS_URL: cannot fetch the identity provider's keys from {}",
                    self.url
                )
            })?;
        if jwks.len() > MAX_KEYS {
            tracing::warn!(
                keys = jwks.len(),
                kept = MAX_KEYS,
                "the identity provider publishes more signing keys than are kept; the first are used"
            );
            jwks.truncate(MAX_KEYS);
        }
        Ok(jwks)
    }

    async fn fetch_document(&self) -> anyhow::Result<Vec<u8>> {
        let mut response = self
            .client
            .get(self.url.0.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            bail!("the identity provider answered {status}");
        }
        let too_large = || format!("the JWKS document is larger than {MAX_DOCUMENT_BYTES} bytes");
        if response
            .content_length()
            .is_some_and(|length| length > MAX_DOCUMENT_BYTES as u64)
        {
            bail!(too_large());
        }
        // Read piece by piece: a length that was not declared is bounded all the same.
        let mut document = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if document.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                bail!(too_large());
            }
            document.extend_from_slice(&chunk);
        }
        Ok(document)
    }
}

/// When a fetch for an unknown key id last began: the next may begin only
/// [`UNKNOWN_KID_FETCH_INTERVAL`] later. Fetches at start and on schedule do not count.
#[derive(Debug, Default)]
pub(super) struct UnknownKidGate {
    last: Option<Instant>,
}

impl UnknownKidGate {
    /// Whether a fetch may begin at `now`; if so, it is counted as begun.
    pub(super) fn pass(&mut self, now: Instant) -> bool {
        let open = self
            .last
            .is_none_or(|last| now.saturating_duration_since(last) >= UNKNOWN_KID_FETCH_INTERVAL);
        if open {
            self.last = Some(now);
        }
        open
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_loopback() {
        for good in [
            "https://login.microsoftonline.com/tenant/discovery/v2.0/keys",
            "http://127.0.0.1:8081/keys",
            "http://127.3.4.5/keys",
            "http://[::1]:8081/keys",
            "http://localhost/realms/r/protocol/openid-connect/certs",
        ] {
            assert!(JwksUrl::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "http://idp.example/keys",
            "http://10.0.0.1/keys",
            "http://[::2]/keys",
            "http://localhost.example/keys",
            "ftp://idp.example/keys",
            "https://user:secret@idp.example/keys",
            "not a url",
        ] {
            assert!(JwksUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fetches_for_unknown_key_ids_are_spaced_out() {
        let mut gate = UnknownKidGate::default();
        let start = Instant::now();
        assert!(gate.pass(start));
        assert!(!gate.pass(start));
        assert!(!gate.pass(start + UNKNOWN_KID_FETCH_INTERVAL - Duration::from_millis(1)));
        assert!(gate.pass(start + UNKNOWN_KID_FETCH_INTERVAL));
        assert!(!gate.pass(start + UNKNOWN_KID_FETCH_INTERVAL + Duration::from_secs(1)));
    }
}
