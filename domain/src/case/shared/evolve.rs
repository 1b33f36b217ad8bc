//! How the facts every process shares change the case.

use crate::case::erasure::PersonalDataErased;
use crate::case::practice_review::{
    CaseClosed, Recommendation, RecommendationAdded, RecommendationCompleted, ReviewPublished,
};
use crate::case::rapid_review::{AgencyReport, AgencyReportSubmitted, Occurred, OrganisationAct};
use crate::case::{Case, Stage};

/// A fact any review process may have.
#[derive(Debug, Clone, Copy)]
pub enum SharedEvent<'a> {
    /// `AgencyReportRequested`: a rapid review's or an adult review's.
    AgencyReportRequested(&'a OrganisationAct),
    /// `AgencyReportSubmitted`.
    AgencyReportSubmitted(&'a AgencyReportSubmitted),
    /// `ReviewPublished`: an LCSPR, a SAR or a DHR.
    ReviewPublished(&'a ReviewPublished),
    /// `ReviewTakenDown`.
    ReviewTakenDown(&'a Occurred),
    /// `RecommendationAdded`.
    RecommendationAdded(&'a RecommendationAdded),
    /// `RecommendationCompleted`.
    RecommendationCompleted(&'a RecommendationCompleted),
    /// `CaseClosed`.
    CaseClosed(&'a CaseClosed),
    /// `PersonalDataErased`.
    PersonalDataErased(&'a PersonalDataErased),
}

impl Case {
    /// Folds a shared fact into whichever review the case follows.
    pub(in crate::case) fn apply_shared(&mut self, event: SharedEvent<'_>) {
        match event {
            SharedEvent::AgencyReportRequested(act) => {
                self.involved.insert(act.organisation.clone());
                let report = AgencyReport {
                    requested_at: act.occurred_at,
                    submitted_at: None,
                };
                // An adult case keeps its reports in the safeguarding adult review.
                if let Some(sar) = self.sar.as_mut() {
                    sar.agency_reports.insert(act.organisation.clone(), report);
                } else {
                    self.with_review(|r| {
                        r.agency_reports.insert(act.organisation.clone(), report);
                    });
                }
            }
            SharedEvent::AgencyReportSubmitted(submitted) => {
                let reports = match self.sar.as_mut() {
                    Some(sar) => Some(&mut sar.agency_reports),
                    None => self.rapid_review.as_mut().map(|r| &mut r.agency_reports),
                };
                if let Some(report) = reports.and_then(|r| r.get_mut(&submitted.organisation)) {
                    report.submitted_at = Some(submitted.occurred_at);
                }
            }
            SharedEvent::ReviewPublished(published) => {
                self.stage = Stage::Published;
                if let Some(sar) = self.sar.as_mut() {
                    sar.published = Some(published.clone());
                } else if let Some(dhr) = self.dhr.as_mut() {
                    dhr.published = Some(published.clone());
                } else {
                    self.with_practice_review(|r| r.published = Some(published.clone()));
                }
            }
            SharedEvent::ReviewTakenDown(done) => {
                self.with_practice_review(|r| r.taken_down_at = Some(done.occurred_at));
            }
            SharedEvent::RecommendationAdded(added) => {
                self.involved.extend(added.owners.iter().cloned());
                self.after.recommendations.insert(
                    added.recommendation_id,
                    Recommendation {
                        added: added.clone(),
                        completed_at: None,
                    },
                );
            }
            SharedEvent::RecommendationCompleted(done) => {
                if let Some(r) = self.after.recommendations.get_mut(&done.recommendation_id) {
                    r.completed_at = Some(done.occurred_at);
                }
            }
            SharedEvent::CaseClosed(closed) => {
                self.stage = Stage::Closed;
                self.after.closed = Some(closed.clone());
            }
            SharedEvent::PersonalDataErased(erased) => {
                self.personal_data_erased_at = Some(erased.occurred_at);
            }
        }
    }
}
