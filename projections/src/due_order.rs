//! A partnership's deadlines, and its cases, in the order they fall due, kept beside the cases
//! so that a page of the deadline list, or of the case list by `next_due_at`, reads about a
//! page instead of every case of the partnership (issue 15, goal 2).
//!
//! A due instant is not only a fact of the log: the partnership's calendar moves it, a paused
//! review's clock moves it on with time, and whether a deadline is still to be met can wait on
//! a fact still to come. So the orders are brought up to date by the reads that need them, not
//! by the fold: a changed case is only noted (nothing at all before a read has asked, so a
//! rebuild of a million events pays nothing), a change of what the deadlines read of the
//! partnership (its deadline generation) places again the cases whose deadlines it moved, and
//! a case whose place could still move with time alone is not kept in the orders but placed
//! afresh by every read.

use crate::case_index::{is_empty, past_cursor};
use crate::deadline_cache::{DeadlineGeneration, IdentifiedDeadline};
use crate::review_status::{CaseRecord, PartnershipCases, ReadModels};
use casetrail_domain::calendar::WorkingCalendar;
use casetrail_domain::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{OrgSlug, PartnershipSlug};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound::{self, Excluded, Included, Unbounded};
use std::ops::RangeBounds;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use uuid::Uuid;

/// A deadline's place in the deadline list: its due instant (as seen at the instant asked
/// about), then its id.
pub type DueKey = (DateTime<Utc>, Uuid);

/// Where a case stands in the order by next due instant: when its soonest deadline still to be
/// met falls due, or `Never` (nothing left to meet), after every instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NextDue {
    /// Its soonest open deadline falls due then.
    At(DateTime<Utc>),
    /// It has no deadline left to meet.
    Never,
}

impl NextDue {
    /// The instant, if any.
    pub fn instant(self) -> Option<DateTime<Utc>> {
        match self {
            NextDue::At(at) => Some(at),
            NextDue::Never => None,
        }
    }
}

impl From<Option<DateTime<Utc>>> for NextDue {
    fn from(instant: Option<DateTime<Utc>>) -> Self {
        instant.map_or(NextDue::Never, NextDue::At)
    }
}

/// Whether a deadline in this status is still to be met.
pub fn is_open(status: DeadlineStatus) -> bool {
    matches!(
        status,
        DeadlineStatus::Pending | DeadlineStatus::DueSoon | DeadlineStatus::Breached
    )
}

