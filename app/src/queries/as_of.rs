//! Answering `as_of` in the past: the read models keep the present, and the cases that changed
//! since the instant are folded again from their stored events (`casetrail_projections::history`).

use crate::error::AppError;
use casetrail_domain::{Actor, CaseId, DomainError};
use casetrail_projections::history::{HistoryError, Past, Stale};
use casetrail_projections::{ProjectorHandle, ReadModels};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Loads of the past before giving up, when cases keep changing between a load and the answer.
const ATTEMPTS: usize = 3;

/// Runs `answer` on the read models and, for an `as_of`, the past of the partnership's cases
/// (or of `only` that case). If a case changed between loading its past and answering, the past
/// is loaded again.
pub(super) async fn answer<T>(
    projector: &ProjectorHandle,
    limit: &Arc<AsOfLimit>,
    actor: &Actor,
    only: Option<CaseId>,
    as_of: Option<DateTime<Utc>>,
    mut answer: impl FnMut(&ReadModels, Option<&Past>) -> Result<T, Stale>,
) -> Result<T, AppError> {
    // Held until answered: the refold of history is what costs.
    let _turn = match as_of {
        Some(at) => Some(enter(limit, actor, at)?),
        None => None,
    };
    for _ in 0..ATTEMPTS {
        let past = match as_of {
            Some(at) => Some(
                Past::load(projector, &actor.partnership, only, at)
                    .await
                    .map_err(history_error)?,
            ),
            None => None,
        };
        let models = projector.read();
        if let Ok(answered) = answer(&models, past.as_ref()) {
            return Ok(answered);
        }
    }
    Err(kept_changing())
}

/// The actor's turn for a read `at` a past instant, once the calendar can judge it: held until
/// the read is answered.
pub(super) fn enter(
    limit: &Arc<AsOfLimit>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<impl Drop, AppError> {
    ensure_supported(Some(at))?;
    limit.enter(actor)
}

/// Cases changed between reading their past and answering, more times than it is tried.
fn kept_changing() -> AppError {
    AppError::Unavailable(anyhow::anyhow!(
        "cases kept changing while their past was read"
    ))
}

/// The loads of the past one read has made: a read whose cases keep changing between loading
/// their past and answering gives up after [`ATTEMPTS`] loads rather than trying for ever.
#[derive(Debug, Default)]
pub(super) struct Attempts(usize);

impl Attempts {
    /// The load just made was in vain: another may be made, unless it was the last.
    pub(super) fn again(&mut self) -> Result<(), AppError> {
        self.0 += 1;
        if self.0 < ATTEMPTS {
            Ok(())
        } else {
            Err(kept_changing())
        }
    }
}

/// Refuses an `as_of` whose day the working-day calendar cannot judge: deadline statuses at
/// that instant would be guessed. A bad query parameter, so 400 like the others, with the
/// calendar's own code.
pub fn ensure_supported(as_of: Option<DateTime<Utc>>) -> Result<(), AppError> {
    let Some(at) = as_of else {
        return Ok(());
    };
    casetrail_domain::calendar::range::ensure_supported_instant("as_of", at)
        .map_err(|refused| AppError::BadQuery(DomainError::invalid(refused.code, refused.message)))
}

pub(super) fn history_error(err: HistoryError) -> AppError {
    match err {
        HistoryError::Store(store) => AppError::from(store),
        other => AppError::Internal(other.into()),
    }
}

/// How many reads with `as_of` each user may have under way at once. Such a read folds the
/// history of every case that changed since the instant again (most of a second of CPU on a
/// large partnership), so one caller alone could otherwise keep every worker busy. Counted per
/// user of a partnership, in this process.
#[derive(Debug)]
pub struct AsOfLimit {
    per_user: usize,
    under_way: Mutex<HashMap<(String, String), usize>>,
}

impl AsOfLimit {
    /// At most `per_user` at once (at least one).
    pub fn new(per_user: usize) -> Arc<Self> {
        Arc::new(Self {
            per_user: per_user.max(1),
            under_way: Mutex::new(HashMap::new()),
        })
    }

    /// A turn for the actor, refused when it already has as many under way as allowed.
    fn enter(self: &Arc<Self>, actor: &Actor) -> Result<Turn, AppError> {
        let user = (actor.partnership.to_string(), actor.user.clone());
        let mut under_way = self
            .under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = under_way.entry(user.clone()).or_insert(0);
        if *count >= self.per_user {
            metrics::counter!("as_of_reads_refused_total").increment(1);
            return Err(AppError::Busy(DomainError::conflict(
                "as_of.too_many",
                format!(
                    "at most {} reads with as_of may be under way at once for one user; \
                     retry when one has been answered",
                    self.per_user
                ),
            )));
        }
        *count += 1;
        Ok(Turn {
            limit: Arc::clone(self),
            user,
        })
    }
}

/// One read with `as_of` under way; its place is given back when dropped (answered, failed
/// or abandoned by a client that went away).
#[derive(Debug)]
struct Turn {
    limit: Arc<AsOfLimit>,
    user: (String, String),
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut under_way = self
            .limit
            .under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = under_way.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                under_way.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_loads_the_past_at_most_three_times() {
        let mut attempts = Attempts::default();
        assert!(attempts.again().is_ok(), "a second load");
        assert!(attempts.again().is_ok(), "a third load");
        assert!(matches!(attempts.again(), Err(AppError::Unavailable(_))));
    }
}
