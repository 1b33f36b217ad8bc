//! Tokens already verified. A client sends the same bearer token on every request until it
//! expires, and checking it again each time (signature, then two JSON documents) was a sixth
//! of a case read's CPU with HS256 (BENCHMARKS.md, "HTTP"); RS256 and ES256 signatures cost
//! more to check than HS256. So a token that passed every check is remembered, keyed by its
//! exact text, with the actor it became and the last second it is still valid.
//!
//! Why this is as safe as checking again:
//! - The key is the whole token, so only the very bytes that were verified can hit, and the
//!   verification keys never change while the process runs.
//! - Only the time checks can change their answer later, and expiry is checked on every hit
//!   with the same leeway as a full check. `nbf` cannot: once passed, it stays passed.
//! - Refused tokens are never remembered, so bad tokens cannot fill the cache; it is also
//!   bounded, and dropped whole when it is full of live tokens.

use casetrail_domain::Actor;
use std::collections::HashMap;
use std::sync::Mutex;

/// Tokens remembered at most. Each is a few hundred bytes of token plus its actor; far more
/// than the users of one partnership active within a token's lifetime.
pub(super) const CAPACITY: usize = 10_000;

#[derive(Debug)]
struct Verified {
    actor: Actor,
    /// The last second (since the epoch) at which the token is still accepted.
    valid_until: i64,
}

/// Verified tokens and the actors they became.
#[derive(Debug, Default)]
pub(super) struct TokenCache {
    entries: Mutex<HashMap<Box<str>, Verified>>,
}

impl TokenCache {
    /// The actor of a token verified before, if it is still valid at `now`.
    pub(super) fn get(&self, token: &str, now: i64) -> Option<Actor> {
        let mut entries = self.lock();
        match entries.get(token) {
            Some(hit) if now <= hit.valid_until => Some(hit.actor.clone()),
            Some(_) => {
                entries.remove(token);
                None
            }
            None => None,
        }
    }

    /// Remembers a token that passed every check, valid until `valid_until` (inclusive).
    pub(super) fn insert(&self, token: &str, actor: Actor, valid_until: i64, now: i64) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.retain(|_, entry| now <= entry.valid_until);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(token.into(), Verified { actor, valid_until });
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Verified>> {
        // A panic while holding the lock cannot leave an entry half-written (each operation
        // is one map call), so a poisoned map is still sound.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
