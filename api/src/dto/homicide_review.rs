//! Wire types of the domestic homicide review and its read model.

use super::AbuseOrNeglect;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The victim, as the notifier records them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VictimInput {
    /// The notifier's pseudonymous reference.
    #[schema(example = "EP-DH-2023-014")]
    pub reference: String,
    /// Given name (sealed; never in logs or read models).
    #[schema(example = "Grace")]
    pub given_name: String,
    /// Family name (sealed).
    #[schema(example = "Okafor")]
    pub family_name: String,
    /// Date of birth (sealed; the case keeps only the age band). The victim must have been 16
    /// or over.
    #[schema(example = "1975-06-30")]
    pub date_of_birth: NaiveDate,
    /// Sex.
    #[schema(example = "female")]
    pub sex: String,
    /// Ethnicity.
    #[schema(example = "Black British")]
    pub ethnicity: String,
}

pub use casetrail_domain::case::homicide_review::Relationship;

/// NotifyDomesticHomicide request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "victim": {
        "reference": "EP-DH-2023-014", "given_name": "Grace", "family_name": "Okafor",
        "date_of_birth": "1975-06-30", "sex": "female", "ethnicity": "Black British"
    },
    "date_of_death": "2023-04-09",
    "relationship": "former_intimate_partner",
    "violence_abuse_or_neglect": "suspected",
    "summary": "Died at home; her former partner has been charged with murder."
}))]
pub struct NotifyDomesticHomicideRequest {
    /// The victim.
    pub victim: VictimInput,
    /// The day the victim died.
    pub date_of_death: NaiveDate,
    /// How the person suspected of causing the death stood to the victim: a relative, a
    /// current or former intimate partner, or a member of the same household (s9(1)); `other`
    /// is refused with 422 `dhr.relationship_test_not_met`.
    pub relationship: Relationship,
    /// Whether the death has (`known`) or appears to have (`suspected`) resulted from violence,
    /// abuse or neglect by that person; `not_suspected` is refused.
    pub violence_abuse_or_neglect: AbuseOrNeglect,
    /// Summary of the circumstances (sealed with the personal data).
    pub summary: String,
    /// When the notification was made, if not now: the decision is due a calendar month later.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordDhrDecision request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"conduct_review": true, "rationale": "The criteria of the statutory guidance are met: the victim was killed by a former intimate partner."}))]
pub struct RecordDhrDecisionRequest {
    /// Whether a domestic homicide review is conducted.
    pub conduct_review: bool,
    /// The rationale (sealed).
    pub rationale: String,
    /// When decided, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionDhr request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"chair": "Idris Falconbridge (independent chair)", "terms_of_reference": "Agencies' contact with the victim and the perpetrator since 2019."}))]
pub struct CommissionDhrRequest {
    /// The independent chair and author.
    pub chair: String,
    /// Terms of reference (sealed).
    pub terms_of_reference: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteDhr request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"overview": "Overview report agreed by the panel: missed opportunities to ask about coercive control."}))]
pub struct CompleteDhrRequest {
    /// The overview report's summary and findings (sealed).
    pub overview: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::homicide_review::QaOutcome;

pub use casetrail_domain::case::homicide_review::FamilyInvolvement;

/// A step of the family's involvement as the case shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DhrFamilyInvolvementView {
    /// Which step.
    pub involvement: FamilyInvolvement,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The victim as a case shows them: no names, no date of birth.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VictimView {
    /// Pseudonymous reference.
    pub reference: String,
    /// Age band at death: `16_to_17`, `18_to_24`, …, `85_and_over`.
    #[schema(value_type = casetrail_domain::case::AdultAgeBand)]
    pub age_band: String,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
    /// The day the victim died.
    pub date_of_death: NaiveDate,
    /// The s9(1) relationship; null for notifications made before it was recorded.
    pub relationship: Option<Relationship>,
    /// Whether the death resulted (`known`) or appears to have resulted (`suspected`) from
    /// violence, abuse or neglect; null for notifications made before it was recorded.
    pub violence_abuse_or_neglect: Option<AbuseOrNeglect>,
}

/// The domestic homicide review as the case shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DhrView {
    /// Whether a review is conducted, once decided.
    pub conduct_review: Option<bool>,
    /// When decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// When the Home Office was told of the decision.
    pub home_office_notified_at: Option<DateTime<Utc>>,
    /// The family's involvement, step by step.
    pub family_involvement: Vec<DhrFamilyInvolvementView>,
    /// The independent chair, once commissioned.
    pub chair: Option<String>,
    /// When commissioned.
    pub commissioned_at: Option<DateTime<Utc>>,
    /// When the overview report was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// When (last) submitted to the Home Office quality assurance panel.
    pub submitted_to_home_office_at: Option<DateTime<Utc>>,
    /// The panel's outcome on the latest submission, once received.
    pub qa_outcome: Option<QaOutcome>,
    /// When the panel's outcome was received.
    pub qa_outcome_at: Option<DateTime<Utc>>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// Where published.
    pub url: Option<String>,
}
