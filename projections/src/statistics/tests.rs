//! Annual statistics from a seeded financial year (2022-23), checked figure by figure against
//! numbers worked out by hand from the events below, not by the code under test.
#![allow(clippy::unwrap_used)]

use super::*;
use casetrail_domain::calendar::CLOSE_OF_BUSINESS;
use casetrail_domain::case::adult_review::{
    SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused, SarReferred,
};
use casetrail_domain::case::decision::{DecisionReached, PartnerDecisionRecorded};
use casetrail_domain::case::homicide_review::{
    DhrCommissioned, DhrDecisionRecorded, DomesticHomicideNotified, Relationship,
};
use casetrail_domain::case::practice_review::{
    DecisionReconsidered, FamilyCommunicationRecorded, PanelResponseRecorded,
    PracticeReviewCommissioned, PublicationDelayApproved, RecommendationAdded,
    RecommendationCompleted, ReviewPublished,
};
use casetrail_domain::case::rapid_review::{
    AgencyReportSubmitted, Occurred, OrganisationAct, RapidReviewInitiated, RapidReviewMeetingHeld,
};
use casetrail_domain::case::{
    AbuseOrNeglect, AdultAgeBand, AgeBand, CaseEvent, CaseReferred, ChildProfile, IncidentNotified,
    LocationBasis, PanelNotificationRecorded, PersonProfile, SealedPersonalData,
};
use casetrail_domain::partnership::{
    ClockStart, OrgKind, Organisation, PartnershipEvent, PartnershipSettings, StatutoryPartner,
};
use casetrail_domain::{CaseId, PartnershipSlug};
use uuid::Uuid;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn org(slug: &str) -> OrgSlug {
    OrgSlug::parse(slug).unwrap()
}

fn sealed() -> SealedPersonalData {
    SealedPersonalData {
        key_id: Uuid::nil(),
        algorithm: "AES-256-GCM".into(),
        nonce: String::new(),
        ciphertext: String::new(),
    }
}

fn case_id(n: u128) -> CaseId {
    CaseId::from_uuid(Uuid::from_u128(n))
}

fn year(label: &str) -> FinancialYear {
    FinancialYear::parse(label).unwrap()
}

fn southend() -> Partnership {
    let mut events = vec![PartnershipEvent::PartnershipEstablished {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend Safeguarding Partnership".into(),
        settings: PartnershipSettings::default(),
    }];
    for (slug, kind) in [
        ("southend-council", OrgKind::LocalAuthority),
        ("essex-police", OrgKind::Police),
        ("southend-ccg", OrgKind::Health),
        ("suhft", OrgKind::HealthProvider),
        ("eput", OrgKind::HealthProvider),
    ] {
        events.push(PartnershipEvent::OrganisationRegistered(Organisation {
            slug: org(slug),
            name: slug.into(),
            kind,
        }));
    }
    events.iter().fold(None, Partnership::evolve).unwrap()
}

fn child(looked_after: bool) -> ChildProfile {
    ChildProfile {
        reference: "REF".into(),
        age_band: AgeBand::From1To5,
        sex: "female".into(),
        ethnicity: "White British".into(),
        looked_after,
        child_protection_plan: false,
    }
}

fn person() -> PersonProfile {
    PersonProfile {
        reference: "REF".into(),
        age_band: AdultAgeBand::From35To44,
        sex: "female".into(),
        ethnicity: "White British".into(),
    }
}

fn notified(case: u128, when: &str, aware: &str, harm: Harm, looked_after: bool) -> CaseEvent {
    CaseEvent::IncidentNotified(IncidentNotified {
        case_id: case_id(case),
        notified_by: org("southend-council"),
        child: child(looked_after),
        personal_data: sealed(),
        incident_date: day(aware),
        became_aware_on: day(aware),
        harm,
        abuse_or_neglect: AbuseOrNeglect::Known,
        location_basis: LocationBasis::InArea,
        occurred_at: at(when),
    })
}

fn panel_notified(when: &str) -> CaseEvent {
    CaseEvent::PanelNotificationRecorded(PanelNotificationRecorded {
        panel_reference: "CSPRP".into(),
        submitted_on: local_date(at(when)),
        occurred_at: at(when),
    })
}

fn initiated(when: &str) -> CaseEvent {
    CaseEvent::RapidReviewInitiated(RapidReviewInitiated {
        clock_start: ClockStart::PanelNotification,
        close_of_business: CLOSE_OF_BUSINESS,
        occurred_at: at(when),
    })
}

fn requested(slug: &str, when: &str) -> CaseEvent {
    CaseEvent::AgencyReportRequested(OrganisationAct {
        organisation: org(slug),
        occurred_at: at(when),
    })
}

fn report(slug: &str, when: &str) -> CaseEvent {
    CaseEvent::AgencyReportSubmitted(AgencyReportSubmitted {
        organisation: org(slug),
        report: sealed(),
        occurred_at: at(when),
    })
}

fn meeting(attendees: &[&str], when: &str) -> CaseEvent {
    CaseEvent::RapidReviewMeetingHeld(RapidReviewMeetingHeld {
        attendees: attendees.iter().map(|s| org(s)).collect(),
        service_manager_present: true,
        occurred_at: at(when),
    })
}

