//! How a command flows (architecture.md "Data flow of a command"): idempotency check, load the
//! stream, decide, append with the expected version, wait for the projection, answer. The flow
//! is the same for every aggregate; a [`Target`] says which stream and how to decide.

use crate::dto::CommandAccepted;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use casetrail_domain::case::{Case, CaseCommand, CaseEvent, Context, decide};
use casetrail_domain::codec::{StoredEvent, decode, encode, schema_version};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::stream::case_stream;
use casetrail_domain::{Actor, CaseId, Role};
use casetrail_store::{AppendRequest, ExpectedVersion, NewEvent, RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

/// Attempts when another writer moved the case between load and append (no If-Match).
const MAX_ATTEMPTS: usize = 5;

/// Namespace for event ids derived from an Idempotency-Key.
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_4c2e_9b7d_4e0a_8c3f_2d5e_7b9a_1c04);

/// A command on a stream: which stream, its name, and how it decides against the stream's
/// recorded events.
pub trait Target {
    /// The stream the command appends to.
    fn stream_id(&self, actor: &Actor) -> String;
    /// The command's name (its OpenAPI operationId), recorded in the events' metadata.
    fn command_name(&self) -> &'static str;
    /// Refuses a caller whose token holds no role that may send the command, from the token
    /// alone: checked before the stream is looked at and before an idempotent replay.
    fn may_send(&self, actor: &Actor) -> Result<(), ApiError>;
    /// Decides against the stream's events: the events to append, encoded.
    fn decide(
        &self,
        recorded: &[RecordedEvent],
        actor: &Actor,
        partnership: &Partnership,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, serde_json::Value)>, ApiError>;
}

/// A command on a case.
#[derive(Debug)]
pub struct CaseTarget {
    /// The case.
    pub case_id: CaseId,
    /// The command.
    pub command: CaseCommand,
}

impl Target for CaseTarget {
    fn stream_id(&self, actor: &Actor) -> String {
        case_stream(&actor.partnership, self.case_id)
    }

    fn command_name(&self) -> &'static str {
        self.command.name()
    }

    fn may_send(&self, actor: &Actor) -> Result<(), ApiError> {
        Ok(casetrail_domain::case::may_send(
            self.command.name(),
            actor,
        )?)
    }

    fn decide(
        &self,
        recorded: &[RecordedEvent],
        actor: &Actor,
        partnership: &Partnership,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, serde_json::Value)>, ApiError> {
        let events: Vec<CaseEvent> = decode_all(recorded)?;
        let ctx = Context {
            actor,
            partnership,
            now,
        };
        let decided = decide(Case::replay(&events).as_ref(), &self.command, &ctx)?;
        Ok(decided.iter().map(encode).collect())
    }
}

/// Decodes a stream's events; one that cannot be read is our failure, not the client's.
pub fn decode_all<E: StoredEvent>(recorded: &[RecordedEvent]) -> Result<Vec<E>, ApiError> {
    recorded
        .iter()
        .map(|event| {
            decode(&event.event_type, event.schema_version, &event.data).map_err(|err| {
                ApiError::Internal(anyhow::anyhow!("position {}: {err}", event.position))
            })
        })
        .collect()
}

/// Where a command landed: the stream's new version and the log position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The stream's new version.
    pub version: u64,
    /// The log position of the last event written.
    pub position: u64,
}

/// A command as the HTTP edge hands it over.
#[derive(Debug)]
pub struct CommandEnvelope<T> {
    /// The stream and the command.
    pub target: T,
    /// `If-Match` version, when the client sent one.
    pub if_match: Option<u64>,
    /// The client's idempotency key, scoped to its partnership and user.
    pub idempotency: Option<Idempotency>,
    /// The request id, recorded in the events' metadata.
    pub request_id: String,
    /// A key sealing personal data in the command, stored just before the append.
    pub data_key: Option<crate::personal_data::DataKey>,
}

/// An Idempotency-Key and the hash of the request it was first used with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    /// The key as sent.
    pub key: String,
    /// SHA-256 of the method, path and canonical body: held in memory only. What is stored is
    /// a keyed hash of it ([`crate::personal_data::KeyVault::request_fingerprint`]).
    pub request_hash: String,
}

/// The version of the metadata written with new events. Version 2 stores a keyed request
/// hash (`"<kek id>:<hmac>"`); events without a version (1) hold an unkeyed SHA-256, which
/// stays as it was written: the log is never rewritten.
const METADATA_VERSION: u64 = 2;

