//! The adult at the heart of a safeguarding adult review, or the victim of a domestic homicide:
//! what the partnership may process about them without identifying them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Age band of an adult (or of a domestic homicide victim, who may be 16 or 17), in the bands
/// national adult social care and homicide statistics use. Stored instead of the date of birth
/// so statistics never need personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AdultAgeBand {
    /// 16 or 17 years (domestic homicide victims only).
    #[serde(rename = "16_to_17")]
    From16To17,
    /// 18 to 24 years.
    #[serde(rename = "18_to_24")]
    From18To24,
    /// 25 to 34 years.
    #[serde(rename = "25_to_34")]
    From25To34,
    /// 35 to 44 years.
    #[serde(rename = "35_to_44")]
    From35To44,
    /// 45 to 54 years.
    #[serde(rename = "45_to_54")]
    From45To54,
    /// 55 to 64 years.
    #[serde(rename = "55_to_64")]
    From55To64,
    /// 65 to 74 years.
    #[serde(rename = "65_to_74")]
    From65To74,
    /// 75 to 84 years.
    #[serde(rename = "75_to_84")]
    From75To84,
    /// 85 years or over.
    #[serde(rename = "85_and_over")]
    From85,
}

impl AdultAgeBand {
    /// The band for an age in whole years; `None` under 16.
    pub fn for_age(years: u32) -> Option<AdultAgeBand> {
        match years {
            0..=15 => None,
            16 | 17 => Some(AdultAgeBand::From16To17),
            18..=24 => Some(AdultAgeBand::From18To24),
            25..=34 => Some(AdultAgeBand::From25To34),
            35..=44 => Some(AdultAgeBand::From35To44),
            45..=54 => Some(AdultAgeBand::From45To54),
            55..=64 => Some(AdultAgeBand::From55To64),
            65..=74 => Some(AdultAgeBand::From65To74),
            75..=84 => Some(AdultAgeBand::From75To84),
            _ => Some(AdultAgeBand::From85),
        }
    }
}

/// An adult or a victim, without identifying details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonProfile {
    /// The referring or notifying organisation's pseudonymous reference.
    pub reference: String,
    /// Age band (at the referral for an adult, at death for a victim).
    pub age_band: AdultAgeBand,
    /// Sex as recorded.
    pub sex: String,
    /// Ethnicity as recorded.
    pub ethnicity: String,
}

/// Whole years from `from` to `to` (an age on a day).
pub fn whole_years_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_start_at_sixteen() {
        assert_eq!(AdultAgeBand::for_age(15), None);
        assert_eq!(AdultAgeBand::for_age(16), Some(AdultAgeBand::From16To17));
        assert_eq!(AdultAgeBand::for_age(18), Some(AdultAgeBand::From18To24));
        assert_eq!(AdultAgeBand::for_age(84), Some(AdultAgeBand::From75To84));
        assert_eq!(AdultAgeBand::for_age(101), Some(AdultAgeBand::From85));
    }

    #[test]
    fn an_age_counts_whole_years() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap_or(NaiveDate::MIN);
        assert_eq!(
            whole_years_between(day("2004-12-22"), day("2022-12-21")),
            17
        );
        assert_eq!(
            whole_years_between(day("2004-12-22"), day("2022-12-22")),
            18
        );
    }
}
