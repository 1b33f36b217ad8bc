//! Events of a partnership's learning stream.

use super::values::{
    Attendance, Evaluation, LearningEventKind, MeetingGroup, PersonRef, SpendingCategory, Subject,
};
use crate::calendar::financial_year::{self, FinancialYear};
use crate::sorted_set::SortedSet;
use crate::{OrgSlug, ThemeSlug};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Something the partnership recorded of its learning: its themes, its meetings, its learning
/// events and its budget. How a review's learning went out is a fact of the case
/// (`CaseEvent::LearningDisseminated`, docs/rules.md LR-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event_type", content = "data")]
pub enum LearningEvent {
    /// A learning theme was added to the partnership's list.
    ThemeAdded {
        /// The theme.
        theme: ThemeSlug,
        /// Its name.
        name: String,
    },
    /// A theme was retired: no longer tagged, its past tags kept.
    ThemeRetired {
        /// The theme.
        theme: ThemeSlug,
    },
    /// A case's reviews, or a recommendation, were tagged with themes (replacing the tags it
    /// had).
    ThemesTagged {
        /// What was tagged.
        subject: Subject,
        /// Its themes now (possibly none).
        themes: SortedSet<ThemeSlug>,
    },
    /// A partnership meeting was held.
    MeetingRecorded(Meeting),
    /// A learning event or training course was held.
    LearningEventRecorded(LearningEventHeld),
    /// A partner's contribution to the partnership's budget for a financial year.
    ContributionRecorded(Contribution),
    /// The partnership spent money in a financial year.
    SpendingRecorded(Spending),
    /// A meeting's record was corrected: this is the meeting as it was held (same id).
    MeetingCorrected(Meeting),
    /// A learning event's record was corrected: this is the event as it was held (same id).
    LearningEventCorrected(LearningEventHeld),
    /// A budget line (a contribution or spending) was withdrawn as recorded in error.
    BudgetLineWithdrawn {
        /// The line.
        line_id: Uuid,
    },
}

impl LearningEvent {
    /// Every stored type name.
    pub const EVENT_TYPES: &'static [&'static str] = &[
        "ThemeAdded",
        "ThemeRetired",
        "ThemesTagged",
        "MeetingRecorded",
        "LearningEventRecorded",
        "ContributionRecorded",
        "SpendingRecorded",
        "MeetingCorrected",
        "LearningEventCorrected",
        "BudgetLineWithdrawn",
    ];
}

/// A partnership meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Its id, drawn by the caller (a retry records nothing twice).
    pub meeting_id: Uuid,
    /// The group that met.
    pub group: MeetingGroup,
    /// The day.
    pub held_on: NaiveDate,
    /// The organisations and how many of each attended.
    pub attendance: Vec<Attendance>,
    /// The people who attended, by pseudonymous reference.
    pub attendees: SortedSet<PersonRef>,
    /// The cases and recommendations discussed.
    pub discussed: Vec<Subject>,
}

/// A learning event or training course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningEventHeld {
    /// Its id, drawn by the caller.
    pub learning_event_id: Uuid,
    /// What kind it was.
    pub kind: LearningEventKind,
    /// Its topic (no personal data).
    pub topic: String,
    /// The day.
    pub held_on: NaiveDate,
    /// The organisations and how many of each attended.
    pub attendance: Vec<Attendance>,
    /// The people who attended, by pseudonymous reference.
    pub attendees: SortedSet<PersonRef>,
    /// How they rated it, when evaluated.
    pub evaluation: Option<Evaluation>,
    /// The learning themes it covered.
    pub themes: SortedSet<ThemeSlug>,
}

/// A partner's contribution to a financial year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// Its id, drawn by the caller.
    pub line_id: Uuid,
    /// The financial year.
    #[serde(with = "financial_year::label")]
    pub financial_year: FinancialYear,
    /// The contributing organisation.
    pub organisation: OrgSlug,
    /// The amount, in pence.
    pub amount_pence: i64,
    /// Given as goods and services rather than money.
    pub in_kind: bool,
}

/// Money the partnership spent in a financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spending {
    /// Its id, drawn by the caller.
    pub line_id: Uuid,
    /// The financial year.
    #[serde(with = "financial_year::label")]
    pub financial_year: FinancialYear,
    /// What on.
    pub category: SpendingCategory,
    /// The amount, in pence.
    pub amount_pence: i64,
}
