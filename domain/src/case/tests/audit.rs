//! Multi-agency audits (docs/rules.md AU-1 to AU-3): commissioned by the business manager,
//! their findings recorded once, then recommendations with action plans and closure as
//! `audit_completed`; no personal data at any point.

use super::*;
use crate::case::audit::{
    AuditCommissioned, AuditFindingsRecorded, CommissionAudit, RecordAuditFindings,
};
use crate::case::commands::{AddRecommendation, At, CloseCase, PublishReview};
use crate::case::erasure::{EraseCasePersonalData, ErasureBasis};
use crate::case::practice_review::ClosureReason;
use crate::learning::MeetingGroup;
use ErrorKind::{Conflict, Forbidden, Invalid};
use uuid::Uuid;

const COMMISSIONED: &str = "2022-06-01T10:00:00Z";
const FOUND: &str = "2022-09-15T10:00:00Z";
const LATER: &str = "2022-10-03T12:00:00Z";

fn commission(agencies: &[&str], sample_size: u32, at: Option<DateTime<Utc>>) -> CaseCommand {
    CaseCommand::CommissionAudit(CommissionAudit {
        case_id: case_id(),
        reference: " MAA-2022-03 ".into(),
        topic: "Neglect of children under five".into(),
        group: MeetingGroup::AuditQualityPerformanceChildren,
        agencies: agencies.iter().map(|slug| org(slug)).collect(),
        sample_size,
        occurred_at: at,
    })
}

fn commissioned() -> Vec<CaseEvent> {
    vec![CaseEvent::AuditCommissioned(AuditCommissioned {
        case_id: case_id(),
        commissioned_by: org("southend-council"),
        reference: "MAA-2022-03".into(),
        topic: "Neglect of children under five".into(),
        group: MeetingGroup::AuditQualityPerformanceChildren,
        agencies: vec![org("essex-police"), org("suhft")],
        sample_size: 12,
        occurred_at: instant(COMMISSIONED),
    })]
}

fn findings(cases_audited: u32, at: Option<DateTime<Utc>>) -> CaseCommand {
    CaseCommand::RecordAuditFindings(RecordAuditFindings {
        cases_audited,
        findings: " In 8 of 11 cases the school nurse was not told. ".into(),
        occurred_at: at,
    })
}

fn reported() -> Vec<CaseEvent> {
    and(
        commissioned(),
        [CaseEvent::AuditFindingsRecorded(AuditFindingsRecorded {
            cases_audited: 11,
            findings: "In 8 of 11 cases the school nurse was not told.".into(),
            occurred_at: instant(FOUND),
        })],
    )
}

fn recommend() -> CaseCommand {
    CaseCommand::AddRecommendation(AddRecommendation {
        recommendation_id: Uuid::from_u128(7),
        text: "Health visitors tell the school nurse of every new baby.".into(),
        owners: vec![org("suhft")],
        due_on: date("2023-03-31"),
        occurred_at: None,
    })
}

fn later() -> DateTime<Utc> {
    instant(LATER)
}

fn dated(s: &str) -> Option<DateTime<Utc>> {
    Some(instant(s))
}

#[test]
fn the_business_manager_commissions_an_audit_that_involves_its_agencies() {
    let events = given(vec![])
        .when(
            &business_manager(),
            later(),
            commission(&["essex-police", "suhft"], 12, Some(instant(COMMISSIONED))),
        )
        .unwrap();
    assert_eq!(events, commissioned());
    let case = Case::replay(&events).unwrap();
    assert_eq!(
        (case.kind, case.stage),
        (CaseKind::Audit, Stage::AuditUnderWay)
    );
    assert_eq!(case.reference(), "MAA-2022-03");
    assert_eq!(case.opened_by(), &org("southend-council"));
    for agency in ["essex-police", "suhft", "southend-council"] {
        assert!(case.involved.contains(&org(agency)), "{agency}");
    }
    // No personal data, and so no deadline and nothing to retain.
    assert_eq!(case.personal_data(), None);
    assert!(case.deadlines(&southend()).is_empty());
    for by in [agency_user("suhft"), independent_advisor(), notifier()] {
        assert_eq!(
            refused(given(vec![]).when(&by, later(), commission(&["suhft"], 12, None))),
            (Forbidden, "auth.role_required")
        );
    }
    // A case id already used opens nothing.
    assert_eq!(
        refused(given(commissioned()).when(
            &business_manager(),
            later(),
            commission(&["suhft"], 12, None)
        )),
        (Conflict, "case.already_exists")
    );
}

