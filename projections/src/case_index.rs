//! Orders of one partnership's cases kept beside them, so that a page of the case list reads
//! about a page of cases instead of every case of the partnership (issue 15, goal 2).
//!
//! Each order holds the case's opening log position, which names the case (`by_opening`) and
//! breaks ties, so every case has exactly one place in each order.

use crate::review_status::{CaseRecord, PartnershipCases, ReadModels};
use casetrail_domain::{OrgSlug, PartnershipSlug};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound::{self, Excluded, Included, Unbounded};

/// The orders of one partnership's cases, kept as the log is folded.
#[derive(Debug, Default, Clone)]
pub(crate) struct CaseIndex {
    /// By when the case was opened (fixed when it opens), then opening position.
    by_opened_at: BTreeSet<(DateTime<Utc>, u64)>,
    /// By when its last fact was recorded: (that fact's position, opening position). Positions
    /// and recording instants rise together along the log, so this is also the order of
    /// `updated_at`.
    by_update: BTreeSet<(u64, u64)>,
    /// The cases each organisation is involved in (it never stops being involved), by opening
    /// position: what an agency may see, and the list's `organisation` filter.
    by_org: HashMap<OrgSlug, BTreeSet<u64>>,
}

impl CaseIndex {
    /// A case opened at `position` with its first fact.
    pub(crate) fn opened(&mut self, position: u64, opened_at: DateTime<Utc>) {
        self.by_opened_at.insert((opened_at, position));
        self.by_update.insert((position, position));
    }

    /// A later fact of the case opened at `opening`, at `position`, after its last at `last`.
    pub(crate) fn updated(&mut self, opening: u64, last: u64, position: u64) {
        self.by_update.remove(&(last, opening));
        self.by_update.insert((position, opening));
    }

    /// `org` became involved in the case opened at `opening`.
    pub(crate) fn involved(&mut self, org: &OrgSlug, opening: u64) {
        self.by_org.entry(org.clone()).or_default().insert(opening);
    }

    /// Opening positions in `opened_at` order (or the reverse), strictly after `after` in that
    /// order, within `[from, to)` of `opened_at`: a range of the order, so a late page costs
    /// what an early one does.
    pub(crate) fn by_opened_at(
        &self,
        after: Option<(DateTime<Utc>, u64)>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        descending: bool,
    ) -> Box<dyn Iterator<Item = u64> + '_> {
        let mut lower = from.map_or(Unbounded, |from| Included((from, 0)));
        let mut upper = to.map_or(Unbounded, |to| Excluded((to, 0)));
        if let Some(after) = after {
            if descending {
                upper = tighter(upper, Excluded(after), Ordering::Less);
            } else {
                lower = tighter(lower, Excluded(after), Ordering::Greater);
            }
        }
        if is_empty(&lower, &upper) {
            return Box::new(std::iter::empty());
        }
        let range = self.by_opened_at.range((lower, upper));
        let positions = |(_, position): &(DateTime<Utc>, u64)| *position;
        if descending {
            Box::new(range.rev().map(positions))
        } else {
            Box::new(range.map(positions))
        }
    }

    /// Opening positions of the cases `org` is involved in, after `after`, in opening order.
    pub(crate) fn involving(&self, org: &OrgSlug, after: u64) -> impl Iterator<Item = u64> + '_ {
        self.by_org
            .get(org)
            .into_iter()
            .flat_map(move |cases| cases.range((Excluded(after), Unbounded)).copied())
    }

    /// How many cases `org` is involved in.
    pub(crate) fn involving_count(&self, org: &OrgSlug) -> usize {
        self.by_org.get(org).map_or(0, BTreeSet::len)
    }

    /// Opening positions of the cases with a fact recorded after log position `position`.
    pub(crate) fn changed_after_position(&self, position: u64) -> impl Iterator<Item = u64> + '_ {
        self.by_update
            .range((Excluded((position, u64::MAX)), Unbounded))
            .map(|(_, opening)| *opening)
    }

    /// The latest first positions of the cases' last facts, with their opening positions: the
    /// caller stops once the facts are too old (by instant).
    pub(crate) fn latest_changes(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.by_update.iter().rev().copied()
    }
}

