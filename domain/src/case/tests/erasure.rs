//! EraseCasePersonalData.

use super::*;
use crate::case::erasure::{EraseCasePersonalData, ErasureBasis, PersonalDataErased};

const NOTIFIED: &str = "2022-12-22T15:00:00Z";
const NOW: &str = "2026-11-30T10:00:00Z";

fn erase(reason: &str) -> CaseCommand {
    CaseCommand::EraseCasePersonalData(EraseCasePersonalData {
        legal_basis: ErasureBasis::UkGdprArticle17Request,
        reason: reason.to_owned(),
    })
}

fn admin() -> Actor {
    actor("southend-council", &[Role::Admin])
}

#[test]
fn an_admin_erases_the_case_key_once_with_the_legal_basis() {
    let notified = given(vec![notified_at(instant(NOTIFIED))]);
    let events = notified
        .when(&admin(), instant(NOW), erase("DPO request 2026-0143"))
        .unwrap();
    let erased = PersonalDataErased {
        key_id: sealed().key_id,
        legal_basis: ErasureBasis::UkGdprArticle17Request,
        reason: "DPO request 2026-0143".into(),
        occurred_at: instant(NOW),
    };
    assert_eq!(events, vec![CaseEvent::PersonalDataErased(erased.clone())]);
    let after = given(vec![
        notified_at(instant(NOTIFIED)),
        CaseEvent::PersonalDataErased(erased),
    ]);
    assert_eq!(
        Case::replay(&after.events).unwrap().personal_data_erased_at,
        Some(instant(NOW))
    );
    assert_eq!(
        refused(after.when(&admin(), instant(NOW), erase("again"))),
        (ErrorKind::Conflict, "personal_data.already_erased")
    );
}

#[test]
fn only_an_admin_erases_and_only_with_a_reason() {
    let notified = given(vec![notified_at(instant(NOTIFIED))]);
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        assert_eq!(
            refused(notified.when(
                &actor("southend-council", &[role]),
                instant(NOW),
                erase("a reason")
            )),
            (ErrorKind::Forbidden, "auth.role_required"),
            "{role:?}"
        );
    }
    assert_eq!(
        refused(notified.when(&admin(), instant(NOW), erase("  "))),
        (ErrorKind::Invalid, "field.required")
    );
    assert_eq!(
        refused(notified.when(&admin(), instant(NOW), erase(&"x".repeat(501)))),
        (ErrorKind::Invalid, "field.too_long")
    );
    assert!(
        notified
            .when(&admin(), instant(NOW), erase(&"x".repeat(500)))
            .is_ok()
    );
    assert_eq!(
        refused(given(vec![]).when(&admin(), instant(NOW), erase("a reason"))),
        (ErrorKind::NotFound, "case.not_found")
    );
}
