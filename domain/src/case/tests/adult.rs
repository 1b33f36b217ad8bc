//! The safeguarding adult review (Care Act 2014 s44): referral, decision, commissioning, agency
//! reports, the family, pauses, completion, publication, closure and the completion deadline.

use super::*;
use crate::case::adult_review::{
    SafeguardingPrinciple, SarCommissioned, SarCompleted, SarDecision, SarDecisionRecorded,
    SarPaused, SarReferred,
};
use crate::case::commands::{
    At, CloseCase, CommissionSar, CompleteSar, ForOrganisation, PauseSar, PersonDetails,
    PublishReview, RecordSarDecision, ReferSafeguardingAdultReview, SubmitAgencyReport,
};
use crate::case::practice_review::{CaseClosed, ClosureReason, ReviewPublished};
use crate::deadline::{DeadlineKind, DeadlineStatus};
use ErrorKind::{Conflict, Forbidden, Invalid};
use SafeguardingPrinciple::{Partnership, Prevention, Protection};

type When = Option<DateTime<Utc>>;

/// A change to a valid referral as recorded.
type ReferralChange = fn(&mut SarReferred);

/// The story: a living adult, seriously neglected up to 20 December 2022, referred by the mental
/// health trust on Tuesday 10 January 2023,
/// a mandatory review decided on 1 February, commissioned on 15 February, paused for 30 days
/// from 1 March for criminal proceedings, completed in August and published in September.
const HARMED: &str = "2022-12-20";
const REFERRED: &str = "2023-01-10T10:00:00Z";
const DECIDED: &str = "2023-02-01T10:00:00Z";
const COMMISSIONED: &str = "2023-02-15T10:00:00Z";
const REQUESTED: &str = "2023-02-16T10:00:00Z";
const PAUSED: &str = "2023-03-01T10:00:00Z";
const RESUMED: &str = "2023-03-31T10:00:00Z";
const COMPLETED: &str = "2023-08-20T10:00:00Z";
const LATER: &str = "2023-10-02T12:00:00Z";

fn later() -> DateTime<Utc> {
    instant(LATER)
}

fn manager() -> Actor {
    business_manager()
}

fn refer_command() -> ReferSafeguardingAdultReview {
    ReferSafeguardingAdultReview {
        case_id: case_id(),
        adult: PersonDetails {
            reference: " EPUT-SA-23-0057 ".into(),
            date_of_birth: date("1950-05-01"),
            sex: "male".into(),
            ethnicity: "White Other".into(),
        },
        personal_data: sealed(),
        care_and_support_needs: true,
        adult_died: false,
        date_of_death: None,
        abuse_or_neglect: AbuseOrNeglect::Known,
        death_resulted_from_abuse_or_neglect: None,
        serious_abuse_or_neglect: Some(true),
        abuse_or_neglect_date: Some(date(HARMED)),
        joint_working_concern: true,
        occurred_at: None,
    }
}

/// The referral of an adult who died on `died_on`, the death suspected to have resulted from
/// neglect.
fn died_on(c: &mut ReferSafeguardingAdultReview, died_on: &str) {
    c.adult_died = true;
    c.date_of_death = Some(date(died_on));
    c.death_resulted_from_abuse_or_neglect = Some(true);
    c.serious_abuse_or_neglect = None;
    c.abuse_or_neglect_date = None;
}

fn refer(change: impl FnOnce(&mut ReferSafeguardingAdultReview)) -> CaseCommand {
    let mut command = refer_command();
    change(&mut command);
    CaseCommand::ReferSafeguardingAdultReview(command)
}

fn referred_with(change: impl FnOnce(&mut SarReferred)) -> CaseEvent {
    let mut referred = SarReferred {
        case_id: case_id(),
        referred_by: org("suhft"),
        adult: PersonProfile {
            reference: "EPUT-SA-23-0057".into(),
            age_band: AdultAgeBand::From65To74,
            sex: "male".into(),
            ethnicity: "White Other".into(),
        },
        personal_data: sealed(),
        care_and_support_needs: true,
        adult_died: false,
        date_of_death: None,
        abuse_or_neglect: AbuseOrNeglect::Known,
        death_resulted_from_abuse_or_neglect: None,
        serious_abuse_or_neglect: Some(true),
        abuse_or_neglect_date: Some(date(HARMED)),
        joint_working_concern: true,
        occurred_at: instant(REFERRED),
    };
    change(&mut referred);
    CaseEvent::SarReferred(referred)
}

fn referred() -> Vec<CaseEvent> {
    vec![referred_with(|_| {})]
}

fn decision(decision: SarDecision, at: &str) -> CaseEvent {
    CaseEvent::SarDecisionRecorded(SarDecisionRecorded {
        decision,
        rationale: sealed(),
        occurred_at: instant(at),
    })
}

fn decided() -> Vec<CaseEvent> {
    and(referred(), [decision(SarDecision::Mandatory, DECIDED)])
}

fn commissioned() -> Vec<CaseEvent> {
    and(
        decided(),
        [CaseEvent::SarCommissioned(SarCommissioned {
            reviewer: "Gwen Ashcombe".into(),
            reviewer_organisation: None,
            terms_of_reference: sealed(),
            occurred_at: instant(COMMISSIONED),
        })],
    )
}

