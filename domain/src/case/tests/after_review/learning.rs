//! RecordLearningDisseminated: a review's learning shared with organisations, as often as it
//! is shared, once the review has reached its findings (docs/rules.md LR-1).

use super::*;
use crate::case::shared::learning::{
    DisseminationMethod, LearningDisseminated, RecordLearningDisseminated,
};

pub(in crate::case::tests) fn disseminate(
    organisations: &[&str],
    people_reached: Option<u32>,
    occurred_at: When,
) -> CaseCommand {
    CaseCommand::RecordLearningDisseminated(RecordLearningDisseminated {
        method: DisseminationMethod::SevenMinuteBriefing,
        organisations: organisations.iter().map(|slug| org(slug)).collect(),
        people_reached,
        occurred_at,
    })
}

pub(in crate::case::tests) fn disseminated(
    organisations: &[&str],
    people_reached: Option<u32>,
    at: &str,
) -> CaseEvent {
    CaseEvent::LearningDisseminated(LearningDisseminated {
        method: DisseminationMethod::SevenMinuteBriefing,
        organisations: organisations.iter().map(|slug| org(slug)).collect(),
        people_reached,
        occurred_at: instant(at),
    })
}

#[test]
fn a_rapid_reviews_learning_is_shared_once_it_went_to_the_panel_and_as_often_as_needed() {
    let bm = business_manager();
    let reached = ["essex-police", "suhft"];
    let first = given(submitted())
        .when(&bm, later(), disseminate(&reached, Some(140), None))
        .unwrap();
    assert_eq!(first, vec![disseminated(&reached, Some(140), LATER)]);
    // No rule depends on it: the case keeps it for the statistics, at the same stage.
    let before = Case::replay(&submitted()).unwrap();
    let after = Case::replay(&and(submitted(), first.clone())).unwrap();
    assert_eq!(after.stage, before.stage);
    assert_eq!(
        after.after.learning_shared,
        [disseminated(&reached, Some(140), LATER)]
            .iter()
            .filter_map(|e| match e {
                CaseEvent::LearningDisseminated(d) => Some(d.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    );
    let mut without = after.after.clone();
    without.learning_shared.clear();
    assert_eq!(without, before.after);
    // Shared again, by another means, later: both stand.
    let again = given(and(submitted(), first))
        .when(&bm, later(), disseminate(&["southend-council"], None, None))
        .unwrap();
    assert_eq!(
        again,
        vec![disseminated(&["southend-council"], None, LATER)]
    );
    // And after publication.
    assert!(
        given(published())
            .when(&bm, later(), disseminate(&reached, None, None))
            .is_ok()
    );
}

#[test]
fn nothing_is_shared_before_the_review_has_findings() {
    for history in [before_review(), started(), signed_off(), decided()] {
        assert_eq!(
            refused(given(history).when(
                &business_manager(),
                now(),
                disseminate(&["suhft"], None, None)
            )),
            (Conflict, "case.wrong_stage")
        );
    }
}

#[test]
fn only_the_business_manager_records_it_and_not_on_a_closed_case() {
    for by in [agency_user("suhft"), reviewer(), independent_advisor()] {
        assert_eq!(
            refused(given(submitted()).when(&by, later(), disseminate(&["suhft"], None, None))),
            (Forbidden, "auth.role_required")
        );
    }
    assert_eq!(
        refused(given(closed()).when(
            &business_manager(),
            later(),
            disseminate(&["suhft"], None, None)
        )),
        (Conflict, "case.closed")
    );
}

#[test]
fn the_organisations_are_named_once_each_and_belong_to_the_partnership() {
    let history = given(submitted());
    let bm = business_manager();
    let field_of = |command| {
        let err = history.when(&bm, later(), command).unwrap_err();
        (err.code, err.field_errors[0].field.clone())
    };
    assert_eq!(
        field_of(disseminate(&[], None, None)),
        ("field.invalid", "organisations".to_owned())
    );
    assert_eq!(
        field_of(disseminate(&["suhft", "essex-police", "suhft"], None, None)),
        ("organisation.duplicate", "organisations[2]".to_owned())
    );
    assert_eq!(
        field_of(disseminate(&["suhft", "nowhere-trust"], None, None)),
        ("organisation.unknown", "organisations[1]".to_owned())
    );
    // A hundred may be named (here unknown ones, so the count passes and the names do not);
    // a hundred and one is too many.
    let many: Vec<String> = (0..101).map(|n| format!("agency-{n}")).collect();
    let names: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        field_of(disseminate(&names[..100], None, None)),
        ("organisation.unknown", "organisations[0]".to_owned())
    );
    assert_eq!(
        field_of(disseminate(&names, None, None)),
        ("field.invalid", "organisations".to_owned())
    );
}

#[test]
fn the_people_reached_are_counted_from_one_to_a_hundred_thousand() {
    let history = given(submitted());
    let bm = business_manager();
    for people in [0, 100_001] {
        let err = history
            .when(&bm, later(), disseminate(&["suhft"], Some(people), None))
            .unwrap_err();
        assert_eq!(
            (err.code, err.field_errors[0].field.as_str()),
            ("field.invalid", "people_reached"),
            "{people}"
        );
    }
    for people in [1, 100_000] {
        assert!(
            history
                .when(&bm, later(), disseminate(&["suhft"], Some(people), None))
                .is_ok(),
            "{people}"
        );
    }
}

#[test]
fn it_happened_after_the_findings_and_not_in_the_future() {
    check_occurred_at(
        &given(submitted()),
        &business_manager(),
        later(),
        SUBMITTED,
        |at| disseminate(&["suhft"], None, at),
    );
}
