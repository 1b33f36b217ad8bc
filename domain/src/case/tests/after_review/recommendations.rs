//! AddRecommendation and CompleteRecommendation: each owned by one organisation or several
//! jointly, any of which records the action done.

use super::*;
use crate::deadline::DeadlineKind;

#[test]
fn add_recommendation_by_the_business_manager_or_the_reviewer() {
    let history = given(published());
    for by in [business_manager(), reviewer()] {
        let events = history
            .when(
                &by,
                later(),
                recommend_text(
                    SUHFT_FIRST,
                    &format!("  {RECOMMENDATION}\n"),
                    "suhft",
                    "2023-09-29",
                    None,
                ),
            )
            .unwrap();
        assert_eq!(
            events,
            vec![recommendation_added(
                SUHFT_FIRST,
                "suhft",
                "2023-09-29",
                LATER
            )]
        );
        let case = Case::replay(&and(published(), events)).unwrap();
        assert_eq!(case.stage, Stage::Published);
        assert!(case.involved.contains(&org("suhft")));
        let recommendation = &case.after.recommendations[&recommendation_id(SUHFT_FIRST)];
        assert_eq!(recommendation.completed_at, None);
    }
    // A rapid review makes recommendations too, and one may be due the day it is made.
    assert_eq!(
        given(submitted())
            .when(
                &business_manager(),
                later(),
                recommend(SUHFT_FIRST, "southend-schools", "2023-04-03", None)
            )
            .unwrap(),
        vec![recommendation_added(
            SUHFT_FIRST,
            "southend-schools",
            "2023-04-03",
            LATER
        )]
    );
}

#[test]
fn add_recommendation_refusals() {
    let bm = business_manager();
    let history = given(recommended());
    assert_eq!(
        refused(given(before_review()).when(
            &bm,
            later(),
            recommend(9, "suhft", "2023-09-29", None)
        )),
        (Conflict, "rapid_review.not_started")
    );
    // The id is the edge's: reusing one, even for another owner, is refused.
    assert_eq!(
        refused(history.when(
            &bm,
            later(),
            recommend(SUHFT_FIRST, "essex-police", "2023-09-29", None)
        )),
        (Conflict, "recommendation.already_added")
    );
    assert_eq!(
        refused_field(history.when(
            &bm,
            later(),
            recommend(9, "nowhere-trust", "2023-09-29", None)
        )),
        (Invalid, "organisation.unknown", "owners[0]".into())
    );
    assert_eq!(
        refused_field(history.when(
            &bm,
            later(),
            recommend_text(9, "\t", "suhft", "2023-09-29", None)
        )),
        (Invalid, "field.required", "text".into())
    );
    assert_eq!(
        refused_field(history.when(
            &bm,
            later(),
            recommend_text(9, &"x".repeat(5_001), "suhft", "2023-09-29", None)
        )),
        (Invalid, "field.too_long", "text".into())
    );
    // Due no earlier than the day it is made (London time), which may be backdated.
    assert_eq!(
        refused_field(history.when(&bm, later(), recommend(9, "suhft", "2023-04-02", None))),
        (Invalid, "recommendation.due_in_past", "due_on".into())
    );
    assert_eq!(
        refused_field(history.when(
            &bm,
            later(),
            recommend(9, "suhft", "2023-03-27", dated(RECOMMENDED))
        )),
        (Invalid, "recommendation.due_in_past", "due_on".into())
    );
    assert!(
        history
            .when(
                &bm,
                later(),
                recommend(9, "suhft", "2023-03-28", dated(RECOMMENDED))
            )
            .is_ok()
    );
    // 23:30 UTC on 27 March 2023 is already the 28th in London (BST).
    assert!(
        history
            .when(
                &bm,
                later(),
                recommend(9, "suhft", "2023-03-28", dated("2023-03-27T23:30:00Z"))
            )
            .is_ok()
    );
    check_occurred_at(&given(started()), &bm, later(), INITIATED, |at| {
        recommend(9, "suhft", "2023-09-29", at)
    });
}

