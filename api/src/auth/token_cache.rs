//! Tokens already verified. A client sends the same bearer token on every request until it
//! expires, and checking it again each time (signature, then two JSON documents) was a sixth
//! of a case read's CPU with HS256 (BENCHMARKS.md, "HTTP"); RS256 and ES256 signatures cost
//! more to check than HS256. So a token that passed every check is remembered, keyed by its
//! exact text, with the actor it became and the last second it is still valid.
//!
//! Why this is as safe as checking again:
//! - The key is the whole token, so only the very bytes that were verified can hit, and a
//!   cache belongs to one set of verification keys: when the identity provider's keys change
//!   (`CASETRAIL_JWKS_URL`), the new set starts with an empty cache, so a token of a withdrawn
//!   key is checked again, and refused.
//! - Only the time checks can change their answer later, and expiry is checked on every hit
//!   with the same leeway as a full check (against the caller's `now`, not the cache's own
//!   clock). `nbf` cannot: once passed, it stays passed.
//! - Refused tokens are never remembered, so bad tokens cannot fill the cache; it is also
//!   bounded.
//!
//! The store is `moka`'s synchronous cache: bounded by `CAPACITY` (evicting the least useful
//! entries, not dropping everything when full, as the hand-written map did), and each entry
//! expires on its own once its token has, so dead tokens do not take room. Its expiry is only
//! housekeeping: the check on each hit above is what decides.

use casetrail_domain::Actor;
use moka::Expiry;
use moka::sync::Cache;
use std::fmt;
use std::time::{Duration, Instant};

/// Tokens remembered at most. Each is a few hundred bytes of token plus its actor; far more
/// than the users of one partnership active within a token's lifetime.
pub(super) const CAPACITY: u64 = 10_000;

#[derive(Debug, Clone)]
struct Verified {
    actor: Actor,
    /// The last second (since the epoch) at which the token is still accepted.
    valid_until: i64,
    /// Seconds from its insertion until the cache may forget it: past `valid_until`.
    time_to_live: u64,
}

/// Each entry lives until its token has expired (with the leeway) as seen when it was stored.
struct UntilExpiry;

impl Expiry<Box<str>, Verified> for UntilExpiry {
    fn expire_after_create(&self, _: &Box<str>, entry: &Verified, _: Instant) -> Option<Duration> {
        Some(Duration::from_secs(entry.time_to_live))
    }
}

/// Verified tokens and the actors they became.
pub(super) struct TokenCache {
    entries: Cache<Box<str>, Verified>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("entries", &self.entries.entry_count())
            .finish()
    }
}

impl Default for TokenCache {
    fn default() -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .expire_after(UntilExpiry)
                .build(),
        }
    }
}

impl TokenCache {
    /// The actor of a token verified before, if it is still valid at `now`.
    pub(super) fn get(&self, token: &str, now: i64) -> Option<Actor> {
        let hit = self.entries.get(token)?;
        if now <= hit.valid_until {
            Some(hit.actor)
        } else {
            self.entries.invalidate(token);
            None
        }
    }

    /// Remembers a token that passed every check, valid until `valid_until` (inclusive).
    pub(super) fn insert(&self, token: &str, actor: Actor, valid_until: i64, now: i64) {
        // One second more than it has left, so the cache never forgets it before `get` would.
        let left = valid_until.saturating_sub(now).saturating_add(1);
        let time_to_live = u64::try_from(left).unwrap_or(0);
        let entry = Verified {
            actor,
            valid_until,
            time_to_live,
        };
        self.entries.insert(token.into(), entry);
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> u64 {
        // Eviction and removal are applied lazily; apply them before counting.
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }
}
