//! The financial year, 1 April to 31 March, by which the partnership reports (its annual
//! report, its budget).

use super::local_date;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::fmt;

/// A financial year, 1 April to 31 March, labelled like `2022-23`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FinancialYear {
    start_year: i32,
}

/// A label that is not a financial year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a financial year is written like 2022-23: four digits, a hyphen, the next year's two")]
pub struct InvalidFinancialYear;

impl FinancialYear {
    /// Parses a label like `2022-23`; refuses `2022-24` and `22-23`.
    pub fn parse(label: &str) -> Result<Self, InvalidFinancialYear> {
        let (first, second) = label.split_once('-').ok_or(InvalidFinancialYear)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(first, 4) || !digits(second, 2) {
            return Err(InvalidFinancialYear);
        }
        let start_year: i32 = first.parse().map_err(|_| InvalidFinancialYear)?;
        let end: i32 = second.parse().map_err(|_| InvalidFinancialYear)?;
        if (start_year + 1) % 100 != end {
            return Err(InvalidFinancialYear);
        }
        Ok(Self { start_year })
    }

    /// The financial year a day falls in.
    pub fn containing(date: NaiveDate) -> Self {
        let start_year = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        Self { start_year }
    }

    /// The financial year an instant falls in, by its Europe/London date.
    pub fn of(at: DateTime<Utc>) -> Self {
        Self::containing(local_date(at))
    }

    /// 1 April, its first day.
    pub fn start_on(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March, its last day.
    pub fn end_on(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Whether a day falls in it.
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::containing(date) == self
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

/// A financial year stored by its label (`"2022-23"`), as events and the API write it.
pub mod label {
    use super::FinancialYear;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the label.
    pub fn serialize<S: Serializer>(
        year: &FinancialYear,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(year)
    }

    /// Reads a label, refusing anything else.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<FinancialYear, D::Error> {
        let label = String::deserialize(deserializer)?;
        FinancialYear::parse(&label).map_err(serde::de::Error::custom)
    }
}
