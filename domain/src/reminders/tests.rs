#![allow(clippy::unwrap_used)]
use super::*;
use crate::deadline::DeadlineKind;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn case_id() -> CaseId {
    CaseId::from_uuid(Uuid::from_u128(7))
}

/// An agency report due at close of business on Friday 13 January 2023.
fn report() -> Deadline {
    Deadline::new(
        DeadlineKind::RrAgencyReport,
        Some(OrgSlug::parse("essex-police").unwrap()),
        at("2023-01-13T17:00:00Z"),
        None,
    )
}

fn owed_at(deadline: &Deadline, now: &str) -> Option<ReminderEvent> {
    owed(
        case_id(),
        deadline,
        &ReminderSettings::default(),
        &WorkingCalendar::england_and_wales(),
        at(now),
    )
}

fn reminder_days(event: Option<ReminderEvent>) -> Option<u8> {
    match event? {
        ReminderEvent::DeadlineReminderIssued(r) => Some(r.working_days_before),
        ReminderEvent::DeadlineBreachRecorded(_) => None,
    }
}

#[test]
fn nothing_is_owed_before_the_first_threshold() {
    // Two working days before Friday is Wednesday 11 January.
    assert_eq!(owed_at(&report(), "2023-01-10T23:59:59Z"), None);
}

#[test]
fn the_first_reminder_is_owed_from_the_start_of_its_day() {
    let event = owed_at(&report(), "2023-01-11T00:00:00Z").unwrap();
    let ReminderEvent::DeadlineReminderIssued(reminder) = &event else {
        panic!("a reminder");
    };
    assert_eq!(reminder.working_days_before, 2);
    assert_eq!(reminder.occurred_at, at("2023-01-11T00:00:00Z"));
    assert_eq!(reminder.deadline.due_at, at("2023-01-13T17:00:00Z"));
    assert_eq!(reminder.deadline.kind, DeadlineKind::RrAgencyReport);
    assert_eq!(reminder.deadline.deadline_id, report().id(case_id()));
    assert_eq!(
        reminder.deadline.organisation.as_ref().map(OrgSlug::as_str),
        Some("essex-police")
    );
}

#[test]
fn the_nearest_threshold_reached_is_the_one_owed() {
    assert_eq!(
        reminder_days(owed_at(&report(), "2023-01-12T12:00:00Z")),
        Some(2)
    );
    assert_eq!(
        reminder_days(owed_at(&report(), "2023-01-13T00:00:00Z")),
        Some(0)
    );
    assert_eq!(
        reminder_days(owed_at(&report(), "2023-01-13T17:00:00Z")),
        Some(0)
    );
}

#[test]
fn working_days_skip_weekends_and_bank_holidays() {
    // Due Tuesday 3 January 2023: Monday 2 January is a bank holiday, so two working days
    // before is Thursday 29 December.
    let deadline = Deadline::new(
        DeadlineKind::RrAgencyReport,
        None,
        at("2023-01-03T17:00:00Z"),
        None,
    );
    assert_eq!(owed_at(&deadline, "2022-12-28T23:00:00Z"), None);
    assert_eq!(
        reminder_days(owed_at(&deadline, "2022-12-29T00:00:00Z")),
        Some(2)
    );
}

#[test]
fn a_deadline_past_due_is_owed_its_breach_at_the_due_instant() {
    let event = owed_at(&report(), "2023-01-13T17:00:01Z").unwrap();
    let ReminderEvent::DeadlineBreachRecorded(breach) = &event else {
        panic!("a breach");
    };
    assert_eq!(breach.occurred_at, at("2023-01-13T17:00:00Z"));
}

#[test]
fn a_fulfilled_deadline_is_owed_nothing() {
    let mut met = report();
    met.fulfilled_at = Some(at("2023-01-12T09:00:00Z"));
    assert_eq!(owed_at(&met, "2023-01-13T12:00:00Z"), None);
    assert_eq!(owed_at(&met, "2023-01-20T12:00:00Z"), None);
    // Fulfilled after `now`: not yet known, so still owed.
    assert!(owed_at(&met, "2023-01-11T12:00:00Z").is_some());
}

#[test]
fn a_superseded_deadline_is_owed_nothing() {
    let superseded = report().superseded_at(Some(at("2023-01-10T09:00:00Z")));
    assert_eq!(owed_at(&superseded, "2023-01-12T09:00:00Z"), None);
    assert_eq!(owed_at(&superseded, "2023-01-20T09:00:00Z"), None);
}

#[test]
fn a_paused_or_unsettled_deadline_gets_no_reminder() {
    let mut paused = report();
    paused.paused_since = Some(at("2023-01-09T09:00:00Z"));
    assert_eq!(owed_at(&paused, "2023-01-12T12:00:00Z"), None);
    let mut unsettled = report();
    unsettled.unsettled_until = Some(at("2023-02-01T00:00:00Z"));
    assert_eq!(owed_at(&unsettled, "2023-01-12T12:00:00Z"), None);
}

#[test]
fn no_thresholds_means_no_reminders_but_breaches_still_count() {
    let none = ReminderSettings {
        working_days_before: vec![],
    };
    let calendar = WorkingCalendar::england_and_wales();
    let near = owed(
        case_id(),
        &report(),
        &none,
        &calendar,
        at("2023-01-13T12:00:00Z"),
    );
    assert_eq!(near, None);
    let late = owed(
        case_id(),
        &report(),
        &none,
        &calendar,
        at("2023-01-14T12:00:00Z"),
    );
    assert!(matches!(
        late,
        Some(ReminderEvent::DeadlineBreachRecorded(_))
    ));
}