fn vote(
    partner: StatutoryPartner,
    decision: ReviewDecision,
    national: bool,
    when: &str,
) -> CaseEvent {
    CaseEvent::PartnerDecisionRecorded(PartnerDecisionRecorded {
        partner,
        decision,
        criteria: Vec::new(),
        national_review_suggested: national,
        rationale: sealed(),
        occurred_at: at(when),
    })
}

fn decided(decision: ReviewDecision, agreed_by: [StatutoryPartner; 2], when: &str) -> CaseEvent {
    CaseEvent::DecisionReached(DecisionReached {
        decision,
        agreed_by: agreed_by.to_vec(),
        occurred_at: at(when),
    })
}

fn occurred(when: &str) -> Occurred {
    Occurred {
        occurred_at: at(when),
    }
}

fn recommendation(n: u128, owner: &str, due_on: &str, when: &str) -> CaseEvent {
    CaseEvent::RecommendationAdded(RecommendationAdded {
        recommendation_id: Uuid::from_u128(n),
        text: "An action.".into(),
        owners: vec![org(owner)],
        due_on: day(due_on),
        occurred_at: at(when),
    })
}

fn completed(n: u128, when: &str) -> CaseEvent {
    CaseEvent::RecommendationCompleted(RecommendationCompleted {
        recommendation_id: Uuid::from_u128(n),
        occurred_at: at(when),
    })
}

use ReviewDecision::{Lcspr, NoLcspr};
use StatutoryPartner::{Health, LocalAuthority, Police};

/// Case A: a death, notified to the Panel on time, a rapid review on time throughout (day 0
/// Thursday 5 May 2022, day 6 Friday 13 May, day 8 Tuesday 17 May, day 15 Thursday 26 May), a
/// unanimous LCSPR decision, the Panel agreeing, the family told in person, the LCSPR
/// published within 6 months, four recommendations.
fn case_a() -> Vec<CaseEvent> {
    vec![
        notified(1, "2022-05-03T10:00:00Z", "2022-05-03", Harm::Death, true),
        panel_notified("2022-05-05T10:00:00Z"),
        initiated("2022-05-05T11:00:00Z"),
        requested("suhft", "2022-05-06T10:00:00Z"),
        requested("essex-police", "2022-05-06T10:00:00Z"),
        // Day 6 close of business is 17:00 BST = 16:00Z: both on time.
        report("suhft", "2022-05-13T15:00:00Z"),
        report("essex-police", "2022-05-12T10:00:00Z"),
        meeting(
            &["southend-council", "essex-police", "southend-ccg", "suhft"],
            "2022-05-17T10:00:00Z",
        ),
        vote(LocalAuthority, Lcspr, false, "2022-05-20T10:00:00Z"),
        vote(Police, Lcspr, false, "2022-05-20T11:00:00Z"),
        decided(Lcspr, [LocalAuthority, Police], "2022-05-20T11:00:00Z"),
        vote(Health, Lcspr, false, "2022-05-20T12:00:00Z"),
        CaseEvent::RapidReviewSubmittedToPanel(
            casetrail_domain::case::rapid_review::RapidReviewSubmitted {
                national_review_may_be_appropriate: Some(false),
                occurred_at: at("2022-05-25T10:00:00Z"),
            },
        ),
        CaseEvent::PanelResponseRecorded(PanelResponseRecorded {
            agrees: true,
            occurred_at: at("2022-06-10T10:00:00Z"),
        }),
        CaseEvent::FamilyCommunicationRecorded(FamilyCommunicationRecorded {
            in_person: true,
            occurred_at: at("2022-06-13T10:00:00Z"),
        }),
        CaseEvent::PracticeReviewCommissioned(PracticeReviewCommissioned {
            reviewer: "Dr A. Reviewer".into(),
            terms_of_reference: sealed(),
            occurred_at: at("2022-06-15T10:00:00Z"),
        }),
        CaseEvent::FinalReportSentToPanel(occurred("2022-10-20T10:00:00Z")),
        CaseEvent::ReviewPublished(ReviewPublished {
            url: None,
            occurred_at: at("2022-11-01T10:00:00Z"),
        }),
        recommendation(1, "suhft", "2023-01-31", "2022-11-01T11:00:00Z"),
        recommendation(2, "eput", "2023-02-28", "2022-11-01T11:00:00Z"),
        recommendation(3, "southend-council", "2023-03-31", "2022-11-01T11:00:00Z"),
        recommendation(4, "suhft", "2023-09-30", "2022-11-01T11:00:00Z"),
        completed(1, "2023-01-20T10:00:00Z"),
        completed(2, "2023-03-15T10:00:00Z"),
    ]
}

