//! The queries that read what the read models keep no copy of (the stored events, the sealed
//! personal data, the access log), against a real store (SQLite, and PostgreSQL when
//! `TEST_DATABASE_URL` is set). The black-box tests cover what HTTP can reach; these cover the
//! states it cannot set up: a key destroyed while the read models still hold the case, and more
//! reads of a case than one page of the access log.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;

use casetrail_app::demo::DEMO_PARTNERSHIP;
use casetrail_app::personal_data::{ChildPersonalData, DataKey};
use casetrail_app::queries::AccessFilters;
use casetrail_app::{Addressed, AppError, Expectations};
use casetrail_domain::case::commands::{ChildDetails, CloseCase};
use casetrail_domain::case::practice_review::ClosureReason;
use casetrail_domain::case::{AbuseOrNeglect, CaseCommand, Harm, LocationBasis, NotifyIncident};
use casetrail_domain::{CaseId, Role};
use casetrail_store::AccessRecord;
use chrono::{NaiveDate, TimeZone, Utc};
use harness::{Harness, actor, harness};

impl Harness {
    /// A child case notified in 2000 about a child born in 1990 and closed in 2001: due for
    /// erasure since the end of 2015. Returns the case and its data key's id.
    async fn closed_child_case(&self, reference: &str) -> (CaseId, uuid::Uuid) {
        let notifier = actor(Role::Notifier, "southend-council");
        let case_id = CaseId::from_uuid(uuid::Uuid::now_v7());
        let key = DataKey::generate();
        let details = ChildPersonalData {
            given_name: "Alex".to_owned(),
            family_name: "Smith".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            summary: "Admitted to hospital.".to_owned(),
        };
        let notify = CaseCommand::NotifyIncident(NotifyIncident {
            case_id,
            child: ChildDetails {
                reference: reference.to_owned(),
                date_of_birth: details.date_of_birth,
                sex: "female".to_owned(),
                ethnicity: "white_british".to_owned(),
                looked_after: false,
                child_protection_plan: false,
            },
            personal_data: key.seal(&details).unwrap(),
            incident_date: NaiveDate::from_ymd_opt(2000, 6, 1).unwrap(),
            became_aware_on: NaiveDate::from_ymd_opt(2000, 6, 1).unwrap(),
            harm: Harm::SeriousHarm,
            abuse_or_neglect: AbuseOrNeglect::Known,
            location_basis: LocationBasis::InArea,
            occurred_at: Some(Utc.with_ymd_and_hms(2000, 6, 1, 12, 0, 0).unwrap()),
        });
        let expectations = Expectations {
            data_key: Some(key.clone()),
            ..Expectations::default()
        };
        self.bus
            .execute(
                &notifier,
                Addressed::case(&notifier, case_id, notify),
                expectations,
            )
            .await
            .unwrap();
        let manager = actor(Role::BusinessManager, "southend-council");
        let close = CaseCommand::CloseCase(CloseCase {
            reason: ClosureReason::CriteriaNotMet,
            occurred_at: Some(Utc.with_ymd_and_hms(2001, 1, 10, 10, 0, 0).unwrap()),
        });
        self.bus
            .execute(
                &manager,
                Addressed::case(&manager, case_id, close),
                Expectations::default(),
            )
            .await
            .unwrap();
        (case_id, key.id)
    }
}

