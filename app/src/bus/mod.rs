//! How a command flows (architecture.md "Data flow of a command"): the role, an idempotent
//! replay, load the stream, decide, append with the expected version, wait for the
//! projection, answer. The flow is the same for every aggregate ([`Aggregate`]); the HTTP
//! layer, the CLI and the demo data all send commands through it.

mod aggregate;
mod idempotency;
mod kept;

pub use aggregate::{Addressed, Aggregate};
pub use idempotency::Idempotency;

use crate::clock::SharedClock;
use crate::error::AppError;
use crate::personal_data::{DataKey, KeyVault};
use casetrail_domain::case::Context;
use casetrail_domain::codec::{encode, schema_version};
use casetrail_domain::metadata::{EventMetadata, METADATA_VERSION, MetadataActor};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, DomainError, Role};
use casetrail_projections::ProjectorHandle;
use casetrail_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use kept::{KeptState, KeptStates};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Attempts when another writer moved the stream between load and append (no If-Match).
const MAX_ATTEMPTS: usize = 5;

/// Where a command landed: the stream's new version and the log position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The stream's new version.
    pub version: u64,
    /// The log position of the last event written.
    pub position: u64,
}

/// What the sender expects of the stream and brings along with the command.
#[derive(Debug, Default)]
pub struct Expectations {
    /// The stream version the command was decided on (`If-Match`): refused if it moved on.
    pub if_match: Option<u64>,
    /// The client's idempotency key, scoped to its partnership and user.
    pub idempotency: Option<Idempotency>,
    /// The request id, recorded in the events' metadata.
    pub request_id: String,
    /// A key sealing personal data in the command, stored with its events.
    pub data_key: Option<DataKey>,
}

/// Runs commands to completion.
#[derive(Debug, Clone)]
pub struct CommandBus {
    store: Arc<dyn EventStore>,
    projector: ProjectorHandle,
    vault: KeyVault,
    clock: SharedClock,
    projection_wait: Duration,
    /// Shared by the bus's clones: the states its commands left (`kept.rs`).
    kept: Arc<KeptStates>,
}

impl CommandBus {
    /// A bus over the store, waiting up to `projection_wait` for the read models after each
    /// command so its sender reads its own write.
    pub fn new(
        store: Arc<dyn EventStore>,
        projector: ProjectorHandle,
        vault: KeyVault,
        clock: SharedClock,
        projection_wait: Duration,
    ) -> Self {
        Self {
            store,
            projector,
            vault,
            clock,
            projection_wait,
            kept: Arc::default(),
        }
    }

    /// Runs a command, replaying the first answer for a retried Idempotency-Key.
    pub async fn execute<A: Aggregate>(
        &self,
        actor: &Actor,
        target: Addressed<A>,
        expectations: Expectations,
    ) -> Result<Accepted, AppError> {
        require_writer(actor)?;
        // The caller's roles now, not when the key was first used: a replay to a token that
        // has lost the role is refused like a first attempt.
        A::may_send(&target.command, actor)?;
        if let Some(idempotency) = &expectations.idempotency
            && let Some(accepted) =
                idempotency::replay(self.store.as_ref(), &self.vault, actor, idempotency).await?
        {
            return Ok(accepted);
        }
        let fingerprint = match &expectations.idempotency {
            Some(idempotency) => Some(
                self.vault
                    .request_fingerprint(&idempotency.request_hash)
                    .await?,
            ),
            None => None,
        };
        let metadata = EventMetadata {
            metadata_version: Some(METADATA_VERSION),
            actor: MetadataActor::from(actor),
            partnership: Some(actor.partnership.clone()),
            command: A::command_name(&target.command).to_owned(),
            correlation_id: Some(Uuid::now_v7()),
            causation_id: None,
            request_id: Some(expectations.request_id.clone()),
            idempotency_key: expectations.idempotency.as_ref().map(|i| i.key.clone()),
            request_hash: fingerprint,
        };
        let outcome = self
            .decide_and_append(actor, &target, &expectations, &metadata)
            .await;
        let accepted = match (outcome, &expectations.idempotency) {
            (Ok(accepted), _) => accepted,
            // A concurrent request with the same key may have won the race: answer as it did.
            (Err(err), Some(idempotency)) => {
                match idempotency::replay(self.store.as_ref(), &self.vault, actor, idempotency)
                    .await?
                {
                    Some(accepted) => return Ok(accepted),
                    None => return Err(err),
                }
            }
            (Err(err), None) => return Err(err),
        };
        self.wait_for_read_models(accepted.position).await;
        Ok(accepted)
    }

