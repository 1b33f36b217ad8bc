//! Given/when/then tests of declaring, withdrawing and moving bank holidays.
#![allow(clippy::unwrap_used)]

use super::tests::{admin, established, now, refused, state, when};
use super::*;
use crate::ErrorKind;
use crate::calendar::history::CalendarChange;
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn correction(reason: &str) -> Option<Correction> {
    Some(Correction {
        reason: reason.into(),
    })
}

fn declare(day: &str, correction: Option<Correction>) -> PartnershipCommand {
    PartnershipCommand::DeclareBankHoliday {
        date: date(day),
        name: "Proclaimed bank holiday".into(),
        correction,
    }
}

#[test]
fn a_declaration_records_when_it_was_decided() {
    // Today (2 March 2026) may be declared: deadlines still running today move.
    let events = when(&established(), declare("2026-03-02", None)).unwrap();
    assert_eq!(
        events,
        vec![PartnershipEvent::BankHolidayDeclared {
            date: date("2026-03-02"),
            name: "Proclaimed bank holiday".into(),
            declared_at: now(),
            correction: None,
        }]
    );
    let mut all = established();
    all.extend(events);
    let partnership = state(&all);
    assert_eq!(
        partnership.calendar_history[0].change,
        CalendarChange::Declared(date("2026-03-02"))
    );
    assert_eq!(partnership.calendar_history[0].at, now());
}

#[test]
fn a_day_in_the_past_is_refused_unless_a_correction_with_a_reason() {
    let yesterday = "2026-02-27";
    let (kind, code) = refused(when(&established(), declare(yesterday, None)));
    assert_eq!((kind, code), (ErrorKind::Invalid, "holiday.in_the_past"));
    let events = when(
        &established(),
        declare(
            yesterday,
            correction("  the proclamation was recorded late "),
        ),
    )
    .unwrap();
    let PartnershipEvent::BankHolidayDeclared {
        correction: recorded,
        ..
    } = &events[0]
    else {
        panic!("a declaration");
    };
    assert_eq!(
        recorded.as_ref().unwrap().reason,
        "the proclamation was recorded late"
    );
    assert_eq!(
        refused(when(&established(), declare(yesterday, correction("  ")))),
        (ErrorKind::Invalid, "field.invalid")
    );
}

#[test]
fn days_outside_1990_to_2100_are_refused() {
    for day in ["2101-01-03", "1989-12-29"] {
        assert_eq!(
            refused(when(&established(), declare(day, correction("x")))),
            (ErrorKind::Invalid, "calendar.date_out_of_range")
        );
    }
}

#[test]
fn a_holiday_can_be_withdrawn_and_only_a_holiday() {
    // The early May holiday 2026 (Monday 4 May), a holiday of the computed calendar.
    let withdraw = |day: &str, correction| PartnershipCommand::WithdrawBankHoliday {
        date: date(day),
        correction,
    };
    let events = when(&established(), withdraw("2026-05-04", None)).unwrap();
    assert_eq!(
        events,
        vec![PartnershipEvent::BankHolidayWithdrawn {
            date: date("2026-05-04"),
            withdrawn_at: now(),
            correction: None,
        }]
    );
    let mut all = established();
    all.extend(events);
    assert!(state(&all).calendar.is_working_day(date("2026-05-04")));
    assert_eq!(
        refused(when(&all, withdraw("2026-05-04", None))),
        (ErrorKind::Conflict, "holiday.not_a_holiday")
    );
    // Good Friday 2025 is past: only a correction may withdraw it.
    assert_eq!(
        refused(when(&established(), withdraw("2025-04-18", None))),
        (ErrorKind::Invalid, "holiday.in_the_past")
    );
    assert!(when(&established(), withdraw("2025-04-18", correction("wrong"))).is_ok());
}

#[test]
fn a_holiday_moves_to_a_working_weekday_keeping_its_name() {
    let move_to = |from: &str, to: &str| PartnershipCommand::MoveBankHoliday {
        from: date(from),
        to: date(to),
        name: None,
        correction: None,
    };
    // As in 2020: the early May holiday moved from Monday 4 May to Friday 8 May 2026.
    let events = when(&established(), move_to("2026-05-04", "2026-05-08")).unwrap();
    assert_eq!(
        events,
        vec![PartnershipEvent::BankHolidayMoved {
            from: date("2026-05-04"),
            to: date("2026-05-08"),
            name: "Early May bank holiday".into(),
            moved_at: now(),
            correction: None,
        }]
    );
    let mut all = established();
    all.extend(events);
    let partnership = state(&all);
    assert!(partnership.calendar.is_working_day(date("2026-05-04")));
    assert!(!partnership.calendar.is_working_day(date("2026-05-08")));
    assert_eq!(
        partnership.declared_holidays[&date("2026-05-08")],
        "Early May bank holiday"
    );
    assert_eq!(
        refused(when(&established(), move_to("2026-05-04", "2026-05-09"))),
        (ErrorKind::Invalid, "holiday.weekend")
    );
    assert_eq!(
        refused(when(&established(), move_to("2026-05-05", "2026-05-08"))),
        (ErrorKind::Conflict, "holiday.not_a_holiday")
    );
    assert_eq!(
        refused(when(&established(), move_to("2026-05-04", "2026-05-25"))),
        (ErrorKind::Conflict, "holiday.already_a_holiday")
    );
    assert_eq!(
        refused(when(&established(), move_to("2025-05-05", "2026-05-08"))),
        (ErrorKind::Invalid, "holiday.in_the_past")
    );
}

#[test]
fn only_an_admin_changes_the_calendar() {
    let mut manager = admin();
    manager.roles = [Role::BusinessManager].into_iter().collect();
    let result = decide(
        Some(&state(&established())),
        &declare("2026-06-01", None),
        Some(&manager),
        now(),
    );
    assert_eq!(
        refused(result),
        (ErrorKind::Forbidden, "auth.role_required")
    );
}
