//! Events of a partnership stream.

use super::{Organisation, PartnershipSettings};
use crate::PartnershipSlug;
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
}

impl PartnershipEvent {
    /// The stable stored type name.
    pub fn event_type(&self) -> &'static str {
        match self {
            PartnershipEvent::PartnershipEstablished { .. } => "PartnershipEstablished",
            PartnershipEvent::OrganisationRegistered(_) => "OrganisationRegistered",
        }
    }
}
