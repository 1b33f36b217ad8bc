//! Orders of one partnership's cases kept beside them, so that a page of the case list reads
//! about a page of cases instead of every case of the partnership (issue 15, goal 2).
//!
//! Each order holds the case's opening log position, which names the case (`by_opening`) and
//! breaks ties, so every case has exactly one place in each order.

use crate::review_status::{CaseRecord, PartnershipCases, ReadModels};
use casetrail_domain::case::Stage;
use casetrail_domain::{OrgSlug, PartnershipSlug};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound::{self, Excluded, Included, Unbounded};

/// The orders of one partnership's cases, kept as the log is folded.
#[derive(Debug, Default, Clone, PartialEq)]
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
    /// The cases at each stage as they stand, by opening position: the list's `stage` filter
    /// reads the cases at the stage instead of walking past the others, so a stage few cases
    /// are at costs what a common one does.
    by_stage: HashMap<Stage, BTreeSet<u64>>,
}

impl CaseIndex {
    /// A case opened at `position` with its first fact, at `stage`.
    pub(crate) fn opened(&mut self, position: u64, opened_at: DateTime<Utc>, stage: Stage) {
        self.by_opened_at.insert((opened_at, position));
        self.by_update.insert((position, position));
        self.by_stage.entry(stage).or_default().insert(position);
    }

    /// The case opened at `opening` moved from stage `from` to `to`.
    pub(crate) fn staged(&mut self, opening: u64, from: Stage, to: Stage) {
        if from == to {
            return;
        }
        if let Some(cases) = self.by_stage.get_mut(&from) {
            cases.remove(&opening);
            if cases.is_empty() {
                self.by_stage.remove(&from);
            }
        }
        self.by_stage.entry(to).or_default().insert(opening);
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
                upper = past_cursor(upper, after, Ordering::Less);
            } else {
                lower = past_cursor(lower, after, Ordering::Greater);
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

    /// Opening positions of the cases at `stage`, after `after`, in opening order.
    pub(crate) fn at_stage(&self, stage: Stage, after: u64) -> impl Iterator<Item = u64> + '_ {
        self.by_stage
            .get(&stage)
            .into_iter()
            .flat_map(move |cases| cases.range((Excluded(after), Unbounded)).copied())
    }

