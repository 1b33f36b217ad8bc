//! One conformance suite for every event store backend.
//!
//! Each test is written once against `EventStore` and instantiated per backend by
//! `conformance!`. SQLite gets a fresh file in a temporary directory; PostgreSQL a fresh
//! database on `TEST_DATABASE_URL`, dropped afterwards. Without that variable the PostgreSQL
//! tests are skipped with a note, except under CI, where they must run.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use casetrail_store::{
    AppendRequest, AppendResult, EventStore, ExpectedVersion, GENESIS_HASH, NewEvent,
    RecordedEvent, StoreError, event_hash,
};
use chrono::{SubsecRound, Utc};
use futures::future::join_all;
use serde_json::json;
use uuid::Uuid;

#[macro_use]
mod support;

use support::TestDb;

both_backends!(
    append_and_read_back,
    expected_version_no_stream,
    expected_version_exact,
    expected_version_any,
    malformed_appends_are_refused,
    racing_writers_on_one_stream,
    many_writers_gap_free_and_tailed,
    idempotent_retry_writes_nothing,
    idempotency_mismatch,
    reopen_keeps_everything,
    close_finishes_queued_appends,
    read_all_pages,
    event_by_id,
    ping_and_head,
    data_keys_are_stored_read_and_erased,
    data_keys_are_stored_only_with_their_events,
    data_keys_are_rewrapped_one_by_one,
    integrity_of_an_untouched_log,
    integrity_detects_altered_data,
    integrity_detects_a_deleted_row,
    integrity_detects_reordered_rows,
    an_export_verifies_without_the_database,
    another_process_appends_between_two_batches,
    streams_this_process_never_wrote,
    a_retry_after_a_restart,
    an_append_too_large_for_one_statement,
    recent_events_are_the_stored_ones,
    a_follower_sees_another_processs_appends_between_its_own,
);

// ---------------------------------------------------------------------------------------------
// Helpers

fn event(n: usize) -> NewEvent {
    NewEvent {
        event_id: Uuid::new_v4(),
        event_type: "CaseNoted".to_owned(),
        schema_version: 2,
        // Keys out of order, nesting, floats, unicode: all must survive the round trip and
        // hash the same after it.
        data: json!({
            "z": n, "a": { "y": [1.5, true, null, "ünïcödé ✓"], "b": -7 }, "note": "x".repeat(n % 7),
        }),
        metadata: json!({ "actor": "u-1", "request_id": Uuid::new_v4(), "roles": ["chair"] }),
    }
}

fn request(stream: &str, expected: ExpectedVersion, events: Vec<NewEvent>) -> AppendRequest {
    AppendRequest {
        stream_id: stream.to_owned(),
        expected_version: expected,
        events,
        data_keys: Vec::new(),
    }
}

fn wrapped(kek: &str, byte: u8) -> casetrail_store::WrappedKey {
    casetrail_store::WrappedKey {
        kek_id: kek.to_owned(),
        bytes: vec![byte; 60],
    }
}

/// An append of one event to a new stream of its own that stores the key `id` with it: how
/// the service stores every data key.
fn with_key(id: Uuid, key: casetrail_store::WrappedKey) -> AppendRequest {
    AppendRequest {
        data_keys: vec![casetrail_store::NewDataKey {
            key_id: id,
            wrapped: key,
        }],
        ..request(
            &format!("case-{}", Uuid::new_v4()),
            ExpectedVersion::NoStream,
            vec![event(1)],
        )
    }
}

/// The log as a follower hands it over: each event shared, not copied.
fn shared(log: &[RecordedEvent]) -> Vec<Arc<RecordedEvent>> {
    log.iter().cloned().map(Arc::new).collect()
}

/// Reads the whole log in pages.
async fn read_log(store: &Arc<dyn EventStore>) -> Vec<RecordedEvent> {
    let mut log = Vec::new();
    loop {
        let after = log.last().map_or(0, |e: &RecordedEvent| e.position);
        let page = store.read_all(after, 100).await.unwrap();
        if page.is_empty() {
            return log;
        }
        log.extend(page);
    }
}

/// Positions are 1..=N and every hash recomputes from the genesis hash along the whole log.
async fn assert_chain(store: &Arc<dyn EventStore>) -> Vec<RecordedEvent> {
    let log = read_log(store).await;
    let mut prev = GENESIS_HASH;
    for (expected_position, e) in (1..).zip(&log) {
        assert_eq!(e.position, expected_position, "positions must be gap-free");
        assert_eq!(e.prev_hash, prev, "prev_hash at {}", e.position);
        let hash = event_hash(
            &prev,
            e.position,
            &e.stream_id,
            e.stream_version,
            e.event_id,
            &e.event_type,
            e.schema_version,
            &e.data,
            &e.metadata,
            e.recorded_at,
        );
        assert_eq!(e.hash, hash, "hash at {}", e.position);
        prev = hash;
    }
    assert_eq!(store.head_position().await.unwrap(), log.len() as u64);
    log
}

async fn current_version(store: &Arc<dyn EventStore>, stream: &str) -> u64 {
    store
        .read_stream(stream, 1)
        .await
        .unwrap()
        .last()
        .map_or(0, |e| e.stream_version)
}

// ---------------------------------------------------------------------------------------------
// Tests for every backend