/// Case B: serious harm, the Panel notified late, a rapid review late (day 0 Monday 12
/// September 2022; Monday 19 September was a bank holiday, so day 6 is Wednesday 21 September,
/// day 8 Friday 23 September, day 15 Tuesday 4 October), the police report late, a majority
/// decision against an LCSPR with a national review suggested, the Panel disagreeing, a
/// reconsideration commissioning an LCSPR whose publication is then delayed, the family told
/// not in person.
fn case_b() -> Vec<CaseEvent> {
    vec![
        notified(
            2,
            "2022-09-01T10:00:00Z",
            "2022-09-01",
            Harm::SeriousHarm,
            false,
        ),
        // Due by the end of Thursday 8 September.
        panel_notified("2022-09-12T10:00:00Z"),
        initiated("2022-09-12T11:00:00Z"),
        requested("essex-police", "2022-09-13T10:00:00Z"),
        requested("suhft", "2022-09-13T10:00:00Z"),
        report("essex-police", "2022-09-22T10:00:00Z"),
        report("suhft", "2022-09-21T15:30:00Z"),
        meeting(
            &["southend-council", "essex-police", "southend-ccg", "eput"],
            "2022-09-23T10:00:00Z",
        ),
        vote(LocalAuthority, NoLcspr, true, "2022-09-28T10:00:00Z"),
        vote(Health, NoLcspr, false, "2022-09-28T11:00:00Z"),
        decided(NoLcspr, [LocalAuthority, Health], "2022-09-28T11:00:00Z"),
        vote(Police, Lcspr, false, "2022-09-28T12:00:00Z"),
        CaseEvent::RapidReviewSubmittedToPanel(
            casetrail_domain::case::rapid_review::RapidReviewSubmitted {
                national_review_may_be_appropriate: Some(false),
                occurred_at: at("2022-10-07T10:00:00Z"),
            },
        ),
        CaseEvent::PanelResponseRecorded(PanelResponseRecorded {
            agrees: false,
            occurred_at: at("2022-10-20T10:00:00Z"),
        }),
        CaseEvent::DecisionReconsidered(DecisionReconsidered {
            outcome: ReconsideredOutcome::Commission,
            justification: sealed(),
            occurred_at: at("2022-10-27T10:00:00Z"),
        }),
        CaseEvent::FamilyCommunicationRecorded(FamilyCommunicationRecorded {
            in_person: false,
            occurred_at: at("2022-11-02T10:00:00Z"),
        }),
        CaseEvent::PracticeReviewCommissioned(PracticeReviewCommissioned {
            reviewer: "Dr B. Reviewer".into(),
            terms_of_reference: sealed(),
            occurred_at: at("2022-11-10T10:00:00Z"),
        }),
        CaseEvent::PublicationDelayApproved(PublicationDelayApproved {
            new_due_on: day("2023-07-31"),
            reasons: sealed(),
            occurred_at: at("2023-03-01T10:00:00Z"),
        }),
    ]
}

/// Case C: a referral, nothing more.
fn case_c() -> Vec<CaseEvent> {
    vec![CaseEvent::CaseReferred(CaseReferred {
        case_id: case_id(3),
        referred_by: org("eput"),
        child: child(false),
        personal_data: sealed(),
        incident_date: day("2022-07-01"),
        occurred_at: at("2022-07-04T10:00:00Z"),
    })]
}

fn sar_referred(case: u128, when: &str) -> CaseEvent {
    CaseEvent::SarReferred(SarReferred {
        case_id: case_id(case),
        referred_by: org("eput"),
        adult: person(),
        personal_data: sealed(),
        care_and_support_needs: true,
        adult_died: true,
        date_of_death: Some(day("2022-05-20")),
        abuse_or_neglect: AbuseOrNeglect::Known,
        death_resulted_from_abuse_or_neglect: Some(true),
        serious_abuse_or_neglect: None,
        abuse_or_neglect_date: None,
        joint_working_concern: true,
        occurred_at: at(when),
    })
}

/// Case E: a mandatory safeguarding adult review, paused for 31 days (1 August to 1 September
/// 2022), so due 20 December 2022 + 31 days = 20 January 2023, completed 10 January 2023.
fn case_e() -> Vec<CaseEvent> {
    vec![
        sar_referred(5, "2022-06-01T10:00:00Z"),
        CaseEvent::SarDecisionRecorded(SarDecisionRecorded {
            decision: SarDecision::Mandatory,
            rationale: sealed(),
            occurred_at: at("2022-06-20T10:00:00Z"),
        }),
        CaseEvent::SarCommissioned(SarCommissioned {
            reviewer: "C. Reviewer".into(),
            reviewer_organisation: None,
            terms_of_reference: sealed(),
            occurred_at: at("2022-07-01T10:00:00Z"),
        }),
        CaseEvent::SarPaused(SarPaused {
            reason: sealed(),
            occurred_at: at("2022-08-01T10:00:00Z"),
        }),
        CaseEvent::SarResumed(occurred("2022-09-01T10:00:00Z")),
        CaseEvent::SarCompleted(SarCompleted {
            principles_with_findings: Vec::new(),
            findings: sealed(),
            occurred_at: at("2023-01-10T10:00:00Z"),
        }),
    ]
}

fn homicide_notified(case: u128, when: &str) -> CaseEvent {
    CaseEvent::DomesticHomicideNotified(DomesticHomicideNotified {
        case_id: case_id(case),
        notified_by: org("essex-police"),
        victim: person(),
        personal_data: sealed(),
        date_of_death: day("2022-09-30"),
        relationship: Some(Relationship::IntimatePartner),
        violence_abuse_or_neglect: Some(AbuseOrNeglect::Known),
        occurred_at: at(when),
    })
}

