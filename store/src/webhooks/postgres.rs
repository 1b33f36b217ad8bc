//! Webhook subscriptions in PostgreSQL.

use super::{
    AttemptOutcome, DeliveryAttempt, DeliveryState, DeliveryStatus, LoggedAttempt, SecretRef,
    Subscription, WebhookStore, count, event_types_json, event_types_of,
};
use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use uuid::Uuid;

/// The webhook tables of a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresWebhooks {
    pool: PgPool,
}

impl PostgresWebhooks {
    /// Connects to the database at a `postgres:` URL (migrated by the event store).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new().max_connections(3).connect(url).await?;
        Ok(Self { pool })
    }
}

fn subscription(row: &PgRow) -> Result<Subscription, StoreError> {
    let previous_kek: Option<String> = row.try_get("previous_kek_id")?;
    let previous_generation: Option<i32> = row.try_get("previous_generation")?;
    let previous_until: Option<DateTime<Utc>> = row.try_get("previous_valid_until")?;
    let previous_secret = match (previous_kek, previous_generation, previous_until) {
        (Some(kek_id), Some(generation), Some(until)) => Some((
            SecretRef {
                kek_id,
                generation: count(i64::from(generation), "generation")?,
            },
            until,
        )),
        _ => None,
    };
    Ok(Subscription {
        id: row.try_get("id")?,
        partnership: row.try_get("partnership")?,
        organisation: row.try_get("organisation")?,
        url: row.try_get("url")?,
        event_types: event_types_of(&row.try_get::<String, _>("event_types")?)?,
        description: row.try_get("description")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        secret: SecretRef {
            kek_id: row.try_get("secret_kek_id")?,
            generation: count(
                i64::from(row.try_get::<i32, _>("secret_generation")?),
                "generation",
            )?,
        },
        previous_secret,
        cursor: row.try_get("cursor")?,
        status: DeliveryStatus::parse(&row.try_get::<String, _>("status")?)?,
        attempts: count(i64::from(row.try_get::<i32, _>("attempts")?), "attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
    })
}

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[async_trait]
impl WebhookStore for PostgresWebhooks {
    async fn create(&self, s: &Subscription) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO webhook_subscriptions (id, partnership, organisation, url, event_types, \
             description, created_by, created_at, secret_kek_id, secret_generation, cursor, \
             status, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0)",
        )
        .bind(s.id)
        .bind(&s.partnership)
        .bind(&s.organisation)
        .bind(&s.url)
        .bind(event_types_json(&s.event_types))
        .bind(&s.description)
        .bind(&s.created_by)
        .bind(s.created_at)
        .bind(&s.secret.kek_id)
        .bind(int(s.secret.generation))
        .bind(&s.cursor)
        .bind(s.status.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list(&self, partnership: &str) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM webhook_subscriptions WHERE partnership = $1 AND deleted_at IS NULL ORDER BY created_at, id"
        ))
            .bind(partnership)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(subscription).collect()
    }

    async fn get(&self, partnership: &str, id: Uuid) -> Result<Option<Subscription>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM webhook_subscriptions WHERE partnership = $1 AND id = $2 AND deleted_at IS NULL"
        ))
        .bind(partnership)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(subscription).transpose()
    }

    async fn all(&self) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(subscription).collect()
    }

    async fn delete(
        &self,
        partnership: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_subscriptions SET deleted_at = $3 \
             WHERE partnership = $1 AND id = $2 AND deleted_at IS NULL",
        )
        .bind(partnership)
        .bind(id)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn rotate(
        &self,
        partnership: &str,
        id: Uuid,
        secret: &SecretRef,
        previous_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_subscriptions SET previous_kek_id = secret_kek_id, \
             previous_generation = secret_generation, previous_valid_until = $5, \
             secret_kek_id = $3, secret_generation = $4 \
             WHERE partnership = $1 AND id = $2 AND deleted_at IS NULL",
        )
        .bind(partnership)
        .bind(id)
        .bind(&secret.kek_id)
        .bind(int(secret.generation))
        .bind(previous_until)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn record(
        &self,
        id: Uuid,
        from_cursor: &str,
        state: &DeliveryState,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE webhook_subscriptions SET cursor = $3, status = $4, attempts = $5, \
             next_attempt_at = $6, last_error = $7 \
             WHERE id = $1 AND cursor = $2 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(from_cursor)
        .bind(&state.cursor)
        .bind(state.status.as_str())
        .bind(int(state.attempts))
        .bind(state.next_attempt_at)
        .bind(&state.last_error)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO webhook_deliveries (subscription_id, message_id, event_type, attempt, \
             attempted_at, outcome, status_code, latency_ms, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(attempt.subscription_id)
        .bind(&attempt.message_id)
        .bind(&attempt.event_type)
        .bind(int(attempt.attempt))
        .bind(attempt.attempted_at)
        .bind(attempt.outcome.as_str())
        .bind(attempt.status_code.map(i32::from))
        .bind(i64::try_from(attempt.latency_ms).unwrap_or(i64::MAX))
        .bind(&attempt.error)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn advance(&self, id: Uuid, from: &str, to: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE webhook_subscriptions SET cursor = $3 \
             WHERE id = $1 AND cursor = $2 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn redeliver(
        &self,
        partnership: &str,
        id: Uuid,
        cursor: Option<&str>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_subscriptions SET status = 'active', attempts = 0, \
             next_attempt_at = NULL, last_error = NULL, cursor = COALESCE($3, cursor) \
             WHERE partnership = $1 AND id = $2 AND deleted_at IS NULL",
        )
        .bind(partnership)
        .bind(id)
        .bind(cursor)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn attempts(
        &self,
        id: Uuid,
        after: u64,
        limit: usize,
    ) -> Result<Vec<LoggedAttempt>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, subscription_id, message_id, event_type, attempt, attempted_at, outcome, \
             status_code, latency_ms, error FROM webhook_deliveries \
             WHERE subscription_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(id)
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let status_code: Option<i32> = row.try_get("status_code")?;
                Ok(LoggedAttempt {
                    id: count(row.try_get::<i64, _>("id")?, "delivery id")?,
                    attempt: DeliveryAttempt {
                        subscription_id: row.try_get("subscription_id")?,
                        message_id: row.try_get("message_id")?,
                        event_type: row.try_get("event_type")?,
                        attempt: count(i64::from(row.try_get::<i32, _>("attempt")?), "attempt")?,
                        attempted_at: row.try_get("attempted_at")?,
                        outcome: AttemptOutcome::parse(&row.try_get::<String, _>("outcome")?)?,
                        status_code: status_code
                            .map(|c| count(i64::from(c), "status code"))
                            .transpose()?,
                        latency_ms: count(row.try_get::<i64, _>("latency_ms")?, "latency")?,
                        error: row.try_get("error")?,
                    },
                })
            })
            .collect()
    }

    async fn lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<bool, StoreError> {
        // One statement: insert the lease, or take it over when it is ours or has expired.
        let done = sqlx::query(
            "INSERT INTO webhook_lease (name, holder, expires_at) VALUES ($1, $2, $4) \
             ON CONFLICT (name) DO UPDATE SET holder = $2, expires_at = $4 \
             WHERE webhook_lease.holder = $2 OR webhook_lease.expires_at < $3",
        )
        .bind(name)
        .bind(holder)
        .bind(now)
        .bind(now + ttl)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM webhook_lease WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
