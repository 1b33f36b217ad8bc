//! The facts opening a child case (notification, referral), the Panel notification, the values
//! they carry and the sealed personal data every process uses. The event enum itself is in
//! `case_event.rs`; stored type names never change.

use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Harm suffered. Only `death` and `serious_harm` meet the notification criteria; the other
/// value exists so a partner system can say what it knows and be told why it does not qualify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Harm {
    /// The child died.
    Death,
    /// The child was seriously harmed.
    SeriousHarm,
    /// Harm that is not serious (does not meet the criteria).
    NotSerious,
}

/// Whether abuse or neglect is known or suspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbuseOrNeglect {
    /// Known.
    Known,
    /// Suspected.
    Suspected,
    /// Neither known nor suspected (does not meet the criteria).
    NotSuspected,
}

/// Why the incident is this local authority's to notify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationBasis {
    /// It happened in the local authority's area.
    InArea,
    /// The child normally lives in the area and it happened outside England.
    ResidentOutsideEngland,
    /// It happened elsewhere in England (the local authority there notifies).
    ElsewhereInEngland,
}

/// Age band at the incident, as the Panel's notification form records it. Stored instead of
/// the date of birth so statistics never need personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgeBand {
    /// Under one year.
    #[serde(rename = "under_1")]
    Under1,
    /// 1 to 5 years.
    #[serde(rename = "1_to_5")]
    From1To5,
    /// 6 to 10 years.
    #[serde(rename = "6_to_10")]
    From6To10,
    /// 11 to 15 years.
    #[serde(rename = "11_to_15")]
    From11To15,
    /// 16 or 17 years.
    #[serde(rename = "16_to_17")]
    From16To17,
}

impl AgeBand {
    /// The band for an age in whole years; `None` for adults.
    pub fn for_age(years: u32) -> Option<AgeBand> {
        match years {
            0 => Some(AgeBand::Under1),
            1..=5 => Some(AgeBand::From1To5),
            6..=10 => Some(AgeBand::From6To10),
            11..=15 => Some(AgeBand::From11To15),
            16 | 17 => Some(AgeBand::From16To17),
            _ => None,
        }
    }
}

/// What the partnership may process about the child without identifying them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProfile {
    /// The local authority's pseudonymous case reference.
    pub reference: String,
    /// Age band at the incident.
    pub age_band: AgeBand,
    /// Sex as recorded by the local authority.
    pub sex: String,
    /// Ethnicity as recorded by the local authority.
    pub ethnicity: String,
    /// Whether the child was looked after.
    pub looked_after: bool,
    /// Whether the child had a child protection plan.
    pub child_protection_plan: bool,
}

/// Personal data sealed with a key of its own: erasing the key erases the data (crypto-
/// shredding) without touching the event or the hash chain. Opaque to the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedPersonalData {
    /// The key's id in the key store.
    pub key_id: uuid::Uuid,
    /// Algorithm name, e.g. `AES-256-GCM`.
    pub algorithm: String,
    /// Base64 nonce.
    pub nonce: String,
    /// Base64 ciphertext.
    pub ciphertext: String,
}

/// A serious incident was notified by the local authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentNotified {
    /// The new case.
    pub case_id: CaseId,
    /// The local authority that notified.
    pub notified_by: OrgSlug,
    /// The child, without identifying details.
    pub child: ChildProfile,
    /// Names, date of birth and the summary, sealed.
    pub personal_data: SealedPersonalData,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When the local authority became aware (starts the 5-working-day Panel notification).
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
    /// When the notification was made.
    pub occurred_at: DateTime<Utc>,
}

/// An organisation asked the safeguarding partners to consider a case for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReferred {
    /// The new case.
    pub case_id: CaseId,
    /// The referring organisation.
    pub referred_by: OrgSlug,
    /// The child, without identifying details.
    pub child: ChildProfile,
    /// Names, date of birth and the reasons for the referral, sealed.
    pub personal_data: SealedPersonalData,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When the referral was made.
    pub occurred_at: DateTime<Utc>,
}

/// The local authority notified the national Panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNotificationRecorded {
    /// The Panel's reference.
    pub panel_reference: String,
    /// The day the notification was submitted.
    pub submitted_on: NaiveDate,
    /// When it was submitted.
    pub occurred_at: DateTime<Utc>,
}

impl SealedPersonalData {
    /// Drops the sealed bytes, keeping which key and algorithm sealed them. For copies that
    /// only need to know the data exists: the read models, which never unseal anything (the
    /// identifying details are unsealed from the stored event itself).
    pub fn forget_text(&mut self) {
        self.nonce = String::new();
        self.ciphertext = String::new();
    }
}
