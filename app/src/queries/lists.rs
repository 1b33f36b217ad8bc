//! The case list and the deadline list: the cases the actor may see, or their deadlines, as
//! they stood now or at `as_of`, filtered, in a fixed order, one page at a time.

use super::case_pages::{present_page, sorted_page};
use super::deadlines::{case_deadlines, has_overdue_deadlines};
use super::snapshot::Snapshot;
use super::{Queries, as_of, past_pages};
use crate::error::AppError;
use casetrail_domain::case::{CaseKind, Stage};
use casetrail_domain::{Actor, CaseId, OrgSlug};
use casetrail_projections::history::{Past, Stale};
use casetrail_projections::{CaseRecord, ChangedAfter, ReadModels};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// Which cases of the list are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilters {
    /// At most this many cases.
    pub limit: usize,
    /// The order of the list.
    pub sort: CaseSort,
    /// Only cases after this place in the order (the previous page's last case's).
    pub after: Option<CasePlace>,
    /// Only cases of this review process.
    pub kind: Option<CaseKind>,
    /// Only cases at this stage.
    pub stage: Option<Stage>,
    /// Only cases this organisation is involved in.
    pub organisation: Option<OrgSlug>,
    /// Only cases with (`true`) or without (`false`) a breached deadline.
    pub has_overdue_deadlines: Option<bool>,
    /// Only cases opened at or after this instant.
    pub opened_from: Option<DateTime<Utc>>,
    /// Only cases opened before this instant.
    pub opened_to: Option<DateTime<Utc>>,
    /// Only cases with a fact recorded after this log position or instant.
    pub changed_since: Option<ChangedSince>,
    /// Only the case(s) of the child, adult or victim with this pseudonymous reference
    /// (exactly as recorded).
    pub reference: Option<String>,
    /// The list as it stood at this instant; now when absent.
    pub as_of: Option<DateTime<Utc>>,
}

impl CaseFilters {
    /// The first page of `limit` cases of every case, in the log's order, now.
    pub fn first_page(limit: usize) -> Self {
        Self {
            limit,
            sort: CaseSort::Recorded,
            after: None,
            kind: None,
            stage: None,
            organisation: None,
            has_overdue_deadlines: None,
            opened_from: None,
            opened_to: None,
            changed_since: None,
            reference: None,
            as_of: None,
        }
    }
}

/// The orders of the case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSort {
    /// The order the cases were recorded in the log (the list's order before it could be
    /// sorted, kept as the default so that earlier cursors still read).
    #[default]
    Recorded,
    /// Opened earliest first (`opened_at` may be backdated, so this is not the log's order).
    OpenedAt,
    /// Opened latest first.
    OpenedAtDescending,
    /// The soonest next due deadline first (`next_due_at`); cases with no open deadline last.
    NextDueAt,
}

/// A case's place in a sorted list: its sort instant (none in the log's order, and for a case
/// with no open deadline by `next_due_at`) and its opening log position, which breaks ties, so
/// that every case has one place and a page ends at an exact one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CasePlace {
    /// The instant the list is sorted by, if any.
    pub instant: Option<DateTime<Utc>>,
    /// The case's opening log position.
    pub position: u64,
}

impl CaseSort {
    /// How two places compare in this order.
    pub fn compare(self, a: &CasePlace, b: &CasePlace) -> Ordering {
        let by_position = a.position.cmp(&b.position);
        match self {
            CaseSort::Recorded => by_position,
            CaseSort::OpenedAt => a.instant.cmp(&b.instant).then(by_position),
            CaseSort::OpenedAtDescending => b.instant.cmp(&a.instant).then(by_position.reverse()),
            // `None` (nothing left to meet) after every instant.
            CaseSort::NextDueAt => match (a.instant, b.instant) {
                (Some(a), Some(b)) => a.cmp(&b),
                (a, b) => a.is_none().cmp(&b.is_none()),
            }
            .then(by_position),
        }
    }
}

/// What a client last saw, to ask only for what changed after it: a log position (a command's
/// answer's `position`, or the greatest `updated_position` of a page) or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedSince {
    /// After this log position.
    Position(u64),
    /// Recorded after this instant.
    Instant(DateTime<Utc>),
}

