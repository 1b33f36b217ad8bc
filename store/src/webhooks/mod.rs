//! Webhook subscriptions, their durable delivery cursors, the delivery log and the lease that
//! lets one replica deliver at a time (issue 14). Generic: the store knows nothing of what is
//! delivered, only of subscriptions, cursors and attempts.

/// The columns of a subscription, in the order both backends read them.
macro_rules! columns {
    () => {
        "id, partnership, organisation, url, event_types, description, created_by, created_at, \
         secret_kek_id, secret_generation, previous_kek_id, previous_generation, \
         previous_valid_until, cursor, status, attempts, next_attempt_at, last_error"
    };
}

mod postgres;
mod sqlite;

pub use postgres::PostgresWebhooks;
pub use sqlite::SqliteWebhooks;

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

/// Which secret signs: the key-encryption key it is derived from and its generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRef {
    /// The KEK's id.
    pub kek_id: String,
    /// Counts rotations from 1.
    pub generation: u32,
}

/// Whether a subscription is being delivered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Delivered to, retrying with backoff after a failure.
    Active,
    /// Stopped after too many failed attempts at one message, until redelivery is asked for.
    DeadLetter,
}

impl DeliveryStatus {
    /// Its stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Active => "active",
            DeliveryStatus::DeadLetter => "dead_letter",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "active" => Ok(DeliveryStatus::Active),
            "dead_letter" => Ok(DeliveryStatus::DeadLetter),
            _ => Err(StoreError::CorruptAccessLog(format!(
                "webhook subscription status {text:?}"
            ))),
        }
    }
}

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its id.
    pub id: Uuid,
    /// The partnership it belongs to.
    pub partnership: String,
    /// The organisation it delivers for: it receives what that organisation may see.
    pub organisation: String,
    /// Where messages are posted.
    pub url: String,
    /// Only these integration event types; empty: every type.
    pub event_types: Vec<String>,
    /// What it is for, as its creator said.
    pub description: Option<String>,
    /// Who created it (the user's id).
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The secret that signs.
    pub secret: SecretRef,
    /// The secret before the last rotation, signing too until the instant given.
    pub previous_secret: Option<(SecretRef, DateTime<Utc>)>,
    /// After which feed item delivery goes on.
    pub cursor: String,
    /// Whether it is delivered to.
    pub status: DeliveryStatus,
    /// Failed attempts at the message after the cursor.
    pub attempts: u32,
    /// Not before this instant, after a failure.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What became of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// It did not; the message will be tried again.
    Failed,
    /// It did not, for the last allowed time: the subscription is dead-lettered.
    DeadLetter,
}

impl AttemptOutcome {
    /// Its stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Delivered => "delivered",
            AttemptOutcome::Failed => "failed",
            AttemptOutcome::DeadLetter => "dead_letter",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "delivered" => Ok(AttemptOutcome::Delivered),
            "failed" => Ok(AttemptOutcome::Failed),
            "dead_letter" => Ok(AttemptOutcome::DeadLetter),
            _ => Err(StoreError::CorruptAccessLog(format!(
                "webhook delivery outcome {text:?}"
            ))),
        }
    }
}

/// One attempt to deliver a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    /// The subscription.
    pub subscription_id: Uuid,
    /// The message's id (the feed item's).
    pub message_id: String,
    /// Its integration event type.
    pub event_type: String,
    /// 1 for the first attempt at this message.
    pub attempt: u32,
    /// When it was sent.
    pub attempted_at: DateTime<Utc>,
    /// What became of it.
    pub outcome: AttemptOutcome,
    /// The receiver's status code, when it answered.
    pub status_code: Option<u16>,
    /// How long the attempt took.
    pub latency_ms: u64,
    /// Why it failed, when it did (never the body sent or received).
    pub error: Option<String>,
}

/// A stored attempt with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAttempt {
    /// Increasing id: the cursor of [`WebhookStore::attempts`].
    pub id: u64,
    /// The attempt.
    pub attempt: DeliveryAttempt,
}

/// What a delivery changes of its subscription's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryState {
    /// After which feed item delivery goes on.
    pub cursor: String,
    /// Whether it is delivered to.
    pub status: DeliveryStatus,
    /// Failed attempts at the message after the cursor.
    pub attempts: u32,
    /// Not before this instant.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// Where subscriptions and their deliveries are kept.
#[async_trait]
pub trait WebhookStore: Send + Sync + std::fmt::Debug {
    /// Stores a new subscription.
    async fn create(&self, subscription: &Subscription) -> Result<(), StoreError>;

    /// The partnership's subscriptions (not deleted), oldest first.
    async fn list(&self, partnership: &str) -> Result<Vec<Subscription>, StoreError>;

    /// One subscription of the partnership, unless deleted.
    async fn get(&self, partnership: &str, id: Uuid) -> Result<Option<Subscription>, StoreError>;

    /// Every subscription (not deleted) of every partnership: what the delivering replica
    /// works through.
    async fn all(&self) -> Result<Vec<Subscription>, StoreError>;

    /// Deletes a subscription (its deliveries stay readable in the database); whether it
    /// existed.
    async fn delete(
        &self,
        partnership: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Signs with `secret` from now on, and with the current one until `previous_until`.
    async fn rotate(
        &self,
        partnership: &str,
        id: Uuid,
        secret: &SecretRef,
        previous_until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Records a delivery's effect on its subscription, unless deleted meanwhile or its cursor
    /// was moved by a redelivery since `from_cursor` was read.
    async fn record(
        &self,
        id: Uuid,
        from_cursor: &str,
        state: &DeliveryState,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError>;

    /// Moves the cursor past items the subscription is not sent (other types, cases its
    /// organisation may not see), unless it moved since `from` was read.
    async fn advance(&self, id: Uuid, from: &str, to: &str) -> Result<(), StoreError>;

    /// Resumes delivery (status active, no failed attempts), from `cursor` when given.
    async fn redeliver(
        &self,
        partnership: &str,
        id: Uuid,
        cursor: Option<&str>,
    ) -> Result<bool, StoreError>;

    /// A subscription's attempts with an id above `after`, oldest first.
    async fn attempts(
        &self,
        id: Uuid,
        after: u64,
        limit: usize,
    ) -> Result<Vec<LoggedAttempt>, StoreError>;

    /// Takes or renews the lease `name` for `holder` until `now + ttl`, if it is free, expired
    /// or already `holder`'s; whether `holder` holds it.
    async fn lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<bool, StoreError>;

    /// Gives the lease up if `holder` holds it, so another replica takes over at once.
    async fn release(&self, name: &str, holder: &str) -> Result<(), StoreError>;
}

/// Opens the webhook tables of the database the event store uses (migrated by it).
pub async fn open_webhooks(database_url: &str) -> Result<Arc<dyn WebhookStore>, StoreError> {
    if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
        Ok(Arc::new(PostgresWebhooks::connect(database_url).await?))
    } else if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteWebhooks::connect(database_url).await?))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

fn event_types_json(types: &[String]) -> String {
    serde_json::to_string(types).unwrap_or_else(|_| "[]".to_owned())
}

fn event_types_of(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|_| StoreError::CorruptAccessLog("webhook subscription event types".into()))
}

fn count<T: TryFrom<i64>>(value: i64, what: &str) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::CorruptAccessLog(format!("webhook {what}")))
}
