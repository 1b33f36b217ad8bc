//! The command bus against a real store (SQLite, and PostgreSQL when `TEST_DATABASE_URL` is
//! set): what every command, whichever its sender, goes through.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;

use casetrail_app::personal_data::DataKey;
use casetrail_app::{Addressed, Aggregate, AppError, CommandBus, Expectations, Idempotency};
use casetrail_domain::case::child::commands::NamePartnerLead;
use casetrail_domain::case::commands::{At, ChildDetails};
use casetrail_domain::case::{
    AbuseOrNeglect, Case, CaseCommand, Harm, LocationBasis, NotifyIncident, RecordPanelNotification,
};
use casetrail_domain::metadata::{EventMetadata, METADATA_VERSION};
use casetrail_domain::partnership::StatutoryPartner;
use casetrail_domain::stream::case_stream;
use casetrail_domain::{Actor, CaseId, Role};
use chrono::NaiveDate;
use harness::{Harness, actor, harness};
use std::sync::Arc;
use std::time::Duration;

impl Harness {
    /// Opens a case, storing its new data key with the command.
    async fn notify(
        &self,
        notifier: &Actor,
        case_id: CaseId,
        key: &DataKey,
        expectations: Expectations,
    ) -> Result<casetrail_app::Accepted, AppError> {
        let expectations = Expectations {
            data_key: Some(key.clone()),
            ..expectations
        };
        let target = Addressed::new_case(notifier, case_id, notify(case_id, key));
        self.bus.execute(notifier, target, expectations).await
    }
}

impl Harness {
    /// Another bus over the same store, as another process (a replica, the CLI) has: it keeps
    /// states of its own.
    fn other_process(&self) -> CommandBus {
        CommandBus::new(
            Arc::clone(&self.store),
            self.projector.clone(),
            self.vault.clone(),
            Arc::new(self.clock.clone()),
            Duration::from_secs(2),
        )
    }
}

/// Sends a command on an existing case through `bus`.
async fn send(
    bus: &CommandBus,
    sender: &Actor,
    case_id: CaseId,
    command: CaseCommand,
) -> Result<casetrail_app::Accepted, AppError> {
    let target = Addressed::case(sender, case_id, command);
    bus.execute(sender, target, Expectations::default()).await
}

/// A partner's lead named, now.
fn lead(partner: StatutoryPartner, name: &str) -> CaseCommand {
    CaseCommand::NamePartnerLead(NamePartnerLead {
        partner,
        lead_name: name.to_owned(),
        occurred_at: None,
    })
}

fn now() -> At {
    At { occurred_at: None }
}

fn notify(case_id: CaseId, key: &DataKey) -> CaseCommand {
    CaseCommand::NotifyIncident(NotifyIncident {
        case_id,
        child: ChildDetails {
            reference: "SBC-2026-0001".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(2015, 6, 1).unwrap(),
            sex: "female".to_owned(),
            ethnicity: "white_british".to_owned(),
            looked_after: false,
            child_protection_plan: false,
        },
        personal_data: key.seal(&"sealed details").unwrap(),
        incident_date: NaiveDate::from_ymd_opt(2026, 2, 26).unwrap(),
        became_aware_on: NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
        harm: Harm::SeriousHarm,
        abuse_or_neglect: AbuseOrNeglect::Known,
        location_basis: LocationBasis::InArea,
        occurred_at: None,
    })
}

/// The local authority's notifier, a new case's id and its data key.
fn new_case() -> (Actor, CaseId, DataKey) {
    let notifier = actor(Role::Notifier, "southend-council");
    (
        notifier,
        CaseId::from_uuid(uuid::Uuid::now_v7()),
        DataKey::generate(),
    )
}

fn idempotent(key: &str, request_hash: &str) -> Expectations {
    Expectations {
        idempotency: Some(Idempotency {
            key: key.to_owned(),
            request_hash: request_hash.to_owned(),
        }),
        request_id: "req-1".to_owned(),
        ..Expectations::default()
    }
}

