//! Time travel and rebuilding are pure functions of the ordered log: a case or partnership as
//! of an instant is exactly what the events recorded by then make it, and a model fed event by
//! event is the one rebuilt from the stored log in one go.

#![allow(clippy::unwrap_used)]

use casetrail_domain::case::{Case, CaseEvent};
use casetrail_domain::stream::case_stream;
use casetrail_domain::{CaseId, OrgSlug, PartnershipSlug};
use casetrail_projections::{CaseRecord, ReadModels, decode_case_event};
use casetrail_seed::life_cycle::{
    LogWriter, ORGANISATIONS, Rng, StreamEvent, case_life_cycle, partnership_change,
    partnership_opening, partnership_slug,
};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::Index;

const PARTNERSHIPS: usize = 2;

/// How a log is made: proptest shrinks the shape (how many cases, how far each got, the
/// interleaving, the gaps); the seed fills in the facts.
#[derive(Debug, Clone)]
struct Scenario {
    seed: u64,
    /// Per case: its partnership and how many of its life cycle's events are in the log.
    cases: Vec<(usize, usize)>,
    /// Per partnership: how many later facts (bank holidays, settings, organisations).
    changes: Vec<usize>,
    /// Which stream with events left appends next, cycled.
    interleaving: Vec<Index>,
    /// The time between consecutive commits, as classes, cycled.
    gaps: Vec<u8>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<u64>(),
        prop::collection::vec((0..PARTNERSHIPS, 1usize..48), 1..5),
        prop::collection::vec(0usize..4, PARTNERSHIPS),
        prop::collection::vec(any::<Index>(), 1..32),
        prop::collection::vec(0u8..5, 1..16),
    )
        .prop_map(|(seed, cases, changes, interleaving, gaps)| Scenario {
            seed,
            cases,
            changes,
            interleaving,
            gaps,
        })
}

fn gap(class: u8) -> Duration {
    match class {
        // Several events of one commit share their recorded_at.
        0 => Duration::zero(),
        1 => Duration::microseconds(1),
        2 => Duration::seconds(1),
        3 => Duration::minutes(7),
        _ => Duration::days(2),
    }
}

fn start() -> DateTime<Utc> {
    "2022-09-01T08:00:00Z".parse().unwrap()
}

/// The log a scenario makes, and every case in it.
fn log_of(scenario: &Scenario) -> (Vec<RecordedEvent>, Vec<(PartnershipSlug, CaseId)>) {
    let mut rng = Rng::new(scenario.seed);
    let mut streams: Vec<std::vec::IntoIter<StreamEvent>> = Vec::new();
    let mut cases = Vec::new();
    for (n, (partnership, kept)) in scenario.cases.iter().enumerate() {
        let slug = partnership_slug(*partnership);
        // Ids unrelated to the order cases open in, as with Idempotency-Key-derived ids.
        let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(
            u128::from(rng.next_u64()) << 16 | n as u128,
        ));
        let opened_at = start() + Duration::hours(rng.below(24 * 20) as i64);
        let mut events = case_life_cycle(&mut rng, case_id, opened_at);
        events.truncate(*kept);
        cases.push((slug.clone(), case_id));
        let stream: Vec<_> = events
            .into_iter()
            .map(|e| StreamEvent::Case(slug.clone(), case_id, e))
            .collect();
        streams.push(stream.into_iter());
    }
    for (partnership, changes) in scenario.changes.iter().enumerate() {
        let slug = partnership_slug(partnership);
        let stream: Vec<_> = (0..*changes)
            .map(|_| StreamEvent::Partnership(slug.clone(), partnership_change(&mut rng, start())))
            .collect();
        streams.push(stream.into_iter());
    }

    let mut writer = LogWriter::new(start());
    let mut gaps = scenario.gaps.iter().cycle();
    let mut next_gap = || gap(*gaps.next().unwrap_or(&0));
    // A partnership is set up before anything happens in it.
    let mut log: Vec<RecordedEvent> = (0..PARTNERSHIPS)
        .flat_map(|n| {
            let slug = partnership_slug(n);
            partnership_opening(&slug)
                .into_iter()
                .map(move |e| StreamEvent::Partnership(slug.clone(), e))
        })
        .map(|e| writer.append(&e, next_gap()))
        .collect();
    let mut picks = scenario.interleaving.iter().cycle();
    loop {
        streams.retain(|s| s.len() > 0);
        if streams.is_empty() {
            break;
        }
        let pick = picks.next().map_or(0, |i| i.index(streams.len()));
        if let Some(event) = streams[pick].next() {
            log.push(writer.append(&event, next_gap()));
        }
    }
    (log, cases)
}

fn fold<'a>(log: impl IntoIterator<Item = &'a RecordedEvent>) -> ReadModels {
    let mut models = ReadModels::default();
    for event in log {
        models.apply(event).unwrap();
    }
    models
}

/// What a case record says, independent of how the API shows it.
#[derive(Debug, PartialEq)]
struct CaseSnapshot {
    case: Case,
    version: u64,
    opened_recorded_at: DateTime<Utc>,
    opened_position: u64,
    updated_at: DateTime<Utc>,
    marks: Vec<(u64, DateTime<Utc>)>,
    involved_since: Vec<(OrgSlug, DateTime<Utc>)>,
}

