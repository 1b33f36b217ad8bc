//! The partnership's state, folded from its events.

use super::PartnershipEvent;
use super::retention::RetentionSettings;
use crate::calendar::WorkingCalendar;
use crate::calendar::history::{CalendarChange, CalendarEntry, Correction};
use crate::reminders::ReminderSettings;
use crate::{OrgSlug, PartnershipSlug};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What kind of organisation (domain.md "Who is involved").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Statutory partner: the local authority.
    LocalAuthority,
    /// Statutory partner: the police.
    Police,
    /// Statutory partner: health (CCG/ICB).
    Health,
    /// Relevant agency: a health provider.
    HealthProvider,
    /// Relevant agency: education.
    Education,
    /// Relevant agency: criminal justice.
    CriminalJustice,
    /// Relevant agency: voluntary sector.
    Voluntary,
    /// Any other relevant agency.
    Other,
}

/// The three statutory safeguarding partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutoryPartner {
    /// The local authority.
    LocalAuthority,
    /// The police.
    Police,
    /// Health.
    Health,
}

impl OrgKind {
    /// The statutory partner this organisation is, if any.
    pub fn statutory_partner(self) -> Option<StatutoryPartner> {
        match self {
            OrgKind::LocalAuthority => Some(StatutoryPartner::LocalAuthority),
            OrgKind::Police => Some(StatutoryPartner::Police),
            OrgKind::Health => Some(StatutoryPartner::Health),
            _ => None,
        }
    }
}

/// A member organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Its slug.
    pub slug: OrgSlug,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrgKind,
}

/// Which date is day 0 of a rapid review (a partnership setting; Panel guidance is the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The date the Panel was notified.
    #[default]
    PanelNotification,
    /// The date the local authority became aware.
    BecameAware,
    /// The date the rapid review was initiated.
    Initiation,
}

/// Settings a partnership may choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipSettings {
    /// Day 0 of a rapid review.
    pub rapid_review_clock_start: ClockStart,
    /// Local close-of-business time for "close of business" milestones.
    pub close_of_business: NaiveTime,
    /// How long the personal details of closed cases are kept. Absent from events written
    /// before it existed (and from those that keep the defaults): the defaults.
    #[serde(default, skip_serializing_if = "RetentionSettings::is_default")]
    pub retention: RetentionSettings,
    /// When deadline reminders are sent. Absent from events written before reminders existed
    /// (and from those that keep the defaults): the defaults.
    #[serde(default, skip_serializing_if = "ReminderSettings::is_default")]
    pub reminders: ReminderSettings,
}

impl Default for PartnershipSettings {
    fn default() -> Self {
        Self {
            rapid_review_clock_start: ClockStart::default(),
            close_of_business: crate::calendar::CLOSE_OF_BUSINESS,
            retention: RetentionSettings::default(),
            reminders: ReminderSettings::default(),
        }
    }
}

/// A partnership, as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    /// Its slug.
    pub slug: PartnershipSlug,
    /// Its name.
    pub name: String,
    /// Member organisations by slug.
    pub organisations: BTreeMap<OrgSlug, Organisation>,
    /// Settings.
    pub settings: PartnershipSettings,
    /// The working calendar as it stands now, every declaration applied (what `due_soon` and
    /// lateness count working days with).
    pub calendar: WorkingCalendar,
    /// Every declaration, withdrawal and move of a holiday in the order recorded: which
    /// deadlines each reaches depends on when it was recorded (`calendar::history`).
    pub calendar_history: Vec<CalendarEntry>,
    /// Organisations that have left; their history stays.
    pub retired: BTreeSet<OrgSlug>,
    /// Holidays the partnership declared or moved that are holidays now, with their names.
    pub declared_holidays: BTreeMap<NaiveDate, String>,
}

impl Partnership {
    /// Folds one event into the partnership (`None` before it is established).
    pub fn evolve(state: Option<Partnership>, event: &PartnershipEvent) -> Option<Partnership> {
        match (state, event) {
            (
                None,
                PartnershipEvent::PartnershipEstablished {
                    slug,
                    name,
                    settings,
                },
            ) => Some(Partnership {
                slug: slug.clone(),
                name: name.clone(),
                organisations: BTreeMap::new(),
                settings: settings.clone(),
                calendar: WorkingCalendar::england_and_wales(),
                calendar_history: Vec::new(),
                retired: BTreeSet::new(),
                declared_holidays: BTreeMap::new(),
            }),
            (Some(mut partnership), PartnershipEvent::OrganisationRegistered(org)) => {
                partnership
                    .organisations
                    .insert(org.slug.clone(), org.clone());
                Some(partnership)
            }
            (Some(mut partnership), PartnershipEvent::PartnershipSettingsChanged(settings)) => {
                partnership.settings = settings.clone();
                Some(partnership)
            }
            (Some(mut partnership), PartnershipEvent::OrganisationRetired { slug }) => {
                partnership.retired.insert(slug.clone());
                Some(partnership)
            }
            (
                Some(mut partnership),
                PartnershipEvent::BankHolidayDeclared {
                    date,
                    name,
                    declared_at,
                    correction,
                },
            ) => {
                partnership.declared_holidays.insert(*date, name.clone());
                partnership.record(CalendarChange::Declared(*date), *declared_at, correction);
                Some(partnership)
            }
            (
                Some(mut partnership),
                PartnershipEvent::BankHolidayWithdrawn {
                    date,
                    withdrawn_at,
                    correction,
                },
            ) => {
                partnership.declared_holidays.remove(date);
                partnership.record(CalendarChange::Withdrawn(*date), *withdrawn_at, correction);
                Some(partnership)
            }
            (
                Some(mut partnership),
                PartnershipEvent::BankHolidayMoved {
                    from,
                    to,
                    name,
                    moved_at,
                    correction,
                },
            ) => {
                partnership.declared_holidays.remove(from);
                partnership.declared_holidays.insert(*to, name.clone());
                let change = CalendarChange::Moved {
                    from: *from,
                    to: *to,
                };
                partnership.record(change, *moved_at, correction);
                Some(partnership)
            }
            // Events that do not apply to the state leave it as it is: replay never fails.
            (state, _) => state,
        }
    }

    /// Adds a calendar change to the history and to the calendar as it stands now.
    fn record(
        &mut self,
        change: CalendarChange,
        at: chrono::DateTime<chrono::Utc>,
        correction: &Option<Correction>,
    ) {
        self.calendar = change.apply(std::mem::replace(
            &mut self.calendar,
            WorkingCalendar::england_and_wales(),
        ));
        self.calendar_history.push(CalendarEntry {
            at,
            change,
            correction: correction.clone(),
        });
    }

    /// The organisation with this slug.
    pub fn organisation(&self, slug: &OrgSlug) -> Option<&Organisation> {
        self.organisations.get(slug)
    }

    /// The organisation, if registered and not retired.
    pub fn active_organisation(&self, slug: &OrgSlug) -> Option<&Organisation> {
        self.organisations
            .get(slug)
            .filter(|org| !self.retired.contains(&org.slug))
    }

    /// The organisation that is this statutory partner.
    pub fn partner_org(&self, partner: StatutoryPartner) -> Option<&Organisation> {
        self.organisations
            .values()
            .find(|org| org.kind.statutory_partner() == Some(partner))
    }
}
