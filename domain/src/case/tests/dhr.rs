//! The domestic homicide review: notification, decision within a month, commissioning,
//! completion within 6 months, the Home Office quality assurance panel, publication.

use super::*;
use crate::case::commands::{
    At, CommissionDhr, CompleteDhr, NotifyDomesticHomicide, PersonDetails, PublishReview,
    RecordDhrDecision, RecordDhrFamilyInvolvement, RecordDhrQaOutcome,
};
use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, DomesticHomicideNotified, FamilyInvolvement, QaOutcome, Relationship,
};
use crate::case::practice_review::ReviewPublished;
use crate::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use ErrorKind::{Conflict, Forbidden, Invalid};

type When = Option<DateTime<Utc>>;

/// The story: the victim died on Sunday 9 April 2023; the police notified the partnership on
/// Tuesday 18 April; a review was decided on 11 May, commissioned on 1 June, completed on 30
/// November, submitted to the Home Office on 6 December and published in 2024.
const DIED: &str = "2023-04-09";
const NOTIFIED: &str = "2023-04-18T15:00:00Z";
const DECIDED: &str = "2023-05-11T13:00:00Z";
const COMMISSIONED: &str = "2023-06-01T10:00:00Z";
const COMPLETED: &str = "2023-11-30T15:00:00Z";
const SUBMITTED: &str = "2023-12-06T10:30:00Z";
const LATER: &str = "2024-02-01T12:00:00Z";

fn later() -> DateTime<Utc> {
    instant(LATER)
}

fn police() -> Actor {
    actor("essex-police", &[Role::Notifier])
}

fn notify_command() -> NotifyDomesticHomicide {
    NotifyDomesticHomicide {
        case_id: case_id(),
        victim: PersonDetails {
            reference: "EP-DH-2023-014".into(),
            date_of_birth: date("1975-06-30"),
            sex: "female".into(),
            ethnicity: "Black British".into(),
        },
        personal_data: sealed(),
        date_of_death: date(DIED),
        relationship: Relationship::FormerIntimatePartner,
        violence_abuse_or_neglect: AbuseOrNeglect::Suspected,
        occurred_at: None,
    }
}

fn notify(change: impl FnOnce(&mut NotifyDomesticHomicide)) -> CaseCommand {
    let mut command = notify_command();
    change(&mut command);
    CaseCommand::NotifyDomesticHomicide(command)
}

fn notified() -> Vec<CaseEvent> {
    vec![CaseEvent::DomesticHomicideNotified(
        DomesticHomicideNotified {
            case_id: case_id(),
            notified_by: org("essex-police"),
            victim: PersonProfile {
                reference: "EP-DH-2023-014".into(),
                age_band: AdultAgeBand::From45To54,
                sex: "female".into(),
                ethnicity: "Black British".into(),
            },
            personal_data: sealed(),
            date_of_death: date(DIED),
            relationship: Some(Relationship::FormerIntimatePartner),
            violence_abuse_or_neglect: Some(AbuseOrNeglect::Suspected),
            occurred_at: instant(NOTIFIED),
        },
    )]
}

fn decision(conduct_review: bool, at: &str) -> CaseEvent {
    CaseEvent::DhrDecisionRecorded(DhrDecisionRecorded {
        conduct_review,
        rationale: sealed(),
        occurred_at: instant(at),
    })
}

fn decided() -> Vec<CaseEvent> {
    and(notified(), [decision(true, DECIDED)])
}

fn commissioned() -> Vec<CaseEvent> {
    and(
        decided(),
        [CaseEvent::DhrCommissioned(DhrCommissioned {
            chair: "Idris Falconbridge".into(),
            terms_of_reference: sealed(),
            occurred_at: instant(COMMISSIONED),
        })],
    )
}

fn completed() -> Vec<CaseEvent> {
    and(
        commissioned(),
        [CaseEvent::DhrCompleted(DhrCompleted {
            overview: sealed(),
            occurred_at: instant(COMPLETED),
        })],
    )
}

