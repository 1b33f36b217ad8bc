//! NotifyIncident and RecordPanelNotification.

use super::*;

const NOW: &str = "2022-12-22T15:00:00Z";

#[test]
fn notify_incident_opens_a_case() {
    let events = given(vec![])
        .when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(notify()),
        )
        .unwrap();
    assert_eq!(events, vec![notified_at(instant(NOW))]);
}

#[test]
fn notify_incident_needs_the_notifier_role_of_the_local_authority() {
    let when =
        |by: Actor| given(vec![]).when(&by, instant(NOW), CaseCommand::NotifyIncident(notify()));
    assert_eq!(
        refused(when(actor("southend-council", &[Role::BusinessManager]))),
        (ErrorKind::Forbidden, "auth.role_required")
    );
    assert_eq!(
        refused(when(actor("essex-police", &[Role::Notifier]))),
        (ErrorKind::Forbidden, "auth.local_authority_only")
    );
}

#[test]
fn notify_incident_refuses_cases_outside_the_criteria_with_the_reason() {
    let cases: [(Change, &str); 3] = [
        (
            |c| c.abuse_or_neglect = AbuseOrNeglect::NotSuspected,
            "known or suspected",
        ),
        (|c| c.harm = Harm::NotSerious, "seriously harmed"),
        (
            |c| c.location_basis = LocationBasis::ElsewhereInEngland,
            "elsewhere in England",
        ),
    ];
    for (change, reason) in cases {
        let mut command = notify();
        change(&mut command);
        let err = given(vec![])
            .when(
                &notifier(),
                instant(NOW),
                CaseCommand::NotifyIncident(command),
            )
            .unwrap_err();
        assert_eq!(err.code, "notification.criteria_not_met");
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(err.message.contains(reason), "{}", err.message);
    }
}

#[test]
fn notify_incident_refuses_adults_and_impossible_dates() {
    let mut adult = notify();
    adult.child.date_of_birth = date("2004-12-19");
    let err = given(vec![])
        .when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(adult),
        )
        .unwrap_err();
    assert_eq!(err.code, "notification.criteria_not_met");

    let mut seventeen = notify();
    seventeen.child.date_of_birth = date("2004-12-21");
    assert!(
        given(vec![])
            .when(
                &notifier(),
                instant(NOW),
                CaseCommand::NotifyIncident(seventeen)
            )
            .is_ok()
    );

    let checks: [(Change, &str, &str); 4] = [
        (
            |c| c.became_aware_on = date("2022-12-23"),
            "became_aware_on",
            "date.in_future",
        ),
        (
            |c| c.incident_date = date("2022-12-23"),
            "incident_date",
            "date.after_became_aware",
        ),
        (
            |c| c.child.date_of_birth = date("2022-12-21"),
            "child.date_of_birth",
            "date.after_incident",
        ),
        (
            |c| c.child.reference = "  ".into(),
            "child.reference",
            "field.required",
        ),
    ];
    for (change, field, code) in checks {
        let mut command = notify();
        change(&mut command);
        let err = given(vec![])
            .when(
                &notifier(),
                instant(NOW),
                CaseCommand::NotifyIncident(command),
            )
            .unwrap_err();
        assert_eq!(
            (err.code, err.field_errors[0].field.as_str()),
            (code, field)
        );
    }
}

#[test]
fn every_date_at_fault_is_named_at_once() {
    let mut command = notify();
    command.became_aware_on = date("2022-12-23");
    command.incident_date = date("2022-12-24");
    command.child.date_of_birth = date("2022-12-25");
    let err = given(vec![])
        .when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(command),
        )
        .unwrap_err();
    let fields: Vec<(&str, &str)> = err
        .field_errors
        .iter()
        .map(|f| (f.field.as_str(), f.code))
        .collect();
    assert_eq!(
        fields,
        [
            ("became_aware_on", "date.in_future"),
            ("incident_date", "date.after_became_aware"),
            ("child.date_of_birth", "date.after_incident"),
        ]
    );
    assert_eq!(err.code, "date.in_future");
}

