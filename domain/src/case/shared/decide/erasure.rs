//! EraseCasePersonalData: an admin erases a case's personal data, once.

use crate::DomainError;
use crate::case::decide::{check_text, once};
use crate::case::erasure::{EraseCasePersonalData, PersonalDataErased};
use crate::case::{Case, CaseEvent, Context};

/// Longest reason accepted: a reference and a sentence, not a narrative.
pub const MAX_REASON_CHARS: usize = 500;

pub(in crate::case) fn erase_personal_data(
    case: &Case,
    cmd: &EraseCasePersonalData,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    check_text("reason", &cmd.reason, MAX_REASON_CHARS)?;
    once(
        case.personal_data_erased_at,
        "personal_data.already_erased",
        "this case's personal data has already been erased",
    )?;
    // An audit holds none (the kind check refuses it first).
    let key_id = case.personal_data().map(|p| p.key_id).ok_or_else(|| {
        DomainError::conflict(
            "case.wrong_kind",
            "an audit holds no personal data to erase",
        )
    })?;
    Ok(vec![CaseEvent::PersonalDataErased(PersonalDataErased {
        key_id,
        legal_basis: cmd.legal_basis,
        reason: cmd.reason.clone(),
        occurred_at: ctx.now,
    })])
}
