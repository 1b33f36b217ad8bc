//! What the read models keep no copy of: a case's stored events and the sealed personal data in
//! them, read back from the store and opened with the case's key.

use crate::error::AppError;
use crate::personal_data::{self, KeyVault};
use casetrail_domain::case::{Case, CaseEvent, SealedPersonalData};
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_store::{EventStore, RecordedEvent};
use serde::de::DeserializeOwned;

/// The case's stored events, oldest first, each with its decoded event.
pub(super) async fn case_events(
    store: &dyn EventStore,
    partnership: &PartnershipSlug,
    case_id: CaseId,
) -> Result<Vec<(RecordedEvent, CaseEvent)>, AppError> {
    let stream = casetrail_domain::stream::case_stream(partnership, case_id);
    store
        .read_stream(&stream, 1)
        .await?
        .into_iter()
        .map(|recorded| {
            let event = decode(&recorded)?;
            Ok((recorded, event))
        })
        .collect()
}

/// The sealed details the case was opened with, from its first stored event alone: the others
/// are neither needed nor decoded. Not found for a stream with no events.
pub(super) async fn opening_personal_data(
    store: &dyn EventStore,
    partnership: &PartnershipSlug,
    case_id: CaseId,
) -> Result<SealedPersonalData, AppError> {
    let stream = casetrail_domain::stream::case_stream(partnership, case_id);
    let stored = store.read_stream(&stream, 1).await?;
    let opening = stored.first().ok_or_else(AppError::case_not_found)?;
    opened_with(&decode(opening)?)
}

/// The sealed details the case was opened with, from its first event.
pub(super) fn opening_details(
    events: &[(RecordedEvent, CaseEvent)],
) -> Result<SealedPersonalData, AppError> {
    let (_, opening) = events
        .first()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a case stream that opens no case")))?;
    opened_with(opening)
}

/// The sealed details an event opening a case carries.
fn opened_with(opening: &CaseEvent) -> Result<SealedPersonalData, AppError> {
    let case = Case::evolve(None, opening)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a case stream that opens no case")))?;
    case.personal_data()
        .cloned()
        .ok_or_else(AppError::no_personal_data)
}

fn decode(recorded: &RecordedEvent) -> Result<CaseEvent, AppError> {
    casetrail_domain::codec::decode(
        &recorded.event_type,
        recorded.schema_version,
        &recorded.data,
    )
    .map_err(|e| AppError::Internal(e.into()))
}

/// Opens sealed data with its case's key; gone for good once the key has been destroyed.
pub(super) async fn open<T: DeserializeOwned>(
    vault: &KeyVault,
    sealed: &SealedPersonalData,
) -> Result<T, AppError> {
    personal_data::open(vault, sealed)
        .await?
        .ok_or_else(AppError::personal_data_gone)
}
