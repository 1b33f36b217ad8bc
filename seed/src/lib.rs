//! Realistic, reproducible data: case life cycles across partnerships from a fixed random
//! seed, for `casetrail seed`, the benchmarks and the property tests.

mod action_plans;
pub mod adults;
pub mod audits;
pub mod homicides;
mod learning;
mod learning_shared;
pub mod life_cycle;
mod recommendations;
mod workload;

pub use workload::{Events, Workload};

use casetrail_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use futures::stream::{self, StreamExt, TryStreamExt};
use life_cycle::StreamEvent;
use std::collections::HashMap;
use uuid::Uuid;

/// Events taken from the workload at a time; within one slice each stream's events go in one
/// append, and the appends run concurrently so group commit can batch them.
const SLICE: usize = 4_096;
/// Appends in flight at once.
const CONCURRENT_APPENDS: usize = 64;

/// What a seeding wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seeded {
    /// Events offered to the store (those already stored from an earlier run with the same
    /// seed are not written again).
    pub events: u64,
    /// Appends made.
    pub appends: u64,
}

/// Writes the workload's events into the store, in order within each stream. Event ids derive
/// from the seed and the event's place in the workload, so seeding again with the same seed
/// writes nothing new. `progress` is told the running count after each slice.
pub async fn seed(
    store: &dyn EventStore,
    workload: &Workload,
    mut progress: impl FnMut(Seeded),
) -> Result<Seeded, StoreError> {
    let mut done = Seeded::default();
    let mut events = workload.events().map(|(event, _)| event).enumerate();
    loop {
        let slice: Vec<(usize, StreamEvent)> = events.by_ref().take(SLICE).collect();
        if slice.is_empty() {
            break;
        }
        let requests = group_by_stream(workload.seed, slice);
        let appends = requests.len() as u64;
        let events = requests.iter().map(|r| r.events.len() as u64).sum::<u64>();
        stream::iter(requests)
            .map(|request| store.append(request))
            .buffer_unordered(CONCURRENT_APPENDS)
            .try_for_each(|_| async { Ok(()) })
            .await?;
        done.events += events;
        done.appends += appends;
        progress(done);
    }
    Ok(done)
}

/// One append per stream, its events in workload order, streams in order of first appearance.
fn group_by_stream(seed: u64, slice: Vec<(usize, StreamEvent)>) -> Vec<AppendRequest> {
    let mut requests: Vec<AppendRequest> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (n, event) in slice {
        let (stream_id, (event_type, data)) = event.encoded();
        let event_id = Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("casetrail-seed/{seed}/{n}").as_bytes(),
        );
        let new_event = NewEvent {
            event_id,
            schema_version: casetrail_domain::codec::schema_version(&event_type),
            metadata: event.metadata(event_id, n as u64 + 1),
            event_type,
            data,
        };
        let at = *index.entry(stream_id.clone()).or_insert_with(|| {
            requests.push(AppendRequest {
                data_keys: Vec::new(),
                stream_id,
                expected_version: ExpectedVersion::Any,
                events: Vec::new(),
            });
            requests.len() - 1
        });
        requests[at].events.push(new_event);
    }
    requests
}
