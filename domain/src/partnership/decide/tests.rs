//! Given/when/then tests of partnership administration.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::partnership::{ClockStart, OrgKind, RetentionSettings};
use crate::reminders::ReminderSettings;
use crate::{ErrorKind, PartnershipSlug};
use chrono::{NaiveDate, NaiveTime};

/// The instant every command here is decided at: Monday 2 March 2026, 10:00 GMT.
pub(super) fn now() -> DateTime<Utc> {
    "2026-03-02T10:00:00Z".parse().unwrap()
}

pub(super) fn org(slug: &str, kind: OrgKind) -> Organisation {
    Organisation {
        slug: OrgSlug::parse(slug).unwrap(),
        name: format!("{slug} name"),
        kind,
    }
}

pub(super) fn established() -> Vec<PartnershipEvent> {
    let command = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend".into(),
        settings: PartnershipSettings::default(),
        organisations: vec![
            org("southend-council", OrgKind::LocalAuthority),
            org("essex-police", OrgKind::Police),
            org("southend-ccg", OrgKind::Health),
            org("suhft", OrgKind::HealthProvider),
        ],
    };
    decide(None, &command, None, now()).unwrap()
}

pub(super) fn state(events: &[PartnershipEvent]) -> Partnership {
    events.iter().fold(None, Partnership::evolve).unwrap()
}

pub(super) fn admin() -> Actor {
    Actor {
        user: "a-1".into(),
        name: "Admin".into(),
        partnership: PartnershipSlug::parse("southend").unwrap(),
        org: OrgSlug::parse("southend-council").unwrap(),
        roles: [Role::Admin].into_iter().collect(),
    }
}

pub(super) fn when(
    events: &[PartnershipEvent],
    command: PartnershipCommand,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    decide(Some(&state(events)), &command, Some(&admin()), now())
}

pub(super) fn refused(
    result: Result<Vec<PartnershipEvent>, DomainError>,
) -> (ErrorKind, &'static str) {
    let err = result.unwrap_err();
    (err.kind, err.code)
}

#[test]
fn a_partnership_needs_its_three_statutory_partners_and_is_established_once() {
    let events = established();
    assert_eq!(events.len(), 5);
    let missing = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("x").unwrap(),
        name: "X".into(),
        settings: PartnershipSettings::default(),
        organisations: vec![org("la", OrgKind::LocalAuthority)],
    };
    assert_eq!(
        refused(decide(None, &missing, None, now())),
        (ErrorKind::Invalid, "partnership.statutory_partners")
    );
    let again = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend".into(),
        settings: PartnershipSettings::default(),
        organisations: vec![],
    };
    assert_eq!(
        refused(decide(Some(&state(&events)), &again, None, now())),
        (ErrorKind::Conflict, "partnership.already_established")
    );
}

#[test]
fn only_admins_administer() {
    let mut manager = admin();
    manager.roles = [Role::BusinessManager].into_iter().collect();
    let command = PartnershipCommand::RegisterOrganisation(org("new-school", OrgKind::Education));
    let result = decide(
        Some(&state(&established())),
        &command,
        Some(&manager),
        now(),
    );
    assert_eq!(
        refused(result),
        (ErrorKind::Forbidden, "auth.role_required")
    );
    let result = decide(Some(&state(&established())), &command, None, now());
    assert_eq!(
        refused(result),
        (ErrorKind::Forbidden, "auth.role_required")
    );
}

#[test]
fn organisations_are_registered_once_and_retired_without_losing_history() {
    let mut events = established();
    let school = org("new-school", OrgKind::Education);
    events.extend(
        when(
            &events,
            PartnershipCommand::RegisterOrganisation(school.clone()),
        )
        .unwrap(),
    );
    assert_eq!(
        refused(when(
            &events,
            PartnershipCommand::RegisterOrganisation(school.clone())
        )),
        (ErrorKind::Conflict, "organisation.already_registered")
    );
    assert_eq!(
        refused(when(
            &events,
            PartnershipCommand::RegisterOrganisation(org("second-police", OrgKind::Police))
        )),
        (ErrorKind::Conflict, "organisation.statutory_partner_exists")
    );
    let retire = PartnershipCommand::RetireOrganisation {
        slug: school.slug.clone(),
    };
    events.extend(when(&events, retire.clone()).unwrap());
    let partnership = state(&events);
    assert!(partnership.organisation(&school.slug).is_some());
    assert!(partnership.active_organisation(&school.slug).is_none());
    assert_eq!(
        refused(when(&events, retire)),
        (ErrorKind::Conflict, "organisation.already_retired")
    );
    let police = PartnershipCommand::RetireOrganisation {
        slug: OrgSlug::parse("essex-police").unwrap(),
    };
    assert_eq!(
        refused(when(&events, police)),
        (ErrorKind::Conflict, "organisation.statutory_partner")
    );
}