fn submitted() -> Vec<CaseEvent> {
    and(
        completed(),
        [CaseEvent::DhrSubmittedToHomeOffice(occurred(SUBMITTED))],
    )
}

const APPROVED: &str = "2024-01-20T10:00:00Z";

fn qa(outcome: QaOutcome, at: &str) -> CaseEvent {
    CaseEvent::DhrQaOutcomeRecorded(DhrQaOutcomeRecorded {
        outcome,
        occurred_at: instant(at),
    })
}

fn approved() -> Vec<CaseEvent> {
    and(
        submitted(),
        [qa(QaOutcome::ApprovedForPublication, APPROVED)],
    )
}

fn record_qa(outcome: QaOutcome, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordDhrQaOutcome(RecordDhrQaOutcome {
        outcome,
        occurred_at,
    })
}

fn family(involvement: FamilyInvolvement, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordDhrFamilyInvolvement(RecordDhrFamilyInvolvement {
        involvement,
        occurred_at,
    })
}

fn family_step(involvement: FamilyInvolvement, at: &str) -> CaseEvent {
    CaseEvent::DhrFamilyInvolvementRecorded(DhrFamilyInvolvementRecorded {
        involvement,
        occurred_at: instant(at),
    })
}

fn notify_home_office(occurred_at: When) -> CaseCommand {
    CaseCommand::NotifyHomeOfficeOfDhrDecision(At { occurred_at })
}

fn decide_dhr(conduct_review: bool, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordDhrDecision(RecordDhrDecision {
        conduct_review,
        rationale: sealed(),
        occurred_at,
    })
}

fn commission(occurred_at: When) -> CaseCommand {
    CaseCommand::CommissionDhr(CommissionDhr {
        chair: " Idris Falconbridge ".into(),
        terms_of_reference: sealed(),
        occurred_at,
    })
}

fn complete(occurred_at: When) -> CaseCommand {
    CaseCommand::CompleteDhr(CompleteDhr {
        overview: sealed(),
        occurred_at,
    })
}

fn submit(occurred_at: When) -> CaseCommand {
    CaseCommand::SubmitDhrToHomeOffice(At { occurred_at })
}

fn publish(occurred_at: When) -> CaseCommand {
    CaseCommand::PublishReview(PublishReview {
        url: None,
        occurred_at,
    })
}

fn deadline(events: &[CaseEvent], kind: DeadlineKind) -> Option<Deadline> {
    Case::replay(events)
        .unwrap()
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == kind)
}

// --- notification ---

#[test]
fn a_notification_opens_a_domestic_homicide_case() {
    let events = given(vec![])
        .when(&police(), instant(NOTIFIED), notify(|_| {}))
        .unwrap();
    assert_eq!(events, notified());
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.kind, CaseKind::DomesticHomicide);
    assert_eq!(case.stage, Stage::DhrNotified);
    assert_eq!(case.reference(), "EP-DH-2023-014");
    assert_eq!(case.person().unwrap().age_band, AdultAgeBand::From45To54);
    assert_eq!(case.opened_by(), &org("essex-police"));
}

#[test]
fn a_notification_comes_from_a_notifier_a_partner_or_the_business_manager() {
    for by in [
        police(),
        decision_maker(StatutoryPartner::Health),
        business_manager(),
    ] {
        assert!(
            given(vec![])
                .when(&by, instant(NOTIFIED), notify(|_| {}))
                .is_ok()
        );
    }
    assert_eq!(
        refused(given(vec![]).when(&agency_user("suhft"), instant(NOTIFIED), notify(|_| {}))),
        (Forbidden, "auth.role_required")
    );
    assert_eq!(
        refused(given(notified()).when(&police(), later(), notify(|_| {}))),
        (Conflict, "case.already_exists")
    );
}

#[test]
fn a_domestic_homicide_review_is_for_a_victim_aged_16_or_over() {
    let err = given(vec![])
        .when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.victim.date_of_birth = date("2007-04-10")),
        )
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code),
        (Invalid, "notification.criteria_not_met")
    );
    assert!(err.message.contains("16 or over"), "{}", err.message);
    let events = given(vec![])
        .when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.victim.date_of_birth = date("2007-04-09")),
        )
        .unwrap();
    let CaseEvent::DomesticHomicideNotified(notified) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(notified.victim.age_band, AdultAgeBand::From16To17);
}

