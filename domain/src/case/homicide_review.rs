//! The domestic homicide review (Domestic Violence, Crime and Victims Act 2004 s9, as the SET
//! panel runs it): notified to the partnership, decided within one month, completed within 6
//! months of the decision, submitted to the Home Office quality assurance panel, published.

use super::practice_review::ReviewPublished;
use super::{PersonProfile, SealedPersonalData};
use crate::calendar::{end_of_day, local_date};
use crate::deadline::{Deadline, DeadlineKind};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A death that may be a domestic homicide was notified to the partnership (opens a domestic
/// homicide case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomesticHomicideNotified {
    /// The new case.
    pub case_id: CaseId,
    /// The notifying organisation (usually the police).
    pub notified_by: OrgSlug,
    /// The victim, without identifying details.
    pub victim: PersonProfile,
    /// Names, date of birth and the summary, sealed.
    pub personal_data: SealedPersonalData,
    /// The day the victim died.
    pub date_of_death: NaiveDate,
    /// When the notification was made (starts the month to decide).
    pub occurred_at: DateTime<Utc>,
}

/// The partnership decided whether to conduct a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhrDecisionRecorded {
    /// Whether a review is conducted.
    pub conduct_review: bool,
    /// The rationale, sealed (it describes the victim and the family).
    pub rationale: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The review was commissioned from an independent chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhrCommissioned {
    /// The independent chair (and author).
    pub chair: String,
    /// Terms of reference, sealed.
    pub terms_of_reference: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The review panel completed the overview report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhrCompleted {
    /// The overview report's summary and findings, sealed.
    pub overview: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The domestic homicide review as its events have made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomicideReview {
    /// The decision.
    pub decision: Option<DhrDecisionRecorded>,
    /// The commissioning.
    pub commissioned: Option<DhrCommissioned>,
    /// When the overview report was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was submitted to the Home Office quality assurance panel.
    pub submitted_to_home_office_at: Option<DateTime<Utc>>,
    /// The publication.
    pub published: Option<ReviewPublished>,
}

impl HomicideReview {
    /// `dhr_decision` one calendar month after the notification day, and, once a review is
    /// decided, `dhr_completion` 6 calendar months after the decision day (both at end of day).
    pub fn deadlines(&self, notified_at: DateTime<Utc>) -> Vec<Deadline> {
        let months_after = |at: DateTime<Utc>, months: u32| {
            end_of_day(
                local_date(at)
                    .checked_add_months(Months::new(months))
                    .unwrap_or(NaiveDate::MAX),
            )
        };
        let mut deadlines = vec![Deadline::new(
            DeadlineKind::DhrDecision,
            None,
            months_after(notified_at, 1),
            self.decision.as_ref().map(|d| d.occurred_at),
        )];
        if let Some(decision) = self.decision.as_ref().filter(|d| d.conduct_review) {
            deadlines.push(Deadline::new(
                DeadlineKind::DhrCompletion,
                None,
                months_after(decision.occurred_at, 6),
                self.completed_at,
            ));
        }
        deadlines
    }
}
