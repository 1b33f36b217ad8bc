//! What a case's deadlines read of their partnership, and nothing more.
//!
//! The deadline code takes a [`DeadlineBasis`], not the partnership, so it cannot come to
//! depend on anything else of it unnoticed; and the read models keep a case's computed
//! deadlines for as long as the basis stays the same: an agency joining or leaving, which
//! partnerships do far more often than they change their settings or their calendar, leaves
//! every case's deadlines as they were (BENCHMARKS.md, issue 15, goal 2).

use super::state::{Partnership, PartnershipSettings, StatutoryPartner};
use crate::OrgSlug;
use crate::calendar::WorkingCalendar;
use crate::calendar::history::CalendarEntry;
use crate::case::rapid_review::PARTNERS;

/// The partnership as its cases' deadlines see it: its settings (the rapid review's clock
/// start before a review is initiated), its calendar with every change recorded to it (which
/// deadline each change reaches depends on when it was recorded), and which organisation stands
/// for each statutory partner (they owe the rapid review's decisions).
#[derive(Debug, Clone, Copy)]
pub struct DeadlineBasis<'a> {
    /// The settings.
    pub settings: &'a PartnershipSettings,
    /// The working calendar as it stands, every change applied.
    pub calendar: &'a WorkingCalendar,
    /// Every change of the calendar, in the order recorded.
    pub calendar_history: &'a [CalendarEntry],
    /// The organisation of each partner of [`PARTNERS`], in that order.
    partners: [Option<&'a OrgSlug>; 3],
}

impl<'a> DeadlineBasis<'a> {
    /// The organisation that is this statutory partner, if one is registered.
    #[must_use]
    pub fn partner_org(&self, partner: StatutoryPartner) -> Option<&'a OrgSlug> {
        let index = PARTNERS.iter().position(|p| *p == partner)?;
        self.partners[index]
    }

    /// What tells this basis from another: two partnerships with equal summaries give every
    /// case the same deadlines.
    #[must_use]
    pub fn summary(&self) -> BasisSummary {
        BasisSummary {
            settings: self.settings.clone(),
            // The calendar is the shipped one with the history applied in order, and the
            // history only ever grows: its length tells the calendar and the history apart.
            calendar_changes: self.calendar_history.len(),
            partners: self.partners.map(|org| org.cloned()),
        }
    }
}

/// An owned [`DeadlineBasis`], small enough to keep beside the partnership and compare after
/// each of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisSummary {
    settings: PartnershipSettings,
    calendar_changes: usize,
    partners: [Option<OrgSlug>; 3],
}

impl Partnership {
    /// What its cases' deadlines read of it.
    #[must_use]
    pub fn deadline_basis(&self) -> DeadlineBasis<'_> {
        DeadlineBasis {
            settings: &self.settings,
            calendar: &self.calendar,
            calendar_history: &self.calendar_history,
            partners: PARTNERS.map(|partner| self.partner_org(partner).map(|org| &org.slug)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::partnership::{ClockStart, OrgKind, Organisation, PartnershipEvent};

    fn register(slug: &str, kind: OrgKind) -> PartnershipEvent {
        PartnershipEvent::OrganisationRegistered(Organisation {
            slug: OrgSlug::parse(slug).unwrap(),
            name: slug.to_owned(),
            kind,
        })
    }

    fn partnership(events: &[PartnershipEvent]) -> Partnership {
        let established = PartnershipEvent::PartnershipEstablished {
            slug: crate::PartnershipSlug::parse("southend").unwrap(),
            name: "Southend".to_owned(),
            settings: PartnershipSettings::default(),
        };
        std::iter::once(&established)
            .chain(events)
            .fold(None, Partnership::evolve)
            .unwrap()
    }

    /// The partners' organisations are the partnership's, and the summary tells apart every
    /// change deadlines can see and nothing else.
    #[test]
    fn the_summary_changes_with_what_deadlines_read_and_nothing_else() {
        let partners = [
            register("southend-council", OrgKind::LocalAuthority),
            register("essex-police", OrgKind::Police),
            register("southend-ccg", OrgKind::Health),
        ];
        let base = partnership(&partners);
        let basis = base.deadline_basis();
        for partner in PARTNERS {
            assert_eq!(
                basis.partner_org(partner),
                base.partner_org(partner).map(|org| &org.slug)
            );
        }
        assert_eq!(
            basis
                .partner_org(StatutoryPartner::Health)
                .unwrap()
                .as_str(),
            "southend-ccg"
        );
        let summary = |extra: &[PartnershipEvent]| {
            partnership(&[&partners[..], extra].concat())
                .deadline_basis()
                .summary()
        };
        let same = basis.summary();
        assert_eq!(summary(&[register("housing", OrgKind::Other)]), same);
        assert_eq!(
            summary(&[PartnershipEvent::OrganisationRetired {
                slug: OrgSlug::parse("southend-council").unwrap()
            }]),
            same,
            "a retired partner's organisation still owes what it owed"
        );
        let other_settings = PartnershipSettings {
            rapid_review_clock_start: ClockStart::Initiation,
            ..PartnershipSettings::default()
        };
        assert_ne!(other_settings, PartnershipSettings::default());
        let changes = [
            PartnershipEvent::PartnershipSettingsChanged(other_settings),
            PartnershipEvent::BankHolidayDeclared {
                date: chrono::NaiveDate::from_ymd_opt(2026, 6, 3).unwrap(),
                name: "Proclaimed".to_owned(),
                declared_at: "2026-05-01T09:00:00Z".parse().unwrap(),
                correction: None,
            },
            // Sorts before the other police force, so it stands for the police now.
            register("avon-police", OrgKind::Police),
        ];
        for change in changes {
            assert_ne!(summary(std::slice::from_ref(&change)), same, "{change:?}");
        }
        assert_eq!(
            partnership(&partners[1..])
                .deadline_basis()
                .partner_org(StatutoryPartner::LocalAuthority),
            None
        );
    }
}
