//! Events of a partnership stream.

use super::{Organisation, PartnershipSettings};
use crate::{OrgSlug, PartnershipSlug};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Something that happened to a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event_type", content = "data")]
pub enum PartnershipEvent {
    /// The partnership was set up.
    PartnershipEstablished {
        /// Its slug.
        slug: PartnershipSlug,
        /// Its name.
        name: String,
        /// Its initial settings.
        settings: PartnershipSettings,
    },
    /// An organisation joined the partnership.
    OrganisationRegistered(Organisation),
    /// The partnership changed its settings.
    PartnershipSettingsChanged(PartnershipSettings),
    /// An organisation left the partnership (its history stays).
    OrganisationRetired {
        /// The organisation.
        slug: OrgSlug,
    },
    /// A one-off bank holiday was proclaimed (e.g. 19 September 2022); running deadlines move.
    BankHolidayDeclared {
        /// The day.
        date: NaiveDate,
        /// Its name.
        name: String,
    },
}

impl PartnershipEvent {
    /// The stable stored type name.
    pub fn event_type(&self) -> &'static str {
        match self {
            PartnershipEvent::PartnershipEstablished { .. } => "PartnershipEstablished",
            PartnershipEvent::OrganisationRegistered(_) => "OrganisationRegistered",
            PartnershipEvent::PartnershipSettingsChanged(_) => "PartnershipSettingsChanged",
            PartnershipEvent::OrganisationRetired { .. } => "OrganisationRetired",
            PartnershipEvent::BankHolidayDeclared { .. } => "BankHolidayDeclared",
        }
    }
}
