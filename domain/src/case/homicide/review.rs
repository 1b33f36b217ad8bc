//! The domestic homicide review (Domestic Violence, Crime and Victims Act 2004 s9, as the SET
//! panel runs it): notified to the partnership with the s9(1) relationship test, decided within
//! one month and the decision (also not to review) told to the Home Office, the family
//! involved, completed within 6 months of the decision, submitted to the Home Office quality
//! assurance panel, and published only after the panel's outcome allows it.

use crate::calendar::{end_of_day, local_date};
use crate::case::practice_review::ReviewPublished;
use crate::case::{AbuseOrNeglect, PersonProfile, SealedPersonalData};
use crate::deadline::{Deadline, DeadlineKind};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How the person suspected of causing the death stood to the victim: DVCVA 2004 s9(1)(a) and
/// (b). Only the first four meet the test; `other` exists so a notifier can say what it knows
/// and be told why it is not a domestic homicide review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// A person to whom the victim was related (s9(1)(a)).
    Relative,
    /// A person with whom the victim was in an intimate personal relationship (s9(1)(a)).
    IntimatePartner,
    /// A person with whom the victim had been in an intimate personal relationship (s9(1)(a)).
    FormerIntimatePartner,
    /// A member of the same household as the victim (s9(1)(b)).
    HouseholdMember,
    /// None of these (does not meet the s9(1) test).
    Other,
}

impl Relationship {
    /// Whether the relationship meets s9(1)(a) or (b).
    pub fn meets_section_9(self) -> bool {
        self != Relationship::Other
    }
}

/// A death that may be a domestic homicide was notified to the partnership (opens a domestic
/// homicide case). Schema version 2 records the s9(1) relationship test.
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
    /// How the person suspected of causing the death stood to the victim; `None` for
    /// notifications recorded before version 2, which did not ask.
    pub relationship: Option<Relationship>,
    /// Whether the death has (`known`) or appears to have (`suspected`) resulted from violence,
    /// abuse or neglect by that person; `None` before version 2.
    pub violence_abuse_or_neglect: Option<AbuseOrNeglect>,
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

/// What the Home Office quality assurance panel said of a submitted review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QaOutcome {
    /// The report may be published.
    ApprovedForPublication,
    /// The panel asked for changes: the report is revised and submitted again.
    ResubmissionRequested,
}

/// The Home Office quality assurance panel's outcome on the latest submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhrQaOutcomeRecorded {
    /// The outcome.
    pub outcome: QaOutcome,
    /// When the panel's letter was received.
    pub occurred_at: DateTime<Utc>,
}

/// A step of the victim's family's involvement in the review (the 2016 guidance's section on
/// involving family, friends and other support networks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FamilyInvolvement {
    /// The family was told of the review and invited to take part.
    Invited,
    /// The family contributed to the review.
    Contributed,
    /// The family chose not to take part.
    Declined,
}

/// The family's involvement in a domestic homicide review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhrFamilyInvolvementRecorded {
    /// Which step.
    pub involvement: FamilyInvolvement,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The domestic homicide review as its events have made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomicideReview {
    /// The decision.
    pub decision: Option<DhrDecisionRecorded>,
    /// When the Home Office was told of the decision.
    pub home_office_notified_at: Option<DateTime<Utc>>,
    /// The family's involvement, step by step, each once.
    pub family: Vec<DhrFamilyInvolvementRecorded>,
    /// The commissioning.
    pub commissioned: Option<DhrCommissioned>,
    /// When the overview report was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was (last) submitted to the Home Office quality assurance panel.
    pub submitted_to_home_office_at: Option<DateTime<Utc>>,
    /// The panel's outcome on the latest submission, once received.
    pub qa_outcome: Option<DhrQaOutcomeRecorded>,
    /// The publication.
    pub published: Option<ReviewPublished>,
}

impl HomicideReview {
    /// When the family took a step of its involvement, if it did.
    pub fn family_step(&self, step: FamilyInvolvement) -> Option<DateTime<Utc>> {
        self.family
            .iter()
            .find(|f| f.involvement == step)
            .map(|f| f.occurred_at)
    }

    /// `dhr_decision` one calendar month after the notification day; once decided,
    /// `dhr_home_office_notification` by the same day, or by the end of the day of a decision
    /// taken later; and, once a review is decided, `dhr_completion` 6 calendar months after
    /// the decision day (all at end of day).
    pub fn deadlines(&self, notified_at: DateTime<Utc>) -> Vec<Deadline> {
        let months_after = |at: DateTime<Utc>, months: u32| {
            local_date(at)
                .checked_add_months(Months::new(months))
                .unwrap_or(NaiveDate::MAX)
        };
        let decision_due = months_after(notified_at, 1);
        let mut deadlines = vec![Deadline::new(
            DeadlineKind::DhrDecision,
            None,
            end_of_day(decision_due),
            self.decision.as_ref().map(|d| d.occurred_at),
        )];
        if let Some(decision) = &self.decision {
            deadlines.push(Deadline::new(
                DeadlineKind::DhrHomeOfficeNotification,
                None,
                end_of_day(decision_due.max(local_date(decision.occurred_at))),
                self.home_office_notified_at,
            ));
        }
        if let Some(decision) = self.decision.as_ref().filter(|d| d.conduct_review) {
            deadlines.push(Deadline::new(
                DeadlineKind::DhrCompletion,
                None,
                end_of_day(months_after(decision.occurred_at, 6)),
                self.completed_at,
            ));
        }
        deadlines
    }
}
