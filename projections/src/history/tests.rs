#![allow(clippy::unwrap_used)]

use super::*;
use crate::Projector;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::partnership_slug;
use std::sync::Arc;

fn planned(case: u128, first: u64, last: u64, known: usize) -> Planned {
    Planned {
        case_id: CaseId::from_uuid(uuid::Uuid::from_u128(case)),
        known,
        first_position: first,
        last_position: last,
    }
}

#[test]
fn cases_far_apart_in_the_log_are_read_stream_by_stream() {
    // Two cases of 30 events each, a million events apart: two queries, not a million rows.
    let plan = [planned(1, 10, 40, 30), planned(2, 1_000_000, 1_000_030, 30)];
    assert_eq!(Reading::cheaper(&plan), Reading::Streams);
}

#[test]
fn cases_close_together_in_the_log_are_read_in_one_pass() {
    // Twenty cases of one event each, side by side: one page of the log.
    let plan: Vec<_> = (0..20)
        .map(|n| planned(n, 100 + n as u64, 100 + n as u64, 1))
        .collect();
    assert_eq!(Reading::cheaper(&plan), Reading::Scan);
}

#[test]
fn the_cheaper_reading_weighs_the_queries_against_the_rows_scanned() {
    // 10 cases of 10 events: (40 + 10) x 10 = 500 streamed against the span scanned.
    let plan = |span: u64| -> Vec<Planned> {
        (0..10)
            .map(|n| planned(n, 1 + n as u64, span - 9 + n as u64, 10))
            .collect()
    };
    assert_eq!(Reading::cheaper(&plan(499)), Reading::Scan);
    assert_eq!(Reading::cheaper(&plan(500)), Reading::Streams);
}

/// Both readings give every planned case the same events: the choice is only of cost.
#[tokio::test]
async fn both_readings_give_the_same_events() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/log.db", dir.path().display());
    let store = casetrail_store::open(&url).await.unwrap();
    // Seeded in slices of 4,096 events, each case's events of a slice in one append: the 60
    // cases under way at a slice's end have events recorded after it.
    let workload = Workload {
        partnerships: 3,
        cases: 300,
        open_cases: 60,
        seed: 17,
    };
    casetrail_seed::seed(store.as_ref(), &workload, |_| {})
        .await
        .unwrap();
    let projector = Projector::start(Arc::clone(&store)).await.unwrap();
    let end_of_first_slice = store.read_all(4_095, 1).await.unwrap();
    let at = end_of_first_slice[0].recorded_at;
    let slug = partnership_slug(0);

    let plan = plan(projector.read().cases(&slug), at);
    assert!(
        plan.len() > 3,
        "cases changed after the instant: {}",
        plan.len()
    );
    let streams = read_events(store.as_ref(), &slug, &plan, Reading::Streams)
        .await
        .unwrap();
    let scanned = read_events(store.as_ref(), &slug, &plan, Reading::Scan)
        .await
        .unwrap();
    assert_eq!(streams, scanned);
    for planned in &plan {
        assert_eq!(streams[&planned.case_id].len(), planned.known);
    }
    projector.stop();
}
