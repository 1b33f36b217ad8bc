//! CloseCase: a closed case takes nothing more but the completion of its recommendations'
//! actions.

use super::*;
use crate::case::commands::{
    AgreeModifiedResponse, AgreeReviewLead, ForOrganisation, NamePartnerLead, RecordDraftMilestone,
    RecordPartnerDecision, RecordRapidReviewMeeting, ReferCaseForConsideration, SubmitAgencyReport,
};
use std::collections::BTreeSet;

#[test]
fn close_case_with_its_reason() {
    let cases = [
        (published(), ClosureReason::ReviewPublished),
        (withheld(), ClosureReason::PublicationWithheld),
        (
            and(submitted_with(NoLcspr), [panel_responded(true, RESPONDED)]),
            ClosureReason::NoReview,
        ),
        // A notified case that on reflection did not meet the criteria, closed during the
        // rapid review, before the partners' decision.
        (started(), ClosureReason::CriteriaNotMet),
        (
            and(
                submitted_with(NoLcspr),
                [
                    panel_responded(false, RESPONDED),
                    reconsidered(ReconsideredOutcome::Adhere, RECONSIDERED),
                ],
            ),
            ClosureReason::NoReview,
        ),
        (referral(), ClosureReason::NotTakenForward),
    ];
    for (history, reason) in cases {
        let events = given(history.clone())
            .when(&business_manager(), later(), close(reason, None))
            .unwrap();
        assert_eq!(events, vec![case_closed(reason, LATER)]);
        let case = Case::replay(&and(history, events)).unwrap();
        assert_eq!(case.stage, Stage::Closed);
        assert_eq!(
            case.after.closed,
            Some(CaseClosed {
                reason,
                occurred_at: later(),
            })
        );
    }
}

#[test]
fn close_case_refusals() {
    assert_eq!(
        refused(given(closed()).when(
            &business_manager(),
            later(),
            close(ClosureReason::ReviewPublished, None)
        )),
        (Conflict, "case.closed")
    );
    // Closed as soon as it was opened, e.g. a notification withdrawn.
    check_occurred_at(
        &given(vec![notified_on("2022-09-08", NOTIFIED)]),
        &business_manager(),
        later(),
        NOTIFIED,
        |at| close(ClosureReason::CriteriaNotMet, at),
    );
}

/// A child referred for consideration by the hospital trust, nothing else done.
fn referral() -> Vec<CaseEvent> {
    given(vec![])
        .when(&agency_user("suhft"), instant(NOTIFIED), refer())
        .unwrap()
}

fn refer() -> CaseCommand {
    CaseCommand::ReferCaseForConsideration(ReferCaseForConsideration {
        case_id: case_id(),
        child: notify().child,
        personal_data: sealed(),
        incident_date: date("2022-09-01"),
        occurred_at: None,
    })
}

#[test]
fn a_closure_reason_must_fit_the_case() {
    use ClosureReason::{CriteriaNotMet, NoReview, NotTakenForward, PublicationWithheld};
    let refusals = [
        // No review: only after a decision against an LCSPR that the Panel has answered.
        (started(), NoReview, "closure.no_decision"),
        (submitted_with(Lcspr), NoReview, "closure.review_decided"),
        (
            submitted_with(NoLcspr),
            NoReview,
            "closure.no_panel_response",
        ),
        (
            and(submitted_with(NoLcspr), [panel_responded(false, RESPONDED)]),
            NoReview,
            "closure.reconsideration_pending",
        ),
        (
            reconsidered_into(NoLcspr, ReconsideredOutcome::Commission),
            NoReview,
            "closure.review_decided",
        ),
        // The example: an LCSPR decided, no Panel response, closed as "no review".
        (commissioned(), NoReview, "closure.review_decided"),
        (
            commissioned(),
            ClosureReason::ReviewPublished,
            "closure.not_published",
        ),
        (commissioned(), PublicationWithheld, "closure.not_withheld"),
        (published(), PublicationWithheld, "closure.not_withheld"),
        // Not taken forward: a referral only, before any rapid review. The example: a
        // case notified to the Panel with no rapid review.
        (
            vec![
                notified_on("2022-09-08", NOTIFIED),
                panel_notified("2022-09-09", "2022-09-09T10:00:00Z"),
            ],
            NotTakenForward,
            "closure.not_a_referral",
        ),
        (
            and(
                referral(),
                [initiated(
                    crate::partnership::ClockStart::Initiation,
                    INITIATED,
                )],
            ),
            NotTakenForward,
            "closure.referral_taken_forward",
        ),
        // Criteria not met: a notification, before the partners decided.
        (referral(), CriteriaNotMet, "closure.not_a_notification"),
        (decided(), CriteriaNotMet, "closure.decision_reached"),
    ];
    for (history, reason, code) in refusals {
        assert_eq!(
            refused(given(history).when(&business_manager(), later(), close(reason, None))),
            (Conflict, code),
            "{reason:?}"
        );
    }
}

