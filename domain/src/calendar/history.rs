//! The partnership's calendar history: every holiday an admin declared, withdrew or moved, in
//! the order recorded, and how it reaches a case's deadlines.
//!
//! A change applies only to the deadlines still pending at the instant it was recorded: a
//! deadline met, met late or breached by then is a fact about the past and keeps the due
//! instant it had (domain.md "Working days and deadlines"). A correction fixes the calendar
//! itself, so it applies to every deadline. Each deadline therefore runs under its own
//! calendar: the computed bank holidays plus the changes that reached it, in order.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{WorkingCalendar, local_date};
use crate::case::Case;
use crate::deadline::{Deadline, WorkingDayCount};
use crate::partnership::DeadlineBasis;

/// What a declaration did to the working calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarChange {
    /// A day became a holiday.
    Declared(NaiveDate),
    /// A holiday became a working day again.
    Withdrawn(NaiveDate),
    /// A holiday moved to another day (as the early May holiday did in 2020).
    Moved {
        /// The day it was.
        from: NaiveDate,
        /// The day it is now.
        to: NaiveDate,
    },
}

impl CalendarChange {
    /// The days whose status it changes.
    fn days(self) -> [NaiveDate; 2] {
        match self {
            CalendarChange::Declared(day) | CalendarChange::Withdrawn(day) => [day, day],
            CalendarChange::Moved { from, to } => [from, to],
        }
    }

    /// The calendar with this change made.
    #[must_use]
    pub fn apply(self, calendar: WorkingCalendar) -> WorkingCalendar {
        match self {
            CalendarChange::Declared(day) => calendar.with_extra_holidays([day]),
            CalendarChange::Withdrawn(day) => calendar.without_holidays([day]),
            CalendarChange::Moved { from, to } => {
                calendar.without_holidays([from]).with_extra_holidays([to])
            }
        }
    }
}

/// Why a change is a correction of the calendar rather than a new proclamation: it applies to
/// every deadline, settled or not, and the reason is kept for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Why the calendar was wrong (e.g. "the 2031 early May holiday was moved by proclamation").
    pub reason: String,
}

/// One change of the partnership's calendar, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// When it was recorded: deadlines settled by then keep their due instant.
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: CalendarChange,
    /// Present when the change corrects the calendar for every deadline.
    pub correction: Option<Correction>,
}

/// Whether `change` can move the deadline at all: only a deadline counted in working days,
/// and only through a day no later than the last day its count can look at (its due day, or
/// for a count back from publication, the publication up to a fortnight and a half later:
/// 7 working days plus weekends and the longest run of holidays).
pub(crate) fn can_move(change: CalendarChange, deadline: &Deadline) -> bool {
    let due = local_date(deadline.due_at);
    let last_counted = match deadline.kind.working_day_count() {
        WorkingDayCount::None => return false,
        WorkingDayCount::Forward => due,
        WorkingDayCount::Backward => due
            .checked_add_days(chrono::Days::new(BACKWARD_REACH_DAYS))
            .unwrap_or(NaiveDate::MAX),
    };
    change.days().iter().any(|day| *day <= last_counted)
}

/// Whether recording `entry` leaves every one of `deadlines` as it was: they are a case's
/// deadlines computed under the history before it ([`deadlines`]), and the entry reaches
/// none of them. Exactly the test [`deadlines`] makes of the last entry of a history, so
/// deadlines it leaves need not be computed again (BENCHMARKS.md, issue 15, goal 2); it leaves
/// out only the window of days the case's counts look at, which can spare a computation but
/// never changes one.
pub fn leaves<'d>(
    entry: &CalendarEntry,
    deadlines: impl IntoIterator<Item = &'d Deadline>,
) -> bool {
    !deadlines.into_iter().any(|deadline| {
        can_move(entry.change, deadline)
            && (entry.correction.is_some() || still_pending(deadline, entry.at))
    })
}

