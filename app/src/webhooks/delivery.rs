//! Delivering webhooks: one replica at a time (the holder of a lease in the database) walks
//! each subscription's feed from its durable cursor and posts the next item its organisation
//! may see, signed; the cursor moves only after the receiver answered 2xx. A failure is tried
//! again after an exponential backoff with jitter, and after the configured number of attempts
//! the subscription is dead-lettered until an administrator asks for redelivery. Messages of a
//! subscription go one at a time, so a receiver gets them in log order.
//!
//! At least once: a replica that dies between a receiver's 2xx and recording it sends that
//! message again when it or another replica takes over. Receivers deduplicate by
//! `webhook-id`.

use super::Webhooks;
use super::signature::signature_header;
use super::target::{CheckedResolver, TargetPolicy};
use crate::error::AppError;
use crate::feed_reader::FeedReader;
use crate::queries::visible;
use casetrail_domain::integration::IntegrationEvent;
use casetrail_domain::{Actor, OrgSlug, PartnershipSlug, Role};
use casetrail_projections::{FeedCursor, FeedItem};
use casetrail_store::{
    AttemptOutcome, DeliveryAttempt, DeliveryState, DeliveryStatus, Subscription,
};
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The lease's name: one deliverer across the replicas.
const LEASE: &str = "webhook-delivery";

/// How long a lease lasts unless renewed: a replica that stops renewing (it died) is replaced
/// after this.
const LEASE_TTL: chrono::Duration = chrono::Duration::seconds(30);

/// How deliveries are paced.
#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// Attempts at one message before the subscription is dead-lettered.
    pub max_attempts: u32,
    /// The wait after the first failure; doubled after each further one.
    pub retry_base: Duration,
    /// The longest wait between attempts.
    pub retry_max: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// How often the deliverer looks for new items and due retries.
    pub poll: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(3_600),
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(1),
        }
    }
}