async fn opens_a_case_at_the_clocks_instant_with_typed_metadata(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (notifier, case_id, key) = new_case();
    let expectations = Expectations {
        request_id: "req-7".to_owned(),
        data_key: Some(key.clone()),
        ..Expectations::default()
    };
    let target = Addressed::case(&notifier, case_id, notify(case_id, &key));
    let accepted = h
        .bus
        .execute(&notifier, target, expectations)
        .await
        .unwrap();
    assert_eq!(accepted.version, 1);

    let events = h.store.read_all(accepted.position - 1, 10).await.unwrap();
    let event = &events[0];
    assert_eq!(event.event_type, "IncidentNotified");
    let data_at = event.data["occurred_at"].as_str().unwrap();
    assert_eq!(
        data_at, "2026-03-02T09:00:00Z",
        "decided at the injected instant"
    );
    let metadata = EventMetadata::from_json(&event.metadata).unwrap();
    assert_eq!(metadata.metadata_version, Some(METADATA_VERSION));
    assert_eq!(metadata.command, "NotifyIncident");
    assert_eq!(metadata.request_id.as_deref(), Some("req-7"));
    assert_eq!(metadata.actor.roles, vec![Role::Notifier]);
    assert_eq!(metadata.actor.org, Some(notifier.org.clone()));
    assert!(metadata.correlation_id.is_some());
    assert_eq!(metadata.request_hash, None);
    // The data key was stored with the event that refers to it.
    let stored = h
        .vault
        .get(key.id)
        .await
        .unwrap()
        .expect("the key is stored");
    assert_eq!(stored.bytes, key.bytes);
}

async fn a_retry_with_the_same_key_answers_as_the_first_and_writes_nothing(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let notifier = actor(Role::Notifier, "southend-council");
    let idempotency = Idempotency {
        key: "notify-1".to_owned(),
        request_hash: "hash-a".to_owned(),
    };
    let case_id = idempotency.case_id(&notifier);
    let key = DataKey::generate();
    let first = h
        .notify(&notifier, case_id, &key, idempotent("notify-1", "hash-a"))
        .await
        .unwrap();
    h.clock.advance(chrono::Duration::hours(1));
    let again = h
        .bus
        .execute(
            &notifier,
            Addressed::case(&notifier, case_id, notify(case_id, &key)),
            idempotent("notify-1", "hash-a"),
        )
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(h.store.read_all(first.position, 10).await.unwrap().len(), 0);

    let reused = h
        .bus
        .execute(
            &notifier,
            Addressed::case(&notifier, case_id, notify(case_id, &key)),
            idempotent("notify-1", "hash-b"),
        )
        .await;
    match reused {
        Err(AppError::Refused(refusal)) => assert_eq!(refusal.code, "idempotency.key_reused"),
        other => panic!("expected idempotency.key_reused, got {other:?}"),
    }
}