/// Where a changed-since question starts: after a log position or a recording instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedAfter {
    /// A fact recorded after this log position.
    Position(u64),
    /// A fact recorded after this instant.
    Instant(DateTime<Utc>),
}

/// Of two bounds on the same side, the one that admits less: `Ordering::Greater` for lower
/// bounds (the greater key), `Ordering::Less` for upper bounds.
fn tighter<K: Ord>(a: Bound<K>, b: Bound<K>, side: Ordering) -> Bound<K> {
    match (&a, &b) {
        (Unbounded, _) => b,
        (_, Unbounded) => a,
        (Included(x) | Excluded(x), Included(y) | Excluded(y)) => match x.cmp(y) {
            Ordering::Equal => {
                if matches!(a, Excluded(_)) {
                    a
                } else {
                    b
                }
            }
            order if order == side => a,
            _ => b,
        },
    }
}

/// Whether no key lies between the bounds (a `BTreeSet` range would panic on them).
fn is_empty<K: Ord>(lower: &Bound<K>, upper: &Bound<K>) -> bool {
    match (lower, upper) {
        (Unbounded, _) | (_, Unbounded) => false,
        (Included(lo), Included(hi)) => lo > hi,
        (Included(lo) | Excluded(lo), Included(hi) | Excluded(hi)) => lo >= hi,
    }
}

impl ReadModels {
    fn index_of(&self, slug: &PartnershipSlug) -> Option<&PartnershipCases> {
        self.cases.get(slug)
    }

    /// The case of the partnership opened at this log position.
    pub fn case_opened_at_position(
        &self,
        slug: &PartnershipSlug,
        position: u64,
    ) -> Option<&CaseRecord> {
        let cases = self.index_of(slug)?;
        let id = cases.by_opening.get(&position)?;
        cases.by_id.get(id).map(AsRef::as_ref)
    }