/// One of every command a child case takes, with who would send it were the case open.
fn every_case_command() -> Vec<(Actor, CaseCommand)> {
    use CaseCommand as C;
    let bm = business_manager;
    let suhft = || ForOrganisation {
        organisation: org("suhft"),
        occurred_at: None,
    };
    vec![
        (notifier(), C::NotifyIncident(notify())),
        (
            agency_user("suhft"),
            C::ReferCaseForConsideration(ReferCaseForConsideration {
                case_id: case_id(),
                child: notify().child,
                personal_data: sealed(),
                incident_date: date("2022-12-20"),
                occurred_at: None,
            }),
        ),
        (
            notifier(),
            C::RecordPanelNotification(crate::case::RecordPanelNotification {
                panel_reference: "CSPRP-2022-0909".into(),
                submitted_on: date("2022-09-09"),
                occurred_at: None,
            }),
        ),
        (bm(), C::InitiateRapidReview(At::default())),
        (bm(), C::RecordPartnersNotified(At::default())),
        (
            decision_maker(Health),
            C::NamePartnerLead(NamePartnerLead {
                partner: Health,
                lead_name: "Dr Ann Lee".into(),
                occurred_at: None,
            }),
        ),
        (
            bm(),
            C::AgreeReviewLead(AgreeReviewLead {
                lead_name: "Alex Reid".into(),
                organisation: org("southend-council"),
                occurred_at: None,
            }),
        ),
        (
            bm(),
            C::AgreeModifiedResponse(AgreeModifiedResponse {
                rationale: sealed(),
                occurred_at: None,
            }),
        ),
        (bm(), C::RequestAgencyReport(suhft())),
        (
            agency_user("suhft"),
            C::SubmitAgencyReport(SubmitAgencyReport {
                organisation: org("suhft"),
                report: sealed(),
                occurred_at: None,
            }),
        ),
        (bm(), C::CirculateAgencyReports(At::default())),
        (
            bm(),
            C::RecordRapidReviewMeeting(RecordRapidReviewMeeting {
                attendees: TEAM.iter().map(|slug| org(slug)).collect(),
                service_manager_present: true,
                occurred_at: None,
            }),
        ),
        (
            reviewer(),
            C::RecordDraftMilestone(RecordDraftMilestone {
                milestone: DraftMilestone::FirstDraftCompleted,
                occurred_at: None,
            }),
        ),
        (agency_user("suhft"), C::SubmitDraftComments(suhft())),
        (agency_user("suhft"), C::ConfirmSeniorSignOff(suhft())),
        (independent_advisor(), C::SignOffRapidReview(At::default())),
        (
            decision_maker(Health),
            C::RecordPartnerDecision(RecordPartnerDecision {
                partner: Health,
                decision: Lcspr,
                criteria: vec![DecisionCriterion::ImprovementsNeeded],
                national_review_suggested: false,
                rationale: sealed(),
                occurred_at: None,
            }),
        ),
        (bm(), C::SubmitRapidReviewToPanel(submit(None))),
        (bm(), panel_response(true, None)),
        (decision_maker(Health), reconsider(Commission, None)),
        (bm(), tell_family(true, None)),
        (bm(), commission(None)),
        (bm(), approve_delay("2023-12-29", None)),
        (bm(), send_final_report(None)),
        (bm(), publish(Some(URL), None)),
        (bm(), withhold(None)),
        (reviewer(), recommend(9, "suhft", "2023-09-29", None)),
        (agency_user("suhft"), complete(SUHFT_FIRST, None)),
        (bm(), close(ClosureReason::ReviewPublished, None)),
    ]
}