/// When the soonest of the deadlines still to be met at `at` falls due, as seen then: a
/// case's `next_due_at`.
pub fn next_due_at(
    deadlines: &[IdentifiedDeadline],
    at: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> Option<DateTime<Utc>> {
    due_summary(deadlines, at, calendar).1
}

/// Whether any of `deadlines` is breached at `at`, and [`next_due_at`]: each deadline's status
/// found once, for both (the two columns of a listed case).
pub fn due_summary(
    deadlines: &[IdentifiedDeadline],
    at: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> (bool, Option<DateTime<Utc>>) {
    let mut breached = false;
    let mut next_due: Option<DateTime<Utc>> = None;
    for (_, d) in deadlines {
        let status = d.status(at, calendar);
        breached |= status == DeadlineStatus::Breached;
        if is_open(status) {
            let due = d.due_at_as_of(at);
            next_due = Some(next_due.map_or(due, |soonest| soonest.min(due)));
        }
    }
    (breached, next_due)
}

/// The instants between which a placement holds with no new fact of the case: a read at an
/// instant within them places the case where a read at the placing instant did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Holds {
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl Holds {
    const ALWAYS: Holds = Holds {
        from: DateTime::<Utc>::MIN_UTC,
        until: None,
    };

    /// Where both hold.
    fn and(self, other: Holds) -> Holds {
        Holds {
            from: self.from.max(other.from),
            until: match (self.until, other.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }
}

/// While the deadline's due instant, and whether it is still to be met, stay as they are at
/// `now` with no new fact: between the instants they change at (its fulfilment, its
/// supersession, the instant that settles it; each counts from that instant on) on either
/// side of `now`. Its due instant passing moves it from pending or due soon to breached, which
/// changes neither. `None` while its clock stands still (a paused review): its due instant
/// moves on every day.
fn holds(deadline: &Deadline, now: DateTime<Utc>) -> Option<Holds> {
    if deadline.paused_since.is_some() {
        return None;
    }
    let changes = [
        deadline.fulfilled_at,
        deadline.superseded_at,
        deadline.unsettled_until,
    ];
    Some(
        changes
            .into_iter()
            .flatten()
            .fold(Holds::ALWAYS, |holds, at| {
                let change = if at <= now {
                    Holds {
                        from: at,
                        until: None,
                    }
                } else {
                    Holds {
                        from: DateTime::<Utc>::MIN_UTC,
                        until: Some(at),
                    }
                };
                holds.and(change)
            }),
    )
}

/// While every one of the case's deadlines holds ([`holds`]).
fn case_holds(deadlines: &[IdentifiedDeadline], now: DateTime<Utc>) -> Option<Holds> {
    deadlines
        .iter()
        .try_fold(Holds::ALWAYS, |all, (_, d)| Some(all.and(holds(d, now)?)))
}

/// The orders of one partnership's cases by due instant, brought up to date by reads.
#[derive(Debug, Default)]
pub(crate) struct DueOrders(RwLock<DueState>);

impl Clone for DueOrders {
    /// Empty: a copy of the read models places its cases again when a read first asks.
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A deadline in an order: the case's opening position, and the deadline's place among the
/// case's present deadlines.
type DeadlinePlace = (u64, usize);

/// An order of deadlines by due instant and id, in four parts by what their status can be
/// ([`Part`]).
type Parts = [BTreeMap<DueKey, DeadlinePlace>; 4];

/// The deadlines a filter of the deadline list names: one organisation's, one kind's, or one
/// organisation's of one kind. A lane has an order of its own once a read has asked for it, so
/// that a page of a filter matching few of the partnership's deadlines reads about the page
/// rather than walking past every deadline the filter leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lane {
    /// The deadlines this organisation must meet.
    Organisation(OrgSlug),
    /// The deadlines of this kind.
    Kind(DeadlineKind),
    /// The deadlines of this kind this organisation must meet.
    OrganisationKind(OrgSlug, DeadlineKind),
}

impl Lane {
    /// The lane of the deadlines with this organisation and kind, either or both; `None` when
    /// neither is asked for (every deadline).
    pub fn of(organisation: Option<&OrgSlug>, kind: Option<DeadlineKind>) -> Option<Lane> {
        match (organisation, kind) {
            (Some(org), Some(kind)) => Some(Lane::OrganisationKind(org.clone(), kind)),
            (Some(org), None) => Some(Lane::Organisation(org.clone())),
            (None, Some(kind)) => Some(Lane::Kind(kind)),
            (None, None) => None,
        }
    }

    fn organisation(&self) -> Option<&OrgSlug> {
        match self {
            Lane::Organisation(org) | Lane::OrganisationKind(org, _) => Some(org),
            Lane::Kind(_) => None,
        }
    }

    fn holds(&self, deadline: &Deadline) -> bool {
        let org = |org: &OrgSlug| deadline.organisation.as_ref() == Some(org);
        match self {
            Lane::Organisation(o) => org(o),
            Lane::Kind(k) => deadline.kind == *k,
            Lane::OrganisationKind(o, k) => org(o) && deadline.kind == *k,
        }
    }
}

/// The orders of the lanes a read has asked for, each kept as the whole order is.
#[derive(Debug, Default)]
struct Lanes {
    kinds: HashMap<DeadlineKind, Parts>,
    organisations: HashMap<OrgSlug, Parts>,
    organisation_kinds: HashMap<OrgSlug, HashMap<DeadlineKind, Parts>>,
}

impl Lanes {
    fn get(&self, lane: &Lane) -> Option<&Parts> {
        match lane {
            Lane::Organisation(org) => self.organisations.get(org),
            Lane::Kind(kind) => self.kinds.get(kind),
            Lane::OrganisationKind(org, kind) => self.organisation_kinds.get(org)?.get(kind),
        }
    }

    fn insert(&mut self, lane: Lane, parts: Parts) {
        match lane {
            Lane::Organisation(org) => {
                self.organisations.insert(org, parts);
            }
            Lane::Kind(kind) => {
                self.kinds.insert(kind, parts);
            }
            Lane::OrganisationKind(org, kind) => {
                self.organisation_kinds
                    .entry(org)
                    .or_default()
                    .insert(kind, parts);
            }
        }
    }

    /// The orders of every asked-for lane that holds `deadline`, given to `change`.
    fn holding(&mut self, deadline: &Deadline, mut change: impl FnMut(&mut Parts)) {
        if let Some(parts) = self.kinds.get_mut(&deadline.kind) {
            change(parts);
        }
        let Some(org) = &deadline.organisation else {
            return;
        };
        if let Some(parts) = self.organisations.get_mut(org) {
            change(parts);
        }
        if let Some(parts) = self
            .organisation_kinds
            .get_mut(org)
            .and_then(|kinds| kinds.get_mut(&deadline.kind))
        {
            change(parts);
        }
    }
}

#[derive(Debug, Default)]
struct DueState {
    /// The partnership's deadline generation the orders were placed under; `None` until a read asks.
    generation: Option<u64>,
    /// The cases (by opening position) opened or changed since the orders were brought up to
    /// date.
    changed: HashSet<u64>,
    /// The placed cases' deadlines by due instant and id, in four parts by what their status
    /// can be ([`Part`]).
    parts: Parts,
    /// The same, of each lane a read has asked for.
    lanes: Lanes,
    /// The placed cases by next due instant, then opening position.
    cases: BTreeSet<(NextDue, u64)>,
    /// What each case has in the orders, to take it out again when it changes.
    placed: HashMap<u64, Placed>,
    /// Placed cases whose place holds until an instant (a deadline settles then), by it: placed
    /// again once a read comes after it.
    expiring: BTreeSet<(DateTime<Utc>, u64)>,
    /// Cases with a stopped clock: placed by every read at its own instant.
    moving: BTreeSet<u64>,
    /// The latest instant a placement holds from: a read at an earlier instant (a clock set
    /// back) cannot use the orders.
    holds_from: Option<DateTime<Utc>>,
}

/// The parts of the order of deadlines, by what a deadline's status can be while its place
/// holds (`Deadline::status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Still to be met and settled: breached once due, pending or due soon until then.
    Open,
    /// Still to be met and not fulfilled, its status waiting on a later fact (a publication it
    /// must come 7 working days before): pending until the day before it is due, then due soon,
    /// never breached.
    Planned,
    /// Fulfilled, whether on time waiting on a later fact: pending.
    Waiting,
    /// Met, met late, or no longer applicable.
    Closed,
}

impl Part {
    const ALL: [Part; 4] = [Part::Open, Part::Planned, Part::Waiting, Part::Closed];

    fn of(deadline: &Deadline, now: DateTime<Utc>, calendar: &WorkingCalendar) -> Part {
        if !is_open(deadline.status(now, calendar)) {
            Part::Closed
        } else if deadline.unsettled_until.is_none_or(|until| until <= now) {
            Part::Open
        } else if deadline.fulfilled_at.is_some_and(|at| at <= now) {
            Part::Waiting
        } else {
            Part::Planned
        }
    }

    /// The part of `range` that can hold deadlines in `status` at `now` (all of it when
    /// `None`).
    fn holding(
        self,
        status: Option<DeadlineStatus>,
        range: (Bound<DueKey>, Bound<DueKey>),
        now: DateTime<Utc>,
    ) -> (Bound<DueKey>, Bound<DueKey>) {
        use DeadlineStatus::{Breached, DueSoon, Met, MetLate, NotApplicable, Pending};
        let nothing = (Excluded(MIN_KEY), Excluded(MIN_KEY));
        let now = (now, Uuid::nil());
        let Some(status) = status else {
            return range;
        };
        match (self, status) {
            // Not yet due: pending or due soon.
            (Part::Open, Pending | DueSoon) | (Part::Planned, Pending) => at_least(range, now),
            (Part::Open, Breached) => below(range, now),
            (Part::Planned, DueSoon)
            | (Part::Waiting, Pending)
            | (Part::Closed, Met | MetLate | NotApplicable) => range,
            _ => nothing,
        }
    }
}

#[derive(Debug)]
enum Placed {
    Kept {
        next_due: NextDue,
        until: Option<DateTime<Utc>>,
        deadlines: Arc<[IdentifiedDeadline]>,
    },
    Moving,
}

/// What a read of the orders needs of the read models.
struct Place<'a> {
    cases: &'a PartnershipCases,
    partnership: &'a Partnership,
    generation: DeadlineGeneration<'a>,
    now: DateTime<Utc>,
}

impl Place<'_> {
    fn deadlines(&self, record: &CaseRecord) -> Arc<[IdentifiedDeadline]> {
        record.present_deadlines(self.partnership, self.generation)
    }
}

impl DueOrders {
    /// The case opened at log position `opening` was opened or has changed.
    pub(crate) fn changed(&mut self, opening: u64) {
        let state = self.0.get_mut().unwrap_or_else(PoisonError::into_inner);
        // Nothing to note before a read has asked for the orders.
        if state.generation.is_some() {
            state.changed.insert(opening);
        }
    }

    /// The orders, up to date for `place` and with an order of `lane` (when asked for); `None`
    /// when they hold only from after its instant.
    fn current_with(
        &self,
        place: &Place<'_>,
        lane: Option<&Lane>,
    ) -> Option<RwLockReadGuard<'_, DueState>> {
        let state = self.current(place)?;
        let Some(lane) = lane else {
            return Some(state);
        };
        // Only organisations of the partnership have lanes: a filter can name any, and a lane
        // for each would let the names asked for fill the memory. The whole order holds the
        // deadlines of the others, if any.
        let registered = lane
            .organisation()
            .is_none_or(|org| place.partnership.organisation(org).is_some());
        if state.lanes.get(lane).is_some() || !registered {
            return Some(state);
        }
        drop(state);
        self.write().add_lane(lane);
        // Kept from now on, through every change and every new generation: the orders as
        // `current` leaves them have it.
        self.current(place)
    }

    /// The orders, up to date for `place`; `None` when they hold only from after its instant.
    fn current(&self, place: &Place<'_>) -> Option<RwLockReadGuard<'_, DueState>> {
        if self.0.is_poisoned() {
            // A read panicked while placing cases, which may have left a case out of the
            // orders: they are placed again from the start.
            *self.write() = DueState::default();
            self.0.clear_poison();
        }
        let state = self.read();
        if state.is_current(place) {
            return usable(state, place.now);
        }
        drop(state);
        self.write().bring_up_to_date(place);
        // Only the fold changes the cases, and it cannot run while the read models are read:
        // any other read that came in between left the orders as current.
        usable(self.read(), place.now)
    }

    fn read(&self) -> RwLockReadGuard<'_, DueState> {
        // Poisoned only by a panic since `current` cleared it, which the next read clears.
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, DueState> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The orders, unless a placement holds only from after `now`.
fn usable(
    state: RwLockReadGuard<'_, DueState>,
    now: DateTime<Utc>,
) -> Option<RwLockReadGuard<'_, DueState>> {
    state
        .holds_from
        .is_none_or(|from| from <= now)
        .then_some(state)
}

impl DueState {
    /// Whether every placement still holds at the read's instant, under its partnership.
    fn is_current(&self, place: &Place<'_>) -> bool {
        self.generation == Some(place.generation.number())
            && self.changed.is_empty()
            && self
                .expiring
                .first()
                .is_none_or(|(until, _)| *until > place.now)
    }

    fn bring_up_to_date(&mut self, place: &Place<'_>) {
        let generation = place.generation.number();
        if self.generation.is_none() {
            // The first read: every case placed.
            self.generation = Some(generation);
            self.changed = place.cases.by_opening.keys().copied().collect();
        } else if self.generation != Some(generation) {
            // A case whose deadlines the change left as they were (the same kept `Arc`) keeps
            // its place: where a deadline stands reads its due instant and its facts, not the
            // calendar (only pending and due soon, one part, tell the calendar apart). The
            // others are placed again.
            self.generation = Some(generation);
            for &opening in place.cases.by_opening.keys() {
                let kept = match (self.placed.get(&opening), place.cases.record(opening)) {
                    (Some(Placed::Kept { deadlines, .. }), Some(record)) => {
                        Arc::ptr_eq(deadlines, &place.deadlines(record))
                    }
                    _ => false,
                };
                if !kept {
                    self.changed.insert(opening);
                }
            }
        }
        let mut again: Vec<u64> = self.changed.drain().collect();
        while let Some(&(until, opening)) = self.expiring.first()
            && until <= place.now
        {
            self.expiring.pop_first();
            again.push(opening);
        }
        for opening in again {
            self.remove(opening);
            if let Some(record) = place.cases.record(opening) {
                self.place(opening, record, place);
            }
        }
    }

    fn place(&mut self, opening: u64, record: &CaseRecord, place: &Place<'_>) {
        let deadlines = place.deadlines(record);
        let Some(holds) = case_holds(&deadlines, place.now) else {
            self.moving.insert(opening);
            self.placed.insert(opening, Placed::Moving);
            return;
        };
        let calendar = &place.partnership.calendar;
        let next_due = next_due_at(&deadlines, place.now, calendar).into();
        self.cases.insert((next_due, opening));
        for (slot, (id, d)) in deadlines.iter().enumerate() {
            let part = Part::of(d, place.now, calendar) as usize;
            let key = (d.due_at, *id);
            self.parts[part].insert(key, (opening, slot));
            self.lanes.holding(d, |lane| {
                lane[part].insert(key, (opening, slot));
            });
        }
        if let Some(until) = holds.until {
            self.expiring.insert((until, opening));
        }
        self.holds_from = self.holds_from.max(Some(holds.from));
        self.placed.insert(
            opening,
            Placed::Kept {
                next_due,
                until: holds.until,
                deadlines,
            },
        );
    }

    fn remove(&mut self, opening: u64) {
        match self.placed.remove(&opening) {
            Some(Placed::Kept {
                next_due,
                until,
                deadlines,
            }) => {
                self.cases.remove(&(next_due, opening));
                for (id, d) in deadlines.iter() {
                    let key = (d.due_at, *id);
                    let Some(part) = self.parts.iter_mut().position(|p| p.remove(&key).is_some())
                    else {
                        continue;
                    };
                    self.lanes.holding(d, |lane| {
                        lane[part].remove(&key);
                    });
                }
                if let Some(until) = until {
                    self.expiring.remove(&(until, opening));
                }
            }
            Some(Placed::Moving) => {
                self.moving.remove(&opening);
            }
            None => {}
        }
    }

    /// An order of `lane`, made from the deadlines placed in the whole order.
    fn add_lane(&mut self, lane: &Lane) {
        if self.lanes.get(lane).is_some() {
            return;
        }
        let mut parts = Parts::default();
        for (order, lane_order) in self.parts.iter().zip(&mut parts) {
            for (key, &(opening, slot)) in order {
                let Some(Placed::Kept { deadlines, .. }) = self.placed.get(&opening) else {
                    continue;
                };
                if lane.holds(&deadlines[slot].1) {
                    lane_order.insert(*key, (opening, slot));
                }
            }
        }
        self.lanes.insert(lane.clone(), parts);
    }

    /// The deadlines within `range` that may be in `status` at `place.now` (any when `None`),
    /// of `lane` (every deadline when `None`), in due order (the reverse when `descending`): the
    /// placed ones from the orders, merged with the moving cases' placed at `place.now`.
    fn deadlines<'a>(
        &'a self,
        place: &'a Place<'_>,
        range: (Bound<DueKey>, Bound<DueKey>),
        within: &DueWithin,
    ) -> impl Iterator<Item = DeadlinePlace> + 'a {
        let (status, descending) = (within.status, within.descending);
        let lane = within.lane.as_ref();
        let mut moving: Vec<(DueKey, DeadlinePlace)> = Vec::new();
        for &opening in &self.moving {
            let Some(record) = place.cases.record(opening) else {
                continue;
            };
            for (slot, (id, d)) in place.deadlines(record).iter().enumerate() {
                let key = (d.due_at_as_of(place.now), *id);
                if range.contains(&key) && lane.is_none_or(|lane| lane.holds(d)) {
                    moving.push((key, (opening, slot)));
                }
            }
        }
        moving.sort_unstable_by_key(|(key, _)| *key);
        if descending {
            moving.reverse();
        }
        let walk = |order: &'a BTreeMap<DueKey, DeadlinePlace>,
                    (lower, upper): (Bound<DueKey>, Bound<DueKey>)| {
            let walk: Box<dyn Iterator<Item = (DueKey, DeadlinePlace)>> =
                if is_empty(&lower, &upper) {
                    Box::new(std::iter::empty())
                } else if descending {
                    Box::new(order.range((lower, upper)).rev().map(|(k, v)| (*k, *v)))
                } else {
                    Box::new(order.range((lower, upper)).map(|(k, v)| (*k, *v)))
                };
            walk
        };
        // A lane is always there once asked for (`DueOrders::current_with`); were it not, the
        // whole order holds its deadlines too, and the caller checks each.
        let parts = lane
            .and_then(|lane| self.lanes.get(lane))
            .unwrap_or(&self.parts);
        let placed = Part::ALL
            .into_iter()
            .map(|part| {
                let within = part.holding(status, range, place.now);
                walk(&parts[part as usize], within)
            })
            .reduce(|walked, next| Box::new(merge(walked, next, descending)))
            .unwrap_or_else(|| Box::new(std::iter::empty()));
        merge(placed, moving.into_iter(), descending).map(|(_, place)| place)
    }

    /// The cases after `after` by next due instant at `place.now`, then opening position.
    fn cases<'a>(
        &'a self,
        place: &'a Place<'_>,
        after: Option<(NextDue, u64)>,
    ) -> impl Iterator<Item = u64> + 'a {
        let lower = after.map_or(Unbounded, Excluded);
        let mut moving: Vec<((NextDue, u64), ())> = self
            .moving
            .iter()
            .filter_map(|&opening| {
                let record = place.cases.record(opening)?;
                let deadlines = place.deadlines(record);
                let next_due = next_due_at(&deadlines, place.now, &place.partnership.calendar);
                let key = (NextDue::from(next_due), opening);
                (lower, Unbounded).contains(&key).then_some((key, ()))
            })
            .collect();
        moving.sort_unstable_by_key(|(key, _)| *key);
        let placed = self.cases.range((lower, Unbounded)).map(|key| (*key, ()));
        merge(placed, moving.into_iter(), false).map(|((_, opening), ())| opening)
    }
}

