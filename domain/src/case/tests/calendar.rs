//! The calendar as a case's deadlines meet it: the supported years, provisional deadlines,
//! and holidays declared, withdrawn or moved after a deadline started (docs/rules.md, section 2).

use super::*;
use crate::calendar::end_of_day;
use crate::calendar::history::Correction;
use crate::deadline::{DeadlineKind, DeadlineStatus};
use crate::partnership::PartnershipEvent;

fn panel_deadline(events: &[CaseEvent], partnership: &Partnership) -> crate::deadline::Deadline {
    Case::replay(events)
        .unwrap()
        .deadlines(partnership)
        .into_iter()
        .find(|d| d.kind == DeadlineKind::PanelNotification)
        .unwrap()
}

/// Southend after these calendar changes.
fn southend_after(changes: &[PartnershipEvent]) -> Partnership {
    changes
        .iter()
        .fold(Some(southend()), Partnership::evolve)
        .unwrap()
}

fn declared(date_: &str, at: &str, correction: Option<&str>) -> PartnershipEvent {
    PartnershipEvent::BankHolidayDeclared {
        date: date(date_),
        name: "Proclaimed bank holiday".into(),
        declared_at: instant(at),
        correction: correction.map(|reason| Correction {
            reason: reason.into(),
        }),
    }
}

/// Aware Thursday 2022-12-22: due at the end of Tuesday 2023-01-03 under the computed calendar.
fn aware_before_christmas_2022() -> Vec<CaseEvent> {
    vec![notified_on("2022-12-22", "2022-12-22T10:00:00Z")]
}

#[test]
fn aware_on_21_december_2017_is_due_on_2_january_2018() {
    let events = vec![notified_on("2017-12-21", "2017-12-21T10:00:00Z")];
    let deadline = panel_deadline(&events, &southend());
    assert_eq!(deadline.due_at, end_of_day(date("2018-01-02")));
    assert!(!deadline.provisional);
}

#[test]
fn a_notification_outside_1990_to_2100_is_refused() {
    let mut command = notify();
    command.child.date_of_birth = date("1985-03-01");
    command.incident_date = date("1989-12-18");
    command.became_aware_on = date("1989-12-20");
    let (kind, code, field) =
        refused_field(given(vec![]).when(&notifier(), now(), CaseCommand::NotifyIncident(command)));
    assert_eq!(
        (kind, code),
        (ErrorKind::Invalid, "calendar.date_out_of_range")
    );
    assert_eq!(field, "incident_date");
}

#[test]
fn a_deadline_falling_after_2100_is_refused_too() {
    // Aware Tuesday 28 December 2100: the fifth working day is in 2101.
    let mut command = notify();
    command.child.date_of_birth = date("2095-03-01");
    command.incident_date = date("2100-12-27");
    command.became_aware_on = date("2100-12-28");
    let (kind, code, field) = refused_field(given(vec![]).when(
        &notifier(),
        instant("2100-12-29T10:00:00Z"),
        CaseCommand::NotifyIncident(command),
    ));
    assert_eq!(
        (kind, code, field.as_str()),
        (
            ErrorKind::Invalid,
            "calendar.date_out_of_range",
            "panel_notification"
        )
    );
}

#[test]
fn a_deadline_after_the_last_published_year_is_provisional() {
    // Aware Thursday 2027-12-23: 27, 28 December (Christmas falls on a Saturday) and 3 January
    // 2028 (New Year on a Saturday) are holidays, so the notification is due on 4 January 2028,
    // a year gov.uk has not published.
    let late = vec![notified_on("2027-12-23", "2027-12-23T10:00:00Z")];
    let deadline = panel_deadline(&late, &southend());
    assert_eq!(deadline.due_at, end_of_day(date("2028-01-04")));
    assert!(deadline.provisional);
    let early = vec![notified_on("2027-12-16", "2027-12-16T10:00:00Z")];
    let deadline = panel_deadline(&early, &southend());
    assert_eq!(deadline.due_at, end_of_day(date("2027-12-23")));
    assert!(!deadline.provisional);
}

