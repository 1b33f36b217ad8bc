//! The years the calendar answers for, and the years the government has already published.
//!
//! Outside 1990–2100 the bank holidays are not known to Casetrail, so a deadline computed there
//! would silently count only weekends. The deciders refuse any command whose dates, or whose
//! deadlines, leave the range (`calendar.date_out_of_range`), so no stored fact ever depends on
//! an unknown year; reading events stored before the range existed still answers (weekends
//! only) and never panics.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::local_date;
use crate::DomainError;

/// The first year whose bank holidays the calendar knows.
pub const FIRST_SUPPORTED_YEAR: i32 = 1990;

/// The last year whose bank holidays the calendar knows.
pub const LAST_SUPPORTED_YEAR: i32 = 2100;

/// The last year for which gov.uk has published the England and Wales bank holidays (by late
/// 2026 the list ran to the end of 2027). Later years follow the standing rules, but a holiday
/// can still be proclaimed or moved in them, so a deadline that falls there is provisional.
pub const LAST_PUBLISHED_YEAR: i32 = 2027;

/// The stable code of a date outside the supported years.
pub const OUT_OF_RANGE: &str = "calendar.date_out_of_range";

/// Whether the calendar knows the bank holidays of `date`'s year.
#[must_use]
pub fn is_supported(date: NaiveDate) -> bool {
    (FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&date.year())
}

/// Refuses a date the calendar cannot answer for, naming the field and the supported range
/// (never the date itself, which may be personal data such as a date of death).
pub fn ensure_supported(field: &str, date: NaiveDate) -> Result<(), DomainError> {
    if is_supported(date) {
        return Ok(());
    }
    Err(DomainError::invalid_field(
        field,
        OUT_OF_RANGE,
        format!(
            "{field} is outside the years the working-day calendar supports \
             ({FIRST_SUPPORTED_YEAR}-01-01 to {LAST_SUPPORTED_YEAR}-12-31)"
        ),
    ))
}

/// Refuses an instant whose London date the calendar cannot answer for.
pub fn ensure_supported_instant(field: &str, instant: DateTime<Utc>) -> Result<(), DomainError> {
    ensure_supported(field, local_date(instant))
}

/// Whether a deadline due at `due_at` falls after the last published year, where a holiday
/// can still be proclaimed and move it.
#[must_use]
pub fn is_provisional(due_at: DateTime<Utc>) -> bool {
    local_date(due_at).year() > LAST_PUBLISHED_YEAR
}
