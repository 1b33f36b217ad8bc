//! Checking a command against its rule: the roles from the token alone (the edge), then the
//! organisation and the process once the command and the case are known (the decider).

use super::{Applies, CommandRule, OrganisationRule, rule_for};
use crate::case::commands::ActingFor;
use crate::case::{Case, CaseCommand, CaseKind, Context};
use crate::partnership::{OrgKind, StatutoryPartner};
use crate::{Actor, DomainError, Role};

/// The roles, any one of which may send the named command (the decider may ask for more);
/// `None` for a name that is no case command.
pub fn roles_for(command: &str) -> Option<&'static [Role]> {
    rule_for(command).map(|rule| rule.roles)
}

/// Refuses an actor holding none of the roles that may send the named command: 403
/// `auth.role_required`, decided from the token alone. A name that is no case command is
/// refused too, so a handler and the declaration cannot silently disagree.
pub fn may_send(command: &str, actor: &Actor) -> Result<(), DomainError> {
    require_any(actor, rule_of(command)?.roles)
}

fn rule_of(command: &str) -> Result<&'static CommandRule, DomainError> {
    rule_for(command).ok_or_else(|| {
        DomainError::forbidden(
            "auth.role_required",
            format!("{command} is open to no role"),
        )
    })
}

/// 403 `auth.role_required` naming the roles, unless the actor holds one of them.
pub(in crate::case) fn require_any(actor: &Actor, roles: &[Role]) -> Result<(), DomainError> {
    if roles.iter().any(|role| actor.has(*role)) {
        Ok(())
    } else {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(DomainError::forbidden(
            "auth.role_required",
            format!("this command needs the role {}", names.join(" or ")),
        ))
    }
}

/// Each statutory process has its own commands: one of another process is a conflict. A
/// command opening a case passes: for a case that exists it is a conflict of its own.
pub(in crate::case) fn require_kind(case: &Case, command: &CaseCommand) -> Result<(), DomainError> {
    let kinds = match rule_of(command.name())?.applies {
        Applies::To(kinds) => kinds,
        Applies::Opens(_) | Applies::AnyKind => return Ok(()),
    };
    if kinds.contains(&case.kind) {
        return Ok(());
    }
    Err(DomainError::conflict(
        "case.wrong_kind",
        format!(
            "{} does not apply to a case of this kind ({})",
            command.name(),
            match case.kind {
                CaseKind::Child => "child",
                CaseKind::Adult => "adult",
                CaseKind::DomesticHomicide => "domestic_homicide",
                CaseKind::Audit => "audit",
            }
        ),
    ))
}

/// The actor may send this command: one of its roles, then its organisation rule. A rule that
/// depends on the case ([`OrganisationRule::RecommendationOwner`]) is the decider's, once it has
/// found what the rule is about.
pub(in crate::case) fn authorise(
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<(), DomainError> {
    let rule = rule_of(command.name())?;
    require_any(ctx.actor, rule.roles)?;
    match rule.organisation {
        OrganisationRule::Any
        | OrganisationRule::RecommendationOwner
        | OrganisationRule::ActionOwner => Ok(()),
        OrganisationRule::Registered => require_registered_actor(ctx),
        OrganisationRule::LocalAuthority => require_local_authority(ctx),
        OrganisationRule::StatutoryPartner => require_statutory_partner(ctx),
        OrganisationRule::OwnOrganisation => match command.acting_for() {
            ActingFor::Organisation(organisation) if organisation == &ctx.actor.org => Ok(()),
            ActingFor::Organisation(_) | ActingFor::Partner(_) | ActingFor::Nobody => {
                Err(DomainError::forbidden(
                    "auth.own_organisation_only",
                    "users act only for their own organisation",
                ))
            }
        },
        OrganisationRule::OwnPartner {
            business_manager_for_any,
            refusal,
        } => {
            if business_manager_for_any && ctx.actor.has(Role::BusinessManager) {
                return Ok(());
            }
            match command.acting_for() {
                ActingFor::Partner(partner) if actor_partner(ctx) == Some(partner) => Ok(()),
                ActingFor::Partner(_) | ActingFor::Organisation(_) | ActingFor::Nobody => {
                    Err(DomainError::forbidden("auth.own_partner_only", refusal))
                }
            }
        }
    }
}

/// The statutory partner the actor's organisation is, if any.
pub(in crate::case) fn actor_partner(ctx: &Context<'_>) -> Option<StatutoryPartner> {
    ctx.partnership
        .organisation(&ctx.actor.org)
        .and_then(|o| o.kind.statutory_partner())
}

/// Opening a case needs the actor's organisation to be one the partnership knows.
fn require_registered_actor(ctx: &Context<'_>) -> Result<(), DomainError> {
    if ctx.partnership.organisation(&ctx.actor.org).is_some() {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "auth.unknown_organisation",
            "the user's organisation is not registered with the partnership",
        ))
    }
}

/// Decisions the statutory partners take together (SSP D; Care Act s44 for the Board, DVCVA s9
/// for the review partnership) are recorded only by a user of one of the three statutory
/// partners, whatever their role: a relevant agency's user, even a business manager or partner
/// decision maker by title, does not decide for the partners.
fn require_statutory_partner(ctx: &Context<'_>) -> Result<(), DomainError> {
    if actor_partner(ctx).is_some() {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "auth.statutory_partner_only",
            "only a user of a statutory partner (local authority, police or health) records \
             the partners' decision",
        ))
    }
}

/// Notifications are the local authority's statutory duty, so only its own users send them.
fn require_local_authority(ctx: &Context<'_>) -> Result<(), DomainError> {
    let kind = ctx.partnership.organisation(&ctx.actor.org).map(|o| o.kind);
    if kind == Some(OrgKind::LocalAuthority) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "auth.local_authority_only",
            "only the partnership's local authority notifies serious incidents",
        ))
    }
}