impl From<ChangedSince> for ChangedAfter {
    fn from(since: ChangedSince) -> Self {
        match since {
            ChangedSince::Position(position) => ChangedAfter::Position(position),
            ChangedSince::Instant(at) => ChangedAfter::Instant(at),
        }
    }
}

impl ChangedSince {
    pub(super) fn admits(self, record: &CaseRecord) -> bool {
        match self {
            ChangedSince::Position(position) => record.updated_position() > position,
            ChangedSince::Instant(at) => record.updated_at > at,
        }
    }
}

/// A case as the list shows it: nothing that identifies anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCase {
    /// The case.
    pub case_id: CaseId,
    /// Its review process.
    pub kind: CaseKind,
    /// Its stage then.
    pub stage: Stage,
    /// Its stream's version then.
    pub version: u64,
    /// Its pseudonymous reference.
    pub reference: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Whether any of its deadlines was breached then.
    pub has_overdue_deadlines: bool,
    /// When its last fact was recorded.
    pub updated_at: DateTime<Utc>,
    /// The log position of its last fact.
    pub updated_position: u64,
    /// The log position of its first fact (where it stands in the log's order).
    pub opened_position: u64,
    /// When its soonest open deadline (pending, due soon or breached) falls due then.
    pub next_due_at: Option<DateTime<Utc>>,
}

/// One page of the case list, in the order asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    /// The cases.
    pub cases: Vec<ListedCase>,
    /// Where the next page starts (after this place); `None` on the last.
    pub next_after: Option<CasePlace>,
}

impl Queries {
    /// A page of the cases the actor could see now or at `as_of`, in the order asked for.
    /// Empty for a partnership that did not exist then.
    pub async fn cases(&self, actor: &Actor, filters: &CaseFilters) -> Result<CasePage, AppError> {
        let now = self.now();
        if let Some(at) = filters.as_of
            && past_pages::in_fixed_order(filters)
        {
            let _turn = as_of::enter(&self.as_of_limit, actor, at)?;
            return past_pages::past_case_page(&self.projector, actor, filters, at).await;
        }
        self.answer(actor, None, filters.as_of, |models, past| match past {
            None => Ok(case_page(models, actor, filters, now)),
            Some(past) => cases_from_snapshot(models, actor, filters, Some(past), now),
        })
        .await
    }
}

/// A page of the case list as it stands at `now`, from the read models' orders of the cases
/// (a page costs about the page: `case_pages.rs`).
pub fn case_page(
    models: &ReadModels,
    actor: &Actor,
    filters: &CaseFilters,
    now: DateTime<Utc>,
) -> CasePage {
    match present_page(models, actor, filters, now) {
        Some(page) => page,
        // A present snapshot is never stale: nothing is read back from the store.
        None => cases_from_snapshot(models, actor, filters, None, now).unwrap_or(CasePage {
            cases: vec![],
            next_after: None,
        }),
    }
}

/// The page from a snapshot of every case the actor could see at `past`'s instant, or now:
/// what time travel answers, and what the present's page must equal (its cost grows with the
/// partnership: the list benchmark compares the two).
pub fn cases_from_snapshot(
    models: &ReadModels,
    actor: &Actor,
    filters: &CaseFilters,
    past: Option<&Past>,
    now: DateTime<Utc>,
) -> Result<CasePage, Stale> {
    let Some(snapshot) = super::snapshot::snapshot(models, actor, None, past, now)? else {
        return Ok(CasePage {
            cases: vec![],
            next_after: None,
        });
    };
    let wanted = snapshot
        .cases
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| case_matches(filters, &snapshot, r));
    Ok(sorted_page(wanted, filters, &snapshot))
}

pub(super) fn case_matches(
    filters: &CaseFilters,
    snapshot: &Snapshot<'_>,
    record: &CaseRecord,
) -> bool {
    let case = &record.case;
    filters.kind.is_none_or(|k| case.kind == k)
        && filters.stage.is_none_or(|s| case.stage == s)
        && filters
            .organisation
            .as_ref()
            .is_none_or(|o| case.involved.contains(o))
        && filters
            .opened_from
            .is_none_or(|from| case.opened_at >= from)
        && filters.opened_to.is_none_or(|to| case.opened_at < to)
        && filters
            .changed_since
            .is_none_or(|since| since.admits(record))
        && filters
            .reference
            .as_deref()
            .is_none_or(|reference| case.reference() == reference)
        && filters.has_overdue_deadlines.is_none_or(|wanted| {
            has_overdue_deadlines(
                record,
                &snapshot.partnership,
                snapshot.generation,
                snapshot.at,
            ) == wanted
        })
}

