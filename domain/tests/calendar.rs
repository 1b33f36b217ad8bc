//! The working-day calendar as deadline code uses it: the worked examples of domain.md, the
//! clock changes, admin-declared holidays, and arithmetic invariants under proptest.

use casetrail_domain::calendar::bank_holidays::ENGLAND_AND_WALES;
use casetrail_domain::calendar::{
    CLOSE_OF_BUSINESS, LAST_PUBLISHED_YEAR, WorkingCalendar, at_local_time, end_of_day,
    ensure_supported, is_provisional, local_date, rules,
};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use proptest::prelude::*;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time")
}

fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("valid instant")
        .with_timezone(&Utc)
}

#[test]
fn panel_notification_due_five_working_days_after_becoming_aware_over_christmas() {
    // Aware Thursday 2022-12-22; 26 and 27 Dec and 2 Jan are bank holidays.
    let calendar = WorkingCalendar::england_and_wales();
    let aware = date(2022, 12, 22);
    let due = calendar.add_working_days(aware, 5);
    assert_eq!(due, date(2023, 1, 3));
    assert_eq!(
        end_of_day(due),
        utc("2023-01-03T23:59:59.999999Z"),
        "GMT: local is UTC"
    );
    assert_eq!(calendar.working_days_between(aware, due), 5);
}

#[test]
fn rapid_review_milestones_skip_the_state_funeral() {
    let calendar = WorkingCalendar::england_and_wales();
    let day0 = date(2022, 9, 9);
    let day6 = calendar.add_working_days(day0, 6);
    assert_eq!(
        day6,
        date(2022, 9, 20),
        "Monday 19 September 2022 was a holiday"
    );
    assert_eq!(
        at_local_time(day6, CLOSE_OF_BUSINESS),
        utc("2022-09-20T16:00:00Z"),
        "17:00 BST"
    );
    assert_eq!(calendar.add_working_days(day0, 15), date(2022, 10, 3));
    assert_eq!(calendar.working_days_between(day0, date(2022, 10, 3)), 15);
}

#[test]
fn day_zero_need_not_be_a_working_day() {
    let calendar = WorkingCalendar::england_and_wales();
    let saturday = date(2022, 9, 17);
    assert_eq!(calendar.add_working_days(saturday, 0), saturday);
    assert_eq!(calendar.add_working_days(saturday, 1), date(2022, 9, 20));
    let state_funeral = date(2022, 9, 19);
    assert_eq!(
        calendar.add_working_days(state_funeral, 1),
        date(2022, 9, 20)
    );
}

#[test]
fn working_days_between_counts_after_from_up_to_to() {
    let calendar = WorkingCalendar::england_and_wales();
    let friday = date(2022, 9, 9);
    let tuesday = date(2022, 9, 20);
    assert_eq!(calendar.working_days_between(friday, friday), 0);
    assert_eq!(calendar.working_days_between(friday, tuesday), 6);
    assert_eq!(calendar.working_days_between(tuesday, friday), -6);
    // A weekend or holiday stretch holds no working day.
    assert_eq!(
        calendar.working_days_between(date(2022, 12, 23), date(2022, 12, 27)),
        0
    );
}

#[test]
fn extra_holidays_declared_by_an_admin_shift_deadlines() {
    let shipped = WorkingCalendar::england_and_wales();
    let day0 = date(2031, 3, 3);
    assert_eq!(shipped.add_working_days(day0, 3), date(2031, 3, 6));

    let proclaimed = date(2031, 3, 5);
    let extended = shipped.clone().with_extra_holidays([proclaimed]);
    assert!(!extended.is_working_day(proclaimed));
    assert_eq!(extended.add_working_days(day0, 3), date(2031, 3, 7));
    assert_eq!(extended.working_days_between(day0, date(2031, 3, 7)), 3);
    assert!(extended.holidays().any(|day| day == proclaimed));
    assert!(
        shipped.is_working_day(proclaimed),
        "the original is unchanged"
    );
}

