//! Who read a case: the access log, as the subject access export lists it.

use super::Queries;
use crate::error::AppError;
use casetrail_domain::{Actor, CaseId};
use casetrail_store::{AccessQuery, LoggedAccess};
use std::time::Duration;

/// How long a read of the log waits for queued reads to be written before giving up.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// Reads of the access log fetched at a time.
const ACCESS_PAGE: usize = 500;

impl Queries {
    /// Every recorded read of the case, oldest first, including those still queued when asked
    /// (so a read recorded just before is in the answer). Who may ask is the caller's rule:
    /// the subject access export asks it for the business manager.
    pub async fn case_reads(
        &self,
        actor: &Actor,
        case_id: CaseId,
    ) -> Result<Vec<LoggedAccess>, AppError> {
        tokio::time::timeout(FLUSH_TIMEOUT, self.access_log.flush())
            .await
            .map_err(|e| AppError::Unavailable(e.into()))?
            .map_err(|e| AppError::Unavailable(e.into()))?;
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
}
