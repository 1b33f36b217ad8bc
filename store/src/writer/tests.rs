//! How the writer chooses between one statement and a batch read under the lock, against a
//! database in memory that counts how batches reach it.

#![allow(clippy::unwrap_used)]

use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::batch::{Head, Snapshot, StoredEvent};
use crate::{ExpectedVersion, NewEvent, RecordedEvent, canonical_json};

/// A database in memory that several writers can share, counting how batches reach it.
#[derive(Clone, Default)]
struct Memory {
    log: Arc<Mutex<Vec<RecordedEvent>>>,
    calls: Arc<Mutex<Calls>>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Calls {
    /// Batches committed by `append_if_unchanged`.
    unchanged: usize,
    /// Batches `append_if_unchanged` refused.
    refused: usize,
    /// Batches written by `append_locked`.
    locked: usize,
}

impl Memory {
    fn calls(&self) -> Calls {
        *self.calls.lock().unwrap()
    }

    fn snapshot(log: &[RecordedEvent], requests: &[AppendRequest]) -> Snapshot {
        let mut snapshot = Snapshot {
            head: log.last().map(|e| Head {
                position: e.position,
                hash: e.hash,
                recorded_at: e.recorded_at,
            }),
            ..Snapshot::default()
        };
        for request in requests {
            if let Some(v) = version(log, &request.stream_id) {
                snapshot.versions.insert(request.stream_id.clone(), v);
            }
            for e in log {
                if request.events.iter().any(|n| n.event_id == e.event_id) {
                    let stored = StoredEvent {
                        position: e.position,
                        stream_id: e.stream_id.clone(),
                        stream_version: e.stream_version,
                        event_type: e.event_type.clone(),
                        data: canonical_json(&e.data),
                    };
                    snapshot.stored.insert(e.event_id, stored);
                }
            }
        }
        snapshot
    }
}

fn version(log: &[RecordedEvent], stream: &str) -> Option<u64> {
    log.iter()
        .filter(|e| e.stream_id == stream)
        .map(|e| e.stream_version)
        .max()
}

#[async_trait]
impl Backend for Memory {
    async fn append_if_unchanged(
        &mut self,
        basis: &Basis,
        rows: &[NewRow],
        _keys: &[crate::NewDataKey],
    ) -> Result<bool, StoreError> {
        let mut log = self.log.lock().unwrap();
        let head = log.last().map(|e| (e.position, e.hash));
        let unchanged = head == basis.head.map(|h| (h.position, h.hash))
            && basis
                .guessed
                .iter()
                .all(|(stream, v)| version(&log, stream).unwrap_or(0) == *v)
            && !log.iter().any(|e| basis.new_ids.contains(&e.event_id));
        let mut calls = self.calls.lock().unwrap();
        if unchanged {
            calls.unchanged += 1;
            log.extend(rows.iter().map(|row| row.event.clone()));
        } else {
            calls.refused += 1;
        }
        Ok(unchanged)
    }

    async fn append_locked(
        &mut self,
        requests: &[AppendRequest],
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        let mut log = self.log.lock().unwrap();
        let plan = batch::plan(requests, Memory::snapshot(&log, requests), now);
        log.extend(plan.rows.iter().map(|row| row.event.clone()));
        self.calls.lock().unwrap().locked += 1;
        Ok(plan)
    }

    fn reset(&mut self) {}