fn snapshot(record: &CaseRecord) -> CaseSnapshot {
    CaseSnapshot {
        case: record.case.clone(),
        version: record.version,
        opened_recorded_at: record.opened_recorded_at,
        opened_position: record.opened_position,
        updated_at: record.updated_at,
        marks: record
            .marks
            .iter()
            .map(|m| (m.position, m.recorded_at()))
            .collect(),
        involved_since: record.involved_since.clone(),
    }
}

/// A case's events in the log, decoded: what time travel reads back from the store.
fn events_of(log: &[RecordedEvent], slug: &PartnershipSlug, case_id: CaseId) -> Vec<CaseEvent> {
    let stream = case_stream(slug, case_id);
    log.iter()
        .filter(|e| e.stream_id == stream)
        .map(|e| decode_case_event(e).unwrap())
        .collect()
}

/// An instant to travel to: around one of the log's commits, or before or after all of them.
fn instant(log: &[RecordedEvent], (at, how): (Index, u8)) -> DateTime<Utc> {
    let first = log.first().map_or(start(), |e| e.recorded_at);
    let last = log.last().map_or(start(), |e| e.recorded_at);
    let around = log[at.index(log.len())].recorded_at;
    match how {
        0 => around - Duration::microseconds(1),
        1 => around,
        2 => around + Duration::microseconds(1),
        3 => first - Duration::days(1),
        _ => last + Duration::days(1),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn a_case_as_of_an_instant_is_what_the_events_recorded_by_then_made_it(
        scenario in scenario(),
        at in (any::<Index>(), 0u8..5),
    ) {
        let (log, cases) = log_of(&scenario);
        prop_assert!(log.windows(2).all(|w| w[0].recorded_at <= w[1].recorded_at));
        let as_of = instant(&log, at);
        let full = fold(&log);
        let known = fold(log.iter().take_while(|e| e.recorded_at <= as_of));

        for (slug, case_id) in &cases {
            let events = events_of(&log, slug, *case_id);
            let travelled = full
                .case(slug, *case_id)
                .and_then(|r| r.as_of_from(as_of, &events));
            let then = known.case(slug, *case_id);
            prop_assert_eq!(
                travelled.as_ref().map(snapshot),
                then.map(snapshot),
                "case {} as of {}", case_id, as_of
            );
            // Who could see it then, from when each organisation became involved.
            if let Some(record) = full.case(slug, *case_id) {
                for (org, _) in ORGANISATIONS {
                    let org = OrgSlug::parse(org).unwrap();
                    prop_assert_eq!(
                        record.involved_by(&org, as_of),
                        then.is_some_and(|r| r.case.involved.contains(&org))
                    );
                }
            }
        }
        for n in 0..PARTNERSHIPS {
            let slug = partnership_slug(n);
            prop_assert_eq!(
                full.partnership_as_of(&slug, as_of),
                known.partnership(&slug).cloned(),
                "partnership {} as of {}", slug, as_of
            );
            // The list as of then: the cases opened by then, in the order they were opened.
            let listed_then: Vec<CaseId> = full
                .cases(&slug)
                .filter(|r| r.opened_by(as_of))
                .map(|r| r.case.case_id)
                .collect();
            let listed: Vec<CaseId> = known.cases(&slug).map(|r| r.case.case_id).collect();
            prop_assert_eq!(listed_then, listed);
            prop_assert_eq!(
                full.statistics_years(&slug, as_of),
                known.statistics_years(&slug, DateTime::<Utc>::MAX_UTC)
            );
        }
    }
}

proptest! {
    // Each case round-trips every event through JSON twice over: fewer cases keep it quick.
    #![proptest_config(ProptestConfig::with_cases(192))]
    #[test]
    fn feeding_events_one_by_one_equals_rebuilding_from_the_stored_log(
        scenario in scenario(),
    ) {
        let (log, cases) = log_of(&scenario);

        let mut live = ReadModels::default();
        for event in &log {
            live.apply(event).unwrap();
            prop_assert_eq!(live.position(), event.position);
        }

        // What the store hands back after a restart: each row through its JSON form.
        let stored: Vec<RecordedEvent> = log
            .iter()
            .map(|e| serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap())
            .collect();
        prop_assert_eq!(&stored, &log);
        let rebuilt = fold(&stored);

        prop_assert_eq!(live.position(), rebuilt.position());
        for (slug, case_id) in &cases {
            prop_assert_eq!(
                live.case(slug, *case_id).map(snapshot),
                rebuilt.case(slug, *case_id).map(snapshot)
            );
        }
        for n in 0..PARTNERSHIPS {
            let slug = partnership_slug(n);
            prop_assert_eq!(live.partnership(&slug), rebuilt.partnership(&slug));
            let order = |m: &ReadModels| -> Vec<(u64, CaseId)> {
                m.cases(&slug).map(|r| (r.opened_position, r.case.case_id)).collect()
            };
            prop_assert_eq!(order(&live), order(&rebuilt));
            let trail = |m: &ReadModels| m.audit().page(&slug, None, None, None, usize::MAX, |_| true);
            prop_assert_eq!(trail(&live), trail(&rebuilt));
        }
    }
}
