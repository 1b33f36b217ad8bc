//! Events of a partnership stream.

use super::{Organisation, PartnershipSettings};
use crate::calendar::history::Correction;
use crate::{OrgSlug, PartnershipSlug};
use chrono::{DateTime, NaiveDate, Utc};
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
    /// A one-off bank holiday was proclaimed (e.g. 19 September 2022): deadlines still pending
    /// when it was recorded move; a correction moves every deadline.
    BankHolidayDeclared {
        /// The day.
        date: NaiveDate,
        /// Its name.
        name: String,
        /// When it was recorded (v2; a v1 row reads the start of the declared day).
        declared_at: DateTime<Utc>,
        /// Present when it corrects the calendar for every deadline, with the reason (v2).
        correction: Option<Correction>,
    },
    /// A bank holiday was withdrawn: the day is a working day again for deadlines pending
    /// when it was recorded (or every deadline, for a correction).
    BankHolidayWithdrawn {
        /// The day.
        date: NaiveDate,
        /// When it was recorded.
        withdrawn_at: DateTime<Utc>,
        /// Present when it corrects the calendar for every deadline, with the reason.
        correction: Option<Correction>,
    },
    /// A bank holiday was moved by proclamation to another day (as in 2020 and 2022).
    BankHolidayMoved {
        /// The day it was.
        from: NaiveDate,
        /// The day it is now.
        to: NaiveDate,
        /// Its name on the new day.
        name: String,
        /// When it was recorded.
        moved_at: DateTime<Utc>,
        /// Present when it corrects the calendar for every deadline, with the reason.
        correction: Option<Correction>,
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
            PartnershipEvent::BankHolidayWithdrawn { .. } => "BankHolidayWithdrawn",
            PartnershipEvent::BankHolidayMoved { .. } => "BankHolidayMoved",
        }
    }
}