#[test]
fn a_declared_bank_holiday_moves_running_deadlines() {
    let mut events = established();
    let date = |s: &str| s.parse::<NaiveDate>().unwrap();
    let before = state(&events)
        .calendar
        .add_working_days(date("2030-06-06"), 1);
    assert_eq!(before, date("2030-06-07"));
    let declare = PartnershipCommand::DeclareBankHoliday {
        date: date("2030-06-07"),
        name: "A one-off holiday".into(),
        correction: None,
    };
    events.extend(when(&events, declare.clone()).unwrap());
    let partnership = state(&events);
    assert_eq!(
        partnership.calendar.add_working_days(date("2030-06-06"), 1),
        date("2030-06-10")
    );
    assert_eq!(
        partnership.declared_holidays[&date("2030-06-07")],
        "A one-off holiday"
    );
    assert_eq!(
        refused(when(&events, declare)),
        (ErrorKind::Conflict, "holiday.already_a_holiday")
    );
    let saturday = PartnershipCommand::DeclareBankHoliday {
        date: date("2030-06-08"),
        name: "x".into(),
        correction: None,
    };
    assert_eq!(
        refused(when(&events, saturday)),
        (ErrorKind::Invalid, "holiday.weekend")
    );
}

#[test]
fn settings_change() {
    let mut events = established();
    let settings = PartnershipSettings {
        rapid_review_clock_start: ClockStart::BecameAware,
        close_of_business: NaiveTime::from_hms_opt(16, 30, 0).unwrap(),
        retention: RetentionSettings {
            child_until_age: 30,
            ..RetentionSettings::default()
        },
        reminders: ReminderSettings {
            working_days_before: vec![3, 1],
        },
    };
    events.extend(
        when(
            &events,
            PartnershipCommand::ChangePartnershipSettings(settings.clone()),
        )
        .unwrap(),
    );
    assert_eq!(state(&events).settings, settings);
}

#[test]
fn a_retention_period_out_of_range_is_refused() {
    let events = established();
    let settings = PartnershipSettings {
        retention: RetentionSettings {
            adult_years_after_closure: 0,
            ..RetentionSettings::default()
        },
        ..PartnershipSettings::default()
    };
    assert_eq!(
        refused(when(
            &events,
            PartnershipCommand::ChangePartnershipSettings(settings)
        )),
        (ErrorKind::Invalid, "field.invalid")
    );
}

#[test]
fn a_reminder_threshold_out_of_range_is_refused_at_change_and_establishment() {
    let events = established();
    let settings = PartnershipSettings {
        reminders: ReminderSettings {
            working_days_before: vec![2, 2],
        },
        ..PartnershipSettings::default()
    };
    assert_eq!(
        refused(when(
            &events,
            PartnershipCommand::ChangePartnershipSettings(settings.clone())
        )),
        (ErrorKind::Invalid, "field.invalid")
    );
    let establish = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend".into(),
        settings,
        organisations: vec![
            org("southend-council", OrgKind::LocalAuthority),
            org("essex-police", OrgKind::Police),
            org("southend-ccg", OrgKind::Health),
        ],
    };
    assert_eq!(
        refused(decide(None, &establish, None, now())),
        (ErrorKind::Invalid, "field.invalid")
    );
}

#[test]
fn settings_stored_before_reminders_read_with_the_defaults() {
    let old = serde_json::json!({"rapid_review_clock_start": "became_aware",
                                 "close_of_business": "16:30:00"});
    let settings: PartnershipSettings = serde_json::from_value(old).unwrap();
    assert_eq!(settings.reminders, ReminderSettings::default());
    let written = serde_json::to_value(&settings).unwrap();
    assert!(written.get("reminders").is_none(), "{written}");
    let own = PartnershipSettings {
        reminders: ReminderSettings {
            working_days_before: vec![5],
        },
        ..settings
    };
    let written = serde_json::to_value(&own).unwrap();
    assert_eq!(
        written["reminders"]["working_days_before"][0], 5,
        "{written}"
    );
}

#[test]
fn settings_stored_before_retention_read_with_the_defaults() {
    let old = serde_json::json!({"rapid_review_clock_start": "became_aware",
                                 "close_of_business": "16:30:00"});
    let settings: PartnershipSettings = serde_json::from_value(old).unwrap();
    assert_eq!(settings.retention, RetentionSettings::default());
    // The defaults are left out, so such events keep their bytes.
    let written = serde_json::to_value(&settings).unwrap();
    assert!(written.get("retention").is_none(), "{written}");
    // Periods of the partnership's own are written, and read back.
    let own = PartnershipSettings {
        retention: RetentionSettings {
            adult_years_after_closure: 10,
            ..RetentionSettings::default()
        },
        ..settings
    };
    let written = serde_json::to_value(&own).unwrap();
    assert_eq!(
        written["retention"]["adult_years_after_closure"], 10,
        "{written}"
    );
    let read: PartnershipSettings = serde_json::from_value(written).unwrap();
    assert_eq!(read, own);
}
