//! A recommendation's action plan (docs/rules.md AP-1 to AP-5): actions added by the
//! recommendation's owners, updated and completed by their own owners, each a deadline; the
//! plan signed off by its group once every action is done; its impact reviewed after.

use super::*;
use crate::case::shared::action_plan::{
    ActionAdded, ActionCompleted, ActionPlanSignedOff, ActionProgressRecorded, AddAction,
    CompleteAction, Evidence, ImpactReviewed, PracticeChange, Rag, RecordActionProgress,
    ReviewImpact, SignOffActionPlan,
};
use crate::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use crate::learning::MeetingGroup;

/// The plan is drawn up the day after the recommendations, on Wednesday 29 March 2023.
const PLANNED: &str = "2023-03-29T10:00:00Z";
const UPDATED: &str = "2023-03-30T10:00:00Z";
const DONE: &str = "2023-03-31T10:00:00Z";
const SIGNED_OFF: &str = "2023-04-01T10:00:00Z";
const ACTION_TEXT: &str = "Add the school nurse to the health visitors' handover checklist.";

fn action_id(n: u128) -> Uuid {
    Uuid::from_u128(2_000 + n)
}

fn add(recommendation: u128, action: u128, owners: &[&str], due_on: &str, at: When) -> CaseCommand {
    CaseCommand::AddAction(AddAction {
        recommendation_id: recommendation_id(recommendation),
        action_id: action_id(action),
        text: ACTION_TEXT.into(),
        owners: owners.iter().map(|slug| org(slug)).collect(),
        due_on: date(due_on),
        occurred_at: at,
    })
}

fn added(recommendation: u128, action: u128, owners: &[&str], due_on: &str, at: &str) -> CaseEvent {
    CaseEvent::ActionAdded(ActionAdded {
        recommendation_id: recommendation_id(recommendation),
        action_id: action_id(action),
        text: ACTION_TEXT.into(),
        owners: owners.iter().map(|slug| org(slug)).collect(),
        due_on: date(due_on),
        occurred_at: instant(at),
    })
}

fn evidence(description: &str, link: Option<&str>, document: Option<&str>) -> Evidence {
    Evidence {
        description: description.into(),
        link: link.map(Into::into),
        document: document.map(Into::into),
    }
}

fn progress(action: u128, rag: Rag, note: &str, evidence: Vec<Evidence>, at: When) -> CaseCommand {
    CaseCommand::RecordActionProgress(RecordActionProgress {
        action_id: action_id(action),
        rag,
        note: note.into(),
        evidence,
        occurred_at: at,
    })
}

fn progressed(action: u128, rag: Rag, at: &str) -> CaseEvent {
    CaseEvent::ActionProgressRecorded(ActionProgressRecorded {
        recommendation_id: recommendation_id(SUHFT_FIRST),
        action_id: action_id(action),
        rag,
        note: "Checklist drafted".into(),
        evidence: vec![],
        occurred_at: instant(at),
    })
}

fn complete(action: u128, at: When) -> CaseCommand {
    CaseCommand::CompleteAction(CompleteAction {
        action_id: action_id(action),
        occurred_at: at,
    })
}

fn completed(recommendation: u128, action: u128, at: &str) -> CaseEvent {
    CaseEvent::ActionCompleted(ActionCompleted {
        recommendation_id: recommendation_id(recommendation),
        action_id: action_id(action),
        occurred_at: instant(at),
    })
}

fn sign_off(recommendation: u128, at: When) -> CaseCommand {
    CaseCommand::SignOffActionPlan(SignOffActionPlan {
        recommendation_id: recommendation_id(recommendation),
        group: MeetingGroup::PracticeReview,
        occurred_at: at,
    })
}

fn review(recommendation: u128, change: PracticeChange, summary: &str, at: When) -> CaseCommand {
    CaseCommand::ReviewImpact(ReviewImpact {
        recommendation_id: recommendation_id(recommendation),
        practice_changed: change,
        summary: summary.into(),
        occurred_at: at,
    })
}

