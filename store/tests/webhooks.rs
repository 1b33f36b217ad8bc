//! Webhook subscriptions on both backends: stored and read back whole, the durable cursor
//! moved only from where it was read, rotation, redelivery, the delivery log, and the lease
//! that lets one replica deliver at a time.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use casetrail_store::{
    AttemptOutcome, DeliveryAttempt, DeliveryState, DeliveryStatus, SecretRef, Subscription,
    WebhookStore, open_webhooks,
};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use std::sync::Arc;
use support::TestDb;
use uuid::Uuid;

both_backends!(
    subscriptions_come_back_whole_and_only_to_their_partnership,
    the_cursor_moves_only_from_where_it_was_read,
    rotation_keeps_the_previous_secret_until_its_time,
    the_lease_is_held_by_one_holder_until_it_expires,
);

async fn open(db: &TestDb) -> Arc<dyn WebhookStore> {
    db.open().await.close().await;
    open_webhooks(&db.url).await.unwrap()
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn subscription(partnership: &str, types: &[&str]) -> Subscription {
    Subscription {
        id: Uuid::now_v7(),
        partnership: partnership.to_owned(),
        organisation: "essex-police".to_owned(),
        url: "https://hooks.example.org/casetrail?x=1".to_owned(),
        event_types: types.iter().map(|t| (*t).to_owned()).collect(),
        description: Some("Police case system".to_owned()),
        created_by: "u-1".to_owned(),
        created_at: now(),
        secret: SecretRef {
            kek_id: "kek-0123456789abcdef".to_owned(),
            generation: 1,
        },
        previous_secret: None,
        cursor: "1042".to_owned(),
        status: DeliveryStatus::Active,
        attempts: 0,
        next_attempt_at: None,
        last_error: None,
    }
}

async fn subscriptions_come_back_whole_and_only_to_their_partnership(db: &TestDb) {
    let store = open(db).await;
    let first = subscription("southend", &["deadline.due_soon", "deadline.breached"]);
    let mut second = subscription("southend", &[]);
    second.description = None;
    let other = subscription("thurrock", &[]);
    for s in [&first, &second, &other] {
        store.create(s).await.unwrap();
    }
    assert_eq!(
        store.list("southend").await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    assert_eq!(
        store.get("southend", first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(store.get("thurrock", first.id).await.unwrap(), None);
    assert_eq!(store.all().await.unwrap().len(), 3);
    // Deleted: gone from every read, once.
    assert!(store.delete("southend", first.id, now()).await.unwrap());
    assert!(!store.delete("southend", first.id, now()).await.unwrap());
    assert!(!store.delete("thurrock", second.id, now()).await.unwrap());
    assert_eq!(store.list("southend").await.unwrap(), vec![second.clone()]);
    assert_eq!(store.get("southend", first.id).await.unwrap(), None);
    assert_eq!(store.all().await.unwrap().len(), 2);
}

fn attempt(s: &Subscription, n: u32, outcome: AttemptOutcome) -> DeliveryAttempt {
    DeliveryAttempt {
        subscription_id: s.id,
        message_id: "1043.0".to_owned(),
        event_type: "case.opened".to_owned(),
        attempt: n,
        attempted_at: now(),
        outcome,
        status_code: (outcome != AttemptOutcome::Failed).then_some(200),
        latency_ms: 12,
        error: (outcome == AttemptOutcome::Failed).then(|| "connection refused".to_owned()),
    }
}

async fn the_cursor_moves_only_from_where_it_was_read(db: &TestDb) {
    let store = open(db).await;
    let s = subscription("southend", &[]);
    store.create(&s).await.unwrap();
    let retry_at = now() + Duration::seconds(30);
    let failing = DeliveryState {
        cursor: "1042".to_owned(),
        status: DeliveryStatus::Active,
        attempts: 1,
        next_attempt_at: Some(retry_at),
        last_error: Some("connection refused".to_owned()),
    };
    store
        .record(
            s.id,
            "1042",
            &failing,
            &attempt(&s, 1, AttemptOutcome::Failed),
        )
        .await
        .unwrap();
    let read = store.get("southend", s.id).await.unwrap().unwrap();
    assert_eq!((read.attempts, read.next_attempt_at), (1, Some(retry_at)));
    assert_eq!(read.last_error.as_deref(), Some("connection refused"));
    // Dead-lettered, then a redelivery asked from an earlier item.
    let dead = DeliveryState {
        status: DeliveryStatus::DeadLetter,
        attempts: 2,
        ..failing.clone()
    };
    store
        .record(
            s.id,
            "1042",
            &dead,
            &attempt(&s, 2, AttemptOutcome::DeadLetter),
        )
        .await
        .unwrap();
    let read = store.get("southend", s.id).await.unwrap().unwrap();
    assert_eq!(read.status, DeliveryStatus::DeadLetter);
    assert!(
        store
            .redeliver("southend", s.id, Some("1000.2"))
            .await
            .unwrap()
    );
    assert!(!store.redeliver("thurrock", s.id, None).await.unwrap());
    let read = store.get("southend", s.id).await.unwrap().unwrap();
    assert_eq!(read.status, DeliveryStatus::Active);
    assert_eq!((read.cursor.as_str(), read.attempts), ("1000.2", 0));
    assert_eq!((read.next_attempt_at, read.last_error), (None, None));
    // A delivery that read the cursor before the redelivery moved it changes no state, but
    // its attempt is logged.
    let delivered = DeliveryState {
        cursor: "1043.0".to_owned(),
        status: DeliveryStatus::Active,
        attempts: 0,
        next_attempt_at: None,
        last_error: None,
    };
    store
        .record(
            s.id,
            "1042",
            &delivered,
            &attempt(&s, 3, AttemptOutcome::Delivered),
        )
        .await
        .unwrap();
    assert_eq!(
        store.get("southend", s.id).await.unwrap().unwrap().cursor,
        "1000.2"
    );
    store
        .record(
            s.id,
            "1000.2",
            &delivered,
            &attempt(&s, 1, AttemptOutcome::Delivered),
        )
        .await
        .unwrap();
    assert_eq!(
        store.get("southend", s.id).await.unwrap().unwrap().cursor,
        "1043.0"
    );
    // Past items it is not sent, from where it was read only.
    store.advance(s.id, "1043.0", "1050.1").await.unwrap();
    store.advance(s.id, "1043.0", "1060").await.unwrap();
    assert_eq!(
        store.get("southend", s.id).await.unwrap().unwrap().cursor,
        "1050.1"
    );
    // The log, in order, by pages.
    let log = store.attempts(s.id, 0, 100).await.unwrap();
    let outcomes: Vec<AttemptOutcome> = log.iter().map(|l| l.attempt.outcome).collect();
    assert_eq!(
        outcomes,
        [
            AttemptOutcome::Failed,
            AttemptOutcome::DeadLetter,
            AttemptOutcome::Delivered,
            AttemptOutcome::Delivered
        ]
    );
    assert_eq!(log[0].attempt, attempt_like(&log[0].attempt, &s));
    let page = store.attempts(s.id, log[1].id, 1).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, log[2].id);
    assert!(
        store
            .attempts(Uuid::now_v7(), 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The first logged attempt as it was written (its instant is read back).
fn attempt_like(logged: &DeliveryAttempt, s: &Subscription) -> DeliveryAttempt {
    DeliveryAttempt {
        attempted_at: logged.attempted_at,
        ..attempt(s, 1, AttemptOutcome::Failed)
    }
}

async fn rotation_keeps_the_previous_secret_until_its_time(db: &TestDb) {
    let store = open(db).await;
    let s = subscription("southend", &[]);
    store.create(&s).await.unwrap();
    let until = now() + Duration::hours(24);
    let next = SecretRef {
        kek_id: "kek-fedcba9876543210".to_owned(),
        generation: 2,
    };
    assert!(store.rotate("southend", s.id, &next, until).await.unwrap());
    assert!(!store.rotate("thurrock", s.id, &next, until).await.unwrap());
    let read = store.get("southend", s.id).await.unwrap().unwrap();
    assert_eq!(read.secret, next);
    assert_eq!(read.previous_secret, Some((s.secret.clone(), until)));
}

async fn the_lease_is_held_by_one_holder_until_it_expires(db: &TestDb) {
    let store = open(db).await;
    let t0 = now();
    let ttl = Duration::seconds(30);
    assert!(store.lease("delivery", "a", t0, ttl).await.unwrap());
    assert!(
        !store
            .lease("delivery", "b", t0 + Duration::seconds(10), ttl)
            .await
            .unwrap()
    );
    // Renewed by its holder.
    assert!(
        store
            .lease("delivery", "a", t0 + Duration::seconds(20), ttl)
            .await
            .unwrap()
    );
    assert!(
        !store
            .lease("delivery", "b", t0 + Duration::seconds(40), ttl)
            .await
            .unwrap()
    );
    // Expired: taken over.
    assert!(
        store
            .lease("delivery", "b", t0 + Duration::seconds(51), ttl)
            .await
            .unwrap()
    );
    assert!(
        !store
            .lease("delivery", "a", t0 + Duration::seconds(52), ttl)
            .await
            .unwrap()
    );
    // Given up: taken at once.
    store.release("delivery", "a").await.unwrap();
    assert!(
        !store
            .lease("delivery", "a", t0 + Duration::seconds(53), ttl)
            .await
            .unwrap()
    );
    store.release("delivery", "b").await.unwrap();
    assert!(
        store
            .lease("delivery", "a", t0 + Duration::seconds(54), ttl)
            .await
            .unwrap()
    );
    // Another lease is another name.
    assert!(store.lease("other", "a", t0, ttl).await.unwrap());
}
