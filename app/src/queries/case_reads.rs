//! Who read a case: the access log, as the subject access export lists it and as an auditor
//! pages through it.

use super::Queries;
use crate::error::AppError;
use casetrail_domain::{Actor, CaseId, DomainError, Role};
use casetrail_store::{AccessQuery, LoggedAccess};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How long a read of the log waits for queued reads to be written before giving up.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// Reads of the access log fetched at a time.
const ACCESS_PAGE: usize = 500;

/// Which reads of a case's access log are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFilters {
    /// At most this many reads.
    pub limit: usize,
    /// Only reads after this one (the previous page's last id).
    pub after: Option<u64>,
    /// Only reads at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only reads before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// One page of a case's access log, oldest first.
#[derive(Debug, Clone)]
pub struct AccessPage {
    /// The reads.
    pub reads: Vec<LoggedAccess>,
    /// Where the next page starts (after this read's id); `None` on the last.
    pub next_after: Option<u64>,
}

/// The access log as an auditor reads it: only an auditor gets one.
#[derive(Debug)]
pub struct AccessLogAudit<'a> {
    queries: &'a Queries,
    actor: &'a Actor,
}

/// One case's access log, once the case is known to exist.
#[derive(Debug)]
pub struct CaseAccessLog<'a> {
    audit: &'a AccessLogAudit<'a>,
    case_id: CaseId,
}

impl Queries {
    /// Every recorded read of the case, oldest first, including those still queued when asked
    /// (so a read recorded just before is in the answer). Who may ask is the caller's rule:
    /// the subject access export asks it for the business manager.
    pub async fn case_reads(
        &self,
        actor: &Actor,
        case_id: CaseId,
    ) -> Result<Vec<LoggedAccess>, AppError> {
        self.flush_access_log().await?;
        let mut reads = Vec::new();
        let mut after_id = 0;
        loop {
            let page = self
                .access_log_store
                .read_case(&AccessQuery {
                    partnership: actor.partnership.to_string(),
                    case_id: case_id.as_uuid(),
                    after_id,
                    from: None,
                    to: None,
                    limit: ACCESS_PAGE,
                })
                .await?;
            let full = page.len() == ACCESS_PAGE;
            after_id = page.last().map_or(after_id, |last| last.id);
            reads.extend(page);
            if !full {
                return Ok(reads);
            }
        }
    }

    /// The access log for the actor, refused from the token alone unless they are an auditor:
    /// before anything about the request is read or looked up.
    pub fn access_log<'a>(&'a self, actor: &'a Actor) -> Result<AccessLogAudit<'a>, AppError> {
        if !actor.has(Role::Auditor) {
            return Err(DomainError::forbidden(
                "auth.role_required",
                "reading the access log needs the role auditor",
            )
            .into());
        }
        Ok(AccessLogAudit {
            queries: self,
            actor,
        })
    }

    /// Writes the reads still queued, so that an answer includes every read served before it.
    async fn flush_access_log(&self) -> Result<(), AppError> {
        tokio::time::timeout(FLUSH_TIMEOUT, self.access_log.flush())
            .await
            .map_err(|e| AppError::Unavailable(e.into()))?
            .map_err(|e| AppError::Unavailable(e.into()))
    }
}

impl AccessLogAudit<'_> {
    /// The case's log; not found unless the case is the partnership's. An auditor sees every
    /// case of the partnership, so nothing more is asked of them.
    pub fn case(&self, case_id: CaseId) -> Result<CaseAccessLog<'_>, AppError> {
        let models = self.queries.projector.read();
        if models.case(&self.actor.partnership, case_id).is_none() {
            return Err(AppError::case_not_found());
        }
        Ok(CaseAccessLog {
            audit: self,
            case_id,
        })
    }
}

impl CaseAccessLog<'_> {
    /// A page of the case's reads, the queued ones written first (503 when they cannot be).
    pub async fn page(&self, filters: &AccessFilters) -> Result<AccessPage, AppError> {
        let queries = self.audit.queries;
        queries.flush_access_log().await?;
        let query = AccessQuery {
            partnership: self.audit.actor.partnership.to_string(),
            case_id: self.case_id.as_uuid(),
            after_id: filters.after.unwrap_or(0),
            from: filters.from,
            to: filters.to,
            // One more than asked tells whether there is a next page.
            limit: filters.limit + 1,
        };
        let mut reads = queries.access_log_store.read_case(&query).await?;
        let next_after = if reads.len() == query.limit {
            reads.pop();
            reads.last().map(|last| last.id)
        } else {
            None
        };
        Ok(AccessPage { reads, next_after })
    }
}
