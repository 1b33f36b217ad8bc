//! Declaring, withdrawing and moving bank holidays.
//!
//! Each change is recorded with the instant it was decided, and reaches only the deadlines
//! still pending then (`calendar::history`). A change to a day already gone would reach no
//! pending deadline and only make the calendar disagree with the deadlines settled under it,
//! so it is accepted only as an explicit correction with a reason, which applies to every
//! deadline and stays in the audit trail.

use super::check_name;
use crate::DomainError;
use crate::calendar::history::Correction;
use crate::calendar::{ensure_supported, local_date, rules};
use crate::partnership::{Partnership, PartnershipEvent};
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

/// Longest correction reason accepted.
const MAX_REASON_LEN: usize = 1000;

/// DeclareBankHoliday.
pub(super) fn declare(
    partnership: &Partnership,
    date: NaiveDate,
    name: &str,
    correction: Option<&Correction>,
    now: DateTime<Utc>,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    check_name("name", name)?;
    let correction = check_correction(correction)?;
    ensure_supported("date", date)?;
    require_weekday("date", date)?;
    require_not_past("date", date, correction.is_some(), now)?;
    if partnership.calendar.is_holiday(date) {
        return Err(DomainError::conflict(
            "holiday.already_a_holiday",
            "the day is already a bank holiday",
        ));
    }
    Ok(vec![PartnershipEvent::BankHolidayDeclared {
        date,
        name: name.trim().to_owned(),
        declared_at: now,
        correction,
    }])
}

/// WithdrawBankHoliday.
pub(super) fn withdraw(
    partnership: &Partnership,
    date: NaiveDate,
    correction: Option<&Correction>,
    now: DateTime<Utc>,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    let correction = check_correction(correction)?;
    ensure_supported("date", date)?;
    require_not_past("date", date, correction.is_some(), now)?;
    require_holiday(partnership, date)?;
    Ok(vec![PartnershipEvent::BankHolidayWithdrawn {
        date,
        withdrawn_at: now,
        correction,
    }])
}

/// MoveBankHoliday.
pub(super) fn move_holiday(
    partnership: &Partnership,
    (from, to): (NaiveDate, NaiveDate),
    name: Option<&str>,
    correction: Option<&Correction>,
    now: DateTime<Utc>,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    if let Some(name) = name {
        check_name("name", name)?;
    }
    let correction = check_correction(correction)?;
    ensure_supported("from", from)?;
    ensure_supported("to", to)?;
    require_weekday("to", to)?;
    require_not_past("from", from, correction.is_some(), now)?;
    require_not_past("to", to, correction.is_some(), now)?;
    require_holiday(partnership, from)?;
    if partnership.calendar.is_holiday(to) {
        return Err(DomainError::conflict(
            "holiday.already_a_holiday",
            "the day it moves to is already a bank holiday",
        ));
    }
    let name = match name {
        Some(name) => name.trim().to_owned(),
        None => current_name(partnership, from),
    };
    Ok(vec![PartnershipEvent::BankHolidayMoved {
        from,
        to,
        name,
        moved_at: now,
        correction,
    }])
}

/// The name a holiday has: the one it was declared with, or gov.uk's.
fn current_name(partnership: &Partnership, date: NaiveDate) -> String {
    if let Some(name) = partnership.declared_holidays.get(&date) {
        return name.clone();
    }
    rules::holidays_of(date.year())
        .into_iter()
        .find(|holiday| holiday.date() == date)
        .map_or_else(|| "Bank holiday".to_owned(), |h| h.name().to_owned())
}

fn check_correction(correction: Option<&Correction>) -> Result<Option<Correction>, DomainError> {
    let Some(correction) = correction else {
        return Ok(None);
    };
    let reason = correction.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_LEN {
        return Err(DomainError::invalid_field(
            "correction.reason",
            "field.invalid",
            format!("correction.reason must be 1 to {MAX_REASON_LEN} characters"),
        ));
    }
    Ok(Some(Correction {
        reason: reason.to_owned(),
    }))
}

fn require_weekday(field: &str, date: NaiveDate) -> Result<(), DomainError> {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return Err(DomainError::invalid_field(
            field,
            "holiday.weekend",
            "a bank holiday is declared for a weekday",
        ));
    }
    Ok(())
}

/// A day before today (London) is refused unless the change is a correction.
fn require_not_past(
    field: &str,
    date: NaiveDate,
    is_correction: bool,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if is_correction || date >= local_date(now) {
        return Ok(());
    }
    Err(DomainError::invalid_field(
        field,
        "holiday.in_the_past",
        format!(
            "{field} is before today: deadlines already met or breached keep their due dates, \
             so a change to a past day is only accepted as a correction with a reason \
             (correction.reason), which applies to every deadline"
        ),
    ))
}

fn require_holiday(partnership: &Partnership, date: NaiveDate) -> Result<(), DomainError> {
    let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    if weekday && partnership.calendar.is_holiday(date) {
        return Ok(());
    }
    Err(DomainError::conflict(
        "holiday.not_a_holiday",
        "the day is not a bank holiday",
    ))
}
