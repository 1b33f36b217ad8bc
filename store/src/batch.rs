//! Deciding a batch of appends: the rules of the event store, without any I/O.
//!
//! The writer reads what it needs inside its transaction (a [`Snapshot`]), and [`plan`] says,
//! request by request, what to answer and which rows to insert. Keeping this pure makes the
//! rules the same on both backends and testable without a database.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::hash::{hash_canonical, recorded_at_text};
use crate::{
    AppendRequest, AppendResult, ExpectedVersion, NewDataKey, RecordedEvent, StoreError,
    canonical_json,
};

/// What the database holds that a batch depends on, read inside the batch's transaction.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The last event of the log, if any.
    pub head: Option<Head>,
    /// Current version of each stream of the batch that exists.
    pub versions: HashMap<String, u64>,
    /// Already stored events among the batch's event ids.
    pub stored: HashMap<Uuid, StoredEvent>,
}

/// The end of the hash chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head {
    /// Position of the last event.
    pub position: u64,
    /// Its hash: the next event's `prev_hash`.
    pub hash: [u8; 32],
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// An already stored event, as far as an idempotent retry needs to compare it.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    /// Global position.
    pub position: u64,
    /// Its stream.
    pub stream_id: String,
    /// Version in its stream.
    pub stream_version: u64,
    /// Type name.
    pub event_type: String,
    /// Canonical JSON of the payload, so that key order and whitespace do not matter.
    pub data: String,
}

/// The writer's decision for a batch.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Rows to insert, in position order.
    pub rows: Vec<NewRow>,
    /// The answer for each request, in request order.
    pub outcomes: Vec<Result<AppendResult, StoreError>>,
    /// The end of the chain once the rows are committed.
    pub head: Option<Head>,
    /// Every stream of the batch and its version once the rows are committed (0: no stream).
    pub versions: HashMap<String, u64>,
    /// The data keys of the appends that write rows, to insert in the same transaction.
    pub keys: Vec<NewDataKey>,
}

impl Plan {
    /// The log's last position once the rows are committed, if the batch writes anything.
    pub fn new_head(&self) -> Option<u64> {
        self.rows.last().map(|row| row.event.position)
    }
}

/// A row to insert: the event as it will be stored, with the canonical JSON of its payload and
/// metadata, which its hash covers and which SQLite stores as they are.
#[derive(Debug)]
pub(crate) struct NewRow {
    /// The event.
    pub event: RecordedEvent,
    /// `canonical_json(&event.data)`.
    pub data_json: String,
    /// `canonical_json(&event.metadata)`.
    pub metadata_json: String,
}

/// What a plan took for granted about the database. A batch planned on the writer's cache is
/// committed only if, under the append lock, the database still holds this; see
/// [`crate::writer::Backend::append_if_unchanged`].
#[derive(Debug, Default)]
pub(crate) struct Basis {
    /// The end of the chain the rows extend (`None`: the log is empty). While the log still
    /// ends there nobody has appended, so every version learned up to it still holds.
    pub head: Option<Head>,
    /// Streams whose version was guessed rather than learned, with the guess (0: new).
    pub guessed: Vec<(String, u64)>,
    /// The batch's event ids that the plan took to be new.
    pub new_ids: Vec<Uuid>,
}

impl Basis {
    /// What planning `requests` on `snapshot` takes for granted, when every version in it was
    /// read at its head, so none is guessed.
    pub fn read(snapshot: &Snapshot, requests: &[AppendRequest]) -> Self {
        Self {
            head: snapshot.head,
            guessed: Vec::new(),
            new_ids: new_ids(requests, &snapshot.stored),
        }
    }
}

/// The event ids of `requests` that are not among `stored`.
pub(crate) fn new_ids(
    requests: &[AppendRequest],
    stored: &HashMap<Uuid, StoredEvent>,
) -> Vec<Uuid> {
    requests
        .iter()
        .flat_map(|request| &request.events)
        .map(|event| event.event_id)
        .filter(|id| !stored.contains_key(id))
        .collect()
}

/// Checks a request on its own, before it is queued: these failures need no database.
pub(crate) fn validate(request: &AppendRequest) -> Result<(), StoreError> {
    if request.events.is_empty() {
        return Err(StoreError::InvalidAppend(
            "an append needs at least one event",
        ));
    }
    if request.stream_id.is_empty() {
        return Err(StoreError::InvalidAppend("the stream id is empty"));
    }
    let mut ids = HashSet::with_capacity(request.events.len());
    if !request
        .events
        .iter()
        .all(|event| ids.insert(event.event_id))
    {
        return Err(StoreError::InvalidAppend(
            "the same event id appears twice in one append",
        ));
    }
    // PostgreSQL cannot store NUL in TEXT or JSONB. Refusing it here, for one request, on both
    // backends, keeps it from failing the whole batch's transaction later.
    let has_nul = request.stream_id.contains('\0')
        || request.events.iter().any(|event| {
            event.event_type.contains('\0') || has_nul(&event.data) || has_nul(&event.metadata)
        });
    if has_nul {
        return Err(StoreError::InvalidAppend(
            "text must not contain NUL characters",
        ));
    }
    Ok(())
}

fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, item)| key.contains('\0') || has_nul(item)),
        _ => false,
    }
}

/// Decides every request of a batch in order, as if they had been appended one by one.
///
/// A later request sees the streams and event ids of the earlier accepted ones, so splitting a
/// batch differently would give the same answers.
pub(crate) fn plan(requests: &[AppendRequest], snapshot: Snapshot, now: DateTime<Utc>) -> Plan {
    let Snapshot {
        head,
        mut versions,
        mut stored,
    } = snapshot;
    // The log's time never runs backwards, even when the clock is stepped back, so that
    // ordering by recorded_at agrees with ordering by position.
    let recorded_at = head.map_or(now, |h| now.max(h.recorded_at));
    let mut chain = Chain {
        position: head.map_or(0, |h| h.position),
        prev_hash: head.map_or(crate::GENESIS_HASH, |h| h.hash),
        recorded_at,
        recorded_at_text: recorded_at_text(recorded_at),
        rows: Vec::new(),
    };
    let mut outcomes = Vec::with_capacity(requests.len());
    let mut keys = Vec::new();
    for request in requests {
        let decision = validate(request).and_then(|()| decide(request, &versions, &stored));
        outcomes.push(decision.map(|decision| match decision {
            Decision::AlreadyStored(result) => result,
            Decision::Append { current } => {
                keys.extend(request.data_keys.iter().cloned());
                let result = chain.extend(request, current, &mut stored);
                versions.insert(request.stream_id.clone(), result.last_version);
                result
            }
        }));
        // The snapshot covers every stream of the batch, so a stream it lacks has no events.
        if !versions.contains_key(&request.stream_id) {
            versions.insert(request.stream_id.clone(), 0);
        }
    }
    let head = match chain.rows.last() {
        Some(last) => Some(Head {
            position: last.event.position,
            hash: last.event.hash,
            recorded_at: last.event.recorded_at,
        }),
        None => head,
    };
    Plan {
        rows: chain.rows,
        outcomes,
        head,
        versions,
        keys,
    }
}

/// The hash chain as the batch extends it.
struct Chain {
    position: u64,
    prev_hash: [u8; 32],
    recorded_at: DateTime<Utc>,
    /// `recorded_at` as the hash covers it, the same for every row of the batch.
    recorded_at_text: String,
    rows: Vec<NewRow>,
}

impl Chain {
    /// Appends a checked request after stream version `current`.
    fn extend(
        &mut self,
        request: &AppendRequest,
        current: u64,
        stored: &mut HashMap<Uuid, StoredEvent>,
    ) -> AppendResult {
        let first_position = self.position + 1;
        let mut stream_version = current;
        for event in &request.events {
            self.position += 1;
            stream_version += 1;
            let data_json = canonical_json(&event.data);
            let metadata_json = canonical_json(&event.metadata);
            let hash = hash_canonical(
                &self.prev_hash,
                self.position,
                &request.stream_id,
                stream_version,
                event.event_id,
                &event.event_type,
                event.schema_version,
                &data_json,
                &metadata_json,
                &self.recorded_at_text,
            );
            // Later requests of the same batch must see these ids as stored, exactly as they
            // would if they came in the next batch.
            stored.insert(
                event.event_id,
                StoredEvent {
                    position: self.position,
                    stream_id: request.stream_id.clone(),
                    stream_version,
                    event_type: event.event_type.clone(),
                    data: data_json.clone(),
                },
            );
            let event = RecordedEvent {
                position: self.position,
                stream_id: request.stream_id.clone(),
                stream_version,
                event_id: event.event_id,
                event_type: event.event_type.clone(),
                schema_version: event.schema_version,
                data: event.data.clone(),
                metadata: event.metadata.clone(),
                recorded_at: self.recorded_at,
                prev_hash: self.prev_hash,
                hash,
            };
            self.rows.push(NewRow {
                event,
                data_json,
                metadata_json,
            });
            self.prev_hash = hash;
        }
        AppendResult {
            first_version: current + 1,
            last_version: stream_version,
            first_position,
            last_position: self.position,
            already_stored: false,
        }
    }
}

enum Decision {
    AlreadyStored(AppendResult),
    Append { current: u64 },
}