#[test]
fn a_notification_checks_its_dates() {
    assert_eq!(
        refused_field(given(vec![]).when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.date_of_death = date("2023-04-19"))
        )),
        (Invalid, "date.in_future", "date_of_death".into())
    );
    assert_eq!(
        refused_field(given(vec![]).when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.victim.date_of_birth = date("2023-04-10"))
        )),
        (Invalid, "date.after_death", "victim.date_of_birth".into())
    );
    assert_eq!(
        refused_field(given(vec![]).when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.victim.ethnicity = String::new())
        )),
        (Invalid, "field.required", "victim.ethnicity".into())
    );
    // Not before the day of the death (BST: it began at 23:00 the day before in UTC).
    check_occurred_at(
        &given(vec![]),
        &police(),
        instant(NOTIFIED),
        "2023-04-08T23:00:00Z",
        |at| notify(|c| c.occurred_at = at),
    );
}

// --- decision, commissioning, completion ---

#[test]
fn the_decision_is_recorded_once() {
    let events = given(notified())
        .when(&business_manager(), later(), decide_dhr(true, None))
        .unwrap();
    assert_eq!(events, vec![decision(true, LATER)]);
    assert_eq!(
        Case::replay(&and(notified(), events)).unwrap().stage,
        Stage::DhrDecided
    );
    assert!(
        given(notified())
            .when(
                &decision_maker(StatutoryPartner::Police),
                later(),
                decide_dhr(false, None)
            )
            .is_ok()
    );
    assert_eq!(
        refused(given(decided()).when(&business_manager(), later(), decide_dhr(false, None))),
        (Conflict, "dhr.already_decided")
    );
    assert_eq!(
        refused(given(notified()).when(&police(), later(), decide_dhr(true, None))),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(
        &given(notified()),
        &business_manager(),
        later(),
        NOTIFIED,
        |at| decide_dhr(true, at),
    );
}

#[test]
fn a_review_is_commissioned_once_when_one_was_decided() {
    assert_eq!(
        refused(given(notified()).when(&business_manager(), later(), commission(None))),
        (Conflict, "dhr.not_decided")
    );
    let no_review = and(notified(), [decision(false, DECIDED)]);
    assert_eq!(
        refused(given(no_review).when(&business_manager(), later(), commission(None))),
        (Conflict, "dhr.not_required")
    );
    let events = given(decided())
        .when(&business_manager(), later(), commission(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::DhrCommissioned(DhrCommissioned {
            chair: "Idris Falconbridge".into(),
            terms_of_reference: sealed(),
            occurred_at: later(),
        })]
    );
    assert_eq!(
        Case::replay(&commissioned()).unwrap().stage,
        Stage::DhrInProgress
    );
    assert_eq!(
        refused(given(commissioned()).when(&business_manager(), later(), commission(None))),
        (Conflict, "dhr.already_commissioned")
    );
    check_occurred_at(
        &given(decided()),
        &business_manager(),
        later(),
        DECIDED,
        commission,
    );
}

#[test]
fn the_overview_report_is_completed_once_after_commissioning() {
    assert_eq!(
        refused(given(decided()).when(&business_manager(), later(), complete(None))),
        (Conflict, "dhr.not_commissioned")
    );
    let events = given(commissioned())
        .when(
            &actor("southend-council", &[Role::Reviewer]),
            later(),
            complete(None),
        )
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        Case::replay(&completed()).unwrap().stage,
        Stage::DhrCompleted
    );
    assert_eq!(
        refused(given(completed()).when(&business_manager(), later(), complete(None))),
        (Conflict, "dhr.already_completed")
    );
    check_occurred_at(
        &given(commissioned()),
        &business_manager(),
        later(),
        COMMISSIONED,
        complete,
    );
}