impl Idempotency {
    fn base(&self, actor: &Actor) -> Uuid {
        let scope = format!("{}|{}|{}", actor.partnership, actor.user, self.key);
        Uuid::new_v5(&IDEMPOTENCY_NAMESPACE, scope.as_bytes())
    }

    /// The id of the n-th event written under this key: the same on every retry, so the store
    /// recognises a retry and writes nothing.
    fn event_id(&self, actor: &Actor, n: usize) -> Uuid {
        Uuid::new_v5(&self.base(actor), format!("event/{n}").as_bytes())
    }

    /// A case id derived from the key, so a retried NotifyIncident names the same case.
    pub fn case_id(&self, actor: &Actor) -> CaseId {
        CaseId::from_uuid(Uuid::new_v5(&self.base(actor), b"case"))
    }
}

/// Runs a command on a case to completion. The status is 201 for one that opens the case.
pub async fn execute(
    state: &AppState,
    actor: &Actor,
    envelope: CommandEnvelope<CaseTarget>,
    created: StatusCode,
) -> Result<(StatusCode, CommandAccepted), ApiError> {
    let case_id = envelope.target.case_id.as_uuid();
    let accepted = run(state, actor, envelope).await?;
    Ok((
        created,
        CommandAccepted {
            case_id,
            version: accepted.version,
            position: accepted.position,
        },
    ))
}

/// Auditors read; they never write. Refused before anything about the target is looked at, so
/// an auditor's command learns nothing about the case (its kind, stage or recommendations).
pub fn require_writer(actor: &Actor) -> Result<(), ApiError> {
    if actor.roles.iter().any(|role| *role != Role::Auditor) {
        Ok(())
    } else {
        Err(ApiError::client(
            StatusCode::FORBIDDEN,
            "auth.role_required",
            "auditors read the record; no command is open to the role auditor",
        ))
    }
}

/// Runs a command on any stream to completion, replaying the first answer for a retried
/// Idempotency-Key.
pub async fn run<T: Target>(
    state: &AppState,
    actor: &Actor,
    envelope: CommandEnvelope<T>,
) -> Result<Accepted, ApiError> {
    require_writer(actor)?;
    // The caller's roles now, not when the key was first used: a replay to a token that has
    // lost the role is refused like a first attempt.
    envelope.target.may_send(actor)?;
    if let Some(idempotency) = &envelope.idempotency
        && let Some(accepted) = replay(state, actor, idempotency).await?
    {
        return Ok(accepted);
    }
    let fingerprint = match &envelope.idempotency {
        Some(idempotency) => Some(
            state
                .data_keys
                .request_fingerprint(&idempotency.request_hash)
                .await?,
        ),
        None => None,
    };
    let outcome = decide_and_append(state, actor, &envelope, fingerprint.as_deref()).await;
    let accepted = match (outcome, &envelope.idempotency) {
        (Ok(accepted), _) => accepted,
        // A concurrent request with the same key may have won the race: answer as it did.
        (Err(err), Some(idempotency)) => match replay(state, actor, idempotency).await? {
            Some(accepted) => return Ok(accepted),
            None => return Err(err),
        },
        (Err(err), None) => return Err(err),
    };
    if !state
        .projector
        .wait_for(accepted.position, state.projection_wait)
        .await
    {
        tracing::warn!(
            position = accepted.position,
            "read models did not catch up in time"
        );
    }
    Ok(accepted)
}

async fn replay(
    state: &AppState,
    actor: &Actor,
    idempotency: &Idempotency,
) -> Result<Option<Accepted>, ApiError> {
    let first_id = idempotency.event_id(actor, 0);
    let Some(first) = state
        .store
        .event_by_id(first_id)
        .await
        .map_err(store_error)?
    else {
        return Ok(None);
    };
    if !same_request(state, &first.metadata, idempotency).await? {
        return Err(ApiError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency.key_reused",
            "this Idempotency-Key was already used with a different request",
        ));
    }
    let batch = state
        .store
        .read_stream(&first.stream_id, first.stream_version)
        .await
        .map_err(store_error)?;
    let same_command = |e: &&RecordedEvent| {
        e.metadata.get("correlation_id") == first.metadata.get("correlation_id")
    };
    let last = batch
        .iter()
        .take_while(same_command)
        .last()
        .unwrap_or(&first);
    Ok(Some(Accepted {
        version: last.stream_version,
        position: last.position,
    }))
}

