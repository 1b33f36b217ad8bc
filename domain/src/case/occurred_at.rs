//! The `occurred_at` rules every command shares: never in the future, never before the fact
//! it depends on.

use crate::DomainError;
use chrono::{DateTime, Utc};

/// Resolves a command's `occurred_at`: the given instant, or `default`, checked against `now`
/// and the earliest instant the fact can have happened.
pub(crate) fn resolve(
    given: Option<DateTime<Utc>>,
    default: DateTime<Utc>,
    now: DateTime<Utc>,
    not_before: DateTime<Utc>,
    depends_on: &str,
) -> Result<DateTime<Utc>, DomainError> {
    let occurred_at = given.unwrap_or(default);
    if occurred_at > now {
        return Err(DomainError::invalid_field(
            "occurred_at",
            "occurred_at.in_future",
            "occurred_at must not be in the future",
        ));
    }
    if occurred_at < not_before {
        return Err(DomainError::invalid_field(
            "occurred_at",
            "occurred_at.before_dependency",
            format!("occurred_at must not be before {depends_on}"),
        ));
    }
    Ok(occurred_at)
}
