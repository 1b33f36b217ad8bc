//! The application's one error type. The HTTP layer maps it to problem+json; nothing here
//! knows about status codes.

use casetrail_domain::DomainError;
use casetrail_store::StoreError;

/// Why a command or a query did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A rule refused it: the domain's refusals and the application's own (the role, the
    /// partnership, a reused Idempotency-Key), each with its kind and stable code.
    #[error(transparent)]
    Refused(#[from] DomainError),
    /// A question that cannot be answered as asked (a query parameter out of range): the
    /// refusal says which and why.
    #[error("{0}")]
    BadQuery(DomainError),
    /// The caller has as many costly reads under way as allowed; retry when one is answered.
    #[error("{0}")]
    Busy(DomainError),
    /// What was asked for existed and has been destroyed for good (the case's personal data
    /// after erasure): unlike a refusal, asking again will never succeed.
    #[error("{0}")]
    Gone(DomainError),
    /// This replica's read models have not reached the log position the read asked for within
    /// the wait: another replica wrote it; retry in a moment.
    #[error("{0}")]
    Behind(DomainError),
    /// The stream moved on from the version the client decided on (`If-Match`).
    #[error("the stream has changed since the expected version")]
    StaleVersion,
    /// A failure of ours; the cause is logged by the caller, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
    /// A dependency (the database) is unavailable, maybe only for a moment.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
}

impl AppError {
    /// A case that does not exist for this actor (another tenant's or an unseen one too).
    pub fn case_not_found() -> Self {
        DomainError::not_found("case.not_found", "no such case").into()
    }

    /// The token's partnership is not one this service knows.
    pub fn unknown_partnership() -> Self {
        DomainError::forbidden(
            "auth.unknown_partnership",
            "the token's partnership is not known to this service",
        )
        .into()
    }

    /// An Idempotency-Key first used with another request.
    pub fn idempotency_key_reused() -> Self {
        DomainError::invalid(
            "idempotency.key_reused",
            "this Idempotency-Key was already used with a different request",
        )
        .into()
    }

    /// The personal data of the case has been destroyed: nothing more can be sealed for it.
    pub fn personal_data_erased() -> Self {
        DomainError::conflict(
            "personal_data.erased",
            "this case's personal data has been erased; nothing more can be recorded about it",
        )
        .into()
    }

    /// A read or use of the personal data of a case that has none: an audit (404).
    pub fn no_personal_data() -> Self {
        DomainError::not_found(
            "personal_data.none",
            "this case holds no personal data: it is a multi-agency audit",
        )
        .into()
    }

    /// A read of the case's personal data after its key was destroyed: the process history
    /// remains, the person's details do not.
    pub fn personal_data_gone() -> Self {
        AppError::Gone(DomainError::conflict(
            "personal_data.erased",
            "this case's personal data has been erased; its process history remains",
        ))
    }
}

impl From<StoreError> for AppError {
    /// The database being unreachable is transient; anything else is ours.
    fn from(err: StoreError) -> Self {
        if err.is_unavailable() {
            AppError::Unavailable(err.into())
        } else {
            AppError::Internal(err.into())
        }
    }
}