/// A case's place in the order: only the sort by next due instant evaluates its deadlines.
pub(super) fn place(sort: CaseSort, record: &CaseRecord, snapshot: &Snapshot<'_>) -> CasePlace {
    CasePlace {
        instant: match sort {
            CaseSort::Recorded => None,
            CaseSort::OpenedAt | CaseSort::OpenedAtDescending => Some(record.case.opened_at),
            CaseSort::NextDueAt => next_due_at(record, snapshot),
        },
        position: record.opened_position,
    }
}

/// When the case's soonest deadline still to be met (pending, due soon or breached) falls due.
fn next_due_at(record: &CaseRecord, snapshot: &Snapshot<'_>) -> Option<DateTime<Utc>> {
    let deadlines = case_deadlines(record, &snapshot.partnership, snapshot.generation);
    casetrail_projections::next_due_at(&deadlines, snapshot.at, &snapshot.partnership.calendar)
}

pub(super) fn listed(record: &CaseRecord, snapshot: &Snapshot<'_>) -> ListedCase {
    let case = &record.case;
    let (has_overdue_deadlines, next_due_at) = due_summary(record, snapshot);
    ListedCase {
        case_id: case.case_id,
        kind: case.kind,
        stage: case.stage,
        version: record.version,
        reference: case.reference().to_owned(),
        opened_at: case.opened_at,
        has_overdue_deadlines,
        updated_at: record.updated_at,
        updated_position: record.updated_position(),
        opened_position: record.opened_position,
        next_due_at,
    }
}

/// Whether any of the case's deadlines is breached at the snapshot's instant, and when the
/// soonest still to be met falls due then.
fn due_summary(record: &CaseRecord, snapshot: &Snapshot<'_>) -> (bool, Option<DateTime<Utc>>) {
    let deadlines = case_deadlines(record, &snapshot.partnership, snapshot.generation);
    casetrail_projections::due_summary(&deadlines, snapshot.at, &snapshot.partnership.calendar)
}

/// The first `limit` items, and where the next page starts (after the last one given) when
/// more follow.
pub(super) fn page_of<T, K>(
    mut items: impl Iterator<Item = T>,
    limit: usize,
    place: impl Fn(&T) -> K,
) -> (Vec<T>, Option<K>) {
    let page: Vec<T> = items.by_ref().take(limit).collect();
    let next = items.next().and(page.last()).map(place);
    (page, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(position: u64, day: Option<u32>) -> CasePlace {
        CasePlace {
            instant: day.and_then(|d| {
                chrono::NaiveDate::from_ymd_opt(2023, 1, d)
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|t| t.and_utc())
            }),
            position,
        }
    }

    fn sorted(sort: CaseSort, mut places: Vec<CasePlace>) -> Vec<u64> {
        places.sort_by(|a, b| sort.compare(a, b));
        places.into_iter().map(|p| p.position).collect()
    }

    #[test]
    fn each_order_places_every_case_once_ties_by_recording() {
        let places = vec![at(1, Some(5)), at(2, None), at(3, Some(3)), at(4, Some(5))];
        assert_eq!(sorted(CaseSort::Recorded, places.clone()), [1, 2, 3, 4]);
        // By instant, ties by position; no instant (nothing left to meet) last.
        assert_eq!(sorted(CaseSort::NextDueAt, places.clone()), [3, 1, 4, 2]);
        let opened = vec![at(1, Some(5)), at(3, Some(3)), at(4, Some(5))];
        assert_eq!(sorted(CaseSort::OpenedAt, opened.clone()), [3, 1, 4]);
        // Latest first is the exact reverse, so a page boundary is the same place both ways.
        assert_eq!(sorted(CaseSort::OpenedAtDescending, opened), [4, 1, 3]);
    }
}
