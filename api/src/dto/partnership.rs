//! Wire types of partnership administration.

use super::same_enum;
use casetrail_domain::partnership;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which date is day 0 of a rapid review.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The day the Panel was notified (Panel guidance; the default).
    PanelNotification,
    /// The day the local authority became aware.
    BecameAware,
    /// The day the rapid review was initiated.
    Initiation,
}
same_enum!(ClockStart => partnership::ClockStart { PanelNotification, BecameAware, Initiation });

/// What kind of organisation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Statutory partner: the local authority.
    LocalAuthority,
    /// Statutory partner: the police.
    Police,
    /// Statutory partner: health.
    Health,
    /// A health provider.
    HealthProvider,
    /// Education.
    Education,
    /// Criminal justice.
    CriminalJustice,
    /// Voluntary sector.
    Voluntary,
    /// Any other relevant agency.
    Other,
}
same_enum!(OrgKind => partnership::OrgKind { LocalAuthority, Police, Health, HealthProvider, Education, CriminalJustice, Voluntary, Other });

/// The partnership's settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rapid_review_clock_start": "panel_notification", "close_of_business": "17:00"}))]
pub struct SettingsView {
    /// Day 0 of a rapid review; applies to reviews initiated from now on.
    pub rapid_review_clock_start: ClockStart,
    /// Local close-of-business time, `HH:MM` (Europe/London).
    pub close_of_business: String,
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
    "settings": {"rapid_review_clock_start": "panel_notification", "close_of_business": "17:00"},
    "organisations": [{"slug": "essex-police", "name": "Essex Police", "kind": "police", "retired": false}],
    "declared_bank_holidays": []
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
    /// One-off bank holidays declared beyond the shipped England and Wales list.
    pub declared_bank_holidays: Vec<DeclaredHolidayView>,
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
    /// The day (a weekday).
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
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
