//! The domestic homicide review's commands, already parsed from the wire into domain types.

use crate::CaseId;
use crate::case::homicide_review::{FamilyInvolvement, QaOutcome, Relationship};
use crate::case::shared::commands::PersonDetails;
use crate::case::{AbuseOrNeglect, SealedPersonalData};
use chrono::{DateTime, NaiveDate, Utc};

/// NotifyDomesticHomicide: a death that may be a domestic homicide is notified to the partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyDomesticHomicide {
    /// Id for the new case, chosen by the edge.
    pub case_id: CaseId,
    /// The victim.
    pub victim: PersonDetails,
    /// Names, date of birth and the summary, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// The day the victim died.
    pub date_of_death: NaiveDate,
    /// How the person suspected of causing the death stood to the victim (s9(1)).
    pub relationship: Relationship,
    /// Whether the death has (`known`) or appears to have (`suspected`) resulted from
    /// violence, abuse or neglect by that person.
    pub violence_abuse_or_neglect: AbuseOrNeglect,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrQaOutcome: the Home Office quality assurance panel answered the submission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecordDhrQaOutcomeRequest, example = json!({"outcome": "approved_for_publication", "occurred_at": "2024-01-20T10:00:00Z"}))
)]
#[serde(deny_unknown_fields)]
pub struct RecordDhrQaOutcome {
    /// The panel's outcome.
    pub outcome: QaOutcome,
    /// When the panel's outcome was received, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrFamilyInvolvement: a step of the victim's family's involvement in the review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecordDhrFamilyInvolvementRequest, example = json!({"involvement": "invited", "occurred_at": "2023-05-15T14:30:00Z"}))
)]
#[serde(deny_unknown_fields)]
pub struct RecordDhrFamilyInvolvement {
    /// Which step.
    pub involvement: FamilyInvolvement,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrDecision: whether to conduct a domestic homicide review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDhrDecision {
    /// Whether a review is conducted.
    pub conduct_review: bool,
    /// The rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionDhr: the review is commissioned from an independent chair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionDhr {
    /// The independent chair.
    pub chair: String,
    /// Terms of reference, sealed by the edge.
    pub terms_of_reference: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteDhr: the overview report is completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteDhr {
    /// The overview report's summary and findings, sealed by the edge.
    pub overview: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}
