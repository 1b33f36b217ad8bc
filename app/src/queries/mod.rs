//! Reads over the read models, now or at any past instant, with the need-to-know policy
//! applied: a case the actor may not see does not exist for them.

mod as_of;
mod audit_trail;
mod case_pages;
mod case_reads;
mod deadline_pages;
mod deadlines;
mod duplicates;
mod feed;
mod learning;
mod lists;
mod partnership;
mod past_pages;
mod personal_details;
mod report;
mod retention;
mod sealed;
mod snapshot;
mod statistics;
mod subject_access;

pub use as_of::{AsOfLimit, ensure_supported};
pub use audit_trail::{AuditFilters, TrailPage};
pub use case_reads::{AccessFilters, AccessLogAudit, AccessPage, CaseAccessLog};
pub use deadline_pages::{DeadlineFilters, DeadlinePage, deadline_page, deadlines_from_snapshot};
pub use deadlines::{DeadlineAt, deadlines_at};
pub use feed::{FeedQuery, FeedView, visible};
pub use learning::{Budget, Positioned, ThemeCounts, ThemeFigures, ThemeList, subject_year};
pub use lists::{
    CaseFilters, CasePage, CasePlace, CaseSort, ChangedSince, ListedCase, case_page,
    cases_from_snapshot,
};
pub use partnership::VersionedPartnership;
pub use retention::{DueCase, DuePage, RetentionList};
pub use snapshot::Snapshot;
pub use statistics::StatisticsYears;
pub use subject_access::{SealedRecord, SubjectAccess};

use crate::clock::SharedClock;
use crate::error::AppError;
use crate::personal_data::KeyVault;
use crate::visibility::can_see;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::history::{Past, Stale};
use casetrail_projections::{CaseRecord, ProjectorHandle, ReadModels};
use casetrail_store::{AccessLogStore, AccessLogger};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Answers questions about the read models as an actor may ask them, and the few that need
/// what the read models keep no copy of: the stored events, the sealed personal data they
/// hold, and the access log.
#[derive(Debug, Clone)]
pub struct Queries {
    projector: ProjectorHandle,
    data_keys: KeyVault,
    access_log: AccessLogger,
    access_log_store: Arc<dyn AccessLogStore>,
    as_of_limit: Arc<AsOfLimit>,
    clock: SharedClock,
}

impl Queries {
    /// Queries over the projector's read models (and its store), opening sealed data with
    /// `data_keys` and reading the access log that `access_log` writes to
    /// `access_log_store`; at most `as_of_per_user` reads of the past under way at once for
    /// one user.
    pub fn new(
        projector: ProjectorHandle,
        data_keys: KeyVault,
        access_log: AccessLogger,
        access_log_store: Arc<dyn AccessLogStore>,
        as_of_per_user: usize,
        clock: SharedClock,
    ) -> Self {
        Self {
            projector,
            data_keys,
            access_log,
            access_log_store,
            as_of_limit: AsOfLimit::new(as_of_per_user),
            clock,
        }
    }

    /// The same queries with at most `as_of_per_user` reads of the past under way at once for
    /// one user.
    pub fn with_as_of_per_user(self, as_of_per_user: usize) -> Self {
        Self {
            as_of_limit: AsOfLimit::new(as_of_per_user),
            ..self
        }
    }

    /// Runs `answer` on the read models and, for an `as_of`, the past of the partnership's
    /// cases (or of `only` that case), loaded again if a case changed in between.
    pub async fn answer<T>(
        &self,
        actor: &Actor,
        only: Option<CaseId>,
        as_of: Option<DateTime<Utc>>,
        answer: impl FnMut(&ReadModels, Option<&Past>) -> Result<T, Stale>,
    ) -> Result<T, AppError> {
        as_of::answer(
            &self.projector,
            &self.as_of_limit,
            actor,
            only,
            as_of,
            answer,
        )
        .await
    }

    /// The instant a question without `as_of` is answered at.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The partnership and the cases (or `only` that case) the actor could see now, or at the
    /// instant of `past`.
    pub fn snapshot<'a>(
        &self,
        models: &'a ReadModels,
        actor: &Actor,
        only: Option<CaseId>,
        past: Option<&'a Past>,
    ) -> Result<Option<Snapshot<'a>>, Stale> {
        snapshot::snapshot(models, actor, only, past, self.clock.now())
    }

    /// Runs `answer` on one case as the actor could see it now or at `as_of`, with the
    /// partnership and the instant then; not found when they could not (another partnership's
    /// case, one of no concern to their organisation, or one not yet opened then).
    pub async fn case_as_of<T>(
        &self,
        actor: &Actor,
        case_id: CaseId,
        as_of: Option<DateTime<Utc>>,
        answer: impl Fn(&CaseRecord, &Partnership, DateTime<Utc>) -> T,
    ) -> Result<T, AppError> {
        self.answer(actor, Some(case_id), as_of, |models, past| {
            let Some(snapshot) = self.snapshot(models, actor, Some(case_id), past)? else {
                return Ok(Err(AppError::case_not_found()));
            };
            Ok(snapshot
                .case(case_id)
                .ok_or_else(AppError::case_not_found)
                .map(|record| answer(record, &snapshot.partnership, snapshot.at)))
        })
        .await?
    }
}

/// Refuses a case the actor may not see (another tenant's, one of no concern to their
/// organisation, or none at all) with the same `case.not_found`, so a refusal says nothing
/// about whether it exists.
pub fn visible_case(
    projector: &ProjectorHandle,
    actor: &Actor,
    case_id: CaseId,
) -> Result<(), AppError> {
    let models = projector.read();
    let partnership = models
        .partnership(&actor.partnership)
        .ok_or_else(AppError::case_not_found)?;
    match models.case(&actor.partnership, case_id) {
        Some(record) if can_see(actor, partnership, &record.case) => Ok(()),
        _ => Err(AppError::case_not_found()),
    }
}
