//! The LCSPR: CommissionPracticeReview, ApprovePublicationDelay, RecordFinalReportSentToPanel,
//! PublishReview and WithholdPublication.

use super::*;

#[test]
fn commission_practice_review_when_an_lcspr_is_the_decision_in_force() {
    let histories = [
        panel_agreed(),
        reconsidered_into(Lcspr, Adhere),
        reconsidered_into(Lcspr, Commission),
        reconsidered_into(NoLcspr, Commission),
        // The Panel's response need not be awaited to commission a review the partners decided.
        submitted(),
    ];
    for history in histories {
        let events = given(history.clone())
            .when(
                &business_manager(),
                later(),
                commission_by("  Dr Jane Smith ", None),
            )
            .unwrap();
        assert_eq!(
            events,
            vec![CaseEvent::PracticeReviewCommissioned(
                PracticeReviewCommissioned {
                    reviewer: REVIEWER.into(),
                    terms_of_reference: sealed(),
                    occurred_at: later(),
                }
            )]
        );
        let case = Case::replay(&and(history, events)).unwrap();
        assert_eq!(case.stage, Stage::PracticeReview);
        let review = case.after.practice_review.unwrap();
        assert_eq!(
            (review.reviewer.as_str(), review.commissioned_at),
            (REVIEWER, later())
        );
    }
}

#[test]
fn commission_practice_review_refusals() {
    let bm = business_manager();
    let not_decided = [
        signed_off(),
        and(submitted_with(NoLcspr), [panel_responded(true, RESPONDED)]),
        reconsidered_into(NoLcspr, Adhere),
        // Awaiting reconsideration, the decision in force is still not to hold a review.
        panel_disagreed_with(NoLcspr),
    ];
    for history in not_decided {
        assert_eq!(
            refused(given(history).when(&bm, later(), commission(None))),
            (Conflict, "practice_review.not_decided")
        );
    }
    assert_eq!(
        refused(given(panel_disagreed_with(Lcspr)).when(&bm, later(), commission(None))),
        (Conflict, "practice_review.awaiting_reconsideration")
    );
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), commission(None))),
        (Conflict, "practice_review.already_commissioned")
    );
    let history = given(panel_agreed());
    assert_eq!(
        refused_field(history.when(&bm, later(), commission_by("  ", None))),
        (Invalid, "field.required", "reviewer".into())
    );
    assert_eq!(
        refused_field(history.when(&bm, later(), commission_by(&"x".repeat(201), None))),
        (Invalid, "field.too_long", "reviewer".into())
    );
    check_occurred_at(&history, &bm, later(), DECIDED, commission);
    // Reconsidered into a review, it is commissioned no earlier than the reconsideration.
    check_occurred_at(
        &given(reconsidered_into(NoLcspr, Commission)),
        &bm,
        later(),
        RECONSIDERED,
        commission,
    );
}

#[test]
fn an_lcspr_under_way_stays_under_way_when_the_panel_responds() {
    // Commissioned on the partners' decision before the Panel's response came in.
    let history = and(submitted(), [review_commissioned(COMMISSIONED)]);
    for agrees in [true, false] {
        let events = given(history.clone())
            .when(&business_manager(), later(), panel_response(agrees, None))
            .unwrap();
        let case = Case::replay(&and(history.clone(), events)).unwrap();
        assert_eq!(case.stage, Stage::PracticeReview, "agrees: {agrees}");
    }
    // Commissioned before the rapid review even went to the Panel.
    let early = and(decided(), [review_commissioned(SUBMITTED)]);
    let events = given(early.clone())
        .when(
            &business_manager(),
            later(),
            CaseCommand::SubmitRapidReviewToPanel(submit(dated(SUBMITTED))),
        )
        .unwrap();
    assert_eq!(stage_of(&and(early, events)), Stage::PracticeReview);
}

#[test]
fn approve_publication_delay_moves_the_due_day() {
    let events = given(commissioned())
        .when(
            &business_manager(),
            later(),
            approve_delay("2023-06-30", None),
        )
        .unwrap();
    assert_eq!(events, vec![delay_approved("2023-06-30", LATER)]);
    let case = Case::replay(&and(commissioned(), events)).unwrap();
    assert_eq!(case.stage, Stage::PracticeReview);
    assert_eq!(
        case.after.practice_review.unwrap().delays,
        vec![(date("2023-06-30"), later())]
    );
    // Delayed once, a second delay goes later still; the report may already have gone.
    let delayed = and(
        report_sent(),
        [delay_approved("2023-06-30", "2023-03-20T10:00:00Z")],
    );
    assert_eq!(
        given(delayed)
            .when(
                &business_manager(),
                later(),
                approve_delay("2023-07-01", None)
            )
            .unwrap(),
        vec![delay_approved("2023-07-01", LATER)]
    );
}

