#![allow(clippy::unwrap_used)]
use super::*;
use crate::ReadModels;
use casetrail_domain::case::Case;
use casetrail_domain::codec::decode;
use casetrail_domain::codec::encode;
use casetrail_domain::deadline::DeadlineKind;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::partnership::PartnershipEvent;
use casetrail_domain::reminders::{DeadlineNotice, DeadlineReminderIssued};
use casetrail_domain::stream::reminders_stream;
use casetrail_domain::stream::{StreamRef, parse_stream};
use casetrail_seed::life_cycle::{
    LogWriter, Rng, StreamEvent, case_life_cycle, partnership_opening, partnership_slug,
};
use casetrail_store::{GENESIS_HASH, RecordedEvent};
use chrono::Duration;
use std::collections::HashSet;

fn start() -> DateTime<Utc> {
    "2022-09-05T08:00:00Z".parse().unwrap()
}

/// A partnership and one case's whole life cycle, from `seed`.
fn log(seed: u64) -> (Vec<RecordedEvent>, CaseId) {
    let slug = partnership_slug(0);
    let mut writer = LogWriter::new(start());
    let mut log: Vec<RecordedEvent> = partnership_opening(&slug)
        .into_iter()
        .map(|e| writer.append(&StreamEvent::Partnership(slug.clone(), e), Duration::zero()))
        .collect();
    let mut rng = Rng::new(seed);
    let case_id = CaseId::from_uuid(Uuid::from_u128(u128::from(seed) + 1));
    for event in case_life_cycle(&mut rng, case_id, start()) {
        let event = StreamEvent::Case(slug.clone(), case_id, event);
        log.push(writer.append(&event, Duration::minutes(5)));
    }
    (log, case_id)
}

fn fold(log: &[RecordedEvent]) -> ReadModels {
    let mut models = ReadModels::default();
    for event in log {
        models.apply(event).unwrap();
    }
    models
}

/// The whole feed of a log, derived event by event from the states each moved between, as
/// the service's reader derives it from the store.
fn derive_log(log: &[RecordedEvent]) -> Vec<FeedItem> {
    let mut models = ReadModels::default();
    let mut items = Vec::new();
    for event in log {
        let at = derive::At {
            position: event.position,
            recorded_at: event.recorded_at,
        };
        match parse_stream(&event.stream_id) {
            Some(StreamRef::Case(slug, case_id)) => {
                let decoded = crate::decode_case_event(event).unwrap();
                let before = models.case(&slug, case_id).map(|r| r.case.clone());
                let after = Case::evolve(before.clone(), &decoded).unwrap();
                let partnership = models.partnership(&slug).unwrap();
                items.extend(derive::case_event(
                    at,
                    before.as_ref(),
                    &after,
                    partnership,
                    &decoded,
                ));
            }
            Some(StreamRef::Partnership(slug)) => {
                let decoded: PartnershipEvent =
                    decode(&event.event_type, event.schema_version, &event.data).unwrap();
                if let (Some(reach), Some(before)) =
                    (derive::Reach::of(&decoded), models.partnership(&slug))
                {
                    let after = Partnership::evolve(Some(before.clone()), &decoded).unwrap();
                    let cases: Vec<&Case> = models
                        .cases(&slug)
                        .map(|r| &r.case)
                        .filter(|c| reach.can_move(c))
                        .collect();
                    items.extend(derive::calendar_change(at, cases, before, &after));
                }
            }
            Some(StreamRef::Reminders(_)) => {
                let decoded: ReminderEvent =
                    decode(&event.event_type, event.schema_version, &event.data).unwrap();
                items.extend(derive::reminder(at, &decoded));
            }
            Some(StreamRef::Learning(_)) | None => {}
        }
        models.apply(event).unwrap();
    }
    items
}

fn all(log: &[RecordedEvent]) -> Vec<FeedItem> {
    derive_log(log)
}

#[test]
fn a_life_cycle_tells_its_opening_its_stages_and_its_deadlines_in_log_order() {
    for seed in 1..40 {
        let (log, case_id) = log(seed);
        let models = fold(&log);
        let items = all(&log);
        assert!(
            matches!(items[0].event, IntegrationEvent::CaseOpened { .. }),
            "seed {seed}"
        );
        // Cursors strictly increase, and each position numbers its items from 0.
        for pair in items.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!((a.position, a.index) < (b.position, b.index), "seed {seed}");
            if a.position != b.position {
                assert_eq!(b.index, 0, "seed {seed}");
            } else {
                assert_eq!(b.index, a.index + 1, "seed {seed}");
            }
        }
        // The stage changes chain from the opening stage to the case's stage now.
        let mut stage = None;
        let mut created = HashSet::new();
        for item in &items {
            assert_eq!(item.case_id, case_id);
            assert!(IntegrationEvent::TYPES.contains(&item.event.type_name()));
            match &item.event {
                IntegrationEvent::CaseOpened { stage: s, .. } => stage = Some(*s),
                IntegrationEvent::StageChanged { from, to } => {
                    assert_eq!(stage, Some(*from), "seed {seed}");
                    assert_ne!(from, to);
                    stage = Some(*to);
                }
                IntegrationEvent::DeadlineCreated { deadline } => {
                    assert!(created.insert(deadline.deadline_id), "created twice");
                }
                IntegrationEvent::DeadlineMet { deadline, .. }
                | IntegrationEvent::DeadlineMoved { deadline, .. }
                | IntegrationEvent::DeadlineNoLongerApplies { deadline } => {
                    assert!(created.contains(&deadline.deadline_id), "seed {seed}");
                }
                _ => {}
            }
        }
        let record = models.case(&partnership_slug(0), case_id).unwrap();
        assert_eq!(stage, Some(record.case.stage), "seed {seed}");
        // Every deadline that applies now was announced.
        let partnership = models.partnership(&partnership_slug(0)).unwrap();
        for deadline in record.case.deadlines(partnership) {
            if deadline.kind != DeadlineKind::Recommendation && deadline.superseded_at.is_none() {
                assert!(created.contains(&deadline.id(case_id)), "seed {seed}");
            }
        }
    }
}