#[test]
fn a_commission_names_registered_agencies_once_and_a_sample() {
    let bm = business_manager();
    let refuse = |command| refused_field(given(vec![]).when(&bm, later(), command));
    assert_eq!(
        refuse(commission(&[], 12, None)),
        (Invalid, "field.invalid", "agencies".into())
    );
    assert_eq!(
        refuse(commission(&["suhft", "suhft"], 12, None)),
        (Invalid, "organisation.duplicate", "agencies[1]".into())
    );
    assert_eq!(
        refuse(commission(&["suhft", "met-police"], 12, None)),
        (Invalid, "organisation.unknown", "agencies[1]".into())
    );
    for size in [0, 10_001] {
        assert_eq!(
            refuse(commission(&["suhft"], size, None)),
            (Invalid, "field.invalid", "sample_size".into())
        );
    }
    for size in [1, 10_000] {
        assert!(
            given(vec![])
                .when(&bm, later(), commission(&["suhft"], size, None))
                .is_ok()
        );
    }
    let many: Vec<String> = (0..101).map(|n| format!("org-{n}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        refuse(commission(&many, 12, None)),
        (Invalid, "field.invalid", "agencies".into())
    );
    // A hundred is the most: a list of a hundred is judged agency by agency.
    assert_eq!(
        refuse(commission(&many[..100], 12, None)),
        (Invalid, "organisation.unknown", "agencies[0]".into())
    );
    let mut blank = commission(&["suhft"], 12, None);
    if let CaseCommand::CommissionAudit(c) = &mut blank {
        c.topic = " ".into();
    }
    assert_eq!(refuse(blank), (Invalid, "field.required", "topic".into()));
    let mut long = commission(&["suhft"], 12, None);
    if let CaseCommand::CommissionAudit(c) = &mut long {
        c.reference = "x".repeat(65);
    }
    assert_eq!(
        refuse(long),
        (Invalid, "field.too_long", "reference".into())
    );
    let err = given(vec![])
        .when(
            &bm,
            later(),
            commission(&["suhft"], 12, Some(later() + TimeDelta::seconds(1))),
        )
        .unwrap_err();
    assert_eq!(err.code, "occurred_at.in_future");
}

#[test]
fn findings_are_recorded_once_from_no_more_cases_than_sampled() {
    let bm = business_manager();
    let events = given(commissioned())
        .when(&bm, later(), findings(11, dated(FOUND)))
        .unwrap();
    assert_eq!(events, reported()[1..]);
    let case = Case::replay(&reported()).unwrap();
    assert_eq!(case.stage, Stage::AuditReported);
    for n in [0, 13] {
        assert_eq!(
            refused_field(given(commissioned()).when(&bm, later(), findings(n, None))),
            (Invalid, "field.invalid", "cases_audited".into())
        );
    }
    assert!(
        given(commissioned())
            .when(&bm, later(), findings(12, None))
            .is_ok()
    );
    check_occurred_at(&given(commissioned()), &bm, later(), COMMISSIONED, |at| {
        findings(1, at)
    });
    assert_eq!(
        refused(given(reported()).when(&bm, later(), findings(11, None))),
        (Conflict, "audit.findings_already_recorded")
    );
    // Findings are an audit's: a child case has none.
    assert_eq!(
        refused(given(submitted()).when(&bm, later(), findings(11, None))),
        (Conflict, "case.wrong_kind")
    );
    assert_eq!(
        refused(given(commissioned()).when(&agency_user("suhft"), later(), findings(11, None))),
        (Forbidden, "auth.role_required")
    );
}

#[test]
fn recommendations_follow_the_findings_and_the_audit_closes_as_completed() {
    let bm = business_manager();
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), recommend())),
        (Conflict, "audit.no_findings")
    );
    assert!(given(reported()).when(&bm, later(), recommend()).is_ok());
    let close = |reason| {
        CaseCommand::CloseCase(CloseCase {
            reason,
            occurred_at: None,
        })
    };
    assert_eq!(
        refused(given(commissioned()).when(&bm, later(), close(ClosureReason::AuditCompleted))),
        (Conflict, "closure.no_findings")
    );
    let closed = given(reported()).when(&bm, later(), close(ClosureReason::AuditCompleted));
    assert_eq!(closed.unwrap()[0].event_type(), "CaseClosed");
    for reason in [ClosureReason::NoReview, ClosureReason::ReviewPublished] {
        assert_eq!(
            refused(given(reported()).when(&bm, later(), close(reason))),
            (Conflict, "closure.reason_not_for_kind")
        );
    }
    // audit_completed closes audits only.
    assert_eq!(
        refused(given(submitted()).when(&bm, later(), close(ClosureReason::AuditCompleted))),
        (Conflict, "closure.reason_not_for_kind")
    );
}

#[test]
fn an_audit_is_neither_published_nor_erased() {
    let publish = CaseCommand::PublishReview(PublishReview {
        url: None,
        occurred_at: None,
    });
    assert_eq!(
        refused(given(reported()).when(&business_manager(), later(), publish)),
        (Conflict, "case.wrong_kind")
    );
    let take_down = CaseCommand::RecordReviewTakenDown(At { occurred_at: None });
    assert_eq!(
        refused(given(reported()).when(&business_manager(), later(), take_down)),
        (Conflict, "case.wrong_kind")
    );
    let erase = CaseCommand::EraseCasePersonalData(EraseCasePersonalData {
        legal_basis: ErasureBasis::RetentionPeriodEnded,
        reason: "Retention period over".into(),
    });
    assert_eq!(
        refused(given(reported()).when(&actor("southend-council", &[Role::Admin]), later(), erase)),
        (Conflict, "case.wrong_kind")
    );
}
