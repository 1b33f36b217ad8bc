//! The safeguarding adult review (Care Act 2014 s44): referral, the Board's decision,
//! commissioning, agency reports, the family's contribution, pauses, completion against the six
//! safeguarding principles, publication; and the local standard of completion within 6 months of
//! the decision, paused time not counting.

use crate::calendar::{end_of_day, local_date};
use crate::case::practice_review::ReviewPublished;
use crate::case::rapid_review::AgencyReport;
use crate::case::{AbuseOrNeglect, PersonProfile, SealedPersonalData};
use crate::deadline::{Deadline, DeadlineKind};
use crate::small_map::SmallMap;
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An organisation asked the Safeguarding Adults Board to consider a safeguarding adult review
/// (opens an adult case). Schema version 2 records the adult's care and support needs, the date
/// of death or of the abuse or neglect (the adult's age is judged then), and whether the death
/// resulted from abuse or neglect, so each s44 condition is explicit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SarReferred {
    /// The new case.
    pub case_id: CaseId,
    /// The referring organisation.
    pub referred_by: OrgSlug,
    /// The adult, without identifying details (the age band at the death or the harm).
    pub adult: PersonProfile,
    /// Names, date of birth and the concerns, sealed.
    pub personal_data: SealedPersonalData,
    /// Whether the adult has needs for care and support (s44(1)(a)), whether or not the local
    /// authority was meeting them.
    pub care_and_support_needs: bool,
    /// Whether the adult died.
    pub adult_died: bool,
    /// The day the adult died; `None` for a living adult (and for referrals recorded before
    /// version 2, which did not ask).
    pub date_of_death: Option<NaiveDate>,
    /// Whether abuse or neglect is known or suspected.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// For an adult who died, whether the death resulted from the abuse or neglect (condition
    /// 1, s44(2)); `None` for a living adult.
    pub death_resulted_from_abuse_or_neglect: Option<bool>,
    /// For a living adult, whether the abuse or neglect was serious (condition 2, s44(3));
    /// `None` when the adult died.
    pub serious_abuse_or_neglect: Option<bool>,
    /// For a living adult, the day of the abuse or neglect (its latest day when it went on over
    /// time); `None` when the adult died (and for referrals before version 2).
    pub abuse_or_neglect_date: Option<NaiveDate>,
    /// Whether there is concern about how the Board, its members or others worked together
    /// (s44(1)(b)).
    pub joint_working_concern: bool,
    /// When the referral was made.
    pub occurred_at: DateTime<Utc>,
}

/// The Care Act 2014 s44 tests of a referral, each on its own, so a read model and an auditor
/// can see which one a mandatory review rests on or fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S44Assessment {
    /// s44(1)(a): an adult with needs for care and support.
    pub care_and_support_needs: bool,
    /// s44(2), condition 1: the adult died, and the Board knows or suspects that the death
    /// resulted from abuse or neglect.
    pub condition_1: bool,
    /// s44(3), condition 2: the adult is alive, and the Board knows or suspects that the adult
    /// has experienced serious abuse or neglect.
    pub condition_2: bool,
    /// s44(1)(b): reasonable cause for concern about how the Board, its members or others
    /// worked together to safeguard the adult.
    pub joint_working_concern: bool,
}

impl S44Assessment {
    /// s44(1): a review must be arranged only when every test holds.
    pub fn mandatory(&self) -> bool {
        self.unmet().is_none()
    }

    /// Why a review is not mandatory, if it is not.
    pub fn unmet(&self) -> Option<&'static str> {
        if !self.care_and_support_needs {
            Some("the adult must have needs for care and support")
        } else if !self.condition_1 && !self.condition_2 {
            Some(
                "condition 1 (the adult died and the death is known or suspected to have \
                 resulted from abuse or neglect) or condition 2 (the adult is alive and known or \
                 suspected to have experienced serious abuse or neglect) must be met",
            )
        } else if !self.joint_working_concern {
            Some("there must be concern about how agencies worked together to safeguard the adult")
        } else {
            None
        }
    }
}

impl SarReferred {
    /// The s44 tests as the referral records them.
    pub fn s44(&self) -> S44Assessment {
        let abuse_or_neglect = self.abuse_or_neglect != AbuseOrNeglect::NotSuspected;
        S44Assessment {
            care_and_support_needs: self.care_and_support_needs,
            condition_1: self.adult_died
                && abuse_or_neglect
                && self.death_resulted_from_abuse_or_neglect == Some(true),
            condition_2: !self.adult_died
                && abuse_or_neglect
                && self.serious_abuse_or_neglect == Some(true),
            joint_working_concern: self.joint_working_concern,
        }
    }

    /// Why the s44(1) criteria for a mandatory review are not met, if they are not.
    pub fn mandatory_criteria_unmet(&self) -> Option<&'static str> {
        self.s44().unmet()
    }
}

/// What the Safeguarding Adults Board decided about a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
