//! The safeguarding adult review's commands, already parsed from the wire into domain types.

use crate::case::adult_review::{SafeguardingPrinciple, SarDecision};
use crate::case::shared::commands::PersonDetails;
use crate::case::{AbuseOrNeglect, SealedPersonalData};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};

/// ReferSafeguardingAdultReview: an organisation asks the Safeguarding Adults Board to consider
/// a safeguarding adult review (Care Act 2014 s44).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferSafeguardingAdultReview {
    /// Id for the new case, chosen by the edge.
    pub case_id: CaseId,
    /// The adult.
    pub adult: PersonDetails,
    /// Names, date of birth and the concerns, sealed by the edge.
    pub personal_data: SealedPersonalData,
    /// Whether the adult has needs for care and support.
    pub care_and_support_needs: bool,
    /// Whether the adult died.
    pub adult_died: bool,
    /// The day the adult died (required when the adult died, absent otherwise).
    pub date_of_death: Option<NaiveDate>,
    /// Whether abuse or neglect is known or suspected.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For an adult who died, whether the death resulted from the abuse or neglect (absent for
    /// a living adult).
    pub death_resulted_from_abuse_or_neglect: Option<bool>,
    /// For a living adult, whether the abuse or neglect was serious (absent when the adult died).
    pub serious_abuse_or_neglect: Option<bool>,
    /// For a living adult, the day of the abuse or neglect (required then, absent when the
    /// adult died).
    pub abuse_or_neglect_date: Option<NaiveDate>,
    /// Whether there is concern about how agencies worked together.
    pub joint_working_concern: bool,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordSarDecision: the Board decided whether to hold a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSarDecision {
    /// The decision.
    pub decision: SarDecision,
    /// The rationale, sealed by the edge.
    pub rationale: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CommissionSar: the review is commissioned from a reviewer independent of the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionSar {
    /// The reviewer's name.
    pub reviewer: String,
    /// The reviewer's organisation, when one of the partnership's.
    pub reviewer_organisation: Option<OrgSlug>,
    /// Terms of reference, sealed by the edge.
    pub terms_of_reference: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// PauseSar: the review stops (e.g. for court proceedings); its clock stops with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseSar {
    /// Why, sealed by the edge.
    pub reason: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteSar: the review is completed, with findings against the six principles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteSar {
    /// The principles under which there are findings.
    pub principles_with_findings: Vec<SafeguardingPrinciple>,
    /// The findings, sealed by the edge.
    pub findings: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}
