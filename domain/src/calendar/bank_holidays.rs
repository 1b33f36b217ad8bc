//! England and Wales bank holidays: the type, gov.uk's names, and the 2018–2030 list as
//! gov.uk published it.
//!
//! The calendar itself is computed for 1990–2100 (`super::rules`); this hand-typed table is
//! kept as the oracle the computation is checked against, because it was copied from the
//! published list (<https://www.gov.uk/bank-holidays>) and not derived from the rules, so the
//! two can only agree if the rules and the proclamations are applied right. A holiday
//! proclaimed later is declared by an admin (`PartnershipCommand::DeclareBankHoliday`).

use chrono::NaiveDate;

/// First year the published table covers completely.
pub const FIRST_TABLE_YEAR: i32 = 2018;

/// Last year the published table covers completely.
pub const LAST_TABLE_YEAR: i32 = 2030;

/// One England and Wales bank holiday, as gov.uk lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankHoliday {
    date: NaiveDate,
    name: &'static str,
    substitute_day: bool,
}

impl BankHoliday {
    /// The day on which no work is expected.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// The gov.uk title, e.g. "Spring bank holiday".
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether this is the weekday given in place of a holiday that fell at a weekend.
    #[must_use]
    pub const fn is_substitute_day(&self) -> bool {
        self.substitute_day
    }
}

impl BankHoliday {
    /// A holiday on its own day; an impossible date in a constant fails the build.
    pub(crate) const fn on(year: i32, month: u32, day: u32, name: &'static str) -> Self {
        on(year, month, day, name)
    }

    /// A holiday on its own day.
    pub(crate) const fn at(date: NaiveDate, name: &'static str) -> Self {
        Self {
            date,
            name,
            substitute_day: false,
        }
    }

    /// The weekday given in place of a holiday that fell at a weekend.
    pub(crate) const fn substitute_on(date: NaiveDate, name: &'static str) -> Self {
        Self {
            date,
            name,
            substitute_day: true,
        }
    }
}

/// Builds a row at compile time; an impossible date fails the build, never a request.
const fn on(year: i32, month: u32, day: u32, name: &'static str) -> BankHoliday {
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        panic!("impossible date in the bank holiday table")
    };
    BankHoliday {
        date,
        name,
        substitute_day: false,
    }
}

/// A substitute day: named after the holiday it replaces, as gov.uk does.
const fn substitute(year: i32, month: u32, day: u32, name: &'static str) -> BankHoliday {
    let mut holiday = on(year, month, day, name);
    holiday.substitute_day = true;
    holiday
}

// gov.uk spells the apostrophe as U+2019; keep it so names match the published list.
pub(crate) const NEW_YEAR: &str = "New Year\u{2019}s Day";
pub(crate) const GOOD_FRIDAY: &str = "Good Friday";
pub(crate) const EASTER_MONDAY: &str = "Easter Monday";
pub(crate) const EARLY_MAY: &str = "Early May bank holiday";
pub(crate) const SPRING: &str = "Spring bank holiday";
pub(crate) const SUMMER: &str = "Summer bank holiday";
pub(crate) const CHRISTMAS: &str = "Christmas Day";
pub(crate) const BOXING_DAY: &str = "Boxing Day";

