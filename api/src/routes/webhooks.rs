//! Webhook subscriptions: create (the secret shown once), list, read, delete, rotate the
//! secret, ask for redelivery, read the delivery log (docs/integration.md "Webhooks").

use crate::auth::Authenticated;
use crate::dto::{
    CreateWebhookSubscriptionRequest, RedeliveryRequest, WebhookDeliveryPage, WebhookDeliveryView,
    WebhookSecretView, WebhookSubscriptionList, WebhookSubscriptionView,
};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use casetrail_app::webhooks::NewSubscription;
use casetrail_domain::OrgSlug;
use casetrail_projections::FeedCursor;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1_000;

fn cursor(field: &'static str, text: &str) -> Result<FeedCursor, ApiError> {
    FeedCursor::parse(text).ok_or_else(|| {
        ApiError::invalid_field(
            field,
            "field.invalid",
            format!("{field} must be a feed cursor: `position` or `position.index`"),
        )
    })
}

/// Subscribes a URL.
#[utoipa::path(
    operation_id = "CreateWebhookSubscription",
    tag = "Feed",
    summary = "Subscribe a URL to webhooks",
    description = "The organisation's system receives each feed item it may see (need to know, \
as the feed) of the types asked for as a signed Standard Webhooks message: `webhook-id` (the item's \
id), `webhook-timestamp`, `webhook-signature` (`v1,` HMAC-SHA256 with the subscription's secret). \
The answer shows the secret once. Delivery is at least once, in log order, from a durable cursor: \
from now on, or after `after` to catch up on history. A URL must be `https` (`http` to localhost \
only in development) and not point into a private, loopback or link-local network (422 \
`webhook.url_refused`). At most 10 subscriptions an organisation (409 `webhook.too_many`). Role: \
`admin` (any organisation), or `integration` (its own).",
    request_body = CreateWebhookSubscriptionRequest,
    responses(
        (status = 201, description = "Subscribed; the secret is shown this once.",
         body = WebhookSecretView,
         headers(("Location" = String, description = "The subscription"))),
    ),
    security(("bearer" = []))
)]
#[post("/v1/webhook-subscriptions")]
pub async fn create_webhook_subscription(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    body: JsonBody<CreateWebhookSubscriptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.value;
    let organisation = request
        .organisation
        .as_deref()
        .map(|o| {
            OrgSlug::parse(o).map_err(|_| {
                ApiError::invalid_field(
                    "organisation",
                    "field.invalid",
                    "organisation must be an organisation slug",
                )
            })
        })
        .transpose()?;
    let after = request
        .after
        .as_deref()
        .map(|a| cursor("after", a))
        .transpose()?;
    let created = state
        .webhooks
        .create(
            &actor,
            NewSubscription {
                url: request.url,
                event_types: request.event_types,
                description: request.description,
                organisation,
                after,
            },
            state.clock.now(),
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/webhook-subscriptions/{}", created.subscription.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookSecretView::from(&created)))
}

/// Lists subscriptions.
#[utoipa::path(
    operation_id = "ListWebhookSubscriptions",
    tag = "Feed",
    summary = "List webhook subscriptions",
    description = "The partnership's subscriptions (an admin), or the organisation's own (its \
integration token), with each one's delivery state. Never a secret. Role: `admin` or \
`integration`.",
    responses((status = 200, description = "The subscriptions.", body = WebhookSubscriptionList,
        example = json!({"items": []}))),
    security(("bearer" = []))
)]
#[get("/v1/webhook-subscriptions")]
pub async fn list_webhook_subscriptions(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<HttpResponse, ApiError> {
    let all = state.webhooks.list(&actor).await?;
    Ok(HttpResponse::Ok().json(WebhookSubscriptionList {
        items: all.iter().map(WebhookSubscriptionView::from).collect(),
    }))
}

/// Reads one subscription.
#[utoipa::path(
    operation_id = "GetWebhookSubscription",
    tag = "Feed",
    summary = "Read a webhook subscription",
    description = "Its settings and delivery state: the cursor (the last message acknowledged), \
failed attempts, the next attempt's time, the last error, `dead_letter`. Role: `admin` or the \
organisation's `integration`.",
    params(("id" = Uuid, Path, description = "The subscription")),
    responses(
        (status = 200, description = "The subscription.", body = WebhookSubscriptionView),
        (status = 404, response = crate::doc_parts::WebhookNotFound),
    ),
    security(("bearer" = []))
)]
#[get("/v1/webhook-subscriptions/{id}")]
pub async fn get_webhook_subscription(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let subscription = state.webhooks.get(&actor, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(WebhookSubscriptionView::from(&subscription)))
}

