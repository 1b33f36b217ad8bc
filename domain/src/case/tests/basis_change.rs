//! Which cases' deadlines a change of the partnership reaches (`BasisChange::leaves`): the read
//! models keep a case's deadlines through every change that leaves them, so a change that
//! leaves deadlines it does move would keep a wrong due instant. Each test checks the answer
//! against the deadlines computed afresh under the changed partnership.

use super::*;
use crate::calendar::end_of_day;
use crate::calendar::history::Correction;
use crate::deadline::Deadline;
use crate::partnership::{BasisChange, PartnershipEvent};

/// Aware Thursday 2022-12-22: the Panel notification is due at the end of Tuesday 2023-01-03.
fn aware_before_christmas() -> Vec<CaseEvent> {
    vec![notified_on("2022-12-22", "2022-12-22T10:00:00Z")]
}

fn declared(day: &str, at: &str, correction: bool) -> PartnershipEvent {
    PartnershipEvent::BankHolidayDeclared {
        date: date(day),
        name: "Proclaimed bank holiday".into(),
        declared_at: instant(at),
        correction: correction.then(|| Correction {
            reason: "the holiday was left out of the calendar".into(),
        }),
    }
}

/// The change `event` makes to `before`, and the partnership after it.
fn change(before: &Partnership, event: &PartnershipEvent) -> (BasisChange, Partnership) {
    let after = Partnership::evolve(Some(before.clone()), event).unwrap();
    let change = before
        .deadline_basis()
        .summary()
        .change_to(&after.deadline_basis());
    (change, after)
}

/// Whether the change leaves the case's deadlines, checked against a fresh computation: when
/// it says so, they must be the same deadlines.
fn leaves(events: &[CaseEvent], before: &Partnership, event: &PartnershipEvent) -> bool {
    let case = Case::replay(events).unwrap();
    let kept: Vec<Deadline> = case.deadlines(before);
    let (change, after) = change(before, event);
    let leaves = change.leaves(&case, &kept);
    if leaves {
        assert_eq!(case.deadlines(&after), kept, "left, yet moved: {event:?}");
    }
    leaves
}

fn deadlines_move(events: &[CaseEvent], before: &Partnership, event: &PartnershipEvent) -> bool {
    let case = Case::replay(events).unwrap();
    let after = Partnership::evolve(Some(before.clone()), event).unwrap();
    case.deadlines(&after) != case.deadlines(before)
}

#[test]
fn a_holiday_reaches_the_deadlines_still_pending_when_it_is_recorded() {
    let holiday = declared("2022-12-30", "2022-12-23T10:00:00Z", false);
    let pending = aware_before_christmas();
    assert!(deadlines_move(&pending, &southend(), &holiday));
    assert!(!leaves(&pending, &southend(), &holiday));
    // The notification made on the 22nd, before the declaration, is a fact about the past;
    // the rapid review it started runs through the 30th, still pending.
    let made = and(
        aware_before_christmas(),
        [panel_notified("2022-12-22", "2022-12-22T15:00:00Z")],
    );
    assert!(!leaves(&made, &southend(), &holiday));
    // Closed on the 22nd: every deadline settled as no longer applying before it.
    assert!(leaves(
        &closed_on(aware_before_christmas(), "2022-12-22T15:00:00Z"),
        &southend(),
        &holiday
    ));
}

fn closed_on(events: Vec<CaseEvent>, at: &str) -> Vec<CaseEvent> {
    and(
        events,
        [CaseEvent::CaseClosed(
            crate::case::practice_review::CaseClosed {
                reason: crate::case::practice_review::ClosureReason::CriteriaNotMet,
                occurred_at: instant(at),
            },
        )],
    )
}

#[test]
fn a_correction_reaches_settled_deadlines_too() {
    let met = and(
        aware_before_christmas(),
        [panel_notified("2022-12-22", "2022-12-22T15:00:00Z")],
    );
    let correction = declared("2022-12-30", "2023-02-01T10:00:00Z", true);
    assert!(deadlines_move(&met, &southend(), &correction));
    assert!(!leaves(&met, &southend(), &correction));
}

#[test]
fn a_holiday_after_every_due_day_leaves_them() {
    let pending = aware_before_christmas();
    let later = declared("2023-01-10", "2022-12-23T10:00:00Z", false);
    assert!(leaves(&pending, &southend(), &later));
    // The due day itself is counted: a holiday on it moves the deadline.
    let on_the_due_day = declared("2023-01-03", "2022-12-23T10:00:00Z", false);
    assert!(deadlines_move(&pending, &southend(), &on_the_due_day));
    assert!(!leaves(&pending, &southend(), &on_the_due_day));
}

