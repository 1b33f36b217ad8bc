//! Wire types of the change feed. The integration events are the domain's contract
//! (`casetrail_domain::integration`): their schemas derive from it, so no mirror can drift.

use casetrail_app::queries::FeedView;
use casetrail_domain::integration::IntegrationEvent;
use casetrail_projections::FeedItem;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One item of the feed: an integration event about one case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "1042.1", "position": 1042, "type": "deadline.created",
    "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
    "occurred_at": "2022-12-22T10:15:00Z", "recorded_at": "2022-12-22T10:15:00.482Z",
    "data": {"deadline": {"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
        "kind": "panel_notification", "organisation": "southend-council",
        "responsible_role": "notifier", "due_at": "2023-01-03T23:59:59.999999Z"}}}))]
pub struct FeedItemView {
    /// `position.index`: the item's id (also the webhook message's, and the Server-Sent
    /// Events `id`), and the cursor that resumes after it (`after`, `Last-Event-ID`).
    #[schema(example = "1042.1")]
    pub id: String,
    /// The log position of the event it derives from.
    pub position: u64,
    /// The case it is about.
    pub case_id: Uuid,
    /// When what it tells occurred.
    pub occurred_at: DateTime<Utc>,
    /// When the event it derives from was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Its `type` and `data` (docs/integration.md documents each type).
    #[serde(flatten)]
    pub event: IntegrationEvent,
}

impl From<&FeedItem> for FeedItemView {
    fn from(item: &FeedItem) -> Self {
        Self {
            id: item.cursor().to_string(),
            position: item.position,
            case_id: item.case_id.as_uuid(),
            occurred_at: item.occurred_at,
            recorded_at: item.recorded_at,
            event: item.event.clone(),
        }
    }
}

/// A page of the feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedPageView {
    /// The items, in feed order; fewer than `limit` (even none) when the caller may see few
    /// of the items looked at: go on from `next`.
    pub items: Vec<FeedItemView>,
    /// The cursor to read on from (`after`): after the last item looked at, or the cursor
    /// given when there was nothing new.
    #[schema(example = "1042.1")]
    pub next: String,
    /// The log position this answer reflects: everything recorded up to it is in the feed.
    pub position: u64,
}

impl From<FeedView> for FeedPageView {
    fn from(view: FeedView) -> Self {
        Self {
            items: view.items.iter().map(FeedItemView::from).collect(),
            next: view.next.to_string(),
            position: view.position,
        }
    }
}