fn paused() -> Vec<CaseEvent> {
    and(
        commissioned(),
        [CaseEvent::SarPaused(SarPaused {
            reason: sealed(),
            occurred_at: instant(PAUSED),
        })],
    )
}

fn resumed() -> Vec<CaseEvent> {
    and(paused(), [CaseEvent::SarResumed(occurred(RESUMED))])
}

fn completed() -> Vec<CaseEvent> {
    and(
        resumed(),
        [CaseEvent::SarCompleted(SarCompleted {
            principles_with_findings: vec![Prevention, Partnership],
            findings: sealed(),
            occurred_at: instant(COMPLETED),
        })],
    )
}

fn decide_sar(decision: SarDecision, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordSarDecision(RecordSarDecision {
        decision,
        rationale: sealed(),
        occurred_at,
    })
}

fn commission(organisation: Option<&str>, occurred_at: When) -> CaseCommand {
    CaseCommand::CommissionSar(CommissionSar {
        reviewer: " Gwen Ashcombe ".into(),
        reviewer_organisation: organisation.map(org),
        terms_of_reference: sealed(),
        occurred_at,
    })
}

fn pause(occurred_at: When) -> CaseCommand {
    CaseCommand::PauseSar(PauseSar {
        reason: sealed(),
        occurred_at,
    })
}

fn resume(occurred_at: When) -> CaseCommand {
    CaseCommand::ResumeSar(At { occurred_at })
}

fn complete(principles: &[SafeguardingPrinciple], occurred_at: When) -> CaseCommand {
    CaseCommand::CompleteSar(CompleteSar {
        principles_with_findings: principles.to_vec(),
        findings: sealed(),
        occurred_at,
    })
}

fn publish(occurred_at: When) -> CaseCommand {
    CaseCommand::PublishReview(PublishReview {
        url: Some(" https://example.org/sar/adult-b ".into()),
        occurred_at,
    })
}

fn request(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::RequestAgencyReport(ForOrganisation {
        organisation: org(organisation),
        occurred_at,
    })
}

fn submit(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::SubmitAgencyReport(SubmitAgencyReport {
        organisation: org(organisation),
        report: sealed(),
        occurred_at,
    })
}

fn invite(occurred_at: When) -> CaseCommand {
    CaseCommand::RecordFamilyInvited(At { occurred_at })
}

fn sar_deadline(events: &[CaseEvent]) -> Option<crate::deadline::Deadline> {
    Case::replay(events)
        .unwrap()
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == DeadlineKind::SarCompletion)
}

// --- referral ---

#[test]
fn a_referral_opens_an_adult_case_with_the_age_band_and_no_personal_data() {
    let events = given(vec![])
        .when(&agency_user("suhft"), instant(REFERRED), refer(|_| {}))
        .unwrap();
    assert_eq!(events, referred());
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.kind, CaseKind::Adult);
    assert_eq!(case.stage, Stage::SarReferred);
    assert_eq!(case.reference(), "EPUT-SA-23-0057");
    assert_eq!(case.child(), None);
    assert!(case.involved.contains(&org("suhft")));
    assert!(case.deadlines(&southend()).is_empty());
}

#[test]
fn a_referral_may_come_from_an_agency_a_partner_or_the_business_manager() {
    for by in [
        agency_user("southend-schools"),
        decision_maker(StatutoryPartner::Police),
        business_manager(),
    ] {
        assert!(
            given(vec![])
                .when(&by, instant(REFERRED), refer(|_| {}))
                .is_ok()
        );
    }
    assert_eq!(
        refused(given(vec![]).when(&notifier(), instant(REFERRED), refer(|_| {}))),
        (Forbidden, "auth.role_required")
    );
    assert_eq!(
        refused(given(vec![]).when(
            &agency_user("unknown-org"),
            instant(REFERRED),
            refer(|_| {})
        )),
        (Forbidden, "auth.unknown_organisation")
    );
    assert_eq!(
        refused(given(referred()).when(&manager(), later(), refer(|_| {}))),
        (Conflict, "case.already_exists")
    );
}

#[test]
fn a_living_adult_is_judged_18_or_over_on_the_day_of_the_abuse_or_neglect() {
    let when = |dob: &str| {
        given(vec![]).when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| c.adult.date_of_birth = date(dob)),
        )
    };
    // 18 on 21 December 2022: 17 when neglected on the 20th, though 18 at the referral.
    let err = when("2004-12-21").unwrap_err();
    assert_eq!(
        (err.kind, err.code, err.field_errors[0].field.as_str()),
        (Invalid, "referral.not_an_adult", "adult.date_of_birth")
    );
    assert!(
        err.message.contains("child safeguarding process"),
        "{}",
        err.message
    );
    let events = when("2004-12-20").unwrap();
    let CaseEvent::SarReferred(referred) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(referred.adult.age_band, AdultAgeBand::From18To24);
    assert_eq!(
        refused_field(when("2022-12-21")),
        (Invalid, "date.in_future", "adult.date_of_birth".into())
    );
}