/// The least key: a range from and to it, both excluded, holds nothing.
const MIN_KEY: DueKey = (DateTime::<Utc>::MIN_UTC, Uuid::nil());

/// `range` less the keys before `key`.
fn at_least(
    (lower, upper): (Bound<DueKey>, Bound<DueKey>),
    key: DueKey,
) -> (Bound<DueKey>, Bound<DueKey>) {
    let lower = match lower {
        Included(at) | Excluded(at) if at >= key => lower,
        _ => Included(key),
    };
    (lower, upper)
}

/// `range` less the keys from `key` on.
fn below(
    (lower, upper): (Bound<DueKey>, Bound<DueKey>),
    key: DueKey,
) -> (Bound<DueKey>, Bound<DueKey>) {
    let upper = match upper {
        Included(at) if at < key => upper,
        Excluded(at) if at <= key => upper,
        _ => Excluded(key),
    };
    (lower, upper)
}

/// Two iterators, each in order (the reverse when `descending`) and with no key in common, as
/// one in that order.
fn merge<K: Ord, V>(
    a: impl Iterator<Item = (K, V)>,
    b: impl Iterator<Item = (K, V)>,
    descending: bool,
) -> impl Iterator<Item = (K, V)> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || {
        let from_a = match (a.peek(), b.peek()) {
            (Some((ka, _)), Some((kb, _))) => (ka < kb) != descending,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if from_a { a.next() } else { b.next() }
    })
}