/// Whether the stored event's request hash is that of this request, under the scheme its
/// metadata version names.
async fn same_request(
    state: &AppState,
    metadata: &serde_json::Value,
    idempotency: &Idempotency,
) -> Result<bool, ApiError> {
    let Some(stored) = metadata.get("request_hash").and_then(|h| h.as_str()) else {
        return Ok(false);
    };
    match metadata.get("metadata_version").and_then(|v| v.as_u64()) {
        None | Some(1) => Ok(stored == idempotency.request_hash),
        Some(_) => {
            state
                .data_keys
                .is_same_request(stored, &idempotency.request_hash)
                .await
        }
    }
}

async fn decide_and_append<T: Target>(
    state: &AppState,
    actor: &Actor,
    envelope: &CommandEnvelope<T>,
    request_fingerprint: Option<&str>,
) -> Result<Accepted, ApiError> {
    let partnership = state
        .projector
        .read()
        .partnership(&actor.partnership)
        .cloned()
        .ok_or_else(|| {
            ApiError::client(
                StatusCode::FORBIDDEN,
                "auth.unknown_partnership",
                "the token's partnership is not known to this service",
            )
        })?;
    let stream_id = envelope.target.stream_id(actor);
    let correlation_id = Uuid::now_v7();
    for _ in 0..MAX_ATTEMPTS {
        let recorded = state
            .store
            .read_stream(&stream_id, 1)
            .await
            .map_err(store_error)?;
        let version = recorded.last().map_or(0, |e| e.stream_version);
        if envelope
            .if_match
            .is_some_and(|expected| expected != version)
        {
            return Err(precondition_failed());
        }
        // Microseconds, the precision both databases keep.
        let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
        let events = envelope
            .target
            .decide(&recorded, actor, &partnership, now)?;
        if let Some(key) = &envelope.data_key {
            state.data_keys.put(key).await?;
        }
        let request = AppendRequest {
            stream_id: stream_id.clone(),
            expected_version: if version == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exact(version)
            },
            events: to_new_events(actor, envelope, request_fingerprint, correlation_id, events),
        };
        match state.store.append(request).await {
            Ok(result) => {
                return Ok(Accepted {
                    version: result.last_version,
                    position: result.last_position,
                });
            }
            Err(StoreError::Conflict { .. }) if envelope.if_match.is_some() => {
                return Err(precondition_failed());
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(StoreError::IdempotencyMismatch) => {
                return Err(ApiError::client(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency.key_reused",
                    "this Idempotency-Key was already used with a different request",
                ));
            }
            Err(err) => return Err(store_error(err)),
        }
    }
    Err(ApiError::client(
        StatusCode::CONFLICT,
        "version.conflict",
        "the case kept changing while this command was decided; retry",
    ))
}

fn precondition_failed() -> ApiError {
    ApiError::client(
        StatusCode::PRECONDITION_FAILED,
        "version.precondition_failed",
        "the case has changed since the version in If-Match; reload it and retry",
    )
}

fn to_new_events<T: Target>(
    actor: &Actor,
    envelope: &CommandEnvelope<T>,
    request_fingerprint: Option<&str>,
    correlation_id: Uuid,
    events: Vec<(String, serde_json::Value)>,
) -> Vec<NewEvent> {
    let metadata = json!({
        "metadata_version": METADATA_VERSION,
        "actor": {
            "user": actor.user,
            "name": actor.name,
            "org": actor.org,
            "roles": actor.roles,
        },
        "partnership": actor.partnership,
        "command": envelope.target.command_name(),
        "correlation_id": correlation_id,
        "causation_id": null,
        "request_id": envelope.request_id,
        "idempotency_key": envelope.idempotency.as_ref().map(|i| &i.key),
        "request_hash": request_fingerprint,
    });
    events
        .into_iter()
        .enumerate()
        .map(|(n, (event_type, data))| NewEvent {
            event_id: envelope
                .idempotency
                .as_ref()
                .map_or_else(Uuid::now_v7, |i| i.event_id(actor, n)),
            schema_version: schema_version(&event_type),
            event_type,
            data,
            metadata: metadata.clone(),
        })
        .collect()
}

/// Maps a store failure: the database being unreachable is a 503, anything else a 500.
pub fn store_error(err: StoreError) -> ApiError {
    if err.is_unavailable() {
        ApiError::Unavailable(err.into())
    } else {
        ApiError::Internal(err.into())
    }
}