#[test]
fn extra_holiday_at_a_weekend_changes_nothing() {
    let shipped = WorkingCalendar::england_and_wales();
    let extended = shipped.clone().with_extra_holidays([date(2031, 3, 8)]);
    let day0 = date(2031, 3, 6);
    assert_eq!(
        extended.add_working_days(day0, 5),
        shipped.add_working_days(day0, 5)
    );
    assert_eq!(
        extended.working_days_between(day0, date(2031, 3, 20)),
        shipped.working_days_between(day0, date(2031, 3, 20))
    );
}

#[test]
fn supported_years_and_holidays_line_up() {
    let calendar = WorkingCalendar::england_and_wales();
    assert_eq!(WorkingCalendar::supported_years(), 1990..=2100);
    let holidays: Vec<NaiveDate> = calendar.holidays().collect();
    assert_eq!(holidays.first(), Some(&date(1990, 1, 1)));
    // Christmas 2100 is a Saturday: Monday 27th and Tuesday 28th are the substitutes.
    assert_eq!(holidays.last(), Some(&date(2100, 12, 28)));
    assert!(holidays.windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn aware_just_before_christmas_2017_counts_the_christmas_and_new_year_holidays() {
    // Thursday 21 December 2017: Friday 22nd, Wednesday 27th to Friday 29th and Tuesday
    // 2 January are the five working days (25, 26 December and 1 January are holidays).
    let calendar = WorkingCalendar::england_and_wales();
    assert_eq!(
        calendar.add_working_days(date(2017, 12, 21), 5),
        date(2018, 1, 2)
    );
}

#[test]
fn holidays_of_the_1990s_and_the_millennium() {
    let calendar = WorkingCalendar::england_and_wales();
    for (day, what) in [
        (
            date(1990, 4, 13),
            "Good Friday 1990 (Easter Sunday 15 April)",
        ),
        (date(1990, 4, 16), "Easter Monday 1990"),
        (date(1990, 5, 7), "first Monday of May 1990"),
        (date(1990, 5, 28), "last Monday of May 1990"),
        (date(1990, 8, 27), "last Monday of August 1990"),
        (
            date(1993, 12, 27),
            "Christmas 1993 (a Saturday), substitute",
        ),
        (date(1993, 12, 28), "Boxing Day 1993 (a Sunday), substitute"),
        (date(1994, 1, 3), "New Year 1994 (a Saturday), substitute"),
        (date(1994, 12, 26), "Boxing Day 1994 (Christmas a Sunday)"),
        (date(1994, 12, 27), "Christmas 1994 substitute"),
        (date(1995, 1, 2), "New Year 1995 (a Sunday), substitute"),
        (date(1995, 5, 8), "VE Day 50, early May moved"),
        (date(1999, 12, 31), "Millennium"),
        (date(2000, 1, 3), "New Year 2000 (a Saturday), substitute"),
        (date(2002, 6, 3), "spring holiday moved"),
        (date(2002, 6, 4), "Golden Jubilee"),
        (date(2011, 4, 29), "Royal wedding"),
        (date(2012, 6, 4), "spring holiday moved"),
        (date(2012, 6, 5), "Diamond Jubilee"),
        (date(2020, 5, 8), "VE Day 75"),
        (date(2022, 6, 2), "spring holiday moved"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State Funeral"),
        (date(2023, 5, 8), "Coronation"),
        (
            date(2100, 3, 26),
            "Good Friday 2100 (Easter Sunday 28 March)",
        ),
    ] {
        assert!(!calendar.is_working_day(day), "{day} ({what}) is a holiday");
    }
    for (day, what) in [
        (date(1995, 5, 1), "first Monday of May 1995, moved"),
        (date(2002, 5, 27), "last Monday of May 2002, moved"),
        (date(2012, 5, 28), "last Monday of May 2012, moved"),
        (date(2020, 5, 4), "first Monday of May 2020, moved"),
        (date(2022, 5, 30), "last Monday of May 2022, moved"),
    ] {
        assert!(calendar.is_working_day(day), "{day} ({what}) is worked");
    }
}

#[test]
fn dates_outside_1990_to_2100_are_refused_with_a_stable_code() {
    for day in [date(1989, 12, 31), date(2101, 1, 1), NaiveDate::MIN] {
        let refused = ensure_supported("became_aware_on", day).expect_err("out of range");
        assert_eq!(refused.code, "calendar.date_out_of_range");
        assert!(refused.message.contains("1990-01-01 to 2100-12-31"));
    }
    assert!(ensure_supported("became_aware_on", date(1990, 1, 1)).is_ok());
    assert!(ensure_supported("became_aware_on", date(2100, 12, 31)).is_ok());
}

#[test]
fn a_due_date_after_the_last_published_year_is_provisional() {
    assert_eq!(LAST_PUBLISHED_YEAR, 2027);
    assert!(!is_provisional(end_of_day(date(2027, 12, 31))));
    assert!(is_provisional(end_of_day(date(2028, 1, 4))));
    // The London date decides (GMT in winter, so the same as UTC here).
    assert!(is_provisional(utc("2028-01-01T00:00:00Z")));
    assert!(!is_provisional(utc("2027-12-31T23:59:59Z")));
}

#[test]
fn end_of_day_and_close_of_business_follow_bst_and_gmt() {
    // Clocks go forward on Sunday 2022-03-27 and back on Sunday 2022-10-30.
    assert_eq!(
        end_of_day(date(2022, 3, 26)),
        utc("2022-03-26T23:59:59.999999Z")
    );
    assert_eq!(
        end_of_day(date(2022, 3, 27)),
        utc("2022-03-27T22:59:59.999999Z")
    );
    assert_eq!(
        end_of_day(date(2022, 10, 29)),
        utc("2022-10-29T22:59:59.999999Z")
    );
    assert_eq!(
        end_of_day(date(2022, 10, 30)),
        utc("2022-10-30T23:59:59.999999Z")
    );
    assert_eq!(
        at_local_time(date(2022, 3, 27), CLOSE_OF_BUSINESS),
        utc("2022-03-27T16:00:00Z")
    );
    assert_eq!(
        at_local_time(date(2022, 10, 30), CLOSE_OF_BUSINESS),
        utc("2022-10-30T17:00:00Z")
    );
    assert_eq!(CLOSE_OF_BUSINESS, time(17, 0));
}

#[test]
fn a_time_skipped_by_the_clocks_going_forward_is_due_when_they_jump() {
    // 01:00 GMT on 2022-03-27 became 02:00 BST: 01:00 to 01:59 local never happened.
    let jump = utc("2022-03-27T01:00:00Z");
    assert_eq!(at_local_time(date(2022, 3, 27), time(1, 0)), jump);
    assert_eq!(at_local_time(date(2022, 3, 27), time(1, 30)), jump);
    assert_eq!(
        at_local_time(date(2022, 3, 27), time(2, 0)),
        jump,
        "02:00 BST is the first local time after the gap"
    );
    assert_eq!(
        at_local_time(date(2022, 3, 27), time(0, 59)),
        utc("2022-03-27T00:59:00Z")
    );
    // The same rule in a later year.
    assert_eq!(
        at_local_time(date(2030, 3, 31), time(1, 30)),
        utc("2030-03-31T01:00:00Z")
    );
}

#[test]
fn a_time_repeated_by_the_clocks_going_back_is_its_first_occurrence() {
    // 02:00 BST on 2022-10-30 became 01:00 GMT: 01:00 to 01:59 local happened twice.
    assert_eq!(
        at_local_time(date(2022, 10, 30), time(1, 30)),
        utc("2022-10-30T00:30:00Z"),
        "01:30 BST, not 01:30 GMT"
    );
    assert_eq!(
        at_local_time(date(2022, 10, 30), time(2, 0)),
        utc("2022-10-30T02:00:00Z")
    );
}

#[test]
fn local_date_is_the_london_calendar_day() {
    // 23:30 UTC in summer is already the next day in London.
    assert_eq!(local_date(utc("2022-09-19T23:30:00Z")), date(2022, 9, 20));
    assert_eq!(local_date(utc("2022-12-22T23:30:00Z")), date(2022, 12, 22));
    assert_eq!(local_date(end_of_day(date(2022, 9, 20))), date(2022, 9, 20));
    assert_eq!(local_date(end_of_day(date(2023, 1, 3))), date(2023, 1, 3));
}

#[test]
fn extremes_of_chrono_s_range_saturate_without_panicking() {
    let calendar = WorkingCalendar::england_and_wales();
    assert_eq!(calendar.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
    assert_eq!(
        calendar.add_working_days(NaiveDate::MIN, u32::MAX),
        NaiveDate::MAX
    );
    assert!(calendar.working_days_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
    assert!(calendar.working_days_between(NaiveDate::MAX, NaiveDate::MIN) < 0);
    // Only that it answers: London's local mean time puts these outside chrono's range.
    let _ = local_date(DateTime::<Utc>::MIN_UTC);
    let _ = local_date(DateTime::<Utc>::MAX_UTC);
    let _ = end_of_day(NaiveDate::MAX);
    let _ = at_local_time(NaiveDate::MIN, NaiveTime::MIN);
}

/// Any date chrono can represent, as days from the common era.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let min = NaiveDate::MIN.num_days_from_ce();
    let max = NaiveDate::MAX.num_days_from_ce();
    (min..=max).prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).expect("in range"))
}

/// Dates around the shipped years, where holidays are dense enough to matter.
fn recent_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..=(16 * 366)).prop_map(|offset| date(2016, 1, 1) + Days::new(offset))
}