#[test]
fn the_completed_review_goes_to_the_home_office_then_is_published() {
    assert_eq!(
        refused(given(commissioned()).when(&business_manager(), later(), submit(None))),
        (Conflict, "dhr.not_completed")
    );
    assert_eq!(
        refused(given(completed()).when(&business_manager(), later(), publish(None))),
        (Conflict, "dhr.not_submitted_to_home_office")
    );
    let events = given(completed())
        .when(&business_manager(), later(), submit(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::DhrSubmittedToHomeOffice(occurred(LATER))]
    );
    assert_eq!(
        Case::replay(&submitted()).unwrap().stage,
        Stage::SubmittedToHomeOffice
    );
    assert_eq!(
        refused(given(submitted()).when(&business_manager(), later(), submit(None))),
        (Conflict, "dhr.already_submitted")
    );
    check_occurred_at(
        &given(completed()),
        &business_manager(),
        later(),
        COMPLETED,
        submit,
    );

    assert_eq!(
        refused(given(submitted()).when(&business_manager(), later(), publish(None))),
        (Conflict, "dhr.qa_outcome_pending")
    );
    let events = given(approved())
        .when(&business_manager(), later(), publish(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::ReviewPublished(ReviewPublished {
            url: None,
            occurred_at: later(),
        })]
    );
    let published = and(approved(), events);
    let case = Case::replay(&published).unwrap();
    assert_eq!(case.stage, Stage::Published);
    assert!(case.dhr.unwrap().published.is_some());
    assert_eq!(
        refused(given(published).when(&business_manager(), later(), publish(None))),
        (Conflict, "review.already_published")
    );
    check_occurred_at(
        &given(approved()),
        &business_manager(),
        later(),
        APPROVED,
        publish,
    );
}

#[test]
fn commands_of_other_processes_are_refused_on_a_domestic_homicide_case() {
    for command in [
        CaseCommand::InitiateRapidReview(At::default()),
        CaseCommand::RecordFamilyInvited(At::default()),
        CaseCommand::RequestAgencyReport(commands::ForOrganisation {
            organisation: org("suhft"),
            occurred_at: None,
        }),
    ] {
        assert_eq!(
            refused(given(decided()).when(&business_manager(), later(), command)),
            (Conflict, "case.wrong_kind")
        );
    }
    assert_eq!(
        refused(given(started()).when(&business_manager(), now(), submit(None))),
        (Conflict, "case.wrong_kind")
    );
}

// --- deadlines ---

#[test]
fn the_decision_is_due_a_month_after_the_notification() {
    let due = deadline(&notified(), DeadlineKind::DhrDecision).unwrap();
    // Notified 18 April 2023: due at the end of 18 May (BST).
    assert_eq!(due.due_at, instant("2023-05-18T22:59:59.999999Z"));
    assert_eq!(due.fulfilled_at, None);
    let cal = &southend().calendar;
    assert_eq!(
        due.status(instant("2023-05-01T10:00:00Z"), cal),
        DeadlineStatus::Pending
    );
    assert_eq!(
        due.status(instant("2023-05-18T10:00:00Z"), cal),
        DeadlineStatus::DueSoon
    );
    assert_eq!(
        due.status(instant("2023-05-19T10:00:00Z"), cal),
        DeadlineStatus::Breached
    );
    let met = deadline(&decided(), DeadlineKind::DhrDecision).unwrap();
    assert_eq!(met.status(later(), cal), DeadlineStatus::Met);
    let late = deadline(
        &and(notified(), [decision(true, "2023-05-22T10:00:00Z")]),
        DeadlineKind::DhrDecision,
    )
    .unwrap();
    assert_eq!(late.status(later(), cal), DeadlineStatus::MetLate);
    assert_eq!(deadline(&notified(), DeadlineKind::DhrCompletion), None);
}

