//! Erasure of a case's personal data (UK GDPR Art. 17, or the end of the retention period).
//!
//! Erasure destroys the key that sealed the case's personal data; the event that records it
//! says who, when and on what legal basis, and carries no personal data itself, so the case's
//! process history, deadlines and statistics stay as they were and the hash chain verifies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The legal basis for erasing a case's personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureBasis {
    /// The person (or someone entitled to act for them) asked for erasure, UK GDPR Art. 17,
    /// and the data protection officer found that no exemption applies.
    UkGdprArticle17Request,
    /// The partnership's retention period for the case's personal details has ended
    /// (UK GDPR Art. 5(1)(e), storage limitation).
    RetentionPeriodEnded,
    /// A court ordered the data erased.
    CourtOrder,
}

/// EraseCasePersonalData: the case's personal data is erased for ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EraseCasePersonalData {
    /// The legal basis.
    pub legal_basis: ErasureBasis,
    /// Why, in words that identify no one (kept in clear in the log), such as the data
    /// protection officer's request reference.
    pub reason: String,
}

/// The case's personal data was erased: its key is destroyed, so everything sealed under it
/// (identifying details, reports, rationales) can never be read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataErased {
    /// The key that was destroyed.
    pub key_id: Uuid,
    /// The legal basis.
    pub legal_basis: ErasureBasis,
    /// Why, in words that identify no one.
    pub reason: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}