async fn a_destroyed_key_takes_a_case_off_the_due_list_and_its_export_is_gone(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (first, _) = h.closed_child_case("REF-0001").await;
    let (second, second_key) = h.closed_child_case("REF-0002").await;
    let admin = actor(Role::Admin, "southend-council");
    let list = h.queries.retention_list(&admin).unwrap();

    let due = list.due(None, 50).await.unwrap();
    let ids: Vec<CaseId> = due.cases.iter().map(|c| c.case_id).collect();
    assert_eq!(ids, [first, second]);
    // The age rule ends with the year of the 25th birthday, later than six years after closure.
    assert_eq!(
        due.cases[0].retention_ends_on,
        NaiveDate::from_ymd_opt(2015, 12, 31).unwrap()
    );
    assert_eq!(due.next_after, None);
    // A page of one ends where the next one starts.
    let page = list.due(None, 1).await.unwrap();
    assert_eq!(page.cases.len(), 1);
    assert_eq!(page.cases[0].case_id, first);
    let rest = list.due(page.next_after, 1).await.unwrap();
    assert_eq!(rest.cases[0].case_id, second);
    assert_eq!(rest.next_after, None);

    // The key gone with no erasure recorded (an erasure's second half without its first, or a
    // key lost): the read models still hold the case, but nothing of the person is left.
    h.vault.erase(&[second_key]).await.unwrap();
    let due = list.due(None, 50).await.unwrap();
    let ids: Vec<CaseId> = due.cases.iter().map(|c| c.case_id).collect();
    assert_eq!(ids, [first]);
    let manager = actor(Role::BusinessManager, "southend-council");
    match h.queries.subject_access(&manager, second).await {
        Err(AppError::Gone(refusal)) => assert_eq!(refusal.code, "personal_data.erased"),
        other => panic!("expected personal_data.erased, got {other:?}"),
    }
    let kept = h.queries.subject_access(&manager, first).await.unwrap();
    assert_eq!(kept.personal_details.family_name, "Smith");
    assert_eq!(kept.sealed_records.len(), 1);
    assert_eq!(kept.sealed_records[0].field, "personal_data");
    assert_eq!(kept.process_history.len(), 2);
    match h.queries.personal_details(&manager, second).await {
        Err(AppError::Gone(refusal)) => assert_eq!(refusal.code, "personal_data.erased"),
        other => panic!("expected personal_data.erased, got {other:?}"),
    }
    let details = h.queries.personal_details(&manager, first).await.unwrap();
    assert_eq!(details.family_name, "Smith");

    // Neither is for another role, whatever the case.
    let notifier = actor(Role::Notifier, "southend-council");
    assert!(matches!(
        h.queries.retention_list(&notifier),
        Err(AppError::Refused(ref r)) if r.code == "auth.role_required"
    ));
    let missing = CaseId::from_uuid(uuid::Uuid::now_v7());
    for case_id in [first, missing] {
        match h.queries.subject_access(&notifier, case_id).await {
            Err(AppError::Refused(refusal)) => assert_eq!(refusal.code, "auth.role_required"),
            other => panic!("expected auth.role_required, got {other:?}"),
        }
    }
}

async fn every_read_of_a_case_comes_back_past_a_page_of_the_log(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let case_id = CaseId::from_uuid(uuid::Uuid::now_v7());
    let other_case = uuid::Uuid::now_v7();
    // More than one page of the log (500), queued and not yet written when asked.
    for n in 0..1_001 {
        h.access_log
            .record(read(n, case_id.as_uuid()))
            .await
            .unwrap();
        if n % 100 == 0 {
            h.access_log.record(read(n, other_case)).await.unwrap();
        }
    }
    let reads = h
        .queries
        .case_reads(&actor(Role::BusinessManager, "southend-council"), case_id)
        .await
        .unwrap();
    let ids: Vec<String> = reads.into_iter().map(|r| r.record.request_id).collect();
    let expected: Vec<String> = (0..1_001).map(|n| format!("req-{n}")).collect();
    assert_eq!(ids, expected, "every read of the case, oldest first, once");
}

async fn only_an_auditor_pages_through_a_case_access_log(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (case_id, _) = h.closed_child_case("REF-0003").await;
    let auditor = actor(Role::Auditor, "southend-council");
    for n in 0..501 {
        h.access_log
            .record(read(n, case_id.as_uuid()))
            .await
            .unwrap();
    }
    let log = h.queries.access_log(&auditor).unwrap();
    let mut filters = AccessFilters {
        limit: 500,
        after: None,
        from: None,
        to: None,
    };
    // Queued reads are written before the page is read; the page ends at its last read.
    let first = log.case(case_id).unwrap().page(&filters).await.unwrap();
    assert_eq!(first.reads.len(), 500);
    assert_eq!(first.next_after, first.reads.last().map(|r| r.id));
    filters.after = first.next_after;
    let rest = log.case(case_id).unwrap().page(&filters).await.unwrap();
    let ids: Vec<&str> = rest
        .reads
        .iter()
        .map(|r| r.record.request_id.as_str())
        .collect();
    assert_eq!(ids, ["req-500"]);
    assert_eq!(rest.next_after, None);

    let missing = CaseId::from_uuid(uuid::Uuid::now_v7());
    assert!(matches!(
        log.case(missing),
        Err(AppError::Refused(ref r)) if r.code == "case.not_found"
    ));
    // Refused from the token, before any case is named.
    assert!(matches!(
        h.queries.access_log(&actor(Role::BusinessManager, "southend-council")),
        Err(AppError::Refused(ref r)) if r.code == "auth.role_required"
    ));
}

both_backends!(a_destroyed_key_takes_a_case_off_the_due_list_and_its_export_is_gone);
both_backends!(every_read_of_a_case_comes_back_past_a_page_of_the_log);
both_backends!(only_an_auditor_pages_through_a_case_access_log);

/// The `n`th read of `case` by an auditor, as the access log records it.
fn read(n: usize, case: uuid::Uuid) -> AccessRecord {
    AccessRecord {
        accessed_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        partnership: DEMO_PARTNERSHIP.to_owned(),
        case_id: case,
        resource: "case".to_owned(),
        user_id: "u-1".to_owned(),
        user_name: "Staff Member".to_owned(),
        organisation: "southend-council".to_owned(),
        roles: vec!["auditor".to_owned()],
        as_of: None,
        request_id: format!("req-{n}"),
    }
}