#[test]
fn completion_is_due_six_months_after_a_decision_to_review() {
    let due = deadline(&decided(), DeadlineKind::DhrCompletion).unwrap();
    // Decided 11 May 2023: due at the end of 11 November (GMT).
    assert_eq!(due.due_at, instant("2023-11-11T23:59:59.999999Z"));
    let cal = &southend().calendar;
    let late = deadline(&completed(), DeadlineKind::DhrCompletion).unwrap();
    assert_eq!(late.status(later(), cal), DeadlineStatus::MetLate);
    let no_review = and(notified(), [decision(false, DECIDED)]);
    assert_eq!(deadline(&no_review, DeadlineKind::DhrCompletion), None);
}

#[test]
fn a_domestic_homicide_case_closes_after_a_decision_not_to_review_or_its_publication() {
    use crate::case::commands::CloseCase;
    use crate::case::practice_review::ClosureReason;
    let close = |reason| {
        CaseCommand::CloseCase(CloseCase {
            reason,
            occurred_at: None,
        })
    };
    let bm = business_manager();
    let no_review = and(notified(), [decision(false, DECIDED)]);
    assert!(
        given(no_review)
            .when(&bm, later(), close(ClosureReason::NoReview))
            .is_ok()
    );
    let refusals = [
        (notified(), ClosureReason::NoReview, "closure.no_decision"),
        (decided(), ClosureReason::NoReview, "closure.review_decided"),
        (
            submitted(),
            ClosureReason::ReviewPublished,
            "closure.not_published",
        ),
        (
            decided(),
            ClosureReason::CriteriaNotMet,
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

// --- the relationship test of DVCVA 2004 s9(1) ---

#[test]
fn a_notification_records_the_relationship_test() {
    for relationship in [
        Relationship::Relative,
        Relationship::IntimatePartner,
        Relationship::FormerIntimatePartner,
        Relationship::HouseholdMember,
    ] {
        for cause in [AbuseOrNeglect::Known, AbuseOrNeglect::Suspected] {
            let events = given(vec![])
                .when(
                    &police(),
                    instant(NOTIFIED),
                    notify(|c| {
                        c.relationship = relationship;
                        c.violence_abuse_or_neglect = cause;
                    }),
                )
                .unwrap();
            let CaseEvent::DomesticHomicideNotified(notified) = &events[0] else {
                panic!("{events:?}")
            };
            assert_eq!(notified.relationship, Some(relationship));
            assert_eq!(notified.violence_abuse_or_neglect, Some(cause));
        }
    }
}

#[test]
fn a_notification_that_fails_the_relationship_test_is_refused() {
    let err = given(vec![])
        .when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.relationship = Relationship::Other),
        )
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code, err.field_errors[0].field.as_str()),
        (Invalid, "dhr.relationship_test_not_met", "relationship")
    );
    assert!(err.message.contains("s9(1)"), "{}", err.message);
    assert_eq!(
        refused_field(given(vec![]).when(
            &police(),
            instant(NOTIFIED),
            notify(|c| c.violence_abuse_or_neglect = AbuseOrNeglect::NotSuspected)
        )),
        (
            Invalid,
            "dhr.relationship_test_not_met",
            "violence_abuse_or_neglect".into()
        )
    );
}

// --- the Home Office told of the decision ---

#[test]
fn the_home_office_is_told_of_the_decision_within_the_month() {
    // No decision, nothing to tell.
    assert_eq!(
        deadline(&notified(), DeadlineKind::DhrHomeOfficeNotification),
        None
    );
    assert_eq!(
        refused(given(notified()).when(&business_manager(), later(), notify_home_office(None))),
        (Conflict, "dhr.not_decided")
    );
    // Decided on 11 May: the Home Office is due to know by the end of 18 May (BST), when the
    // decision itself was due.
    let due = deadline(&decided(), DeadlineKind::DhrHomeOfficeNotification).unwrap();
    assert_eq!(due.due_at, instant("2023-05-18T22:59:59.999999Z"));
    assert_eq!(due.kind.fulfilled_by(), "NotifyHomeOfficeOfDhrDecision");
    let cal = &southend().calendar;
    assert_eq!(
        due.status(instant("2023-05-19T00:00:00Z"), cal),
        DeadlineStatus::Breached
    );
    let events = given(decided())
        .when(
            &business_manager(),
            later(),
            notify_home_office(Some(instant("2023-05-12T09:15:00Z"))),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::DhrDecisionNotifiedToHomeOffice(occurred(
            "2023-05-12T09:15:00Z"
        ))]
    );
    let told = and(decided(), events);
    let met = deadline(&told, DeadlineKind::DhrHomeOfficeNotification).unwrap();
    assert_eq!(met.status(later(), cal), DeadlineStatus::Met);
    assert_eq!(
        Case::replay(&told)
            .unwrap()
            .dhr
            .unwrap()
            .home_office_notified_at,
        Some(instant("2023-05-12T09:15:00Z"))
    );
    assert_eq!(
        refused(given(told).when(&business_manager(), later(), notify_home_office(None))),
        (Conflict, "dhr.home_office_already_notified")
    );
    assert_eq!(
        refused(given(decided()).when(&police(), later(), notify_home_office(None))),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(
        &given(decided()),
        &business_manager(),
        later(),
        DECIDED,
        notify_home_office,
    );
}