#[test]
fn event_ids_are_stable_per_deadline_due_instant_and_threshold() {
    let two = owed_at(&report(), "2023-01-11T09:00:00Z").unwrap();
    let again = owed_at(&report(), "2023-01-12T16:00:00Z").unwrap();
    let zero = owed_at(&report(), "2023-01-13T09:00:00Z").unwrap();
    let breach = owed_at(&report(), "2023-01-16T09:00:00Z").unwrap();
    assert_eq!(two.event_id(), again.event_id());
    assert_eq!(two, again);
    assert_ne!(two.event_id(), zero.event_id());
    assert_ne!(zero.event_id(), breach.event_id());
    let mut moved = report();
    moved.due_at = at("2023-01-20T17:00:00Z");
    let moved = owed_at(&moved, "2023-01-18T09:00:00Z").unwrap();
    assert_ne!(moved.event_id(), two.event_id());
    assert_eq!(breach.deadline(), &breach.deadline().clone());
    assert_eq!(breach.occurred_at(), at("2023-01-13T17:00:00Z"));
    assert_eq!(two.occurred_at(), at("2023-01-11T00:00:00Z"));
}

#[test]
fn settings_refuse_repeats_too_many_and_too_far() {
    let with = |days: Vec<u8>| ReminderSettings {
        working_days_before: days,
    };
    assert!(ReminderSettings::default().validate().is_ok());
    assert!(ReminderSettings::default().is_default());
    assert!(!with(vec![1]).is_default());
    assert!(with(vec![]).validate().is_ok());
    assert!(with(vec![15, 0, 1, 2]).validate().is_ok());
    assert!(with(vec![16]).validate().is_err());
    assert!(with(vec![2, 2]).validate().is_err());
    assert!(with(vec![0, 1, 2, 3, 4]).validate().is_err());
}

fn settled_at(deadline: &Deadline, now: &str) -> bool {
    settled_for_good(deadline, &WorkingCalendar::england_and_wales(), at(now))
}

#[test]
fn a_deadline_settled_for_good_owes_nothing_later_but_what_it_owed_then() {
    let mut met = report();
    met.fulfilled_at = Some(at("2023-01-12T09:00:00Z"));
    let mut met_late = report();
    met_late.fulfilled_at = Some(at("2023-01-18T09:00:00Z"));
    let superseded = report().superseded_at(Some(at("2023-01-10T09:00:00Z")));
    let superseded_once_breached = report().superseded_at(Some(at("2023-01-16T09:00:00Z")));
    let shapes = [
        report(),
        met,
        met_late,
        superseded,
        superseded_once_breached,
    ];
    let instants = [
        "2023-01-09T12:00:00Z",
        "2023-01-11T00:00:00Z",
        "2023-01-12T09:00:00Z",
        "2023-01-13T17:00:01Z",
        "2023-01-16T09:00:00Z",
        "2023-01-18T09:00:00Z",
        "2023-02-01T00:00:00Z",
    ];
    let mut settled = 0;
    for deadline in &shapes {
        for (i, now) in instants.iter().enumerate() {
            if !settled_at(deadline, now) {
                continue;
            }
            settled += 1;
            let then = owed_at(deadline, now);
            for later in &instants[i..] {
                let owed = owed_at(deadline, later);
                assert!(
                    owed.is_none() || owed == then,
                    "{deadline:?} settled at {now} owes {owed:?} at {later}"
                );
            }
        }
    }
    assert!(settled > 10, "the table settles deadlines ({settled})");
}

#[test]
fn fulfilled_superseded_and_unpaused_breaches_are_settled_for_good() {
    let mut met = report();
    met.fulfilled_at = Some(at("2023-01-12T09:00:00Z"));
    // From the instant it was fulfilled, not before: until then its reminders may come.
    assert!(settled_at(&met, "2023-01-12T09:00:00Z"));
    assert!(!settled_at(&met, "2023-01-12T08:59:59Z"));
    let superseded = report().superseded_at(Some(at("2023-01-10T09:00:00Z")));
    assert!(settled_at(&superseded, "2023-01-10T09:00:00Z"));
    assert!(!settled_at(&superseded, "2023-01-10T08:59:59Z"));
    // Breached: its breach is owed, the same notice from then on.
    assert!(settled_at(&report(), "2023-01-13T17:00:01Z"));
    assert!(!settled_at(&report(), "2023-01-13T17:00:00Z"));
    // Pending or due soon: reminders and the breach are still to come.
    assert!(!settled_at(&report(), "2023-01-09T12:00:00Z"));
    assert!(!settled_at(&report(), "2023-01-12T12:00:00Z"));
}

#[test]
fn a_paused_breach_is_not_settled_its_due_instant_still_moves() {
    let mut paused = report();
    paused.paused_since = Some(at("2023-01-16T09:00:00Z"));
    let now = "2023-01-16T12:00:00Z";
    assert!(matches!(
        owed_at(&paused, now),
        Some(ReminderEvent::DeadlineBreachRecorded(_))
    ));
    assert!(!settled_at(&paused, now));
    // Four days on, the pause has moved the due instant: another breach notice.
    let later = owed_at(&paused, "2023-01-20T18:00:00Z");
    assert!(later.is_some());
    assert_ne!(later, owed_at(&paused, now));
}

#[test]
fn an_unsettled_deadline_is_not_settled_for_good() {
    let mut unsettled = report();
    unsettled.unsettled_until = Some(at("2023-02-01T00:00:00Z"));
    assert!(!settled_at(&unsettled, "2023-01-20T12:00:00Z"));
}
