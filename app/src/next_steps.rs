//! What must happen next on a case: every deadline still open (soonest first), then the steps
//! of the process that have no deadline of their own. A rule of the process, not of HTTP: the
//! API shows it and a partner system could act on it.

use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::rapid_review::PARTNERS;
use casetrail_domain::case::reconsideration::AdviceSubject;
use casetrail_domain::case::{Case, CaseKind, Stage, policy};
use casetrail_domain::deadline::DeadlineStatus;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{OrgSlug, Role};
use chrono::{DateTime, Utc};

/// One step: the command that takes it and who sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    /// The command's name (its operationId).
    pub command: &'static str,
    /// The role that acts.
    pub role: Role,
    /// The organisation that acts, when one is named.
    pub organisation: Option<OrgSlug>,
    /// When it is due and how that stands now, when a deadline governs it.
    pub deadline: Option<(DateTime<Utc>, DeadlineStatus)>,
}

impl NextStep {
    /// A step without a deadline, sent by the first role the command's declaration names
    /// (`casetrail_domain::case::policy`): the one who usually acts. Every name this module
    /// uses is declared (tested), so none is left out.
    fn undated(command: &'static str, organisation: Option<OrgSlug>) -> Option<Self> {
        let role = *policy::rule_for(command)?.roles.first()?;
        Some(Self {
            command,
            role,
            organisation,
            deadline: None,
        })
    }
}

/// The next steps of the case at `now`.
pub fn next_steps(case: &Case, partnership: &Partnership, now: DateTime<Utc>) -> Vec<NextStep> {
    let calendar = &partnership.calendar;
    let mut open: Vec<_> = case
        .deadlines(partnership)
        .into_iter()
        .map(|d| {
            let status = d.status(now, calendar);
            (d, status)
        })
        .filter(|(_, status)| {
            matches!(
                status,
                DeadlineStatus::Pending | DeadlineStatus::DueSoon | DeadlineStatus::Breached
            )
        })
        .collect();
    open.sort_by_key(|(d, _)| d.due_at);
    let mut steps: Vec<NextStep> = open
        .into_iter()
        .map(|(d, status)| NextStep {
            command: d.kind.fulfilled_by(),
            role: d.kind.responsible_role(),
            organisation: d.organisation.clone(),
            deadline: Some((d.due_at, status)),
        })
        .collect();
    if case.after.closed.is_some() || case.kind != CaseKind::Child {
        return steps;
    }
    match (&case.rapid_review, case.stage) {
        (None, _) => steps.extend(NextStep::undated("InitiateRapidReview", None)),
        (Some(_), Stage::Reconsideration) => reconsideration_steps(case, partnership, &mut steps),
        (Some(review), _) => {
            if case.decision.is_none() {
                for partner in PARTNERS {
                    if !case.votes.contains_key(&partner) {
                        let org = partnership.partner_org(partner).map(|o| o.slug.clone());
                        // A split's missing vote already shows, with its deadline.
                        let due = steps
                            .iter()
                            .any(|s| s.command == "RecordPartnerDecision" && s.organisation == org);
                        if !due {
                            steps.extend(NextStep::undated("RecordPartnerDecision", org));
                        }
                    }
                }
            }
            if review.submitted_at.is_some() && case.after.panel_response.is_none() {
                steps.extend(NextStep::undated("RecordPanelResponse", None));
            }
        }
    }
    if case.after.reconsideration.is_some() && case.after.reconsideration_sent_at.is_none() {
        steps.extend(NextStep::undated("SendReconsiderationToPanel", None));
    }
    // A decision to hold an LCSPR starts its clock at once: commissioning it is the next step,
    // whether or not the Panel has responded (unless it disagreed and the partners reconsider).
    let decided = case.decision.as_ref().map(|d| d.decision);
    if case.stage != Stage::Reconsideration
        && case.after.practice_review.is_none()
        && case.after.effective_decision(decided) == Some(ReviewDecision::Lcspr)
    {
        steps.extend(NextStep::undated("CommissionPracticeReview", None));
    }
    steps
}

/// After the Panel disagreed: the Independent Advisor's advice, then each partner's view.
fn reconsideration_steps(case: &Case, partnership: &Partnership, steps: &mut Vec<NextStep>) {
    if case
        .after
        .advice
        .get(&AdviceSubject::Reconsideration)
        .is_none()
    {
        steps.extend(NextStep::undated("RecordIndependentAdvice", None));
        return;
    }
    for partner in PARTNERS {
        if !case.after.reconsidered_views.contains_key(&partner) {
            let org = partnership.partner_org(partner).map(|o| o.slug.clone());
            steps.extend(NextStep::undated("RecordReconsideredDecision", org));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name passed to `NextStep::undated` above: the steps without a deadline.
    const STEPS_WITHOUT_DEADLINE: [&str; 7] = [
        "InitiateRapidReview",
        "RecordPartnerDecision",
        "RecordPanelResponse",
        "SendReconsiderationToPanel",
        "CommissionPracticeReview",
        "RecordIndependentAdvice",
        "RecordReconsideredDecision",
    ];

    #[test]
    fn every_step_without_a_deadline_is_a_declared_command_with_a_role() {
        for command in STEPS_WITHOUT_DEADLINE {
            let step = NextStep::undated(command, None);
            assert!(step.is_some(), "{command} is not declared in the policy");
        }
    }

    #[test]
    fn a_step_names_the_first_declared_role() {
        let step = NextStep::undated("SendReconsiderationToPanel", None).expect("declared");
        assert_eq!(step.role, Role::BusinessManager);
        let step = NextStep::undated("RecordIndependentAdvice", None).expect("declared");
        assert_eq!(step.role, Role::IndependentAdvisor);
        assert_eq!(NextStep::undated("NoSuchCommand", None), None);
    }
}
