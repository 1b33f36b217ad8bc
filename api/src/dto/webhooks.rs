//! Wire types of webhook subscriptions and their delivery log.

use casetrail_app::webhooks::Created;
use casetrail_store::{LoggedAttempt, Subscription};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A new subscription.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://cases.essex.police.example/casetrail/webhooks",
    "event_types": ["agency_report.requested", "deadline.due_soon", "deadline.breached"],
    "description": "Police case management system"}))]
pub struct CreateWebhookSubscriptionRequest {
    /// Where messages are posted: `https`, or `http` to localhost in development; never into a
    /// private, loopback or link-local network unless the service is configured to allow it.
    pub url: String,
    /// Only these integration event types (docs/integration.md); empty or absent: every type.
    #[serde(default)]
    pub event_types: Vec<String>,
    /// What it is for (at most 200 characters).
    pub description: Option<String>,
    /// For which organisation (slug): an admin may name any active one; an integration token
    /// only its own. Default: the caller's.
    pub organisation: Option<String>,
    /// Deliver the feed items after this cursor (`position` or `position.index`), to catch up
    /// on history. Default: from now on.
    pub after: Option<String>,
}

/// A subscription as its managers see it (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "01937a2e-9000-7000-8000-00000000000a", "organisation": "essex-police",
    "url": "https://cases.essex.police.example/casetrail/webhooks", "event_types": [],
    "description": null, "created_by": "u-17", "created_at": "2026-12-05T10:00:00Z",
    "status": "dead_letter", "cursor": "1042.1", "attempts": 10,
    "next_attempt_at": null, "last_error": "the receiver answered 503",
    "secret_generation": 1, "previous_secret_valid_until": null}))]
pub struct WebhookSubscriptionView {
    /// Its id.
    pub id: Uuid,
    /// The organisation it delivers for: it receives what that organisation may see.
    #[schema(example = "essex-police")]
    pub organisation: String,
    /// Where messages are posted.
    pub url: String,
    /// Only these types; empty: every type.
    pub event_types: Vec<String>,
    /// What it is for.
    pub description: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// `active`, or `dead_letter` after too many failed attempts at one message (until
    /// redelivery is asked for).
    #[schema(example = "active")]
    pub status: String,
    /// The feed cursor delivery goes on after: the last message the receiver acknowledged.
    #[schema(example = "1042.1")]
    pub cursor: String,
    /// Failed attempts at the next message.
    pub attempts: u32,
    /// When the next attempt is due, after a failure.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Counts the secret's rotations from 1.
    pub secret_generation: u32,
    /// Until when the secret before the last rotation still signs too.
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
}

impl From<&Subscription> for WebhookSubscriptionView {
    fn from(s: &Subscription) -> Self {
        Self {
            id: s.id,
            organisation: s.organisation.clone(),
            url: s.url.clone(),
            event_types: s.event_types.clone(),
            description: s.description.clone(),
            created_by: s.created_by.clone(),
            created_at: s.created_at,
            status: s.status.as_str().to_owned(),
            cursor: s.cursor.clone(),
            attempts: s.attempts,
            next_attempt_at: s.next_attempt_at,
            last_error: s.last_error.clone(),
            secret_generation: s.secret.generation,
            previous_secret_valid_until: s.previous_secret.as_ref().map(|(_, until)| *until),
        }
    }
}

/// A subscription with its secret, shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"subscription": {"id": "01937a2e-9000-7000-8000-00000000000a",
    "organisation": "essex-police", "url": "https://cases.essex.police.example/casetrail/webhooks",
    "event_types": ["deadline.due_soon"], "description": null, "created_by": "u-17",
    "created_at": "2026-12-05T10:00:00Z", "status": "active", "cursor": "1042", "attempts": 0,
    "next_attempt_at": null, "last_error": null, "secret_generation": 1,
    "previous_secret_valid_until": null},
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq="}))]
pub struct WebhookSecretView {
    /// The subscription.
    pub subscription: WebhookSubscriptionView,
    /// `whsec_` and the signing key in base64: keep it now, it is never shown again. Verify
    /// each message's `webhook-signature` with it (docs/integration.md).
    pub secret: String,
}

impl From<&Created> for WebhookSecretView {
    fn from(created: &Created) -> Self {
        Self {
            subscription: WebhookSubscriptionView::from(&created.subscription),
            secret: created.secret.clone(),
        }
    }
}

/// The subscriptions the caller manages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookSubscriptionList {
    /// Oldest first.
    pub items: Vec<WebhookSubscriptionView>,
}

/// Asks for delivery to resume.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"after": "1000"}))]
pub struct RedeliveryRequest {
    /// Deliver again from after this cursor (`position` or `position.index`): a receiver that
    /// lost messages asks for them again. Absent: from the message that failed.
    pub after: Option<String>,
}

/// One attempt to deliver a message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDeliveryView {
    /// Increasing: the cursor of the delivery log.
    pub id: u64,
    /// The message's `webhook-id` (the feed item's id).
    pub message_id: String,
    /// Its integration event type.
    pub event_type: String,
    /// 1 for the first attempt at this message.
    pub attempt: u32,
    /// When it was sent.
    pub attempted_at: DateTime<Utc>,
    /// `delivered`, `failed` (to be tried again) or `dead_letter` (the last attempt allowed).
    #[schema(example = "delivered")]
    pub outcome: String,
    /// The receiver's status code, when it answered.
    pub status_code: Option<u16>,
    /// How long the attempt took, in milliseconds.
    pub latency_ms: u64,
    /// Why it failed (never the message or the receiver's answer).
    pub error: Option<String>,
}

impl From<&LoggedAttempt> for WebhookDeliveryView {
    fn from(logged: &LoggedAttempt) -> Self {
        let a = &logged.attempt;
        Self {
            id: logged.id,
            message_id: a.message_id.clone(),
            event_type: a.event_type.clone(),
            attempt: a.attempt,
            attempted_at: a.attempted_at,
            outcome: a.outcome.as_str().to_owned(),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error.clone(),
        }
    }
}

/// A page of the delivery log.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"items": [{"id": 7, "message_id": "1042.1", "event_type": "deadline.due_soon",
    "attempt": 2, "attempted_at": "2026-12-05T10:00:12Z", "outcome": "delivered", "status_code": 204,
    "latency_ms": 48, "error": null}], "next_after": null}))]
pub struct WebhookDeliveryPage {
    /// Oldest first.
    pub items: Vec<WebhookDeliveryView>,
    /// The `after` of the next page, when this one is full.
    pub next_after: Option<u64>,
}
