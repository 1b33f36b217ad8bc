//! What follows any review, whichever process made it: its publication, its recommendations,
//! and the case's closure.

use super::action_plan::ActionPlan;
use crate::OrgSlug;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The review was published on the partnership's website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPublished {
    /// Where.
    pub url: Option<String>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A recommendation of the review, owned by one organisation or several jointly. Schema
/// version 2; version 1 had a single `owner` (see `codec/upcast.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationAdded {
    /// Its id.
    pub recommendation_id: Uuid,
    /// What is recommended (written for publication, without personal data).
    pub text: String,
    /// The organisations that own the action, the lead first; never empty, no repeats.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When it was added.
    pub occurred_at: DateTime<Utc>,
}

/// A recommendation's action was completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationCompleted {
    /// Which.
    pub recommendation_id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// No review after the rapid review, and the Panel agreed.
    NoReview,
    /// The review was published.
    ReviewPublished,
    /// Publication was withheld; improvements published instead.
    PublicationWithheld,
    /// Referred and not taken forward.
    NotTakenForward,
    /// Notified, and on reflection the incident did not meet the criteria for a notification.
    CriteriaNotMet,
    /// A multi-agency audit whose findings are recorded (its recommendations' plans go on).
    AuditCompleted,
}

/// The case was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClosed {
    /// Why.
    pub reason: ClosureReason,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A recommendation and its completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// As added.
    pub added: RecommendationAdded,
    /// When completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Its action plan (absent from snapshots taken before plans existed).
    #[serde(default)]
    pub plan: ActionPlan,
}

impl RecommendationAdded {
    /// The lead owner: the organisation answerable for the deadline.
    pub fn lead_owner(&self) -> Option<&OrgSlug> {
        self.owners.first()
    }
}