#[test]
fn withdrawn_and_moved_holidays_reach_the_deadlines_counting_through_their_days() {
    // Aware Tuesday 2022-04-12: five working days run past Good Friday (the 15th) and Easter
    // Monday (the 18th) to Thursday the 21st.
    let pending = vec![notified_on("2022-04-12", "2022-04-12T10:00:00Z")];
    let withdrawn = PartnershipEvent::BankHolidayWithdrawn {
        date: date("2022-04-15"),
        withdrawn_at: instant("2022-04-13T10:00:00Z"),
        correction: None,
    };
    assert!(deadlines_move(&pending, &southend(), &withdrawn));
    assert!(!leaves(&pending, &southend(), &withdrawn));
    let moved = PartnershipEvent::BankHolidayMoved {
        from: date("2022-04-18"),
        to: date("2022-04-25"),
        name: "Easter Monday, moved".into(),
        moved_at: instant("2022-04-13T10:00:00Z"),
        correction: None,
    };
    assert!(deadlines_move(&pending, &southend(), &moved));
    assert!(!leaves(&pending, &southend(), &moved));
    // Recorded after the case was closed: it reaches nothing.
    let closed = closed_on(pending, "2022-04-12T15:00:00Z");
    assert!(leaves(&closed, &southend(), &withdrawn));
    assert!(leaves(&closed, &southend(), &moved));
}

#[test]
fn settings_reach_rapid_reviews_not_yet_initiated_and_nothing_else() {
    let settings = PartnershipSettings {
        close_of_business: chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
        ..PartnershipSettings::default()
    };
    let other = PartnershipEvent::PartnershipSettingsChanged(settings);
    let awaiting = before_review();
    assert!(deadlines_move(&awaiting, &southend(), &other));
    assert!(!leaves(&awaiting, &southend(), &other));
    // Initiation fixed the clock start and the close of business in the review.
    assert!(leaves(&started(), &southend(), &other));
    let clock = PartnershipEvent::PartnershipSettingsChanged(PartnershipSettings {
        rapid_review_clock_start: ClockStart::Initiation,
        ..PartnershipSettings::default()
    });
    assert!(deadlines_move(&awaiting, &southend(), &clock));
    assert!(!leaves(&awaiting, &southend(), &clock));
    assert!(leaves(&started(), &southend(), &clock));
    // Retention reaches no deadline at all.
    let mut retention = PartnershipSettings::default();
    retention.retention.adult_years_after_closure += 1;
    let retention = PartnershipEvent::PartnershipSettingsChanged(retention);
    assert!(leaves(&awaiting, &southend(), &retention));
}

#[test]
fn another_organisation_standing_for_a_partner_reaches_every_case() {
    // Sorts before essex-police, so it stands for the police now.
    let avon = PartnershipEvent::OrganisationRegistered(Organisation {
        slug: org("avon-police"),
        name: "Avon and Somerset Police".into(),
        kind: OrgKind::Police,
    });
    assert!(!leaves(&started(), &southend(), &avon));
    // Even a case none of whose deadlines is a partner's: computed again, to be safe.
    assert!(!leaves(&aware_before_christmas(), &southend(), &avon));
    let housing = PartnershipEvent::OrganisationRegistered(Organisation {
        slug: org("zeta-housing"),
        name: "Housing".into(),
        kind: OrgKind::Other,
    });
    assert!(leaves(&started(), &southend(), &housing));
}

proptest::proptest! {
    /// Whatever day is declared or withdrawn, whenever, as a correction or not, and however far
    /// the case has come: a change that says it leaves the deadlines leaves them.
    #[test]
    fn a_change_that_leaves_the_deadlines_leaves_them(
        day_offset in 0u64..40,
        hours_after in 0i64..(24 * 30),
        withdraw in proptest::bool::ANY,
        correction in proptest::bool::ANY,
        progress in 0usize..4,
    ) {
        let day = date("2022-09-05") + chrono::Days::new(day_offset);
        let at = instant("2022-09-08T10:00:00Z") + TimeDelta::hours(hours_after);
        let event = if withdraw {
            PartnershipEvent::BankHolidayWithdrawn {
                date: day,
                withdrawn_at: at,
                correction: correction.then(|| Correction { reason: "wrong".into() }),
            }
        } else {
            declared(&day.to_string(), &at.to_rfc3339(), correction)
        };
        let events = [before_review(), started(), requested(), decided()][progress].clone();
        // `leaves` asserts the deadlines it leaves are the fresh ones.
        let left = leaves(&events, &southend(), &event);
        if deadlines_move(&events, &southend(), &event) {
            proptest::prop_assert!(!left);
        }
    }
}

#[test]
fn a_holiday_declared_on_the_due_day_moves_it_a_working_day_on() {
    // The premise of the tests above: the fixtures' deadline is where they say.
    let case = Case::replay(&aware_before_christmas()).unwrap();
    let due = case
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == crate::deadline::DeadlineKind::PanelNotification)
        .unwrap()
        .due_at;
    assert_eq!(due, end_of_day(date("2023-01-03")));
}