    /// How many cases are at `stage`.
    pub(crate) fn at_stage_count(&self, stage: Stage) -> usize {
        self.by_stage.get(&stage).map_or(0, BTreeSet::len)
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

/// A bound narrowed by a cursor (the place just before the page, itself excluded): the
/// cursor, unless the bound already admits less. `side` is `Ordering::Greater` for a lower
/// bound (the greater key admits less), `Ordering::Less` for an upper one.
pub(crate) fn past_cursor<K: Ord>(bound: Bound<K>, cursor: K, side: Ordering) -> Bound<K> {
    match &bound {
        Included(key) | Excluded(key) if key.cmp(&cursor) == side => bound,
        // At the same key the excluded cursor admits less than, or as much as, the bound.
        _ => Excluded(cursor),
    }
}

/// Whether no key lies between the bounds (a `BTreeSet` range would panic on them).
pub(crate) fn is_empty<K: Ord>(lower: &Bound<K>, upper: &Bound<K>) -> bool {
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
        self.index_of(slug)?.record(position)
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

    /// How many cases the partnership has.
    pub fn case_count(&self, slug: &PartnershipSlug) -> usize {
        self.index_of(slug).map_or(0, |c| c.by_opening.len())
    }

    /// How many of the partnership's cases `org` is involved in.
    pub fn cases_involving_count(&self, slug: &PartnershipSlug, org: &OrgSlug) -> usize {
        self.index_of(slug)
            .map_or(0, |c| c.index.involving_count(org))
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

    /// How many of the partnership's cases are at `stage`.
    pub fn cases_at_stage_count(&self, slug: &PartnershipSlug, stage: Stage) -> usize {
        self.index_of(slug)
            .map_or(0, |c| c.index.at_stage_count(stage))
    }

    /// The partnership's cases at `stage`, opened after log position `after`, in opening
    /// order.
    pub fn cases_at_stage<'a>(
        &'a self,
        slug: &'a PartnershipSlug,
        stage: Stage,
        after: u64,
    ) -> impl Iterator<Item = &'a CaseRecord> + 'a {
        let positions = self
            .index_of(slug)
            .into_iter()
            .flat_map(move |c| c.index.at_stage(stage, after));
        self.records(slug, positions)
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
            index.opened(position, day(d), Stage::Notified);
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
        // A cursor before `from` (ascending) or after `to` (descending) leaves the range as it
        // is: the cases between the cursor and the range are not in it.
        assert_eq!(
            index
                .by_opened_at(Some((day(1), 0)), Some(day(2)), None, false)
                .collect::<Vec<_>>(),
            [9, 1, 5]
        );
        assert_eq!(
            index
                .by_opened_at(Some((day(3), 9)), None, Some(day(2)), true)
                .collect::<Vec<_>>(),
            [2]
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
    fn the_cases_at_a_stage_follow_each_case_as_it_moves_on() {
        let mut index = index();
        let at = |index: &CaseIndex, stage, after| -> Vec<u64> {
            index.at_stage(stage, after).collect()
        };
        assert_eq!(at(&index, Stage::Notified, 0), [1, 2, 5, 9]);
        index.staged(2, Stage::Notified, Stage::RapidReview);
        index.staged(9, Stage::Notified, Stage::RapidReview);
        // Moving to the stage it is at changes nothing.
        index.staged(5, Stage::Notified, Stage::Notified);
        assert_eq!(at(&index, Stage::Notified, 0), [1, 5]);
        assert_eq!(at(&index, Stage::RapidReview, 0), [2, 9]);
        // After a cursor, in opening order.
        assert_eq!(at(&index, Stage::RapidReview, 2), [9]);
        assert_eq!(at(&index, Stage::Notified, 5), Vec::<u64>::new());
        assert_eq!(index.at_stage_count(Stage::RapidReview), 2);
        assert_eq!(index.at_stage_count(Stage::Closed), 0);
        // A stage no case is at any more is forgotten, as one no case ever reached.
        index.staged(1, Stage::Notified, Stage::Closed);
        index.staged(5, Stage::Notified, Stage::Closed);
        assert_eq!(index.at_stage_count(Stage::Notified), 0);
        assert!(!index.by_stage.contains_key(&Stage::Notified));
        assert_eq!(at(&index, Stage::Closed, 0), [1, 5]);
    }

    #[test]
    fn a_range_is_empty_exactly_when_no_key_lies_between_its_bounds() {
        assert!(!is_empty(&Included(2), &Included(2)));
        assert!(is_empty(&Included(3), &Included(2)));
        assert!(is_empty(&Included(2), &Excluded(2)));
        assert!(is_empty(&Excluded(2), &Included(2)));
        assert!(!is_empty(&Excluded(1), &Excluded(3)));
        assert!(is_empty(&Excluded(3), &Excluded(1)));
        assert!(!is_empty(&Unbounded, &Excluded(0)));
        assert!(!is_empty(&Included(9), &Unbounded::<i32>));
    }

    #[test]
    fn a_cursor_narrows_a_bound_only_where_it_admits_less() {
        // Lower bounds: the greater key admits less; at the same key the excluded cursor.
        assert_eq!(past_cursor(Included(5), 3, Ordering::Greater), Included(5));
        assert_eq!(past_cursor(Included(5), 7, Ordering::Greater), Excluded(7));
        assert_eq!(past_cursor(Included(5), 5, Ordering::Greater), Excluded(5));
        assert_eq!(past_cursor(Unbounded, 5, Ordering::Greater), Excluded(5));
        // Upper bounds: the smaller key admits less.
        assert_eq!(past_cursor(Excluded(5), 7, Ordering::Less), Excluded(5));
        assert_eq!(past_cursor(Excluded(5), 3, Ordering::Less), Excluded(3));
        assert_eq!(past_cursor(Unbounded, 3, Ordering::Less), Excluded(3));
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

    /// The orders as the read models keep them along a log: each gives exactly the cases a
    /// look at every case would.
    #[test]
    fn the_read_models_orders_give_what_a_look_at_every_case_gives() {
        use casetrail_seed::Workload;
        use casetrail_seed::life_cycle::partnership_slug;
        let workload = Workload {
            partnerships: 1,
            cases: 10_000,
            open_cases: 40,
            seed: 17,
        };
        let mut models = ReadModels::default();
        for event in workload
            .recorded("2023-01-02T09:00:00Z".parse().unwrap())
            .take(3_000)
        {
            models.apply(&event).unwrap();
        }
        let slug = partnership_slug(0);
        let all: Vec<&CaseRecord> = models.cases(&slug).collect();
        assert!(all.len() > 50);
        let ids = |records: Vec<&CaseRecord>| {
            let mut ids: Vec<_> = records.iter().map(|r| r.case.case_id).collect();
            ids.sort();
            ids
        };
        for probe in all.iter().step_by(7) {
            // Changed after a position, and after an instant: a case whose last fact is at
            // exactly that place is not among them.
            let position = probe.updated_position();
            let changed = models.cases_changed_after(&slug, ChangedAfter::Position(position));
            let expected = all
                .iter()
                .filter(|r| r.updated_position() > position)
                .copied();
            assert_eq!(ids(changed.collect()), ids(expected.collect()));
            let at = probe.updated_at;
            let changed = models.cases_changed_after(&slug, ChangedAfter::Instant(at));
            let expected = all.iter().filter(|r| r.updated_at > at).copied();
            assert_eq!(ids(changed.collect()), ids(expected.collect()));
            // Opened after a position, in opening order.
            let opened: Vec<u64> = models
                .cases_opened_after(&slug, probe.opened_position)
                .map(|r| r.opened_position)
                .collect();
            let expected: Vec<u64> = all
                .iter()
                .map(|r| r.opened_position)
                .filter(|p| *p > probe.opened_position)
                .collect();
            assert_eq!(opened, expected);
        }
        for org in probe_orgs(&all) {
            let involving: Vec<u64> = models
                .cases_involving(&slug, &org, 0)
                .map(|r| r.opened_position)
                .collect();
            let expected: Vec<u64> = all
                .iter()
                .filter(|r| r.case.involved.contains(&org))
                .map(|r| r.opened_position)
                .collect();
            assert_eq!(involving, expected, "{org}");
        }
        let mut by_opened_at: Vec<(DateTime<Utc>, u64)> = all
            .iter()
            .map(|r| (r.case.opened_at, r.opened_position))
            .collect();
        by_opened_at.sort();
        let walked: Vec<(DateTime<Utc>, u64)> = models
            .cases_by_opened_at(&slug, None, None, None, false)
            .map(|r| (r.case.opened_at, r.opened_position))
            .collect();
        assert_eq!(walked, by_opened_at);
    }

    fn probe_orgs(all: &[&CaseRecord]) -> Vec<OrgSlug> {
        let mut orgs: Vec<OrgSlug> = all.iter().flat_map(|r| &r.case.involved).cloned().collect();
        orgs.sort();
        orgs.dedup();
        assert!(orgs.len() > 2, "{orgs:?}");
        orgs
    }
}