#[test]
fn occurred_at_is_never_in_the_future_nor_before_becoming_aware() {
    let mut future = notify();
    future.occurred_at = Some(instant("2022-12-22T15:00:01Z"));
    assert_eq!(
        refused(given(vec![]).when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(future)
        )),
        (ErrorKind::Invalid, "occurred_at.in_future")
    );
    let mut early = notify();
    early.occurred_at = Some(instant("2022-12-21T23:59:59Z"));
    assert_eq!(
        refused(given(vec![]).when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(early)
        )),
        (ErrorKind::Invalid, "occurred_at.before_dependency")
    );
    let mut backdated = notify();
    backdated.occurred_at = Some(instant("2022-12-22T09:00:00Z"));
    let events = given(vec![])
        .when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(backdated),
        )
        .unwrap();
    assert_eq!(events[0].occurred_at(), instant("2022-12-22T09:00:00Z"));
}

#[test]
fn a_case_is_notified_once() {
    assert_eq!(
        refused(given(vec![notified_at(instant(NOW))]).when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(notify())
        )),
        (ErrorKind::Conflict, "case.already_exists")
    );
}

fn panel(submitted_on: &str, occurred_at: Option<&str>) -> CaseCommand {
    CaseCommand::RecordPanelNotification(RecordPanelNotification {
        panel_reference: "CSPRP-2022-1234".into(),
        submitted_on: date(submitted_on),
        occurred_at: occurred_at.map(instant),
    })
}

#[test]
fn record_panel_notification_backfilled_counts_at_the_end_of_its_day() {
    let events = given(vec![notified_at(instant(NOW))])
        .when(
            &notifier(),
            instant("2023-01-05T10:00:00Z"),
            panel("2022-12-29", None),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::PanelNotificationRecorded(
            PanelNotificationRecorded {
                panel_reference: "CSPRP-2022-1234".into(),
                submitted_on: date("2022-12-29"),
                occurred_at: instant("2022-12-29T23:59:59.999999Z"),
            }
        )]
    );
}

#[test]
fn record_panel_notification_today_is_now() {
    let now = instant("2022-12-29T11:30:00Z");
    let events = given(vec![notified_at(instant(NOW))])
        .when(&notifier(), now, panel("2022-12-29", None))
        .unwrap();
    assert_eq!(events[0].occurred_at(), now);
}

#[test]
fn record_panel_notification_refusals() {
    let history = given(vec![notified_at(instant(NOW))]);
    let now = instant("2022-12-29T11:30:00Z");
    assert_eq!(
        refused(given(vec![]).when(&notifier(), now, panel("2022-12-29", None))),
        (ErrorKind::NotFound, "case.not_found")
    );
    assert_eq!(
        refused(history.when(
            &actor("suhft", &[Role::AgencyUser]),
            now,
            panel("2022-12-29", None)
        )),
        (ErrorKind::Forbidden, "auth.role_required")
    );
    assert_eq!(
        refused(history.when(&notifier(), now, panel("2022-12-30", None))),
        (ErrorKind::Invalid, "date.in_future")
    );
    assert_eq!(
        refused(history.when(&notifier(), now, panel("2022-12-21", None))),
        (ErrorKind::Invalid, "date.before_dependency")
    );
    assert_eq!(
        refused(history.when(
            &notifier(),
            now,
            panel("2022-12-28", Some("2022-12-29T09:00:00Z"))
        )),
        (ErrorKind::Invalid, "occurred_at.date_mismatch")
    );
    let mut recorded = history.events.clone();
    recorded.extend(
        history
            .when(&notifier(), now, panel("2022-12-29", None))
            .unwrap(),
    );
    assert_eq!(
        refused(given(recorded).when(&notifier(), now, panel("2022-12-29", None))),
        (ErrorKind::Conflict, "case.wrong_stage")
    );
}

#[test]
fn panel_notification_deadline_is_five_working_days_after_becoming_aware() {
    let partnership = southend();
    let case = Case::replay(&[notified_at(instant(NOW))]).unwrap();
    let deadlines = case.deadlines(&partnership);
    assert_eq!(deadlines.len(), 1);
    // domain.md: aware Thursday 2022-12-22 -> due end of 2023-01-03 (GMT).
    assert_eq!(deadlines[0].due_at, instant("2023-01-03T23:59:59.999999Z"));
    assert_eq!(deadlines[0].fulfilled_at, None);
}

#[test]
fn replaying_a_stream_reproduces_the_state_the_decider_built_on() {
    let now = instant("2022-12-29T11:30:00Z");
    let mut events = given(vec![])
        .when(
            &notifier(),
            instant(NOW),
            CaseCommand::NotifyIncident(notify()),
        )
        .unwrap();
    events.extend(
        given(events.clone())
            .when(&notifier(), now, panel("2022-12-29", None))
            .unwrap(),
    );
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.stage, Stage::PanelNotified);
    assert_eq!(case.panel_notification.unwrap().occurred_at, now);
}

