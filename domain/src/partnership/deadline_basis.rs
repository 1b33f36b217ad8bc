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
use crate::calendar::history::{self, CalendarEntry};
use crate::case::Case;
use crate::case::rapid_review::PARTNERS;
use crate::deadline::Deadline;

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

impl BasisSummary {
    /// How `after`, the basis once one more event of the partnership is applied, differs from
    /// the one this summary was made of.
    #[must_use]
    pub fn change_to(&self, after: &DeadlineBasis<'_>) -> BasisChange {
        // The history only grows: the entries past the count are the new ones.
        let recorded = after.calendar_history.get(self.calendar_changes..);
        let partners = after.partners.map(|org| org.cloned());
        BasisChange {
            every_case: recorded.is_none() || partners != self.partners,
            rapid_review_settings: after.settings.rapid_review_clock_start
                != self.settings.rapid_review_clock_start
                || after.settings.close_of_business != self.settings.close_of_business,
            calendar: recorded.map_or_else(Vec::new, <[CalendarEntry]>::to_vec),
        }
    }
}

/// How one event changed the basis, for telling which cases' deadlines it can move: a
/// partnership of a hundred thousand cases changes its calendar every few weeks, and computing
/// every case's deadlines again after each took 41–47 s (BENCHMARKS.md, issue 15, goal 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisChange {
    /// Another organisation stands for a statutory partner: every case is computed again.
    every_case: bool,
    /// The rapid review's clock start or close of business changed.
    rapid_review_settings: bool,
    /// The calendar changes recorded, in order.
    calendar: Vec<CalendarEntry>,
}

impl BasisChange {
    /// Whether `deadlines`, computed for `case` under the basis before the change, are still
    /// its deadlines under the basis after it. `false` is always safe: the deadlines are then
    /// computed again.
    #[must_use]
    pub fn leaves<'d, I>(&self, case: &Case, deadlines: I) -> bool
    where
        I: IntoIterator<Item = &'d Deadline> + Clone,
    {
        let reads_settings = self.rapid_review_settings && case.reads_rapid_review_settings();
        !self.every_case
            && !reads_settings
            && self
                .calendar
                .iter()
                .all(|entry| history::leaves(entry, deadlines.clone()))
    }
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