/// Case F: a domestic homicide notified 3 October 2022, decided (review) 15 November, after the
/// month allowed (due 3 November), commissioned 1 December.
fn case_f() -> Vec<CaseEvent> {
    vec![
        homicide_notified(6, "2022-10-03T10:00:00Z"),
        CaseEvent::DhrDecisionRecorded(DhrDecisionRecorded {
            conduct_review: true,
            rationale: sealed(),
            occurred_at: at("2022-11-15T10:00:00Z"),
        }),
        CaseEvent::DhrCommissioned(DhrCommissioned {
            chair: "D. Chair".into(),
            terms_of_reference: sealed(),
            occurred_at: at("2022-12-01T10:00:00Z"),
        }),
    ]
}

/// Case G (previous year): a death notified on Thursday 31 March 2022, the Panel notified on
/// Friday 1 April 2022 (due by Thursday 7 April).
fn case_g() -> Vec<CaseEvent> {
    vec![
        notified(7, "2022-03-31T10:00:00Z", "2022-03-31", Harm::Death, true),
        panel_notified("2022-04-01T10:00:00Z"),
    ]
}

/// Case H: an adult referred at 23:30 UTC on 31 March 2022, which is 00:30 on 1 April in
/// London (BST): it belongs to 2022-23.
fn case_h() -> Vec<CaseEvent> {
    vec![sar_referred(8, "2022-03-31T23:30:00Z")]
}

/// Case I (next year): a notification on Monday 3 April 2023, never notified to the Panel
/// (due by Wednesday 12 April 2023: Good Friday and Easter Monday intervene).
fn case_i() -> Vec<CaseEvent> {
    vec![notified(
        9,
        "2023-04-03T10:00:00Z",
        "2023-04-03",
        Harm::SeriousHarm,
        true,
    )]
}

/// Case J (next year): a domestic homicide notified at 23:30 UTC on 31 March 2023, which is
/// 00:30 on 1 April in London (BST).
fn case_j() -> Vec<CaseEvent> {
    vec![homicide_notified(10, "2023-03-31T23:30:00Z")]
}

fn streams() -> Vec<Vec<CaseEvent>> {
    vec![
        case_a(),
        case_b(),
        case_c(),
        case_e(),
        case_f(),
        case_g(),
        case_h(),
        case_i(),
        case_j(),
    ]
}

/// The cases as the facts known at `as_of` make them (as `CaseRecord::as_of` folds them when
/// every fact is recorded as it occurs).
fn cases_as_of(as_of: DateTime<Utc>) -> Vec<Case> {
    streams()
        .iter()
        .filter_map(|events| Case::replay(events.iter().filter(|e| e.occurred_at() <= as_of)))
        .collect()
}

fn statistics(label: &str, as_of: &str) -> AnnualStatistics {
    let as_of = at(as_of);
    annual_statistics(&cases_as_of(as_of), &southend(), year(label), as_of)
}

const AFTER_THE_YEAR: &str = "2023-06-30T12:00:00Z";

fn deadline(stats: &AnnualStatistics, kind: DeadlineKind) -> (u32, u32, u32) {
    let figures = stats.deadlines.iter().find(|d| d.kind == kind).unwrap();
    (figures.met, figures.met_late, figures.breached)
}

#[test]
fn financial_years_parse_and_contain_their_days() {
    let y = year("2022-23");
    assert_eq!(y.to_string(), "2022-23");
    assert_eq!(y.start_on(), day("2022-04-01"));
    assert_eq!(y.end_on(), day("2023-03-31"));
    assert!(y.contains(day("2023-03-31")));
    assert!(!y.contains(day("2023-04-01")));
    assert!(!y.contains(day("2022-03-31")));
    assert_eq!(FinancialYear::containing(day("2022-04-01")), y);
    assert_eq!(year("1999-00").to_string(), "1999-00");
    for bad in [
        "2022-24",
        "22-23",
        "2022",
        "2022-2023",
        "2022-2",
        "20a2-23",
        "",
        "-2022-23",
    ] {
        assert_eq!(
            FinancialYear::parse(bad),
            Err(InvalidFinancialYear),
            "{bad}"
        );
    }
}

#[test]
fn percentages_have_one_decimal_and_none_without_a_denominator() {
    assert_eq!(percent(1, 3), Some(33.3));
    assert_eq!(percent(2, 3), Some(66.7));
    assert_eq!(percent(3, 3), Some(100.0));
    assert_eq!(percent(0, 0), None);
    assert_eq!(median(vec![18, 14]), Some(16.0));
    assert_eq!(median(vec![5, 1, 3]), Some(3.0));
    assert_eq!(median(Vec::new()), None);
}

#[test]
fn the_years_with_facts_are_listed_oldest_first() {
    let facts = streams()
        .into_iter()
        .flatten()
        .map(|e| e.occurred_at())
        .collect::<Vec<_>>();
    // G is the only case with facts in 2021-22; I and J open 2023-24.
    assert_eq!(
        financial_years(facts),
        vec![year("2021-22"), year("2022-23"), year("2023-24")]
    );
}

