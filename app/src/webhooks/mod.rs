//! Signed webhooks (issue 14, docs/integration.md "Webhooks"): an organisation subscribes a
//! URL to integration event types and receives each feed item it may see as a Standard
//! Webhooks message, at least once, in log order, from a durable cursor.
//!
//! This module manages subscriptions (who may, which URLs, the secret shown once, rotation,
//! redelivery, the delivery log); [`delivery`] delivers.

pub mod delivery;
pub mod signature;
pub mod target;

use crate::error::AppError;
use crate::personal_data::KeyVault;
use casetrail_domain::integration::IntegrationEvent;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, DomainError, OrgSlug, Role};
use casetrail_projections::{FeedCursor, ProjectorHandle};
use casetrail_store::{DeliveryStatus, LoggedAttempt, SecretRef, Subscription, WebhookStore};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use target::TargetPolicy;
use uuid::Uuid;

/// The most subscriptions one organisation may have.
pub const MAX_PER_ORGANISATION: usize = 10;

/// How long the secret before a rotation still signs, so receivers can switch without losing
/// a message.
pub const ROTATION_OVERLAP: chrono::Duration = chrono::Duration::hours(24);

/// What a new subscription asks for.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// Where to post.
    pub url: String,
    /// Only these types (empty: every type).
    pub event_types: Vec<String>,
    /// What it is for.
    pub description: Option<String>,
    /// For which organisation (an admin may name any; default the caller's).
    pub organisation: Option<OrgSlug>,
    /// Deliver the items after this cursor (default: from now on, after the feed's current
    /// position).
    pub after: Option<FeedCursor>,
}

/// A subscription and, once, its secret.
#[derive(Debug, Clone)]
pub struct Created {
    /// The subscription.
    pub subscription: Subscription,
    /// `whsec_…`: shown now and never again.
    pub secret: String,
}

/// Manages subscriptions.
#[derive(Debug, Clone)]
pub struct Webhooks {
    store: Arc<dyn WebhookStore>,
    vault: KeyVault,
    projector: ProjectorHandle,
    policy: TargetPolicy,
}

impl Webhooks {
    /// Subscriptions in `store`, secrets derived by `vault`, URLs checked by `policy`.
    pub fn new(
        store: Arc<dyn WebhookStore>,
        vault: KeyVault,
        projector: ProjectorHandle,
        policy: TargetPolicy,
    ) -> Self {
        Self {
            store,
            vault,
            projector,
            policy,
        }
    }

    /// The same, with URLs checked by `policy`.
    pub fn with_policy(self, policy: TargetPolicy) -> Self {
        Self { policy, ..self }
    }

    /// The store, for the delivering side.
    pub fn store(&self) -> &Arc<dyn WebhookStore> {
        &self.store
    }

    /// Subscribes a URL.
    pub async fn create(
        &self,
        actor: &Actor,
        request: NewSubscription,
        now: DateTime<Utc>,
    ) -> Result<Created, AppError> {
        let organisation = request.organisation.unwrap_or_else(|| actor.org.clone());
        self.may_manage(actor, &organisation)?;
        self.known_organisation(actor, &organisation)?;
        let url = self.policy.check(&request.url).map_err(|refusal| {
            DomainError::invalid_field("url", "webhook.url_refused", refusal.to_string())
        })?;
        if let Some(unknown) = request
            .event_types
            .iter()
            .find(|t| !IntegrationEvent::TYPES.contains(&t.as_str()))
        {
            // Named by position, not by value: a client's text is not echoed.
            let index = request.event_types.iter().position(|t| t == unknown);
            return Err(DomainError::invalid_field(
                format!("event_types/{}", index.unwrap_or_default()),
                "field.invalid",
                "event_types names a type that is not an integration event type \
                 (docs/integration.md lists them)",
            )
            .into());
        }
        if let Some(description) = &request.description
            && description.chars().count() > 200
        {
            return Err(DomainError::invalid_field(
                "description",
                "field.invalid",
                "description must be at most 200 characters",
            )
            .into());
        }
        let existing = self.store.list(actor.partnership.as_str()).await?;
        if existing
            .iter()
            .filter(|s| s.organisation == organisation.as_str())
            .count()
            >= MAX_PER_ORGANISATION
        {
            return Err(DomainError::conflict(
                "webhook.too_many",
                format!("an organisation may have at most {MAX_PER_ORGANISATION} subscriptions"),
            )
            .into());
        }
        let id = Uuid::now_v7();
        let (kek_id, key) = self.secret(None, id, 1).await?;
        let cursor = request.after.unwrap_or(FeedCursor {
            position: self.projector.position(),
            index: None,
        });
        let mut event_types = request.event_types;
        event_types.sort();
        event_types.dedup();
        let subscription = Subscription {
            id,
            partnership: actor.partnership.to_string(),
            organisation: organisation.to_string(),
            url: url.to_string(),
            event_types,
            description: request.description,
            created_by: actor.user.clone(),
            created_at: now,
            secret: SecretRef {
                kek_id,
                generation: 1,
            },
            previous_secret: None,
            cursor: cursor.to_string(),
            status: DeliveryStatus::Active,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
        };
        self.store.create(&subscription).await?;
        Ok(Created {
            subscription,
            secret: signature::secret_text(&key),
        })
    }