/// England and Wales bank holidays 2018–2030 in date order, as gov.uk listed them.
pub const ENGLAND_AND_WALES: &[BankHoliday] = &[
    // 2018
    on(2018, 1, 1, NEW_YEAR),
    on(2018, 3, 30, GOOD_FRIDAY),
    on(2018, 4, 2, EASTER_MONDAY),
    on(2018, 5, 7, EARLY_MAY),
    on(2018, 5, 28, SPRING),
    on(2018, 8, 27, SUMMER),
    on(2018, 12, 25, CHRISTMAS),
    on(2018, 12, 26, BOXING_DAY),
    // 2019
    on(2019, 1, 1, NEW_YEAR),
    on(2019, 4, 19, GOOD_FRIDAY),
    on(2019, 4, 22, EASTER_MONDAY),
    on(2019, 5, 6, EARLY_MAY),
    on(2019, 5, 27, SPRING),
    on(2019, 8, 26, SUMMER),
    on(2019, 12, 25, CHRISTMAS),
    on(2019, 12, 26, BOXING_DAY),
    // 2020: the early May holiday moved from Monday 4 May to Friday 8 May for VE Day 75.
    on(2020, 1, 1, NEW_YEAR),
    on(2020, 4, 10, GOOD_FRIDAY),
    on(2020, 4, 13, EASTER_MONDAY),
    on(2020, 5, 8, "Early May bank holiday (VE day)"),
    on(2020, 5, 25, SPRING),
    on(2020, 8, 31, SUMMER),
    on(2020, 12, 25, CHRISTMAS),
    substitute(2020, 12, 28, BOXING_DAY),
    // 2021
    on(2021, 1, 1, NEW_YEAR),
    on(2021, 4, 2, GOOD_FRIDAY),
    on(2021, 4, 5, EASTER_MONDAY),
    on(2021, 5, 3, EARLY_MAY),
    on(2021, 5, 31, SPRING),
    on(2021, 8, 30, SUMMER),
    substitute(2021, 12, 27, CHRISTMAS),
    substitute(2021, 12, 28, BOXING_DAY),
    // 2022: the spring holiday moved from Monday 30 May to Thursday 2 June for the Platinum
    // Jubilee, with an extra day after it; the Queen's State Funeral day was proclaimed at
    // a few days' notice.
    substitute(2022, 1, 3, NEW_YEAR),
    on(2022, 4, 15, GOOD_FRIDAY),
    on(2022, 4, 18, EASTER_MONDAY),
    on(2022, 5, 2, EARLY_MAY),
    on(2022, 6, 2, SPRING),
    on(2022, 6, 3, "Platinum Jubilee bank holiday"),
    on(2022, 8, 29, SUMMER),
    on(
        2022,
        9,
        19,
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    ),
    on(2022, 12, 26, BOXING_DAY),
    substitute(2022, 12, 27, CHRISTMAS),
    // 2023
    substitute(2023, 1, 2, NEW_YEAR),
    on(2023, 4, 7, GOOD_FRIDAY),
    on(2023, 4, 10, EASTER_MONDAY),
    on(2023, 5, 1, EARLY_MAY),
    on(
        2023,
        5,
        8,
        "Bank holiday for the coronation of King Charles III",
    ),
    on(2023, 5, 29, SPRING),
    on(2023, 8, 28, SUMMER),
    on(2023, 12, 25, CHRISTMAS),
    on(2023, 12, 26, BOXING_DAY),
    // 2024
    on(2024, 1, 1, NEW_YEAR),
    on(2024, 3, 29, GOOD_FRIDAY),
    on(2024, 4, 1, EASTER_MONDAY),
    on(2024, 5, 6, EARLY_MAY),
    on(2024, 5, 27, SPRING),
    on(2024, 8, 26, SUMMER),
    on(2024, 12, 25, CHRISTMAS),
    on(2024, 12, 26, BOXING_DAY),
    // 2025
    on(2025, 1, 1, NEW_YEAR),
    on(2025, 4, 18, GOOD_FRIDAY),
    on(2025, 4, 21, EASTER_MONDAY),
    on(2025, 5, 5, EARLY_MAY),
    on(2025, 5, 26, SPRING),
    on(2025, 8, 25, SUMMER),
    on(2025, 12, 25, CHRISTMAS),
    on(2025, 12, 26, BOXING_DAY),
    // 2026
    on(2026, 1, 1, NEW_YEAR),
    on(2026, 4, 3, GOOD_FRIDAY),
    on(2026, 4, 6, EASTER_MONDAY),
    on(2026, 5, 4, EARLY_MAY),
    on(2026, 5, 25, SPRING),
    on(2026, 8, 31, SUMMER),
    on(2026, 12, 25, CHRISTMAS),
    substitute(2026, 12, 28, BOXING_DAY),
    // 2027
    on(2027, 1, 1, NEW_YEAR),
    on(2027, 3, 26, GOOD_FRIDAY),
    on(2027, 3, 29, EASTER_MONDAY),
    on(2027, 5, 3, EARLY_MAY),
    on(2027, 5, 31, SPRING),
    on(2027, 8, 30, SUMMER),
    substitute(2027, 12, 27, CHRISTMAS),
    substitute(2027, 12, 28, BOXING_DAY),
    // 2028
    substitute(2028, 1, 3, NEW_YEAR),
    on(2028, 4, 14, GOOD_FRIDAY),
    on(2028, 4, 17, EASTER_MONDAY),
    on(2028, 5, 1, EARLY_MAY),
    on(2028, 5, 29, SPRING),
    on(2028, 8, 28, SUMMER),
    on(2028, 12, 25, CHRISTMAS),
    on(2028, 12, 26, BOXING_DAY),
    // 2029
    on(2029, 1, 1, NEW_YEAR),
    on(2029, 3, 30, GOOD_FRIDAY),
    on(2029, 4, 2, EASTER_MONDAY),
    on(2029, 5, 7, EARLY_MAY),
    on(2029, 5, 28, SPRING),
    on(2029, 8, 27, SUMMER),
    on(2029, 12, 25, CHRISTMAS),
    on(2029, 12, 26, BOXING_DAY),
    // 2030
    on(2030, 1, 1, NEW_YEAR),
    on(2030, 4, 19, GOOD_FRIDAY),
    on(2030, 4, 22, EASTER_MONDAY),
    on(2030, 5, 6, EARLY_MAY),
    on(2030, 5, 27, SPRING),
    on(2030, 8, 26, SUMMER),
    on(2030, 12, 25, CHRISTMAS),
    on(2030, 12, 26, BOXING_DAY),
];
