//! RecordPanelResponse, RecordReconsideredDecision and RecordFamilyCommunication.

use super::*;

#[test]
fn record_panel_response_agreeing_or_disagreeing() {
    let history = given(submitted());
    for (agrees, stage) in [(true, Stage::PanelAgreed), (false, Stage::Reconsideration)] {
        let events = history
            .when(&business_manager(), later(), panel_response(agrees, None))
            .unwrap();
        assert_eq!(events, vec![panel_responded(agrees, LATER)]);
        let case = Case::replay(&and(submitted(), events)).unwrap();
        assert_eq!(case.stage, stage);
        assert_eq!(case.after.panel_response.map(|r| r.agrees), Some(agrees));
    }
}

#[test]
fn record_panel_response_refusals() {
    // Nothing has gone to the Panel: no review, a review under way, a decision not submitted.
    for history in [before_review(), started(), decided()] {
        assert_eq!(
            refused(given(history).when(&business_manager(), later(), panel_response(true, None))),
            (Conflict, "rapid_review.not_submitted")
        );
    }
    for history in [panel_agreed(), panel_disagreed_with(NoLcspr)] {
        assert_eq!(
            refused(given(history).when(&business_manager(), later(), panel_response(false, None))),
            (Conflict, "panel_response.already_recorded")
        );
    }
    check_occurred_at(
        &given(submitted()),
        &business_manager(),
        later(),
        SUBMITTED,
        |at| panel_response(true, at),
    );
}

#[test]
fn one_partner_alone_reconsiders_nothing_two_decide() {
    let outcomes = [
        (Lcspr, Adhere),
        (Lcspr, Withdraw),
        (NoLcspr, Adhere),
        (NoLcspr, Commission),
    ];
    for (decision, outcome) in outcomes {
        let history = advised_after_disagreement(decision);
        let first = given(history.clone())
            .when(&decision_maker(Health), later(), reconsider(outcome, None))
            .unwrap();
        assert_eq!(first, vec![view(Health, outcome, LATER)]);
        let history = and(history, first);
        let case = Case::replay(&history).unwrap();
        assert_eq!(
            case.stage,
            Stage::Reconsideration,
            "one view decides nothing"
        );
        assert_eq!(case.after.reconsideration, None);
        // The police disagree: still nothing decided.
        let other = if outcome == Adhere {
            if decision == Lcspr {
                Withdraw
            } else {
                Commission
            }
        } else {
            Adhere
        };
        let police = given(history.clone())
            .when(
                &decision_maker(Police),
                later(),
                reconsider_as(Police, other, None),
            )
            .unwrap();
        assert_eq!(police, vec![view(Police, other, LATER)]);
        let history = and(history, police);
        // The local authority agrees with health: the reconsidered decision is reached.
        let events = given(history.clone())
            .when(
                &decision_maker(LocalAuthority),
                later(),
                reconsider_as(LocalAuthority, outcome, None),
            )
            .unwrap();
        assert_eq!(
            events,
            vec![
                view(LocalAuthority, outcome, LATER),
                reconsideration_reached(outcome, &[LocalAuthority, Health], LATER),
            ]
        );
        let case = Case::replay(&and(history, events)).unwrap();
        assert_eq!(case.stage, Stage::Decided);
        assert_eq!(case.after.reconsideration, Some((outcome, later())));
    }
}

#[test]
fn the_decision_in_force_after_reconsideration() {
    let cases = [
        (NoLcspr, Adhere, NoLcspr, DECIDED),
        (NoLcspr, Commission, Lcspr, RECONSIDERED),
        (Lcspr, Adhere, Lcspr, DECIDED),
        (Lcspr, Withdraw, NoLcspr, DECIDED),
    ];
    for (decision, outcome, in_force, decided_at) in cases {
        // Two partners' views agreeing, and the old single event kept as history.
        let reached = and(
            advised_after_disagreement(decision),
            [
                view(Health, outcome, "2022-10-31T09:00:00Z"),
                view(Police, outcome, RECONSIDERED),
                reconsideration_reached(outcome, &[Police, Health], RECONSIDERED),
            ],
        );
        for history in [reached, reconsidered_into(decision, outcome)] {
            let case = Case::replay(&history).unwrap();
            assert_eq!(
                case.after
                    .effective_decision(case.decision.as_ref().map(|d| d.decision)),
                Some(in_force),
                "{decision:?} {outcome:?}"
            );
            assert_eq!(case.decided_at(), Some(instant(decided_at)));
            assert_eq!(case.stage, Stage::Decided);
        }
    }
    // Without a reconsideration, the partners' decision is in force.
    let case = Case::replay(&panel_agreed()).unwrap();
    assert_eq!(case.decided_at(), Some(instant(DECIDED)));
}

