//! The domestic homicide review: notification, decision within a month, commissioning,
//! completion within 6 months, the Home Office quality assurance panel, publication.

use super::*;
use crate::case::commands::{
    At, CommissionDhr, CompleteDhr, NotifyDomesticHomicide, PersonDetails, PublishReview,
    RecordDhrDecision,
};
use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DomesticHomicideNotified,
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

    let events = given(submitted())
        .when(&business_manager(), later(), publish(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::ReviewPublished(ReviewPublished {
            url: None,
            occurred_at: later(),
        })]
    );
    let published = and(submitted(), events);
    let case = Case::replay(&published).unwrap();
    assert_eq!(case.stage, Stage::Published);
    assert!(case.dhr.unwrap().published.is_some());
    assert_eq!(
        refused(given(published).when(&business_manager(), later(), publish(None))),
        (Conflict, "review.already_published")
    );
    check_occurred_at(
        &given(submitted()),
        &business_manager(),
        later(),
        SUBMITTED,
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
