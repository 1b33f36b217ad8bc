//! Who is acting: the verified claims of a token, in domain terms.

use crate::{OrgSlug, PartnershipSlug};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A role a user holds in the partnership (api.md, domain.md "Who may do what").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the review process for the partnership.
    BusinessManager,
    /// Notifies serious incidents for the local authority.
    Notifier,
    /// Decides for one of the three safeguarding partners.
    PartnerDecisionMaker,
    /// Works in a relevant agency: refers cases and submits its own reports.
    AgencyUser,
    /// Chairs and signs off.
    IndependentAdvisor,
    /// Leads a review.
    Reviewer,
    /// Reads everything, writes nothing.
    Auditor,
    /// Administers the partnership.
    Admin,
    /// An organisation's own system: reads the change feed and manages the organisation's
    /// webhook subscriptions; records nothing (docs/integration.md).
    Integration,
}

impl Role {
    /// Every role, for documentation and token minting.
    pub const ALL: [Role; 9] = [
        Role::BusinessManager,
        Role::Notifier,
        Role::PartnerDecisionMaker,
        Role::AgencyUser,
        Role::IndependentAdvisor,
        Role::Reviewer,
        Role::Auditor,
        Role::Admin,
        Role::Integration,
    ];

    /// The role's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BusinessManager => "business_manager",
            Role::Notifier => "notifier",
            Role::PartnerDecisionMaker => "partner_decision_maker",
            Role::AgencyUser => "agency_user",
            Role::IndependentAdvisor => "independent_advisor",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::Integration => "integration",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// The person acting, as established by a verified token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user's id at the identity provider (`sub`).
    pub user: String,
    /// The user's display name (staff, never a child or adult at risk).
    pub name: String,
    /// The tenant the token belongs to.
    pub partnership: PartnershipSlug,
    /// The user's organisation.
    pub org: OrgSlug,
    /// The user's roles.
    pub roles: BTreeSet<Role>,
}

impl Actor {
    /// Whether the actor holds the role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