async fn append_and_read_back(db: &TestDb) {
    let store = db.open().await;
    let before = Utc::now().trunc_subsecs(6);
    let first = vec![event(1), event(2)];
    let result = store
        .append(request("case-1", ExpectedVersion::NoStream, first.clone()))
        .await
        .unwrap();
    assert_eq!(
        result,
        AppendResult {
            first_version: 1,
            last_version: 2,
            first_position: 1,
            last_position: 2,
            already_stored: false
        }
    );
    let second = vec![event(3)];
    let result = store
        .append(request("case-2", ExpectedVersion::NoStream, second.clone()))
        .await
        .unwrap();
    assert_eq!((result.first_position, result.first_version), (3, 1));
    let after = Utc::now();
    // The head watch has moved by the time an append returns.
    assert_eq!(*store.watch_head().borrow(), 3);

    let stream = store.read_stream("case-1", 1).await.unwrap();
    assert_eq!(stream.len(), 2);
    for (version, (stored, sent)) in (1..).zip(stream.iter().zip(&first)) {
        assert_eq!(stored.stream_id, "case-1");
        assert_eq!(stored.stream_version, version);
        assert_eq!(stored.position, version);
        assert_eq!(stored.event_id, sent.event_id);
        assert_eq!(stored.event_type, sent.event_type);
        assert_eq!(stored.schema_version, sent.schema_version);
        assert_eq!(stored.data, sent.data);
        assert_eq!(stored.metadata, sent.metadata);
        assert!(stored.recorded_at >= before && stored.recorded_at <= after);
        assert_eq!(stored.recorded_at, stored.recorded_at.trunc_subsecs(6));
    }
    // One append is one commit: one timestamp.
    assert_eq!(stream[0].recorded_at, stream[1].recorded_at);
    assert_eq!(
        store.read_stream("case-1", 2).await.unwrap()[0].event_id,
        first[1].event_id
    );
    assert!(store.read_stream("case-1", 3).await.unwrap().is_empty());
    assert!(store.read_stream("nobody", 1).await.unwrap().is_empty());

    let log = assert_chain(&store).await;
    assert_eq!(log.len(), 3);
    assert_eq!(log[2].event_id, second[0].event_id);
    assert!(log[1].recorded_at <= log[2].recorded_at);
    store.close().await;
}

async fn expected_version_no_stream(db: &TestDb) {
    let store = db.open().await;
    store
        .append(request("s", ExpectedVersion::NoStream, vec![event(1)]))
        .await
        .unwrap();
    let refused = store
        .append(request("s", ExpectedVersion::NoStream, vec![event(2)]))
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict { ref stream_id, expected: ExpectedVersion::NoStream, actual: 1 })
                if stream_id == "s"
        ),
        "{refused:?}"
    );
    // Exact(0) means the same as NoStream.
    store
        .append(request("t", ExpectedVersion::Exact(0), vec![event(3)]))
        .await
        .unwrap();
    let refused = store
        .append(request("t", ExpectedVersion::Exact(0), vec![event(4)]))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { actual: 1, .. })),
        "{refused:?}"
    );
    assert_eq!(
        assert_chain(&store).await.len(),
        2,
        "refused appends write nothing"
    );
    store.close().await;
}

async fn expected_version_exact(db: &TestDb) {
    let store = db.open().await;
    let refused = store
        .append(request("s", ExpectedVersion::Exact(1), vec![event(1)]))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { actual: 0, .. })),
        "{refused:?}"
    );
    store
        .append(request(
            "s",
            ExpectedVersion::NoStream,
            vec![event(1), event(2)],
        ))
        .await
        .unwrap();
    let accepted = store
        .append(request("s", ExpectedVersion::Exact(2), vec![event(3)]))
        .await;
    assert_eq!(accepted.unwrap().last_version, 3);
    for stale in [1, 2, 4] {
        let refused = store
            .append(request("s", ExpectedVersion::Exact(stale), vec![event(9)]))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Conflict { expected: ExpectedVersion::Exact(e), actual: 3, .. }) if e == stale),
            "{refused:?}"
        );
    }
    assert_eq!(current_version(&store, "s").await, 3);
    assert_eq!(assert_chain(&store).await.len(), 3);
    store.close().await;
}

async fn expected_version_any(db: &TestDb) {
    let store = db.open().await;
    let created = store
        .append(request("s", ExpectedVersion::Any, vec![event(1)]))
        .await
        .unwrap();
    assert_eq!(created.first_version, 1);
    let extended = store
        .append(request("s", ExpectedVersion::Any, vec![event(2), event(3)]))
        .await
        .unwrap();
    assert_eq!((extended.first_version, extended.last_version), (2, 3));
    // Any checks nothing, but other expectations are still checked after it.
    let refused = store
        .append(request("s", ExpectedVersion::NoStream, vec![event(4)]))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { actual: 3, .. })),
        "{refused:?}"
    );
    assert_eq!(assert_chain(&store).await.len(), 3);
    store.close().await;
}

async fn malformed_appends_are_refused(db: &TestDb) {
    let store = db.open().await;
    let empty = store
        .append(request("s", ExpectedVersion::Any, vec![]))
        .await;
    assert!(
        matches!(empty, Err(StoreError::InvalidAppend(_))),
        "{empty:?}"
    );
    let twice = event(1);
    let duplicate = store
        .append(request(
            "s",
            ExpectedVersion::Any,
            vec![twice.clone(), twice],
        ))
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::InvalidAppend(_))),
        "{duplicate:?}"
    );
    let mut nul = event(2);
    nul.data = json!({ "text": "a\u{0}b" });
    let nul = store
        .append(request("s", ExpectedVersion::Any, vec![nul]))
        .await;
    assert!(matches!(nul, Err(StoreError::InvalidAppend(_))), "{nul:?}");
    let no_stream = store
        .append(request("", ExpectedVersion::Any, vec![event(3)]))
        .await;
    assert!(
        matches!(no_stream, Err(StoreError::InvalidAppend(_))),
        "{no_stream:?}"
    );
    // The store is still fine afterwards.
    store
        .append(request("s", ExpectedVersion::NoStream, vec![event(4)]))
        .await
        .unwrap();
    assert_eq!(assert_chain(&store).await.len(), 1);
    store.close().await;
}

