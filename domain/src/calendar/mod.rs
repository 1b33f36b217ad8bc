//! Working days in England and Wales and the Europe/London wall clock.
//!
//! Statutory deadlines are counted in working days ("within 5 working days of becoming
//! aware", "day 6 of the rapid review") and fall due at a London local time, but are stored
//! as UTC instants; this module is the one place that turns the first into the second.

pub mod bank_holidays;
pub mod financial_year;
pub mod history;
pub mod range;
pub mod rules;
#[cfg(test)]
mod standing_rules;

use std::collections::BTreeSet;
use std::ops::{Bound, RangeInclusive};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::{Europe::London, GapInfo};

pub use range::{
    FIRST_SUPPORTED_YEAR, LAST_PUBLISHED_YEAR, LAST_SUPPORTED_YEAR, ensure_supported,
    is_provisional, is_supported,
};

/// Monday to Friday except bank holidays and the changes an admin declared.
///
/// The computed England and Wales holidays are one shared set; a calendar holds only its
/// differences from it, so cloning one (once per declaration a deadline went through) is cheap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// Declared holidays that are not bank holidays of the computed set.
    added: BTreeSet<NaiveDate>,
    /// Bank holidays of the computed set that were withdrawn or moved away.
    removed: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    /// The calendar of the England and Wales bank holidays, 1990 to 2100.
    #[must_use]
    pub fn england_and_wales() -> Self {
        Self {
            added: BTreeSet::new(),
            removed: BTreeSet::new(),
        }
    }

    /// Adds holidays proclaimed after this release, since they come at short notice.
    #[must_use]
    pub fn with_extra_holidays(mut self, extra: impl IntoIterator<Item = NaiveDate>) -> Self {
        for day in extra {
            if !self.removed.remove(&day) && !rules::dates().contains(&day) {
                self.added.insert(day);
            }
        }
        self
    }

    /// Takes holidays away (a withdrawn holiday, or the old day of a moved one).
    #[must_use]
    pub fn without_holidays(mut self, gone: impl IntoIterator<Item = NaiveDate>) -> Self {
        for day in gone {
            if !self.added.remove(&day) && rules::dates().contains(&day) {
                self.removed.insert(day);
            }
        }
        self
    }

    /// Years whose bank holidays the calendar knows; dates outside them are refused.
    #[must_use]
    pub fn supported_years() -> RangeInclusive<i32> {
        FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR
    }

    /// Whether `date` is a holiday of this calendar (whatever the day of the week).
    #[must_use]
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.added.contains(&date)
            || (rules::dates().contains(&date) && !self.removed.contains(&date))
    }

    /// Every holiday in date order, including extra ones that fall at a weekend.
    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let mut all: Vec<NaiveDate> = rules::dates()
            .iter()
            .filter(|day| !self.removed.contains(day))
            .chain(self.added.iter())
            .copied()
            .collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// Whether `date` is Monday to Friday and not a holiday.
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        is_weekday(date) && !self.is_holiday(date)
    }

    /// The `n`-th working day after `day0` (which need not be a working day); `day0` when `n` is 0.
    ///
    /// Saturates at [`NaiveDate::MAX`] when the answer lies beyond chrono's range, because a
    /// deadline that far away is "never" and must not take a request down.
    #[must_use]
    pub fn add_working_days(&self, day0: NaiveDate, n: u32) -> NaiveDate {
        // Skip weekends arithmetically, then make up for the holidays skipped over. Each round
        // looks at a later, disjoint stretch of dates, so there are at most as many rounds as
        // holidays: the loop ends for any input.
        let mut from = day0;
        let mut still_needed = n;
        while still_needed > 0 {
            let Some(candidate) = add_weekdays(from, still_needed) else {
                return NaiveDate::MAX;
            };
            still_needed = self.weekday_holidays_after_until(from, candidate);
            from = candidate;
        }
        from
    }

    /// The number of working days `d` with `from < d <= to`, negative when `to` is before `from`.
    #[must_use]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        weekdays_after_until(from, to) - i64::from(self.weekday_holidays_after_until(from, to))
    }

    /// The latest working day `d` with exactly `n` working days in `(d, date]`: the day by
    /// which something must happen to be "at least `n` working days before" `date` (for an
    /// LCSPR's final report before publication). `date` itself when `n` is 0.
    #[must_use]
    pub fn working_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        // Walk back day by day: n is small (single figures) wherever the domain uses this,
        // and each step is a set look-up.
        let mut day = date;
        let mut counted = 0;
        while counted < n {
            let Some(previous) = day.pred_opt() else {
                return NaiveDate::MIN;
            };
            if self.is_working_day(day) {
                counted += 1;
            }
            day = previous;
        }
        while !self.is_working_day(day) {
            match day.pred_opt() {
                Some(previous) => day = previous,
                None => return NaiveDate::MIN,
            }
        }
        day
    }

    /// Holidays on a weekday in `(after, until]`, the days lost to holidays in that stretch.
    fn weekday_holidays_after_until(&self, after: NaiveDate, until: NaiveDate) -> u32 {
        if until <= after {
            return 0;
        }
        let range = (Bound::Excluded(after), Bound::Included(until));
        let weekdays_in =
            |set: &BTreeSet<NaiveDate>| set.range(range).filter(|day| is_weekday(**day)).count();
        // `removed` is a subset of the computed set and `added` disjoint from it.
        let count =
            weekdays_in(rules::dates()) - weekdays_in(&self.removed) + weekdays_in(&self.added);
        // A u32 holds one holiday for every day chrono can represent.
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

/// Default close of business, 17:00 London time, when agency reports fall due.
pub const CLOSE_OF_BUSINESS: NaiveTime = time_of_day(17, 0, 0);

/// The last instant of a day, which "end of day" deadlines mean: a fact at 23:59:59.5 is on
/// the due day, so it is on time (domain.md "Working days and deadlines"). Microseconds,
/// because that is the finest time PostgreSQL stores: a fact read back from either backend
/// compares the same way.
const LAST_INSTANT: NaiveTime = match NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999) {
    Some(time) => time,
    None => panic!("impossible time of day"),
};

