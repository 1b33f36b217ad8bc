//! A review's or an audit's recommendations and their completion, as the seed writes them for
//! adult reviews, domestic homicide reviews and audits.

use crate::life_cycle::Rng;
use casetrail_domain::OrgSlug;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::case::practice_review::{
    ClosureReason, RecommendationAdded, RecommendationCompleted,
};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// One to `most` recommendations made from `from` on, a few days apart, each for one of
/// `owners` and due three to six months on; seven in ten completed two to six months after
/// they were made. Also whether every one was completed.
pub(crate) fn made(
    rng: &mut Rng,
    from: DateTime<Utc>,
    most: u64,
    owners: &[OrgSlug],
    text: &str,
) -> (Vec<CaseEvent>, bool) {
    let mut at = from;
    let mut events = Vec::new();
    let mut completions = Vec::new();
    let count = 1 + rng.below(most);
    for _ in 0..count {
        at += Duration::days(1 + rng.below(7) as i64);
        let id = Uuid::from_u128(u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()));
        events.push(CaseEvent::RecommendationAdded(RecommendationAdded {
            recommendation_id: id,
            text: text.to_owned(),
            owners: vec![owners[rng.below(owners.len() as u64) as usize].clone()],
            due_on: (at + Duration::days(90 + rng.below(90) as i64)).date_naive(),
            occurred_at: at,
        }));
        if rng.chance(70) {
            completions.push(CaseEvent::RecommendationCompleted(
                RecommendationCompleted {
                    recommendation_id: id,
                    occurred_at: at + Duration::days(60 + rng.below(120) as i64),
                },
            ));
        }
    }
    let all_done = completions.len() as u64 == count;
    events.extend(completions);
    (events, all_done)
}

/// Puts a review's or an audit's facts in time order, adds its recommendations' action plans
/// among them, and, when `closure` is given, closes the case for it a day after its last fact.
pub(crate) fn with_plans(
    mut events: Vec<CaseEvent>,
    closure: Option<ClosureReason>,
) -> Vec<CaseEvent> {
    events.sort_by_key(CaseEvent::occurred_at);
    crate::action_plans::add_to(&mut events);
    let last = events.iter().map(CaseEvent::occurred_at).max();
    if let (Some(reason), Some(last)) = (closure, last) {
        events.push(crate::life_cycle::closed(reason, last + Duration::days(1)));
    }
    events
}