#[test]
fn a_decision_not_to_review_is_told_to_the_home_office_too() {
    // Decided late, on Monday 22 May, not to review: due by the end of that day.
    let no_review = and(notified(), [decision(false, "2023-05-22T10:00:00Z")]);
    let due = deadline(&no_review, DeadlineKind::DhrHomeOfficeNotification).unwrap();
    assert_eq!(due.due_at, instant("2023-05-22T22:59:59.999999Z"));
    assert!(
        given(no_review)
            .when(&business_manager(), later(), notify_home_office(None))
            .is_ok()
    );
}

// --- the Home Office quality assurance panel ---

#[test]
fn publication_waits_for_the_quality_assurance_panels_approval() {
    assert_eq!(
        refused(given(completed()).when(
            &business_manager(),
            later(),
            record_qa(QaOutcome::ApprovedForPublication, None)
        )),
        (Conflict, "dhr.not_submitted_to_home_office")
    );
    // Submitted, no outcome yet: no publication.
    assert_eq!(
        refused(given(submitted()).when(&business_manager(), later(), publish(None))),
        (Conflict, "dhr.qa_outcome_pending")
    );
    let events = given(submitted())
        .when(
            &business_manager(),
            later(),
            record_qa(QaOutcome::ApprovedForPublication, Some(instant(APPROVED))),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![qa(QaOutcome::ApprovedForPublication, APPROVED)]
    );
    assert_eq!(
        refused(given(approved()).when(
            &business_manager(),
            later(),
            record_qa(QaOutcome::ApprovedForPublication, None)
        )),
        (Conflict, "dhr.qa_outcome_already_recorded")
    );
    assert_eq!(
        refused(given(approved()).when(&business_manager(), later(), submit(None))),
        (Conflict, "dhr.already_submitted")
    );
    check_occurred_at(
        &given(submitted()),
        &business_manager(),
        later(),
        SUBMITTED,
        |at| record_qa(QaOutcome::ApprovedForPublication, at),
    );
}

#[test]
fn a_resubmission_request_sends_the_report_back_before_publication() {
    let asked = and(
        submitted(),
        [qa(QaOutcome::ResubmissionRequested, "2024-01-10T10:00:00Z")],
    );
    assert_eq!(Case::replay(&asked).unwrap().stage, Stage::DhrCompleted);
    assert_eq!(
        refused(given(asked.clone()).when(&business_manager(), later(), publish(None))),
        (Conflict, "dhr.resubmission_requested")
    );
    check_occurred_at(
        &given(asked.clone()),
        &business_manager(),
        later(),
        "2024-01-10T10:00:00Z",
        submit,
    );
    let resubmitted = and(
        asked,
        [CaseEvent::DhrSubmittedToHomeOffice(occurred(
            "2024-01-15T10:00:00Z",
        ))],
    );
    let case = Case::replay(&resubmitted).unwrap();
    assert_eq!(case.stage, Stage::SubmittedToHomeOffice);
    assert_eq!(case.dhr.as_ref().unwrap().qa_outcome, None);
    // The new submission awaits its own outcome.
    assert_eq!(
        refused(given(resubmitted.clone()).when(&business_manager(), later(), publish(None))),
        (Conflict, "dhr.qa_outcome_pending")
    );
    let approved = and(
        resubmitted,
        [qa(QaOutcome::ApprovedForPublication, APPROVED)],
    );
    assert!(
        given(approved)
            .when(&business_manager(), later(), publish(None))
            .is_ok()
    );
}