async fn racing_writers_on_one_stream(db: &TestDb) {
    let store = db.open().await;
    // Fifty writers who all believe the stream is new: exactly one wins.
    let attempts = (0..50).map(|n| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .append(request("race", ExpectedVersion::NoStream, vec![event(n)]))
                .await
        })
    });
    let results: Vec<_> = join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for result in results.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(result, Err(StoreError::Conflict { actual: 1, .. })),
            "{result:?}"
        );
    }

    // Fifty writers each read the version and append with Exact(it), retrying on conflict.
    let writers = (0..50).map(|n| {
        let store = store.clone();
        tokio::spawn(async move {
            let mine = event(100 + n);
            let mut conflicts = 0;
            loop {
                let version = current_version(&store, "race").await;
                let attempt = request("race", ExpectedVersion::Exact(version), vec![mine.clone()]);
                match store.append(attempt).await {
                    Ok(result) => {
                        assert_eq!(result.first_version, version + 1);
                        return (mine.event_id, conflicts);
                    }
                    Err(StoreError::Conflict { .. }) => conflicts += 1,
                    Err(other) => panic!("unexpected {other:?}"),
                }
            }
        })
    });
    let written: Vec<_> = join_all(writers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();

    let stream = store.read_stream("race", 1).await.unwrap();
    assert_eq!(stream.len(), 51);
    let versions: Vec<u64> = stream.iter().map(|e| e.stream_version).collect();
    assert_eq!(
        versions,
        (1..=51).collect::<Vec<_>>(),
        "each version written exactly once"
    );
    for (event_id, _) in &written {
        assert_eq!(stream.iter().filter(|e| e.event_id == *event_id).count(), 1);
    }
    assert_eq!(assert_chain(&store).await.len(), 51);
    store.close().await;
}

async fn many_writers_gap_free_and_tailed(db: &TestDb) {
    const WRITERS: usize = 50;
    const APPENDS: usize = 6;
    let store = db.open().await;
    // Odd appends carry two events, even ones one: 9 events per writer.
    let total = WRITERS * (APPENDS + APPENDS / 2);

    let mut tail = casetrail_store::tail(store.clone(), 0);
    let reader = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(total);
        while seen.len() < total {
            let next = tokio::time::timeout(Duration::from_secs(30), tail.next()).await;
            seen.push(next.expect("tail stalled").unwrap());
        }
        // Nothing more than what was written.
        let extra = tokio::time::timeout(Duration::from_millis(300), tail.next()).await;
        assert!(extra.is_err(), "tail produced an extra event");
        seen
    });
    // Another follower taking what it read together, at most 7 at a time.
    let mut batches = casetrail_store::tail(store.clone(), 0);
    let batch_reader = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(total);
        let mut largest = 0;
        while seen.len() < total {
            let next = tokio::time::timeout(Duration::from_secs(30), batches.next_batch(7)).await;
            let batch = next.expect("tail stalled").unwrap();
            assert!((1..=7).contains(&batch.len()), "a batch of {}", batch.len());
            largest = largest.max(batch.len());
            assert_eq!(batches.position(), batch.last().unwrap().position);
            seen.extend(batch);
        }
        let extra = tokio::time::timeout(Duration::from_millis(300), batches.next_batch(7)).await;
        assert!(extra.is_err(), "tail produced an extra event");
        (seen, largest)
    });
    tokio::time::sleep(Duration::from_millis(50)).await;

    let writers = (0..WRITERS).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            let stream = format!("case-{w}");
            let mut version = 0;
            for a in 0..APPENDS {
                let events = if a % 2 == 1 {
                    vec![event(a), event(a + 1)]
                } else {
                    vec![event(a)]
                };
                let expected = if version == 0 {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(version)
                };
                let result = store
                    .append(request(&stream, expected, events))
                    .await
                    .unwrap();
                assert_eq!(result.first_version, version + 1);
                version = result.last_version;
            }
        })
    });
    for writer in join_all(writers).await {
        writer.unwrap();
    }

    let log = assert_chain(&store).await;
    assert_eq!(log.len(), total);
    let seen = reader.await.unwrap();
    assert_eq!(
        seen,
        shared(&log),
        "the tail saw every event exactly once, in order"
    );
    let (seen, largest) = batch_reader.await.unwrap();
    assert_eq!(seen, shared(&log), "in batches too");
    assert!(largest > 1, "events read together come together");
    for w in 0..WRITERS {
        let versions: Vec<u64> = log
            .iter()
            .filter(|e| e.stream_id == format!("case-{w}"))
            .map(|e| e.stream_version)
            .collect();
        assert_eq!(versions, (1..=9).collect::<Vec<_>>());
    }
    store.close().await;
}

async fn idempotent_retry_writes_nothing(db: &TestDb) {
    let store = db.open().await;
    let events = vec![event(1), event(2)];
    store
        .append(request("other", ExpectedVersion::Any, vec![event(0)]))
        .await
        .unwrap();
    let original = store
        .append(request("s", ExpectedVersion::NoStream, events.clone()))
        .await
        .unwrap();
    store
        .append(request("s", ExpectedVersion::Exact(2), vec![event(3)]))
        .await
        .unwrap();

    // The retry's expected version is stale by now, and its metadata (request id) differs:
    // it is still the same append.
    let mut retried = events.clone();
    retried[0].metadata = json!({ "request_id": "retry" });
    let retry = store
        .append(request("s", ExpectedVersion::NoStream, retried))
        .await
        .unwrap();
    assert_eq!(
        retry,
        AppendResult {
            already_stored: true,
            ..original
        }
    );
    assert_eq!((retry.first_position, retry.last_position), (2, 3));

    // Concurrent copies of one append: one writes, the others find it stored.
    let copies = (0..5).map(|_| {
        let store = store.clone();
        let events = vec![event(7)];
        let copy = request("t", ExpectedVersion::NoStream, events);
        (0..4).map(move |_| {
            let store = store.clone();
            let copy = copy.clone();
            tokio::spawn(async move { store.append(copy).await })
        })
    });
    let results: Vec<_> = join_all(copies.flatten())
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let written = results
        .iter()
        .filter(|r| matches!(r, Ok(r) if !r.already_stored))
        .count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Conflict { .. })))
        .count();
    // Five different appends all expecting a new stream "t": one of them wins; copies of the
    // winner are retries; copies of the losers conflict.
    assert_eq!(written, 1);
    assert_eq!(
        results
            .iter()
            .filter(|r| matches!(r, Ok(r) if r.already_stored))
            .count(),
        3
    );
    assert_eq!(results.iter().filter(|r| r.is_ok()).count() + conflicts, 20);

    let log = assert_chain(&store).await;
    assert_eq!(log.len(), 5);
    store.close().await;
}

