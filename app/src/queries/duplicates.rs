//! A notification that may repeat one already made: the same child (by the pseudonymous
//! reference) and the same incident date within the partnership. Two notifications of one
//! incident would open two rapid reviews and two sets of statutory deadlines, so the second is
//! held back until the notifier confirms it is another incident.

use super::Queries;
use crate::visibility::can_see;
use casetrail_domain::case::Origin;
use casetrail_domain::{Actor, CaseId};
use chrono::NaiveDate;

impl Queries {
    /// The first case the actor can see of the child with `reference` and an incident on
    /// `incident_date` (notified or referred), if any. Only cases the actor may see count: a
    /// refusal must not tell anyone of a case they may not know of.
    pub fn possible_duplicate(
        &self,
        actor: &Actor,
        reference: &str,
        incident_date: NaiveDate,
    ) -> Option<CaseId> {
        let models = self.projector.read();
        let partnership = models.partnership(&actor.partnership)?;
        models
            .cases_with_reference(&actor.partnership, reference)
            .map(|record| &record.case)
            .filter(|case| can_see(actor, partnership, case))
            .find(|case| {
                let incident = match &case.origin {
                    Origin::Notification(notified) => Some(notified.incident_date),
                    Origin::Referral(referred) => Some(referred.incident_date),
                    Origin::AdultReferral(_)
                    | Origin::HomicideNotification(_)
                    | Origin::Audit(_) => None,
                };
                incident == Some(incident_date)
            })
            .map(|case| case.case_id)
    }
}
