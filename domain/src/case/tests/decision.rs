//! RecordPartnerDecision: each partner votes once for itself, and two in agreement decide.

use super::*;
use crate::case::commands::RecordPartnerDecision;
use DecisionCriterion::{ImprovementsNeeded, LearningFromPractice};
use ErrorKind::{Conflict, Forbidden, Invalid};
use ReviewDecision::{Lcspr, NoLcspr};
use StatutoryPartner::{Health, LocalAuthority, Police};

fn cast(
    partner: StatutoryPartner,
    decision: ReviewDecision,
    criteria: &[DecisionCriterion],
    occurred_at: Option<DateTime<Utc>>,
) -> CaseCommand {
    CaseCommand::RecordPartnerDecision(RecordPartnerDecision {
        partner,
        decision,
        criteria: criteria.to_vec(),
        national_review_suggested: false,
        rationale: sealed(),
        occurred_at,
    })
}

/// A vote now, with the criteria [`vote`] records.
fn vote_now(partner: StatutoryPartner, decision: ReviewDecision) -> CaseCommand {
    let criteria: &[_] = match decision {
        Lcspr => &[ImprovementsNeeded],
        NoLcspr => &[],
    };
    cast(partner, decision, criteria, None)
}

/// The review started and some partners' votes in.
fn after(votes: &[(StatutoryPartner, ReviewDecision, &str)]) -> Vec<CaseEvent> {
    and(started(), votes.iter().map(|(p, d, at)| vote(*p, *d, at)))
}

const MONDAY: &str = "2022-09-12T10:00:00Z";
const TUESDAY: &str = "2022-09-13T10:00:00Z";

#[test]
fn a_first_vote_alone_reaches_nothing() {
    let mut command = cast(
        Police,
        Lcspr,
        &[
            LearningFromPractice,
            ImprovementsNeeded,
            LearningFromPractice,
        ],
        None,
    );
    if let CaseCommand::RecordPartnerDecision(c) = &mut command {
        c.national_review_suggested = true;
    }
    let events = given(started())
        .when(&decision_maker(Police), now(), command)
        .unwrap();
    assert_eq!(
        events,
        vec![CaseEvent::PartnerDecisionRecorded(
            PartnerDecisionRecorded {
                partner: Police,
                decision: Lcspr,
                criteria: vec![ImprovementsNeeded, LearningFromPractice],
                national_review_suggested: true,
                rationale: sealed(),
                occurred_at: now(),
            }
        )]
    );
    let case = Case::replay(&and(started(), events)).unwrap();
    assert_eq!(case.votes.len(), 1);
    assert_eq!(case.decision, None);
}

#[test]
fn the_second_agreeing_vote_reaches_the_decision_in_the_same_command() {
    let cases = [
        (LocalAuthority, Police, Lcspr, [LocalAuthority, Police]),
        (Health, LocalAuthority, NoLcspr, [LocalAuthority, Health]),
    ];
    for (first, second, decision, agreed_by) in cases {
        let history = after(&[(first, decision, MONDAY)]);
        let events = given(history.clone())
            .when(&decision_maker(second), now(), vote_now(second, decision))
            .unwrap();
        let decided = reached(decision, &agreed_by, NOW);
        assert_eq!(events, vec![vote(second, decision, NOW), decided.clone()]);
        let case = Case::replay(&and(history, events)).unwrap();
        assert_eq!(
            Some(CaseEvent::DecisionReached(case.decision.unwrap())),
            Some(decided)
        );
    }
}

#[test]
fn with_the_first_two_votes_apart_the_third_decides() {
    let history = given(after(&[
        (LocalAuthority, Lcspr, MONDAY),
        (Police, NoLcspr, TUESDAY),
    ]));
    let cases = [
        (NoLcspr, [Police, Health]),
        (Lcspr, [LocalAuthority, Health]),
    ];
    for (decision, agreed_by) in cases {
        assert_eq!(
            history
                .when(&decision_maker(Health), now(), vote_now(Health, decision))
                .unwrap(),
            vec![
                vote(Health, decision, NOW),
                reached(decision, &agreed_by, NOW)
            ]
        );
    }
}

