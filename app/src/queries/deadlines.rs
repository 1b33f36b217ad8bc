//! A case's deadlines with their status at an instant, as the case, its deadlines and the
//! deadline list all show them.

use super::Queries;
use crate::error::AppError;
use casetrail_domain::deadline::{DeadlineKind, DeadlineStatus, Lateness};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, CaseId, OrgSlug};
use casetrail_projections::{CaseRecord, DeadlineGeneration, IdentifiedDeadline, identified};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// A deadline of a case with its status at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineAt {
    /// Its stable id.
    pub deadline_id: Uuid,
    /// The case.
    pub case_id: CaseId,
    /// What it is for.
    pub kind: DeadlineKind,
    /// The organisation that must act, if one.
    pub organisation: Option<OrgSlug>,
    /// When it falls due, as seen at the instant.
    pub due_at: DateTime<Utc>,
    /// Its status at the instant.
    pub status: DeadlineStatus,
    /// When the fulfilling fact occurred, if it had by the instant.
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// How late, when met late or breached.
    pub late_by: Option<Lateness>,
    /// The first due instant, when an approved delay or a pause has moved it.
    pub original_due_at: Option<DateTime<Utc>>,
    /// The recommendation a `recommendation` deadline is for, or whose plan holds an
    /// `action` deadline's action.
    pub recommendation_id: Option<Uuid>,
    /// The action an `action` deadline is for.
    pub action_id: Option<Uuid>,
    /// Whether a bank holiday proclaimed later may still move it.
    pub provisional: bool,
    /// The case's version (stream version) as of the instant.
    pub case_version: u64,
    /// When the case's last fact (as of the instant) was recorded.
    pub updated_at: DateTime<Utc>,
    /// The log position of that fact: `changed_since` of the lists.
    pub updated_position: u64,
}

impl DeadlineAt {
    /// The order every list of deadlines is in, soonest due first: also where a page of the
    /// deadline list ends.
    pub fn order(&self) -> (DateTime<Utc>, Uuid) {
        (self.due_at, self.deadline_id)
    }
}

/// The case's deadlines under `partnership`: those the read models keep for the present
/// (`generation` is the partnership's as they hold it), else computed (a past partnership).
pub(super) fn case_deadlines(
    record: &CaseRecord,
    partnership: &Partnership,
    generation: Option<DeadlineGeneration<'_>>,
) -> Arc<[IdentifiedDeadline]> {
    match generation {
        Some(generation) => record.present_deadlines(partnership, generation),
        None => identified(&record.case, partnership).into(),
    }
}

/// The case's deadlines with their status at `at`, in the case's order; `generation` as for
/// [`case_deadlines`].
pub fn deadlines_at(
    record: &CaseRecord,
    partnership: &Partnership,
    generation: Option<DeadlineGeneration<'_>>,
    at: DateTime<Utc>,
) -> Vec<DeadlineAt> {
    case_deadlines(record, partnership, generation)
        .iter()
        .map(|deadline| deadline_at(record, partnership, deadline, at))
        .collect()
}

/// One of the case's deadlines with its status at `at`.
pub(super) fn deadline_at(
    record: &CaseRecord,
    partnership: &Partnership,
    (deadline_id, d): &IdentifiedDeadline,
    at: DateTime<Utc>,
) -> DeadlineAt {
    // A paused review's clock stands still: its due instant moves on with `at`.
    let due_at = d.due_at_as_of(at);
    DeadlineAt {
        deadline_id: *deadline_id,
        case_id: record.case.case_id,
        kind: d.kind,
        organisation: d.organisation.clone(),
        due_at,
        status: d.status(at, &partnership.calendar),
        fulfilled_at: d.fulfilled_at.filter(|fulfilled| *fulfilled <= at),
        late_by: d.late_by(at, &partnership.calendar),
        // A paused review shows its original date beside the extended one.
        original_due_at: d.original_due_at_as_of(at),
        recommendation_id: match d.kind {
            DeadlineKind::Action => d
                .reference
                .and_then(|action| record.case.recommendation_of_action(action)),
            _ => d.reference,
        },
        action_id: d.reference.filter(|_| d.kind == DeadlineKind::Action),
        provisional: d.provisional || casetrail_domain::calendar::is_provisional(due_at),
        case_version: record.version,
        updated_at: record.updated_at,
        updated_position: record.updated_position(),
    }
}

/// Whether any of the case's deadlines is breached at `at`; `generation` as for
/// [`case_deadlines`].
pub(super) fn has_overdue_deadlines(
    record: &CaseRecord,
    partnership: &Partnership,
    generation: Option<DeadlineGeneration<'_>>,
    at: DateTime<Utc>,
) -> bool {
    case_deadlines(record, partnership, generation)
        .iter()
        .any(|(_, d)| d.status(at, &partnership.calendar) == DeadlineStatus::Breached)
}

impl Queries {
    /// Every deadline of one case with its status now or at `as_of`, soonest due first; a
    /// case the actor could not see then is not found.
    pub async fn case_deadlines(
        &self,
        actor: &Actor,
        case_id: CaseId,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<DeadlineAt>, AppError> {
        let mut deadlines = self
            .case_as_of(actor, case_id, as_of, |record, partnership, at| {
                deadlines_at(record, partnership, None, at)
            })
            .await?;
        deadlines.sort_by_key(DeadlineAt::order);
        Ok(deadlines)
    }
}
