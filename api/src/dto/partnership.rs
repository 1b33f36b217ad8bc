//! Wire types of partnership administration.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The kind of an organisation and the rapid review's clock start are the domain's own: their
/// schemas derive from them (feature `openapi`), so no mirror can drift.
pub use casetrail_domain::partnership::{ClockStart, OrgKind};
pub use casetrail_domain::reminders::ReminderSettings;

/// The partnership's settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rapid_review_clock_start": "panel_notification", "close_of_business": "17:00",
    "retention": {"child_until_age": 25, "child_years_after_closure": 6,
                  "adult_years_after_closure": 6, "domestic_homicide_years_after_closure": 6},
    "reminders": {"working_days_before": [2, 0]}}))]
pub struct SettingsView {
    /// Day 0 of a rapid review; applies to reviews initiated from now on.
    pub rapid_review_clock_start: ClockStart,
    /// Local close-of-business time, `HH:MM` (Europe/London).
    pub close_of_business: String,
    /// How long the personal details of closed cases are kept (always present when read; in
    /// a change, absent keeps the current periods).
    #[serde(default)]
    pub retention: Option<super::RetentionView>,
    /// When deadline reminders go to the organisation that must act (always present when
    /// read; in a change, absent keeps the current thresholds).
    #[serde(default)]
    pub reminders: Option<ReminderSettings>,
}

/// An organisation of the partnership.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationView {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Whether it has retired from the partnership.
    pub retired: bool,
}

/// A bank holiday declared by the partnership.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeclaredHolidayView {
    /// The day.
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
}

/// The partnership as the caller's token sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "partnership": "southend", "name": "Southend Safeguarding Partnership", "version": 19,
    "settings": {"rapid_review_clock_start": "panel_notification", "close_of_business": "17:00",
        "retention": {"child_until_age": 25, "child_years_after_closure": 6,
                      "adult_years_after_closure": 6, "domestic_homicide_years_after_closure": 6},
        "reminders": {"working_days_before": [2, 0]}},
    "organisations": [{"slug": "essex-police", "name": "Essex Police", "kind": "police", "retired": false}],
    "declared_bank_holidays": [],
    "calendar_changes": [{"change": "moved", "date": "2031-05-05", "to": "2031-05-09",
        "recorded_at": "2031-02-10T12:00:00Z", "correction": null}]
}))]
pub struct PartnershipView {
    /// Slug.
    pub partnership: String,
    /// Name.
    pub name: String,
    /// The partnership stream's version (send it in `If-Match`).
    pub version: u64,
    /// Settings.
    pub settings: SettingsView,
    /// Organisations, retired ones included.
    pub organisations: Vec<OrganisationView>,
    /// Holidays the partnership declared (or moved) beyond the computed England and Wales
    /// calendar that are holidays now.
    pub declared_bank_holidays: Vec<DeclaredHolidayView>,
    /// Every declaration, withdrawal and move of a holiday, in the order recorded: each
    /// reaches only the deadlines still pending when it was recorded, unless a correction.
    pub calendar_changes: Vec<CalendarChangeView>,
}

/// What a calendar change did.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalendarChangeKind {
    /// A day became a holiday.
    Declared,
    /// A holiday became a working day.
    Withdrawn,
    /// A holiday moved from `date` to `to`.
    Moved,
}

/// One change of the partnership's working calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarChangeView {
    /// What it did.
    pub change: CalendarChangeKind,
    /// The day declared or withdrawn, or the day a moved holiday was.
    pub date: NaiveDate,
    /// The day a moved holiday is now.
    pub to: Option<NaiveDate>,
    /// When it was recorded: deadlines settled by then keep their due instant.
    pub recorded_at: DateTime<Utc>,
    /// The reason, when the change corrects the calendar for every deadline.
    pub correction: Option<CorrectionView>,
}

/// Marks a holiday change as a correction of the calendar: it then reaches every deadline,
/// settled ones included, and may concern a day in the past. The reason is kept in the event
/// and shown in the audit trail (no personal data).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionView {
    /// Why the calendar was wrong (1 to 1,000 characters).
    pub reason: String,
}

/// RegisterOrganisation request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "southend-adult-care", "name": "Southend Adult Social Care", "kind": "other"}))]
pub struct RegisterOrganisationRequest {
    /// Slug: lowercase letters, digits and dashes.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Kind (not one of the three statutory partners, which are fixed).
    pub kind: OrgKind,
}

/// DeclareBankHoliday request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2022-09-19", "name": "Bank Holiday for the State Funeral of Queen Elizabeth II"}))]
pub struct DeclareBankHolidayRequest {
    /// The day (a weekday, today or later unless a correction).
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
    /// Present to correct the calendar (required for a day in the past).
    #[serde(default)]
    pub correction: Option<CorrectionView>,
}

/// WithdrawBankHoliday request.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({}))]
pub struct WithdrawBankHolidayRequest {
    /// Present to correct the calendar (required for a day in the past).
    #[serde(default)]
    pub correction: Option<CorrectionView>,
}

/// MoveBankHoliday request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "2031-05-09", "name": "Early May bank holiday (VE day)"}))]
pub struct MoveBankHolidayRequest {
    /// The day it moves to (a weekday that is a working day).
    pub to: NaiveDate,
    /// Its name on the new day; the old name when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// Present to correct the calendar (required when either day is in the past).
    #[serde(default)]
    pub correction: Option<CorrectionView>,
}

/// A request with nothing to say but that it happened.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({}))]
pub struct EmptyRequest {}

/// The answer to an accepted partnership command.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"partnership": "southend", "version": 20, "position": 1042}))]
pub struct PartnershipCommandAccepted {
    /// The partnership.
    pub partnership: String,
    /// The partnership stream's new version.
    pub version: u64,
    /// The log position of the last event written.
    pub position: u64,
}
