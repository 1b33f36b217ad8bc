//! Who may send each case command, declared once.
//!
//! Each command has one [`CommandRule`]: the process it belongs to, the roles any one of which
//! may send it, and the rule on the actor's organisation. The decider checks the rule before
//! anything else about the command; the edge checks the roles ([`may_send`]) before it looks the
//! case up, so a refusal says nothing about which cases exist; the next steps, the OpenAPI
//! descriptions and the table in `docs/access-control.md` ([`markdown_table`]) read the same
//! declaration, so they cannot disagree with the decider.

mod check;
#[cfg(test)]
mod tests;

pub use super::commands::RULES;
pub(super) use check::{authorise, require_kind};
pub use check::{may_send, roles_for};

use crate::Role;
use crate::case::CaseKind;

/// One case command's rule of who may send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandRule {
    /// The command's name, which is also its OpenAPI operationId.
    pub name: &'static str,
    /// The review process(es) the command belongs to.
    pub applies: Applies,
    /// The roles, any one of which may send the command.
    pub roles: &'static [Role],
    /// What the actor's organisation must be besides.
    pub organisation: OrganisationRule,
}

/// Which cases a command is sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Opens a new case of this kind; for a case that exists, of whatever kind, it is a
    /// conflict (`case.already_exists`), not a wrong kind.
    Opens(CaseKind),
    /// A step of these processes only: for a case of another kind, 409 `case.wrong_kind`.
    To(&'static [CaseKind]),
    /// A mechanic every process shares (publication, recommendations, closure, erasure).
    AnyKind,
}

/// What the actor's organisation must be, on top of holding one of the roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationRule {
    /// Any organisation: the role is the whole rule.
    Any,
    /// An organisation registered with the partnership (`auth.unknown_organisation`).
    Registered,
    /// The partnership's local authority: notifications are its statutory duty
    /// (`auth.local_authority_only`).
    LocalAuthority,
    /// One of the three statutory partners, who decide together (`auth.statutory_partner_only`).
    StatutoryPartner,
    /// The organisation named in the command is the actor's own: agencies act for themselves
    /// (`auth.own_organisation_only`).
    OwnOrganisation,
    /// The statutory partner named in the command is the actor's own
    /// (`auth.own_partner_only`, with `refusal` as its message).
    OwnPartner {
        /// The business manager records it for any partner.
        business_manager_for_any: bool,
        /// The refusal's message.
        refusal: &'static str,
    },
    /// An owner of the recommendation; the business manager for any. It depends on the case,
    /// so the decider checks it once it has found the recommendation.
    RecommendationOwner,
    /// An owner of the action; the business manager for any. It depends on the case, so the
    /// decider checks it once it has found the action.
    ActionOwner,
}

/// A rule, in the compact form the declaration is written in.
pub(in crate::case) const fn rule(
    name: &'static str,
    applies: Applies,
    roles: &'static [Role],
    organisation: OrganisationRule,
) -> CommandRule {
    CommandRule {
        name,
        applies,
        roles,
        organisation,
    }
}

/// The rule of the named command (its operationId); `None` for a name that is no case command.
pub fn rule_for(name: &str) -> Option<&'static CommandRule> {
    RULES.iter().find(|rule| rule.name == name)
}

fn kind_name(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Child => "child",
        CaseKind::Adult => "adult",
        CaseKind::DomesticHomicide => "domestic homicide",
        CaseKind::Audit => "audit",
    }
}

impl Applies {
    /// In words, for people: "child", "child or adult", "opens a new adult case", "any".
    pub fn describe(&self) -> String {
        match self {
            Applies::Opens(kind) => format!("opens a new {} case", kind_name(*kind)),
            Applies::To(kinds) => kinds
                .iter()
                .map(|kind| kind_name(*kind))
                .collect::<Vec<_>>()
                .join(" or "),
            Applies::AnyKind => "any".to_owned(),
        }
    }
}

impl OrganisationRule {
    /// The code a refusal under this rule carries (403); none for a rule that refuses no one.
    pub fn refusal_code(&self) -> Option<&'static str> {
        match self {
            OrganisationRule::Any => None,
            OrganisationRule::Registered => Some("auth.unknown_organisation"),
            OrganisationRule::LocalAuthority => Some("auth.local_authority_only"),
            OrganisationRule::StatutoryPartner => Some("auth.statutory_partner_only"),
            OrganisationRule::OwnOrganisation
            | OrganisationRule::RecommendationOwner
            | OrganisationRule::ActionOwner => Some("auth.own_organisation_only"),
            OrganisationRule::OwnPartner { .. } => Some("auth.own_partner_only"),
        }
    }

    /// In words, for people.
    pub fn describe(&self) -> &'static str {
        match self {
            OrganisationRule::Any => "any organisation",
            OrganisationRule::Registered => "any organisation registered with the partnership",
            OrganisationRule::LocalAuthority => "the partnership's local authority only",
            OrganisationRule::StatutoryPartner => {
                "a statutory partner only (local authority, police or health)"
            }
            OrganisationRule::OwnOrganisation => {
                "the organisation named in the command must be the user's own"
            }
            OrganisationRule::OwnPartner {
                business_manager_for_any: true,
                ..
            } => {
                "the partner named in the command must be the user's own; a business manager \
                 names any partner's"
            }
            OrganisationRule::OwnPartner {
                business_manager_for_any: false,
                ..
            } => "the partner named in the command must be the user's own",
            OrganisationRule::RecommendationOwner => {
                "an owner of the recommendation; a business manager for any"
            }
            OrganisationRule::ActionOwner => "an owner of the action; a business manager for any",
        }
    }
}

impl CommandRule {
    /// The roles as the wire names them, joined with "or": `business_manager or reviewer`.
    pub fn roles_in_words(&self) -> String {
        let names: Vec<&str> = self.roles.iter().map(|role| role.as_str()).collect();
        names.join(" or ")
    }

    /// The whole rule in one line, for an operation's description or a next step.
    pub fn describe(&self) -> String {
        format!(
            "Sent by {}; {}.",
            self.roles_in_words(),
            self.organisation.describe()
        )
    }
}

/// The declaration as the markdown table in `docs/access-control.md`, one row per command.
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| command | process | roles (any one) | organisation |\n| --- | --- | --- | --- |\n",
    );
    for rule in RULES {
        let roles: Vec<String> = rule
            .roles
            .iter()
            .map(|role| format!("`{}`", role.as_str()))
            .collect();
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            rule.name,
            rule.applies.describe(),
            roles.join(", "),
            rule.organisation.describe()
        ));
    }
    table
}
