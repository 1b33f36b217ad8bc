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
fn record_reconsidered_decision_either_way() {
    let by = decision_maker(Health);
    for decision in [Lcspr, NoLcspr] {
        for outcome in [Adhere, Commission] {
            let history = panel_disagreed_with(decision);
            let events = given(history.clone())
                .when(&by, later(), reconsider(outcome, None))
                .unwrap();
            assert_eq!(events, vec![reconsidered(outcome, LATER)]);
            let case = Case::replay(&and(history, events)).unwrap();
            assert_eq!(case.stage, Stage::Decided);
            assert_eq!(case.after.reconsideration, Some((outcome, later())));
        }
    }
}

#[test]
fn the_decision_in_force_after_reconsideration() {
    let cases = [
        (NoLcspr, Adhere, NoLcspr, DECIDED),
        (NoLcspr, Commission, Lcspr, RECONSIDERED),
        (Lcspr, Adhere, Lcspr, DECIDED),
    ];
    for (decision, outcome, in_force, decided_at) in cases {
        let case = Case::replay(&reconsidered_into(decision, outcome)).unwrap();
        assert_eq!(
            case.after
                .effective_decision(case.decision.as_ref().map(|d| d.decision)),
            Some(in_force),
            "{decision:?} {outcome:?}"
        );
        assert_eq!(case.decided_at(), Some(instant(decided_at)));
    }
    // Without a reconsideration, the partners' decision is in force.
    let case = Case::replay(&panel_agreed()).unwrap();
    assert_eq!(case.decided_at(), Some(instant(DECIDED)));
}

#[test]
fn record_reconsidered_decision_refusals() {
    let by = decision_maker(LocalAuthority);
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
    // The Independent Advisor advises; the partners' decision makers decide.
    assert_eq!(
        refused(given(panel_disagreed_with(NoLcspr)).when(
            &independent_advisor(),
            later(),
            reconsider(Commission, None)
        )),
        (Forbidden, "auth.role_required")
    );
    check_occurred_at(
        &given(panel_disagreed_with(NoLcspr)),
        &by,
        later(),
        RESPONDED,
        |at| reconsider(Adhere, at),
    );
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