#[test]
fn approve_publication_delay_refusals() {
    let bm = business_manager();
    for history in [panel_agreed(), submitted_with(NoLcspr)] {
        assert_eq!(
            refused(given(history).when(&bm, later(), approve_delay("2023-06-30", None))),
            (Conflict, "practice_review.not_commissioned")
        );
    }
    for history in [published(), withheld()] {
        assert_eq!(
            refused(given(history).when(&bm, later(), approve_delay("2023-06-30", None))),
            (Conflict, "practice_review.already_concluded")
        );
    }
    // Due on 30 March 2023, six months after the decision: a delay must go beyond it, and
    // beyond the last delay approved.
    let delayed = and(
        commissioned(),
        [delay_approved("2023-06-30", "2023-03-20T10:00:00Z")],
    );
    let cases = [
        (commissioned(), "2023-03-30"),
        (commissioned(), "2023-03-01"),
        (delayed.clone(), "2023-06-30"),
        (delayed, "2023-04-30"),
    ];
    for (history, new_due_on) in cases {
        assert_eq!(
            refused_field(given(history).when(&bm, later(), approve_delay(new_due_on, None))),
            (Invalid, "delay.not_later", "new_due_on".into()),
            "{new_due_on}"
        );
    }
    assert!(
        given(commissioned())
            .when(&bm, later(), approve_delay("2023-03-31", None))
            .is_ok()
    );
    check_occurred_at(&given(commissioned()), &bm, later(), COMMISSIONED, |at| {
        approve_delay("2023-06-30", at)
    });
}

#[test]
fn record_final_report_sent_to_the_panel() {
    let events = given(commissioned())
        .when(&business_manager(), later(), send_final_report(None))
        .unwrap();
    assert_eq!(events, vec![final_report_sent(LATER)]);
    let case = Case::replay(&and(commissioned(), events)).unwrap();
    assert_eq!(case.stage, Stage::PracticeReview);
    assert_eq!(
        case.after.practice_review.unwrap().report_sent_at,
        Some(later())
    );
}

#[test]
fn record_final_report_sent_refusals() {
    let bm = business_manager();
    assert_eq!(
        refused(given(panel_agreed()).when(&bm, later(), send_final_report(None))),
        (Conflict, "practice_review.not_commissioned")
    );
    assert_eq!(
        refused(given(report_sent()).when(&bm, later(), send_final_report(None))),
        (Conflict, "practice_review.report_already_sent")
    );
    for history in [published(), withheld()] {
        assert_eq!(
            refused(given(history).when(&bm, later(), send_final_report(None))),
            (Conflict, "practice_review.already_concluded")
        );
    }
    check_occurred_at(
        &given(commissioned()),
        &bm,
        later(),
        COMMISSIONED,
        send_final_report,
    );
}

#[test]
fn publish_review_once_the_final_report_went_to_the_panel() {
    let history = given(report_sent());
    let published_at = |url: Option<&str>| {
        vec![CaseEvent::ReviewPublished(ReviewPublished {
            url: url.map(str::to_owned),
            occurred_at: later(),
        })]
    };
    let padded = format!(" {URL}  ");
    let events = history
        .when(&business_manager(), later(), publish(Some(&padded), None))
        .unwrap();
    assert_eq!(events, published_at(Some(URL)));
    let case = Case::replay(&and(report_sent(), events)).unwrap();
    assert_eq!(case.stage, Stage::Published);
    assert_eq!(
        case.after.practice_review.unwrap().published,
        Some(ReviewPublished {
            url: Some(URL.into()),
            occurred_at: later(),
        })
    );
    // Where it is published may be recorded without a link.
    assert_eq!(
        history
            .when(&business_manager(), later(), publish(None, None))
            .unwrap(),
        published_at(None)
    );
}

#[test]
fn publish_review_refusals() {
    let bm = business_manager();
    assert_eq!(
        refused(given(panel_agreed()).when(&bm, later(), publish(Some(URL), None))),
        (Conflict, "practice_review.not_commissioned")
    );
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), publish(Some(URL), None))),
        (Conflict, "practice_review.report_not_sent")
    );
    for history in [published(), withheld()] {
        assert_eq!(
            refused(given(history).when(&bm, later(), publish(Some(URL), None))),
            (Conflict, "practice_review.already_concluded")
        );
    }
    let history = given(report_sent());
    assert_eq!(
        refused_field(history.when(&bm, later(), publish(Some(" "), None))),
        (Invalid, "field.required", "url".into())
    );
    let too_long = format!("{URL}/{}", "x".repeat(2_000));
    assert_eq!(
        refused_field(history.when(&bm, later(), publish(Some(&too_long), None))),
        (Invalid, "field.too_long", "url".into())
    );
    check_occurred_at(&history, &bm, later(), REPORT_SENT, |at| {
        publish(Some(URL), at)
    });
}

#[test]
fn withhold_publication_with_or_without_the_final_report_sent() {
    for history in [commissioned(), report_sent()] {
        let events = given(history.clone())
            .when(&business_manager(), later(), withhold(None))
            .unwrap();
        assert_eq!(events, vec![publication_withheld(LATER)]);
        let case = Case::replay(&and(history, events)).unwrap();
        assert_eq!(case.stage, Stage::PublicationWithheld);
        assert_eq!(
            case.after.practice_review.unwrap().withheld_at,
            Some(later())
        );
    }
}

#[test]
fn withhold_publication_refusals() {
    let bm = business_manager();
    assert_eq!(
        refused(given(panel_agreed()).when(&bm, later(), withhold(None))),
        (Conflict, "practice_review.not_commissioned")
    );
    for history in [published(), withheld()] {
        assert_eq!(
            refused(given(history).when(&bm, later(), withhold(None))),
            (Conflict, "practice_review.already_concluded")
        );
    }
    check_occurred_at(&given(commissioned()), &bm, later(), COMMISSIONED, withhold);
}