/// Which part of the deadlines' due order to read, and which way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueWithin {
    /// Due at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Due before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Strictly after this place in the order read (the previous page's last).
    pub after: Option<DueKey>,
    /// Latest due first.
    pub descending: bool,
    /// Only deadlines in this status are wanted: the read may pass over those that cannot be
    /// in it (the caller still checks each one's status).
    pub status: Option<DeadlineStatus>,
    /// Only the deadlines of this lane are wanted, read from its own order.
    pub lane: Option<Lane>,
}

impl DueWithin {
    fn range(&self) -> (Bound<DueKey>, Bound<DueKey>) {
        // The nil id is the least: every deadline due at `from` is at or after it.
        let mut lower = self
            .from
            .map_or(Unbounded, |from| Included((from, Uuid::nil())));
        let mut upper = self.to.map_or(Unbounded, |to| Excluded((to, Uuid::nil())));
        if let Some(after) = self.after {
            if self.descending {
                upper = past_cursor(upper, after, Ordering::Less);
            } else {
                lower = past_cursor(lower, after, Ordering::Greater);
            }
        }
        (lower, upper)
    }
}

impl ReadModels {
    /// The partnership's deadlines in due order (their due instant as seen at `now`, then
    /// id), or the reverse, `within` a part of it, each as its case and its place
    /// among the case's present deadlines ([`CaseRecord::present_deadlines`]), given to
    /// `read`. `None` when the orders cannot answer at `now` (a clock set back before an
    /// instant they rely on): the caller then evaluates every case.
    pub fn with_deadlines_by_due<T>(
        &self,
        slug: &PartnershipSlug,
        now: DateTime<Utc>,
        within: DueWithin,
        read: impl FnOnce(&mut dyn Iterator<Item = (&CaseRecord, usize)>) -> T,
    ) -> Option<T> {
        let Some(place) = self.place(slug, now) else {
            return Some(read(&mut std::iter::empty()));
        };
        let state = place.cases.due.current_with(&place, within.lane.as_ref())?;
        let mut deadlines = state
            .deadlines(&place, within.range(), &within)
            .filter_map(|(opening, slot)| Some((place.cases.record(opening)?, slot)));
        Some(read(&mut deadlines))
    }

