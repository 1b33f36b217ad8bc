//! Erasing a case's personal data: the command that records it, then the key's destruction.
//!
//! The event comes first: it is the record the law asks for, and once it is in the log the
//! case answers 410 for its personal details whatever happened next. The key is destroyed
//! right after; if the process stops in between, the next start finishes it
//! ([`finish_interrupted`]), and retrying the request does the same.

use crate::bus::{Accepted, Addressed, CommandBus, Expectations};
use crate::error::AppError;
use crate::personal_data::KeyVault;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::erasure::EraseCasePersonalData;
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::ProjectorHandle;

/// Records the erasure of a case's personal data and destroys its key.
pub async fn erase(
    bus: &CommandBus,
    projector: &ProjectorHandle,
    keys: &KeyVault,
    actor: &Actor,
    case_id: CaseId,
    erasure: EraseCasePersonalData,
    expectations: Expectations,
) -> Result<Accepted, AppError> {
    let command = CaseCommand::EraseCasePersonalData(erasure);
    let accepted = bus
        .execute(
            actor,
            Addressed::case(actor, case_id, command),
            expectations,
        )
        .await?;
    let key_id = projector
        .read()
        .case(&actor.partnership, case_id)
        .ok_or_else(AppError::case_not_found)?
        .case
        .personal_data()
        .map(|p| p.key_id)
        .ok_or_else(AppError::no_personal_data)?;
    keys.erase(&[key_id]).await?;
    Ok(accepted)
}

/// Destroys the keys of cases whose erasure is recorded but whose key is still stored (the
/// process stopped between the two, or a backup of the keys was restored).
pub async fn finish_interrupted(
    projector: &ProjectorHandle,
    keys: &KeyVault,
) -> Result<u64, AppError> {
    let erased: Vec<uuid::Uuid> = {
        let models = projector.read();
        models
            .partnership_slugs()
            .into_iter()
            .flat_map(|slug| models.cases(slug))
            .filter(|record| record.case.personal_data_erased_at.is_some())
            .filter_map(|record| record.case.personal_data().map(|p| p.key_id))
            .collect()
    };
    // One statement for them all: a start-up with years of erasures behind it does not
    // pay a round trip per erased case.
    let finished = keys.erase(&erased).await?;
    if finished == 0 {
        // An earlier purge may have been cut short; with nothing serving yet it completes.
        // (An erasure here has purged already.)
        keys.purge().await?;
    }
    if finished > 0 {
        tracing::warn!(
            finished,
            "destroyed the keys of erased cases that were still stored"
        );
    }
    Ok(finished)
}