/// The first life cycle that starts with a notification (80% do).
fn notified() -> (Vec<RecordedEvent>, CaseId) {
    (1..)
        .map(log)
        .find(|(log, _)| log[9].event_type == "IncidentNotified")
        .unwrap()
}

#[test]
fn a_notification_opens_the_case_and_its_panel_notification_meets_the_deadline() {
    let (log, case_id) = notified();
    // The second case event records the Panel notification.
    assert_eq!(log[10].event_type, "PanelNotificationRecorded");
    let items = all(&log[..11]);
    let at_opening: Vec<&str> = items
        .iter()
        .filter(|i| i.position == log[9].position)
        .map(|i| i.event.type_name())
        .collect();
    assert_eq!(at_opening[0], "case.opened");
    assert!(at_opening.contains(&"deadline.created"));
    let met = items
        .iter()
        .find(|i| {
            matches!(&i.event, IntegrationEvent::DeadlineMet { deadline, .. }
            if deadline.kind == DeadlineKind::PanelNotification)
        })
        .unwrap();
    assert_eq!(met.position, log[10].position);
    assert_eq!(met.case_id, case_id);
    let IntegrationEvent::DeadlineMet { on_time, .. } = &met.event else {
        unreachable!()
    };
    assert!(on_time.is_some());
}

fn recorded(position: u64, stream_id: String, event: (String, serde_json::Value)) -> RecordedEvent {
    RecordedEvent {
        position,
        stream_id,
        stream_version: 1,
        event_id: Uuid::from_u128(u128::from(position)),
        schema_version: casetrail_domain::codec::schema_version(&event.0),
        event_type: event.0,
        data: event.1,
        metadata: serde_json::json!({}),
        recorded_at: start() + Duration::days(30),
        prev_hash: GENESIS_HASH,
        hash: GENESIS_HASH,
    }
}

#[test]
fn a_recorded_reminder_is_told_once_and_known_by_its_id() {
    let (mut log, case_id) = log(3);
    log.truncate(10);
    let reminder = ReminderEvent::DeadlineReminderIssued(DeadlineReminderIssued {
        deadline: DeadlineNotice {
            case_id,
            deadline_id: Uuid::from_u128(99),
            kind: DeadlineKind::PanelNotification,
            organisation: None,
            reference: None,
            due_at: start() + Duration::days(7),
        },
        working_days_before: 2,
        occurred_at: start() + Duration::days(5),
    });
    let position = log.len() as u64 + 1;
    log.push(recorded(
        position,
        reminders_stream(&partnership_slug(0)),
        encode(&reminder),
    ));
    let models = fold(&log);
    assert!(models.feed().has_reminder(reminder.event_id()));
    assert!(!models.feed().has_reminder(Uuid::from_u128(5)));
    let items = all(&log);
    let told: Vec<&FeedItem> = items.iter().filter(|i| i.position == position).collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].occurred_at, start() + Duration::days(5));
    assert!(matches!(
        &told[0].event,
        IntegrationEvent::DeadlineDueSoon { working_days_before: 2, deadline }
            if deadline.deadline_id == Uuid::from_u128(99)
    ));
}

#[test]
fn a_proclaimed_bank_holiday_moves_pending_deadlines_at_its_own_position() {
    let (mut log, _) = notified();
    let first_review_event = log
        .iter()
        .position(|e| e.event_type == "RapidReviewInitiated")
        .unwrap();
    log.truncate(first_review_event + 1);
    // A weekday in the days just after the review began: its working-day deadlines due
    // later move by a day.
    let mut day = log.last().unwrap().recorded_at.date_naive() + Duration::days(1);
    while !casetrail_domain::calendar::WorkingCalendar::england_and_wales().is_working_day(day) {
        day += Duration::days(1);
    }
    let declared = PartnershipEvent::BankHolidayDeclared {
        date: day,
        name: "State funeral".into(),
        declared_at: log.last().unwrap().recorded_at,
        correction: None,
    };
    let position = log.len() as u64 + 1;
    let mut event = recorded(
        position,
        casetrail_domain::stream::partnership_stream(&partnership_slug(0)),
        encode(&declared),
    );
    event.recorded_at = log.last().unwrap().recorded_at;
    event.stream_version = 99;
    log.push(event);
    let items = all(&log);
    let moved: Vec<&FeedItem> = items.iter().filter(|i| i.position == position).collect();
    assert!(!moved.is_empty(), "no deadline moved");
    for item in moved {
        let IntegrationEvent::DeadlineMoved {
            deadline,
            previous_due_at,
        } = &item.event
        else {
            panic!("{:?}", item.event)
        };
        assert!(deadline.due_at > *previous_due_at);
    }
}

#[test]
fn cursors_parse_what_they_print_and_nothing_else() {
    for text in ["0", "17", "17.0", "17.3"] {
        assert_eq!(FeedCursor::parse(text).unwrap().to_string(), text);
    }
    for text in [
        "", ".", "a", "+5", " 5", "5.", "5.x", "5.-1", "5.70000", "-1",
    ] {
        assert_eq!(FeedCursor::parse(text), None, "{text:?}");
    }
}
