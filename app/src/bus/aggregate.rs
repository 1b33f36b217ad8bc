//! The shape every aggregate has in the domain: commands decided against state folded from
//! events. The bus runs any of them the same way.

use crate::bus::kept::{Kept, KeptStates};
use crate::error::AppError;
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::{Case, CaseCommand, CaseEvent, Context};
use casetrail_domain::codec::{StoredEvent, decode};
use casetrail_domain::learning::{Learning, LearningCommand, LearningEvent};
use casetrail_domain::partnership::{Partnership, PartnershipCommand, PartnershipEvent};
use casetrail_domain::stream::{case_stream, learning_stream, partnership_stream};
use casetrail_domain::{Actor, CaseId, DomainError, Role};
use casetrail_store::RecordedEvent;
use std::fmt::Debug;

/// An aggregate: its commands, its events, how it evolves and how it decides.
pub trait Aggregate: Sized {
    /// What may be asked of it.
    type Command: Debug + Send + Sync;
    /// What it records.
    type Event: StoredEvent;

    /// The command's name (its operationId), recorded in the events' metadata.
    fn command_name(command: &Self::Command) -> &'static str;

    /// Refuses an actor whose token holds no role that may send the command, from the token
    /// alone: checked before the stream is read and before an idempotent replay.
    fn may_send(command: &Self::Command, actor: &Actor) -> Result<(), DomainError>;

    /// Where the bus keeps this kind's states after its commands.
    fn kept(states: &KeptStates) -> &Kept<Self>;

    /// The state after one more event.
    fn evolve(state: Option<Self>, event: &Self::Event) -> Option<Self>;

    /// The events the command records, or why it is refused.
    fn decide(
        state: Option<&Self>,
        command: &Self::Command,
        ctx: &Context<'_>,
    ) -> Result<Vec<Self::Event>, DomainError>;

    /// The state the recorded events leave.
    fn replay(recorded: &[RecordedEvent]) -> Result<Option<Self>, AppError> {
        let mut state = None;
        for event in recorded {
            let event: Self::Event = decode(&event.event_type, event.schema_version, &event.data)
                .map_err(|err| {
                AppError::Internal(anyhow::anyhow!("position {}: {err}", event.position))
            })?;
            state = Self::evolve(state, &event);
        }
        Ok(state)
    }
}

/// A command and the stream of the aggregate it is for.
#[derive(Debug)]
pub struct Addressed<A: Aggregate> {
    /// The stream.
    pub stream_id: String,
    /// The command.
    pub command: A::Command,
    /// Whether the stream is new to the sender (a case id it has just drawn): the bus then
    /// decides on no events without reading the stream, and appends only if it still has
    /// none; a stream that exists after all refuses the append, and the bus reads it and
    /// decides again.
    pub new_stream: bool,
}

impl Addressed<Case> {
    /// A command on one case of the actor's partnership.
    pub fn case(actor: &Actor, case_id: CaseId, command: CaseCommand) -> Self {
        Self {
            stream_id: case_stream(&actor.partnership, case_id),
            command,
            new_stream: false,
        }
    }

    /// A command that opens a case under an id the sender has just drawn.
    pub fn new_case(actor: &Actor, case_id: CaseId, command: CaseCommand) -> Self {
        Self {
            new_stream: true,
            ..Self::case(actor, case_id, command)
        }
    }
}

impl Addressed<Partnership> {
    /// A command on the actor's partnership.
    pub fn partnership(actor: &Actor, command: PartnershipCommand) -> Self {
        Self {
            stream_id: partnership_stream(&actor.partnership),
            command,
            new_stream: false,
        }
    }
}

impl Addressed<Learning> {
    /// A command on the actor's partnership's learning record.
    pub fn learning(actor: &Actor, command: LearningCommand) -> Self {
        Self {
            stream_id: learning_stream(&actor.partnership),
            command,
            new_stream: false,
        }
    }
}

impl Aggregate for Case {
    type Command = CaseCommand;
    type Event = CaseEvent;

    fn command_name(command: &CaseCommand) -> &'static str {
        command.name()
    }

    fn may_send(command: &CaseCommand, actor: &Actor) -> Result<(), DomainError> {
        casetrail_domain::case::may_send(command.name(), actor)
    }

    fn kept(states: &KeptStates) -> &Kept<Self> {
        states.cases()
    }

    fn evolve(state: Option<Case>, event: &CaseEvent) -> Option<Case> {
        Case::evolve(state, event)
    }

    fn decide(
        state: Option<&Case>,
        command: &CaseCommand,
        ctx: &Context<'_>,
    ) -> Result<Vec<CaseEvent>, DomainError> {
        casetrail_domain::case::decide(state, command, ctx)
    }
}

impl Aggregate for Partnership {
    type Command = PartnershipCommand;
    type Event = PartnershipEvent;

    fn command_name(command: &PartnershipCommand) -> &'static str {
        command.name()
    }

    fn may_send(_command: &PartnershipCommand, actor: &Actor) -> Result<(), DomainError> {
        if actor.has(Role::Admin) {
            Ok(())
        } else {
            Err(DomainError::forbidden(
                "auth.role_required",
                "this command needs the role admin",
            ))
        }
    }

    fn kept(states: &KeptStates) -> &Kept<Self> {
        states.partnerships()
    }

    fn evolve(state: Option<Partnership>, event: &PartnershipEvent) -> Option<Partnership> {
        Partnership::evolve(state, event)
    }

    fn decide(
        state: Option<&Partnership>,
        command: &PartnershipCommand,
        ctx: &Context<'_>,
    ) -> Result<Vec<PartnershipEvent>, DomainError> {
        casetrail_domain::partnership::decide(state, command, Some(ctx.actor), ctx.now)
    }
}

impl Aggregate for Learning {
    type Command = LearningCommand;
    type Event = LearningEvent;

    fn command_name(command: &LearningCommand) -> &'static str {
        command.name()
    }

    fn may_send(command: &LearningCommand, actor: &Actor) -> Result<(), DomainError> {
        casetrail_domain::learning::may_send(command, actor)
    }

    fn kept(states: &KeptStates) -> &Kept<Self> {
        states.learning()
    }

    fn evolve(state: Option<Learning>, event: &LearningEvent) -> Option<Learning> {
        Learning::evolve(state, event)
    }

    fn decide(
        state: Option<&Learning>,
        command: &LearningCommand,
        ctx: &Context<'_>,
    ) -> Result<Vec<LearningEvent>, DomainError> {
        casetrail_domain::learning::decide(state, command, ctx.partnership, local_date(ctx.now))
    }
}