async fn idempotency_mismatch(db: &TestDb) {
    let store = db.open().await;
    let mut events = vec![event(1), event(2)];
    events[0].data = serde_json::from_str(r#"{"b": 1, "a": {"d": 2, "c": 3}}"#).unwrap();
    store
        .append(request("s", ExpectedVersion::NoStream, events.clone()))
        .await
        .unwrap();

    let mut changed = events.clone();
    changed[1].data = json!({ "different": true });
    let mut retyped = events.clone();
    retyped[0].event_type = "SomethingElse".to_owned();
    let attempts = [
        request("s", ExpectedVersion::Any, changed),
        request("s", ExpectedVersion::Any, retyped),
        request("elsewhere", ExpectedVersion::Any, events.clone()),
        request("s", ExpectedVersion::Any, vec![events[0].clone(), event(3)]),
        request(
            "s",
            ExpectedVersion::Any,
            vec![events[1].clone(), events[0].clone()],
        ),
    ];
    for attempt in attempts {
        let result = store.append(attempt.clone()).await;
        assert!(
            matches!(result, Err(StoreError::IdempotencyMismatch)),
            "{attempt:?}: {result:?}"
        );
    }
    // A key order change is not a content change.
    let mut reordered = events.clone();
    reordered[0].data = serde_json::from_str(r#"{"a": {"c": 3, "d": 2}, "b": 1}"#).unwrap();
    let retry = store
        .append(request("s", ExpectedVersion::Any, reordered))
        .await
        .unwrap();
    assert!(retry.already_stored);
    // Retrying a consecutive part of an append is a retry too.
    let part = store
        .append(request("s", ExpectedVersion::Any, vec![events[1].clone()]))
        .await;
    assert_eq!(
        part.unwrap(),
        AppendResult {
            first_version: 2,
            last_version: 2,
            first_position: 2,
            last_position: 2,
            already_stored: true,
        }
    );
    assert_eq!(assert_chain(&store).await.len(), 2);
    store.close().await;
}

async fn reopen_keeps_everything(db: &TestDb) {
    let store = db.open().await;
    for n in 0..5 {
        store
            .append(request(
                &format!("s{}", n % 2),
                ExpectedVersion::Any,
                vec![event(n)],
            ))
            .await
            .unwrap();
    }
    let before = assert_chain(&store).await;
    store.close().await;
    let closed = store
        .append(request("s0", ExpectedVersion::Any, vec![event(9)]))
        .await;
    assert!(matches!(closed, Err(StoreError::Closed)), "{closed:?}");
    drop(store);

    let store = db.open().await;
    assert_eq!(*store.watch_head().borrow(), 5);
    assert_eq!(read_log(&store).await, before);
    let result = store
        .append(request("s0", ExpectedVersion::Exact(3), vec![event(5)]))
        .await
        .unwrap();
    assert_eq!((result.first_position, result.first_version), (6, 4));
    let after = assert_chain(&store).await;
    assert_eq!(
        after[5].prev_hash, before[4].hash,
        "the chain continues across restarts"
    );
    store.close().await;
}

async fn close_finishes_queued_appends(db: &TestDb) {
    let store = db.open().await;
    let appends: Vec<_> = (0..40)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let sent = request(&format!("s{n}"), ExpectedVersion::NoStream, vec![event(n)]);
                (sent.events[0].event_id, store.append(sent).await)
            })
        })
        .collect();
    tokio::task::yield_now().await;
    store.close().await;
    let results: Vec<_> = join_all(appends)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    drop(store);

    let store = db.open().await;
    for (event_id, result) in results {
        match result {
            Ok(result) => {
                let stored = store.event_by_id(event_id).await.unwrap().unwrap();
                assert_eq!(
                    stored.position, result.first_position,
                    "acknowledged means stored"
                );
            }
            Err(StoreError::Closed) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_chain(&store).await;
    store.close().await;
}

async fn read_all_pages(db: &TestDb) {
    let store = db.open().await;
    for n in 0..25 {
        store
            .append(request(
                &format!("s{}", n % 3),
                ExpectedVersion::Any,
                vec![event(n)],
            ))
            .await
            .unwrap();
    }
    let mut pages = Vec::new();
    for after in [0, 10, 20, 25, 30] {
        pages.push(store.read_all(after, 10).await.unwrap());
    }
    let lens: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(lens, [10, 10, 5, 0, 0]);
    assert_eq!(pages[1].first().unwrap().position, 11);
    assert_eq!(pages[2].last().unwrap().position, 25);
    assert!(store.read_all(0, 0).await.unwrap().is_empty());
    assert_eq!(store.read_all(7, 1).await.unwrap()[0].position, 8);
    assert_eq!(store.read_all(u64::MAX, 10).await.unwrap().len(), 0);
    assert_eq!(store.read_all(0, usize::MAX).await.unwrap().len(), 25);
    let s1: Vec<u64> = store
        .read_stream("s1", 5)
        .await
        .unwrap()
        .iter()
        .map(|e| e.stream_version)
        .collect();
    assert_eq!(s1, [5, 6, 7, 8]);
    store.close().await;
}

async fn event_by_id(db: &TestDb) {
    let store = db.open().await;
    let events = vec![event(1), event(2)];
    store
        .append(request("s", ExpectedVersion::Any, events.clone()))
        .await
        .unwrap();
    let found = store
        .event_by_id(events[1].event_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.position, found.stream_version, found.data.clone()),
        (2, 2, events[1].data.clone())
    );
    assert_eq!(found, store.read_all(1, 1).await.unwrap()[0]);
    assert!(store.event_by_id(Uuid::new_v4()).await.unwrap().is_none());
    store.close().await;
}

async fn ping_and_head(db: &TestDb) {
    let store = db.open().await;
    store.ping().await.unwrap();
    assert_eq!(store.head_position().await.unwrap(), 0);
    let mut head = store.watch_head();
    assert_eq!(*head.borrow_and_update(), 0);
    store
        .append(request("s", ExpectedVersion::Any, vec![event(1), event(2)]))
        .await
        .unwrap();
    assert!(head.has_changed().unwrap());
    assert_eq!(*head.borrow(), 2);
    assert_eq!(store.head_position().await.unwrap(), 2);
    store.close().await;
}

