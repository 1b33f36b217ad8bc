//! The values of string fields that the views write as text rather than from a domain enum:
//! enums for the document only (a field names one with `value_type`), so a client sees every
//! value it may meet.

use utoipa::ToSchema;

/// How a case came to the partnership.
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseOrigin {
    /// A serious incident notified by the local authority, or a domestic homicide.
    Notification,
    /// A referral for consideration (a child) or for a safeguarding adult review.
    Referral,
    /// A multi-agency audit commissioned by the business unit.
    Commissioning,
}

/// Whom a case is about, for a subject access export.
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataSubject {
    /// The child of a child safeguarding case.
    Child,
    /// The adult of a safeguarding adult review.
    Adult,
    /// The victim of a domestic homicide.
    Victim,
}

/// The verdict of an integrity check of the event log.
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntegrityStatus {
    /// Every event's hash chains to the one before.
    Ok,
    /// The chain breaks at `position`.
    Broken,
}