#[test]
fn a_declaration_moves_only_the_deadlines_still_pending_when_it_is_recorded() {
    // Friday 30 December 2022 is declared on the 23rd. A notification still to be made then
    // moves a working day later; one already made on the 22nd keeps its due instant, although
    // the holiday falls within its five working days.
    let partnership = southend_after(&[declared("2022-12-30", "2022-12-23T10:00:00Z", None)]);
    let pending = aware_before_christmas_2022();
    assert_eq!(
        panel_deadline(&pending, &partnership).due_at,
        end_of_day(date("2023-01-04"))
    );
    let met = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2022-12-22", "2022-12-22T15:00:00Z")],
    );
    assert_eq!(
        panel_deadline(&met, &partnership).due_at,
        end_of_day(date("2023-01-03"))
    );
}

#[test]
fn a_met_late_deadline_stays_met_late_after_a_later_declaration() {
    // Notified on Wednesday 4 January 2023, a day late. A declaration recorded afterwards for
    // a day inside the five working days (as an old row could carry) does not make it on time.
    let events = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2023-01-04", "2023-01-04T10:00:00Z")],
    );
    let later = instant("2023-02-01T00:00:00Z");
    let partnership = southend_after(&[declared("2022-12-30", "2023-01-05T10:00:00Z", None)]);
    let deadline = panel_deadline(&events, &partnership);
    assert_eq!(deadline.due_at, end_of_day(date("2023-01-03")));
    assert_eq!(
        deadline.status(later, &partnership.calendar),
        DeadlineStatus::MetLate
    );
    // A breached one is settled too: still unmet when the declaration comes, it stays breached.
    let breached = panel_deadline(&aware_before_christmas_2022(), &partnership);
    assert_eq!(breached.due_at, end_of_day(date("2023-01-03")));
}

#[test]
fn a_correction_applies_to_every_deadline() {
    let events = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2023-01-04", "2023-01-04T10:00:00Z")],
    );
    let partnership = southend_after(&[declared(
        "2022-12-30",
        "2023-01-05T10:00:00Z",
        Some("the calendar missed a proclaimed holiday"),
    )]);
    let deadline = panel_deadline(&events, &partnership);
    assert_eq!(deadline.due_at, end_of_day(date("2023-01-04")));
    assert_eq!(
        deadline.status(instant("2023-02-01T00:00:00Z"), &partnership.calendar),
        DeadlineStatus::Met
    );
}

#[test]
fn withdrawing_and_moving_a_holiday_reach_pending_deadlines() {
    let pending = aware_before_christmas_2022();
    // Tuesday 27 December (Christmas substitute) withdrawn on the 23rd: worked, so the fifth
    // working day is Friday 30 December.
    let withdrawn = southend_after(&[PartnershipEvent::BankHolidayWithdrawn {
        date: date("2022-12-27"),
        withdrawn_at: instant("2022-12-23T10:00:00Z"),
        correction: None,
    }]);
    assert_eq!(
        panel_deadline(&pending, &withdrawn).due_at,
        end_of_day(date("2022-12-30"))
    );
    // Monday 2 January (New Year substitute) moved to Friday 6 January on the 23rd: the fifth
    // working day is Monday 2 January.
    let moved = southend_after(&[PartnershipEvent::BankHolidayMoved {
        from: date("2023-01-02"),
        to: date("2023-01-06"),
        name: "New Year's Day".into(),
        moved_at: instant("2022-12-23T10:00:00Z"),
        correction: None,
    }]);
    assert_eq!(
        panel_deadline(&pending, &moved).due_at,
        end_of_day(date("2023-01-02"))
    );
    // A deadline met before the move keeps its due instant.
    let met = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2022-12-22", "2022-12-22T15:00:00Z")],
    );
    assert_eq!(
        panel_deadline(&met, &moved).due_at,
        end_of_day(date("2023-01-03"))
    );
}