/// Two stores on one database (two processes, as far as each can tell): each one's knowledge
/// of the log goes stale when the other appends, and must never be trusted then.
/// What the writer keeps of its last commits for a follower in the same process is what the
/// database gives back, event for event; a position it does not hold is left to the database.
async fn recent_events_are_the_stored_ones(db: &TestDb) {
    let store = db.open().await;
    assert!(store.read_recent(0, 10).is_none(), "nothing committed yet");
    let writers = (0..12).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            for a in 0..4 {
                let events = (0..=a % 3).map(|n| event(w * 10 + a + n)).collect();
                store
                    .append(request(&format!("case-{w}"), ExpectedVersion::Any, events))
                    .await
                    .unwrap();
            }
        })
    });
    for writer in join_all(writers).await {
        writer.unwrap();
    }
    let log = assert_chain(&store).await;
    let head = log.len() as u64;
    for after in 0..head {
        let kept = store
            .read_recent(after, 5)
            .unwrap_or_else(|| panic!("the event after {after} is not kept"));
        let stored = store.read_all(after, 5).await.unwrap();
        assert_eq!(kept, shared(&stored), "after {after}");
    }
    assert!(
        store.read_recent(head, 5).is_none(),
        "nothing after the head"
    );
    store.close().await;
    // A store opened afresh has committed nothing itself.
    let reopened = db.open().await;
    assert!(reopened.read_recent(0, 5).is_none());
    reopened.close().await;
}

/// A follower in one process sees every event while that process and another append at
/// once, those of the other process included (which SQLite does not announce to it).
async fn a_follower_sees_another_processs_appends_between_its_own(db: &TestDb) {
    let a = db.open().await;
    let b = db.open().await;
    let mut tail = casetrail_store::tail(a.clone(), 0);
    let total = 40;
    let follower = tokio::spawn(async move {
        let mut seen = Vec::new();
        while seen.len() < total {
            let next = tokio::time::timeout(Duration::from_secs(30), tail.next_batch(16)).await;
            seen.extend(next.expect("the follower stalled").unwrap());
        }
        seen
    });
    for n in 0..total {
        // Alternately, so that what `a` keeps of its commits has holes where `b`'s are; `b`
        // writes last.
        let store = if n % 2 == 0 { &a } else { &b };
        store
            .append(request("shared", ExpectedVersion::Any, vec![event(n)]))
            .await
            .unwrap();
    }
    let seen = follower.await.unwrap();
    assert_eq!(seen, shared(&assert_chain(&a).await));
    a.close().await;
    b.close().await;
}

async fn another_process_appends_between_two_batches(db: &TestDb) {
    let a = db.open().await;
    let b = db.open().await;
    a.append(request("s", ExpectedVersion::NoStream, vec![event(1)]))
        .await
        .unwrap();
    // A knows s at 1. B extends it; A's expectation that was right a moment ago is now stale.
    let from_b = vec![event(2)];
    b.append(request("s", ExpectedVersion::Exact(1), from_b.clone()))
        .await
        .unwrap();
    let stale = a
        .append(request("s", ExpectedVersion::Exact(1), vec![event(3)]))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { actual: 2, .. })),
        "{stale:?}"
    );
    // A conflict A would decide from what it knew must be checked too: s is no longer at 2.
    b.append(request("s", ExpectedVersion::Any, vec![event(4)]))
        .await
        .unwrap();
    let wrong = a
        .append(request("s", ExpectedVersion::Exact(7), vec![event(5)]))
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Conflict { actual: 3, .. })),
        "{wrong:?}"
    );
    // Appends that do not name a version land after B's, on the one chain.
    let after = a
        .append(request("s", ExpectedVersion::Any, vec![event(6)]))
        .await
        .unwrap();
    assert_eq!((after.first_version, after.first_position), (4, 4));
    b.append(request("t", ExpectedVersion::NoStream, vec![event(7)]))
        .await
        .unwrap();
    let new_stream = a
        .append(request("u", ExpectedVersion::NoStream, vec![event(8)]))
        .await
        .unwrap();
    assert_eq!(new_stream.first_position, 6);
    // A retry through A of an append B made is answered from B's rows.
    let retry = a
        .append(request("s", ExpectedVersion::Exact(1), from_b))
        .await
        .unwrap();
    assert!(retry.already_stored);
    assert_eq!((retry.first_version, retry.first_position), (2, 2));

    // Both keep writing at once: still one gap-free chain.
    let writers = (0..20).map(|n| {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            for _ in 0..3 {
                store
                    .append(request("shared", ExpectedVersion::Any, vec![event(n)]))
                    .await
                    .unwrap();
            }
        })
    });
    for writer in join_all(writers).await {
        writer.unwrap();
    }
    let log = assert_chain(&a).await;
    assert_eq!(log.len(), 6 + 60);
    let versions: Vec<u64> = log
        .iter()
        .filter(|e| e.stream_id == "shared")
        .map(|e| e.stream_version)
        .collect();
    assert_eq!(versions, (1..=60).collect::<Vec<_>>());
    a.close().await;
    b.close().await;
}

/// Appends `sent`, restarts the store, and appends one event to stream "t": the new writer
/// then knows the end of the chain but nothing of `sent`'s stream or ids.
async fn appended_before_a_restart(
    db: &TestDb,
    sent: AppendRequest,
) -> (Arc<dyn EventStore>, AppendResult) {
    let store = db.open().await;
    let result = store.append(sent).await.unwrap();
    store.close().await;
    drop(store);
    let store = db.open().await;
    store
        .append(request("t", ExpectedVersion::Any, vec![event(100)]))
        .await
        .unwrap();
    (store, result)
}

