//! Checks the computed calendar (`super::rules`) and the hand-typed 2018–2030 table against a
//! second, independent statement of the standing rules plus the proclaimed exceptions, year by
//! year, so that a mistake in either fails a test.
//!
//! Deliberately written without looking at the production helpers: its own Easter computation
//! (the anonymous Gregorian algorithm, where production uses Oudin's), its own weekday
//! searches and its own spelling of the names.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::WorkingCalendar;
use super::bank_holidays::{BankHoliday, ENGLAND_AND_WALES, FIRST_TABLE_YEAR, LAST_TABLE_YEAR};
use super::rules;

type Row = (NaiveDate, String, bool);

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(
        year,
        u32::try_from(month).expect("month"),
        u32::try_from(day).expect("day"),
    )
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1).expect("first Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let mut day = date(year, month + 1, 1)
        .pred_opt()
        .expect("last day of month");
    while day.weekday() != Weekday::Mon {
        day = day.pred_opt().expect("earlier day");
    }
    day
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Holidays falling at a weekend move, in date order, to the next weekday not already taken;
/// holidays on a weekday keep their day (so 2022's Boxing Day stays on Monday the 26th and
/// Christmas moves to the 27th).
fn with_substitutes(fixed: &[(NaiveDate, &str)]) -> Vec<Row> {
    let mut taken: Vec<NaiveDate> = fixed
        .iter()
        .map(|(day, _)| *day)
        .filter(|day| !is_weekend(*day))
        .collect();
    let mut rows = Vec::new();
    for (day, name) in fixed {
        if !is_weekend(*day) {
            rows.push((*day, (*name).to_owned(), false));
            continue;
        }
        let mut substitute = *day;
        while is_weekend(substitute) || taken.contains(&substitute) {
            substitute = substitute + Days::new(1);
        }
        taken.push(substitute);
        rows.push((substitute, (*name).to_owned(), true));
    }
    rows
}

/// The holidays of `year` by the standing rules, before any proclaimed change.
fn standing_rules(year: i32) -> Vec<Row> {
    let easter = easter_sunday(year);
    let mut rows = with_substitutes(&[(date(year, 1, 1), "New Year’s Day")]);
    rows.push((easter - Days::new(2), "Good Friday".to_owned(), false));
    rows.push((easter + Days::new(1), "Easter Monday".to_owned(), false));
    rows.push((
        first_monday(year, 5),
        "Early May bank holiday".to_owned(),
        false,
    ));
    rows.push((
        last_monday(year, 5),
        "Spring bank holiday".to_owned(),
        false,
    ));
    rows.push((
        last_monday(year, 8),
        "Summer bank holiday".to_owned(),
        false,
    ));
    rows.extend(with_substitutes(&[
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "Boxing Day"),
    ]));
    rows
}

/// The standing rules with the changes proclaimed for that year applied.
fn expected(year: i32) -> Vec<Row> {
    let mut rows = standing_rules(year);
    let mut replace = |from: NaiveDate, to: NaiveDate, name: &str| {
        let row = rows
            .iter_mut()
            .find(|row| row.0 == from)
            .expect("the moved holiday exists under the standing rules");
        *row = (to, name.to_owned(), false);
    };
    match year {
        1995 => replace(
            date(1995, 5, 1),
            date(1995, 5, 8),
            "Early May bank holiday (VE Day)",
        ),
        2002 => replace(date(2002, 5, 27), date(2002, 6, 3), "Spring bank holiday"),
        2012 => replace(date(2012, 5, 28), date(2012, 6, 4), "Spring bank holiday"),
        2020 => replace(
            date(2020, 5, 4),
            date(2020, 5, 8),
            "Early May bank holiday (VE day)",
        ),
        2022 => replace(date(2022, 5, 30), date(2022, 6, 2), "Spring bank holiday"),
        _ => {}
    }
    let extra: &[(NaiveDate, &str)] = match year {
        1999 => &[(date(1999, 12, 31), "Millennium bank holiday")],
        2002 => &[(date(2002, 6, 4), "Golden Jubilee bank holiday")],
        2011 => &[(date(2011, 4, 29), "Royal wedding bank holiday")],
        2012 => &[(date(2012, 6, 5), "Diamond Jubilee bank holiday")],
        2022 => &[
            (date(2022, 6, 3), "Platinum Jubilee bank holiday"),
            (
                date(2022, 9, 19),
                "Bank Holiday for the State Funeral of Queen Elizabeth II",
            ),
        ],
        2023 => &[(
            date(2023, 5, 8),
            "Bank holiday for the coronation of King Charles III",
        )],
        _ => &[],
    };
    rows.extend(
        extra
            .iter()
            .map(|(day, name)| (*day, (*name).to_owned(), false)),
    );
    rows.sort();
    rows
}

