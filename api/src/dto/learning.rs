//! Wire types of the partnership's learning record: themes, meetings, learning events and the
//! budget (issue 17).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The values of the learning record are the domain's own: their schemas derive from them
/// (feature `openapi`), so no mirror can drift.
pub use casetrail_domain::learning::{
    Attendance, Evaluation, LearningEventKind, MeetingGroup, SpendingCategory, Subject,
};

/// An accepted command on the learning record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"partnership": "southend", "version": 12, "position": 40211,
    "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60"}))]
pub struct LearningCommandAccepted {
    /// The partnership.
    pub partnership: String,
    /// The learning stream's version after the command (its ETag).
    pub version: u64,
    /// The log position of the last event written.
    pub position: u64,
    /// The id of the record made (meeting, learning event, budget line), when it made one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
}

/// AddTheme.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"theme": "professional-curiosity", "name": "Professional curiosity"}))]
pub struct AddThemeRequest {
    /// The theme's slug: a-z, 0-9 and `-`, 1 to 64 characters.
    pub theme: String,
    /// Its name, 1 to 100 characters.
    pub name: String,
}

/// TagThemes: the themes a case's reviews, or a recommendation, carry from now on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": {"kind": "case",
    "case_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}, "themes": ["neglect"]}))]
pub struct TagThemesRequest {
    /// What is tagged: a case's reviews, or one recommendation of a case.
    pub subject: Subject,
    /// Theme slugs, each once, each on the list and not retired (at most 20; empty removes
    /// every tag).
    pub themes: Vec<String>,
}

/// RecordMeeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "meeting_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60",
    "group": "practice_review", "held_on": "2022-03-10",
    "attendance": [{"organisation": "essex-police", "people": 2},
                   {"organisation": "southend-council", "people": 3}],
    "attendees": ["p-1001", "p-1002", "p-1003"],
    "discussed": [{"kind": "case", "case_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}]}))]
pub struct RecordMeetingRequest {
    /// Its id; drawn by the server when absent. A client that sends one can tell its own
    /// record in the lists.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// The group that met.
    pub group: MeetingGroup,
    /// The day it was held (not after today).
    pub held_on: NaiveDate,
    /// The organisations that attended, each once, with how many people.
    pub attendance: Vec<Attendance>,
    /// Those who attended, by pseudonymous reference (an id from the caller's own directory,
    /// never a name), each once; at most as many as attended.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// The cases and recommendations discussed.
    #[serde(default)]
    pub discussed: Vec<Subject>,
}

/// RecordLearningEvent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "shared_learning_event", "topic": "Professional curiosity",
    "held_on": "2022-02-01",
    "attendance": [{"organisation": "southend-schools", "people": 40}],
    "attendees": ["e-20017"],
    "evaluation": {"responses_by_score": [0, 1, 3, 10, 6]},
    "themes": ["professional-curiosity"]}))]
pub struct RecordLearningEventRequest {
    /// Its id; drawn by the server when absent.
    #[serde(default)]
    pub learning_event_id: Option<Uuid>,
    /// What kind of learning it was.
    pub kind: LearningEventKind,
    /// Its topic, 1 to 200 characters (no personal data).
    pub topic: String,
    /// The day it was held (not after today).
    pub held_on: NaiveDate,
    /// The organisations that attended, each once, with how many people.
    pub attendance: Vec<Attendance>,
    /// Those who attended, by pseudonymous reference, as for meetings.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// How those attending rated it, if evaluated.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    /// The learning themes it covered.
    #[serde(default)]
    pub themes: Vec<String>,
}

/// RecordContribution.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation": "essex-police", "amount_pence": 5000000, "in_kind": false}))]
pub struct RecordContributionRequest {
    /// The line's id; drawn by the server when absent.
    #[serde(default)]
    pub line_id: Option<Uuid>,
    /// The contributing organisation.
    pub organisation: String,
    /// The amount in pence, 1 to 10,000,000,000.
    pub amount_pence: i64,
    /// Given as goods and services rather than money.
    #[serde(default)]
    pub in_kind: bool,
}

/// RecordSpending.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": "salaries", "amount_pence": 21351600}))]
pub struct RecordSpendingRequest {
    /// The line's id; drawn by the server when absent.
    #[serde(default)]
    pub line_id: Option<Uuid>,
    /// What it was spent on.
    pub category: SpendingCategory,
    /// The amount in pence, 1 to 10,000,000,000.
    pub amount_pence: i64,
}

/// A theme's counts in one financial year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeYearView {
    /// The financial year, e.g. `2021-22`.
    pub financial_year: String,
    /// Cases whose reviews carry the theme, by the year the case was opened.
    pub reviews: u32,
    /// Recommendations that carry it, by the year they were made.
    pub recommendations: u32,
    /// Learning events that covered it, by the year they were held.
    pub learning_events: u32,
    /// Multi-agency audits that carry it, by the year they were commissioned.
    pub audits: u32,
}

/// A theme of the partnership's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeView {
    /// Its slug.
    pub theme: String,
    /// Its name.
    pub name: String,
    /// Retired: no longer tagged; its past tags count.
    pub retired: bool,
    /// Its counts by financial year, oldest first; years with none left out.
    pub by_year: Vec<ThemeYearView>,
}

/// The partnership's learning themes.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"version": 12, "themes": [{"theme": "neglect", "name": "Neglect",
    "retired": false, "by_year": [{"financial_year": "2021-22", "reviews": 3,
    "recommendations": 5, "learning_events": 1, "audits": 0}]}]}))]
pub struct ThemesView {
    /// The learning stream's version (its ETag; 0 before anything is recorded).
    pub version: u64,
    /// The themes, by slug.
    pub themes: Vec<ThemeView>,
}