/// Streams written before this process started: their versions are not known to its writer.
async fn streams_this_process_never_wrote(db: &TestDb) {
    let old = vec![event(1), event(2), event(3)];
    let (store, _) =
        appended_before_a_restart(db, request("old", ExpectedVersion::NoStream, old)).await;
    for refused in [ExpectedVersion::NoStream, ExpectedVersion::Exact(2)] {
        let result = store.append(request("old", refused, vec![event(5)])).await;
        assert!(
            matches!(result, Err(StoreError::Conflict { actual: 3, .. })),
            "{refused:?}: {result:?}"
        );
    }
    let any = store
        .append(request("old", ExpectedVersion::Any, vec![event(6)]))
        .await
        .unwrap();
    assert_eq!((any.first_version, any.first_position), (4, 5));
    let exact = store
        .append(request("old", ExpectedVersion::Exact(4), vec![event(7)]))
        .await
        .unwrap();
    assert_eq!(exact.first_version, 5);
    assert_eq!(assert_chain(&store).await.len(), 6);
    store.close().await;
}

/// A client retrying after the store restarted: the ids are stored, the writer knows nothing.
async fn a_retry_after_a_restart(db: &TestDb) {
    let events = vec![event(1), event(2)];
    let (store, original) =
        appended_before_a_restart(db, request("s", ExpectedVersion::NoStream, events.clone()))
            .await;
    let retry = store
        .append(request("s", ExpectedVersion::NoStream, events.clone()))
        .await
        .unwrap();
    assert_eq!(
        retry,
        AppendResult {
            already_stored: true,
            ..original
        }
    );
    let reused = store
        .append(request("t", ExpectedVersion::Any, vec![events[0].clone()]))
        .await;
    assert!(
        matches!(reused, Err(StoreError::IdempotencyMismatch)),
        "{reused:?}"
    );
    assert_eq!(assert_chain(&store).await.len(), 3);
    store.close().await;
}

/// More rows than one SQLite statement can bind: written in several statements, atomically.
async fn an_append_too_large_for_one_statement(db: &TestDb) {
    let store = db.open().await;
    store
        .append(request("s", ExpectedVersion::NoStream, vec![event(0)]))
        .await
        .unwrap();
    let events: Vec<NewEvent> = (1..=2_500).map(event).collect();
    let result = store
        .append(request("s", ExpectedVersion::Exact(1), events))
        .await
        .unwrap();
    assert_eq!((result.first_version, result.last_version), (2, 2_501));
    assert_eq!(result.last_position, 2_501);
    let next = store
        .append(request("s", ExpectedVersion::Exact(2_501), vec![event(1)]))
        .await
        .unwrap();
    assert_eq!(next.first_position, 2_502);
    assert_eq!(assert_chain(&store).await.len(), 2_502);
    store.close().await;
}

// ---------------------------------------------------------------------------------------------
// Backend-specific tests

/// Two replicas on one PostgreSQL database keep one gap-free chain, and each one's tail sees
/// the other's commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replicas_share_one_chain() {
    const WRITERS: usize = 20;
    const APPENDS: usize = 5;
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let a = db.open().await;
    let b = db.open().await;
    let total = 2 * WRITERS * APPENDS;

    let mut tail = casetrail_store::tail(b.clone(), 0);
    let reader = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(total);
        while seen.len() < total {
            let next = tokio::time::timeout(Duration::from_secs(30), tail.next()).await;
            seen.push(next.expect("tail stalled").unwrap());
        }
        seen
    });

    let writers = (0..2 * WRITERS).map(|w| {
        let store = if w % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            for n in 0..APPENDS {
                let stream = format!("replica-{w}");
                let expected = ExpectedVersion::Exact(n as u64);
                store
                    .append(request(&stream, expected, vec![event(n)]))
                    .await
                    .unwrap();
            }
        })
    });
    for writer in join_all(writers).await {
        writer.unwrap();
    }
    let log = assert_chain(&a).await;
    assert_eq!(log.len(), total);
    assert_eq!(reader.await.unwrap(), shared(&log));

    // A commit by A alone reaches B's head watch (NOTIFY, or the poll as a fallback).
    let mut head_b = b.watch_head();
    head_b.borrow_and_update();
    a.append(request("from-a", ExpectedVersion::NoStream, vec![event(0)]))
        .await
        .unwrap();
    tokio::time::timeout(
        Duration::from_secs(5),
        head_b.wait_for(|h| *h > total as u64),
    )
    .await
    .expect("B never saw A's commit")
    .unwrap();
    a.close().await;
    b.close().await;
}

/// A row that cannot be decoded is reported as corrupt, not a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_corrupt_row_is_reported() {
    use sqlx::Connection;
    let db = TestDb::sqlite();
    assert!(db.is_sqlite());
    let store = db.open().await;
    store
        .append(request("s", ExpectedVersion::Any, vec![event(1)]))
        .await
        .unwrap();
    let mut raw = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query(
        "INSERT INTO events SELECT 2, stream_id, 2, '00000000-0000-0000-0000-000000000002', \
         event_type, schema_version, '{not json', metadata, recorded_at, hash, hash \
         FROM events WHERE position = 1",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    raw.close().await.unwrap();
    let read = store.read_all(0, 10).await;
    assert!(
        matches!(read, Err(StoreError::Corrupt { position: 2, .. })),
        "{read:?}"
    );
    // The writer reads the stream's stored events too: it must fail cleanly and go on.
    let copy = request(
        "s",
        ExpectedVersion::Any,
        vec![NewEvent {
            event_id: Uuid::from_u128(2),
            ..event(2)
        }],
    );
    assert!(store.append(copy).await.is_err());
    store
        .append(request("t", ExpectedVersion::Any, vec![event(3)]))
        .await
        .unwrap();
    store.close().await;
}

#[test]
fn test_database_url_keeps_server_and_options() {
    use support::with_database;
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}

