//! The reviews' learning shared with the partnership (docs/rules.md LR-1): for most child
//! cases whose rapid review went to the Panel, a briefing or two before the case closed. Drawn
//! from a random source of the case's own, as the action plans are.

use crate::life_cycle::{ORGANISATIONS, Rng, org};
use casetrail_domain::case::CaseEvent;
use casetrail_domain::case::shared::learning::{DisseminationMethod, LearningDisseminated};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Utc};

const METHODS: [DisseminationMethod; 5] = [
    DisseminationMethod::SevenMinuteBriefing,
    DisseminationMethod::PractitionerBriefing,
    DisseminationMethod::LearningEvent,
    DisseminationMethod::Training,
    DisseminationMethod::Newsletter,
];

/// Adds the case's disseminations, each placed in time order among its facts.
pub(crate) fn add_to(events: &mut Vec<CaseEvent>, case_id: CaseId) {
    let Some(submitted) = events.iter().find_map(|event| match event {
        CaseEvent::RapidReviewSubmittedToPanel(s) => Some(s.occurred_at),
        _ => None,
    }) else {
        return;
    };
    // Shared while the case is open: a closed case takes no more.
    let until = events
        .iter()
        .find_map(|event| match event {
            CaseEvent::CaseClosed(closed) => Some(closed.occurred_at),
            _ => None,
        })
        .unwrap_or_else(|| events.last().map_or(submitted, CaseEvent::occurred_at));
    let mut rng = Rng::new(case_id.as_uuid().as_u128() as u64);
    let rng = &mut rng;
    if until <= submitted || !rng.chance(60) {
        return;
    }
    let mut shared: Vec<CaseEvent> = (0..1 + rng.below(2))
        .map(|_| {
            let at = between(rng, submitted, until);
            let mut organisations: Vec<OrgSlug> = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let org = org(ORGANISATIONS[rng.below(8) as usize].0);
                if !organisations.contains(&org) {
                    organisations.push(org);
                }
            }
            CaseEvent::LearningDisseminated(LearningDisseminated {
                method: METHODS[rng.below(METHODS.len() as u64) as usize],
                organisations,
                people_reached: rng.chance(80).then(|| 10 + rng.below(190) as u32),
                occurred_at: at,
            })
        })
        .collect();
    shared.sort_by_key(CaseEvent::occurred_at);
    crate::action_plans::merge(events, shared);
}

/// An instant strictly between `from` and `until`.
fn between(rng: &mut Rng, from: DateTime<Utc>, until: DateTime<Utc>) -> DateTime<Utc> {
    let span = (until - from).num_seconds().max(2) as u64;
    from + chrono::Duration::seconds(1 + rng.below(span - 1) as i64)
}
