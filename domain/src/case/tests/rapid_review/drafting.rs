//! Days 11 to 15 of the rapid review: the drafts, the review team's comments and sign-offs,
//! the Independent Advisor's sign-off and the submission to the Panel.

use super::*;

#[test]
fn draft_milestones_are_recorded_in_order_by_the_reviewer_or_business_manager() {
    let steps = [
        (requested(), FirstDraftCompleted, INITIATED, reviewer()),
        (
            first_draft_done(),
            DraftCirculated,
            FIRST_DRAFT,
            business_manager(),
        ),
        (
            draft_circulated(),
            SecondDraftFinalised,
            DRAFT_CIRCULATED,
            reviewer(),
        ),
    ];
    for (history, milestone, previous, by) in steps {
        let history = given(history);
        assert_eq!(
            history
                .when(&by, now(), draft_step(milestone, None))
                .unwrap(),
            vec![draft(milestone, NOW)]
        );
        check_occurred_at(&history, &by, now(), previous, |at| {
            draft_step(milestone, at)
        });
    }
}

#[test]
fn record_draft_milestone_refusals() {
    let out_of_order = [
        (requested(), DraftCirculated),
        (requested(), SecondDraftFinalised),
        (first_draft_done(), SecondDraftFinalised),
    ];
    for (history, milestone) in out_of_order {
        assert_eq!(
            refused(given(history).when(&reviewer(), now(), draft_step(milestone, None))),
            (Conflict, "draft.out_of_order"),
            "{milestone:?}"
        );
    }
    let recorded = [
        (first_draft_done(), FirstDraftCompleted),
        (draft_circulated(), DraftCirculated),
        (second_draft_done(), SecondDraftFinalised),
    ];
    for (history, milestone) in recorded {
        assert_eq!(
            refused(given(history).when(&reviewer(), now(), draft_step(milestone, None))),
            (Conflict, "draft.already_recorded"),
            "{milestone:?}"
        );
    }
}

#[test]
fn review_team_members_comment_on_the_circulated_draft() {
    let history = given(draft_circulated());
    for slug in ["suhft", "essex-police"] {
        assert_eq!(
            history
                .when(&team_member(slug), now(), comment(slug, None))
                .unwrap(),
            vec![CaseEvent::DraftCommentsSubmitted(by_org(slug, NOW))]
        );
    }
    check_occurred_at(
        &history,
        &agency_user("suhft"),
        now(),
        DRAFT_CIRCULATED,
        |at| comment("suhft", at),
    );
}

#[test]
fn submit_draft_comments_refusals() {
    let history = given(draft_circulated());
    assert_eq!(
        refused(history.when(&agency_user("suhft"), now(), comment("essex-police", None))),
        (Forbidden, "auth.own_organisation_only")
    );
    // Not asked for a report, so not in the review team.
    assert_eq!(
        refused(history.when(
            &agency_user("southend-schools"),
            now(),
            comment("southend-schools", None)
        )),
        (Conflict, "rapid_review.not_in_review_team")
    );
    assert_eq!(
        refused(given(first_draft_done()).when(
            &agency_user("suhft"),
            now(),
            comment("suhft", None)
        )),
        (Conflict, "draft.not_circulated")
    );
    assert_eq!(
        refused(given(second_draft_done()).when(
            &agency_user("suhft"),
            now(),
            comment("suhft", None)
        )),
        (Conflict, "draft.comments_already_submitted")
    );
}

#[test]
fn review_team_members_sign_the_second_draft_off() {
    let history = given(second_draft_done());
    for slug in ["suhft", "southend-ccg"] {
        assert_eq!(
            history
                .when(&team_member(slug), now(), senior_sign_off(slug, None))
                .unwrap(),
            vec![CaseEvent::SeniorSignOffConfirmed(by_org(slug, NOW))]
        );
    }
    check_occurred_at(&history, &agency_user("suhft"), now(), SECOND_DRAFT, |at| {
        senior_sign_off("suhft", at)
    });
}

