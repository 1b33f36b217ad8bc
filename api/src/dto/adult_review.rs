//! Wire types of the safeguarding adult review (Care Act 2014 s44) and its read model.

use super::AbuseOrNeglect;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The adult, as the referrer records them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdultInput {
    /// The referrer's pseudonymous reference.
    #[schema(example = "EPUT-SA-23-0057")]
    pub reference: String,
    /// Given name (sealed; never in logs or read models).
    #[schema(example = "Robert")]
    pub given_name: String,
    /// Family name (sealed).
    #[schema(example = "Hale")]
    pub family_name: String,
    /// Date of birth (sealed; the case keeps only the age band). The adult must have been 18 or
    /// over on the day of the death or of the abuse or neglect.
    #[schema(example = "1950-05-01")]
    pub date_of_birth: NaiveDate,
    /// Sex.
    #[schema(example = "male")]
    pub sex: String,
    /// Ethnicity.
    #[schema(example = "White Other")]
    pub ethnicity: String,
}

/// ReferSafeguardingAdultReview request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "adult": {
        "reference": "EPUT-SA-23-0057", "given_name": "Robert", "family_name": "Hale",
        "date_of_birth": "1950-05-01", "sex": "male", "ethnicity": "White Other"
    },
    "care_and_support_needs": true,
    "adult_died": false,
    "abuse_or_neglect": "known",
    "serious_abuse_or_neglect": true,
    "abuse_or_neglect_date": "2022-12-20",
    "joint_working_concern": true,
    "concerns": "Self-neglect over two years; three agencies held information that was not shared."
}))]
pub struct ReferSafeguardingAdultReviewRequest {
    /// The adult.
    pub adult: AdultInput,
    /// Whether the adult has needs for care and support, whether or not the local authority
    /// was meeting them (Care Act 2014 s44(1)(a)).
    pub care_and_support_needs: bool,
    /// Whether the adult died.
    pub adult_died: bool,
    /// The day the adult died (required when the adult died, absent otherwise): the adult's age
    /// is judged on it.
    pub date_of_death: Option<NaiveDate>,
    /// Whether abuse or neglect is known or suspected.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For an adult who died (required then, absent for a living adult): whether the death is
    /// known or suspected to have resulted from the abuse or neglect (condition 1, s44(2)).
    pub death_resulted_from_abuse_or_neglect: Option<bool>,
    /// For a living adult (required then, absent when the adult died): whether the abuse or
    /// neglect was serious (condition 2, s44(3)).
    pub serious_abuse_or_neglect: Option<bool>,
    /// For a living adult (required then, absent when the adult died): the day of the abuse or
    /// neglect, its latest day when it went on over time. The adult's age is judged on it.
    pub abuse_or_neglect_date: Option<NaiveDate>,
    /// Whether there is concern about how the Board, its members or other agencies worked
    /// together to safeguard the adult.
    pub joint_working_concern: bool,
    /// The concerns behind the referral (sealed with the personal data).
    pub concerns: String,
    /// When the referral was made, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::adult_review::SarDecision;

/// RecordSarDecision request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "mandatory", "rationale": "The s44(1) criteria are met: serious neglect and concerns about information sharing."}))]
pub struct RecordSarDecisionRequest {
    /// The decision (`mandatory` only when the s44(1) criteria are met).
    pub decision: SarDecision,
    /// The rationale (sealed).
    pub rationale: String,
    /// When the Board decided, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionSar request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reviewer": "Gwen Ashcombe (independent reviewer)", "terms_of_reference": "How agencies responded to self-neglect between 2021 and 2023."}))]
pub struct CommissionSarRequest {
    /// The reviewer, independent of the case.
    pub reviewer: String,
    /// The reviewer's organisation, when one of the partnership's: never one involved in the
    /// case. Leave out for a reviewer from outside the partnership.
    pub reviewer_organisation: Option<String>,
    /// Terms of reference (sealed).
    pub terms_of_reference: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// PauseSar request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Criminal proceedings: the police asked the review to pause until the trial.", "occurred_at": "2023-03-01T10:00:00Z"}))]
pub struct PauseSarRequest {
    /// Why the review pauses (sealed).
    pub reason: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

pub use casetrail_domain::case::adult_review::SafeguardingPrinciple;

/// CompleteSar request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "principles_with_findings": ["prevention", "partnership"],
    "findings": "Risk assessments were not shared; no agency led on the self-neglect concerns."
}))]
pub struct CompleteSarRequest {
    /// The principles under which the review made findings (may be empty).
    pub principles_with_findings: Vec<SafeguardingPrinciple>,
    /// The findings (sealed).
    pub findings: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The adult as a case shows them: no names, no date of birth.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdultView {
    /// Pseudonymous reference.
    pub reference: String,
    /// Age band on the day of the death or of the abuse or neglect (on the day of the referral
    /// for referrals made before that was asked): `18_to_24`, `25_to_34`, …, `85_and_over`.
    #[schema(value_type = casetrail_domain::case::AdultAgeBand)]
    pub age_band: String,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
    /// Whether the adult has needs for care and support (s44(1)(a)).
    pub care_and_support_needs: bool,
    /// Whether the adult died.
    pub adult_died: bool,
    /// The day the adult died, when recorded.
    pub date_of_death: Option<NaiveDate>,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For an adult who died, whether the death resulted from the abuse or neglect.
    pub death_resulted_from_abuse_or_neglect: Option<bool>,
    /// For a living adult, whether the abuse or neglect was serious.
    pub serious_abuse_or_neglect: Option<bool>,
    /// For a living adult, the day of the abuse or neglect, when recorded.
    pub abuse_or_neglect_date: Option<NaiveDate>,
    /// Whether there is concern about how agencies worked together (s44(1)(b)).
    pub joint_working_concern: bool,
    /// Condition 1 (s44(2)): the adult died and the death is known or suspected to have
    /// resulted from abuse or neglect.
    pub condition_1_met: bool,
    /// Condition 2 (s44(3)): the adult is alive and known or suspected to have experienced
    /// serious abuse or neglect.
    pub condition_2_met: bool,
    /// Whether the s44(1) criteria for a mandatory review are met: care and support needs,
    /// condition 1 or 2, and the concern about working together. Otherwise a review is
    /// discretionary at most.
    pub mandatory_criteria_met: bool,
}

/// An agency report of a safeguarding adult review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SarAgencyReportView {
    /// The agency.
    pub organisation: String,
    /// When requested.
    pub requested_at: DateTime<Utc>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// A pause of a safeguarding adult review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SarPauseView {
    /// When paused.
    pub paused_at: DateTime<Utc>,
    /// When resumed, once resumed.
    pub resumed_at: Option<DateTime<Utc>>,
}

/// The safeguarding adult review as the case shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SarView {
    /// The Board's decision.
    pub decision: Option<SarDecision>,
    /// When decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// The reviewer, once commissioned.
    pub reviewer: Option<String>,
    /// The reviewer's organisation, when one of the partnership's.
    pub reviewer_organisation: Option<String>,
    /// When commissioned.
    pub commissioned_at: Option<DateTime<Utc>>,
    /// Agency reports.
    pub agency_reports: Vec<SarAgencyReportView>,
    /// When the family was invited to contribute.
    pub family_invited_at: Option<DateTime<Utc>>,
    /// Pauses, in order.
    pub pauses: Vec<SarPauseView>,
    /// Whether the review is paused now.
    pub paused: bool,
    /// When completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// The principles under which the review made findings.
    pub principles_with_findings: Vec<SafeguardingPrinciple>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// Where published.
    pub url: Option<String>,
}
