//! Read your writes across replicas. A command's answer carries the log `position` of its last
//! event; a read on any replica may ask for the read models to have reached it, and waits a
//! bounded time for this replica's projector to get there rather than answer from before the
//! write.

use crate::error::AppError;
use casetrail_domain::DomainError;
use casetrail_projections::ProjectorHandle;
use std::time::Duration;

/// How long a read waits for the read models to reach the position it asks for. A replica
/// tails the shared log within milliseconds; longer means it is in trouble, and the client is
/// better told to retry (503 with `Retry-After`) than held.
pub const CATCH_UP_WAIT: Duration = Duration::from_secs(3);

/// Returns once the read models have reached `position`. A position the log has not reached
/// is a client's mistake (no answer ever carried it) and is refused at once.
pub async fn reach(projector: &ProjectorHandle, position: u64) -> Result<(), AppError> {
    if projector.position() >= position {
        return Ok(());
    }
    let head = projector.store().head_position().await?;
    if head < position {
        return Err(AppError::BadQuery(DomainError::invalid_field(
            "min_position",
            "consistency.unknown_position",
            format!("no event has been recorded at position {position}; the log ends at {head}"),
        )));
    }
    if projector.wait_for(position, CATCH_UP_WAIT).await {
        Ok(())
    } else {
        Err(AppError::Behind(DomainError::conflict(
            "consistency.not_caught_up",
            "this replica has not yet read the log up to min_position; retry shortly",
        )))
    }
}