/// The instant `date` ends in London (23:59:59.999999 local), when "within N days" deadlines
/// fall due.
#[must_use]
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    at_local_time(date, LAST_INSTANT)
}

/// The instant London clocks show `time` on `date`: a time skipped when the clocks go forward
/// maps to the instant they jump, and a time repeated when they go back to its first occurrence.
#[must_use]
pub fn at_local_time(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    if let Some(instant) = London.from_local_datetime(&local).earliest() {
        return instant.with_timezone(&Utc);
    }
    // A skipped time is due as soon as the clocks have jumped past it, never an hour early.
    GapInfo::new(&local, &London)
        .and_then(|gap| gap.end)
        .map_or_else(
            // Only at the edges of chrono's range; reading the wall clock as UTC still gives a
            // deterministic answer without panicking.
            || local.and_utc(),
            |instant| instant.with_timezone(&Utc),
        )
}

/// The London calendar date of `instant`, e.g. to tell on which day a fact occurred.
#[must_use]
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    let offset = London.offset_from_utc_datetime(&instant.naive_utc()).fix();
    // Checked because London's pre-1847 offset is negative and `DateTime::date_naive` would
    // panic at the very start of chrono's range.
    instant
        .naive_utc()
        .checked_add_offset(offset)
        .map_or_else(|| instant.date_naive(), |local| local.date())
}

/// Builds a constant time of day; an impossible one fails the build.
const fn time_of_day(hour: u32, minute: u32, second: u32) -> NaiveTime {
    let Some(time) = NaiveTime::from_hms_opt(hour, minute, second) else {
        panic!("impossible time of day")
    };
    time
}

fn is_weekday(date: NaiveDate) -> bool {
    date.weekday().num_days_from_monday() < 5
}

/// The `n`-th Monday-to-Friday day after `from`, or `None` beyond chrono's range.
fn add_weekdays(from: NaiveDate, n: u32) -> Option<NaiveDate> {
    let weekday = i64::from(from.weekday().num_days_from_monday());
    // A Saturday or Sunday counts on from the Friday before it: the next weekday is the same.
    let friday_or_weekday = weekday.min(4);
    let monday = i64::from(from.num_days_from_ce()) - weekday;
    let position = friday_or_weekday + i64::from(n);
    let target = monday + position / 5 * 7 + position % 5;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(target).ok()?)
}

/// Monday-to-Friday days in `(after, until]`; zero when `until <= after`.
fn weekdays_after_until(after: NaiveDate, until: NaiveDate) -> i64 {
    let days = until.signed_duration_since(after).num_days();
    if days <= 0 {
        return 0;
    }
    let first_weekday = i64::from(after.weekday().num_days_from_monday());
    let partial_week = (1..=days % 7)
        .filter(|offset| (first_weekday + offset) % 7 < 5)
        .count();
    // At most six days, so the conversion cannot fail.
    days / 7 * 5 + i64::try_from(partial_week).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_weekdays_skips_weekends_from_every_starting_day() {
        // 2024-01-01 is a Monday; walk a fortnight of starting days against a day-by-day count.
        let monday = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
        for start_offset in 0..14 {
            let start = monday + chrono::Days::new(start_offset);
            for n in 1..=12 {
                let mut expected = start;
                let mut counted = 0;
                while counted < n {
                    expected = expected.succ_opt().expect("within range");
                    if is_weekday(expected) {
                        counted += 1;
                    }
                }
                assert_eq!(add_weekdays(start, n), Some(expected), "{start} + {n}");
            }
        }
    }

    #[test]
    fn add_weekdays_reports_overflow_instead_of_panicking() {
        assert_eq!(add_weekdays(NaiveDate::MAX, 1), None);
        assert_eq!(add_weekdays(NaiveDate::MIN, u32::MAX), None);
    }
}
