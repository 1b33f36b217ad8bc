//! The identifying details of the child, adult or victim of one case, opened, for the few who
//! act on the case with the person or their family (docs/access-control.md).

use super::Queries;
use super::sealed::{open, opening_personal_data};
use crate::error::AppError;
use crate::personal_data::ChildPersonalData;
use crate::visibility::{can_see, personal_details_access};
use casetrail_domain::{Actor, CaseId};

impl Queries {
    /// The details the case was opened with. Whether the actor's roles ever read such details
    /// is judged from the token before the case is looked up, so a caller who may never read
    /// them learns nothing about whether the case exists; then the case must be one they see
    /// (not found otherwise) and, for a reviewer, one their organisation reviews. Gone once
    /// erased: recorded so, or the key already destroyed.
    pub async fn personal_details(
        &self,
        actor: &Actor,
        case_id: CaseId,
    ) -> Result<ChildPersonalData, AppError> {
        {
            let models = self.projector.read();
            let partnership = models
                .partnership(&actor.partnership)
                .ok_or_else(AppError::case_not_found)?;
            personal_details_access(actor, partnership, None)?;
            let record = models
                .case(&actor.partnership, case_id)
                .filter(|r| can_see(actor, partnership, &r.case))
                .ok_or_else(AppError::case_not_found)?;
            personal_details_access(actor, partnership, Some(&record.case))?;
            if record.case.personal_data_erased_at.is_some() {
                return Err(AppError::personal_data_gone());
            }
        }
        // The read models keep no sealed bytes: the opening event holds them.
        let sealed =
            opening_personal_data(self.projector.store(), &actor.partnership, case_id).await?;
        open(&self.data_keys, &sealed).await
    }
}
