//! Action plans for a case's recommendations (docs/rules.md AP-1 to AP-4): actions for the
//! partnership's agencies, updates with RAG statuses and evidence, completions on time, late or
//! not yet, the group's sign-off once a recommendation is done, and reviews of impact. Each
//! plan draws from a random source of its own, seeded by its recommendation's id, so that the
//! case's other facts are those the seed gave before plans existed.

use crate::life_cycle::Rng;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::case::practice_review::RecommendationAdded;
use casetrail_domain::case::shared::action_plan::{
    ActionAdded, ActionCompleted, ActionPlanSignedOff, ActionProgressRecorded, Evidence,
    ImpactReviewed, PracticeChange, Rag,
};
use casetrail_domain::learning::MeetingGroup;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

const ACTIONS: [&str; 6] = [
    "Revise the escalation policy and brief every team on it.",
    "Add the review's learning to the safeguarding induction.",
    "Audit a sample of cases for the new practice after three months.",
    "Share chronologies within five working days of a strategy discussion.",
    "Name a lead for the transition to adult services in each plan.",
    "Run a seven-minute briefing for practitioners.",
];

/// Adds plans for the case's recommendations to its events, each fact placed in time order
/// among the others.
pub(crate) fn add_to(events: &mut Vec<CaseEvent>) {
    let mut plans: Vec<CaseEvent> = events
        .iter()
        .filter_map(|event| match event {
            CaseEvent::RecommendationAdded(added) => Some(added),
            _ => None,
        })
        .flat_map(|added| plan(added, completed_at(events, added.recommendation_id)))
        .collect();
    plans.sort_by_key(CaseEvent::occurred_at);
    merge(events, plans);
}

/// A stable merge of facts in time order into the case's: the case's facts keep their order,
/// each new fact goes after those that happened before or with it.
pub(crate) fn merge(events: &mut Vec<CaseEvent>, facts: Vec<CaseEvent>) {
    let mut merged = Vec::with_capacity(events.len() + facts.len());
    let mut facts = facts.into_iter().peekable();
    for event in events.drain(..) {
        while let Some(fact) = facts.next_if(|f| f.occurred_at() < event.occurred_at()) {
            merged.push(fact);
        }
        merged.push(event);
    }
    merged.extend(facts);
    *events = merged;
}

fn completed_at(events: &[CaseEvent], id: Uuid) -> Option<DateTime<Utc>> {
    events.iter().find_map(|event| match event {
        CaseEvent::RecommendationCompleted(done) if done.recommendation_id == id => {
            Some(done.occurred_at)
        }
        _ => None,
    })
}

fn id(rng: &mut Rng) -> Uuid {
    Uuid::from_u128(u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()))
}

