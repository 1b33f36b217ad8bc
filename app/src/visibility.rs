//! Need to know (api.md): who may see which case of their partnership, and who of them may
//! read the identifying details of the child, adult or victim (docs/access-control.md).

use crate::error::AppError;
use casetrail_domain::case::Case;
use casetrail_domain::partnership::{OrgKind, Partnership};
use casetrail_domain::{Actor, DomainError, OrgSlug, Role};

/// Whether the actor sees every case of the partnership: statutory partners, the business
/// manager, the Independent Advisor and auditors do; agency users see only their own cases.
pub fn sees_all_cases(actor: &Actor, partnership: &Partnership) -> bool {
    let statutory = partnership
        .organisation(&actor.org)
        .and_then(|o| o.kind.statutory_partner())
        .is_some();
    statutory
        || actor.has(Role::BusinessManager)
        || actor.has(Role::IndependentAdvisor)
        || actor.has(Role::Auditor)
}

/// Whether the actor may see this case.
pub fn can_see(actor: &Actor, partnership: &Partnership, case: &Case) -> bool {
    sees_all_cases(actor, partnership) || case.involved.contains(&actor.org)
}

/// Which actions of the recommendations' plans a reader sees (docs/rules.md AP-5): every
/// action for those who see every case; an agency user only those its organisation owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionsShown {
    /// Every action.
    All,
    /// The actions this organisation owns.
    OwnedBy(OrgSlug),
}

impl ActionsShown {
    /// What `actor` sees.
    pub fn to(actor: &Actor, partnership: &Partnership) -> Self {
        if sees_all_cases(actor, partnership) {
            ActionsShown::All
        } else {
            ActionsShown::OwnedBy(actor.org.clone())
        }
    }

    /// Whether an action with these owners is shown.
    pub fn shows(&self, owners: &[OrgSlug]) -> bool {
        match self {
            ActionsShown::All => true,
            ActionsShown::OwnedBy(org) => owners.contains(org),
        }
    }
}

/// Why identifying details are refused to someone who may see the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalDetailsRefusal {
    /// The token holds no role that ever reads identifying details.
    RoleRequired,
    /// A notifier of another organisation than the local authority: notifying is the local
    /// authority's duty, and only its notifiers act on the case with the family.
    LocalAuthorityOnly,
    /// A reviewer whose organisation does not review this case.
    NotReviewerOfCase,
}

impl From<PersonalDetailsRefusal> for AppError {
    fn from(refusal: PersonalDetailsRefusal) -> Self {
        let (code, detail) = match refusal {
            PersonalDetailsRefusal::RoleRequired => (
                "auth.role_required",
                "reading identifying details needs the role business_manager, \
                 independent_advisor, reviewer (of the case) or notifier (of the local authority)",
            ),
            PersonalDetailsRefusal::LocalAuthorityOnly => (
                "auth.local_authority_only",
                "only the local authority's notifiers read identifying details",
            ),
            PersonalDetailsRefusal::NotReviewerOfCase => (
                "auth.not_reviewer_of_case",
                "a reviewer reads identifying details only of the cases their organisation reviews",
            ),
        };
        DomainError::forbidden(code, detail).into()
    }
}

/// The organisations that review the case: the rapid review's lead agreed by the partners
/// (AgreeReviewLead) and the safeguarding adult review's reviewer (CommissionSar). An LCSPR's
/// or DHR's reviewer is recorded by name only, so no reviewer's token is theirs.
pub fn reviewing_organisations(case: &Case) -> Vec<&OrgSlug> {
    let rapid_review_lead = case
        .rapid_review
        .as_ref()
        .and_then(|r| r.review_lead.as_ref())
        .map(|(_, org)| org);
    let sar_reviewer = case
        .sar
        .as_ref()
        .and_then(|s| s.commissioned.as_ref())
        .and_then(|c| c.reviewer_organisation.as_ref());
    rapid_review_lead.into_iter().chain(sar_reviewer).collect()
}

/// Who may read the identifying details (personal details, and the subject access export
/// built on them): the business manager, the Independent Advisor, the local authority's
/// notifiers, and the reviewers of the case. With `case` absent, judged from the token alone
/// (before any look-up): `Ok` then means "may, for some case". The caller must also be able to
/// see the case ([`can_see`]); [`can_read_personal_details`] asks both.
pub fn personal_details_access(
    actor: &Actor,
    partnership: &Partnership,
    case: Option<&Case>,
) -> Result<(), PersonalDetailsRefusal> {
    if actor.has(Role::BusinessManager) || actor.has(Role::IndependentAdvisor) {
        return Ok(());
    }
    let local_authority = partnership
        .organisation(&actor.org)
        .is_some_and(|o| o.kind == OrgKind::LocalAuthority);
    if actor.has(Role::Notifier) && local_authority {
        return Ok(());
    }
    if actor.has(Role::Reviewer) {
        return match case {
            None => Ok(()),
            Some(case) if reviewing_organisations(case).contains(&&actor.org) => Ok(()),
            Some(_) => Err(PersonalDetailsRefusal::NotReviewerOfCase),
        };
    }
    if actor.has(Role::Notifier) {
        return Err(PersonalDetailsRefusal::LocalAuthorityOnly);
    }
    Err(PersonalDetailsRefusal::RoleRequired)
}

/// Whether the actor may read this case's identifying details.
pub fn can_read_personal_details(actor: &Actor, partnership: &Partnership, case: &Case) -> bool {
    can_see(actor, partnership, case)
        && personal_details_access(actor, partnership, Some(case)).is_ok()
}