#[test]
fn record_reconsidered_decision_refusals() {
    let by = decision_maker(Health);
    // Only after the Panel disagreed: not before it responded, not when it agreed.
    for history in [submitted(), panel_agreed(), decided()] {
        assert_eq!(
            refused(given(history).when(&by, later(), reconsider(Commission, None))),
            (Conflict, "reconsideration.panel_did_not_disagree")
        );
    }
    assert_eq!(
        refused(given(reconsidered_into(NoLcspr, Adhere)).when(
            &by,
            later(),
            reconsider(Commission, None)
        )),
        (Conflict, "reconsideration.already_recorded")
    );
    // The partners reconsider with the Independent Advisor's advice, not before it.
    assert_eq!(
        refused(given(panel_disagreed_with(NoLcspr)).when(
            &by,
            later(),
            reconsider(Commission, None)
        )),
        (Conflict, "reconsideration.no_independent_advice")
    );
    // Withdrawing answers a decision to hold a review, commissioning one not to.
    assert_eq!(
        refused(given(advised_after_disagreement(NoLcspr)).when(
            &by,
            later(),
            reconsider(Withdraw, None)
        )),
        (Conflict, "reconsideration.outcome_does_not_fit")
    );
    assert_eq!(
        refused(given(advised_after_disagreement(Lcspr)).when(
            &by,
            later(),
            reconsider(Commission, None)
        )),
        (Conflict, "reconsideration.outcome_does_not_fit")
    );
    // A partner gives its view once, and only its own.
    let once = and(
        advised_after_disagreement(NoLcspr),
        [view(Health, Adhere, "2022-10-25T10:00:00Z")],
    );
    assert_eq!(
        refused(given(once).when(&by, later(), reconsider(Commission, None))),
        (Conflict, "reconsideration.already_voted")
    );
    assert_eq!(
        refused(given(advised_after_disagreement(NoLcspr)).when(
            &decision_maker(Police),
            later(),
            reconsider(Commission, None)
        )),
        (Forbidden, "auth.own_partner_only")
    );
    // The Independent Advisor advises; the partners' decision makers decide.
    assert_eq!(
        refused(given(advised_after_disagreement(NoLcspr)).when(
            &independent_advisor(),
            later(),
            reconsider(Commission, None)
        )),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(
        &given(advised_after_disagreement(NoLcspr)),
        &by,
        later(),
        ADVISED,
        |at| reconsider(Adhere, at),
    );
}

#[test]
fn the_independent_advisors_advice_on_a_reconsideration() {
    let history = given(panel_disagreed_with(NoLcspr));
    let events = history
        .when(
            &independent_advisor(),
            later(),
            advise(AdviceSubject::Reconsideration, None),
        )
        .unwrap();
    assert_eq!(events, vec![advised(AdviceSubject::Reconsideration, LATER)]);
    assert_eq!(
        refused(given(advised_after_disagreement(NoLcspr)).when(
            &independent_advisor(),
            later(),
            advise(AdviceSubject::Reconsideration, None)
        )),
        (Conflict, "advice.already_recorded")
    );
    assert_eq!(
        refused(given(panel_agreed()).when(
            &independent_advisor(),
            later(),
            advise(AdviceSubject::Reconsideration, None)
        )),
        (Conflict, "reconsideration.panel_did_not_disagree")
    );
    assert_eq!(
        refused(history.when(
            &business_manager(),
            later(),
            advise(AdviceSubject::Reconsideration, None)
        )),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(&history, &independent_advisor(), later(), RESPONDED, |at| {
        advise(AdviceSubject::Reconsideration, at)
    });
}

#[test]
fn the_justification_goes_to_the_panel_once_the_decision_is_reached() {
    let send = |at| {
        CaseCommand::SendReconsiderationToPanel(crate::case::commands::SendReconsiderationToPanel {
            justification: sealed(),
            occurred_at: at,
        })
    };
    let bm = business_manager();
    let one_view = and(
        advised_after_disagreement(NoLcspr),
        [view(Health, Commission, RECONSIDERED)],
    );
    assert_eq!(
        refused(given(one_view.clone()).when(&bm, later(), send(None))),
        (Conflict, "reconsideration.not_reached")
    );
    let reached = and(
        one_view,
        [
            view(Police, Commission, RECONSIDERED),
            reconsideration_reached(Commission, &[Police, Health], RECONSIDERED),
        ],
    );
    let events = given(reached.clone())
        .when(&bm, later(), send(None))
        .unwrap();
    let case = Case::replay(&and(reached.clone(), events)).unwrap();
    assert_eq!(case.after.reconsideration_sent_at, Some(later()));
    // The old single event was the decision and its justification sent at once.
    assert_eq!(
        refused(given(reconsidered_into(NoLcspr, Commission)).when(&bm, later(), send(None))),
        (Conflict, "reconsideration.already_sent")
    );
    check_occurred_at(&given(reached), &bm, later(), RECONSIDERED, send);
}

#[test]
fn record_family_communication_in_person_or_not() {
    for in_person in [true, false] {
        let events = given(panel_agreed())
            .when(&business_manager(), later(), tell_family(in_person, None))
            .unwrap();
        assert_eq!(events, vec![family_told(in_person, LATER)]);
        let case = Case::replay(&and(panel_agreed(), events)).unwrap();
        // Telling the family does not move the case on.
        assert_eq!(case.stage, Stage::PanelAgreed);
        assert_eq!(
            case.after.family_communication.map(|f| f.in_person),
            Some(in_person)
        );
    }
    // The family may be told as soon as the partners decide, before the Panel responds.
    assert_eq!(
        given(decided())
            .when(
                &business_manager(),
                later(),
                tell_family(true, dated(DECIDED))
            )
            .unwrap(),
        vec![family_told(true, DECIDED)]
    );
}

#[test]
fn record_family_communication_refusals() {
    let bm = business_manager();
    assert_eq!(
        refused(given(signed_off()).when(&bm, later(), tell_family(true, None))),
        (Conflict, "decision.not_reached")
    );
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), tell_family(false, None))),
        (Conflict, "family_communication.already_recorded")
    );
    check_occurred_at(&given(panel_agreed()), &bm, later(), DECIDED, |at| {
        tell_family(true, at)
    });
    // After a reconsideration into a review, the family hears of the decision now in force.
    check_occurred_at(
        &given(reconsidered_into(NoLcspr, Commission)),
        &bm,
        later(),
        RECONSIDERED,
        |at| tell_family(true, at),
    );
}
