//! Answering `as_of` in the past: the read models keep the present, and the cases that changed
//! since the instant are folded again from their stored events (`casetrail_projections::history`).

use crate::problem::ApiError;
use crate::state::AppState;
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::ReadModels;
use casetrail_projections::history::{HistoryError, Past, Stale};
use chrono::{DateTime, Utc};

/// Loads of the past before giving up, when cases keep changing between a load and the answer.
const ATTEMPTS: usize = 3;

/// Runs `answer` on the read models and, for an `as_of`, the past of the partnership's cases
/// (or of `only` that case). If a case changed between loading its past and answering, the past
/// is loaded again.
pub async fn answer<T>(
    state: &AppState,
    actor: &Actor,
    only: Option<CaseId>,
    as_of: Option<DateTime<Utc>>,
    mut answer: impl FnMut(&ReadModels, Option<&Past>) -> Result<T, Stale>,
) -> Result<T, ApiError> {
    ensure_supported(as_of)?;
    for _ in 0..ATTEMPTS {
        let past = match as_of {
            Some(at) => Some(
                Past::load(&state.projector, &actor.partnership, only, at)
                    .await
                    .map_err(history_error)?,
            ),
            None => None,
        };
        let models = state.projector.read();
        if let Ok(answered) = answer(&models, past.as_ref()) {
            return Ok(answered);
        }
    }
    Err(ApiError::Unavailable(anyhow::anyhow!(
        "cases kept changing while their past was read"
    )))
}

/// Refuses an `as_of` whose day the working-day calendar cannot judge: deadline statuses at
/// that instant would be guessed. A bad query parameter, so 400 like the others, with the
/// calendar's own code.
pub fn ensure_supported(as_of: Option<DateTime<Utc>>) -> Result<(), ApiError> {
    let Some(at) = as_of else {
        return Ok(());
    };
    casetrail_domain::calendar::range::ensure_supported_instant("as_of", at)
        .map_err(|refused| ApiError::bad_request(refused.code, refused.message))
}

fn history_error(err: HistoryError) -> ApiError {
    match err {
        HistoryError::Store(store) => crate::commands::store_error(store),
        other => ApiError::Internal(other.into()),
    }
}