/// The age band of a referral of an adult who died on 20 December 2022, born on `dob`.
fn band_at_death(dob: &str) -> AdultAgeBand {
    let events = given(vec![])
        .when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| {
                died_on(c, "2022-12-20");
                c.adult.date_of_birth = date(dob);
            }),
        )
        .unwrap();
    let CaseEvent::SarReferred(referred) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(referred.date_of_death, Some(date("2022-12-20")));
    assert_eq!(referred.death_resulted_from_abuse_or_neglect, Some(true));
    assert_eq!(referred.abuse_or_neglect_date, None);
    referred.adult.age_band
}

#[test]
fn someone_who_died_aged_17_belongs_in_the_child_process() {
    // Died on 20 December 2022, a fortnight before turning 18; referred on 10 January 2023,
    // when they would have been 18.
    let err = given(vec![])
        .when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| {
                died_on(c, "2022-12-20");
                c.adult.date_of_birth = date("2005-01-05");
            }),
        )
        .unwrap_err();
    assert_eq!((err.kind, err.code), (Invalid, "referral.not_an_adult"));
    assert!(
        err.message.contains("under 18 at the time of the death")
            && err.message.contains("child safeguarding process"),
        "{}",
        err.message
    );
    // No personal data in the refusal: neither the reference nor the date of birth.
    assert!(
        !err.message.contains("EPUT") && !err.message.contains("2005"),
        "{}",
        err.message
    );
    // 18 on the day they died: an adult's review.
    assert_eq!(band_at_death("2004-12-20"), AdultAgeBand::From18To24);
}

#[test]
fn age_is_judged_at_the_death_not_at_the_referral() {
    // 85 on 1 January 2023, between the death and the referral: 84 when they died.
    assert_eq!(band_at_death("1938-01-01"), AdultAgeBand::From75To84);
    assert_eq!(band_at_death("1937-12-20"), AdultAgeBand::From85);
}

#[test]
fn each_condition_asks_its_own_facts_and_dates() {
    type Change = fn(&mut ReferSafeguardingAdultReview);
    let when = |change: Change| {
        given(vec![]).when(&agency_user("suhft"), instant(REFERRED), refer(change))
    };
    let cases: [(Change, &str, &str); 6] = [
        (
            |c| {
                died_on(c, HARMED);
                c.date_of_death = None;
            },
            "field.required",
            "date_of_death",
        ),
        (
            |c| {
                died_on(c, HARMED);
                c.death_resulted_from_abuse_or_neglect = None;
            },
            "field.required",
            "death_resulted_from_abuse_or_neglect",
        ),
        (
            |c| {
                died_on(c, HARMED);
                c.abuse_or_neglect_date = Some(date(HARMED));
            },
            "field.not_applicable",
            "abuse_or_neglect_date",
        ),
        (
            |c| c.date_of_death = Some(date(HARMED)),
            "field.not_applicable",
            "date_of_death",
        ),
        (
            |c| c.abuse_or_neglect_date = None,
            "field.required",
            "abuse_or_neglect_date",
        ),
        (
            |c| c.death_resulted_from_abuse_or_neglect = Some(true),
            "field.not_applicable",
            "death_resulted_from_abuse_or_neglect",
        ),
    ];
    for (change, code, field) in cases {
        assert_eq!(refused_field(when(change)), (Invalid, code, field.into()));
    }
    // Neither the death nor the abuse or neglect after the referral; the day itself is fine.
    assert_eq!(
        refused_field(when(|c| died_on(c, "2023-01-11"))),
        (Invalid, "date.in_future", "date_of_death".into())
    );
    assert_eq!(
        refused_field(when(|c| c.abuse_or_neglect_date = Some(date("2023-01-11")))),
        (Invalid, "date.in_future", "abuse_or_neglect_date".into())
    );
    assert!(when(|c| c.abuse_or_neglect_date = Some(date("2023-01-10"))).is_ok());
}

#[test]
fn seriousness_is_asked_of_a_living_adult_only() {
    let when = |died: bool, serious: Option<bool>| {
        given(vec![]).when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| {
                if died {
                    died_on(c, HARMED);
                }
                c.serious_abuse_or_neglect = serious;
            }),
        )
    };
    assert_eq!(
        refused_field(when(false, None)),
        (Invalid, "field.required", "serious_abuse_or_neglect".into())
    );
    assert_eq!(
        refused_field(when(true, Some(true))),
        (
            Invalid,
            "field.not_applicable",
            "serious_abuse_or_neglect".into()
        )
    );
    assert!(when(true, None).is_ok());
    assert!(when(false, Some(false)).is_ok());
}

#[test]
fn a_referral_checks_its_text_and_its_date() {
    assert_eq!(
        refused_field(given(vec![]).when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| c.adult.reference = "  ".into())
        )),
        (Invalid, "field.required", "adult.reference".into())
    );
    assert_eq!(
        refused_field(given(vec![]).when(
            &agency_user("suhft"),
            instant(REFERRED),
            refer(|c| c.occurred_at = Some(instant("2023-01-10T10:00:01Z")))
        )),
        (Invalid, "occurred_at.in_future", "occurred_at".into())
    );
}

// --- decision ---