fn rows(holidays: &[BankHoliday]) -> Vec<Row> {
    holidays
        .iter()
        .map(|h| (h.date(), h.name().to_owned(), h.is_substitute_day()))
        .collect()
}

fn shipped_by_year() -> BTreeMap<i32, Vec<Row>> {
    let mut by_year: BTreeMap<i32, Vec<Row>> = BTreeMap::new();
    for holiday in ENGLAND_AND_WALES {
        by_year.entry(holiday.date().year()).or_default().push((
            holiday.date(),
            holiday.name().to_owned(),
            holiday.is_substitute_day(),
        ));
    }
    by_year
}

#[test]
fn easter_algorithm_matches_known_dates() {
    // Published Easter Sundays, including the earliest and latest possible ones.
    assert_eq!(easter_sunday(2018), date(2018, 4, 1));
    assert_eq!(easter_sunday(2024), date(2024, 3, 31));
    assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    assert_eq!(easter_sunday(2285), date(2285, 3, 22));
    assert_eq!(easter_sunday(1990), date(1990, 4, 15));
    assert_eq!(easter_sunday(2000), date(2000, 4, 23));
    assert_eq!(easter_sunday(2100), date(2100, 3, 28));
}

#[test]
fn the_two_easter_algorithms_agree_on_every_supported_year_and_beyond() {
    for year in 1583..=4099 {
        assert_eq!(rules::easter_sunday(year), easter_sunday(year), "{year}");
    }
}

#[test]
fn computed_calendar_matches_the_rules_and_proclamations_1990_to_2100() {
    for year in WorkingCalendar::supported_years() {
        assert_eq!(
            rows(&rules::holidays_of(year)),
            expected(year),
            "bank holidays of {year}"
        );
    }
    let all = rules::england_and_wales();
    assert_eq!(all.first().map(BankHoliday::date), Some(date(1990, 1, 1)));
    assert_eq!(all.last().map(BankHoliday::date), Some(date(2100, 12, 28)));
    assert!(all.windows(2).all(|pair| pair[0].date() < pair[1].date()));
}

#[test]
fn computed_calendar_equals_the_published_table_2018_to_2030() {
    for year in FIRST_TABLE_YEAR..=LAST_TABLE_YEAR {
        assert_eq!(
            rows(&rules::holidays_of(year)),
            shipped_by_year()[&year],
            "bank holidays of {year}"
        );
    }
}

#[test]
fn shipped_table_matches_the_rules_and_proclamations_year_by_year() {
    let shipped = shipped_by_year();
    for year in FIRST_TABLE_YEAR..=LAST_TABLE_YEAR {
        let actual = shipped.get(&year).cloned().unwrap_or_default();
        assert_eq!(actual, expected(year), "bank holidays of {year}");
    }
}

#[test]
fn shipped_table_covers_exactly_the_shipped_years_in_date_order() {
    let years: Vec<i32> = shipped_by_year().into_keys().collect();
    let shipped: Vec<i32> = (FIRST_TABLE_YEAR..=LAST_TABLE_YEAR).collect();
    assert_eq!(years, shipped);
    assert!(
        ENGLAND_AND_WALES
            .windows(2)
            .all(|pair| pair[0].date() < pair[1].date()),
        "dates strictly increase, so none is listed twice"
    );
    assert!(
        ENGLAND_AND_WALES
            .iter()
            .map(BankHoliday::date)
            .all(|day| !is_weekend(day)),
        "every shipped holiday is a weekday: weekend ones are substituted"
    );
}

#[test]
fn the_one_off_changes_are_in_the_table() {
    let calendar = WorkingCalendar::england_and_wales();
    for (day, what) in [
        (date(2020, 5, 8), "VE Day 75"),
        (date(2022, 6, 2), "moved spring holiday"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State Funeral"),
        (date(2023, 5, 8), "Coronation"),
        (date(2021, 12, 27), "Christmas substitute"),
        (date(2021, 12, 28), "Boxing Day substitute"),
        (date(2022, 1, 3), "New Year substitute"),
        (date(2022, 12, 26), "Boxing Day"),
        (date(2022, 12, 27), "Christmas substitute"),
        (date(2023, 1, 2), "New Year substitute"),
    ] {
        assert!(!calendar.is_working_day(day), "{day} ({what}) is a holiday");
    }
    for (day, what) in [
        (date(2020, 5, 4), "first Monday of May 2020, moved"),
        (date(2022, 5, 30), "last Monday of May 2022, moved"),
    ] {
        assert!(calendar.is_working_day(day), "{day} ({what}) is worked");
    }
}
