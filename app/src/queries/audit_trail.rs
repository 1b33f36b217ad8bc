//! The audit trail: every event of the log the actor may see, with who did it, on which command
//! and request, and a summary without personal data, as of now or any past instant.

use super::Queries;
use crate::error::AppError;
use crate::visibility::{can_see, sees_all_cases};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, CaseId, OrgSlug};
use casetrail_projections::{AuditEntry, AuditPage, AuditRef, ReadModels, history};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::collections::HashMap;

/// Which events of the trail are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilters {
    /// At most this many events.
    pub limit: usize,
    /// Only events after this log position (the previous page's last).
    pub after: Option<u64>,
    /// Only events of commands sent by this user.
    pub actor: Option<String>,
    /// Only events of commands sent by users of this organisation.
    pub organisation: Option<OrgSlug>,
    /// Only events of this command (its name).
    pub command: Option<String>,
    /// Only events recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only events recorded before this instant.
    pub to: Option<DateTime<Utc>>,
    /// The trail as it stood at this instant: only events recorded by then, and the cases the
    /// actor could see then. Now when absent.
    pub as_of: Option<DateTime<Utc>>,
}

impl AuditFilters {
    /// The first `limit` events, unfiltered, as they stand now.
    pub fn first(limit: usize) -> Self {
        Self {
            limit,
            after: None,
            actor: None,
            organisation: None,
            command: None,
            from: None,
            to: None,
            as_of: None,
        }
    }

    fn matches(&self, entry: AuditRef<'_>) -> bool {
        self.actor.as_ref().is_none_or(|a| entry.user() == a)
            && self
                .organisation
                .as_ref()
                .is_none_or(|o| entry.org() == Some(o.as_str()))
            && self
                .command
                .as_ref()
                .is_none_or(|c| entry.command() == Some(c.as_str()))
            && self.from.is_none_or(|from| entry.recorded_at() >= from)
            && self.to.is_none_or(|to| entry.recorded_at() < to)
    }
}

/// One page of the trail, in log order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailPage {
    /// The events, as the trail shows them.
    pub entries: Vec<AuditEntry>,
    /// Where the next page starts (after this position); `None` on the last.
    pub next_after: Option<u64>,
}

impl Queries {
    /// A page of one case's trail. A case the actor could not see at `as_of` (or now) is not
    /// found, and so is one not yet opened then.
    pub async fn case_audit_trail(
        &self,
        actor: &Actor,
        case_id: CaseId,
        filters: &AuditFilters,
    ) -> Result<TrailPage, AppError> {
        let chosen = {
            let models = self.projector.read();
            let partnership = partnership_at(&models, actor, filters.as_of)
                .ok_or_else(AppError::case_not_found)?;
            if !case_visible(&models, actor, &partnership, case_id, filters.as_of) {
                return Err(AppError::case_not_found());
            }
            models.audit().page(
                &actor.partnership,
                Some(case_id),
                filters.after,
                filters.as_of,
                filters.limit,
                |entry| filters.matches(entry),
            )
        };
        self.trail_page(actor, chosen).await
    }

    /// A page of the partnership's trail: its own facts and the events of every case the actor
    /// could see at `as_of` (or now). Empty for a partnership that did not exist then.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        filters: &AuditFilters,
    ) -> Result<TrailPage, AppError> {
        let chosen = {
            let models = self.projector.read();
            let Some(partnership) = partnership_at(&models, actor, filters.as_of) else {
                return Ok(TrailPage {
                    entries: Vec::new(),
                    next_after: None,
                });
            };
            let all = sees_all_cases(actor, &partnership);
            // Each case's visibility is decided once per request, and only for cases met on
            // the way.
            let mut visible: HashMap<CaseId, bool> = HashMap::new();
            models.audit().page(
                &actor.partnership,
                None,
                filters.after,
                filters.as_of,
                filters.limit,
                |entry| {
                    filters.matches(entry)
                        && match entry.case_id() {
                            None => true,
                            Some(_) if all => true,
                            Some(case_id) => *visible.entry(case_id).or_insert_with(|| {
                                case_visible(&models, actor, &partnership, case_id, filters.as_of)
                            }),
                        }
                },
            )
        };
        self.trail_page(actor, chosen).await
    }

    /// Renders a page chosen from the index: the index keeps positions only, so its events
    /// are read back from the store.
    async fn trail_page(
        &self,
        actor: &Actor,
        (positions, next_after): AuditPage,
    ) -> Result<TrailPage, AppError> {
        let events = history::events_at(self.projector.store(), &positions).await?;
        let models = self.projector.read();
        let entries = events
            .iter()
            .map(|event| models.audit().render(&actor.partnership, event))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(e.into()))?;
        Ok(TrailPage {
            entries,
            next_after,
        })
    }
}

/// The partnership as it stood at `as_of` (or now): whose organisations are statutory partners
/// decides who sees every case.
fn partnership_at<'a>(
    models: &'a ReadModels,
    actor: &Actor,
    as_of: Option<DateTime<Utc>>,
) -> Option<Cow<'a, Partnership>> {
    match as_of {
        None => models.partnership(&actor.partnership).map(Cow::Borrowed),
        Some(at) => models
            .partnership_as_of(&actor.partnership, at)
            .map(Cow::Owned),
    }
}

/// Whether the actor could see the case at `as_of` (or now); a case not yet opened is unseen.
fn case_visible(
    models: &ReadModels,
    actor: &Actor,
    partnership: &Partnership,
    case_id: CaseId,
    as_of: Option<DateTime<Utc>>,
) -> bool {
    let Some(record) = models.case(&actor.partnership, case_id) else {
        return false;
    };
    match as_of {
        None => can_see(actor, partnership, &record.case),
        // Involvement only grows, so when each organisation joined the case says who could
        // see it then, without folding the case again.
        Some(at) => {
            record.opened_by(at)
                && (sees_all_cases(actor, partnership) || record.involved_by(&actor.org, at))
        }
    }
}
