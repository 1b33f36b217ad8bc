#![allow(clippy::unwrap_used)]
use super::*;
use crate::case::CaseCommand;
use crate::{Actor, Role};
use std::collections::BTreeSet;

fn actor(roles: &[Role]) -> Actor {
    Actor {
        user: "u-1".into(),
        name: "A Worker".into(),
        partnership: crate::PartnershipSlug::parse("southend").unwrap(),
        org: crate::OrgSlug::parse("southend-council").unwrap(),
        roles: roles.iter().copied().collect(),
    }
}

#[test]
fn a_command_is_open_only_to_its_roles_and_an_unknown_name_to_none() {
    assert!(may_send("EraseCasePersonalData", &actor(&[Role::Admin])).is_ok());
    assert!(may_send("CloseCase", &actor(&[Role::Auditor, Role::BusinessManager])).is_ok());
    for (command, roles) in [
        ("EraseCasePersonalData", &[Role::BusinessManager][..]),
        ("CloseCase", &[Role::Admin, Role::Notifier][..]),
        ("NoSuchCommand", &Role::ALL[..]),
    ] {
        let refused = may_send(command, &actor(roles)).unwrap_err();
        assert_eq!(refused.code, "auth.role_required", "{command}");
    }
}

#[test]
fn a_refusal_names_the_roles_in_the_declared_order() {
    let refused = may_send("CompleteSar", &actor(&[Role::Notifier])).unwrap_err();
    assert_eq!(
        refused.message,
        "this command needs the role business_manager or reviewer"
    );
    assert_eq!(roles_for("NoSuchCommand"), None);
    assert_eq!(
        roles_for("SubmitAgencyReport"),
        Some(&[Role::AgencyUser][..])
    );
}

#[test]
fn every_case_command_has_exactly_one_rule_and_every_rule_a_command() {
    let names: BTreeSet<&str> = CaseCommand::NAMES.iter().copied().collect();
    let declared: Vec<&str> = RULES.iter().map(|rule| rule.name).collect();
    let unique: BTreeSet<&str> = declared.iter().copied().collect();
    assert_eq!(unique.len(), declared.len(), "a command is declared twice");
    assert_eq!(unique, names);
    for rule in RULES {
        assert!(!rule.roles.is_empty(), "{}", rule.name);
        assert!(!rule.roles.contains(&Role::Auditor), "{}", rule.name);
        assert_eq!(rule_for(rule.name), Some(rule));
    }
}

#[test]
fn each_process_is_opened_by_its_own_commands() {
    let opening = |kind| {
        RULES
            .iter()
            .filter(|rule| rule.applies == Applies::Opens(kind))
            .map(|rule| rule.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        opening(CaseKind::Child),
        ["NotifyIncident", "ReferCaseForConsideration"]
    );
    assert_eq!(opening(CaseKind::Adult), ["ReferSafeguardingAdultReview"]);
    assert_eq!(
        opening(CaseKind::DomesticHomicide),
        ["NotifyDomesticHomicide"]
    );
}

#[test]
fn a_rule_reads_as_one_line() {
    let rule = rule_for("SubmitAgencyReport").unwrap();
    assert_eq!(rule.applies.describe(), "child or adult");
    assert_eq!(
        rule.describe(),
        "Sent by agency_user; the organisation named in the command must be the user's own."
    );
    assert_eq!(
        rule_for("ReferSafeguardingAdultReview")
            .unwrap()
            .applies
            .describe(),
        "opens a new adult case"
    );
}

const DOC: &str = "docs/access-control.md";
const START: &str = "<!-- generated from casetrail_domain::case::policy::RULES: edit the rules, \
then run `UPDATE_DOCS=1 cargo test -p casetrail-domain policy` -->\n";
const END: &str = "<!-- end of the generated table -->";

/// The table in the access-control document is the declaration, rendered: the document cannot
/// drift from the decider. `UPDATE_DOCS=1` rewrites it.
#[test]
fn the_access_control_document_holds_the_declared_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(DOC);
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc
        .find(START)
        .unwrap_or_else(|| panic!("{DOC} lacks the marker {START}"));
    let body_start = start + START.len();
    let end = body_start
        + doc[body_start..]
            .find(END)
            .unwrap_or_else(|| panic!("{DOC} lacks the marker {END}"));
    let expected = markdown_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &doc[..body_start], &doc[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &doc[body_start..end],
        expected,
        "{DOC} is not the declared table; run UPDATE_DOCS=1 cargo test -p casetrail-domain policy"
    );
}

#[test]
fn each_organisation_rule_names_the_code_its_refusal_carries() {
    use super::OrganisationRule::*;
    let own_partner = OwnPartner {
        business_manager_for_any: false,
        refusal: "",
    };
    let codes: Vec<Option<&str>> = [
        Any,
        Registered,
        LocalAuthority,
        StatutoryPartner,
        OwnOrganisation,
        own_partner,
        RecommendationOwner,
    ]
    .iter()
    .map(|rule| rule.refusal_code())
    .collect();
    assert_eq!(
        codes,
        [
            None,
            Some("auth.unknown_organisation"),
            Some("auth.local_authority_only"),
            Some("auth.statutory_partner_only"),
            Some("auth.own_organisation_only"),
            Some("auth.own_partner_only"),
            Some("auth.own_organisation_only"),
        ]
    );
}
