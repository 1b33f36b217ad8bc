//! The safeguarding adult review (Care Act 2014 s44): referral, the Board's decision,
//! commissioning, agency reports, the family's contribution, pauses, completion against the six
//! safeguarding principles, publication; and the local standard of completion within 6 months of
//! the decision, paused time not counting.

use super::practice_review::ReviewPublished;
use super::rapid_review::AgencyReport;
use super::{AbuseOrNeglect, PersonProfile, SealedPersonalData};
use crate::calendar::{end_of_day, local_date};
use crate::deadline::{Deadline, DeadlineKind};
use crate::small_map::SmallMap;
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An organisation asked the Safeguarding Adults Board to consider a safeguarding adult review
/// (opens an adult case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarReferred {
    /// The new case.
    pub case_id: CaseId,
    /// The referring organisation.
    pub referred_by: OrgSlug,
    /// The adult, without identifying details.
    pub adult: PersonProfile,
    /// Names, date of birth and the concerns, sealed.
    pub personal_data: SealedPersonalData,
    /// Whether the adult died.
    pub adult_died: bool,
    /// Whether abuse or neglect is known or suspected.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For a living adult, whether the abuse or neglect was serious; `None` when the adult died.
    pub serious_abuse_or_neglect: Option<bool>,
    /// Whether there is concern about how the Board, its members or others worked together.
    pub joint_working_concern: bool,
    /// When the referral was made.
    pub occurred_at: DateTime<Utc>,
}

impl SarReferred {
    /// Why the s44(1) criteria for a mandatory review are not met, if they are not.
    pub fn mandatory_criteria_unmet(&self) -> Option<&'static str> {
        if self.abuse_or_neglect == AbuseOrNeglect::NotSuspected {
            Some("abuse or neglect must be known or suspected")
        } else if !self.adult_died && self.serious_abuse_or_neglect != Some(true) {
            Some("a living adult must have experienced serious abuse or neglect")
        } else if !self.joint_working_concern {
            Some("there must be concern about how agencies worked together to safeguard the adult")
        } else {
            None
        }
    }
}

/// What the Safeguarding Adults Board decided about a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SarDecision {
    /// The s44(1) criteria are met: the Board must arrange a review.
    Mandatory,
    /// The Board arranges a review it is not obliged to (s44(4)).
    Discretionary,
    /// No review.
    NotRequired,
}

impl SarDecision {
    /// Whether the decision is to hold a review.
    pub fn holds_review(self) -> bool {
        matches!(self, SarDecision::Mandatory | SarDecision::Discretionary)
    }
}

/// The Board's decision on a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarDecisionRecorded {
    /// The decision.
    pub decision: SarDecision,
    /// The rationale, sealed (it describes the adult).
    pub rationale: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The review was commissioned from a reviewer independent of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarCommissioned {
    /// The reviewer's name.
    pub reviewer: String,
    /// The reviewer's organisation when it is one of the partnership's (never one involved in
    /// the case); `None` for an independent reviewer from outside.
    pub reviewer_organisation: Option<OrgSlug>,
    /// Terms of reference, sealed.
    pub terms_of_reference: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The review was paused (e.g. for criminal or coroner's proceedings): its clock stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarPaused {
    /// Why, sealed (it may name proceedings).
    pub reason: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The six safeguarding principles of the Care and Support Statutory Guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafeguardingPrinciple {
    /// People supported and encouraged to make their own decisions.
    Empowerment,
    /// It is better to take action before harm occurs.
    Prevention,
    /// The least intrusive response appropriate to the risk.
    Proportionality,
    /// Support and representation for those in greatest need.
    Protection,
    /// Local solutions through services working with their communities.
    Partnership,
    /// Accountability and transparency in safeguarding practice.
    Accountability,
}

/// The review was completed, with findings against the six principles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarCompleted {
    /// The principles under which the review made findings, in order, once each.
    pub principles_with_findings: Vec<SafeguardingPrinciple>,
    /// The findings, sealed (they describe the adult).
    pub findings: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A pause: when it began and, once resumed, when it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// When paused.
    pub paused_at: DateTime<Utc>,
    /// When resumed.
    pub resumed_at: Option<DateTime<Utc>>,
}

impl Pause {
    /// Calendar days the pause took out of the review's time (Europe/London days).
    pub fn days(&self) -> Option<u64> {
        let resumed = self.resumed_at?;
        let days = (local_date(resumed) - local_date(self.paused_at)).num_days();
        Some(u64::try_from(days).unwrap_or(0))
    }
}

/// The safeguarding adult review as its events have made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdultReview {
    /// The Board's decision.
    pub decision: Option<SarDecisionRecorded>,
    /// The commissioning.
    pub commissioned: Option<SarCommissioned>,
    /// Agency reports by organisation.
    pub agency_reports: SmallMap<OrgSlug, AgencyReport>,
    /// When the family was invited to contribute.
    pub family_invited_at: Option<DateTime<Utc>>,
    /// Pauses, in order; only the last may be open.
    pub pauses: Vec<Pause>,
    /// The completion.
    pub completed: Option<SarCompleted>,
    /// The publication.
    pub published: Option<ReviewPublished>,
}

impl AdultReview {
    /// The pause in force, if the review is paused.
    pub fn open_pause(&self) -> Option<&Pause> {
        self.pauses.last().filter(|p| p.resumed_at.is_none())
    }

    /// The `sar_completion` deadline once a review is decided: 6 calendar months after the
    /// decision, plus every day the review was paused; while paused, the clock stands still
    /// from the day of the pause.
    pub fn deadlines(&self) -> Vec<Deadline> {
        let Some(decision) = self.decision.as_ref().filter(|d| d.decision.holds_review()) else {
            return Vec::new();
        };
        let six_months = local_date(decision.occurred_at)
            .checked_add_months(Months::new(6))
            .unwrap_or(NaiveDate::MAX);
        let paused_days: u64 = self.pauses.iter().filter_map(Pause::days).sum();
        let due_on = six_months
            .checked_add_days(Days::new(paused_days))
            .unwrap_or(NaiveDate::MAX);
        let mut deadline = Deadline::new(
            DeadlineKind::SarCompletion,
            None,
            end_of_day(due_on),
            self.completed.as_ref().map(|c| c.occurred_at),
        )
        .with_original(end_of_day(six_months), paused_days > 0);
        deadline.paused_since = self.open_pause().map(|p| p.paused_at);
        vec![deadline]
    }
}
