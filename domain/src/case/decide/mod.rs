//! The case decider: every rule a command must pass, as a pure function.

mod supported_dates;

use super::policy::{authorise, require_kind};
use super::{Case, CaseCommand, CaseEvent};
use crate::calendar::at_local_time;
use crate::partnership::Partnership;
use crate::{Actor, DomainError, OrgSlug};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Everything a decision may depend on besides the case: who acts, when, and where.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The verified actor.
    pub actor: &'a Actor,
    /// The partnership the case belongs to.
    pub partnership: &'a Partnership,
    /// The current instant (the decider never reads a clock).
    pub now: DateTime<Utc>,
}

/// Decides a command against a case's state (`None` when the stream is empty). Whatever the
/// command, the case it leaves must stay within the calendar's supported years.
pub fn decide(
    state: Option<&Case>,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let events = decide_command(state, command, ctx)?;
    supported_dates::check(state, &events, ctx.partnership)?;
    Ok(events)
}

fn decide_command(
    state: Option<&Case>,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    command.dispatch(state, ctx)
}

/// What a command on an existing case must pass before its own rules: the case exists, is
/// open (or the command outlives it), is of a kind the command applies to, and the sender may
/// send it.
pub(in crate::case) fn admit<'c>(
    state: Option<&'c Case>,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<&'c Case, DomainError> {
    let case = existing(state)?;
    // A closed case takes nothing more but what outlives it: its recommendations' completion
    // and action plans, taking its published report down and erasure.
    let outlives_the_case = matches!(
        command,
        CaseCommand::CompleteRecommendation(_)
            | CaseCommand::AddAction(_)
            | CaseCommand::RecordActionProgress(_)
            | CaseCommand::CompleteAction(_)
            | CaseCommand::SignOffActionPlan(_)
            | CaseCommand::ReviewImpact(_)
            | CaseCommand::RecordReviewTakenDown(_)
            | CaseCommand::EraseCasePersonalData(_)
    );
    if case.after.closed.is_some() && !outlives_the_case {
        return Err(DomainError::conflict("case.closed", "the case is closed"));
    }
    require_kind(case, command)?;
    authorise(command, ctx)?;
    Ok(case)
}

pub(in crate::case) fn existing(state: Option<&Case>) -> Result<&Case, DomainError> {
    state.ok_or_else(|| DomainError::not_found("case.not_found", "no such case"))
}

/// A registered organisation of the partnership that has not retired.
pub(in crate::case) fn require_registered(
    ctx: &Context<'_>,
    field: &str,
    organisation: &OrgSlug,
) -> Result<(), DomainError> {
    if ctx.partnership.active_organisation(organisation).is_some() {
        Ok(())
    } else if ctx.partnership.organisation(organisation).is_some() {
        Err(DomainError::invalid_field(
            field,
            "organisation.retired",
            format!("{field} has retired from the partnership"),
        ))
    } else {
        Err(DomainError::invalid_field(
            field,
            "organisation.unknown",
            format!("{field} is not an organisation of this partnership"),
        ))
    }
}

/// How a list of organisations in a command is judged (a recommendation's or an action's
/// owners, the organisations a review's learning reached, an audit's agencies): its field, the
/// most it may name, and the codes of its refusals.
#[derive(Debug, Clone, Copy)]
pub(in crate::case) struct OrganisationList {
    /// The field, as refusals name it.
    pub field: &'static str,
    /// The most organisations allowed.
    pub max: usize,
    /// The code of a list that is empty or too long.
    pub count_code: &'static str,
    /// The code of an organisation named twice.
    pub repeat_code: &'static str,
}

/// A list of organisations: at least one, at most `list.max`, each once, each registered and
/// active.
pub(in crate::case) fn check_organisations(
    ctx: &Context<'_>,
    organisations: &[OrgSlug],
    list: OrganisationList,
) -> Result<(), DomainError> {
    let OrganisationList {
        field,
        max,
        count_code,
        repeat_code,
    } = list;
    if organisations.is_empty() || organisations.len() > max {
        return Err(DomainError::invalid_field(
            field,
            count_code,
            format!("{field} names 1 to {max} organisations"),
        ));
    }
    for (n, organisation) in organisations.iter().enumerate() {
        let at = format!("{field}[{n}]");
        if organisations[..n].contains(organisation) {
            return Err(DomainError::invalid_field(
                at,
                repeat_code,
                "each organisation is named once",
            ));
        }
        require_registered(ctx, &at, organisation)?;
    }
    Ok(())
}

/// Resolves `occurred_at` for a fact that depends on an earlier one.
pub(in crate::case) fn occurred(
    given: Option<DateTime<Utc>>,
    ctx: &Context<'_>,
    not_before: DateTime<Utc>,
    depends_on: &str,
) -> Result<DateTime<Utc>, DomainError> {
    super::occurred_at::resolve(given, ctx.now, ctx.now, not_before, depends_on)
}

/// Refuses a fact recorded twice.
pub(in crate::case) fn once<T>(
    already: Option<T>,
    code: &'static str,
    message: &str,
) -> Result<(), DomainError> {
    match already {
        Some(_) => Err(DomainError::conflict(code, message)),
        None => Ok(()),
    }
}

pub(in crate::case) fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    at_local_time(date, NaiveTime::MIN)
}

pub(in crate::case) fn check_text(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid_field(
            field,
            "field.required",
            format!("{field} must not be empty"),
        ));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid_field(
            field,
            "field.too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// What every command opening a case needs once its sender is authorised: the case does not
/// exist yet.
pub(in crate::case) fn require_new_case(state: Option<&Case>) -> Result<(), DomainError> {
    if state.is_some() {
        return Err(DomainError::conflict(
            "case.already_exists",
            "a case with this id already exists",
        ));
    }
    Ok(())
}
