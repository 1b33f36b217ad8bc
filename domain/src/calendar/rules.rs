//! England and Wales bank holidays for every supported year, computed from the standing rules
//! of the Banking and Financial Dealings Act 1971 (Schedule 1, as amended by the proclamations
//! that made the early May and spring holidays standing) and then corrected by every one-off
//! or moved holiday proclaimed since 1990 (docs/rules.md, section 2).
//!
//! Computed once, on first use, into a sorted list: the calendar is consulted on every deadline
//! computation, so it must be a set look-up, not a computation.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::bank_holidays::{
    BOXING_DAY, BankHoliday, CHRISTMAS, EARLY_MAY, EASTER_MONDAY, GOOD_FRIDAY, NEW_YEAR, SPRING,
    SUMMER,
};
use super::range::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};

/// A proclamation that moved a standing holiday to another day of the same year.
struct Moved {
    from: NaiveDate,
    to: NaiveDate,
    name: &'static str,
}

/// Every standing holiday moved by proclamation since 1990.
const MOVED: &[Moved] = &[
    // VE Day 50: the early May holiday moved from Monday 1 May.
    moved(
        (1995, 5, 1),
        (1995, 5, 8),
        "Early May bank holiday (VE Day)",
    ),
    // Golden Jubilee: the spring holiday moved from Monday 27 May.
    moved((2002, 5, 27), (2002, 6, 3), SPRING),
    // Diamond Jubilee: the spring holiday moved from Monday 28 May.
    moved((2012, 5, 28), (2012, 6, 4), SPRING),
    // VE Day 75: the early May holiday moved from Monday 4 May.
    moved(
        (2020, 5, 4),
        (2020, 5, 8),
        "Early May bank holiday (VE day)",
    ),
    // Platinum Jubilee: the spring holiday moved from Monday 30 May.
    moved((2022, 5, 30), (2022, 6, 2), SPRING),
];

/// Every additional one-off holiday proclaimed since 1990.
const ONE_OFF: &[BankHoliday] = &[
    BankHoliday::on(1999, 12, 31, "Millennium bank holiday"),
    BankHoliday::on(2002, 6, 4, "Golden Jubilee bank holiday"),
    BankHoliday::on(2011, 4, 29, "Royal wedding bank holiday"),
    BankHoliday::on(2012, 6, 5, "Diamond Jubilee bank holiday"),
    BankHoliday::on(2022, 6, 3, "Platinum Jubilee bank holiday"),
    BankHoliday::on(
        2022,
        9,
        19,
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    ),
    BankHoliday::on(
        2023,
        5,
        8,
        "Bank holiday for the coronation of King Charles III",
    ),
];

const fn moved(from: (i32, u32, u32), to: (i32, u32, u32), name: &'static str) -> Moved {
    Moved {
        from: BankHoliday::on(from.0, from.1, from.2, name).date(),
        to: BankHoliday::on(to.0, to.1, to.2, name).date(),
        name,
    }
}

static HOLIDAYS: LazyLock<Vec<BankHoliday>> = LazyLock::new(|| {
    (FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR)
        .flat_map(holidays_of)
        .collect()
});

static DATES: LazyLock<BTreeSet<NaiveDate>> =
    LazyLock::new(|| HOLIDAYS.iter().map(BankHoliday::date).collect());

/// Every England and Wales bank holiday of the supported years, in date order.
#[must_use]
pub fn england_and_wales() -> &'static [BankHoliday] {
    &HOLIDAYS
}

/// The same days as a set, shared by every calendar.
pub(super) fn dates() -> &'static BTreeSet<NaiveDate> {
    &DATES
}

/// The bank holidays of one year: the standing rules, then the proclaimed changes.
#[must_use]
pub fn holidays_of(year: i32) -> Vec<BankHoliday> {
    let mut holidays = standing_rules(year);
    for change in MOVED.iter().filter(|m| m.from.year() == year) {
        for holiday in holidays.iter_mut().filter(|h| h.date() == change.from) {
            *holiday = BankHoliday::at(change.to, change.name);
        }
    }
    holidays.extend(ONE_OFF.iter().filter(|h| h.date().year() == year).copied());
    holidays.sort_by_key(BankHoliday::date);
    holidays
}