impl DeliverySettings {
    /// The wait after `failures` failed attempts: `retry_base` doubled for each failure after
    /// the first, at most `retry_max`, then between half and all of it at random, so that
    /// receivers coming back after an outage are not all retried at the same instant.
    pub fn backoff(&self, failures: u32, jitter: f64) -> Duration {
        let doubling = 2u32.saturating_pow(failures.saturating_sub(1).min(30));
        let full = self.retry_base.saturating_mul(doubling).min(self.retry_max);
        full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// The message body: the feed item exactly as `GET /v1/feed` shows it.
#[derive(Debug, Serialize)]
pub struct Message<'a> {
    id: String,
    position: u64,
    case_id: Uuid,
    occurred_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    #[serde(flatten)]
    event: &'a IntegrationEvent,
}

impl<'a> Message<'a> {
    /// The message of a feed item.
    pub fn of(item: &'a FeedItem) -> Self {
        Self {
            id: item.cursor().to_string(),
            position: item.position,
            case_id: item.case_id.as_uuid(),
            occurred_at: item.occurred_at,
            recorded_at: item.recorded_at,
            event: &item.event,
        }
    }
}

/// Delivers to every subscription, while this replica holds the lease.
#[derive(Debug, Clone)]
pub struct Deliverer {
    webhooks: Webhooks,
    client: reqwest::Client,
    settings: DeliverySettings,
    holder: String,
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Whether this replica held the lease.
    pub leader: bool,
    /// Messages delivered.
    pub delivered: usize,
    /// Attempts that failed.
    pub failed: usize,
}

impl Deliverer {
    /// A deliverer connecting only where `policy` allows.
    pub fn new(
        webhooks: Webhooks,
        policy: TargetPolicy,
        settings: DeliverySettings,
    ) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(CheckedResolver(policy)))
            // A redirect could lead anywhere, an internal address included: not followed.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("Casetrail-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            webhooks,
            client,
            settings,
            holder: Uuid::now_v7().to_string(),
        })
    }

    /// Runs rounds every `poll`, for as long as the service runs.
    pub fn spawn(&self) -> JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(this.settings.poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(err) = this.round().await {
                    tracing::warn!(error = %err, "delivering webhooks failed; retrying");
                }
            }
        })
    }

    /// Gives the lease up (when stopping), so another replica takes over at once rather than
    /// when it expires.
    pub async fn release(&self) {
        if let Err(err) = self.webhooks.store().release(LEASE, &self.holder).await {
            tracing::warn!(error = %err, "giving up the webhook delivery lease failed");
        }
    }

    /// Takes or renews the lease and, holding it, delivers what is due to every subscription.
    pub async fn round(&self) -> Result<Round, AppError> {
        let store = self.webhooks.store();
        let leader = store
            .lease(LEASE, &self.holder, Utc::now(), LEASE_TTL)
            .await?;
        let mut round = Round {
            leader,
            ..Round::default()
        };
        if !leader {
            return Ok(round);
        }
        let started = Instant::now();
        let due: Vec<Subscription> = store
            .all()
            .await?
            .into_iter()
            .filter(|s| s.status == DeliveryStatus::Active)
            .filter(|s| s.next_attempt_at.is_none_or(|at| at <= Utc::now()))
            .collect();
        // Side by side: a slow or failing receiver holds up only its own subscription.
        let results =
            futures::future::join_all(due.into_iter().map(|s| self.deliver(s, started))).await;
        for result in results {
            let (delivered, failed) = result?;
            round.delivered += delivered;
            round.failed += failed;
        }
        Ok(round)
    }

    /// Delivers a subscription's next items until one fails, none is left, or the round has
    /// gone on long enough for the lease to need renewing.
    async fn deliver(
        &self,
        mut subscription: Subscription,
        round_started: Instant,
    ) -> Result<(usize, usize), AppError> {
        let mut delivered = 0;
        let budget = Duration::from_secs(10);
        while round_started.elapsed() < budget {
            let Some(cursor) = FeedCursor::parse(&subscription.cursor) else {
                tracing::error!(subscription = %subscription.id, "unreadable webhook cursor");
                return Ok((delivered, 0));
            };
            let (item, next) = self.next_item(&subscription, cursor).await?;
            let Some(item) = item else {
                if next != cursor {
                    let next = next.to_string();
                    self.webhooks
                        .store()
                        .advance(subscription.id, &subscription.cursor, &next)
                        .await?;
                }
                return Ok((delivered, 0));
            };
            let attempt = self.attempt(&subscription, &item).await;
            let failed = attempt.outcome != AttemptOutcome::Delivered;
            let state = self.state_after(&subscription, &item, &attempt);
            self.webhooks
                .store()
                .record(subscription.id, &subscription.cursor, &state, &attempt)
                .await?;
            metrics::counter!("casetrail_webhook_attempts_total",
                "outcome" => attempt.outcome.as_str())
            .increment(1);
            if failed {
                return Ok((delivered, 1));
            }
            delivered += 1;
            subscription.cursor = state.cursor;
            subscription.attempts = 0;
        }
        Ok((delivered, 0))
    }

    /// The next item after `cursor` the subscription is sent, and where the search ended.
    async fn next_item(
        &self,
        s: &Subscription,
        cursor: FeedCursor,
    ) -> Result<(Option<FeedItem>, FeedCursor), AppError> {
        let (Ok(slug), Ok(org)) = (
            PartnershipSlug::parse(&s.partnership),
            OrgSlug::parse(&s.organisation),
        ) else {
            return Ok((None, cursor));
        };
        // The organisation's view, as its integration token reads the feed.
        let actor = Actor {
            user: format!("webhook:{}", s.id),
            name: "webhook subscription".to_owned(),
            partnership: slug.clone(),
            org,
            roles: [Role::Integration].into_iter().collect(),
        };
        let page = FeedReader::new(self.webhooks.projector.clone())
            .page(&slug, cursor, 1, |models, item| {
                (s.event_types.is_empty()
                    || s.event_types.iter().any(|t| t == item.event.type_name()))
                    && visible(models, &actor, item)
            })
            .await?;
        Ok((page.items.into_iter().next(), page.next))
    }

    /// Posts one message.
    async fn attempt(&self, s: &Subscription, item: &FeedItem) -> DeliveryAttempt {
        let message_id = item.cursor().to_string();
        let attempted_at = Utc::now();
        let started = Instant::now();
        let result = self.post(s, item, &message_id, attempted_at).await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let number = s.attempts.saturating_add(1);
        let (outcome, status_code, error) = match result {
            Ok(status) if (200..300).contains(&status) => {
                (AttemptOutcome::Delivered, Some(status), None)
            }
            Ok(status) => (
                self.failure(number),
                Some(status),
                Some(format!("the receiver answered {status}")),
            ),
            Err(why) => (self.failure(number), None, Some(why)),
        };
        DeliveryAttempt {
            subscription_id: s.id,
            message_id,
            event_type: item.event.type_name().to_owned(),
            attempt: number,
            attempted_at,
            outcome,
            status_code,
            latency_ms,
            error,
        }
    }

    fn failure(&self, attempt: u32) -> AttemptOutcome {
        if attempt >= self.settings.max_attempts {
            AttemptOutcome::DeadLetter
        } else {
            AttemptOutcome::Failed
        }
    }

    /// Sends, and gives the receiver's status code or why there was none (without the URL,
    /// which may hold a token of the receiver's).
    async fn post(
        &self,
        s: &Subscription,
        item: &FeedItem,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<u16, String> {
        // Checked again: a literal address never goes through the resolver.
        let url = self
            .webhooks
            .policy
            .check(&s.url)
            .map_err(|refusal| format!("refused: {refusal}"))?;
        let keys = self.keys(s, now).await?;
        let body = serde_json::to_vec(&Message::of(item)).map_err(|_| "unserialisable")?;
        let timestamp = now.timestamp();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature_header(&keys, message_id, timestamp, &body),
            )
            .body(body)
            .send()
            .await
            .map_err(|err| describe(&err))?;
        Ok(response.status().as_u16())
    }

    /// The keys that sign: the current secret, and the previous one until its time is up.
    async fn keys(&self, s: &Subscription, now: DateTime<Utc>) -> Result<Vec<[u8; 32]>, String> {
        let mut refs = vec![&s.secret];
        if let Some((previous, until)) = &s.previous_secret
            && *until > now
        {
            refs.push(previous);
        }
        let mut keys = Vec::with_capacity(refs.len());
        for secret in refs {
            let key = self
                .webhooks
                .vault
                .webhook_secret(Some(&secret.kek_id), s.id, secret.generation)
                .await
                .map_err(|_| "the signing secret could not be derived".to_owned())?
                .ok_or_else(|| {
                    "the signing secret's key-encryption key is not held by this service".to_owned()
                })?;
            keys.push(key.1);
        }
        Ok(keys)
    }

    fn state_after(
        &self,
        s: &Subscription,
        item: &FeedItem,
        attempt: &DeliveryAttempt,
    ) -> DeliveryState {
        match attempt.outcome {
            AttemptOutcome::Delivered => DeliveryState {
                cursor: item.cursor().to_string(),
                status: DeliveryStatus::Active,
                attempts: 0,
                next_attempt_at: None,
                last_error: None,
            },
            AttemptOutcome::Failed => {
                let wait = self
                    .settings
                    .backoff(attempt.attempt, rand::rng().random::<f64>());
                DeliveryState {
                    cursor: s.cursor.clone(),
                    status: DeliveryStatus::Active,
                    attempts: attempt.attempt,
                    next_attempt_at: Some(
                        attempt.attempted_at
                            + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX),
                    ),
                    last_error: attempt.error.clone(),
                }
            }
            AttemptOutcome::DeadLetter => DeliveryState {
                cursor: s.cursor.clone(),
                status: DeliveryStatus::DeadLetter,
                attempts: attempt.attempt,
                next_attempt_at: None,
                last_error: attempt.error.clone(),
            },
        }
    }
}

/// Why a request got no answer, in words that name no address.
fn describe(err: &reqwest::Error) -> String {
    let refused = std::iter::successors(Some(err as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .any(|e| e.is::<super::target::Refused>());
    if refused {
        "refused: the receiver's name resolves only to internal addresses".to_owned()
    } else if err.is_timeout() {
        "the receiver did not answer in time".to_owned()
    } else if err.is_connect() {
        "could not connect to the receiver".to_owned()
    } else {
        "the request to the receiver failed".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_its_ceiling_with_jitter_below_it() {
        let settings = DeliverySettings {
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(100),
            ..DeliverySettings::default()
        };
        let full = |n| settings.backoff(n, 1.0).as_secs();
        assert_eq!(
            [full(1), full(2), full(3), full(4), full(5)],
            [10, 20, 40, 80, 100]
        );
        assert_eq!(full(60), 100);
        assert_eq!(settings.backoff(3, 0.0).as_secs(), 20);
        assert_eq!(settings.backoff(3, 0.5).as_secs(), 30);
        assert_eq!(settings.backoff(0, 1.0).as_secs(), 10);
    }
}
