//! Domestic homicide reviews (Domestic Violence, Crime and Victims Act 2004 s9; docs/rules.md,
//! the domestic homicide process): the police's notification, the partnership's decision within
//! the month (now and then late), the Home Office told, the family invited and answering, the
//! review commissioned from an independent chair, its overview report, the Home Office quality
//! assurance panel (which asks for one in four again), publication once approved,
//! recommendations with action plans, and closure. Each drawn from a random source of its own,
//! seeded by the case's id.

use crate::life_cycle::{ORGANISATIONS, Rng, closed, org, sealed};
use casetrail_domain::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, DomesticHomicideNotified, FamilyInvolvement, QaOutcome, Relationship,
};
use casetrail_domain::case::practice_review::{ClosureReason, ReviewPublished};
use casetrail_domain::case::rapid_review::Occurred;
use casetrail_domain::case::{AbuseOrNeglect, AdultAgeBand, CaseEvent, PersonProfile};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Duration, Utc};

const RELATIONSHIPS: [Relationship; 4] = [
    Relationship::IntimatePartner,
    Relationship::FormerIntimatePartner,
    Relationship::Relative,
    Relationship::HouseholdMember,
];

const AGE_BANDS: [AdultAgeBand; 6] = [
    AdultAgeBand::From18To24,
    AdultAgeBand::From25To34,
    AdultAgeBand::From35To44,
    AdultAgeBand::From45To54,
    AdultAgeBand::From55To64,
    AdultAgeBand::From65To74,
];

/// A domestic homicide case's life: notified at `opened_at`, decided, reviewed, assured,
/// published and closed (or closed with no review).
pub fn homicide_life_cycle(case_id: CaseId, opened_at: DateTime<Utc>) -> Vec<CaseEvent> {
    let mut rng = Rng::for_id(case_id.as_uuid().as_u128(), 0xD4B1);
    let rng = &mut rng;
    let days =
        |rng: &mut Rng, from: i64, spread: u64| Duration::days(from + rng.below(spread) as i64);
    let died_on = (opened_at - days(rng, 1, 20)).date_naive();
    let mut events = vec![CaseEvent::DomesticHomicideNotified(
        DomesticHomicideNotified {
            case_id,
            notified_by: org("police"),
            victim: PersonProfile {
                reference: format!("CSP-{}", case_id.as_uuid().simple()),
                age_band: AGE_BANDS[rng.below(AGE_BANDS.len() as u64) as usize],
                sex: if rng.chance(75) { "female" } else { "male" }.into(),
                ethnicity: "White British".into(),
            },
            personal_data: sealed(rng, 480),
            date_of_death: died_on,
            relationship: Some(RELATIONSHIPS[rng.below(4) as usize]),
            violence_abuse_or_neglect: Some(if rng.chance(70) {
                AbuseOrNeglect::Known
            } else {
                AbuseOrNeglect::Suspected
            }),
            occurred_at: opened_at,
        },
    )];
    // Decided within the month, one in ten late.
    let decided_at = if rng.chance(90) {
        opened_at + days(rng, 7, 20)
    } else {
        opened_at + days(rng, 33, 20)
    };
    let conduct_review = rng.chance(75);
    events.push(CaseEvent::DhrDecisionRecorded(DhrDecisionRecorded {
        conduct_review,
        rationale: sealed(rng, 400),
        occurred_at: decided_at,
    }));
    events.push(CaseEvent::DhrDecisionNotifiedToHomeOffice(Occurred {
        occurred_at: decided_at + days(rng, 1, 10),
    }));
    if !conduct_review {
        events.push(closed(
            ClosureReason::NoReview,
            decided_at + days(rng, 12, 7),
        ));
        return events;
    }
    let invited_at = decided_at + days(rng, 3, 11);
    events.push(family(FamilyInvolvement::Invited, invited_at));
    if rng.chance(80) {
        let answer = if rng.chance(75) {
            FamilyInvolvement::Contributed
        } else {
            FamilyInvolvement::Declined
        };
        events.push(family(answer, invited_at + days(rng, 14, 46)));
    }
    let commissioned_at = decided_at + days(rng, 14, 28);
    events.push(CaseEvent::DhrCommissioned(DhrCommissioned {
        chair: format!("Independent chair {}", rng.below(30)),
        terms_of_reference: sealed(rng, 600),
        occurred_at: commissioned_at,
    }));
    let completed_at = commissioned_at + days(rng, 150, 150);
    events.push(CaseEvent::DhrCompleted(DhrCompleted {
        overview: sealed(rng, 900),
        occurred_at: completed_at,
    }));
    let mut submitted_at = completed_at + days(rng, 7, 23);
    events.push(CaseEvent::DhrSubmittedToHomeOffice(Occurred {
        occurred_at: submitted_at,
    }));
    let mut assured_at = submitted_at + days(rng, 30, 60);
    if rng.chance(25) {
        events.push(qa(QaOutcome::ResubmissionRequested, assured_at));
        submitted_at = assured_at + days(rng, 30, 30);
        events.push(CaseEvent::DhrSubmittedToHomeOffice(Occurred {
            occurred_at: submitted_at,
        }));
        assured_at = submitted_at + days(rng, 30, 60);
    }
    events.push(qa(QaOutcome::ApprovedForPublication, assured_at));
    let agencies: Vec<OrgSlug> = ORGANISATIONS[..3]
        .iter()
        .chain(&ORGANISATIONS[5..])
        .map(|(slug, _)| org(slug))
        .collect();
    let (recommendations, _) = crate::recommendations::made(
        rng,
        completed_at,
        4,
        &agencies,
        "Agencies ask about domestic abuse at every contact and record the answer.",
    );
    events.extend(recommendations);
    let published_at = assured_at + days(rng, 14, 46);
    events.push(CaseEvent::ReviewPublished(ReviewPublished {
        url: Some("https://example.org/reviews/dhr".into()),
        occurred_at: published_at,
    }));
    crate::recommendations::with_plans(events, Some(ClosureReason::ReviewPublished))
}