#[test]
fn a_seeded_year_gives_the_hand_computed_figures() {
    let s = statistics("2022-23", AFTER_THE_YEAR);
    assert_eq!(s.year, year("2022-23"));

    // Notifications: A (death, looked after) and B (serious harm); G is 2021-22, I 2023-24.
    // The Panel: A notified in 2 working days (on time), B after 7 (late): 1 of 2.
    let n = &s.notifications;
    assert_eq!(
        (n.total, n.death, n.serious_harm, n.looked_after),
        (2, 1, 1, 1)
    );
    assert_eq!((n.panel_notified_on_time, n.panel_notified_late), (1, 1));
    assert_eq!(n.panel_notified_on_time_percent, Some(50.0));
    // C.
    assert_eq!(s.referrals, 1);

    // A submitted on day 14 (on time), B on day 18 (late): median (14 + 18) / 2 = 16.
    let r = &s.rapid_reviews;
    assert_eq!((r.initiated, r.submitted, r.submitted_on_time), (2, 2, 1));
    assert_eq!(r.submitted_on_time_percent, Some(50.0));
    assert_eq!(r.median_working_days_to_submission, Some(16.0));

    // Four reports: only B's police report was late (Thursday 22 September, due Wednesday 21
    // at 17:00); B's hospital report at 16:30 BST made it. 3 of 4 on time.
    let a = &s.agency_reports;
    assert_eq!((a.requested, a.on_time, a.late), (4, 3, 1));
    assert_eq!(a.on_time_percent, Some(75.0));
    let by_agency: Vec<_> = a
        .by_agency
        .iter()
        .map(|t| {
            (
                t.organisation.as_str(),
                t.requested,
                t.on_time,
                t.late,
                t.on_time_percent,
            )
        })
        .collect();
    assert_eq!(
        by_agency,
        vec![
            ("essex-police", 2, 1, 1, Some(50.0)),
            ("suhft", 2, 2, 0, Some(100.0)),
        ]
    );

    // A: LCSPR, all three partners for it. B: no LCSPR, the police against, the local
    // authority suggesting a national review.
    let d = &s.decisions;
    assert_eq!((d.total, d.lcspr, d.no_lcspr), (2, 1, 1));
    assert_eq!(
        (d.unanimous, d.majority, d.national_review_suggested),
        (1, 1, 1)
    );

    // The Panel agreed with A, disagreed with B; B reconsidered into an LCSPR.
    let p = &s.panel_responses;
    assert_eq!((p.total, p.agreed, p.disagreed), (2, 1, 1));
    assert_eq!(p.agreement_percent, Some(50.0));
    let c = &s.reconsiderations;
    assert_eq!((c.total, c.adhered, c.commissioned), (1, 0, 1));

    // LCSPRs: A and B commissioned; A published 1 November 2022, within 6 months of the
    // decision of 20 May; B's publication delayed (1 March 2023); none withheld.
    let l = &s.practice_reviews;
    assert_eq!(
        (l.commissioned, l.published, l.published_within_6_months),
        (2, 1, 1)
    );
    assert_eq!(l.published_within_6_months_percent, Some(100.0));
    assert_eq!((l.delayed, l.withheld), (1, 0));

    // SARs: E and H referred (H at 00:30 on 1 April, London time); E decided mandatory,
    // commissioned, paused and completed, not published.
    let e = &s.adult_reviews;
    assert_eq!(
        (e.referred, e.mandatory, e.discretionary, e.not_required),
        (2, 1, 0, 0)
    );
    assert_eq!(
        (e.commissioned, e.paused, e.completed, e.published),
        (1, 1, 1, 0)
    );

    // DHRs: F only (J is 2023-24 in London time), decided to review and commissioned.
    let h = &s.homicide_reviews;
    assert_eq!(
        (h.notified, h.review, h.no_review, h.commissioned),
        (1, 1, 0, 1)
    );
    assert_eq!(
        (h.completed, h.submitted_to_home_office, h.published),
        (0, 0, 0)
    );

    // A's family told in person, B's not.
    let f = &s.family_communication;
    assert_eq!(
        (f.total, f.in_person, f.in_person_percent),
        (2, 1, Some(50.0))
    );

    // Four recommendations added, two completed (1 on time, 2 late); three due in the year
    // (1, 2, 3: 4 is due in September 2023); 3 still overdue at the end of June 2023. 1 of 3.
    let m = &s.recommendations;
    assert_eq!((m.added, m.completed, m.due), (4, 2, 3));
    assert_eq!((m.on_time, m.completed_late, m.overdue), (1, 1, 1));
    assert_eq!(m.on_time_percent, Some(33.3));

    // Deadlines due in the year, (met, met late, breached) at the end of June 2023:
    use DeadlineKind as K;
    // A on time, B late, G (due Thursday 7 April 2022) on time; I's is due in 2023-24.
    assert_eq!(deadline(&s, K::PanelNotification), (2, 1, 0));
    // Neither review recorded the partners notified, the reports circulated, the drafts or
    // the Independent Advisor's sign-off: one breach each per review. G's rapid review was
    // never initiated, but its clock ran from the Panel notification (day 0 Friday 1 April
    // 2022): every milestone of it breached too (issue 11, item 4).
    for kind in [
        K::RrPartnersNotified,
        K::RrReportsCirculated,
        K::RrFirstDraft,
        K::RrDraftCirculated,
        K::RrSecondDraft,
        K::RrIndependentSignOff,
    ] {
        assert_eq!(deadline(&s, kind), (0, 0, 3), "{kind:?}");
    }
    // Comments and sign-offs: each review team is the three partners plus the hospital
    // (the police are both): 4 organisations times 2 reviews, and G's three partners.
    assert_eq!(deadline(&s, K::RrDraftComments), (0, 0, 11));
    assert_eq!(deadline(&s, K::RrSeniorSignOff), (0, 0, 11));
    assert_eq!(deadline(&s, K::RrAgencyReport), (3, 1, 0));
    assert_eq!(deadline(&s, K::RrMeeting), (2, 0, 1));
    assert_eq!(deadline(&s, K::RrSubmission), (1, 1, 1));
    // A's publication (due 20 November 2022) and report to the Panel (due 9 November, 7
    // working days before) met; B's moved to July 2023.
    assert_eq!(deadline(&s, K::LcsprPublication), (1, 0, 0));
    assert_eq!(deadline(&s, K::LcsprReportToPanel), (1, 0, 0));
    // A's take-down is due November 2023.
    assert_eq!(deadline(&s, K::PublicationTakeDown), (0, 0, 0));
    assert_eq!(deadline(&s, K::Recommendation), (1, 1, 1));
    assert_eq!(deadline(&s, K::SarCompletion), (1, 0, 0));
    // F decided after the month; J's decision is due in 2023-24; F's completion in May 2023.
    assert_eq!(deadline(&s, K::DhrDecision), (0, 1, 0));
    assert_eq!(deadline(&s, K::DhrCompletion), (0, 0, 0));
    // No copy of A's, B's or G's Panel notification to the business manager is on record, nor
    // the deaths of A and G (both looked after) notified to Ofsted, nor A's report to Ofsted
    // before its publication: statutory deadlines breached, which the figures once left out
    // with every kind added after the first twenty.
    assert_eq!(deadline(&s, K::PanelNotificationCopy), (0, 0, 3));
    assert_eq!(deadline(&s, K::LookedAfterDeathNotification), (0, 0, 2));
    assert_eq!(deadline(&s, K::LcsprCopyToOfsted), (0, 0, 1));
    // No split decision; no publication withheld.
    assert_eq!(deadline(&s, K::RrPartnerDecision), (0, 0, 0));
    assert_eq!(deadline(&s, K::LcsprImprovementsToPanel), (0, 0, 0));
    assert_eq!(s.deadlines.len(), DeadlineKind::ALL.len());

    // A's meeting: council, police, CCG, hospital; B's adds EPUT: 5 organisations.
    assert_eq!(s.meetings.held, 2);
    assert_eq!(s.meetings.organisations_taking_part, 5);
}