#[test]
fn once_reached_the_decision_is_never_recomputed() {
    let decided = and(
        after(&[
            (LocalAuthority, NoLcspr, MONDAY),
            (Police, NoLcspr, TUESDAY),
        ]),
        [reached(NoLcspr, &[LocalAuthority, Police], TUESDAY)],
    );
    let decision = Case::replay(&decided).unwrap().decision;
    assert!(decision.is_some());
    // Whether the third partner disagrees or agrees, only its vote is recorded.
    for third in [Lcspr, NoLcspr] {
        let events = given(decided.clone())
            .when(&decision_maker(Health), now(), vote_now(Health, third))
            .unwrap();
        assert_eq!(events, vec![vote(Health, third, NOW)]);
        let case = Case::replay(&and(decided.clone(), events)).unwrap();
        assert_eq!(case.votes.len(), 3);
        assert_eq!(case.decision, decision);
    }
}

#[test]
fn a_partner_votes_once() {
    let history = after(&[(Police, Lcspr, MONDAY)]);
    assert_eq!(
        refused(given(history).when(&decision_maker(Police), now(), vote_now(Police, NoLcspr))),
        (Conflict, "decision.already_voted")
    );
    assert_eq!(
        refused(given(decided()).when(
            &decision_maker(LocalAuthority),
            now(),
            vote_now(LocalAuthority, NoLcspr)
        )),
        (Conflict, "decision.already_voted")
    );
}

#[test]
fn a_partner_decision_maker_votes_for_its_own_partner_only() {
    let history = given(started());
    assert_eq!(
        refused(history.when(&decision_maker(Police), now(), vote_now(Health, Lcspr))),
        (Forbidden, "auth.own_partner_only")
    );
    // A decision maker of an agency speaks for no partner.
    assert_eq!(
        refused(history.when(
            &actor("suhft", &[Role::PartnerDecisionMaker]),
            now(),
            vote_now(Health, Lcspr)
        )),
        (Forbidden, "auth.own_partner_only")
    );
    for by in [
        business_manager(),
        independent_advisor(),
        agency_user("southend-council"),
    ] {
        assert_eq!(
            refused(history.when(&by, now(), vote_now(LocalAuthority, Lcspr))),
            (Forbidden, "auth.role_required")
        );
    }
}

#[test]
fn a_vote_for_a_review_names_the_criteria_it_meets() {
    let history = given(started());
    let by = decision_maker(Police);
    assert_eq!(
        refused_field(history.when(&by, now(), cast(Police, Lcspr, &[], None))),
        (Invalid, "decision.criteria_required", "criteria".into())
    );
    assert_eq!(
        history
            .when(&by, now(), cast(Police, NoLcspr, &[], None))
            .unwrap(),
        vec![vote(Police, NoLcspr, NOW)]
    );
}

#[test]
fn partners_vote_on_a_rapid_review() {
    assert_eq!(
        refused(given(before_review()).when(
            &decision_maker(Police),
            now(),
            vote_now(Police, Lcspr)
        )),
        (Conflict, "rapid_review.not_started")
    );
    check_occurred_at(
        &given(started()),
        &decision_maker(Police),
        now(),
        INITIATED,
        |at| cast(Police, NoLcspr, &[], at),
    );
}

#[test]
fn the_decision_is_dated_when_the_second_partner_agreed_even_if_a_vote_is_backdated() {
    // The police record on Tuesday that they decided on Monday, after the council's Tuesday
    // vote was recorded: the partners agreed only on Tuesday.
    let history = after(&[(LocalAuthority, Lcspr, TUESDAY)]);
    let events = given(history)
        .when(
            &decision_maker(Police),
            instant("2022-09-13T15:00:00Z"),
            cast(Police, Lcspr, &[ImprovementsNeeded], Some(instant(MONDAY))),
        )
        .unwrap();
    assert_eq!(
        events,
        vec![
            vote(Police, Lcspr, MONDAY),
            reached(Lcspr, &[LocalAuthority, Police], TUESDAY),
        ]
    );
}

