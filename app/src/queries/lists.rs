//! The case list and the deadline list: the cases the actor may see, or their deadlines, as
//! they stood now or at `as_of`, filtered, in a fixed order, one page at a time.

use super::Queries;
use super::deadlines::{DeadlineAt, deadlines_at, has_overdue_deadlines};
use super::snapshot::Snapshot;
use crate::error::AppError;
use casetrail_domain::case::{CaseKind, Stage};
use casetrail_domain::deadline::DeadlineStatus;
use casetrail_domain::{Actor, CaseId, OrgSlug};
use casetrail_projections::CaseRecord;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Which cases of the list are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilters {
    /// At most this many cases.
    pub limit: usize,
    /// Only cases opened after this log position (the previous page's last case's).
    pub after: Option<u64>,
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

/// What a client last saw, to ask only for what changed after it: a log position (a command's
/// answer's `position`, or the greatest `updated_position` of a page) or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedSince {
    /// After this log position.
    Position(u64),
    /// Recorded after this instant.
    Instant(DateTime<Utc>),
}

impl ChangedSince {
    fn admits(self, record: &CaseRecord) -> bool {
        match self {
            ChangedSince::Position(position) => updated_position(record) > position,
            ChangedSince::Instant(at) => record.updated_at > at,
        }
    }
}

/// The log position of the case's last recorded fact (then, for a record as it was).
fn updated_position(record: &CaseRecord) -> u64 {
    record
        .marks
        .last()
        .map_or(record.opened_position, |mark| mark.position)
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
}

/// One page of the case list, in the order the cases were opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    /// The cases.
    pub cases: Vec<ListedCase>,
    /// Where the next page starts (after this opening position); `None` on the last.
    pub next_after: Option<u64>,
}

/// Which deadlines of the list are asked for, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineFilters {
    /// At most this many deadlines.
    pub limit: usize,
    /// Only deadlines after this place in the list: the due instant and id of the previous
    /// page's last deadline.
    pub after: Option<(DateTime<Utc>, Uuid)>,
    /// Only deadlines with this status then.
    pub status: Option<DeadlineStatus>,
    /// Only deadlines of the kind with this code (`DeadlineKind::as_str`). A code that names no
    /// kind matches nothing: the list has always answered so rather than refused it.
    pub kind: Option<String>,
    /// Only deadlines of this case.
    pub case_id: Option<CaseId>,
    /// Only deadlines this organisation must meet.
    pub organisation: Option<OrgSlug>,
    /// Only deadlines due at or after this instant.
    pub due_from: Option<DateTime<Utc>>,
    /// Only deadlines due before this instant.
    pub due_to: Option<DateTime<Utc>>,
    /// The deadlines evaluated at this instant, from the facts recorded by then; now when
    /// absent.
    pub as_of: Option<DateTime<Utc>>,
}

impl DeadlineFilters {
    fn matches(&self, d: &DeadlineAt) -> bool {
        self.after.is_none_or(|a| d.order() > a)
            && self.status.is_none_or(|s| s == d.status)
            && self.kind.as_deref().is_none_or(|k| d.kind.as_str() == k)
            && self.case_id.is_none_or(|c| d.case_id == c)
            && self
                .organisation
                .as_ref()
                .is_none_or(|o| d.organisation.as_ref() == Some(o))
            && self.due_from.is_none_or(|from| d.due_at >= from)
            && self.due_to.is_none_or(|to| d.due_at < to)
    }
}

/// One page of the deadline list, soonest due first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlinePage {
    /// The deadlines.
    pub deadlines: Vec<DeadlineAt>,
    /// Where the next page starts (after this due instant and id); `None` on the last.
    pub next_after: Option<(DateTime<Utc>, Uuid)>,
}

impl Queries {
    /// A page of the cases the actor could see now or at `as_of`, oldest first. Empty for a
    /// partnership that did not exist then.
    pub async fn cases(&self, actor: &Actor, filters: &CaseFilters) -> Result<CasePage, AppError> {
        self.answer(actor, None, filters.as_of, |models, past| {
            let Some(snapshot) = self.snapshot(models, actor, None, past)? else {
                return Ok(CasePage {
                    cases: vec![],
                    next_after: None,
                });
            };
            let wanted = snapshot
                .cases
                .iter()
                .filter(|r| filters.after.is_none_or(|a| r.opened_position > a))
                .filter(|r| case_matches(filters, &snapshot, r));
            let (records, next_after) = page_of(wanted, filters.limit, |r| r.opened_position);
            let cases = records.into_iter().map(|r| listed(r, &snapshot)).collect();
            Ok(CasePage { cases, next_after })
        })
        .await
    }

    /// A page of the deadlines of every case the actor could see now or at `as_of`, with their
    /// status then, soonest due first. Empty for a partnership that did not exist then.
    pub async fn deadlines(
        &self,
        actor: &Actor,
        filters: &DeadlineFilters,
    ) -> Result<DeadlinePage, AppError> {
        self.answer(actor, None, filters.as_of, |models, past| {
            let Some(snapshot) = self.snapshot(models, actor, None, past)? else {
                return Ok(DeadlinePage {
                    deadlines: vec![],
                    next_after: None,
                });
            };
            let mut all: Vec<DeadlineAt> = snapshot
                .cases
                .iter()
                .flat_map(|r| deadlines_at(&r.case, &snapshot.partnership, snapshot.at))
                .collect();
            all.sort_by_key(DeadlineAt::order);
            let wanted = all.into_iter().filter(|d| filters.matches(d));
            let (deadlines, next_after) = page_of(wanted, filters.limit, DeadlineAt::order);
            Ok(DeadlinePage {
                deadlines,
                next_after,
            })
        })
        .await
    }
}

fn case_matches(filters: &CaseFilters, snapshot: &Snapshot<'_>, record: &CaseRecord) -> bool {
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
            has_overdue_deadlines(case, &snapshot.partnership, snapshot.at) == wanted
        })
}

fn listed(record: &CaseRecord, snapshot: &Snapshot<'_>) -> ListedCase {
    let case = &record.case;
    ListedCase {
        case_id: case.case_id,
        kind: case.kind,
        stage: case.stage,
        version: record.version,
        reference: case.reference().to_owned(),
        opened_at: case.opened_at,
        has_overdue_deadlines: has_overdue_deadlines(case, &snapshot.partnership, snapshot.at),
        updated_at: record.updated_at,
        updated_position: updated_position(record),
    }
}

/// The first `limit` items, and where the next page starts (after the last one given) when
/// more follow.
fn page_of<T, K>(
    mut items: impl Iterator<Item = T>,
    limit: usize,
    place: impl Fn(&T) -> K,
) -> (Vec<T>, Option<K>) {
    let page: Vec<T> = items.by_ref().take(limit).collect();
    let next = items.next().and(page.last()).map(place);
    (page, next)
}