#[test]
fn facts_of_the_previous_and_next_years_count_there() {
    let previous = statistics("2021-22", AFTER_THE_YEAR);
    // G only: a death, looked after; its Panel notification (due in 2022-23) was on time.
    let n = &previous.notifications;
    assert_eq!((n.total, n.death, n.looked_after), (1, 1, 1));
    assert_eq!((n.panel_notified_on_time, n.panel_notified_late), (1, 0));
    assert_eq!(previous.adult_reviews.referred, 0);
    assert_eq!(
        deadline(&previous, DeadlineKind::PanelNotification),
        (0, 0, 0)
    );

    let next = statistics("2023-24", AFTER_THE_YEAR);
    // I, never notified to the Panel (breached 12 April 2023); J.
    let n = &next.notifications;
    assert_eq!((n.total, n.serious_harm, n.looked_after), (1, 1, 1));
    assert_eq!((n.panel_notified_on_time, n.panel_notified_late), (0, 1));
    assert_eq!(n.panel_notified_on_time_percent, Some(0.0));
    assert_eq!(next.homicide_reviews.notified, 1);
    assert_eq!(next.recommendations.added, 0);
    // B's delayed publication is due 31 July 2023, after the instant asked about.
    assert_eq!(deadline(&next, DeadlineKind::LcsprPublication), (0, 0, 0));
    // Recommendation 4 (due 30 September 2023) is still pending at the end of June.
    assert_eq!(next.recommendations.due, 1);
    assert_eq!(next.recommendations.on_time_percent, None);
}

#[test]
fn as_of_counts_only_what_was_known_then() {
    // 1 October 2022: B's submission (7 October), every Panel response, the reconsideration,
    // B's family communication, the LCSPR publication, the recommendations and F are later.
    let s = statistics("2022-23", "2022-10-01T12:00:00Z");
    let r = &s.rapid_reviews;
    assert_eq!((r.initiated, r.submitted, r.submitted_on_time), (2, 1, 1));
    assert_eq!(r.submitted_on_time_percent, Some(100.0));
    assert_eq!(r.median_working_days_to_submission, Some(14.0));
    // Both decisions were reached by 28 September.
    assert_eq!((s.decisions.total, s.decisions.majority), (2, 1));
    let p = &s.panel_responses;
    assert_eq!(
        (p.total, p.agreed, p.agreement_percent),
        (1, 1, Some(100.0))
    );
    assert_eq!(s.reconsiderations.total, 0);
    let l = &s.practice_reviews;
    assert_eq!((l.commissioned, l.published, l.delayed), (1, 0, 0));
    assert_eq!(l.published_within_6_months_percent, None);
    let f = &s.family_communication;
    assert_eq!((f.total, f.in_person_percent), (1, Some(100.0)));
    assert_eq!(s.recommendations.added, 0);
    assert_eq!(s.recommendations.on_time_percent, None);
    assert_eq!(s.homicide_reviews.notified, 0);
    assert_eq!(s.adult_reviews.completed, 0);
    // B's submission is due 4 October: pending, so neither met nor breached yet. G's, never
    // initiated, ran from its Panel notification (1 April 2022) and breached in April.
    assert_eq!(deadline(&s, DeadlineKind::RrSubmission), (1, 0, 1));
    // E's completion (due January 2023) is still pending.
    assert_eq!(deadline(&s, DeadlineKind::SarCompletion), (0, 0, 0));
    assert_eq!(s.as_of, at("2022-10-01T12:00:00Z"));
}

