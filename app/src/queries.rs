//! Reads over the read models, with the need-to-know policy applied: a case the actor may not
//! see does not exist for them.

use crate::error::AppError;
use crate::visibility::can_see;
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::ProjectorHandle;

/// Refuses a case the actor may not see (another tenant's, one of no concern to their
/// organisation, or none at all) with the same `case.not_found`, so a refusal says nothing
/// about whether it exists.
pub fn visible_case(
    projector: &ProjectorHandle,
    actor: &Actor,
    case_id: CaseId,
) -> Result<(), AppError> {
    let models = projector.read();
    let partnership = models
        .partnership(&actor.partnership)
        .ok_or_else(AppError::case_not_found)?;
    match models.case(&actor.partnership, case_id) {
        Some(record) if can_see(actor, partnership, &record.case) => Ok(()),
        _ => Err(AppError::case_not_found()),
    }
}