// --- the family's involvement ---

#[test]
fn the_family_is_invited_then_contributes_or_declines() {
    use FamilyInvolvement::{Contributed, Declined, Invited};
    assert_eq!(
        refused(given(notified()).when(&business_manager(), later(), family(Invited, None))),
        (Conflict, "dhr.not_decided")
    );
    let no_review = and(notified(), [decision(false, DECIDED)]);
    assert_eq!(
        refused(given(no_review).when(&business_manager(), later(), family(Invited, None))),
        (Conflict, "dhr.not_required")
    );
    assert_eq!(
        refused(given(decided()).when(&business_manager(), later(), family(Contributed, None))),
        (Conflict, "dhr.family_not_invited")
    );
    check_occurred_at(
        &given(decided()),
        &business_manager(),
        later(),
        DECIDED,
        |at| family(Invited, at),
    );
    let invited = and(decided(), [family_step(Invited, "2023-05-15T14:30:00Z")]);
    assert_eq!(
        refused(given(invited.clone()).when(&business_manager(), later(), family(Invited, None))),
        (Conflict, "dhr.family_step_already_recorded")
    );
    check_occurred_at(
        &given(invited.clone()),
        &business_manager(),
        later(),
        "2023-05-15T14:30:00Z",
        |at| family(Contributed, at),
    );
    let contributed = and(invited, [family_step(Contributed, "2023-07-01T10:00:00Z")]);
    assert_eq!(
        refused(given(contributed.clone()).when(
            &business_manager(),
            later(),
            family(Declined, None)
        )),
        (Conflict, "dhr.family_already_answered")
    );
    let review = Case::replay(&contributed).unwrap().dhr.unwrap();
    assert_eq!(
        review.family_step(Contributed),
        Some(instant("2023-07-01T10:00:00Z"))
    );
    assert_eq!(
        refused(given(decided()).when(&police(), later(), family(Invited, None))),
        (Forbidden, "auth.role_required")
    );
    // Nothing more after publication.
    let published = and(
        approved(),
        [CaseEvent::ReviewPublished(ReviewPublished {
            url: None,
            occurred_at: instant("2024-02-01T10:00:00Z"),
        })],
    );
    assert_eq!(
        refused(given(published).when(&business_manager(), later(), family(Invited, None))),
        (Conflict, "review.already_published")
    );
}

#[test]
fn only_a_statutory_partner_decides_on_a_review() {
    for actor in [
        actor("southend-schools", &[Role::BusinessManager]),
        actor("essex-crc", &[Role::PartnerDecisionMaker]),
    ] {
        assert_eq!(
            refused(given(notified()).when(&actor, later(), decide_dhr(true, None))),
            (Forbidden, "auth.statutory_partner_only")
        );
    }
    assert!(
        given(notified())
            .when(
                &decision_maker(StatutoryPartner::Police),
                later(),
                decide_dhr(true, None)
            )
            .is_ok()
    );
}

#[test]
fn a_domestic_homicide_reviews_learning_is_shared_once_its_overview_report_is_complete() {
    use crate::case::shared::learning::{DisseminationMethod, RecordLearningDisseminated};
    let share = |occurred_at| {
        CaseCommand::RecordLearningDisseminated(RecordLearningDisseminated {
            method: DisseminationMethod::Training,
            organisations: vec![org("southend-council"), org("essex-police")],
            people_reached: None,
            occurred_at,
        })
    };
    let bm = business_manager();
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), share(None))),
        (ErrorKind::Conflict, "case.wrong_stage")
    );
    check_occurred_at(&given(completed()), &bm, later(), COMPLETED, share);
}