#[test]
fn changes_apply_in_order_each_to_what_was_pending_then() {
    // Declared on the 23rd while pending (due moves to 4 January), then withdrawn on the 24th
    // as a correction: the deadline is back on 3 January, as if never declared.
    let partnership = southend_after(&[
        declared("2022-12-30", "2022-12-23T10:00:00Z", None),
        PartnershipEvent::BankHolidayWithdrawn {
            date: date("2022-12-30"),
            withdrawn_at: instant("2022-12-24T10:00:00Z"),
            correction: Some(Correction {
                reason: "declared in error".into(),
            }),
        },
    ]);
    assert_eq!(
        panel_deadline(&aware_before_christmas_2022(), &partnership).due_at,
        end_of_day(date("2023-01-03"))
    );
    assert!(partnership.calendar.is_working_day(date("2022-12-30")));
}

proptest::proptest! {
    /// Whatever day is declared and whenever, a deadline already met, met late or breached at
    /// the declaration's instant keeps its due instant; a correction is the only exception.
    #[test]
    fn a_declaration_never_moves_a_deadline_settled_before_it(
        day_offset in 0u64..30,
        hours_after in 0i64..(24 * 20),
        fulfilled_hours in proptest::option::of(0i64..(24 * 20)),
    ) {
        let day = date("2022-12-20") + chrono::Days::new(day_offset);
        let at = instant("2022-12-22T10:00:00Z") + TimeDelta::hours(hours_after);
        let mut events = aware_before_christmas_2022();
        if let Some(hours) = fulfilled_hours {
            let fulfilled = instant("2022-12-22T11:00:00Z") + TimeDelta::hours(hours);
            events.push(panel_notified(
                &fulfilled.date_naive().to_string(),
                &fulfilled.to_rfc3339(),
            ));
        }
        let before = panel_deadline(&events, &southend());
        let after = panel_deadline(
            &events,
            &southend_after(&[declared(&day.to_string(), &at.to_rfc3339(), None)]),
        );
        let settled = before.fulfilled_at.is_some_and(|f| f <= at) || before.due_at < at;
        if settled {
            proptest::prop_assert_eq!(after.due_at, before.due_at);
        }
        // Never earlier: a declaration only adds a holiday.
        proptest::prop_assert!(after.due_at >= before.due_at);
    }
}

#[test]
fn a_deadline_superseded_before_a_declaration_keeps_its_due_instant() {
    // Closed on the 22nd, on reflection not meeting the criteria: the Panel notification no
    // longer applies, settled as such, so the holiday declared on the 23rd does not reach it.
    let partnership = southend_after(&[declared("2022-12-30", "2022-12-23T10:00:00Z", None)]);
    let closed = and(
        aware_before_christmas_2022(),
        vec![CaseEvent::CaseClosed(
            crate::case::practice_review::CaseClosed {
                reason: crate::case::practice_review::ClosureReason::CriteriaNotMet,
                occurred_at: instant("2022-12-22T15:00:00Z"),
            },
        )],
    );
    let deadline = panel_deadline(&closed, &partnership);
    assert_eq!(deadline.due_at, end_of_day(date("2023-01-03")));
    assert_eq!(
        deadline.status(instant("2023-02-01T00:00:00Z"), &partnership.calendar),
        DeadlineStatus::NotApplicable
    );
}

#[test]
fn a_deadline_met_after_a_declaration_is_judged_with_the_holiday() {
    // Friday 30 December 2022 declared at 10:00 on the 23rd, while the notification was
    // pending: made on Wednesday 4 January, it is on time under the moved due day.
    let partnership = southend_after(&[declared("2022-12-30", "2022-12-23T10:00:00Z", None)]);
    let made_later = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2023-01-04", "2023-01-04T15:00:00Z")],
    );
    let deadline = panel_deadline(&made_later, &partnership);
    assert_eq!(deadline.due_at, end_of_day(date("2023-01-04")));
    assert_eq!(
        deadline.status(instant("2023-02-01T00:00:00Z"), &partnership.calendar),
        DeadlineStatus::Met
    );
    // Made at the very instant of the declaration: already met then, so not reached.
    let made_then = and(
        aware_before_christmas_2022(),
        vec![panel_notified("2022-12-23", "2022-12-23T10:00:00Z")],
    );
    assert_eq!(
        panel_deadline(&made_then, &partnership).due_at,
        end_of_day(date("2023-01-03"))
    );
}