async fn data_keys_are_stored_read_and_erased(db: &TestDb) {
    use casetrail_store::StoredKey;
    // The event store applies the migrations that create the key table.
    let store = db.open().await;
    let keys = casetrail_store::open_data_keys(&db.url).await.unwrap();
    let id = uuid::Uuid::new_v4();
    assert_eq!(keys.get(id).await.unwrap(), None);
    let first = with_key(id, wrapped("kek-a", 7));
    store.append(first.clone()).await.unwrap();
    // The same key id with another append (another command that drew the same id) leaves the
    // stored key as it is, even with other bytes.
    store
        .append(with_key(id, wrapped("kek-a", 9)))
        .await
        .unwrap();
    assert_eq!(
        keys.get(id).await.unwrap(),
        Some(StoredKey::Wrapped(wrapped("kek-a", 7)))
    );
    assert_eq!(keys.erase(&[id]).await.unwrap(), 1);
    keys.purge().await.unwrap();
    assert_eq!(
        keys.get(id).await.unwrap(),
        None,
        "an erased key is gone for ever"
    );
    assert_eq!(keys.erase(&[id]).await.unwrap(), 0);
    // An erased key is not brought back by a late retry of the command that stored it (its
    // events are stored, so nothing is written), nor by another append naming it.
    assert!(store.append(first).await.unwrap().already_stored);
    assert_eq!(keys.get(id).await.unwrap(), None);
    store
        .append(with_key(id, wrapped("kek-a", 7)))
        .await
        .unwrap();
    assert_eq!(keys.get(id).await.unwrap(), None);
    store.close().await;
}

