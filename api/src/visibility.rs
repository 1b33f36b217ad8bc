//! Need to know (api.md): who may see which case of their partnership.

use casetrail_domain::case::Case;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, Role};

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

/// Whether the actor may read the child's identifying details: those who act on the case
/// with the family, not everyone who may follow its progress.
pub fn can_read_personal_details(actor: &Actor, partnership: &Partnership, case: &Case) -> bool {
    can_see(actor, partnership, case)
        && [
            Role::BusinessManager,
            Role::Notifier,
            Role::IndependentAdvisor,
            Role::Reviewer,
        ]
        .into_iter()
        .any(|role| actor.has(role))
}
