//! Safeguarding adult reviews (Care Act 2014 s44; docs/rules.md, the adult process): an
//! agency's referral, the Board's decision (mandatory when s44 is met, now and then
//! discretionary, otherwise none), the review commissioned from an independent reviewer,
//! agency reports, the family invited, the odd pause, completion with findings against the
//! safeguarding principles, recommendations with action plans, publication and closure. Each
//! drawn from a random source of its own, seeded by the case's id.

use crate::life_cycle::{ORGANISATIONS, Rng, act, closed, org, sealed};
use casetrail_domain::case::adult_review::{
    SafeguardingPrinciple, SarCommissioned, SarCompleted, SarDecision, SarDecisionRecorded,
    SarPaused, SarReferred,
};
use casetrail_domain::case::practice_review::{ClosureReason, ReviewPublished};
use casetrail_domain::case::rapid_review::{AgencyReportSubmitted, Occurred};
use casetrail_domain::case::{AbuseOrNeglect, AdultAgeBand, CaseEvent, PersonProfile};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Duration, Utc};

const AGE_BANDS: [AdultAgeBand; 7] = [
    AdultAgeBand::From18To24,
    AdultAgeBand::From25To34,
    AdultAgeBand::From45To54,
    AdultAgeBand::From55To64,
    AdultAgeBand::From65To74,
    AdultAgeBand::From75To84,
    AdultAgeBand::From85,
];

const PRINCIPLES: [SafeguardingPrinciple; 6] = [
    SafeguardingPrinciple::Empowerment,
    SafeguardingPrinciple::Prevention,
    SafeguardingPrinciple::Proportionality,
    SafeguardingPrinciple::Protection,
    SafeguardingPrinciple::Partnership,
    SafeguardingPrinciple::Accountability,
];

/// An adult case's life: referred at `opened_at`, decided, reviewed, published and closed
/// (or closed with no review).
pub fn adult_life_cycle(case_id: CaseId, opened_at: DateTime<Utc>) -> Vec<CaseEvent> {
    let mut rng = Rng::for_id(case_id.as_uuid().as_u128(), 0x5A25);
    let rng = &mut rng;
    let days =
        |rng: &mut Rng, from: i64, spread: u64| Duration::days(from + rng.below(spread) as i64);
    let referral = referral(rng, case_id, opened_at);
    let decision = if referral.s44().mandatory() {
        SarDecision::Mandatory
    } else if rng.chance(30) {
        SarDecision::Discretionary
    } else {
        SarDecision::NotRequired
    };
    let decided_at = opened_at + days(rng, 14, 28);
    let mut events = vec![
        CaseEvent::SarReferred(referral),
        CaseEvent::SarDecisionRecorded(SarDecisionRecorded {
            decision,
            rationale: sealed(rng, 400),
            occurred_at: decided_at,
        }),
    ];
    if !decision.holds_review() {
        events.push(closed(
            ClosureReason::NoReview,
            decided_at + days(rng, 1, 7),
        ));
        return events;
    }
    let commissioned_at = decided_at + days(rng, 7, 28);
    events.push(CaseEvent::SarCommissioned(SarCommissioned {
        reviewer: format!("Independent reviewer {}", rng.below(50)),
        reviewer_organisation: None,
        terms_of_reference: sealed(rng, 600),
        occurred_at: commissioned_at,
    }));
    let mut agencies: Vec<OrgSlug> = Vec::new();
    let mut last_report = commissioned_at;
    for _ in 0..2 + rng.below(3) {
        let (slug, _) = ORGANISATIONS[rng.below(8) as usize];
        if agencies.contains(&org(slug)) {
            continue;
        }
        agencies.push(org(slug));
        let requested_at = commissioned_at + Duration::hours(1 + rng.below(48) as i64);
        events.push(CaseEvent::AgencyReportRequested(act(slug, requested_at)));
        if rng.chance(90) {
            let at = requested_at + days(rng, 7, 28);
            last_report = last_report.max(at);
            events.push(CaseEvent::AgencyReportSubmitted(AgencyReportSubmitted {
                organisation: org(slug),
                report: sealed(rng, 1200),
                occurred_at: at,
            }));
        }
    }
    if rng.chance(80) {
        events.push(CaseEvent::SarFamilyInvited(Occurred {
            occurred_at: commissioned_at + days(rng, 1, 14),
        }));
    }
    let mut resumed_at = commissioned_at;
    // One review in five waits on a criminal investigation or an inquest.
    if rng.chance(20) {
        let paused_at = commissioned_at + days(rng, 30, 30);
        resumed_at = paused_at + days(rng, 30, 60);
        events.push(CaseEvent::SarPaused(SarPaused {
            reason: sealed(rng, 200),
            occurred_at: paused_at,
        }));
        events.push(CaseEvent::SarResumed(Occurred {
            occurred_at: resumed_at,
        }));
    }
    let completed_at = (commissioned_at + days(rng, 120, 150))
        .max(resumed_at + days(rng, 14, 14))
        .max(last_report + Duration::days(7));
    let mut principles: Vec<SafeguardingPrinciple> = (0..1 + rng.below(3))
        .map(|_| PRINCIPLES[rng.below(PRINCIPLES.len() as u64) as usize])
        .collect();
    principles.sort_unstable();
    principles.dedup();
    events.push(CaseEvent::SarCompleted(SarCompleted {
        principles_with_findings: principles,
        findings: sealed(rng, 900),
        occurred_at: completed_at,
    }));
    let (recommendations, _) = crate::recommendations::made(
        rng,
        completed_at,
        4,
        &agencies,
        "Agencies hold a multi-agency meeting when an adult declines support and the risk stays high.",
    );
    events.extend(recommendations);
    let published = rng.chance(85);
    if published {
        events.push(CaseEvent::ReviewPublished(ReviewPublished {
            url: Some("https://example.org/reviews/sar".into()),
            occurred_at: completed_at + days(rng, 30, 60),
        }));
    }
    crate::recommendations::with_plans(events, published.then_some(ClosureReason::ReviewPublished))
}