/// Deletes a subscription.
#[utoipa::path(
    operation_id = "DeleteWebhookSubscription",
    tag = "Feed",
    summary = "Delete a webhook subscription",
    description = "Nothing more is delivered to it. Its delivery log stays in the database. \
Role: `admin` or the organisation's `integration`.",
    params(("id" = Uuid, Path, description = "The subscription")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, response = crate::doc_parts::WebhookNotFound),
    ),
    security(("bearer" = []))
)]
#[delete("/v1/webhook-subscriptions/{id}")]
pub async fn delete_webhook_subscription(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state
        .webhooks
        .delete(&actor, id.into_inner(), state.clock.now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotates the secret.
#[utoipa::path(
    operation_id = "RotateWebhookSecret",
    tag = "Feed",
    summary = "Rotate a webhook subscription's secret",
    description = "A new secret, shown this once. For 24 hours messages carry two signatures \
(`webhook-signature: v1,<new> v1,<old>`), so the receiver can switch to the new secret without \
losing a message; then the old one stops signing. Role: `admin` or the organisation's \
`integration`.",
    params(("id" = Uuid, Path, description = "The subscription")),
    responses(
        (status = 200, description = "The new secret.", body = WebhookSecretView),
        (status = 404, response = crate::doc_parts::WebhookNotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/webhook-subscriptions/{id}/secret-rotation")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (subscription, secret) = state
        .webhooks
        .rotate(&actor, id.into_inner(), state.clock.now())
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookSecretView {
            subscription: WebhookSubscriptionView::from(&subscription),
            secret,
        }))
}

/// Resumes delivery.
#[utoipa::path(
    operation_id = "RedeliverWebhooks",
    tag = "Feed",
    summary = "Redeliver: resume a webhook subscription",
    description = "Resumes delivery at once: after a dead letter (too many failed attempts at one \
message), or after failures without waiting for the backoff. With `after`, delivery starts again \
after that feed cursor, so a receiver that lost messages gets them again (at least once: it \
deduplicates by `webhook-id`). Role: `admin` or the organisation's `integration`.",
    params(("id" = Uuid, Path, description = "The subscription")),
    request_body = RedeliveryRequest,
    responses(
        (status = 200, description = "Resumed.", body = WebhookSubscriptionView),
        (status = 404, response = crate::doc_parts::WebhookNotFound),
    ),
    security(("bearer" = []))
)]
#[post("/v1/webhook-subscriptions/{id}/redelivery")]
pub async fn redeliver_webhooks(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    id: web::Path<Uuid>,
    body: JsonBody<RedeliveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let after = body
        .value
        .after
        .as_deref()
        .map(|a| cursor("after", a))
        .transpose()?;
    let subscription = state
        .webhooks
        .redeliver(&actor, id.into_inner(), after)
        .await?;
    Ok(HttpResponse::Ok().json(WebhookSubscriptionView::from(&subscription)))
}

/// Query of the delivery log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Only attempts with an id above this (a page's `next_after`).
    pub after: Option<u64>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<usize>,
}

/// Reads the delivery log.
#[utoipa::path(
    operation_id = "ListWebhookDeliveries",
    tag = "Feed",
    summary = "Read a webhook subscription's delivery log",
    description = "Every attempt, oldest first: the message, the attempt's number, when, the \
outcome, the receiver's status code, the latency and, for a failure, why (never the message or \
the receiver's answer). Role: `admin` or the organisation's `integration`.",
    params(("id" = Uuid, Path, description = "The subscription"), DeliveriesQuery),
    responses(
        (status = 200, description = "A page of attempts.", body = WebhookDeliveryPage),
        (status = 404, response = crate::doc_parts::WebhookNotFound),
    ),
    security(("bearer" = []))
)]
#[get("/v1/webhook-subscriptions/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    Authenticated(actor): Authenticated,
    id: web::Path<Uuid>,
    query: crate::extract::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid_parameter(
            "limit",
            "query.invalid_limit",
            "limit must be 1 to 1000",
        ));
    }
    let attempts = state
        .webhooks
        .attempts(&actor, id.into_inner(), query.after.unwrap_or(0), limit)
        .await?;
    let next_after = (attempts.len() == limit)
        .then(|| attempts.last().map(|a| a.id))
        .flatten();
    Ok(HttpResponse::Ok().json(WebhookDeliveryPage {
        items: attempts.iter().map(WebhookDeliveryView::from).collect(),
        next_after,
    }))
}