fn family(involvement: FamilyInvolvement, occurred_at: DateTime<Utc>) -> CaseEvent {
    CaseEvent::DhrFamilyInvolvementRecorded(DhrFamilyInvolvementRecorded {
        involvement,
        occurred_at,
    })
}

fn qa(outcome: QaOutcome, occurred_at: DateTime<Utc>) -> CaseEvent {
    CaseEvent::DhrQaOutcomeRecorded(DhrQaOutcomeRecorded {
        outcome,
        occurred_at,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::case::{Case, CaseKind};
    use std::collections::HashMap;

    /// The seeded domestic homicide reviews keep the statutory guidance's order (docs/rules.md,
    /// the domestic homicide process): the decision after the notification, the Home Office
    /// told after it; family steps, commissioning and completion after a decision to review;
    /// submission after completion, each quality assurance outcome after its submission, a
    /// resubmission only when asked for; publication only once approved; closure last and
    /// fitting the decision; and each outcome occurs.
    #[test]
    fn seeded_domestic_homicide_reviews_follow_the_process() {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for n in 0..300u128 {
            let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(n << 64 | 9));
            let opened_at = "2022-05-03T10:00:00Z".parse().unwrap();
            let events = homicide_life_cycle(case_id, opened_at);
            let times: Vec<_> = events.iter().map(CaseEvent::occurred_at).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
            let case = Case::replay(&events).unwrap();
            assert_eq!(case.kind, CaseKind::DomesticHomicide);
            let dhr = case.dhr.as_deref().unwrap();
            let decision = dhr.decision.as_ref().unwrap();
            assert!(decision.occurred_at > opened_at);
            let late = decision.occurred_at > opened_at + Duration::days(31);
            *seen
                .entry(if late { "late" } else { "on time" })
                .or_default() += 1;
            assert!(dhr.home_office_notified_at.unwrap() > decision.occurred_at);
            let closed = case.after.closed.as_ref().unwrap();
            assert!(closed.occurred_at > *times.iter().rev().nth(1).unwrap());
            if !decision.conduct_review {
                *seen.entry("no review").or_default() += 1;
                assert_eq!(closed.reason, ClosureReason::NoReview);
                assert!(dhr.commissioned.is_none() && dhr.family.is_empty());
                continue;
            }
            let invited = dhr.family_step(FamilyInvolvement::Invited).unwrap();
            assert!(invited > decision.occurred_at);
            for answer in [FamilyInvolvement::Contributed, FamilyInvolvement::Declined] {
                if let Some(at) = dhr.family_step(answer) {
                    *seen.entry("family answered").or_default() += 1;
                    assert!(at > invited);
                }
            }
            let commissioned = dhr.commissioned.as_ref().unwrap().occurred_at;
            assert!(commissioned > decision.occurred_at);
            let completed = dhr.completed_at.unwrap();
            assert!(completed > commissioned);
            // Submissions and outcomes alternate, the last outcome an approval.
            let mut submitted: Option<DateTime<Utc>> = None;
            let mut approved = None;
            for event in &events {
                match event {
                    CaseEvent::DhrSubmittedToHomeOffice(s) => {
                        assert!(submitted.is_none() && s.occurred_at > completed);
                        submitted = Some(s.occurred_at);
                    }
                    CaseEvent::DhrQaOutcomeRecorded(qa) => {
                        assert!(submitted.take().is_some_and(|at| at < qa.occurred_at));
                        if qa.outcome == QaOutcome::ResubmissionRequested {
                            *seen.entry("resubmitted").or_default() += 1;
                        } else {
                            approved = Some(qa.occurred_at);
                        }
                    }
                    _ => {}
                }
            }
            let published = dhr.published.as_ref().unwrap().occurred_at;
            assert!(approved.is_some_and(|at| at < published));
            assert!(dhr.family.iter().all(|step| step.occurred_at < published));
            for recommendation in case.after.recommendations.values() {
                assert!(recommendation.added.occurred_at > commissioned);
            }
            assert_eq!(closed.reason, ClosureReason::ReviewPublished);
        }
        for outcome in [
            "on time",
            "late",
            "no review",
            "family answered",
            "resubmitted",
        ] {
            assert!(seen.get(outcome).is_some_and(|n| *n > 3), "{seen:?}");
        }
    }
}