/// A recommendation's plan: one to three actions, all done before a completed recommendation
/// was, and once it was, usually the group's sign-off and often a review of impact.
fn plan(added: &RecommendationAdded, completed_at: Option<DateTime<Utc>>) -> Vec<CaseEvent> {
    let mut rng = Rng::new(added.recommendation_id.as_u128() as u64);
    let rng = &mut rng;
    let made = added.occurred_at;
    let mut events = Vec::new();
    let mut last_done = made;
    for _ in 0..1 + rng.below(3) {
        let action_id = id(rng);
        let recommendation_id = added.recommendation_id;
        // Drawn up within a fortnight, before the recommendation was completed.
        let mut added_at = made + Duration::hours(1 + rng.below(14 * 24) as i64);
        if let Some(done) = completed_at {
            added_at = added_at.min(made + (done - made) / 3);
        }
        let due_on = (added_at + Duration::days(30 + rng.below(120) as i64)).date_naive();
        let due = added_at + Duration::days((due_on - added_at.date_naive()).num_days());
        events.push(CaseEvent::ActionAdded(ActionAdded {
            recommendation_id,
            action_id,
            text: ACTIONS[rng.below(ACTIONS.len() as u64) as usize].into(),
            owners: added.owners.clone(),
            due_on,
            occurred_at: added_at,
        }));
        let done_at = match completed_at {
            // Every action of a completed recommendation was done before it.
            Some(done) => Some(added_at + (done - added_at) * (50 + rng.below(45) as i32) / 100),
            None if rng.chance(60) => Some(added_at + Duration::days(10 + rng.below(110) as i64)),
            None => None,
        };
        if rng.chance(70) {
            let until = done_at.unwrap_or(due);
            let at = added_at + (until - added_at) / 2;
            events.push(CaseEvent::ActionProgressRecorded(ActionProgressRecorded {
                recommendation_id,
                action_id,
                rag: [Rag::Green, Rag::Green, Rag::Amber, Rag::Red][rng.below(4) as usize],
                note: "Work under way; the lead reports to the next group meeting.".into(),
                evidence: vec![Evidence {
                    description: "Minutes of the lead's team meeting".into(),
                    link: None,
                    document: Some(format!("SG/{}", rng.below(10_000))),
                }],
                occurred_at: at,
            }));
        }
        if let Some(at) = done_at {
            last_done = last_done.max(at);
            events.push(CaseEvent::ActionCompleted(ActionCompleted {
                recommendation_id,
                action_id,
                occurred_at: at,
            }));
        }
    }
    let Some(done) = completed_at else {
        return events;
    };
    if rng.chance(75) {
        let signed_at = done.max(last_done) + Duration::days(7 + rng.below(21) as i64);
        events.push(CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
            recommendation_id: added.recommendation_id,
            group: MeetingGroup::PracticeReview,
            occurred_at: signed_at,
        }));
        if rng.chance(60) {
            events.push(CaseEvent::ImpactReviewed(ImpactReviewed {
                recommendation_id: added.recommendation_id,
                practice_changed: [
                    PracticeChange::Changed,
                    PracticeChange::Changed,
                    PracticeChange::PartlyChanged,
                    PracticeChange::NotChanged,
                ][rng.below(4) as usize],
                summary: "Multi-agency case sampling by the audit group.".into(),
                occurred_at: signed_at + Duration::days(30 + rng.below(90) as i64),
            }));
        }
    }
    events
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Workload;
    use crate::life_cycle::StreamEvent;
    use casetrail_domain::case::practice_review::ClosureReason;
    use casetrail_domain::case::{Case, CaseKind};
    use std::collections::HashMap;

    /// The seeded plans keep the rules the deciders would have held them to (docs/rules.md
    /// AP-1 to AP-4): an action after its recommendation, done before a completed
    /// recommendation was, sign-off only of a plan all done and not before its last action,
    /// a review of impact only after the sign-off; learning shared between the rapid review's
    /// submission and the closure (LR-1); audits' recommendations after their findings (AU-3);
    /// and seeded cases have plenty of each.
    #[test]
    fn seeded_plans_and_learning_follow_the_rules() {
        let workload = Workload {
            partnerships: 2,
            cases: 400,
            open_cases: 40,
            seed: 7,
        };
        let mut streams: HashMap<_, Vec<CaseEvent>> = HashMap::new();
        for (event, _) in workload.events() {
            if let StreamEvent::Case(_, case_id, event) = event {
                streams.entry(case_id).or_default().push(event);
            }
        }
        let (mut actions, mut signed_off, mut reviewed, mut late) = (0, 0, 0, 0);
        let mut shared = 0;
        let mut audits = 0;
        for events in streams.values() {
            let times: Vec<_> = events.iter().map(CaseEvent::occurred_at).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
            let case = Case::replay(events).unwrap();
            // An audit's recommendations follow its findings; it closes once they are done.
            if case.kind == CaseKind::Audit {
                audits += 1;
                let found = case.audit.as_ref().and_then(|a| a.findings.as_ref());
                let found_at = found.map(|f| f.occurred_at);
                for recommendation in case.after.recommendations.values() {
                    assert!(found_at.is_some_and(|at| at <= recommendation.added.occurred_at));
                }
                if let Some(closed) = &case.after.closed {
                    assert_eq!(closed.reason, ClosureReason::AuditCompleted);
                    assert!(
                        case.after
                            .recommendations
                            .values()
                            .all(|r| r.completed_at.is_some())
                    );
                }
            }
            // Learning is shared after the rapid review went to the Panel, before closure.
            for dissemination in &case.after.learning_shared {
                shared += 1;
                let submitted = case.rapid_review.as_ref().and_then(|r| r.submitted_at);
                assert!(submitted.is_some_and(|at| at <= dissemination.occurred_at));
                let closed = case.after.closed.as_ref().map(|c| c.occurred_at);
                assert!(closed.is_none_or(|at| dissemination.occurred_at < at));
            }
            for recommendation in case.after.recommendations.values() {
                let plan = &recommendation.plan;
                for action in plan.actions.values() {
                    actions += 1;
                    assert!(action.added.occurred_at >= recommendation.added.occurred_at);
                    if let Some(done) = recommendation.completed_at {
                        assert!(action.completed_at.is_some_and(|at| at <= done));
                    }
                    let due = action.added.due_on;
                    late += usize::from(
                        action
                            .completed_at
                            .is_some_and(|at| casetrail_domain::calendar::local_date(at) > due),
                    );
                    if let Some(update) = action.progress.first() {
                        assert!(update.occurred_at >= action.added.occurred_at);
                        assert!(
                            action
                                .completed_at
                                .is_none_or(|at| update.occurred_at <= at)
                        );
                    }
                }
                if let Some(sign_off) = &plan.signed_off {
                    signed_off += 1;
                    assert!(plan.all_done());
                    let last = plan.actions.values().filter_map(|a| a.completed_at).max();
                    assert!(last.is_some_and(|last| last <= sign_off.occurred_at));
                    for review in &plan.impact_reviews {
                        reviewed += 1;
                        assert!(review.occurred_at >= sign_off.occurred_at);
                    }
                } else {
                    assert!(plan.impact_reviews.is_empty());
                }
            }
        }
        assert!(
            actions > 50 && signed_off > 5 && reviewed > 2 && late > 0 && shared > 20 && audits > 3,
            "{actions} {signed_off} {reviewed} {late} {shared} {audits}"
        );
    }
}