#[test]
fn the_s44_tests_are_each_explicit() {
    let assess = |change: ReferralChange| {
        let CaseEvent::SarReferred(referred) = referred_with(change) else {
            unreachable!()
        };
        referred.s44()
    };
    // Alive and seriously neglected: condition 2.
    let alive = assess(|_| {});
    assert!(alive.care_and_support_needs && alive.condition_2 && !alive.condition_1);
    assert!(alive.mandatory());
    // Died, the death suspected to have resulted from neglect: condition 1.
    let died = assess(|r| {
        r.adult_died = true;
        r.date_of_death = Some(date(HARMED));
        r.abuse_or_neglect = AbuseOrNeglect::Suspected;
        r.death_resulted_from_abuse_or_neglect = Some(true);
        r.serious_abuse_or_neglect = None;
    });
    assert!(died.condition_1 && !died.condition_2 && died.mandatory());
    // Not serious: neither condition, so discretionary at most.
    let not_serious = assess(|r| r.serious_abuse_or_neglect = Some(false));
    assert!(!not_serious.condition_1 && !not_serious.condition_2);
    assert!(!not_serious.mandatory());
    // Both conditions but no care and support needs: not mandatory.
    assert!(!assess(|r| r.care_and_support_needs = false).mandatory());
    assert!(!assess(|r| r.joint_working_concern = false).mandatory());
}

#[test]
fn the_board_records_a_mandatory_review_when_the_criteria_are_met() {
    let events = given(referred())
        .when(
            &manager(),
            later(),
            decide_sar(SarDecision::Mandatory, None),
        )
        .unwrap();
    assert_eq!(events, vec![decision(SarDecision::Mandatory, LATER)]);
    let case = Case::replay(&and(referred(), events)).unwrap();
    assert_eq!(case.stage, Stage::SarDecided);
    // A partner decision maker may record it too.
    assert!(
        given(referred())
            .when(
                &decision_maker(StatutoryPartner::Health),
                later(),
                decide_sar(SarDecision::Discretionary, None)
            )
            .is_ok()
    );
}

#[test]
fn a_mandatory_review_is_refused_with_the_reason_when_the_criteria_are_not_met() {
    let cases: [(ReferralChange, &str); 5] = [
        (
            |r| r.abuse_or_neglect = AbuseOrNeglect::NotSuspected,
            "known or suspected",
        ),
        (
            |r| r.serious_abuse_or_neglect = Some(false),
            "serious abuse or neglect",
        ),
        (|r| r.joint_working_concern = false, "worked together"),
        (|r| r.care_and_support_needs = false, "care and support"),
        // Condition 1 needs the death to have resulted from the abuse or neglect.
        (
            |r| {
                r.adult_died = true;
                r.date_of_death = Some(date(HARMED));
                r.death_resulted_from_abuse_or_neglect = Some(false);
                r.serious_abuse_or_neglect = None;
                r.abuse_or_neglect_date = None;
            },
            "condition 1",
        ),
    ];
    for (change, reason) in cases {
        let history = vec![referred_with(change)];
        let err = given(history.clone())
            .when(
                &manager(),
                later(),
                decide_sar(SarDecision::Mandatory, None),
            )
            .unwrap_err();
        assert_eq!((err.kind, err.code), (Invalid, "sar.criteria_not_met"));
        assert!(err.message.contains(reason), "{}", err.message);
        assert_eq!(err.field_errors[0].field, "decision");
        // What the Board decides otherwise is recorded as decided.
        for other in [SarDecision::Discretionary, SarDecision::NotRequired] {
            assert!(
                given(history.clone())
                    .when(&manager(), later(), decide_sar(other, None))
                    .is_ok()
            );
        }
    }
    // An adult who died: seriousness is not asked, the death is enough.
    let died = vec![referred_with(|r| {
        r.adult_died = true;
        r.date_of_death = Some(date(HARMED));
        r.death_resulted_from_abuse_or_neglect = Some(true);
        r.serious_abuse_or_neglect = None;
        r.abuse_or_neglect_date = None;
    })];
    assert!(
        given(died)
            .when(
                &manager(),
                later(),
                decide_sar(SarDecision::Mandatory, None)
            )
            .is_ok()
    );
}

#[test]
fn the_decision_is_recorded_once_by_those_who_decide() {
    assert_eq!(
        refused(given(decided()).when(
            &manager(),
            later(),
            decide_sar(SarDecision::Discretionary, None)
        )),
        (Conflict, "sar.already_decided")
    );
    assert_eq!(
        refused(given(referred()).when(
            &agency_user("suhft"),
            later(),
            decide_sar(SarDecision::Discretionary, None)
        )),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(&given(referred()), &manager(), later(), REFERRED, |at| {
        decide_sar(SarDecision::Discretionary, at)
    });
}

// --- commissioning ---

#[test]
fn a_decided_review_is_commissioned_once_from_an_independent_reviewer() {
    let events = given(decided())
        .when(
            &manager(),
            later(),
            commission(Some("southend-schools"), None),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::SarCommissioned(SarCommissioned {
            reviewer: "Gwen Ashcombe".into(),
            reviewer_organisation: Some(org("southend-schools")),
            terms_of_reference: sealed(),
            occurred_at: later(),
        })]
    );
    let case = Case::replay(&and(decided(), events)).unwrap();
    assert_eq!(case.stage, Stage::SarInProgress);
    // The referrer is involved in the case: not independent.
    assert_eq!(
        refused_field(given(decided()).when(&manager(), later(), commission(Some("suhft"), None))),
        (
            Invalid,
            "sar.reviewer_not_independent",
            "reviewer_organisation".into()
        )
    );
    assert_eq!(
        refused(given(commissioned()).when(&manager(), later(), commission(None, None))),
        (Conflict, "sar.already_commissioned")
    );
    check_occurred_at(&given(decided()), &manager(), later(), DECIDED, |at| {
        commission(None, at)
    });
}