/// The standing rules of one year, with substitute days for holidays at a weekend.
fn standing_rules(year: i32) -> Vec<BankHoliday> {
    let easter = easter_sunday(year);
    let mut holidays = Vec::with_capacity(8);
    holidays.extend(with_substitutes(&[(ymd(year, 1, 1), NEW_YEAR)]));
    holidays.push(BankHoliday::at(easter - Days::new(2), GOOD_FRIDAY));
    holidays.push(BankHoliday::at(easter + Days::new(1), EASTER_MONDAY));
    holidays.push(BankHoliday::at(nth_monday(year, 5, 1), EARLY_MAY));
    holidays.push(BankHoliday::at(last_monday(year, 5), SPRING));
    holidays.push(BankHoliday::at(last_monday(year, 8), SUMMER));
    holidays.extend(with_substitutes(&[
        (ymd(year, 12, 25), CHRISTMAS),
        (ymd(year, 12, 26), BOXING_DAY),
    ]));
    holidays
}

/// A holiday at a weekend is given on the next weekday that is not already a holiday of the
/// group (Schedule 1: "if it be a Sunday, the 27th"): with Christmas on Saturday, Christmas
/// moves to Monday 27th and Boxing Day to Tuesday 28th; with Christmas on Sunday, Boxing Day
/// keeps Monday 26th and Christmas moves to Tuesday 27th.
fn with_substitutes(group: &[(NaiveDate, &'static str)]) -> Vec<BankHoliday> {
    let mut taken: Vec<NaiveDate> = group
        .iter()
        .map(|(day, _)| *day)
        .filter(|day| !is_weekend(*day))
        .collect();
    group
        .iter()
        .map(|&(day, name)| {
            if !is_weekend(day) {
                return BankHoliday::at(day, name);
            }
            let mut substitute = day;
            while is_weekend(substitute) || taken.contains(&substitute) {
                substitute = substitute + Days::new(1);
            }
            taken.push(substitute);
            BankHoliday::substitute_on(substitute, name)
        })
        .collect()
}

/// Easter Sunday in the Gregorian calendar (Oudin's algorithm, as given by Tøndering): a
/// different derivation from the anonymous algorithm the tests check it with.
#[must_use]
pub fn easter_sunday(year: i32) -> NaiveDate {
    let golden = year % 19;
    let century = year / 100;
    let h = (century - century / 4 - (8 * century + 13) / 25 + 19 * golden + 15) % 30;
    let i = h - (h / 28) * (1 - (h / 28) * (29 / (h + 1)) * ((21 - golden) / 11));
    let j = (year + year / 4 + i + 2 - century + century / 4) % 7;
    let l = i - j;
    let month = 3 + (l + 40) / 44;
    let day = l + 28 - 31 * (month / 4);
    // Month 3 or 4 and day 1 to 31 for every year: the conversions cannot fail.
    ymd(
        year,
        u32::try_from(month).unwrap_or(3),
        u32::try_from(day).unwrap_or(1),
    )
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Only called with dates of the supported years, which chrono represents.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn nth_monday(year: i32, month: u32, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n).unwrap_or(NaiveDate::MIN)
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = ymd(year, month + 1, 1);
    let back = (first_of_next.weekday().num_days_from_monday() + 6) % 7 + 1;
    first_of_next - Days::new(u64::from(back))
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_monday_of_may_and_august() {
        assert_eq!(last_monday(2024, 5), ymd(2024, 5, 27));
        assert_eq!(last_monday(2024, 8), ymd(2024, 8, 26));
        // The month ending on a Monday: that Monday itself.
        assert_eq!(last_monday(2026, 8), ymd(2026, 8, 31));
        // 1 June 2020 is a Monday: the last Monday of May is a week before it.
        assert_eq!(last_monday(2020, 5), ymd(2020, 5, 25));
    }
}