/// Two actions on the health provider's first recommendation: one of its own, due at the end
/// of June, and one shared with the schools (the lead), due at the end of September.
fn planned() -> Vec<CaseEvent> {
    and(
        recommended(),
        [
            added(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", PLANNED),
            added(
                SUHFT_FIRST,
                2,
                &["southend-schools", "suhft"],
                "2023-09-29",
                PLANNED,
            ),
        ],
    )
}

/// Both actions done, the first after an update.
fn all_done() -> Vec<CaseEvent> {
    and(
        planned(),
        [
            progressed(1, Rag::Amber, UPDATED),
            completed(SUHFT_FIRST, 1, DONE),
            completed(SUHFT_FIRST, 2, DONE),
        ],
    )
}

fn signed_off_plan() -> Vec<CaseEvent> {
    and(
        all_done(),
        [CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
            recommendation_id: recommendation_id(SUHFT_FIRST),
            group: MeetingGroup::PracticeReview,
            occurred_at: instant(SIGNED_OFF),
        })],
    )
}

fn action_deadlines(events: &[CaseEvent]) -> Vec<Deadline> {
    let case = Case::replay(events).unwrap();
    case.deadlines(&southend())
        .into_iter()
        .filter(|d| d.kind == DeadlineKind::Action)
        .collect()
}

fn statuses(events: &[CaseEvent], as_of: &str) -> Vec<DeadlineStatus> {
    action_deadlines(events)
        .iter()
        .map(|d| d.status(instant(as_of), &southend().calendar))
        .collect()
}