/// The missing vote's deadline, as (organisation, due, fulfilled).
fn missing_votes(events: &[CaseEvent]) -> Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> {
    Case::replay(events)
        .unwrap()
        .deadlines(&southend())
        .into_iter()
        .filter(|d| d.kind == crate::deadline::DeadlineKind::RrPartnerDecision)
        .map(|d| {
            let org = d.organisation.map(String::from).unwrap_or_default();
            (org, d.due_at, d.fulfilled_at)
        })
        .collect()
}

#[test]
fn a_one_one_split_makes_the_silent_partners_vote_due_with_the_submission() {
    // Day 0 is Friday 9 September 2022; day 15, the submission, is Monday 3 October.
    let day_15 = instant("2022-10-03T22:59:59.999999Z");
    let split = after(&[(LocalAuthority, Lcspr, MONDAY), (Police, NoLcspr, MONDAY)]);
    assert_eq!(
        missing_votes(&split),
        vec![("southend-ccg".to_owned(), day_15, None)]
    );
    // Who must act: health's decision maker.
    let deadline = Case::replay(&split)
        .unwrap()
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == crate::deadline::DeadlineKind::RrPartnerDecision)
        .unwrap();
    assert_eq!(
        (
            deadline.kind.responsible_role(),
            deadline.kind.fulfilled_by()
        ),
        (Role::PartnerDecisionMaker, "RecordPartnerDecision")
    );
    // Left silent past day 15: a breach.
    assert_eq!(
        deadline.status(instant("2022-10-04T09:00:00Z"), &southend().calendar),
        crate::deadline::DeadlineStatus::Breached
    );
    // Health's vote decides and meets it.
    let decided = and(
        split,
        [
            vote(Health, Lcspr, "2022-09-20T10:00:00Z"),
            reached(Lcspr, &[LocalAuthority, Health], "2022-09-20T10:00:00Z"),
        ],
    );
    assert_eq!(
        missing_votes(&decided),
        vec![(
            "southend-ccg".to_owned(),
            day_15,
            Some(instant("2022-09-20T10:00:00Z"))
        )]
    );
    // No split, no such deadline: two agreeing, or one vote alone, or a third vote cast
    // before the others split.
    for history in [
        after(&[(LocalAuthority, Lcspr, MONDAY), (Police, Lcspr, MONDAY)]),
        after(&[(LocalAuthority, Lcspr, MONDAY)]),
        after(&[
            (Health, Lcspr, MONDAY),
            (LocalAuthority, Lcspr, "2022-09-13T10:00:00Z"),
            (Police, NoLcspr, "2022-09-13T11:00:00Z"),
        ]),
    ] {
        assert_eq!(missing_votes(&history), vec![]);
    }
}

#[test]
fn the_independent_advisor_helps_resolve_a_dispute() {
    use crate::case::reconsideration::AdviceSubject;
    let advise = |at| {
        CaseCommand::RecordIndependentAdvice(crate::case::commands::RecordIndependentAdvice {
            subject: AdviceSubject::DecisionDispute,
            advice: sealed(),
            occurred_at: at,
        })
    };
    let split = after(&[
        (LocalAuthority, Lcspr, MONDAY),
        (Police, NoLcspr, "2022-09-13T10:00:00Z"),
    ]);
    let events = given(split.clone())
        .when(&independent_advisor(), now(), advise(None))
        .unwrap();
    let case = Case::replay(&and(split.clone(), events)).unwrap();
    assert_eq!(
        case.after.advice.get(&AdviceSubject::DecisionDispute),
        Some(&now())
    );
    // No dispute, no advice on one.
    let agreed = after(&[(LocalAuthority, Lcspr, MONDAY), (Police, Lcspr, MONDAY)]);
    assert_eq!(
        refused(given(agreed).when(&independent_advisor(), now(), advise(None))),
        (Conflict, "advice.no_dispute")
    );
    check_occurred_at(
        &given(split),
        &independent_advisor(),
        now(),
        "2022-09-13T10:00:00Z",
        advise,
    );
}