async fn data_keys_are_stored_only_with_their_events(db: &TestDb) {
    use casetrail_store::StoredKey;
    let a = db.open().await;
    let keys = casetrail_store::open_data_keys(&db.url).await.unwrap();
    // A refused append stores no key: the stream exists, so NoStream conflicts.
    let opened = with_key(Uuid::new_v4(), wrapped("kek-a", 1));
    a.append(opened.clone()).await.unwrap();
    let refused = Uuid::new_v4();
    let conflict = a
        .append(AppendRequest {
            stream_id: opened.stream_id.clone(),
            ..with_key(refused, wrapped("kek-a", 2))
        })
        .await;
    assert!(
        matches!(conflict, Err(StoreError::Conflict { .. })),
        "{conflict:?}"
    );
    assert_eq!(keys.get(refused).await.unwrap(), None);
    // Concurrent appends, committed in batches of several: every key with its events.
    let ids: Vec<Uuid> = (0..64).map(|_| Uuid::new_v4()).collect();
    let appends = ids.iter().enumerate().map(|(n, id)| {
        let a = Arc::clone(&a);
        let request = with_key(*id, wrapped("kek-a", n as u8));
        async move { a.append(request).await }
    });
    for appended in join_all(appends).await {
        appended.unwrap();
    }
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(
            keys.get(*id).await.unwrap(),
            Some(StoredKey::Wrapped(wrapped("kek-a", n as u8)))
        );
    }
    // A batch read and planned under the lock (another process appended since this store's
    // last commit) stores its keys too.
    let b = db.open().await;
    b.append(request("elsewhere", ExpectedVersion::Any, vec![event(2)]))
        .await
        .unwrap();
    let after_b = Uuid::new_v4();
    a.append(with_key(after_b, wrapped("kek-b", 3)))
        .await
        .unwrap();
    assert_eq!(
        keys.get(after_b).await.unwrap(),
        Some(StoredKey::Wrapped(wrapped("kek-b", 3)))
    );
    // And one refused under the lock stores none.
    b.append(request("elsewhere", ExpectedVersion::Any, vec![event(3)]))
        .await
        .unwrap();
    let late = Uuid::new_v4();
    let refused_under_lock = a
        .append(AppendRequest {
            stream_id: opened.stream_id.clone(),
            ..with_key(late, wrapped("kek-a", 4))
        })
        .await;
    assert!(matches!(
        refused_under_lock,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(keys.get(late).await.unwrap(), None);
    a.close().await;
    b.close().await;
}

async fn data_keys_are_rewrapped_one_by_one(db: &TestDb) {
    use casetrail_store::StoredKey;
    let store = db.open().await;
    let keys = casetrail_store::open_data_keys(&db.url).await.unwrap();
    let mut ids: Vec<uuid::Uuid> = (0..5).map(|_| uuid::Uuid::new_v4()).collect();
    ids.sort();
    for (n, id) in ids.iter().enumerate() {
        let kek = if n % 2 == 0 { "kek-old" } else { "kek-new" };
        store
            .append(with_key(*id, wrapped(kek, n as u8)))
            .await
            .unwrap();
    }
    // A key stored in the clear before keys were wrapped.
    let legacy = uuid::Uuid::new_v4();
    tamper_keys(db, legacy).await;
    assert_eq!(keys.erase(&[ids[4]]).await.unwrap(), 1);
    // The keys of an older version, and only them, without reading the wrapped ones.
    let plaintext = keys.needing_rewrap(None, None, 100).await.unwrap();
    assert_eq!(
        plaintext.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![legacy]
    );
    // Paged: the first page holds one key, the next the rest (an erased key is not there).
    let first = keys.needing_rewrap(Some("kek-new"), None, 1).await.unwrap();
    assert_eq!(first.len(), 1);
    let rest = keys
        .needing_rewrap(Some("kek-new"), Some(first[0].0), 100)
        .await
        .unwrap();
    let mut due: Vec<uuid::Uuid> = first.iter().chain(&rest).map(|(id, _)| *id).collect();
    due.sort();
    let mut expected = vec![ids[0], ids[2], legacy];
    expected.sort();
    assert_eq!(due, expected);
    assert!(
        first
            .iter()
            .chain(&rest)
            .any(|(id, key)| *id == legacy && *key == StoredKey::Plaintext([5u8; 32]))
    );
    // Compare-and-set: the stored form must still be the one read.
    let (id, old) = first.into_iter().next().unwrap();
    assert!(
        keys.replace(id, &old, &wrapped("kek-new", 42))
            .await
            .unwrap()
    );
    assert!(
        !keys
            .replace(id, &old, &wrapped("kek-new", 43))
            .await
            .unwrap(),
        "a key already rewrapped is not overwritten from a stale read"
    );
    assert_eq!(
        keys.get(id).await.unwrap(),
        Some(StoredKey::Wrapped(wrapped("kek-new", 42)))
    );
    for (id, old) in rest {
        assert!(
            keys.replace(id, &old, &wrapped("kek-new", 1))
                .await
                .unwrap()
        );
    }
    assert!(
        keys.needing_rewrap(Some("kek-new"), None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    // An erased key cannot be brought back by a rewrap either.
    assert!(
        !keys
            .replace(
                ids[4],
                &StoredKey::Wrapped(wrapped("kek-new", 4)),
                &wrapped("kek-new", 4)
            )
            .await
            .unwrap()
    );
    assert_eq!(keys.get(ids[4]).await.unwrap(), None);
    // Many at once, in one statement: only those still there count.
    assert_eq!(keys.erase(&ids).await.unwrap(), 4);
    for id in &ids {
        assert_eq!(keys.get(*id).await.unwrap(), None);
    }
    assert_eq!(keys.erase(&[]).await.unwrap(), 0);
    store.close().await;
}

/// Writes a plaintext key the way versions before key wrapping did.
async fn tamper_keys(db: &TestDb, id: uuid::Uuid) {
    use sqlx::Connection;
    let key = vec![5u8; 32];
    if db.is_sqlite() {
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::query("INSERT INTO data_keys (key_id, key, created_at) VALUES (?, ?, '2024-01-01')")
            .bind(id.to_string())
            .bind(key)
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query("INSERT INTO data_keys (key_id, key) VALUES ($1, $2)")
            .bind(id)
            .bind(key)
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

/// Six events on two streams, then the store closed so the database can be tampered with.
async fn six_events(db: &TestDb) {
    let store = db.open().await;
    for n in 0..6 {
        let stream = if n % 2 == 0 { "s-even" } else { "s-odd" };
        store
            .append(request(stream, ExpectedVersion::Any, vec![event(n)]))
            .await
            .unwrap();
    }
    store.close().await;
}

/// Runs SQL directly on the database, past the append-only triggers, as an attacker (or a
/// careless administrator) with database access could.
async fn tamper(db: &TestDb, statements: &[&str]) {
    use sqlx::Connection;
    if db.is_sqlite() {
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        for sql in [
            "DROP TRIGGER events_no_update",
            "DROP TRIGGER events_no_delete",
        ]
        .iter()
        .chain(statements)
        {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    } else {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        for sql in ["ALTER TABLE events DISABLE TRIGGER USER"]
            .iter()
            .chain(statements)
        {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

async fn verdict(db: &TestDb) -> casetrail_store::Integrity {
    let store = db.open().await;
    let verdict = casetrail_store::verify(store.as_ref()).await.unwrap();
    store.close().await;
    verdict
}

fn broken_at(verdict: &casetrail_store::Integrity) -> u64 {
    match verdict {
        casetrail_store::Integrity::Broken { position, .. } => *position,
        ok => panic!("expected a broken log, got {ok:?}"),
    }
}

async fn integrity_of_an_untouched_log(db: &TestDb) {
    six_events(db).await;
    let store = db.open().await;
    let log = read_log(&store).await;
    store.close().await;
    assert_eq!(
        verdict(db).await,
        casetrail_store::Integrity::Ok {
            events: 6,
            head_position: 6,
            head_hash: hex::encode(log[5].hash),
        }
    );
}

async fn integrity_detects_altered_data(db: &TestDb) {
    six_events(db).await;
    let sql = if db.is_sqlite() {
        r#"UPDATE events SET data = '{"altered":true}' WHERE position = 3"#
    } else {
        r#"UPDATE events SET data = '{"altered":true}'::jsonb WHERE position = 3"#
    };
    tamper(db, &[sql]).await;
    assert_eq!(broken_at(&verdict(db).await), 3);
}

async fn integrity_detects_a_deleted_row(db: &TestDb) {
    six_events(db).await;
    tamper(db, &["DELETE FROM events WHERE position = 4"]).await;
    let verdict = verdict(db).await;
    assert_eq!(broken_at(&verdict), 4);
    assert!(format!("{verdict:?}").contains("missing"), "{verdict:?}");
}

async fn integrity_detects_reordered_rows(db: &TestDb) {
    six_events(db).await;
    tamper(
        db,
        &[
            "UPDATE events SET position = 1000 WHERE position = 2",
            "UPDATE events SET position = 2 WHERE position = 5",
            "UPDATE events SET position = 5 WHERE position = 1000",
        ],
    )
    .await;
    assert_eq!(broken_at(&verdict(db).await), 2);
}

async fn an_export_verifies_without_the_database(db: &TestDb) {
    six_events(db).await;
    let store = db.open().await;
    let mut export = Vec::new();
    let written = casetrail_store::export_ndjson(store.as_ref(), 0, &mut export)
        .await
        .unwrap();
    store.close().await;
    assert_eq!(written, 6);
    let text = String::from_utf8(export).unwrap();
    assert_eq!(text.lines().count(), 6);
    let from_file = casetrail_store::verify_ndjson(text.as_bytes()).unwrap();
    assert_eq!(
        from_file,
        verdict(db).await,
        "the same verdict as the database's"
    );
    assert!(matches!(
        from_file,
        casetrail_store::Integrity::Ok { events: 6, .. }
    ));

    // An altered line, a missing line and swapped lines are each caught where they are.
    let lines: Vec<&str> = text.lines().collect();
    let altered = lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            if n == 2 {
                line.replacen("\"data\":{", "\"data\":{\"altered\":true,", 1)
            } else {
                (*line).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        broken_at(&casetrail_store::verify_ndjson(altered.as_bytes()).unwrap()),
        3
    );
    let missing = [&lines[..3], &lines[4..]].concat().join("\n");
    assert_eq!(
        broken_at(&casetrail_store::verify_ndjson(missing.as_bytes()).unwrap()),
        4
    );
    let mut swapped = lines.clone();
    swapped.swap(1, 4);
    assert_eq!(
        broken_at(&casetrail_store::verify_ndjson(swapped.join("\n").as_bytes()).unwrap()),
        2
    );
}