#[test]
fn confirm_senior_sign_off_refusals() {
    let history = given(second_draft_done());
    assert_eq!(
        refused(history.when(
            &decision_maker(Health),
            now(),
            senior_sign_off("suhft", None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    assert_eq!(
        refused(history.when(
            &agency_user("southend-schools"),
            now(),
            senior_sign_off("southend-schools", None)
        )),
        (Conflict, "rapid_review.not_in_review_team")
    );
    assert_eq!(
        refused(given(draft_circulated()).when(
            &agency_user("suhft"),
            now(),
            senior_sign_off("suhft", None)
        )),
        (Conflict, "draft.second_draft_not_finalised")
    );
    assert_eq!(
        refused(given(signed_off()).when(
            &agency_user("suhft"),
            now(),
            senior_sign_off("suhft", None)
        )),
        (Conflict, "rapid_review.already_signed_off")
    );
}

#[test]
fn sign_off_rapid_review() {
    let history = given(second_draft_done());
    assert_eq!(
        history
            .when(&independent_advisor(), now(), sign_off(None))
            .unwrap(),
        vec![CaseEvent::RapidReviewSignedOff(occurred(NOW))]
    );
    assert_eq!(
        refused(given(draft_circulated()).when(&independent_advisor(), now(), sign_off(None))),
        (Conflict, "draft.second_draft_not_finalised")
    );
    assert_eq!(
        refused(given(signed_off()).when(&independent_advisor(), now(), sign_off(None))),
        (Conflict, "rapid_review.already_signed_off")
    );
    check_occurred_at(
        &history,
        &independent_advisor(),
        now(),
        SECOND_DRAFT,
        sign_off,
    );
}

#[test]
fn submit_rapid_review_to_panel_once_signed_off_and_decided() {
    let history = given(decided());
    for by in [business_manager(), independent_advisor()] {
        assert_eq!(
            history.when(&by, now(), submit_to_panel(None)).unwrap(),
            vec![submission(NOW)]
        );
    }
    // Not before the later of the sign-off and the decision, whichever that is.
    check_occurred_at(
        &history,
        &business_manager(),
        now(),
        DECIDED,
        submit_to_panel,
    );
    let decided_first = and(
        second_draft_done(),
        [
            vote(
                LocalAuthority,
                ReviewDecision::NoLcspr,
                "2022-09-29T09:00:00Z",
            ),
            vote(Health, ReviewDecision::NoLcspr, "2022-09-29T10:00:00Z"),
            reached(
                ReviewDecision::NoLcspr,
                &[LocalAuthority, Health],
                "2022-09-29T10:00:00Z",
            ),
            CaseEvent::RapidReviewSignedOff(occurred(SIGNED_OFF)),
        ],
    );
    check_occurred_at(
        &given(decided_first),
        &business_manager(),
        now(),
        SIGNED_OFF,
        submit_to_panel,
    );
}

#[test]
fn submit_rapid_review_to_panel_refusals() {
    let by = business_manager();
    let unsigned = and(
        second_draft_done(),
        [
            vote(
                LocalAuthority,
                ReviewDecision::Lcspr,
                "2022-09-29T09:00:00Z",
            ),
            vote(Police, ReviewDecision::Lcspr, "2022-09-29T10:00:00Z"),
            reached(
                ReviewDecision::Lcspr,
                &[LocalAuthority, Police],
                "2022-09-29T10:00:00Z",
            ),
        ],
    );
    assert_eq!(
        refused(given(unsigned).when(&by, now(), submit_to_panel(None))),
        (Conflict, "rapid_review.not_signed_off")
    );
    assert_eq!(
        refused(given(signed_off()).when(&by, now(), submit_to_panel(None))),
        (Conflict, "decision.not_reached")
    );
    // One vote is no decision.
    let one_vote = and(signed_off(), [vote(Police, ReviewDecision::Lcspr, DECIDED)]);
    assert_eq!(
        refused(given(one_vote).when(&by, now(), submit_to_panel(None))),
        (Conflict, "decision.not_reached")
    );
    assert_eq!(
        refused(given(submitted()).when(&by, now(), submit_to_panel(None))),
        (Conflict, "rapid_review.already_submitted")
    );
}

#[test]
fn a_notified_case_reaches_the_panel_only_once_the_panel_was_notified() {
    // Counting from the day of becoming aware, the review ran without the Panel notification.
    let without_panel: Vec<_> = decided()
        .into_iter()
        .filter(|e| !matches!(e, CaseEvent::PanelNotificationRecorded(_)))
        .collect();
    assert_eq!(
        refused(given(without_panel.clone()).when(
            &business_manager(),
            now(),
            submit_to_panel(None)
        )),
        (Conflict, "rapid_review.panel_not_notified")
    );
    let case = Case::replay(&without_panel).unwrap();
    assert_ne!(case.stage, Stage::SubmittedToPanel);
    // Once it is on record, the submission goes.
    let notified = and(
        without_panel,
        [panel_notified("2022-10-03", "2022-10-03T09:00:00Z")],
    );
    assert_eq!(
        given(notified)
            .when(&business_manager(), now(), submit_to_panel(None))
            .unwrap(),
        vec![submission(NOW)]
    );
}

#[test]
fn the_submission_carries_the_partners_view_on_a_national_review() {
    for view in [true, false] {
        let command = CaseCommand::SubmitRapidReviewToPanel(commands::SubmitRapidReviewToPanel {
            national_review_may_be_appropriate: view,
            occurred_at: None,
        });
        let events = given(decided())
            .when(&business_manager(), now(), command)
            .unwrap();
        let case = Case::replay(&and(decided(), events)).unwrap();
        assert_eq!(
            case.rapid_review
                .and_then(|r| r.national_review_may_be_appropriate),
            Some(view)
        );
    }
}