/// A calendar with a few admin-declared holidays on top of the shipped ones.
fn calendar_with_extras() -> impl Strategy<Value = WorkingCalendar> {
    proptest::collection::vec(recent_date(), 0..8)
        .prop_map(|extra| WorkingCalendar::england_and_wales().with_extra_holidays(extra))
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day(
        calendar in calendar_with_extras(),
        day0 in recent_date(),
        n in 1u32..400,
    ) {
        prop_assert!(calendar.is_working_day(calendar.add_working_days(day0, n)));
    }

    #[test]
    fn adding_working_days_is_strictly_monotonic_in_n(
        calendar in calendar_with_extras(),
        day0 in recent_date(),
        n in 0u32..400,
    ) {
        let here = calendar.add_working_days(day0, n);
        let next = calendar.add_working_days(day0, n + 1);
        prop_assert!(here < next);
        // Nothing is skipped: no working day lies strictly between the two.
        prop_assert_eq!(calendar.working_days_between(here, next), 1);
    }

    #[test]
    fn adding_then_counting_round_trips(
        calendar in calendar_with_extras(),
        day0 in recent_date(),
        n in 0u32..400,
    ) {
        let due = calendar.add_working_days(day0, n);
        prop_assert_eq!(calendar.working_days_between(day0, due), i64::from(n));
        prop_assert_eq!(calendar.working_days_between(due, day0), -i64::from(n));
    }

    #[test]
    fn counting_matches_a_day_by_day_walk(
        calendar in calendar_with_extras(),
        from in recent_date(),
        span in 0u64..60,
    ) {
        let to = from + Days::new(span);
        let walked = (1..=span)
            .map(|offset| from + Days::new(offset))
            .filter(|day| calendar.is_working_day(*day))
            .count();
        let walked = i64::try_from(walked).expect("at most 60 days");
        prop_assert_eq!(calendar.working_days_between(from, to), walked);
    }

    #[test]
    fn arithmetic_answers_anywhere_in_chrono_s_range(
        day0 in any_date(),
        other in any_date(),
        n in any::<u32>(),
    ) {
        let calendar = WorkingCalendar::england_and_wales();
        let due = calendar.add_working_days(day0, n);
        prop_assert!(due >= day0);
        if due < NaiveDate::MAX {
            prop_assert!(calendar.is_working_day(due) || n == 0);
            prop_assert_eq!(calendar.working_days_between(day0, due), i64::from(n));
        }
        prop_assert_eq!(
            calendar.working_days_between(day0, other),
            -calendar.working_days_between(other, day0)
        );
    }

    #[test]
    fn time_helpers_answer_anywhere_in_chrono_s_range(
        day in any_date(),
        seconds in 0u32..86_400,
    ) {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).expect("in a day");
        let instant = at_local_time(day, time);
        let _ = end_of_day(day);
        let _ = local_date(instant);
    }

    #[test]
    fn a_local_time_maps_back_to_its_own_date(
        day in recent_date(),
        seconds in 0u32..86_400,
    ) {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).expect("in a day");
        prop_assert_eq!(local_date(at_local_time(day, time)), day);
        prop_assert!(at_local_time(day, time) <= end_of_day(day));
    }
}