fn refer() -> CaseCommand {
    let NotifyIncident {
        child,
        personal_data,
        ..
    } = notify();
    CaseCommand::ReferCaseForConsideration(commands::ReferCaseForConsideration {
        case_id: case_id(),
        child,
        personal_data,
        incident_date: date("2022-12-20"),
        occurred_at: None,
    })
}

#[test]
fn any_organisation_may_refer_a_case_for_consideration() {
    let hospital = actor("suhft", &[Role::AgencyUser]);
    let events = given(vec![])
        .when(&hospital, instant(NOW), refer())
        .unwrap();
    let CaseEvent::CaseReferred(referred) = &events[0] else {
        panic!("expected CaseReferred, got {events:?}");
    };
    assert_eq!(referred.referred_by.as_str(), "suhft");
    assert_eq!(referred.child.age_band, AgeBand::From6To10);
    let case = Case::replay(&events).unwrap();
    assert_eq!(
        (case.stage, case.opened_by().as_str()),
        (Stage::Referred, "suhft")
    );
    assert!(case.involved.contains(&OrgSlug::parse("suhft").unwrap()));
    // No statutory notification, so no Panel notification deadline.
    assert!(case.deadlines(&southend()).is_empty());
    assert_eq!(
        refused(given(events).when(&hospital, instant(NOW), refer())),
        (ErrorKind::Conflict, "case.already_exists")
    );
    assert_eq!(
        refused(given(vec![]).when(&actor("suhft", &[Role::Auditor]), instant(NOW), refer())),
        (ErrorKind::Forbidden, "auth.role_required")
    );
    assert_eq!(
        refused(given(vec![]).when(
            &actor("unknown-org", &[Role::AgencyUser]),
            instant(NOW),
            refer()
        )),
        (ErrorKind::Forbidden, "auth.unknown_organisation")
    );
}

#[test]
fn a_referral_has_no_panel_notification() {
    let hospital = actor("suhft", &[Role::AgencyUser]);
    let events = given(vec![])
        .when(&hospital, instant(NOW), refer())
        .unwrap();
    assert_eq!(
        refused(given(events).when(
            &notifier(),
            instant("2022-12-29T10:00:00Z"),
            panel("2022-12-29", None)
        )),
        (ErrorKind::Conflict, "case.not_notified")
    );
}

#[test]
fn the_panel_is_notified_even_when_the_rapid_review_started_first() {
    let initiated = CaseEvent::RapidReviewInitiated(RapidReviewInitiated {
        clock_start: crate::partnership::ClockStart::BecameAware,
        close_of_business: crate::calendar::CLOSE_OF_BUSINESS,
        occurred_at: instant("2022-12-22T16:00:00Z"),
    });
    let events = given(vec![notified_at(instant(NOW)), initiated])
        .when(
            &notifier(),
            instant("2022-12-29T10:00:00Z"),
            panel("2022-12-29", None),
        )
        .unwrap();
    assert!(matches!(events[0], CaseEvent::PanelNotificationRecorded(_)));
}

#[test]
fn a_case_is_never_closed_before_its_latest_fact() {
    let now = instant("2023-01-10T10:00:00Z");
    let mut events = vec![notified_at(instant(NOW))];
    events.extend(
        given(events.clone())
            .when(&notifier(), now, panel("2022-12-29", None))
            .unwrap(),
    );
    let manager = actor("southend-council", &[Role::BusinessManager]);
    let close = |at: &str| {
        CaseCommand::CloseCase(commands::CloseCase {
            reason: practice_review::ClosureReason::CriteriaNotMet,
            occurred_at: Some(instant(at)),
        })
    };
    assert_eq!(
        refused(given(events.clone()).when(&manager, now, close("2022-12-28T10:00:00Z"))),
        (ErrorKind::Invalid, "occurred_at.before_dependency")
    );
    assert!(
        given(events)
            .when(&manager, now, close("2022-12-30T10:00:00Z"))
            .is_ok()
    );
}

/// The death of a looked-after child, the council aware on Thursday 22 December 2022.
fn looked_after_death() -> Vec<CaseEvent> {
    let mut event = notified_at(instant("2022-12-22T10:00:00Z"));
    if let CaseEvent::IncidentNotified(notified) = &mut event {
        notified.harm = Harm::Death;
        notified.child.looked_after = true;
    }
    vec![event]
}

