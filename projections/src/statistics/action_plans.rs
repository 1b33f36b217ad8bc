//! The year's figures of the recommendations' action plans (docs/rules.md AP-1 to AP-4): the
//! actions added and done, the timeliness of those due in the year, the plans signed off and
//! what the reviews of impact found.

use super::{Counting, percent};
use casetrail_domain::case::Case;
use casetrail_domain::case::shared::action_plan::PracticeChange;
use casetrail_domain::deadline::{Deadline, DeadlineKind, DeadlineStatus};

/// Action plans' figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionPlanFigures {
    /// Actions added in the year.
    pub actions_added: u32,
    /// Actions done in the year.
    pub actions_completed: u32,
    /// Actions falling due in the year.
    pub actions_due: u32,
    /// Of those due, done by the due day.
    pub actions_on_time: u32,
    /// Of those due, done after the due day.
    pub actions_completed_late: u32,
    /// Of those due, past due and not done.
    pub actions_overdue: u32,
    /// `actions_on_time` over on time, done late and overdue.
    pub actions_on_time_percent: Option<f64>,
    /// Plans signed off in the year.
    pub plans_signed_off: u32,
    /// Reviews of impact in the year that found practice changed.
    pub practice_changed: u32,
    /// ... partly changed.
    pub practice_partly_changed: u32,
    /// ... not changed.
    pub practice_not_changed: u32,
}

/// Adds a case's action plans to the year's figures.
pub(super) fn count(
    c: &Counting<'_>,
    case: &Case,
    deadlines: &[Deadline],
    figures: &mut ActionPlanFigures,
) {
    for recommendation in case.after.recommendations.values() {
        let plan = &recommendation.plan;
        for action in plan.actions.values() {
            figures.actions_added += u32::from(c.in_year(action.added.occurred_at));
            figures.actions_completed +=
                u32::from(action.completed_at.is_some_and(|at| c.in_year(at)));
            if action.added.occurred_at > c.as_of || !c.year.contains(action.added.due_on) {
                continue;
            }
            figures.actions_due += 1;
            let deadline = deadlines.iter().find(|d| {
                d.kind == DeadlineKind::Action && d.reference == Some(action.added.action_id)
            });
            match c.status(deadline) {
                Some(DeadlineStatus::Met) => figures.actions_on_time += 1,
                Some(DeadlineStatus::MetLate) => figures.actions_completed_late += 1,
                Some(DeadlineStatus::Breached) => figures.actions_overdue += 1,
                _ => {}
            }
        }
        figures.plans_signed_off += u32::from(
            plan.signed_off
                .as_ref()
                .is_some_and(|s| c.in_year(s.occurred_at)),
        );
        for review in plan
            .impact_reviews
            .iter()
            .filter(|r| c.in_year(r.occurred_at))
        {
            match review.practice_changed {
                PracticeChange::Changed => figures.practice_changed += 1,
                PracticeChange::PartlyChanged => figures.practice_partly_changed += 1,
                PracticeChange::NotChanged => figures.practice_not_changed += 1,
            }
        }
    }
}

/// The percentage, once every case is counted.
pub(super) fn finish(figures: &mut ActionPlanFigures) {
    figures.actions_on_time_percent = percent(
        figures.actions_on_time,
        figures.actions_on_time + figures.actions_completed_late + figures.actions_overdue,
    );
}
