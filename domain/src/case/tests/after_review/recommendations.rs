//! AddRecommendation and CompleteRecommendation: each owned by an organisation, which records
//! its own action done.

use super::*;

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
        (Invalid, "organisation.unknown", "owner".into())
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