#[test]
fn nothing_is_commissioned_without_a_decision_to_review() {
    assert_eq!(
        refused(given(referred()).when(&manager(), later(), commission(None, None))),
        (Conflict, "sar.not_decided")
    );
    let not_required = and(referred(), [decision(SarDecision::NotRequired, DECIDED)]);
    assert_eq!(
        refused(given(not_required.clone()).when(&manager(), later(), commission(None, None))),
        (Conflict, "sar.not_required")
    );
    assert_eq!(
        refused(given(not_required.clone()).when(&manager(), later(), pause(None))),
        (Conflict, "sar.not_required")
    );
    // No review, no completion deadline.
    assert_eq!(sar_deadline(&not_required), None);
    assert_eq!(
        refused(given(decided()).when(&agency_user("suhft"), later(), commission(None, None))),
        (Forbidden, "auth.role_required")
    );
}

// --- agency reports ---

#[test]
fn agency_reports_use_the_rapid_review_commands_and_stay_in_the_sar() {
    assert_eq!(
        refused(given(decided()).when(&manager(), later(), request("essex-police", None))),
        (Conflict, "sar.not_commissioned")
    );
    let asked = given(commissioned())
        .when(
            &manager(),
            later(),
            request("essex-police", Some(instant(REQUESTED))),
        )
        .unwrap();
    assert_eq!(
        asked,
        vec![CaseEvent::AgencyReportRequested(by_org(
            "essex-police",
            REQUESTED
        ))]
    );
    let history = and(commissioned(), asked);
    let submitted = given(history.clone())
        .when(
            &agency_user("essex-police"),
            later(),
            submit("essex-police", None),
        )
        .unwrap();
    assert_eq!(
        submitted,
        vec![CaseEvent::AgencyReportSubmitted(AgencyReportSubmitted {
            organisation: org("essex-police"),
            report: sealed(),
            occurred_at: later(),
        })]
    );
    let case = Case::replay(&and(history.clone(), submitted)).unwrap();
    assert_eq!(case.rapid_review, None);
    let sar = case.sar.as_ref().unwrap();
    assert_eq!(
        sar.agency_reports[&org("essex-police")].submitted_at,
        Some(later())
    );
    assert!(case.involved.contains(&org("essex-police")));
    // No rapid review deadlines for an adult's reports.
    assert!(
        case.deadlines(&southend())
            .iter()
            .all(|d| d.kind == DeadlineKind::SarCompletion)
    );
}