    /// The partnership's cases by next due instant at `now` (cases with nothing left to meet
    /// last), then opening position, strictly after the place `after`, given to `read`.
    /// `None` as for [`ReadModels::with_deadlines_by_due`].
    pub fn with_cases_by_next_due<T>(
        &self,
        slug: &PartnershipSlug,
        now: DateTime<Utc>,
        after: Option<(NextDue, u64)>,
        read: impl FnOnce(&mut dyn Iterator<Item = &CaseRecord>) -> T,
    ) -> Option<T> {
        let Some(place) = self.place(slug, now) else {
            return Some(read(&mut std::iter::empty()));
        };
        let state = place.cases.due.current(&place)?;
        let mut cases = state
            .cases(&place, after)
            .filter_map(|opening| place.cases.record(opening));
        Some(read(&mut cases))
    }

    fn place(&self, slug: &PartnershipSlug, now: DateTime<Utc>) -> Option<Place<'_>> {
        Some(Place {
            cases: self.cases.get(slug)?,
            partnership: self.partnership(slug)?,
            generation: self.deadline_generation(slug),
            now,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::deadline::DeadlineKind;

    fn at(day: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2024, 1, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap()
            .and_utc()
    }

    #[test]
    fn merged_in_order_either_way() {
        let a = [(1, 'a'), (4, 'a'), (5, 'a')];
        let b = [(2, 'b'), (3, 'b'), (6, 'b')];
        let up: Vec<_> = merge(a.into_iter(), b.into_iter(), false).collect();
        assert_eq!(
            up,
            [(1, 'a'), (2, 'b'), (3, 'b'), (4, 'a'), (5, 'a'), (6, 'b')]
        );
        let down: Vec<_> = merge(a.into_iter().rev(), b.into_iter().rev(), true)
            .map(|(k, _)| k)
            .collect();
        assert_eq!(down, [6, 5, 4, 3, 2, 1]);
        let one_side: Vec<_> = merge(std::iter::empty(), b.into_iter(), false).collect();
        assert_eq!(one_side, b);
    }

    #[test]
    fn a_deadline_holds_between_the_facts_it_changes_at() {
        let mut deadline = Deadline::new(DeadlineKind::RrMeeting, None, at(20), None);
        assert_eq!(holds(&deadline, at(1)), Some(Holds::ALWAYS));
        deadline.fulfilled_at = Some(at(3));
        deadline.superseded_at = Some(at(9));
        deadline.unsettled_until = Some(at(5));
        let between = |from, until: Option<u32>| {
            Some(Holds {
                from: at(from),
                until: until.map(at),
            })
        };
        assert_eq!(holds(&deadline, at(9)), between(9, None));
        assert_eq!(holds(&deadline, at(10)), between(9, None));
        // Each change counts from its own instant on.
        assert_eq!(holds(&deadline, at(5)), between(5, Some(9)));
        assert_eq!(holds(&deadline, at(4)), between(3, Some(5)));
        let before = holds(&deadline, at(2)).unwrap();
        assert_eq!(
            (before.from, before.until),
            (DateTime::<Utc>::MIN_UTC, Some(at(3)))
        );
        let other = Deadline::new(DeadlineKind::RrMeeting, None, at(25), Some(at(7)));
        let both = [(Uuid::nil(), deadline.clone()), (Uuid::max(), other)];
        assert_eq!(case_holds(&both, at(6)), between(5, Some(7)));
        assert_eq!(case_holds(&both, at(8)), between(7, Some(9)));
        assert_eq!(case_holds(&[], at(8)), Some(Holds::ALWAYS));
        // A stopped clock moves the due instant with time: it never holds while it stands.
        deadline.paused_since = Some(at(2));
        assert_eq!(holds(&deadline, at(8)), None);
        let paused = [(Uuid::nil(), deadline), both[1].clone()];
        assert_eq!(case_holds(&paused, at(8)), None);
    }

    #[test]
    fn a_range_narrowed_to_or_from_a_key_keeps_the_narrower_bound() {
        let key = |day| (at(day), Uuid::nil());
        let everything = (Unbounded, Unbounded);
        assert_eq!(at_least(everything, key(5)), (Included(key(5)), Unbounded));
        assert_eq!(below(everything, key(5)), (Unbounded, Excluded(key(5))));
        // The key itself is due at the instant: pending or due soon, never breached.
        let due_then = key(5);
        let (lower, upper) = at_least(everything, key(5));
        assert!((lower, upper).contains(&due_then));
        assert!(!below(everything, key(5)).contains(&due_then));
        // A bound already narrower stays; a wider one gives way.
        let between = (Included(key(3)), Excluded(key(8)));
        assert_eq!(
            at_least(between, key(5)),
            (Included(key(5)), Excluded(key(8)))
        );
        assert_eq!(at_least(between, key(2)), between);
        assert_eq!(below(between, key(5)), (Included(key(3)), Excluded(key(5))));
        assert_eq!(below(between, key(9)), between);
        let cursors = (Excluded(key(6)), Included(key(4)));
        assert_eq!(at_least(cursors, key(6)), cursors);
        assert_eq!(below(cursors, key(5)), cursors);
        assert_eq!(below(cursors, key(4)), (Excluded(key(6)), Excluded(key(4))));
        assert_eq!(
            below((Unbounded, Excluded(key(4))), key(4)),
            (Unbounded, Excluded(key(4)))
        );
    }

    #[test]
    fn a_deadline_falls_in_the_part_its_status_can_be_in() {
        let calendar = WorkingCalendar::england_and_wales();
        let now = at(10);
        let due = |day| Deadline::new(DeadlineKind::RrMeeting, None, at(day), None);
        assert_eq!(Part::of(&due(20), now, &calendar), Part::Open);
        assert_eq!(Part::of(&due(3), now, &calendar), Part::Open);
        let mut met = due(20);
        met.fulfilled_at = Some(at(4));
        assert_eq!(Part::of(&met, now, &calendar), Part::Closed);
        let mut waiting = met.clone();
        waiting.unsettled_until = Some(at(12));
        assert_eq!(Part::of(&waiting, now, &calendar), Part::Waiting);
        waiting.unsettled_until = Some(now);
        assert_eq!(Part::of(&waiting, now, &calendar), Part::Closed);
        let mut planned = due(3);
        planned.unsettled_until = Some(DateTime::<Utc>::MAX_UTC);
        assert_eq!(Part::of(&planned, now, &calendar), Part::Planned);
        // Fulfilled only later than the instant asked about: not yet fulfilled then.
        planned.fulfilled_at = Some(at(11));
        assert_eq!(Part::of(&planned, now, &calendar), Part::Planned);
    }

    #[test]
    fn a_status_is_looked_for_only_where_it_can_be() {
        use DeadlineStatus::{Breached, DueSoon, Met, MetLate, NotApplicable, Pending};
        let now = at(10);
        let key = (now, Uuid::nil());
        let all = (Unbounded, Unbounded);
        let from_now = (Included(key), Unbounded);
        let before_now = (Unbounded, Excluded(key));
        let nothing = (Excluded(MIN_KEY), Excluded(MIN_KEY));
        let expected = [
            (
                Part::Open,
                [from_now, from_now, nothing, nothing, before_now, nothing],
            ),
            (
                Part::Planned,
                [from_now, all, nothing, nothing, nothing, nothing],
            ),
            (
                Part::Waiting,
                [all, nothing, nothing, nothing, nothing, nothing],
            ),
            (Part::Closed, [nothing, nothing, all, all, nothing, all]),
        ];
        let statuses = [Pending, DueSoon, Met, MetLate, Breached, NotApplicable];
        for (part, ranges) in expected {
            assert_eq!(part.holding(None, all, now), all);
            for (status, range) in statuses.into_iter().zip(ranges) {
                assert_eq!(
                    part.holding(Some(status), all, now),
                    range,
                    "{part:?} {status:?}"
                );
            }
        }
        assert!(is_empty(&nothing.0, &nothing.1));
    }

    #[test]
    fn a_lane_holds_the_deadlines_its_filter_names() {
        use DeadlineKind::{RrAgencyReport, RrMeeting};
        let org = |slug| OrgSlug::parse(slug).unwrap();
        let report = Deadline::new(RrAgencyReport, Some(org("police")), at(5), None);
        let (police, health) = (org("police"), org("health"));
        assert_eq!(Lane::of(None, None), None);
        let holds = |organisation: Option<&OrgSlug>, kind, deadline: &Deadline| {
            Lane::of(organisation, kind).unwrap().holds(deadline)
        };
        assert!(holds(Some(&police), None, &report));
        assert!(holds(None, Some(RrAgencyReport), &report));
        assert!(holds(Some(&police), Some(RrAgencyReport), &report));
        assert!(!holds(Some(&health), None, &report));
        assert!(!holds(None, Some(RrMeeting), &report));
        assert!(!holds(Some(&health), Some(RrAgencyReport), &report));
        assert!(!holds(Some(&police), Some(RrMeeting), &report));
        // A deadline no organisation must meet is in no organisation's lane.
        let meeting = Deadline::new(RrMeeting, None, at(5), None);
        assert!(!holds(Some(&police), None, &meeting));
        assert!(!holds(Some(&police), Some(RrMeeting), &meeting));
        assert!(holds(None, Some(RrMeeting), &meeting));
    }

    /// The first `events` of a seeded partnership's log folded, and the instant it starts at.
    fn folded(seed: u64, events: usize) -> (ReadModels, DateTime<Utc>) {
        let workload = casetrail_seed::Workload {
            partnerships: 1,
            cases: 2_000,
            open_cases: 40,
            seed,
        };
        let start: DateTime<Utc> = "2023-01-02T09:00:00Z".parse().unwrap();
        let mut models = ReadModels::default();
        for event in workload.recorded(start).take(events) {
            models.apply(&event).unwrap();
        }
        (models, start)
    }

    /// A lane is read from its own order once asked for, and holds what the whole order holds
    /// of it; an organisation the partnership does not have gets none (the whole order is read).
    #[test]
    fn only_the_partnerships_organisations_have_lanes() {
        use casetrail_seed::life_cycle::partnership_slug;
        let (models, start) = folded(5, 4_000);
        let slug = partnership_slug(0);
        let later = start + chrono::Duration::days(3_000);
        let read = |lane: Option<Lane>| {
            let within = DueWithin {
                lane,
                ..DueWithin::default()
            };
            models
                .with_deadlines_by_due(&slug, later, within, |deadlines| {
                    deadlines
                        .map(|(record, slot)| {
                            let partnership = models.partnership(&slug).unwrap();
                            let generation = models.deadline_generation(&slug);
                            record.present_deadlines(partnership, generation)[slot]
                                .1
                                .clone()
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap()
        };
        let all = read(None);
        let police = Lane::of(Some(&OrgSlug::parse("police").unwrap()), None).unwrap();
        let of_police: Vec<_> = all.iter().filter(|d| police.holds(d)).cloned().collect();
        assert!(!of_police.is_empty() && of_police.len() < all.len());
        assert_eq!(read(Some(police.clone())), of_police);
        let nowhere = Lane::of(Some(&OrgSlug::parse("nowhere").unwrap()), None).unwrap();
        assert_eq!(read(Some(nowhere.clone())), all);
        let state = models.cases.get(&slug).unwrap().due.read();
        assert!(state.lanes.get(&police).is_some());
        assert!(state.lanes.get(&nowhere).is_none());
    }

    #[test]
    fn nothing_left_to_meet_comes_after_every_instant() {
        assert!(NextDue::At(DateTime::<Utc>::MAX_UTC) < NextDue::Never);
        assert_eq!(NextDue::from(Some(at(2))).instant(), Some(at(2)));
        assert_eq!(NextDue::from(None), NextDue::Never);
        assert_eq!(NextDue::Never.instant(), None);
    }

    /// A read at an instant before a fact the orders placed a case after (a clock set back)
    /// is left to the caller; the orders answer again at a later instant.
    #[test]
    fn a_read_before_an_instant_the_orders_rely_on_is_left_to_the_caller() {
        use casetrail_seed::life_cycle::partnership_slug;
        let (models, start) = folded(3, 3_000);
        let slug = partnership_slug(0);
        let later = start + chrono::Duration::days(3_000);
        let count = |models: &ReadModels, now| {
            models.with_cases_by_next_due(&slug, now, None, |cases| cases.count())
        };
        let all = models.case_count(&slug);
        assert_eq!(count(&models, later), Some(all));
        let deadlines = models
            .with_deadlines_by_due(&slug, later, DueWithin::default(), |d| d.count())
            .unwrap();
        assert!(deadlines > all, "{deadlines} deadlines of {all} cases");
        // Before any case was opened: before every fact a deadline was met by.
        let before = models.cases(&slug).map(|r| r.case.opened_at).min().unwrap()
            - chrono::Duration::days(1);
        assert_eq!(count(&models, before), None);
        assert_eq!(
            models.with_deadlines_by_due(&slug, before, DueWithin::default(), |d| d.count()),
            None
        );
        assert_eq!(count(&models, later), Some(all));
        // A partnership without cases has none in either order.
        let none = PartnershipSlug::parse("nowhere").unwrap();
        assert_eq!(
            models.with_cases_by_next_due(&none, later, None, |c| c.count()),
            Some(0)
        );
    }
}
