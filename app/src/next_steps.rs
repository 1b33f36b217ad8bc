//! What must happen next on a case: every deadline still open (soonest first), then the steps
//! of the process that have no deadline of their own. A rule of the process, not of HTTP: the
//! API shows it and a partner system could act on it.

use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::rapid_review::PARTNERS;
use casetrail_domain::case::reconsideration::AdviceSubject;
use casetrail_domain::case::{Case, CaseKind, Stage};
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
    fn undated(command: &'static str, role: Role, organisation: Option<OrgSlug>) -> Self {
        Self {
            command,
            role,
            organisation,
            deadline: None,
        }
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
        (None, _) => steps.push(NextStep::undated(
            "InitiateRapidReview",
            Role::BusinessManager,
            None,
        )),
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
                            steps.push(NextStep::undated(
                                "RecordPartnerDecision",
                                Role::PartnerDecisionMaker,
                                org,
                            ));
                        }
                    }
                }
            }
            if review.submitted_at.is_some() && case.after.panel_response.is_none() {
                steps.push(NextStep::undated(
                    "RecordPanelResponse",
                    Role::BusinessManager,
                    None,
                ));
            }
        }
    }
    if case.after.reconsideration.is_some() && case.after.reconsideration_sent_at.is_none() {
        steps.push(NextStep::undated(
            "SendReconsiderationToPanel",
            Role::BusinessManager,
            None,
        ));
    }
    // A decision to hold an LCSPR starts its clock at once: commissioning it is the next step,
    // whether or not the Panel has responded (unless it disagreed and the partners reconsider).
    let decided = case.decision.as_ref().map(|d| d.decision);
    if case.stage != Stage::Reconsideration
        && case.after.practice_review.is_none()
        && case.after.effective_decision(decided) == Some(ReviewDecision::Lcspr)
    {
        steps.push(NextStep::undated(
            "CommissionPracticeReview",
            Role::BusinessManager,
            None,
        ));
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
        steps.push(NextStep::undated(
            "RecordIndependentAdvice",
            Role::IndependentAdvisor,
            None,
        ));
        return;
    }
    for partner in PARTNERS {
        if !case.after.reconsidered_views.contains_key(&partner) {
            let org = partnership.partner_org(partner).map(|o| o.slug.clone());
            steps.push(NextStep::undated(
                "RecordReconsideredDecision",
                Role::PartnerDecisionMaker,
                org,
            ));
        }
    }
}