    fn records<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        positions: impl Iterator<Item = u64> + 'a,
    ) -> impl Iterator<Item = &'a CaseRecord> + 'a {
        positions.filter_map(move |p| self.case_opened_at_position(slug, p))
    }

    /// The partnership's cases opened after log position `after`, in opening order.
    pub fn cases_opened_after<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        after: u64,
    ) -> impl Iterator<Item = &'a CaseRecord> + 'a {
        self.index_of(slug).into_iter().flat_map(move |c| {
            c.by_opening
                .range((Excluded(after), Unbounded))
                .filter_map(|(_, id)| c.by_id.get(id).map(AsRef::as_ref))
        })
    }

    /// The partnership's cases by `opened_at` (latest first when `descending`), strictly after
    /// the place `after` (`opened_at`, opening position) in that order, opened within
    /// `[from, to)`.
    pub fn cases_by_opened_at<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        after: Option<(DateTime<Utc>, u64)>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        descending: bool,
    ) -> impl Iterator<Item = &'a CaseRecord> + 'a {
        let positions = self
            .index_of(slug)
            .into_iter()
            .flat_map(move |c| c.index.by_opened_at(after, from, to, descending));
        self.records(slug, positions)
    }

    /// The cases `org` is involved in, opened after log position `after`, in opening order.
    pub fn cases_involving<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        org: &'a OrgSlug,
        after: u64,
    ) -> impl Iterator<Item = &'a CaseRecord> + 'a {
        let positions = self
            .index_of(slug)
            .into_iter()
            .flat_map(move |c| c.index.involving(org, after));
        self.records(slug, positions)
    }

    /// How many of the partnership's cases `org` is involved in.
    pub fn cases_involving_count(&self, slug: &PartnershipSlug, org: &OrgSlug) -> usize {
        self.index_of(slug)
            .map_or(0, |c| c.index.involving_count(org))
    }

    /// How many cases the partnership has.
    pub fn case_count(&self, slug: &PartnershipSlug) -> usize {
        self.index_of(slug).map_or(0, |c| c.by_opening.len())
    }

    /// The partnership's cases with a fact recorded after a position or an instant, in no
    /// particular order: reads only those cases.
    pub fn cases_changed_after<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        after: ChangedAfter,
    ) -> Box<dyn Iterator<Item = &'a CaseRecord> + 'a> {
        let Some(cases) = self.index_of(slug) else {
            return Box::new(std::iter::empty());
        };
        match after {
            ChangedAfter::Position(position) => {
                Box::new(self.records(slug, cases.index.changed_after_position(position)))
            }
            // Recording instants rise with positions, so the latest changes come first and
            // the first one too old ends the list.
            ChangedAfter::Instant(at) => Box::new(
                self.records(
                    slug,
                    cases.index.latest_changes().map(|(_, opening)| opening),
                )
                .take_while(move |record| record.updated_at > at),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2024, 1, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap()
            .and_utc()
    }

    fn index() -> CaseIndex {
        let mut index = CaseIndex::default();
        // Opened at positions 1, 2, 5, 9; backdated so that opened_at is not the log's order.
        for (position, d) in [(1, 3), (2, 1), (5, 3), (9, 2)] {
            index.opened(position, day(d));
        }
        index
    }

    #[test]
    fn opened_at_order_both_ways_with_cursor_and_range() {
        let index = index();
        let all: Vec<u64> = index.by_opened_at(None, None, None, false).collect();
        assert_eq!(all, [2, 9, 1, 5]);
        let reverse: Vec<u64> = index.by_opened_at(None, None, None, true).collect();
        assert_eq!(reverse, [5, 1, 9, 2]);
        // After a place: strictly after it, in either direction.
        let after = Some((day(3), 1));
        assert_eq!(
            index
                .by_opened_at(after, None, None, false)
                .collect::<Vec<_>>(),
            [5]
        );
        assert_eq!(
            index
                .by_opened_at(after, None, None, true)
                .collect::<Vec<_>>(),
            [9, 2]
        );
        // A cursor outside the range, or a range with nothing in it, gives nothing (no panic).
        assert_eq!(
            index
                .by_opened_at(Some((day(3), 9)), Some(day(1)), Some(day(3)), false)
                .count(),
            0
        );
        assert_eq!(
            index
                .by_opened_at(Some((day(1), 0)), Some(day(2)), Some(day(3)), true)
                .count(),
            0
        );
        assert_eq!(
            index
                .by_opened_at(None, Some(day(3)), Some(day(3)), false)
                .count(),
            0
        );
        assert_eq!(
            index
                .by_opened_at(None, Some(day(3)), Some(day(2)), true)
                .count(),
            0
        );
        // A cursor inside the range narrows it from its own side only.
        assert_eq!(
            index
                .by_opened_at(Some((day(2), 9)), Some(day(1)), None, false)
                .collect::<Vec<_>>(),
            [1, 5]
        );
        assert_eq!(
            index
                .by_opened_at(Some((day(3), 1)), Some(day(2)), None, true)
                .collect::<Vec<_>>(),
            [9]
        );
        // From is inclusive, to exclusive.
        assert_eq!(
            index
                .by_opened_at(None, Some(day(2)), Some(day(3)), false)
                .collect::<Vec<_>>(),
            [9]
        );
    }

    #[test]
    fn involvement_and_changes_follow_the_facts() {
        let mut index = index();
        let org = OrgSlug::parse("essex-police").unwrap();
        index.involved(&org, 5);
        index.involved(&org, 1);
        index.involved(&org, 5);
        assert_eq!(index.involving(&org, 0).collect::<Vec<_>>(), [1, 5]);
        assert_eq!(index.involving(&org, 1).collect::<Vec<_>>(), [5]);
        assert_eq!(index.involving_count(&org), 2);
        let other = OrgSlug::parse("nobody").unwrap();
        assert_eq!(index.involving(&other, 0).count(), 0);
        // Case 1 changes at 12: it is the only one changed after 9.
        index.updated(1, 1, 12);
        assert_eq!(index.changed_after_position(9).collect::<Vec<_>>(), [1]);
        assert_eq!(index.changed_after_position(12).count(), 0);
        let mut since_one: Vec<u64> = index.changed_after_position(1).collect();
        since_one.sort_unstable();
        assert_eq!(since_one, [1, 2, 5, 9]);
        assert_eq!(
            index.latest_changes().collect::<Vec<_>>(),
            [(12, 1), (9, 9), (5, 5), (2, 2)]
        );
    }
}