    /// The subscriptions the actor may manage: all of the partnership's for an admin, their
    /// organisation's for its integration role.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<Subscription>, AppError> {
        self.may_manage(actor, &actor.org)?;
        let all = self.store.list(actor.partnership.as_str()).await?;
        Ok(all
            .into_iter()
            .filter(|s| self.manages(actor, &s.organisation))
            .collect())
    }

    /// One subscription the actor may manage; not found otherwise.
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<Subscription, AppError> {
        self.may_manage(actor, &actor.org)?;
        match self.store.get(actor.partnership.as_str(), id).await? {
            Some(s) if self.manages(actor, &s.organisation) => Ok(s),
            _ => Err(not_found()),
        }
    }

    /// Deletes a subscription: nothing more is delivered to it.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.get(actor, id).await?;
        if self
            .store
            .delete(actor.partnership.as_str(), id, now)
            .await?
        {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    /// A new secret, shown once; the current one keeps signing for [`ROTATION_OVERLAP`].
    pub async fn rotate(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(Subscription, String), AppError> {
        let current = self.get(actor, id).await?;
        let generation = current.secret.generation.saturating_add(1);
        let (kek_id, key) = self.secret(None, id, generation).await?;
        let secret = SecretRef { kek_id, generation };
        let until = now + ROTATION_OVERLAP;
        if !self
            .store
            .rotate(actor.partnership.as_str(), id, &secret, until)
            .await?
        {
            return Err(not_found());
        }
        let rotated = self.get(actor, id).await?;
        Ok((rotated, signature::secret_text(&key)))
    }

    /// Resumes delivery after a dead letter (or at once after failures), from `after` when
    /// given: a receiver that lost messages asks for them again.
    pub async fn redeliver(
        &self,
        actor: &Actor,
        id: Uuid,
        after: Option<FeedCursor>,
    ) -> Result<Subscription, AppError> {
        self.get(actor, id).await?;
        let cursor = after.map(|c| c.to_string());
        if !self
            .store
            .redeliver(actor.partnership.as_str(), id, cursor.as_deref())
            .await?
        {
            return Err(not_found());
        }
        self.get(actor, id).await
    }

    /// The subscription's delivery attempts after `after`, oldest first.
    pub async fn attempts(
        &self,
        actor: &Actor,
        id: Uuid,
        after: u64,
        limit: usize,
    ) -> Result<Vec<LoggedAttempt>, AppError> {
        self.get(actor, id).await?;
        Ok(self.store.attempts(id, after, limit).await?)
    }

    /// The key a secret reference names (`kek_id` `None`: the current KEK).
    async fn secret(
        &self,
        kek_id: Option<&str>,
        id: Uuid,
        generation: u32,
    ) -> Result<(String, [u8; 32]), AppError> {
        self.vault
            .webhook_secret(kek_id, id, generation)
            .await?
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "the key-encryption key of a webhook secret is not held by this service"
                ))
            })
    }

    /// Admins manage every organisation's subscriptions; an organisation's integration role
    /// its own.
    fn may_manage(&self, actor: &Actor, organisation: &OrgSlug) -> Result<(), AppError> {
        if actor.has(Role::Admin) || (actor.has(Role::Integration) && actor.org == *organisation) {
            return Ok(());
        }
        let detail = if actor.has(Role::Integration) {
            "an integration token manages only its own organisation's webhook subscriptions"
        } else {
            "managing webhook subscriptions needs the role admin, or integration for the \
             organisation's own"
        };
        Err(DomainError::forbidden("auth.role_required", detail).into())
    }

    fn manages(&self, actor: &Actor, organisation: &str) -> bool {
        actor.has(Role::Admin) || actor.org.as_str() == organisation
    }

    fn known_organisation(&self, actor: &Actor, organisation: &OrgSlug) -> Result<(), AppError> {
        let models = self.projector.read();
        let known = models
            .partnership(&actor.partnership)
            .is_some_and(|p: &Partnership| p.active_organisation(organisation).is_some());
        if known {
            Ok(())
        } else {
            Err(DomainError::invalid_field(
                "organisation",
                "organisation.unknown",
                "organisation is not an active organisation of the partnership",
            )
            .into())
        }
    }
}

fn not_found() -> AppError {
    DomainError::not_found("webhook.not_found", "no such webhook subscription").into()
}