async fn a_stale_if_match_and_an_auditor_change_nothing(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (notifier, case_id, key) = new_case();
    let opened = h
        .notify(&notifier, case_id, &key, Expectations::default())
        .await
        .unwrap();
    let panel = || {
        CaseCommand::RecordPanelNotification(RecordPanelNotification {
            panel_reference: "CSPRP-1".to_owned(),
            submitted_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            occurred_at: None,
        })
    };
    let stale = h
        .bus
        .execute(
            &notifier,
            Addressed::case(&notifier, case_id, panel()),
            Expectations {
                if_match: Some(opened.version + 1),
                ..Expectations::default()
            },
        )
        .await;
    assert!(matches!(stale, Err(AppError::StaleVersion)), "{stale:?}");

    let auditor = actor(Role::Auditor, "southend-council");
    let refused = h
        .bus
        .execute(
            &auditor,
            Addressed::case(&auditor, case_id, panel()),
            Expectations::default(),
        )
        .await;
    match refused {
        Err(AppError::Refused(refusal)) => assert_eq!(refusal.code, "auth.role_required"),
        other => panic!("expected auth.role_required, got {other:?}"),
    }
    let after = h.store.read_all(opened.position, 10).await.unwrap();
    assert!(after.is_empty(), "refused commands wrote {after:?}");

    let recorded = h
        .bus
        .execute(
            &notifier,
            Addressed::case(&notifier, case_id, panel()),
            Expectations {
                if_match: Some(opened.version),
                ..Expectations::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(recorded.version, opened.version + 1);
}

both_backends!(opens_a_case_at_the_clocks_instant_with_typed_metadata);
both_backends!(a_retry_with_the_same_key_answers_as_the_first_and_writes_nothing);
both_backends!(a_stale_if_match_and_an_auditor_change_nothing);
both_backends!(an_opening_command_under_an_id_in_use_reads_the_case_and_is_refused);
both_backends!(the_state_kept_after_each_command_is_the_stored_case);
both_backends!(a_case_another_process_moved_on_is_decided_as_stored);

/// A case-opening command decides without reading the stream it takes to be new; when the id
/// is in use after all (two requests with one Idempotency-Key, racing) the append is refused,
/// and the bus reads the case and decides again: refused, writing nothing, storing no key.
async fn an_opening_command_under_an_id_in_use_reads_the_case_and_is_refused(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (notifier, case_id, key) = new_case();
    let opened = h
        .notify(&notifier, case_id, &key, Expectations::default())
        .await
        .unwrap();
    let second_key = DataKey::generate();
    let again = h
        .notify(&notifier, case_id, &second_key, Expectations::default())
        .await;
    match again {
        Err(AppError::Refused(refusal)) => assert_eq!(refusal.code, "case.already_exists"),
        other => panic!("expected case.already_exists, got {other:?}"),
    }
    assert_eq!(
        h.store.read_all(opened.position, 10).await.unwrap().len(),
        0
    );
    assert!(h.vault.get(second_key.id).await.unwrap().is_none());
}

/// The bus keeps the state each command leaves, to decide the next command on the case without
/// reading it: after five commands, and after a refusal, that state is the case folded from its
/// stored events.
async fn the_state_kept_after_each_command_is_the_stored_case(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let (notifier, case_id, key) = new_case();
    let manager = actor(Role::BusinessManager, "southend-council");
    let stream = case_stream(&notifier.partnership, case_id);
    let commands = [
        CaseCommand::InitiateRapidReview(now()),
        CaseCommand::RecordPartnersNotified(now()),
        lead(StatutoryPartner::Police, "DI Sam Jones"),
        lead(StatutoryPartner::Health, "Dr Ann Lee"),
    ];
    let opened = h
        .notify(&notifier, case_id, &key, Expectations::default())
        .await
        .unwrap();
    let mut versions = vec![opened.version];
    for command in commands {
        versions.push(
            send(&h.bus, &manager, case_id, command)
                .await
                .unwrap()
                .version,
        );
    }
    assert_eq!(versions, [1, 2, 3, 4, 5]);
    let stored = h.store.read_stream(&stream, 1).await.unwrap();
    let (version, kept) = h.bus.kept_state::<Case>(&stream).expect("kept");
    assert_eq!(version, 5);
    assert_eq!(kept, <Case as Aggregate>::replay(&stored).unwrap());
    // A refusal leaves the state kept as it was.
    let again = send(
        &h.bus,
        &manager,
        case_id,
        CaseCommand::RecordPartnersNotified(now()),
    )
    .await;
    assert!(matches!(again, Err(AppError::Refused(_))), "{again:?}");
    assert_eq!(h.bus.kept_state::<Case>(&stream), Some((5, kept)));
}

/// Another process (a replica, the CLI) moved the case on since this bus kept its state: a
/// command the kept state accepts is written after the other's event, and one it refuses is
/// decided again on the case as stored, and accepted.
async fn a_case_another_process_moved_on_is_decided_as_stored(postgres: bool) {
    let Some(h) = harness(postgres).await else {
        return;
    };
    let manager = actor(Role::BusinessManager, "southend-council");
    let other = h.other_process();

    // Kept at version 1; the other process initiates the rapid review (version 2). The kept
    // state refuses RecordPartnersNotified (no rapid review); the stored case accepts it.
    let (notifier, case_id, key) = new_case();
    h.notify(&notifier, case_id, &key, Expectations::default())
        .await
        .unwrap();
    send(
        &other,
        &manager,
        case_id,
        CaseCommand::InitiateRapidReview(now()),
    )
    .await
    .unwrap();
    let notified = send(
        &h.bus,
        &manager,
        case_id,
        CaseCommand::RecordPartnersNotified(now()),
    )
    .await
    .unwrap();
    assert_eq!(notified.version, 3);

    // Kept at version 3; the other process records the partners' leads' first (version 4).
    // The kept state accepts the police lead too; the append finds version 4 and is decided
    // again: written as version 5.
    let police = || lead(StatutoryPartner::Police, "DI Sam Jones");
    let health = lead(StatutoryPartner::Health, "Dr Ann Lee");
    send(&other, &manager, case_id, health).await.unwrap();
    let named = send(&h.bus, &manager, case_id, police()).await.unwrap();
    assert_eq!(named.version, 5);
    let stream = case_stream(&notifier.partnership, case_id);
    let stored = h.store.read_stream(&stream, 1).await.unwrap();
    let types: Vec<_> = stored.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "IncidentNotified",
            "RapidReviewInitiated",
            "PartnersNotified",
            "PartnerLeadNamed",
            "PartnerLeadNamed"
        ]
    );
    assert_eq!(
        h.bus.kept_state::<Case>(&stream),
        Some((5, <Case as Aggregate>::replay(&stored).unwrap()))
    );

    // An If-Match naming the version the other process left (6) is decided on it, not
    // refused as stale against the state this bus kept (5).
    let local_authority = || lead(StatutoryPartner::LocalAuthority, "Kim Ward");
    send(&other, &manager, case_id, local_authority())
        .await
        .unwrap();
    let matched = h
        .bus
        .execute(
            &manager,
            Addressed::case(&manager, case_id, police()),
            Expectations {
                if_match: Some(6),
                ..Expectations::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(matched.version, 7);
}