/// The referral: the adult died, or is alive and was harmed, some weeks before it; most meet
/// s44 (needs for care and support, the abuse or neglect, concern about how agencies worked
/// together).
fn referral(rng: &mut Rng, case_id: CaseId, opened_at: DateTime<Utc>) -> SarReferred {
    let died = rng.chance(55);
    let harmed_on = (opened_at - Duration::days(5 + rng.below(60) as i64)).date_naive();
    SarReferred {
        case_id,
        referred_by: org(ORGANISATIONS[rng.below(8) as usize].0),
        adult: PersonProfile {
            reference: format!("ASC-{}", case_id.as_uuid().simple()),
            age_band: AGE_BANDS[rng.below(AGE_BANDS.len() as u64) as usize],
            sex: if rng.chance(50) { "female" } else { "male" }.into(),
            ethnicity: "White British".into(),
        },
        personal_data: sealed(rng, 480),
        care_and_support_needs: rng.chance(90),
        adult_died: died,
        date_of_death: died.then_some(harmed_on),
        abuse_or_neglect: if rng.chance(60) {
            AbuseOrNeglect::Known
        } else {
            AbuseOrNeglect::Suspected
        },
        death_resulted_from_abuse_or_neglect: died.then(|| rng.chance(80)),
        serious_abuse_or_neglect: (!died).then(|| rng.chance(80)),
        abuse_or_neglect_date: (!died).then_some(harmed_on),
        joint_working_concern: rng.chance(85),
        occurred_at: opened_at,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::case::{Case, CaseKind};
    use std::collections::HashMap;

    /// The seeded adult reviews keep the Care Act process's order (docs/rules.md, the adult
    /// process): a decision on the referral, mandatory only when s44 is met; a review only
    /// after a decision to hold one; reports after their requests; no completion while paused
    /// or before the last resumption; publication after completion; closure last and fitting
    /// the decision; and each outcome occurs.
    #[test]
    fn seeded_adult_reviews_follow_the_process() {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for n in 0..300u128 {
            let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(n << 64 | 7));
            let opened_at = "2022-05-03T10:00:00Z".parse().unwrap();
            let events = adult_life_cycle(case_id, opened_at);
            let times: Vec<_> = events.iter().map(CaseEvent::occurred_at).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
            let case = Case::replay(&events).unwrap();
            assert_eq!(case.kind, CaseKind::Adult);
            let referral = case.adult_referral().unwrap();
            let sar = case.sar.as_deref().unwrap();
            let decision = sar.decision.as_ref().unwrap();
            assert!(decision.occurred_at > referral.occurred_at);
            assert_eq!(
                decision.decision == SarDecision::Mandatory,
                referral.s44().mandatory()
            );
            let closed = case.after.closed.as_ref();
            if !decision.decision.holds_review() {
                *seen.entry("not required").or_default() += 1;
                assert_eq!(closed.unwrap().reason, ClosureReason::NoReview);
                assert!(sar.commissioned.is_none() && events.len() == 3);
                continue;
            }
            *seen
                .entry(if decision.decision == SarDecision::Mandatory {
                    "mandatory"
                } else {
                    "discretionary"
                })
                .or_default() += 1;
            let commissioned = sar.commissioned.as_ref().unwrap().occurred_at;
            assert!(commissioned > decision.occurred_at);
            for report in sar.agency_reports.values() {
                assert!(report.requested_at >= commissioned);
                assert!(
                    report
                        .submitted_at
                        .is_none_or(|at| at > report.requested_at)
                );
            }
            assert!(sar.family_invited_at.is_none_or(|at| at > commissioned));
            let completed = sar.completed.as_ref().unwrap();
            for pause in &sar.pauses {
                *seen.entry("paused").or_default() += 1;
                let resumed = pause.resumed_at.unwrap();
                assert!(decision.occurred_at < pause.paused_at && pause.paused_at < resumed);
                assert!(resumed < completed.occurred_at);
            }
            assert!(completed.occurred_at > commissioned);
            assert!(!completed.principles_with_findings.is_empty());
            for recommendation in case.after.recommendations.values() {
                assert!(recommendation.added.occurred_at > commissioned);
            }
            match (&sar.published, closed) {
                (Some(published), Some(closed)) => {
                    *seen.entry("published").or_default() += 1;
                    assert!(published.occurred_at > completed.occurred_at);
                    assert_eq!(closed.reason, ClosureReason::ReviewPublished);
                    assert!(closed.occurred_at > *times.iter().rev().nth(1).unwrap());
                }
                (None, None) => *seen.entry("unpublished").or_default() += 1,
                other => panic!("{other:?}"),
            }
        }
        for outcome in [
            "not required",
            "mandatory",
            "discretionary",
            "paused",
            "published",
            "unpublished",
        ] {
            assert!(seen.get(outcome).is_some_and(|n| *n > 3), "{seen:?}");
        }
    }
}