/// Who took part in a meeting or learning event, counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipationView {
    /// The organisations that attended, with how many people each.
    pub attendance: Vec<Attendance>,
    /// How many people attended (the sum of `attendance`).
    pub people: u64,
    /// How many of them were named by pseudonymous reference (the references are counted,
    /// never read back).
    pub people_named: u64,
}

/// A recorded meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    /// Its id.
    pub meeting_id: Uuid,
    /// The group that met.
    pub group: MeetingGroup,
    /// The day.
    pub held_on: NaiveDate,
    /// Who took part.
    pub participation: ParticipationView,
    /// The cases and recommendations discussed.
    pub discussed: Vec<Subject>,
    /// Its log position: the event that records it.
    pub position: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// What a year's meetings or learning events add up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipationTotals {
    /// How many were held.
    pub held: u64,
    /// Distinct organisations that attended any.
    pub organisations: u64,
    /// Distinct people named (by pseudonymous reference) at any.
    pub people_named: u64,
    /// Attendances: the people of every one, added up.
    pub attendances: u64,
}

/// A financial year's meetings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"financial_year": "2021-22",
    "totals": {"held": 2, "organisations": 3, "people_named": 3, "attendances": 9},
    "meetings": [{"meeting_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60",
        "group": "practice_review", "held_on": "2022-03-10",
        "participation": {"attendance": [{"organisation": "essex-police", "people": 2},
            {"organisation": "southend-council", "people": 3}], "people": 5, "people_named": 2},
        "discussed": [{"kind": "case", "case_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}],
        "position": 40211, "recorded_at": "2022-03-10T16:02:11.204Z"}]}))]
pub struct MeetingsView {
    /// The financial year.
    pub financial_year: String,
    /// What they add up to.
    pub totals: ParticipationTotals,
    /// The meetings, in the order recorded.
    pub meetings: Vec<MeetingView>,
}

/// A recorded learning event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LearningEventView {
    /// Its id.
    pub learning_event_id: Uuid,
    /// What kind it was.
    pub kind: LearningEventKind,
    /// Its topic.
    pub topic: String,
    /// The day.
    pub held_on: NaiveDate,
    /// Who took part.
    pub participation: ParticipationView,
    /// How it was rated, when evaluated.
    pub evaluation: Option<EvaluationView>,
    /// The themes it covered.
    pub themes: Vec<String>,
    /// Its log position.
    pub position: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// An evaluation with its average.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    /// Responses scoring 1 to 5.
    pub responses_by_score: [u32; 5],
    /// How many responded.
    pub responses: u64,
    /// The average score, to one decimal.
    pub average_score: f64,
}

/// A financial year's learning events.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"financial_year": "2021-22",
    "totals": {"held": 1, "organisations": 2, "people_named": 2, "attendances": 52},
    "by_kind": [{"kind": "shared_learning_event", "held": 1}],
    "learning_events": [{"learning_event_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61",
        "kind": "shared_learning_event", "topic": "Professional curiosity",
        "held_on": "2022-02-01",
        "participation": {"attendance": [{"organisation": "southend-schools", "people": 40},
            {"organisation": "essex-police", "people": 12}], "people": 52, "people_named": 2},
        "evaluation": {"responses_by_score": [0, 1, 3, 10, 6], "responses": 20,
            "average_score": 4.1},
        "themes": ["professional-curiosity"],
        "position": 40198, "recorded_at": "2022-02-02T09:14:40.551Z"}]}))]
pub struct LearningEventsView {
    /// The financial year.
    pub financial_year: String,
    /// What they add up to.
    pub totals: ParticipationTotals,
    /// How many of each kind were held.
    pub by_kind: Vec<KindCount>,
    /// The learning events, in the order recorded.
    pub learning_events: Vec<LearningEventView>,
}

/// How many learning events of one kind were held.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCount {
    /// The kind.
    pub kind: LearningEventKind,
    /// How many.
    pub held: u64,
}

/// A contribution to the budget.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContributionView {
    /// The line's id.
    pub line_id: Uuid,
    /// The contributing organisation.
    pub organisation: String,
    /// The amount in pence.
    pub amount_pence: i64,
    /// Given in kind.
    pub in_kind: bool,
    /// Its log position.
    pub position: u64,
}

/// Money spent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpendingView {
    /// The line's id.
    pub line_id: Uuid,
    /// What on.
    pub category: SpendingCategory,
    /// The amount in pence.
    pub amount_pence: i64,
    /// Its log position.
    pub position: u64,
}

/// What one category of spending added up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryTotal {
    /// The category.
    pub category: SpendingCategory,
    /// The total in pence.
    pub amount_pence: i64,
}

/// A financial year's budget, as the annual report's financial summary shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"financial_year": "2021-22",
    "totals": {"contributions_pence": 23271600, "in_kind_pence": 6924000,
               "spending_pence": 23271600, "by_category": [{"category": "salaries",
               "amount_pence": 21351600}, {"category": "events", "amount_pence": 1920000}]},
    "contributions": [], "spending": []}))]
pub struct BudgetView {
    /// The financial year.
    pub financial_year: String,
    /// What it adds up to.
    pub totals: BudgetTotals,
    /// The contributions, in the order recorded.
    pub contributions: Vec<ContributionView>,
    /// The spending, in the order recorded.
    pub spending: Vec<SpendingView>,
}

/// A budget's totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetTotals {
    /// Contributions in money, in pence.
    pub contributions_pence: i64,
    /// Contributions in kind, in pence.
    pub in_kind_pence: i64,
    /// Spending, in pence.
    pub spending_pence: i64,
    /// Spending by category, in the categories' order; categories with none left out.
    pub by_category: Vec<CategoryTotal>,
}