#[test]
fn complete_recommendation_by_its_owner_or_the_business_manager() {
    let history = given(recommended());
    let done = |n| vec![recommendation_completed(n, LATER)];
    let cases = [
        (agency_user("suhft"), SUHFT_FIRST),
        // The business manager records it for any owner.
        (business_manager(), SUHFT_SECOND),
    ];
    for (by, n) in cases {
        let events = history.when(&by, later(), complete(n, None)).unwrap();
        assert_eq!(events, done(n));
        let case = Case::replay(&and(recommended(), events)).unwrap();
        let recommendation = &case.after.recommendations[&recommendation_id(n)];
        assert_eq!(recommendation.completed_at, Some(later()));
        assert_eq!(case.stage, Stage::Published);
    }
    // A partner's decision maker records its partner's action.
    let police = and(
        published(),
        [recommendation_added(
            POLICE_ACTION,
            "essex-police",
            "2023-06-30",
            RECOMMENDED,
        )],
    );
    assert_eq!(
        given(police)
            .when(
                &decision_maker(Police),
                later(),
                complete(POLICE_ACTION, None)
            )
            .unwrap(),
        done(POLICE_ACTION)
    );
}

#[test]
fn complete_recommendation_refusals() {
    let history = given(recommended());
    let owner = agency_user("suhft");
    assert_eq!(
        refused(history.when(&owner, later(), complete(9, None))),
        (NotFound, "recommendation.not_found")
    );
    assert_eq!(
        refused(history.when(
            &agency_user("southend-schools"),
            later(),
            complete(SUHFT_FIRST, None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    assert_eq!(
        refused(history.when(
            &decision_maker(Health),
            later(),
            complete(SUHFT_FIRST, None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    let not_allowed = Role::ALL.into_iter().filter(|r| {
        ![
            Role::BusinessManager,
            Role::AgencyUser,
            Role::PartnerDecisionMaker,
        ]
        .contains(r)
    });
    for role in not_allowed {
        assert_eq!(
            refused(history.when(
                &actor("suhft", &[role]),
                later(),
                complete(SUHFT_FIRST, None)
            )),
            (Forbidden, "auth.role_required"),
            "{}",
            role.as_str()
        );
    }
    assert_eq!(
        refused(history.when(
            &decision_maker(Police),
            later(),
            complete(POLICE_ACTION, None)
        )),
        (Conflict, "recommendation.already_completed")
    );
    check_occurred_at(&history, &owner, later(), RECOMMENDED, |at| {
        complete(SUHFT_SECOND, at)
    });
}

fn recommend_jointly(n: u128, owners: &[&str]) -> CaseCommand {
    CaseCommand::AddRecommendation(AddRecommendation {
        recommendation_id: recommendation_id(n),
        text: RECOMMENDATION.into(),
        owners: owners.iter().map(|o| org(o)).collect(),
        due_on: date("2023-09-29"),
        occurred_at: None,
    })
}

#[test]
fn a_joint_recommendation_involves_every_owner_and_the_lead_answers_for_it() {
    let bm = business_manager();
    let events = given(published())
        .when(
            &bm,
            later(),
            recommend_jointly(9, &["essex-police", "suhft"]),
        )
        .unwrap();
    let CaseEvent::RecommendationAdded(added) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(added.owners, vec![org("essex-police"), org("suhft")]);
    let history = and(published(), events);
    let case = Case::replay(&history).unwrap();
    assert!(case.involved.contains(&org("essex-police")));
    assert!(case.involved.contains(&org("suhft")));
    let deadline = case
        .deadlines(&southend())
        .into_iter()
        .find(|d| d.kind == DeadlineKind::Recommendation)
        .unwrap();
    assert_eq!(deadline.organisation, Some(org("essex-police")));
    // Either owner records the shared action; an organisation that is not an owner may not.
    for by in [decision_maker(Police), agency_user("suhft")] {
        assert!(
            given(history.clone())
                .when(&by, later(), complete(9, None))
                .is_ok()
        );
    }
    assert_eq!(
        refused(given(history).when(&agency_user("southend-schools"), later(), complete(9, None))),
        (Forbidden, "auth.own_organisation_only")
    );
}

#[test]
fn owners_are_one_to_twenty_each_named_once() {
    let history = given(published());
    let bm = business_manager();
    let twenty_one = vec!["suhft"; 21];
    for (owners, code, field) in [
        (vec![], "recommendation.owners_count", "owners"),
        (twenty_one, "recommendation.owners_count", "owners"),
        (
            vec!["suhft", "essex-police", "suhft"],
            "recommendation.owner_repeated",
            "owners[2]",
        ),
        (
            vec!["suhft", "nowhere-trust"],
            "organisation.unknown",
            "owners[1]",
        ),
    ] {
        assert_eq!(
            refused_field(history.when(&bm, later(), recommend_jointly(9, &owners))),
            (Invalid, code, field.into())
        );
    }
}