    async fn shutdown(&mut self) {}
}

fn append(stream: &str, expected: ExpectedVersion) -> AppendRequest {
    AppendRequest {
        data_keys: Vec::new(),
        stream_id: stream.to_owned(),
        expected_version: expected,
        events: vec![NewEvent {
            event_id: Uuid::new_v4(),
            event_type: "Noted".to_owned(),
            schema_version: 1,
            data: json!({ "n": 1 }),
            metadata: json!({}),
        }],
    }
}

fn writer(memory: &Memory) -> Writer {
    Writer::spawn(memory.clone(), Arc::new(watch::channel(0).0))
}

/// Another process's append, straight into the shared database.
fn appended_elsewhere(memory: &Memory, request: AppendRequest) {
    let mut log = memory.log.lock().unwrap();
    let requests = [request];
    let plan = batch::plan(&requests, Memory::snapshot(&log, &requests), Utc::now());
    log.extend(plan.rows.iter().map(|row| row.event.clone()));
}

fn calls(unchanged: usize, refused: usize, locked: usize) -> Calls {
    Calls {
        unchanged,
        refused,
        locked,
    }
}

#[tokio::test]
async fn once_the_log_is_known_a_batch_is_one_statement() {
    let memory = Memory::default();
    let writer = writer(&memory);
    writer
        .append(append("a", ExpectedVersion::Any))
        .await
        .unwrap();
    assert_eq!(memory.calls(), calls(0, 0, 1), "nothing is known at first");
    writer
        .append(append("a", ExpectedVersion::Any))
        .await
        .unwrap();
    writer
        .append(append("a", ExpectedVersion::Exact(2)))
        .await
        .unwrap();
    let new = writer.append(append("b", ExpectedVersion::NoStream)).await;
    assert_eq!(new.unwrap().first_position, 4);
    assert_eq!(memory.calls(), calls(3, 0, 1));
}

#[tokio::test]
async fn a_conflict_on_a_known_stream_needs_no_lock() {
    let memory = Memory::default();
    let writer = writer(&memory);
    writer
        .append(append("a", ExpectedVersion::Any))
        .await
        .unwrap();
    writer
        .append(append("a", ExpectedVersion::Any))
        .await
        .unwrap();
    let stale = writer.append(append("a", ExpectedVersion::Exact(1))).await;
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 2, .. })));
    assert_eq!(memory.calls(), calls(2, 0, 1));
    assert_eq!(memory.log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn after_another_process_appends_the_batch_is_read_under_the_lock() {
    let memory = Memory::default();
    let writer = writer(&memory);
    writer
        .append(append("a", ExpectedVersion::Any))
        .await
        .unwrap();
    appended_elsewhere(&memory, append("a", ExpectedVersion::Exact(1)));
    // The writer still believes "a" is at 1: the database must refuse that belief.
    let stale = writer.append(append("a", ExpectedVersion::Exact(1))).await;
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 2, .. })));
    assert_eq!(memory.calls(), calls(0, 1, 2));
    // What was read under the lock is known again.
    let next = writer.append(append("a", ExpectedVersion::Exact(2))).await;
    assert_eq!(next.unwrap().first_position, 3);
    assert_eq!(memory.calls(), calls(1, 1, 2));
}

#[tokio::test]
async fn a_wrong_guess_about_an_unknown_stream_is_read_under_the_lock() {
    let memory = Memory::default();
    appended_elsewhere(&memory, append("old", ExpectedVersion::Any));
    appended_elsewhere(&memory, append("old", ExpectedVersion::Any));
    let writer = writer(&memory);
    writer
        .append(append("new", ExpectedVersion::Any))
        .await
        .unwrap();
    // "old" is guessed new, which it is not; the guess is caught and nothing is written.
    let any = writer.append(append("old", ExpectedVersion::Any)).await;
    assert_eq!(any.unwrap().first_version, 3);
    assert_eq!(memory.calls(), calls(0, 1, 2));
    // A right guess (the version the caller expects) goes through in one statement.
    appended_elsewhere(&memory, append("older", ExpectedVersion::Any));
    writer
        .append(append("new", ExpectedVersion::Any))
        .await
        .unwrap();
    assert_eq!(memory.calls(), calls(0, 2, 3));
    let exact = writer
        .append(append("older", ExpectedVersion::Exact(1)))
        .await;
    assert_eq!(exact.unwrap().first_version, 2);
    assert_eq!(memory.calls(), calls(1, 2, 3));
}

#[tokio::test]
async fn a_retry_is_answered_from_the_stored_events() {
    let memory = Memory::default();
    let writer = writer(&memory);
    let original = append("a", ExpectedVersion::NoStream);
    let first = writer.append(original.clone()).await.unwrap();
    let retry = writer.append(original).await.unwrap();
    assert!(retry.already_stored);
    assert_eq!(retry.first_position, first.first_position);
    assert_eq!(memory.calls(), calls(0, 1, 2));
    assert_eq!(memory.log.lock().unwrap().len(), 1);
}