/// Calendar days from a deadline counted back from publication to that publication, at most.
const BACKWARD_REACH_DAYS: u64 = 18;

/// Whether a change recorded at `at` reaches the deadline: it was neither fulfilled nor past
/// due then. A fulfilment counts from when it occurred, since that is when the deadline was
/// met, whenever it was recorded.
fn still_pending(deadline: &Deadline, at: DateTime<Utc>) -> bool {
    // Superseded by then (the case closed, a decision withdrawn): settled as not applicable.
    let superseded = deadline.superseded_at.is_some_and(|since| since <= at);
    deadline.fulfilled_at.is_none_or(|fulfilled| fulfilled > at)
        && at <= deadline.due_at
        && !superseded
}

/// The days a case's working-day counts can look at: every count in `Case::deadlines_with`
/// runs from one of the case's anchors (becoming aware, day 0 of the rapid review, the
/// decision, the opening) up to a due date, or back from one due date to another (the report
/// to the Panel before publication). A change outside these days cannot move any deadline of
/// the case, so it is skipped without recomputing.
fn window(
    case: &Case,
    basis: &DeadlineBasis<'_>,
    deadlines: &[Deadline],
) -> Option<(NaiveDate, NaiveDate)> {
    let dues = deadlines
        .iter()
        .flat_map(|d| [Some(d.due_at), d.original_due_at])
        .flatten()
        .map(local_date);
    let anchors = [
        case.notification().map(|n| n.became_aware_on),
        case.rapid_review_day0(basis.settings),
        case.decided_at().map(local_date),
        Some(local_date(case.opened_at)),
    ]
    .into_iter()
    .flatten();
    let first = anchors.chain(dues.clone()).min()?;
    let last = dues.max()?;
    Some((first, last))
}

/// Every deadline of `case`, each computed with the calendar it is owed under.
///
/// Without declarations (the common case) this is one computation with the computed bank
/// holidays. With them, a deadline list is computed once per distinct calendar the deadlines
/// went through, which is at most one per deadline and declaration, and usually one or two.
#[must_use]
pub fn deadlines(case: &Case, basis: &DeadlineBasis<'_>) -> Vec<Deadline> {
    let history = basis.calendar_history;
    if history.is_empty() {
        return case.deadlines_with(basis, basis.calendar);
    }
    let shipped = WorkingCalendar::england_and_wales();
    let base = case.deadlines_with(basis, &shipped);
    let Some((first, last)) = window(case, basis, &base) else {
        return base;
    };
    // Each variant is a calendar and the deadlines computed with it; `under[i]` is the variant
    // deadline `i` of the base list currently runs under. A calendar moves due instants but
    // never adds, drops or reorders deadlines, so the same position is the same deadline in
    // every variant.
    let count = base.len();
    let mut variants = vec![(shipped, base)];
    let mut under = vec![0usize; count];
    let relevant = history.iter().filter(|entry| {
        entry
            .change
            .days()
            .iter()
            .any(|day| (first..=last).contains(day))
    });
    for entry in relevant {
        let mut moved_to: HashMap<usize, usize> = HashMap::new();
        for (position, runs_under) in under.iter_mut().enumerate() {
            let variant = *runs_under;
            // A correction fixes the calendar for every deadline; a proclamation reaches the
            // deadlines it can move that were still pending when it was recorded. One that can
            // move none of them costs no recomputation.
            let deadline = &variants[variant].1[position];
            let reaches = can_move(entry.change, deadline)
                && (entry.correction.is_some() || still_pending(deadline, entry.at));
            if !reaches {
                continue;
            }
            let next = *moved_to.entry(variant).or_insert_with(|| {
                let calendar = entry.change.apply(variants[variant].0.clone());
                let computed = case.deadlines_with(basis, &calendar);
                variants.push((calendar, computed));
                variants.len() - 1
            });
            *runs_under = next;
        }
    }
    under
        .iter()
        .enumerate()
        .map(|(position, variant)| variants[*variant].1[position].clone())
        .collect()
}