    /// Waits (bounded) until the read models reached the position.
    async fn wait_for_read_models(&self, position: u64) {
        if !self
            .projector
            .wait_for(position, self.projection_wait)
            .await
        {
            tracing::warn!(position, "read models did not catch up in time");
        }
    }

    async fn decide_and_append<A: Aggregate>(
        &self,
        actor: &Actor,
        target: &Addressed<A>,
        expectations: &Expectations,
        metadata: &EventMetadata,
    ) -> Result<Accepted, AppError> {
        let partnership = self.partnership(actor)?;
        let kept = A::kept(&self.kept);
        for attempt in 0..MAX_ATTEMPTS {
            let (start, from_kept) = self
                .start(target, expectations.if_match, attempt == 0)
                .await?;
            let version = start.version;
            if expectations
                .if_match
                .is_some_and(|expected| expected != version)
            {
                return Err(AppError::StaleVersion);
            }
            let ctx = Context {
                actor,
                partnership: &partnership,
                now: self.clock.now(),
            };
            let events = match A::decide(start.state.as_ref(), &target.command, &ctx) {
                Ok(events) => events,
                // Refused on a kept state: another process may have moved the stream on, so
                // the refusal stands only once the stream as stored (the next attempt) refuses.
                Err(_) if from_kept => continue,
                Err(refused) => {
                    kept.keep(&target.stream_id, start);
                    return Err(refused.into());
                }
            };
            let data_keys = match &expectations.data_key {
                Some(key) => vec![self.vault.wrap(key).await?],
                None => Vec::new(),
            };
            let events = new_events(&events, metadata, |n| {
                expectations
                    .idempotency
                    .as_ref()
                    .map_or_else(Uuid::now_v7, |i| i.event_id(actor, n))
            });
            let next = kept::after::<A>(start.state, &events);
            let request = AppendRequest {
                stream_id: target.stream_id.clone(),
                expected_version: if version == 0 {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(version)
                },
                events,
                data_keys,
            };
            match self.store.append(request).await {
                Ok(result) => {
                    // Kept only when these very events followed the state decided on.
                    if let Some(state) = next
                        && !result.already_stored
                        && result.first_version == version + 1
                    {
                        let version = result.last_version;
                        kept.keep(&target.stream_id, KeptState { version, state });
                    }
                    return Ok(Accepted {
                        version: result.last_version,
                        position: result.last_position,
                    });
                }
                Err(StoreError::Conflict { .. }) if expectations.if_match.is_some() => {
                    return Err(AppError::StaleVersion);
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(StoreError::IdempotencyMismatch) => {
                    return Err(AppError::idempotency_key_reused());
                }
                Err(err) => return Err(err.into()),
            }
        }
        Err(DomainError::conflict(
            "version.conflict",
            "the case kept changing while this command was decided; retry",
        )
        .into())
    }

    /// The state a command is decided on, and whether it is a kept one: on the first attempt
    /// the state kept after this bus's last command on the stream (unless `If-Match` names
    /// another version), or none for a stream the sender has just drawn; otherwise the stream
    /// as stored, folded.
    async fn start<A: Aggregate>(
        &self,
        target: &Addressed<A>,
        if_match: Option<u64>,
        first: bool,
    ) -> Result<(KeptState<A>, bool), AppError> {
        if first && target.new_stream {
            return Ok((
                KeptState {
                    version: 0,
                    state: None,
                },
                false,
            ));
        }
        if first
            && let Some(kept) = A::kept(&self.kept).take(&target.stream_id)
            && if_match.is_none_or(|expected| expected == kept.version)
        {
            return Ok((kept, true));
        }
        let recorded = self.store.read_stream(&target.stream_id, 1).await?;
        let version = recorded.last().map_or(0, |e| e.stream_version);
        let state = A::replay(&recorded)?;
        Ok((KeptState { version, state }, false))
    }

    /// A copy of the state this bus keeps for a stream (its version, and the state folded
    /// from its events up to it), if it keeps one: what its next command on the stream is
    /// decided on without reading the stream. For checks; the bus never answers from it alone.
    pub fn kept_state<A: Aggregate + Clone>(&self, stream_id: &str) -> Option<(u64, Option<A>)> {
        A::kept(&self.kept)
            .copy(stream_id)
            .map(|kept| (kept.version, kept.state))
    }

    /// The actor's partnership as the read models hold it.
    fn partnership(&self, actor: &Actor) -> Result<Arc<Partnership>, AppError> {
        self.projector
            .read()
            .shared_partnership(&actor.partnership)
            .ok_or_else(AppError::unknown_partnership)
    }

    /// Records the events the service decides on its own behalf (the bootstrap of a
    /// partnership), under fixed ids so several replicas starting at once write them once.
    pub(crate) async fn record_as_system<A: Aggregate>(
        store: &dyn EventStore,
        stream_id: String,
        events: &[A::Event],
        metadata: &EventMetadata,
        event_id: impl Fn(usize) -> Uuid,
    ) -> Result<(), AppError> {
        match append_new_stream::<A>(store, stream_id, events, metadata, event_id).await {
            // Another replica (or an earlier start) recorded them.
            Ok(_) | Err(StoreError::Conflict { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}

impl CommandBus {
    /// Records the first events of a stream that must not exist yet, as
    /// [`CommandBus::record_as_system`] does, but refuses, as a conflict, when it exists: an
    /// operator who establishes a partnership twice is told so.
    pub(crate) async fn record_new_stream<A: Aggregate>(
        store: &dyn EventStore,
        stream_id: String,
        events: &[A::Event],
        metadata: &EventMetadata,
    ) -> Result<casetrail_store::AppendResult, StoreError> {
        append_new_stream::<A>(store, stream_id, events, metadata, |_| Uuid::now_v7()).await
    }
}

/// Appends the first events of a stream that must not exist yet (a conflict if it does).
async fn append_new_stream<A: Aggregate>(
    store: &dyn EventStore,
    stream_id: String,
    events: &[A::Event],
    metadata: &EventMetadata,
    event_id: impl Fn(usize) -> Uuid,
) -> Result<casetrail_store::AppendResult, StoreError> {
    store
        .append(AppendRequest {
            stream_id,
            expected_version: ExpectedVersion::NoStream,
            events: new_events(events, metadata, event_id),
            data_keys: Vec::new(),
        })
        .await
}

/// Auditors read; they never write. Refused before anything about the target is looked at,
/// so an auditor's command learns nothing about the case (its kind, stage or
/// recommendations).
pub fn require_writer(actor: &Actor) -> Result<(), AppError> {
    if actor.roles.iter().any(|role| *role != Role::Auditor) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "auth.role_required",
            "auditors read the record; no command is open to the role auditor",
        )
        .into())
    }
}

fn new_events<E: casetrail_domain::codec::StoredEvent>(
    events: &[E],
    metadata: &EventMetadata,
    event_id: impl Fn(usize) -> Uuid,
) -> Vec<NewEvent> {
    let metadata = metadata.to_json();
    events
        .iter()
        .enumerate()
        .map(|(n, event)| {
            let (event_type, data) = encode(event);
            NewEvent {
                event_id: event_id(n),
                schema_version: schema_version(&event_type),
                event_type,
                data,
                metadata: metadata.clone(),
            }
        })
        .collect()
}
