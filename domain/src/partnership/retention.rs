//! How long a partnership keeps the personal details of a closed case (issue 12), and when
//! that period ends.
//!
//! No statute fixes it for case reviews: UK GDPR Art. 5(1)(e) (storage limitation) requires
//! no longer than necessary, and each partnership sets the periods in its own retention
//! schedule. The defaults follow common practice for children's social care records (until the
//! 25th birthday) and the six years of the Limitation Act 1980 s2 after closure.

use crate::DomainError;
use crate::case::CaseKind;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period a partnership may set, in years.
pub const MAX_YEARS: u32 = 100;

/// A partnership's retention periods, per kind of case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Child cases: kept at least until the end of the year in which the child reaches this
    /// age (18 to 100).
    pub child_until_age: u32,
    /// Child cases: and at least this many years after closure, whichever is later (1 to 100).
    pub child_years_after_closure: u32,
    /// Safeguarding adult reviews: years after closure (1 to 100).
    pub adult_years_after_closure: u32,
    /// Domestic homicide reviews: years after closure (1 to 100).
    pub domestic_homicide_years_after_closure: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            child_until_age: 25,
            child_years_after_closure: 6,
            adult_years_after_closure: 6,
            domestic_homicide_years_after_closure: 6,
        }
    }
}

/// `years` calendar years after `day` (29 February becomes 28 February).
fn years_after(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

impl RetentionSettings {
    /// Whether these are the defaults (left out of stored events, so events written before
    /// retention existed and those written since with the defaults read the same).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Refuses a period outside the accepted range, naming the field.
    pub fn validate(&self) -> Result<(), DomainError> {
        let fields = [
            ("retention.child_until_age", self.child_until_age, 18),
            (
                "retention.child_years_after_closure",
                self.child_years_after_closure,
                1,
            ),
            (
                "retention.adult_years_after_closure",
                self.adult_years_after_closure,
                1,
            ),
            (
                "retention.domestic_homicide_years_after_closure",
                self.domestic_homicide_years_after_closure,
                1,
            ),
        ];
        for (field, value, min) in fields {
            if !(min..=MAX_YEARS).contains(&value) {
                return Err(DomainError::invalid_field(
                    field,
                    "field.invalid",
                    format!("{field} must be {min} to {MAX_YEARS}"),
                ));
            }
        }
        Ok(())
    }

    /// The last day of the period that only closure decides: the due date of adult and
    /// domestic homicide cases, and the earliest a child case can be due. None for an audit,
    /// which holds no personal data to erase.
    pub fn closure_rule_ends_on(&self, kind: CaseKind, closed_on: NaiveDate) -> Option<NaiveDate> {
        let years = match kind {
            CaseKind::Child => self.child_years_after_closure,
            CaseKind::Adult => self.adult_years_after_closure,
            CaseKind::DomesticHomicide => self.domestic_homicide_years_after_closure,
            CaseKind::Audit => return None,
        };
        Some(years_after(closed_on, years))
    }

    /// The day the retention period ends: after it the personal details should be erased.
    /// A child case needs the child's date of birth; the age rule ends on 31 December of the
    /// year the child reaches the age, so that the answer never gives away the exact date of
    /// birth (only the year, which the age band nearly tells already).
    pub fn ends_on(
        &self,
        kind: CaseKind,
        closed_on: NaiveDate,
        date_of_birth: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let closure = self.closure_rule_ends_on(kind, closed_on)?;
        Some(match (kind, date_of_birth) {
            (CaseKind::Child, Some(born)) => {
                let year = born.year().saturating_add_unsigned(self.child_until_age);
                let age = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
                closure.max(age)
            }
            _ => closure,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_child_case_is_kept_until_the_later_of_the_two_rules() {
        let r = RetentionSettings::default();
        // Born 2016: the 25th birthday's year ends after six years from a 2023 closure.
        assert_eq!(
            r.ends_on(CaseKind::Child, day("2023-05-10"), Some(day("2016-03-01"))),
            Some(day("2041-12-31"))
        );
        // Born 1995, closed 2021: six years after closure is later.
        assert_eq!(
            r.ends_on(CaseKind::Child, day("2021-05-10"), Some(day("1995-03-01"))),
            Some(day("2027-05-10"))
        );
        // Adults and victims: closure only, whatever the birth.
        assert_eq!(
            r.ends_on(CaseKind::Adult, day("2020-02-29"), Some(day("2000-01-01"))),
            Some(day("2026-02-28"))
        );
        let dhr = RetentionSettings {
            domestic_homicide_years_after_closure: 10,
            ..r
        };
        assert_eq!(
            dhr.ends_on(CaseKind::DomesticHomicide, day("2020-01-31"), None),
            Some(day("2030-01-31"))
        );
        // An audit holds no personal data: nothing to erase, ever.
        assert_eq!(r.ends_on(CaseKind::Audit, day("2020-01-31"), None), None);
    }

    #[test]
    fn periods_out_of_range_are_refused_with_the_field() {
        assert!(RetentionSettings::default().validate().is_ok());
        let young = RetentionSettings {
            child_until_age: 17,
            ..RetentionSettings::default()
        };
        let err = young.validate().unwrap_err();
        assert_eq!(err.field_errors[0].field, "retention.child_until_age");
        let none = RetentionSettings {
            adult_years_after_closure: 0,
            ..RetentionSettings::default()
        };
        assert!(none.validate().is_err());
        let forever = RetentionSettings {
            domestic_homicide_years_after_closure: 101,
            ..RetentionSettings::default()
        };
        assert!(forever.validate().is_err());
        let longest = RetentionSettings {
            child_until_age: 100,
            child_years_after_closure: 100,
            adult_years_after_closure: 100,
            domestic_homicide_years_after_closure: 100,
        };
        assert!(longest.validate().is_ok());
    }
}
