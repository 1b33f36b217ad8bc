//! The actor's partnership as it stands: its settings, organisations and calendar.

use super::Queries;
use crate::error::AppError;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, DomainError};

/// The partnership with the version of its stream, which administration commands send back in
/// `If-Match`.
#[derive(Debug, Clone)]
pub struct VersionedPartnership {
    /// The partnership now.
    pub partnership: Partnership,
    /// Its stream's version.
    pub version: u64,
}

impl Queries {
    /// The actor's partnership; every member may read it. Not found for a partnership this
    /// service does not hold.
    pub fn partnership(&self, actor: &Actor) -> Result<VersionedPartnership, AppError> {
        // The read model knows the version: no database read on every request.
        let models = self.projector.read();
        let version = models.partnership_version(&actor.partnership).unwrap_or(0);
        let partnership = models.partnership(&actor.partnership).ok_or_else(|| {
            AppError::from(DomainError::not_found(
                "partnership.not_found",
                "no such partnership",
            ))
        })?;
        Ok(VersionedPartnership {
            partnership: partnership.clone(),
            version,
        })
    }
}