#[test]
fn working_days_before_is_the_last_day_that_leaves_n_working_days() {
    let cal = WorkingCalendar::england_and_wales();
    let date = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    // Publication on Tuesday 3 January 2023: the seven working days before it are 21, 22, 23,
    // 28, 29, 30 December and 3 January (Christmas, Boxing Day, the 27th and 2 January being
    // bank holidays), so the report is due by Tuesday 20 December 2022.
    let day = cal.working_days_before(date("2023-01-03"), 7);
    assert_eq!(cal.working_days_between(day, date("2023-01-03")), 7);
    assert_eq!(day, date("2022-12-20"));
    assert_eq!(
        cal.working_days_before(date("2023-01-03"), 0),
        date("2023-01-03")
    );
}

proptest::proptest! {
    #[test]
    fn working_days_before_round_trips(offset in 0u32..5000, n in 1u32..30) {
        let cal = WorkingCalendar::england_and_wales();
        let date = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).expect("date") + chrono::Days::new(u64::from(offset));
        let day = cal.working_days_before(date, n);
        proptest::prop_assert!(cal.is_working_day(day));
        proptest::prop_assert_eq!(cal.working_days_between(day, date), i64::from(n));
    }
}

proptest::proptest! {
    #[test]
    fn computed_calendar_agrees_with_the_published_table_2018_to_2030(
        offset in 0u64..(13 * 366),
    ) {
        let day = date(2018, 1, 1) + Days::new(offset);
        proptest::prop_assume!(day.year() <= 2030);
        let calendar = WorkingCalendar::england_and_wales();
        let listed = ENGLAND_AND_WALES.iter().any(|h| h.date() == day);
        let weekday = day.weekday().num_days_from_monday() < 5;
        proptest::prop_assert_eq!(calendar.is_working_day(day), weekday && !listed);
    }

    #[test]
    fn a_day_is_worked_unless_a_weekend_or_a_holiday_of_its_year(
        offset in 0u64..(111 * 366),
    ) {
        let day = date(1990, 1, 1) + Days::new(offset);
        proptest::prop_assume!(day.year() <= 2100);
        let calendar = WorkingCalendar::england_and_wales();
        let holiday = rules::holidays_of(day.year()).iter().any(|h| h.date() == day);
        let weekday = day.weekday().num_days_from_monday() < 5;
        proptest::prop_assert_eq!(calendar.is_working_day(day), weekday && !holiday);
        // Every holiday of the computed set is a weekday: weekend ones are substituted.
        proptest::prop_assert!(!holiday || weekday);
    }
}