#[test]
fn an_owner_of_the_recommendation_or_the_business_manager_adds_actions() {
    for by in [
        business_manager(),
        agency_user("suhft"),
        actor("suhft", &[Role::PartnerDecisionMaker]),
    ] {
        let events = given(recommended())
            .when(
                &by,
                later(),
                add(
                    SUHFT_FIRST,
                    1,
                    &["southend-schools", "suhft"],
                    "2023-06-30",
                    None,
                ),
            )
            .unwrap();
        assert_eq!(
            events,
            vec![added(
                SUHFT_FIRST,
                1,
                &["southend-schools", "suhft"],
                "2023-06-30",
                LATER
            )]
        );
        let case = Case::replay(&and(recommended(), events)).unwrap();
        // Every owner of an action comes to need to know the case.
        assert!(case.involved.contains(&org("southend-schools")));
        let plan = &case.after.recommendations[&recommendation_id(SUHFT_FIRST)].plan;
        assert_eq!(plan.actions.len(), 1);
        assert!(!plan.all_done());
    }
    // Another organisation, or a role that does not own actions, may not.
    assert_eq!(
        refused(given(recommended()).when(
            &agency_user("essex-police"),
            later(),
            add(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    for by in [reviewer(), independent_advisor()] {
        assert_eq!(
            refused(given(recommended()).when(
                &by,
                later(),
                add(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", None)
            )),
            (Forbidden, "auth.role_required")
        );
    }
}

#[test]
fn add_action_refusals() {
    let bm = business_manager();
    let history = given(planned());
    let refuse = |command| refused_field(history.when(&bm, later(), command));
    assert_eq!(
        refused(history.when(&bm, later(), add(9, 3, &["suhft"], "2023-06-30", None))),
        (NotFound, "recommendation.not_found")
    );
    // An action id is unique in the case, whichever plan holds it.
    assert_eq!(
        refused(history.when(
            &bm,
            later(),
            add(SUHFT_SECOND, 1, &["suhft"], "2023-06-30", None)
        )),
        (Conflict, "action.already_added")
    );
    // A completed recommendation takes no more actions.
    assert_eq!(
        refused(history.when(
            &bm,
            later(),
            add(POLICE_ACTION, 3, &["essex-police"], "2023-06-30", None)
        )),
        (Conflict, "recommendation.already_completed")
    );
    assert_eq!(
        refuse(add(SUHFT_FIRST, 3, &[], "2023-06-30", None)),
        (Invalid, "action.owners_count", "owners".into())
    );
    let many: Vec<String> = (0..21).map(|n| format!("org-{n}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        refuse(add(SUHFT_FIRST, 3, &many, "2023-06-30", None)),
        (Invalid, "action.owners_count", "owners".into())
    );
    // Twenty is the most: a list of twenty is judged owner by owner.
    assert_eq!(
        refuse(add(SUHFT_FIRST, 3, &many[..20], "2023-06-30", None)),
        (Invalid, "organisation.unknown", "owners[0]".into())
    );
    assert_eq!(
        refuse(add(SUHFT_FIRST, 3, &["suhft", "suhft"], "2023-06-30", None)),
        (Invalid, "action.owner_repeated", "owners[1]".into())
    );
    assert_eq!(
        refuse(add(
            SUHFT_FIRST,
            3,
            &["suhft", "nowhere-trust"],
            "2023-06-30",
            None
        )),
        (Invalid, "organisation.unknown", "owners[1]".into())
    );
    for (text, code) in [
        ("  ", "field.required"),
        (&*"x".repeat(5_001), "field.too_long"),
    ] {
        let mut command = add(SUHFT_FIRST, 3, &["suhft"], "2023-06-30", None);
        if let CaseCommand::AddAction(add) = &mut command {
            add.text = text.into();
        }
        assert_eq!(refuse(command), (Invalid, code, "text".into()));
    }
    // Due no earlier than the day it is added (London time).
    assert_eq!(
        refuse(add(SUHFT_FIRST, 3, &["suhft"], "2023-04-02", None)),
        (Invalid, "action.due_in_past", "due_on".into())
    );
    assert!(
        history
            .when(
                &bm,
                later(),
                add(SUHFT_FIRST, 3, &["suhft"], "2023-04-03", None)
            )
            .is_ok()
    );
    // Not before the recommendation it carries out.
    check_occurred_at(&history, &bm, later(), RECOMMENDED, |at| {
        add(SUHFT_FIRST, 3, &["suhft"], "2023-06-30", at)
    });
}

#[test]
fn a_plan_holds_fifty_actions_at_most() {
    let mut history = recommended();
    for n in 0..50 {
        history.push(added(
            SUHFT_FIRST,
            100 + n,
            &["suhft"],
            "2023-06-30",
            PLANNED,
        ));
    }
    let bm = business_manager();
    assert_eq!(
        refused(given(history.clone()).when(
            &bm,
            later(),
            add(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", None)
        )),
        (Conflict, "action_plan.too_many_actions")
    );
    history.pop();
    assert!(
        given(history)
            .when(
                &bm,
                later(),
                add(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", None)
            )
            .is_ok()
    );
}

#[test]
fn each_action_is_a_deadline_of_its_lead_owner_met_by_its_completion() {
    let deadlines = action_deadlines(&planned());
    let rows: Vec<_> = deadlines
        .iter()
        .map(|d| {
            (
                d.reference,
                d.organisation.clone().map(String::from),
                d.due_at,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                Some(action_id(1)),
                Some("suhft".into()),
                instant("2023-06-30T22:59:59.999999Z")
            ),
            (
                Some(action_id(2)),
                Some("southend-schools".into()),
                instant("2023-09-29T22:59:59.999999Z")
            ),
        ]
    );
    use DeadlineStatus::{Breached, Met, MetLate, Pending};
    assert_eq!(statuses(&planned(), LATER)[0], Pending);
    assert_eq!(statuses(&all_done(), LATER), [Met, Met]);
    // Not done by the end of June: breached on 1 July, and so it stays for that day even once
    // it is done late.
    let late = and(
        planned(),
        [completed(SUHFT_FIRST, 1, "2023-07-10T10:00:00Z")],
    );
    assert_eq!(statuses(&late, "2023-07-01T08:00:00Z")[0], Breached);
    assert_eq!(statuses(&late, "2023-07-11T08:00:00Z")[0], MetLate);
    // The closure of the case leaves the plan's deadlines due: they outlive it.
    let closed_plan = and(
        closed(),
        [added(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", LATER)],
    );
    assert_eq!(statuses(&closed_plan, "2023-07-01T08:00:00Z"), [Breached]);
}

#[test]
fn owners_of_the_action_record_its_progress_with_evidence() {
    let update = || {
        progress(
            2,
            Rag::Green,
            " Checklist agreed with the school nurses \n",
            vec![evidence(
                " Checklist v2 ",
                Some("https://www.southend.example/checklists/handover"),
                Some(" SUHFT/SG/2023/014 "),
            )],
            None,
        )
    };
    for by in [
        agency_user("suhft"),
        agency_user("southend-schools"),
        business_manager(),
    ] {
        let events = given(planned()).when(&by, later(), update()).unwrap();
        assert_eq!(
            events,
            vec![CaseEvent::ActionProgressRecorded(ActionProgressRecorded {
                recommendation_id: recommendation_id(SUHFT_FIRST),
                action_id: action_id(2),
                rag: Rag::Green,
                note: "Checklist agreed with the school nurses".into(),
                evidence: vec![evidence(
                    "Checklist v2",
                    Some("https://www.southend.example/checklists/handover"),
                    Some("SUHFT/SG/2023/014"),
                )],
                occurred_at: later(),
            })]
        );
    }
    // The school is no owner of the first action: it neither updates nor completes it.
    for command in [progress(1, Rag::Red, "x", vec![], None), complete(1, None)] {
        assert_eq!(
            refused(given(planned()).when(&agency_user("southend-schools"), later(), command)),
            (Forbidden, "auth.own_organisation_only")
        );
    }
    // The latest update gives the RAG status.
    let case = Case::replay(&and(
        planned(),
        [
            progressed(1, Rag::Red, UPDATED),
            progressed(1, Rag::Green, DONE),
        ],
    ))
    .unwrap();
    let plan = &case.after.recommendations[&recommendation_id(SUHFT_FIRST)].plan;
    assert_eq!(plan.actions[&action_id(1)].rag(), Some(Rag::Green));
    assert_eq!(plan.actions[&action_id(2)].rag(), None);
}

#[test]
fn progress_refusals() {
    let bm = business_manager();
    let history = given(and(planned(), [progressed(1, Rag::Amber, UPDATED)]));
    let refuse = |evidence: Vec<Evidence>| {
        refused_field(history.when(
            &bm,
            later(),
            progress(1, Rag::Red, "Delayed", evidence, None),
        ))
    };
    assert_eq!(
        refused(history.when(&bm, later(), progress(9, Rag::Red, "x", vec![], None))),
        (NotFound, "action.not_found")
    );
    assert_eq!(
        refused_field(history.when(&bm, later(), progress(1, Rag::Red, " ", vec![], None))),
        (Invalid, "field.required", "note".into())
    );
    assert_eq!(
        refused_field(history.when(
            &bm,
            later(),
            progress(1, Rag::Red, &"x".repeat(5_001), vec![], None)
        )),
        (Invalid, "field.too_long", "note".into())
    );
    let piece = || evidence("Minutes", None, None);
    assert_eq!(
        refuse(vec![piece(); 21]),
        (Invalid, "evidence.too_many", "evidence".into())
    );
    assert!(
        history
            .when(
                &bm,
                later(),
                progress(1, Rag::Red, "x", vec![piece(); 20], None)
            )
            .is_ok()
    );
    assert_eq!(
        refuse(vec![piece(), evidence("", None, None)]),
        (Invalid, "field.required", "evidence[1].description".into())
    );
    assert_eq!(
        refuse(vec![evidence(&"x".repeat(2_001), None, None)]),
        (Invalid, "field.too_long", "evidence[0].description".into())
    );
    assert_eq!(
        refuse(vec![evidence("Policy", None, Some(" "))]),
        (Invalid, "field.required", "evidence[0].document".into())
    );
    for link in [
        "ftp://files.example/policy",
        "https://",
        "https:///policy",
        "https://www.example/a policy",
        "www.example/policy",
        &format!("https://{}", "x".repeat(1_993)),
    ] {
        assert_eq!(
            refuse(vec![evidence("Policy", Some(link), None)]),
            (Invalid, "evidence.link_invalid", "evidence[0].link".into()),
            "{link}"
        );
    }
    for link in [
        "http://intranet.example/p",
        &format!("https://{}", "x".repeat(1_992)),
    ] {
        assert!(
            history
                .when(
                    &bm,
                    later(),
                    progress(
                        1,
                        Rag::Red,
                        "x",
                        vec![evidence("Policy", Some(link), None)],
                        None
                    )
                )
                .is_ok(),
            "{link}"
        );
    }
    // Never dated before the action's last update.
    check_occurred_at(&history, &bm, later(), UPDATED, |at| {
        progress(1, Rag::Green, "x", vec![], at)
    });
    check_occurred_at(&history, &bm, later(), UPDATED, |at| complete(1, at));
    check_occurred_at(&given(planned()), &bm, later(), PLANNED, |at| {
        complete(1, at)
    });
    // A done action takes no more updates, and is done once.
    let done = given(all_done());
    for command in [
        progress(1, Rag::Green, "x", vec![], None),
        complete(1, None),
    ] {
        assert_eq!(
            refused(done.when(&bm, later(), command)),
            (Conflict, "action.already_completed")
        );
    }
}

#[test]
fn the_recommendation_is_completed_once_its_actions_are() {
    let bm = business_manager();
    let complete_recommendation = || {
        CaseCommand::CompleteRecommendation(CompleteRecommendation {
            recommendation_id: recommendation_id(SUHFT_FIRST),
            occurred_at: None,
        })
    };
    let one_done = and(planned(), [completed(SUHFT_FIRST, 1, DONE)]);
    assert_eq!(
        refused(given(one_done).when(&bm, later(), complete_recommendation())),
        (Conflict, "recommendation.actions_open")
    );
    assert!(
        given(all_done())
            .when(&bm, later(), complete_recommendation())
            .is_ok()
    );
    // A recommendation without a plan is completed as before.
    assert!(
        given(recommended())
            .when(&bm, later(), complete_recommendation())
            .is_ok()
    );
}

#[test]
fn the_group_signs_the_plan_off_once_every_action_is_done() {
    let bm = business_manager();
    assert_eq!(
        given(all_done())
            .when(&bm, later(), sign_off(SUHFT_FIRST, None))
            .unwrap(),
        vec![CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
            recommendation_id: recommendation_id(SUHFT_FIRST),
            group: MeetingGroup::PracticeReview,
            occurred_at: later(),
        })]
    );
    check_occurred_at(&given(all_done()), &bm, later(), DONE, |at| {
        sign_off(SUHFT_FIRST, at)
    });
    assert_eq!(
        refused(given(recommended()).when(&bm, later(), sign_off(SUHFT_FIRST, None))),
        (Conflict, "action_plan.empty")
    );
    let one_done = and(planned(), [completed(SUHFT_FIRST, 1, DONE)]);
    assert_eq!(
        refused(given(one_done).when(&bm, later(), sign_off(SUHFT_FIRST, None))),
        (Conflict, "action_plan.actions_open")
    );
    assert_eq!(
        refused(given(all_done()).when(&bm, later(), sign_off(9, None))),
        (NotFound, "recommendation.not_found")
    );
    let signed = given(signed_off_plan());
    assert_eq!(
        refused(signed.when(&bm, later(), sign_off(SUHFT_FIRST, None))),
        (Conflict, "action_plan.already_signed_off")
    );
    // A signed-off plan takes no more actions.
    assert_eq!(
        refused(signed.when(
            &bm,
            later(),
            add(SUHFT_FIRST, 3, &["suhft"], "2023-06-30", None)
        )),
        (Conflict, "action_plan.signed_off")
    );
    // The business unit records it for the group: nobody else.
    for by in [agency_user("suhft"), independent_advisor(), reviewer()] {
        assert_eq!(
            refused(given(all_done()).when(&by, later(), sign_off(SUHFT_FIRST, None))),
            (Forbidden, "auth.role_required")
        );
    }
}

#[test]
fn impact_is_reviewed_after_sign_off_as_often_as_practice_is_checked() {
    let bm = business_manager();
    assert_eq!(
        refused(given(all_done()).when(
            &bm,
            later(),
            review(SUHFT_FIRST, PracticeChange::Changed, "Audit", None)
        )),
        (Conflict, "action_plan.not_signed_off")
    );
    assert_eq!(
        refused(given(signed_off_plan()).when(
            &bm,
            later(),
            review(9, PracticeChange::Changed, "Audit", None)
        )),
        (NotFound, "recommendation.not_found")
    );
    assert_eq!(
        refused_field(given(signed_off_plan()).when(
            &bm,
            later(),
            review(SUHFT_FIRST, PracticeChange::Changed, "", None)
        )),
        (Invalid, "field.required", "summary".into())
    );
    let first = given(signed_off_plan())
        .when(
            &bm,
            later(),
            review(
                SUHFT_FIRST,
                PracticeChange::PartlyChanged,
                " Case sampling: 6 of 10 ",
                dated(SIGNED_OFF),
            ),
        )
        .unwrap();
    assert_eq!(
        first,
        vec![CaseEvent::ImpactReviewed(ImpactReviewed {
            recommendation_id: recommendation_id(SUHFT_FIRST),
            practice_changed: PracticeChange::PartlyChanged,
            summary: "Case sampling: 6 of 10".into(),
            occurred_at: instant(SIGNED_OFF),
        })]
    );
    check_occurred_at(&given(signed_off_plan()), &bm, later(), SIGNED_OFF, |at| {
        review(SUHFT_FIRST, PracticeChange::Changed, "Audit", at)
    });
    // A later review follows the last one, and the latest answers.
    let reviewed_again = and(signed_off_plan(), first);
    check_occurred_at(
        &given(reviewed_again.clone()),
        &bm,
        later(),
        SIGNED_OFF,
        |at| {
            review(
                SUHFT_FIRST,
                PracticeChange::Changed,
                "Re-audit: 9 of 10",
                at,
            )
        },
    );
    let second = given(reviewed_again.clone())
        .when(
            &bm,
            later(),
            review(
                SUHFT_FIRST,
                PracticeChange::Changed,
                "Re-audit: 9 of 10",
                None,
            ),
        )
        .unwrap();
    let case = Case::replay(&and(reviewed_again, second)).unwrap();
    let plan = &case.after.recommendations[&recommendation_id(SUHFT_FIRST)].plan;
    assert_eq!(
        plan.impact_reviews
            .iter()
            .map(|r| r.practice_changed)
            .collect::<Vec<_>>(),
        [PracticeChange::PartlyChanged, PracticeChange::Changed]
    );
}

#[test]
fn the_plan_outlives_the_case() {
    let bm = business_manager();
    let closed_and_planned = and(
        closed(),
        [
            added(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", LATER),
            completed(SUHFT_FIRST, 1, LATER),
        ],
    );
    let steps = [
        add(SUHFT_FIRST, 2, &["suhft"], "2023-06-30", None),
        sign_off(SUHFT_FIRST, None),
    ];
    for command in steps {
        assert!(
            given(closed_and_planned.clone())
                .when(&bm, later(), command)
                .is_ok()
        );
    }
    let open = and(
        closed(),
        [added(SUHFT_FIRST, 1, &["suhft"], "2023-06-30", LATER)],
    );
    for command in [
        progress(1, Rag::Green, "x", vec![], None),
        complete(1, None),
    ] {
        assert!(given(open.clone()).when(&bm, later(), command).is_ok());
    }
    let signed = and(
        closed_and_planned,
        [CaseEvent::ActionPlanSignedOff(ActionPlanSignedOff {
            recommendation_id: recommendation_id(SUHFT_FIRST),
            group: MeetingGroup::PracticeReview,
            occurred_at: later(),
        })],
    );
    assert!(
        given(signed)
            .when(
                &bm,
                later(),
                review(SUHFT_FIRST, PracticeChange::NotChanged, "Audit", None)
            )
            .is_ok()
    );
}

#[test]
fn an_action_is_found_in_its_recommendations_plan() {
    let case = Case::replay(&planned()).unwrap();
    for action in [1, 2] {
        assert_eq!(
            case.recommendation_of_action(action_id(action)),
            Some(recommendation_id(SUHFT_FIRST))
        );
    }
    // A recommendation's id is no action's.
    assert_eq!(
        case.recommendation_of_action(recommendation_id(SUHFT_FIRST)),
        None
    );
    assert_eq!(case.recommendation_of_action(action_id(9)), None);
}