fn notification_duty(
    events: &[CaseEvent],
    kind: crate::deadline::DeadlineKind,
) -> Option<crate::deadline::Deadline> {
    Case::replay(events)
        .unwrap()
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == kind)
}

#[test]
fn the_death_of_a_looked_after_child_is_notified_to_ofsted_and_the_secretary_of_state() {
    use crate::deadline::DeadlineKind::LookedAfterDeathNotification;
    // Due like the Panel notification: 5 working days, Tuesday 3 January 2023 (26 and 27
    // December and 2 January are bank holidays).
    let deadline = notification_duty(&looked_after_death(), LookedAfterDeathNotification).unwrap();
    assert_eq!(deadline.due_at, instant("2023-01-03T23:59:59.999999Z"));
    assert_eq!(deadline.organisation, Some(org("southend-council")));
    assert_eq!(deadline.kind.responsible_role(), Role::Notifier);
    // Whatever the cause: a death without a child protection plan still owes it; a looked-after
    // child seriously harmed does not, nor a death of a child not looked after.
    let mut harmed = looked_after_death();
    if let CaseEvent::IncidentNotified(n) = &mut harmed[0] {
        n.harm = Harm::SeriousHarm;
    }
    assert!(notification_duty(&harmed, LookedAfterDeathNotification).is_none());
    assert!(
        notification_duty(&[notified_at(instant(NOW))], LookedAfterDeathNotification).is_none()
    );

    let record = |at| CaseCommand::RecordLookedAfterDeathNotified(commands::At { occurred_at: at });
    let events = given(looked_after_death())
        .when(&notifier(), instant("2022-12-29T10:00:00Z"), record(None))
        .unwrap();
    let done = and(looked_after_death(), events);
    let deadline = notification_duty(&done, LookedAfterDeathNotification).unwrap();
    assert_eq!(
        deadline.status(instant("2023-01-04T10:00:00Z"), &southend().calendar),
        crate::deadline::DeadlineStatus::Met
    );
    assert_eq!(
        refused(given(done).when(&notifier(), instant("2022-12-29T11:00:00Z"), record(None))),
        (
            ErrorKind::Conflict,
            "notification.looked_after_death_already_notified"
        )
    );
    assert_eq!(
        refused(given(harmed).when(&notifier(), instant(NOW), record(None))),
        (ErrorKind::Conflict, "notification.not_looked_after_death")
    );
    assert_eq!(
        refused(given(looked_after_death()).when(&business_manager(), instant(NOW), record(None))),
        (ErrorKind::Forbidden, "auth.role_required")
    );
}

#[test]
fn a_copy_of_the_panel_notification_goes_to_the_business_manager_the_same_day() {
    use crate::deadline::DeadlineKind::PanelNotificationCopy;
    let notified = vec![
        notified_on("2022-09-08", NOTIFIED),
        panel_notified("2022-09-09", "2022-09-09T09:00:00Z"),
    ];
    // No Panel notification, nothing to copy.
    assert!(notification_duty(&notified[..1], PanelNotificationCopy).is_none());
    let deadline = notification_duty(&notified, PanelNotificationCopy).unwrap();
    // The end of Friday 9 September 2022 (BST).
    assert_eq!(deadline.due_at, instant("2022-09-09T22:59:59.999999Z"));
    let copy = |at| CaseCommand::RecordPanelNotificationCopied(commands::At { occurred_at: at });
    assert_eq!(
        refused(given(notified[..1].to_vec()).when(&notifier(), now(), copy(None))),
        (ErrorKind::Conflict, "panel_notification.not_recorded")
    );
    // Copied the next Monday: late.
    let events = given(notified.clone())
        .when(
            &business_manager(),
            now(),
            copy(Some(instant("2022-09-12T08:00:00Z"))),
        )
        .unwrap();
    let copied = and(notified.clone(), events);
    let deadline = notification_duty(&copied, PanelNotificationCopy).unwrap();
    assert_eq!(
        deadline.status(now(), &southend().calendar),
        crate::deadline::DeadlineStatus::MetLate
    );
    assert_eq!(
        refused(given(copied).when(&notifier(), now(), copy(None))),
        (ErrorKind::Conflict, "panel_notification.already_copied")
    );
    check_occurred_at(
        &given(notified),
        &notifier(),
        now(),
        "2022-09-09T09:00:00Z",
        copy,
    );
}