#[test]
fn a_closed_case_refuses_every_command_but_completing_a_recommendation() {
    let commands = every_case_command();
    let names: BTreeSet<_> = commands.iter().map(|(_, c)| c.name()).collect();
    assert_eq!(names.len(), 29, "one of every child case command");
    for history in [closed(), closed_without_review()] {
        let history = given(history);
        for (by, command) in &commands {
            let code = match command {
                CaseCommand::CompleteRecommendation(_) => continue,
                // Opening a case that exists says so, closed or not.
                CaseCommand::NotifyIncident(_) | CaseCommand::ReferCaseForConsideration(_) => {
                    "case.already_exists"
                }
                _ => "case.closed",
            };
            assert_eq!(
                refused(history.when(by, later(), command.clone())),
                (Conflict, code),
                "{}",
                command.name()
            );
        }
    }
}

#[test]
fn recommendations_outlive_the_case() {
    let history = given(closed());
    for (by, n) in [
        (agency_user("suhft"), SUHFT_FIRST),
        (business_manager(), SUHFT_SECOND),
    ] {
        assert_eq!(
            history.when(&by, later(), complete(n, None)).unwrap(),
            vec![recommendation_completed(n, LATER)]
        );
    }
    // Its rules still hold.
    assert_eq!(
        refused(history.when(
            &agency_user("essex-police"),
            later(),
            complete(SUHFT_FIRST, None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    assert_eq!(
        refused(history.when(&business_manager(), later(), complete(POLICE_ACTION, None))),
        (Conflict, "recommendation.already_completed")
    );
    assert_eq!(
        refused(history.when(&business_manager(), later(), complete(9, None))),
        (NotFound, "recommendation.not_found")
    );
    check_occurred_at(
        &history,
        &agency_user("suhft"),
        later(),
        RECOMMENDED,
        |at| complete(SUHFT_FIRST, at),
    );
}

#[test]
fn taking_the_published_report_down_outlives_the_case() {
    let take_down = |at: Option<&str>| {
        CaseCommand::RecordReviewTakenDown(At {
            occurred_at: at.map(instant),
        })
    };
    // Closed after publication, the report is still taken down a year later.
    let events = given(closed())
        .when(&business_manager(), later(), take_down(None))
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::ReviewTakenDown(Occurred {
            occurred_at: later()
        })]
    );
    let mut history = closed();
    history.extend(events);
    let case = Case::replay(&history).unwrap();
    let deadline = case
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == crate::deadline::DeadlineKind::PublicationTakeDown)
        .unwrap();
    assert_eq!(deadline.fulfilled_at, Some(later()));
    assert_eq!(deadline.superseded_at, None);
    assert_eq!(
        refused(given(history).when(&business_manager(), later(), take_down(None))),
        (Conflict, "publication.already_taken_down")
    );
    assert_eq!(
        refused(given(withheld()).when(&business_manager(), later(), take_down(None))),
        (Conflict, "publication.not_published")
    );
    assert_eq!(
        refused(given(published()).when(&agency_user("suhft"), later(), take_down(None))),
        (Forbidden, "auth.role_required")
    );
}