#[test]
fn facts_after_as_of_are_ignored_even_in_a_case_folded_later() {
    // The same cases folded with everything, but asked about 1 October 2022: the figures
    // that count facts are the same as when the cases are folded as of then.
    let as_of = at("2022-10-01T12:00:00Z");
    let all = cases_as_of(at(AFTER_THE_YEAR));
    let s = annual_statistics(&all, &southend(), year("2022-23"), as_of);
    let known = statistics("2022-23", "2022-10-01T12:00:00Z");
    assert_eq!(s.rapid_reviews, known.rapid_reviews);
    assert_eq!(s.panel_responses, known.panel_responses);
    assert_eq!(s.recommendations.added, known.recommendations.added);
    assert_eq!(s.homicide_reviews, known.homicide_reviews);
}

mod action_plans {
    //! The action plans' figures of 2022-23 and 2023-24 from case A's recommendations with
    //! plans, worked out by hand.

    use super::*;
    use casetrail_domain::case::shared::action_plan::{
        ActionAdded, ActionCompleted, ActionPlanSignedOff, ActionProgressRecorded, ImpactReviewed,
        PracticeChange, Rag,
    };
    use casetrail_domain::learning::MeetingGroup;

    fn action(recommendation: u128, n: u128, due_on: &str, when: &str) -> CaseEvent {
        CaseEvent::ActionAdded(ActionAdded {
            recommendation_id: Uuid::from_u128(recommendation),
            action_id: Uuid::from_u128(n),
            text: "A step.".into(),
            owners: vec![org("southend-council")],
            due_on: day(due_on),
            occurred_at: at(when),
        })
    }

    fn done(recommendation: u128, n: u128, when: &str) -> CaseEvent {
        CaseEvent::ActionCompleted(ActionCompleted {
            recommendation_id: Uuid::from_u128(recommendation),
            action_id: Uuid::from_u128(n),
            occurred_at: at(when),
        })
    }

    fn impact(change: PracticeChange, when: &str) -> CaseEvent {
        CaseEvent::ImpactReviewed(ImpactReviewed {
            recommendation_id: Uuid::from_u128(1),
            practice_changed: change,
            summary: "Audit.".into(),
            occurred_at: at(when),
        })
    }

    /// Recommendation 1 (completed 20 January 2023) had one action, done on time and signed
    /// off, its impact reviewed in each year (twice in the next); recommendation 3 has four: done on time (due
    /// Saturday 31 December), done late, overdue, and due in the next year.
    fn planned() -> Vec<CaseEvent> {
        let mut events = case_a();
        events.extend([
            action(1, 11, "2023-01-15", "2022-11-02T10:00:00Z"),
            CaseEvent::ActionProgressRecorded(ActionProgressRecorded {
                recommendation_id: Uuid::from_u128(1),
                action_id: Uuid::from_u128(11),
                rag: Rag::Green,
                note: "On track.".into(),
                evidence: vec![],
                occurred_at: at("2022-12-01T10:00:00Z"),
            }),
            done(1, 11, "2023-01-10T10:00:00Z"),
            CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
                recommendation_id: Uuid::from_u128(1),
                group: MeetingGroup::PracticeReview,
                occurred_at: at("2023-01-25T10:00:00Z"),
            }),
            impact(PracticeChange::PartlyChanged, "2023-03-01T10:00:00Z"),
            impact(PracticeChange::Changed, "2023-04-10T10:00:00Z"),
            impact(PracticeChange::NotChanged, "2023-05-10T10:00:00Z"),
            action(3, 31, "2022-12-31", "2022-11-02T10:00:00Z"),
            action(3, 32, "2023-01-31", "2022-11-02T10:00:00Z"),
            action(3, 33, "2023-03-15", "2022-11-02T10:00:00Z"),
            action(3, 34, "2023-06-30", "2023-03-01T10:00:00Z"),
            // 23:30 UTC on Saturday 31 December is still that day in London (GMT): on time.
            done(3, 31, "2022-12-31T23:30:00Z"),
            done(3, 32, "2023-02-03T10:00:00Z"),
        ]);
        events
    }

    fn figures(label: &str, as_of: &str) -> ActionPlanFigures {
        let as_of = at(as_of);
        let events = planned();
        let case = Case::replay(events.iter().filter(|e| e.occurred_at() <= as_of)).unwrap();
        annual_statistics([&case], &southend(), year(label), as_of).action_plans
    }

    #[test]
    fn a_years_actions_sign_offs_and_reviews_of_impact() {
        assert_eq!(
            figures("2022-23", AFTER_THE_YEAR),
            ActionPlanFigures {
                actions_added: 5,
                actions_completed: 3,
                actions_due: 4,
                actions_on_time: 2,
                actions_completed_late: 1,
                actions_overdue: 1,
                actions_on_time_percent: Some(50.0),
                plans_signed_off: 1,
                practice_changed: 0,
                practice_partly_changed: 1,
                practice_not_changed: 0,
            }
        );
        // The next year: the action due on 30 June is still pending at noon that day.
        assert_eq!(
            figures("2023-24", AFTER_THE_YEAR),
            ActionPlanFigures {
                actions_due: 1,
                practice_changed: 1,
                practice_not_changed: 1,
                ..ActionPlanFigures::default()
            }
        );
        // As known at the very instant the last action was added: it is due in the next year,
        // and pending.
        assert_eq!(
            figures("2023-24", "2023-03-01T10:00:00Z"),
            ActionPlanFigures {
                actions_due: 1,
                ..ActionPlanFigures::default()
            }
        );
        // As known on 1 February 2023: the late action was then overdue, the one due in March
        // pending, nothing reviewed yet.
        assert_eq!(
            figures("2022-23", "2023-02-01T12:00:00Z"),
            ActionPlanFigures {
                actions_added: 4,
                actions_completed: 2,
                actions_due: 4,
                actions_on_time: 2,
                actions_overdue: 1,
                actions_on_time_percent: Some(66.7),
                plans_signed_off: 1,
                ..ActionPlanFigures::default()
            }
        );
    }
}

