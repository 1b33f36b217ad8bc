//! A recommendation's action plan (docs/rules.md AP-1 to AP-5): the actions that carry the
//! recommendation out, each with owner organisations, a due date that is a deadline like any
//! other, and progress updates with a RAG status and evidence; the sign-off of the plan by the
//! group of the partnership that owns it, once every action is done; and the review of impact
//! that records whether practice has changed.
//!
//! The plan lives on the case's stream beside its recommendation, so an action's deadline is
//! judged, listed and breached with the case's others, and need-to-know follows the case.

mod actions;
mod oversight;

pub use actions::{
    ActionAdded, ActionCompleted, ActionProgressRecorded, AddAction, CompleteAction,
    RecordActionProgress,
};
pub(in crate::case) use actions::{
    action_added, action_completed, action_progress_recorded, add_action, complete_action,
    record_action_progress,
};
pub use oversight::{ActionPlanSignedOff, ImpactReviewed, ReviewImpact, SignOffActionPlan};
pub(in crate::case) use oversight::{
    action_plan_signed_off, impact_reviewed, review_impact, sign_off_action_plan,
};

use crate::calendar::end_of_day;
use crate::deadline::{Deadline, DeadlineKind};
use crate::small_map::SmallMap;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The owner's assessment of an action's progress: red (off track, needs help), amber (at
/// risk), green (on track). A completed action is `complete` in the reads, whatever its last
/// update said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Off track: the action will not be done by its due date without help.
    Red,
    /// At risk.
    Amber,
    /// On track.
    Green,
}

/// What the review of impact found: has practice changed?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PracticeChange {
    /// Practice has changed as the recommendation intended.
    Changed,
    /// Practice has changed in part.
    PartlyChanged,
    /// Practice has not changed.
    NotChanged,
}

/// Evidence of progress: a description, with a link or a reference to a document held by the
/// owner (documents are referred to, never uploaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(example = json!({
        "description": "Revised escalation policy, approved by the board",
        "link": "https://www.southend.example/policies/escalation",
        "document": "SUHFT/SG/2023/014"
    }))
)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// What it shows (written without personal data).
    pub description: String,
    /// Where it can be read: an `https` or `http` address.
    #[serde(default)]
    pub link: Option<String>,
    /// The owner's reference for a document it holds.
    #[serde(default)]
    pub document: Option<String>,
}

/// An action of a plan and what has been recorded of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// As added.
    pub added: ActionAdded,
    /// The progress updates, oldest first.
    pub progress: Vec<ActionProgressRecorded>,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
}

impl Action {
    /// The latest RAG status an owner gave, if any.
    pub fn rag(&self) -> Option<Rag> {
        self.progress.last().map(|p| p.rag)
    }
}

/// A recommendation's action plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    /// The actions by id.
    pub actions: SmallMap<Uuid, Action>,
    /// The owning group's sign-off.
    pub signed_off: Option<ActionPlanSignedOff>,
    /// The reviews of impact, oldest first: the latest answers whether practice has changed.
    pub impact_reviews: Vec<ImpactReviewed>,
}

impl ActionPlan {
    /// Whether every action is done (true of a plan without actions).
    pub fn all_done(&self) -> bool {
        self.actions.values().all(|a| a.completed_at.is_some())
    }

    /// One deadline per action, owned by its lead organisation: due at the end of its due day,
    /// met by its completion.
    pub fn deadlines(&self) -> impl Iterator<Item = Deadline> + '_ {
        self.actions.values().map(|action| {
            let mut deadline = Deadline::new(
                DeadlineKind::Action,
                action.added.owners.first().cloned(),
                end_of_day(action.added.due_on),
                action.completed_at,
            );
            deadline.reference = Some(action.added.action_id);
            deadline
        })
    }
}

impl crate::case::Case {
    /// The recommendation whose plan holds the action with this id.
    pub fn recommendation_of_action(&self, action_id: Uuid) -> Option<Uuid> {
        self.after
            .recommendations
            .iter()
            .find(|(_, r)| r.plan.actions.contains_key(&action_id))
            .map(|(id, _)| *id)
    }
}

/// Owners of one action at most: a partnership has some twenty organisations.
pub(in crate::case) const MAX_OWNERS: usize = 20;
/// Actions of one plan at most.
pub(in crate::case) const MAX_ACTIONS: usize = 50;
/// Longest action, progress note or impact summary accepted.
pub(in crate::case) const MAX_TEXT_LEN: usize = 5_000;
/// Pieces of evidence one update may give.
pub(in crate::case) const MAX_EVIDENCE: usize = 20;
/// Longest evidence description, link or document reference.
pub(in crate::case) const MAX_EVIDENCE_LEN: usize = 2_000;
