#![allow(clippy::unwrap_used)]

use super::*;
use casetrail_seed::life_cycle::{Rng, partnership_change, partnership_opening, partnership_slug};
use chrono::{DateTime, Duration};

/// A partnership set up, then changed `changes` times (bank holidays, settings, organisations).
fn history(changes: usize) -> Vec<Recorded<PartnershipEvent>> {
    let start = DateTime::from_timestamp(1_650_000_000, 0).unwrap();
    let mut rng = Rng::new(42);
    let opening = partnership_opening(&partnership_slug(0));
    let changed =
        (0..changes).map(|n| partnership_change(&mut rng, start + Duration::days(n as i64)));
    opening
        .into_iter()
        .chain(changed)
        .enumerate()
        .map(|(n, event)| Recorded {
            position: n as u64 + 1,
            stream_version: n as u64 + 1,
            recorded_at: start + Duration::hours(n as i64),
            event,
        })
        .collect()
}

fn fold(history: &[Recorded<PartnershipEvent>]) -> Option<Partnership> {
    history
        .iter()
        .fold(None, |state, r| Partnership::evolve(state, &r.event))
}

#[test]
fn every_past_partnership_is_the_fold_of_its_history_then() {
    // Past several checkpoints, and not on one.
    let history = history(3 * CHECKPOINT_EVERY + 5);
    let record = PartnershipRecord::try_from(history.clone()).unwrap();
    assert_eq!(record.checkpoints.len(), history.len() / CHECKPOINT_EVERY);
    for known in 0..=history.len() {
        assert_eq!(
            record.after(known),
            fold(&history[..known]),
            "after {known} events"
        );
    }
    assert_eq!(record.after(history.len() + 1), fold(&history));
}

#[test]
fn a_long_history_is_folded_from_its_checkpoints() {
    // More checkpoints than events between two: a mix-up of the two counts shows.
    let history = history(CHECKPOINT_EVERY * CHECKPOINT_EVERY + 3);
    let record = PartnershipRecord::try_from(history.clone()).unwrap();
    let mut then = None;
    // `then` is the fold of the first `known` events.
    for (known, recorded) in std::iter::once(None)
        .chain(history.iter().map(Some))
        .enumerate()
    {
        if let Some(recorded) = recorded {
            then = Partnership::evolve(then, &recorded.event);
        }
        if known % 61 == 0 || known % CHECKPOINT_EVERY <= 1 || known + 1 >= history.len() {
            assert_eq!(record.after(known), then, "after {known} events");
        }
    }
}

#[test]
fn a_record_built_event_by_event_is_the_one_built_from_its_history() {
    let history = history(2 * CHECKPOINT_EVERY);
    let mut record = None;
    for recorded in history.clone() {
        record = PartnershipRecord::next(record, recorded);
    }
    let record = record.unwrap();
    assert_eq!(record.current(), &fold(&history).unwrap());
    assert_eq!(record, PartnershipRecord::try_from(history).unwrap());
}

#[test]
fn a_history_that_makes_no_partnership_is_refused() {
    let mut history = history(1);
    // Without its first event (the partnership established), nothing folds.
    history.remove(0);
    assert!(PartnershipRecord::try_from(history).is_err());
    assert!(PartnershipRecord::try_from(Vec::new()).is_err());
}

/// The deadline generation moves with what the cases' deadlines read of the partnership (its
/// settings, its calendar, the organisation of each statutory partner) and with nothing else.
#[test]
fn the_deadline_generation_moves_only_when_what_deadlines_read_does() {
    use casetrail_domain::OrgSlug;
    use casetrail_domain::partnership::{OrgKind, Organisation};
    let start = DateTime::from_timestamp(1_650_000_000, 0).unwrap();
    let mut record = PartnershipRecord::try_from(history(0)).expect("an established partnership");
    let settings = record.current().settings.clone();
    let register = |slug: &str, kind| {
        PartnershipEvent::OrganisationRegistered(Organisation {
            slug: OrgSlug::parse(slug).unwrap(),
            name: slug.to_owned(),
            kind,
        })
    };
    let mut other_settings = settings.clone();
    other_settings.close_of_business = chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap();
    let steps = [
        (
            "an agency joins",
            register("youth-offending-team", OrgKind::CriminalJustice),
            false,
        ),
        (
            "an agency leaves",
            PartnershipEvent::OrganisationRetired {
                slug: OrgSlug::parse("housing").unwrap(),
            },
            false,
        ),
        // The first police force in slug order stands for the police.
        (
            "a police force that sorts later",
            register("west-police", OrgKind::Police),
            false,
        ),
        (
            "a police force that sorts first",
            register("avon-police", OrgKind::Police),
            true,
        ),
        (
            "the same settings again",
            PartnershipEvent::PartnershipSettingsChanged(settings),
            false,
        ),
        (
            "other settings",
            PartnershipEvent::PartnershipSettingsChanged(other_settings),
            true,
        ),
        (
            "a bank holiday",
            PartnershipEvent::BankHolidayDeclared {
                date: chrono::NaiveDate::from_ymd_opt(2022, 6, 3).unwrap(),
                name: "Proclaimed".to_owned(),
                declared_at: start,
                correction: None,
            },
            true,
        ),
    ];
    for (n, (what, event, moves)) in steps.into_iter().enumerate() {
        let before = record.deadline_generation().number();
        let position = record.history().len() as u64 + 1;
        record = PartnershipRecord::next(
            Some(record),
            Recorded {
                position,
                stream_version: position,
                recorded_at: start + Duration::hours(n as i64),
                event,
            },
        )
        .unwrap();
        assert_eq!(
            record.deadline_generation().number(),
            before + u64::from(moves),
            "{what}"
        );
    }
}
