//! Key rotation at the identity provider (`CASETRAIL_JWKS_URL`): its keys fetched again on
//! schedule, and for a token naming a key id not seen before. The keys held are replaced whole,
//! with their token cache, and only when the keys fetched differ.

use super::{KeySet, TokenError, Verifier, now};
use casetrail_domain::Actor;
use jsonwebtoken::jwk::Jwk;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

/// The longest a request waits for the identity provider's keys when its token names a key id
/// not seen before: a fetch already under way, then its own (each at most 5 s).
const UNKNOWN_KID_WAIT: Duration = Duration::from_secs(10);

impl Verifier {
    /// Verifies a token as [`Verifier::verify`] does, but a token naming a key id the
    /// identity provider has published since its keys were last fetched (it rotated them)
    /// waits for one fetch of the keys, and is checked again with them. Such fetches are
    /// shared by the requests waiting at the time and happen at most every 30 s.
    pub async fn verify_fresh(&self, token: &str) -> Result<Actor, TokenError> {
        let keys = self.key_set();
        match self.verify_with(&keys, token, now()) {
            Err(TokenError::UnknownKey) if self.provider.is_some() => {
                self.fetch_for_unknown_kid(&keys).await;
                self.verify(token)
            }
            result => result,
        }
    }

    /// Fetches the identity provider's keys every `refresh`, until aborted; `None` when the
    /// keys are not from a JWKS URL. A failed fetch keeps the keys held, and says so in a
    /// warning; keys the provider no longer publishes stop verifying tokens.
    pub fn keep_fresh(self: Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        let every = self.provider.as_ref().map(|p| p.refresh)?;
        if every.is_zero() {
            return None;
        }
        Some(tokio::spawn(async move {
            let first = tokio::time::Instant::now() + every;
            let mut schedule = tokio::time::interval_at(first, every);
            schedule.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                schedule.tick().await;
                if let Some(provider) = &self.provider {
                    let _one_fetch_at_a_time = provider.fetching.lock().await;
                    self.replace_keys(provider.fetch().await);
                }
            }
        }))
    }

    /// One fetch for a token whose key id is not known, unless another request's fetch
    /// brought new keys while this one waited, or one began less than 30 s ago.
    async fn fetch_for_unknown_kid(&self, seen: &Arc<KeySet>) {
        let Some(provider) = &self.provider else {
            return;
        };
        let fetch = async {
            let mut gate = provider.fetching.lock().await;
            if Arc::ptr_eq(seen, &self.key_set()) && gate.pass(Instant::now()) {
                self.replace_keys(provider.fetch().await);
            }
        };
        if tokio::time::timeout(UNKNOWN_KID_WAIT, fetch).await.is_err() {
            tracing::warn!("gave up waiting for the identity provider's keys (CASETRAIL_JWKS_URL)");
        }
    }

    /// Holds the keys fetched, if they differ from those held (with a new, empty token cache);
    /// after a failed fetch, keeps those held.
    fn replace_keys(&self, fetched: anyhow::Result<Vec<Jwk>>) {
        let jwks = match fetched {
            Ok(jwks) => jwks,
            Err(error) => {
                tracing::warn!(
                    error = %format!("{error:#}"),
                    "the identity provider's keys could not be refreshed; the keys fetched before stay in use"
                );
                return;
            }
        };
        let mut held = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        if held.jwks == jwks {
            return;
        }
        let keys = KeySet::from_jwks(jwks);
        tracing::info!(
            before = ?held.kids(),
            after = ?keys.kids(),
            "the identity provider's keys changed; tokens verified before are checked again"
        );
        *held = Arc::new(keys);
    }
}