mod learning_shared {
    //! The learning shared in 2022-23 from cases A and E, worked out by hand.

    use super::*;
    use casetrail_domain::case::shared::learning::{DisseminationMethod, LearningDisseminated};

    fn shared(organisations: &[&str], people: Option<u32>, when: &str) -> CaseEvent {
        CaseEvent::LearningDisseminated(LearningDisseminated {
            method: DisseminationMethod::SevenMinuteBriefing,
            organisations: organisations.iter().map(|slug| org(slug)).collect(),
            people_reached: people,
            occurred_at: at(when),
        })
    }

    /// Case A's learning shared twice in the year (140 people, then uncounted) and once in
    /// the next; case E's once (25 people), reaching the police again and the council.
    fn figures(label: &str) -> LearningSharedFigures {
        let mut a = case_a();
        a.extend([
            shared(
                &["essex-police", "suhft"],
                Some(140),
                "2022-11-10T10:00:00Z",
            ),
            shared(&["eput"], None, "2023-01-12T10:00:00Z"),
            shared(&["suhft"], Some(60), "2023-04-03T10:00:00Z"),
        ]);
        let mut e = case_e();
        e.push(shared(
            &["essex-police", "southend-council"],
            Some(25),
            "2023-02-01T10:00:00Z",
        ));
        let cases: Vec<Case> = [a, e]
            .iter()
            .map(|events| Case::replay(events).unwrap())
            .collect();
        annual_statistics(&cases, &southend(), year(label), at(AFTER_THE_YEAR)).learning_shared
    }

    #[test]
    fn a_years_learning_shared_counts_times_reviews_organisations_and_people() {
        assert_eq!(
            figures("2022-23"),
            LearningSharedFigures {
                disseminations: 3,
                reviews: 2,
                organisations_reached: 4,
                people_reached: 165,
            }
        );
        assert_eq!(
            figures("2023-24"),
            LearningSharedFigures {
                disseminations: 1,
                reviews: 1,
                organisations_reached: 1,
                people_reached: 60,
            }
        );
    }
}

mod audits {
    //! Two multi-agency audits, worked out by hand: one commissioned and reported in 2022-23,
    //! one commissioned then and reported in the next year.

    use super::*;
    use casetrail_domain::case::audit::{AuditCommissioned, AuditFindingsRecorded};
    use casetrail_domain::learning::MeetingGroup;

    fn audit(case: u128, commissioned: &str, reported: &str, audited: u32) -> Case {
        let events = [
            CaseEvent::AuditCommissioned(AuditCommissioned {
                case_id: case_id(case),
                commissioned_by: org("southend-council"),
                reference: format!("MAA-{case}"),
                topic: "Neglect".into(),
                group: MeetingGroup::AuditQualityPerformanceChildren,
                agencies: vec![org("suhft")],
                sample_size: 20,
                occurred_at: at(commissioned),
            }),
            CaseEvent::AuditFindingsRecorded(AuditFindingsRecorded {
                cases_audited: audited,
                findings: "Aggregate findings.".into(),
                occurred_at: at(reported),
            }),
        ];
        Case::replay(&events).unwrap()
    }

    #[test]
    fn a_years_audits_commissioned_reported_and_cases_audited() {
        let cases = [
            audit(21, "2022-06-01T10:00:00Z", "2022-09-15T10:00:00Z", 11),
            audit(22, "2023-02-01T10:00:00Z", "2023-05-02T10:00:00Z", 7),
            // A child case has no audit figures.
            Case::replay(&case_a()).unwrap(),
        ];
        let figures =
            |label| annual_statistics(&cases, &southend(), year(label), at(AFTER_THE_YEAR)).audits;
        assert_eq!(
            figures("2022-23"),
            AuditFigures {
                commissioned: 2,
                reported: 1,
                cases_audited: 11,
            }
        );
        assert_eq!(
            figures("2023-24"),
            AuditFigures {
                commissioned: 0,
                reported: 1,
                cases_audited: 7,
            }
        );
    }
}
