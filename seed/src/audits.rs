//! Multi-agency audits (docs/rules.md AU-1 to AU-3): commissioned by the business unit on a
//! topic across a few agencies, their findings some months later, recommendations with action
//! plans, and closure. Each drawn from a random source of its own, seeded by the audit's id.

use crate::life_cycle::{ORGANISATIONS, Rng, org};
use casetrail_domain::case::CaseEvent;
use casetrail_domain::case::audit::{AuditCommissioned, AuditFindingsRecorded};
use casetrail_domain::case::practice_review::ClosureReason;
use casetrail_domain::learning::MeetingGroup;
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Duration, Utc};

const TOPICS: [&str; 5] = [
    "Neglect of children under five",
    "Child exploitation: missing episodes",
    "Transition to adult services",
    "Domestic abuse referrals from schools",
    "Information sharing at strategy discussions",
];

/// An audit's life: commissioned at `opened_at`, reported, its recommendations and their
/// plans, closed once its recommendations are done (or left open).
pub fn audit_life_cycle(case_id: CaseId, opened_at: DateTime<Utc>) -> Vec<CaseEvent> {
    let mut rng = Rng::new(case_id.as_uuid().as_u128() as u64 ^ 0xA0D1);
    let rng = &mut rng;
    let mut agencies: Vec<OrgSlug> = Vec::new();
    for _ in 0..2 + rng.below(3) {
        let agency = org(ORGANISATIONS[rng.below(8) as usize].0);
        if !agencies.contains(&agency) {
            agencies.push(agency);
        }
    }
    let sample_size = 6 + rng.below(25) as u32;
    let mut events = vec![CaseEvent::AuditCommissioned(AuditCommissioned {
        case_id,
        commissioned_by: org("council"),
        reference: format!("MAA-{}", rng.below(10_000)),
        topic: TOPICS[rng.below(TOPICS.len() as u64) as usize].into(),
        group: MeetingGroup::AuditQualityPerformanceChildren,
        agencies: agencies.clone(),
        sample_size,
        occurred_at: opened_at,
    })];
    let found_at = opened_at + Duration::days(60 + rng.below(60) as i64);
    events.push(CaseEvent::AuditFindingsRecorded(AuditFindingsRecorded {
        cases_audited: sample_size - rng.below(u64::from(sample_size) / 3) as u32,
        findings: "Most cases showed the agreed practice; escalation was seldom used.".into(),
        occurred_at: found_at,
    }));
    let (recommendations, all_done) = crate::recommendations::made(
        rng,
        found_at,
        3,
        &agencies,
        "Agencies use the escalation policy when concerns persist.",
    );
    events.extend(recommendations);
    crate::recommendations::with_plans(events, all_done.then_some(ClosureReason::AuditCompleted))
}