fn decide(
    request: &AppendRequest,
    versions: &HashMap<String, u64>,
    stored: &HashMap<Uuid, StoredEvent>,
) -> Result<Decision, StoreError> {
    let found: Vec<Option<&StoredEvent>> = request
        .events
        .iter()
        .map(|event| stored.get(&event.event_id))
        .collect();
    if found.iter().any(Option::is_some) {
        return already_stored(request, &found).map(Decision::AlreadyStored);
    }
    let current = versions.get(&request.stream_id).copied().unwrap_or(0);
    let accepted = match request.expected_version {
        ExpectedVersion::Any => true,
        // Exact(0) is how a caller who read an empty stream says "still empty".
        ExpectedVersion::NoStream | ExpectedVersion::Exact(0) => current == 0,
        ExpectedVersion::Exact(expected) => current == expected,
    };
    if !accepted {
        return Err(StoreError::Conflict {
            stream_id: request.stream_id.clone(),
            expected: request.expected_version,
            actual: current,
        });
    }
    Ok(Decision::Append { current })
}

/// A retry must match the original append exactly: every id stored, in the same stream, at
/// consecutive versions, with the same types and payloads. Anything else is a different append
/// reusing ids, which must not be silently taken for success.
fn already_stored(
    request: &AppendRequest,
    found: &[Option<&StoredEvent>],
) -> Result<AppendResult, StoreError> {
    let stored: Vec<&StoredEvent> = found
        .iter()
        .copied()
        .collect::<Option<_>>()
        .ok_or(StoreError::IdempotencyMismatch)?;
    let (Some(first), Some(last)) = (stored.first(), stored.last()) else {
        return Err(StoreError::IdempotencyMismatch);
    };
    let matches =
        (0..)
            .zip(request.events.iter().zip(&stored))
            .all(|(offset, (event, original))| {
                original.stream_id == request.stream_id
                    && original.stream_version == first.stream_version + offset
                    && original.event_type == event.event_type
                    && original.data == canonical_json(&event.data)
            });
    if !matches {
        return Err(StoreError::IdempotencyMismatch);
    }
    Ok(AppendResult {
        first_version: first.stream_version,
        last_version: last.stream_version,
        first_position: first.position,
        last_position: last.position,
        already_stored: true,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::NewEvent;
    use serde_json::json;

    fn request(stream: &str, expected: ExpectedVersion, ids: &[u128]) -> AppendRequest {
        AppendRequest {
            data_keys: Vec::new(),
            stream_id: stream.to_owned(),
            expected_version: expected,
            events: ids
                .iter()
                .map(|id| NewEvent {
                    event_id: Uuid::from_u128(*id),
                    event_type: "Noted".to_owned(),
                    schema_version: 1,
                    data: json!({ "n": id.to_string() }),
                    metadata: json!({}),
                })
                .collect(),
        }
    }

    #[test]
    fn later_requests_see_earlier_accepted_ones() {
        let batch = [
            request("a", ExpectedVersion::NoStream, &[1, 2]),
            request("a", ExpectedVersion::NoStream, &[3]),
            request("a", ExpectedVersion::Exact(2), &[4]),
            request("a", ExpectedVersion::Exact(2), &[1, 2]),
            request("b", ExpectedVersion::Any, &[2]),
        ];
        let plan = plan(&batch, Snapshot::default(), Utc::now());
        assert_eq!(plan.rows.len(), 3);
        assert_eq!(plan.outcomes[0].as_ref().unwrap().last_position, 2);
        assert!(matches!(
            plan.outcomes[1],
            Err(StoreError::Conflict { actual: 2, .. })
        ));
        assert_eq!(plan.outcomes[2].as_ref().unwrap().first_version, 3);
        let retry = plan.outcomes[3].as_ref().unwrap();
        assert!(retry.already_stored);
        assert_eq!((retry.first_position, retry.last_position), (1, 2));
        assert!(matches!(
            plan.outcomes[4],
            Err(StoreError::IdempotencyMismatch)
        ));
        assert_eq!(plan.rows[1].event.prev_hash, plan.rows[0].event.hash);
    }

    #[test]
    fn malformed_requests_fail_alone() {
        let batch = [
            request("a", ExpectedVersion::Any, &[]),
            request("a", ExpectedVersion::Any, &[7, 7]),
            request("", ExpectedVersion::Any, &[8]),
            request("a\0", ExpectedVersion::Any, &[9]),
            request("a", ExpectedVersion::Any, &[10]),
        ];
        let plan = plan(&batch, Snapshot::default(), Utc::now());
        assert!(
            plan.outcomes[..4]
                .iter()
                .all(|o| matches!(o, Err(StoreError::InvalidAppend(_))))
        );
        assert_eq!(plan.new_head(), Some(1));
    }
}