#[test]
fn agency_reports_on_an_adult_case_keep_the_rapid_review_rules() {
    let history = and(
        commissioned(),
        [CaseEvent::AgencyReportRequested(by_org(
            "essex-police",
            REQUESTED,
        ))],
    );
    assert_eq!(
        refused(given(history.clone()).when(&manager(), later(), request("essex-police", None))),
        (Conflict, "agency_report.already_requested")
    );
    assert_eq!(
        refused(given(history.clone()).when(
            &agency_user("suhft"),
            later(),
            submit("essex-police", None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    assert_eq!(
        refused(given(history.clone()).when(&agency_user("suhft"), later(), submit("suhft", None))),
        (Conflict, "agency_report.not_requested")
    );
    assert_eq!(
        refused_field(given(history.clone()).when(&manager(), later(), request("nowhere", None))),
        (Invalid, "organisation.unknown", "organisation".into())
    );
    check_occurred_at(
        &given(history.clone()),
        &agency_user("essex-police"),
        later(),
        REQUESTED,
        |at| submit("essex-police", at),
    );
    // The reviewer's own organisation does not report to the review it leads.
    let mut with_reviewer_org = decided();
    with_reviewer_org.push(CaseEvent::SarCommissioned(SarCommissioned {
        reviewer: "R".into(),
        reviewer_organisation: Some(org("southend-schools")),
        terms_of_reference: sealed(),
        occurred_at: instant(COMMISSIONED),
    }));
    assert_eq!(
        refused(given(with_reviewer_org).when(
            &manager(),
            later(),
            request("southend-schools", None)
        )),
        (Invalid, "sar.reviewer_not_independent")
    );
    // Once completed, no more reports.
    assert_eq!(
        refused(given(completed()).when(&manager(), later(), request("essex-police", None))),
        (Conflict, "sar.already_completed")
    );
}

// --- the family ---

#[test]
fn the_family_is_invited_once_the_review_is_commissioned() {
    assert_eq!(
        refused(given(decided()).when(&manager(), later(), invite(None))),
        (Conflict, "sar.not_commissioned")
    );
    let events = given(commissioned())
        .when(&manager(), later(), invite(None))
        .unwrap();
    assert_eq!(events, vec![CaseEvent::SarFamilyInvited(occurred(LATER))]);
    let history = and(commissioned(), events);
    assert_eq!(
        Case::replay(&history)
            .unwrap()
            .sar
            .unwrap()
            .family_invited_at,
        Some(later())
    );
    assert_eq!(
        refused(given(history).when(&manager(), later(), invite(None))),
        (Conflict, "sar.family_already_invited")
    );
    check_occurred_at(
        &given(commissioned()),
        &manager(),
        later(),
        COMMISSIONED,
        invite,
    );
}

// --- pauses ---

#[test]
fn a_pause_stops_the_review_until_it_resumes() {
    let events = given(commissioned())
        .when(&manager(), later(), pause(Some(instant(PAUSED))))
        .unwrap();
    assert_eq!(events, paused()[paused().len() - 1..].to_vec());
    let case = Case::replay(&paused()).unwrap();
    assert_eq!(case.stage, Stage::SarPaused);
    for (command, code) in [
        (pause(None), "sar.already_paused"),
        (complete(&[], None), "sar.paused"),
    ] {
        assert_eq!(
            refused(given(paused()).when(&manager(), later(), command)),
            (Conflict, code)
        );
    }
    // Reports and the family's invitation go on while paused.
    assert!(
        given(paused())
            .when(&manager(), later(), invite(None))
            .is_ok()
    );
    let events = given(paused())
        .when(&manager(), later(), resume(Some(instant(RESUMED))))
        .unwrap();
    assert_eq!(events, vec![CaseEvent::SarResumed(occurred(RESUMED))]);
    assert_eq!(
        Case::replay(&resumed()).unwrap().stage,
        Stage::SarInProgress
    );
    assert_eq!(
        refused(given(resumed()).when(&manager(), later(), resume(None))),
        (Conflict, "sar.not_paused")
    );
    check_occurred_at(&given(paused()), &manager(), later(), PAUSED, resume);
    // A later pause never overlaps the last.
    check_occurred_at(&given(resumed()), &manager(), later(), RESUMED, pause);
}

#[test]
fn a_review_may_pause_before_it_is_commissioned_but_not_be_commissioned_while_paused() {
    let history = and(
        decided(),
        [CaseEvent::SarPaused(SarPaused {
            reason: sealed(),
            occurred_at: instant(PAUSED),
        })],
    );
    assert_eq!(
        refused(given(history.clone()).when(&manager(), later(), commission(None, None))),
        (Conflict, "sar.paused")
    );
    let resumed = and(history, [CaseEvent::SarResumed(occurred(RESUMED))]);
    assert_eq!(Case::replay(&resumed).unwrap().stage, Stage::SarDecided);
    assert_eq!(
        refused(given(referred()).when(&manager(), later(), pause(None))),
        (Conflict, "sar.not_decided")
    );
}

// --- completion and publication ---

#[test]
fn completion_records_the_principles_with_findings_once() {
    let events = given(resumed())
        .when(
            &actor("southend-council", &[Role::Reviewer]),
            later(),
            complete(&[Protection, Prevention, Protection], None),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::SarCompleted(SarCompleted {
            principles_with_findings: vec![Prevention, Protection],
            findings: sealed(),
            occurred_at: later(),
        })]
    );
    assert_eq!(
        Case::replay(&completed()).unwrap().stage,
        Stage::SarCompleted
    );
    assert_eq!(
        refused(given(completed()).when(&manager(), later(), complete(&[], None))),
        (Conflict, "sar.already_completed")
    );
    assert_eq!(
        refused(given(decided()).when(&manager(), later(), complete(&[], None))),
        (Conflict, "sar.not_commissioned")
    );
    assert_eq!(
        refused(given(resumed()).when(&agency_user("suhft"), later(), complete(&[], None))),
        (Forbidden, "auth.role_required")
    );
    // Not before the review resumed.
    check_occurred_at(&given(resumed()), &manager(), later(), RESUMED, |at| {
        complete(&[], at)
    });
}

#[test]
fn a_completed_review_is_published_once() {
    assert_eq!(
        refused(given(resumed()).when(&manager(), later(), publish(None))),
        (Conflict, "sar.not_completed")
    );
    let events = given(completed())
        .when(&manager(), later(), publish(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::ReviewPublished(ReviewPublished {
            url: Some("https://example.org/sar/adult-b".into()),
            occurred_at: later(),
        })]
    );
    let history = and(completed(), events);
    let case = Case::replay(&history).unwrap();
    assert_eq!(case.stage, Stage::Published);
    assert!(case.sar.unwrap().published.is_some());
    assert_eq!(case.after.practice_review, None);
    assert_eq!(
        refused(given(history).when(&manager(), later(), publish(None))),
        (Conflict, "review.already_published")
    );
    check_occurred_at(&given(completed()), &manager(), later(), COMPLETED, publish);
}

#[test]
fn a_published_review_is_closed_and_takes_nothing_more() {
    let published = and(
        completed(),
        [CaseEvent::ReviewPublished(ReviewPublished {
            url: None,
            occurred_at: instant("2023-09-01T10:00:00Z"),
        })],
    );
    let close = CaseCommand::CloseCase(CloseCase {
        reason: ClosureReason::ReviewPublished,
        occurred_at: None,
    });
    let events = given(published.clone())
        .when(&manager(), later(), close)
        .unwrap();
    let closed = and(published, events);
    assert_eq!(Case::replay(&closed).unwrap().stage, Stage::Closed);
    assert_eq!(
        refused(given(closed).when(&manager(), later(), invite(None))),
        (Conflict, "case.closed")
    );
}

#[test]
fn a_commissioned_review_makes_recommendations() {
    let recommend = |occurred_at: When| {
        CaseCommand::AddRecommendation(commands::AddRecommendation {
            recommendation_id: uuid::Uuid::from_u128(11),
            text: "Agencies share self-neglect risk assessments.".into(),
            owners: vec![org("suhft")],
            due_on: date("2024-03-31"),
            occurred_at,
        })
    };
    assert_eq!(
        refused(given(decided()).when(&manager(), later(), recommend(None))),
        (Conflict, "review.not_commissioned")
    );
    check_occurred_at(
        &given(completed()),
        &manager(),
        later(),
        COMMISSIONED,
        recommend,
    );
    let events = given(completed())
        .when(&manager(), later(), recommend(None))
        .unwrap();
    let case = Case::replay(&and(completed(), events)).unwrap();
    assert!(case.involved.contains(&org("suhft")));
    assert!(
        case.deadlines(&southend())
            .iter()
            .any(|d| d.kind == DeadlineKind::Recommendation)
    );
}

// --- other kinds' commands ---

#[test]
fn commands_of_other_processes_are_refused_on_an_adult_case_and_the_sars_elsewhere() {
    let initiate = CaseCommand::InitiateRapidReview(At::default());
    assert_eq!(
        refused(given(referred()).when(&manager(), later(), initiate)),
        (Conflict, "case.wrong_kind")
    );
    let dhr_decision = CaseCommand::RecordDhrDecision(commands::RecordDhrDecision {
        conduct_review: true,
        rationale: sealed(),
        occurred_at: None,
    });
    assert_eq!(
        refused(given(referred()).when(&manager(), later(), dhr_decision)),
        (Conflict, "case.wrong_kind")
    );
    assert_eq!(
        refused(given(started()).when(&manager(), now(), decide_sar(SarDecision::Mandatory, None))),
        (Conflict, "case.wrong_kind")
    );
    assert_eq!(
        refused(given(started()).when(&manager(), now(), pause(None))),
        (Conflict, "case.wrong_kind")
    );
    // The child's agency reports are unchanged: still the rapid review's.
    let events = given(started())
        .when(&manager(), now(), request("suhft", None))
        .unwrap();
    let case = Case::replay(&and(started(), events)).unwrap();
    assert!(
        case.rapid_review
            .unwrap()
            .agency_reports
            .contains_key(&org("suhft"))
    );
    assert_eq!(case.sar, None);
}

// --- the completion deadline ---

#[test]
fn completion_is_due_six_months_after_the_decision() {
    let deadline = sar_deadline(&decided()).unwrap();
    // 1 February 2023 + 6 months = 1 August 2023, end of day (BST).
    assert_eq!(deadline.due_at, instant("2023-08-01T22:59:59.999999Z"));
    assert_eq!(deadline.original_due_at, None);
    let cal = &southend().calendar;
    assert_eq!(
        deadline.status(instant("2023-07-01T10:00:00Z"), cal),
        DeadlineStatus::Pending
    );
    assert_eq!(
        deadline.status(instant("2023-08-02T10:00:00Z"), cal),
        DeadlineStatus::Breached
    );
}

#[test]
fn paused_days_do_not_count_towards_completion() {
    // Paused 1 March, resumed 31 March: 30 days later than 1 August.
    let deadline = sar_deadline(&resumed()).unwrap();
    assert_eq!(deadline.due_at, instant("2023-08-31T22:59:59.999999Z"));
    assert_eq!(
        deadline.original_due_at,
        Some(instant("2023-08-01T22:59:59.999999Z"))
    );
    let cal = &southend().calendar;
    assert_eq!(
        deadline.status(instant("2023-08-20T10:00:00Z"), cal),
        DeadlineStatus::Pending
    );
    // Completed on 20 August: on time only because of the pause.
    let met = sar_deadline(&completed()).unwrap();
    assert_eq!(met.fulfilled_at, Some(instant(COMPLETED)));
    assert_eq!(met.status(later(), cal), DeadlineStatus::Met);
}

#[test]
fn while_paused_the_clock_stands_still() {
    let deadline = sar_deadline(&paused()).unwrap();
    let cal = &southend().calendar;
    assert_eq!(deadline.paused_since, Some(instant(PAUSED)));
    // Still paused on 2 October 2023: 215 days since 1 March, so due 3 March 2024 (GMT).
    assert_eq!(
        deadline.due_at_as_of(later()),
        instant("2024-03-03T23:59:59.999999Z")
    );
    assert_eq!(deadline.status(later(), cal), DeadlineStatus::Pending);
    assert_eq!(deadline.late_by(later(), cal), None);
    // Before the pause, the clock ran as usual.
    assert_eq!(
        deadline.due_at_as_of(instant("2023-02-20T10:00:00Z")),
        instant("2023-08-01T22:59:59.999999Z")
    );
    // A review paused when it was already late stays late.
    let late_pause = and(
        commissioned(),
        [CaseEvent::SarPaused(SarPaused {
            reason: sealed(),
            occurred_at: instant("2023-08-10T10:00:00Z"),
        })],
    );
    let late = sar_deadline(&late_pause).unwrap();
    assert_eq!(
        late.status(instant("2023-08-20T10:00:00Z"), cal),
        DeadlineStatus::Breached
    );
}

#[test]
fn closing_an_open_review_ends_its_deadline() {
    let closed = and(
        commissioned(),
        [CaseEvent::CaseClosed(CaseClosed {
            reason: ClosureReason::NotTakenForward,
            occurred_at: instant("2023-03-01T10:00:00Z"),
        })],
    );
    let deadline = sar_deadline(&closed).unwrap();
    assert_eq!(
        deadline.status(later(), &southend().calendar),
        DeadlineStatus::NotApplicable
    );
}

#[test]
fn an_adult_case_closes_after_a_decision_not_to_review_or_its_publication() {
    let close = |reason| {
        CaseCommand::CloseCase(CloseCase {
            reason,
            occurred_at: None,
        })
    };
    let bm = business_manager();
    let not_required = and(referred(), [decision(SarDecision::NotRequired, DECIDED)]);
    assert!(
        given(not_required)
            .when(&bm, later(), close(ClosureReason::NoReview))
            .is_ok()
    );
    let refusals = [
        (referred(), ClosureReason::NoReview, "closure.no_decision"),
        (decided(), ClosureReason::NoReview, "closure.review_decided"),
        (
            commissioned(),
            ClosureReason::ReviewPublished,
            "closure.not_published",
        ),
        (
            commissioned(),
            ClosureReason::NotTakenForward,
            "closure.reason_not_for_kind",
        ),
        (
            commissioned(),
            ClosureReason::PublicationWithheld,
            "closure.reason_not_for_kind",
        ),
    ];
    for (history, reason, code) in refusals {
        assert_eq!(
            refused(given(history).when(&bm, later(), close(reason))),
            (Conflict, code),
            "{reason:?}"
        );
    }
}

#[test]
fn a_paused_review_shows_both_its_original_and_its_extended_date() {
    let six_months = instant("2023-08-01T22:59:59.999999Z");
    let deadline = sar_deadline(&paused()).unwrap();
    // On the day of the pause nothing has moved yet: one date.
    let pause_day = instant("2023-03-01T18:00:00Z");
    assert_eq!(deadline.due_at_as_of(pause_day), six_months);
    assert_eq!(deadline.original_due_at_as_of(pause_day), None);
    // Ten days into the pause: extended to 11 August, the original 1 August still shown.
    let ten_days_in = instant("2023-03-11T10:00:00Z");
    assert_eq!(
        deadline.due_at_as_of(ten_days_in),
        instant("2023-08-11T22:59:59.999999Z")
    );
    assert_eq!(
        deadline.original_due_at_as_of(ten_days_in),
        Some(six_months)
    );
    // Resumed after 30 days: both dates stay.
    let extended = sar_deadline(&resumed()).unwrap();
    assert_eq!(
        extended.due_at_as_of(later()),
        instant("2023-08-31T22:59:59.999999Z")
    );
    assert_eq!(extended.original_due_at_as_of(later()), Some(six_months));
    // Paused again later: the original is still the six-month date, not the first extension.
    let paused_again = and(
        resumed(),
        [CaseEvent::SarPaused(SarPaused {
            reason: sealed(),
            occurred_at: instant("2023-04-10T10:00:00Z"),
        })],
    );
    let again = sar_deadline(&paused_again).unwrap();
    assert_eq!(
        again.due_at_as_of(instant("2023-04-20T10:00:00Z")),
        instant("2023-09-10T22:59:59.999999Z")
    );
    assert_eq!(
        again.original_due_at_as_of(instant("2023-04-20T10:00:00Z")),
        Some(six_months)
    );
    // A review never paused has one date.
    assert_eq!(
        sar_deadline(&decided())
            .unwrap()
            .original_due_at_as_of(later()),
        None
    );
}

#[test]
fn only_a_statutory_partner_records_the_boards_decision() {
    let decision = || decide_sar(SarDecision::Mandatory, None);
    for actor in [
        actor("eput", &[Role::PartnerDecisionMaker]),
        actor("suhft", &[Role::BusinessManager]),
    ] {
        assert_eq!(
            refused(given(referred()).when(&actor, later(), decision())),
            (Forbidden, "auth.statutory_partner_only")
        );
    }
    for actor in [
        decision_maker(StatutoryPartner::Health),
        decision_maker(StatutoryPartner::Police),
        manager(),
    ] {
        assert!(given(referred()).when(&actor, later(), decision()).is_ok());
    }
}

#[test]
fn a_safeguarding_adult_reviews_learning_is_shared_once_the_review_is_complete() {
    use crate::case::shared::learning::{DisseminationMethod, RecordLearningDisseminated};
    let share = || {
        CaseCommand::RecordLearningDisseminated(RecordLearningDisseminated {
            method: DisseminationMethod::LearningEvent,
            organisations: vec![org("essex-police")],
            people_reached: Some(35),
            occurred_at: None,
        })
    };
    assert_eq!(
        refused(given(commissioned()).when(&manager(), later(), share())),
        (ErrorKind::Conflict, "case.wrong_stage")
    );
    let events = given(completed())
        .when(&manager(), later(), share())
        .unwrap();
    assert_eq!(events[0].event_type(), "LearningDisseminated");
    assert_eq!(events[0].occurred_at(), later());
}
