//! The change feed (issue 14): integration events derived from the log, in log order, for
//! partner systems to follow by cursor instead of polling whole lists.
//!
//! Each item is derived from one stored event and keeps its position; the items of one
//! position are numbered from 0. The derivation is a pure function of the log, so a replica
//! that rebuilds from the log gives every item the same id. What an item may say is fixed by
//! the contract in `casetrail_domain::integration`: no personal data, ever.

mod derive;

use casetrail_domain::CaseId;
use casetrail_domain::PartnershipSlug;
use casetrail_domain::case::{Case, CaseEvent, Stage};
use casetrail_domain::integration::IntegrationEvent;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::reminders::ReminderEvent;
use chrono::{DateTime, Utc};
use derive::Tracked;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One item of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The position of the stored event it derives from.
    pub position: u64,
    /// Its number among the items of that position, from 0.
    pub index: u16,
    /// The case it is about.
    pub case_id: CaseId,
    /// When the event it derives from was recorded.
    pub recorded_at: DateTime<Utc>,
    /// When what it tells occurred (the event's own instant; a reminder's threshold, a
    /// breach's due instant).
    pub occurred_at: DateTime<Utc>,
    /// What it tells.
    pub event: IntegrationEvent,
}

impl FeedItem {
    /// Where it sits in the feed: a cursor that resumes after it.
    pub fn cursor(&self) -> FeedCursor {
        FeedCursor {
            position: self.position,
            index: Some(self.index),
        }
    }
}

/// Where a reader of the feed is: after an item (`position.index`), or after every item of a
/// position (`position`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeedCursor {
    /// The log position.
    pub position: u64,
    /// The item of that position; `None`: all of them.
    pub index: Option<u16>,
}

impl FeedCursor {
    /// Parses `position` or `position.index`.
    pub fn parse(text: &str) -> Option<Self> {
        let (position, index) = match text.split_once('.') {
            Some((p, i)) => (p, Some(i.parse().ok()?)),
            None => (text, None),
        };
        // Digits only: "+5" or " 5" would parse as numbers but are not cursors we wrote.
        if position.is_empty() || !position.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self {
            position: position.parse().ok()?,
            index,
        })
    }

    /// Whether `item` comes after this cursor.
    fn is_before(&self, item: &FeedItem) -> bool {
        match self.index {
            Some(index) => (item.position, item.index) > (self.position, index),
            None => item.position > self.position,
        }
    }
}

impl std::fmt::Display for FeedCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(index) => write!(f, "{}.{index}", self.position),
            None => write!(f, "{}", self.position),
        }
    }
}

/// A page read from the feed.
#[derive(Debug)]
pub struct FeedPage<'a> {
    /// The items the filter let through, in feed order.
    pub items: Vec<&'a FeedItem>,
    /// Where to resume: after the last item looked at, which may be past the last item given
    /// when the filter hid the rest.
    pub next: FeedCursor,
}

/// The feed of every partnership.
#[derive(Debug, Default, Clone)]
pub struct Feed {
    items: HashMap<PartnershipSlug, Vec<FeedItem>>,
    deadlines: HashMap<CaseId, Vec<Tracked>>,
    reminders: HashSet<Uuid>,
}

impl Feed {
    /// Derives the items of a case event, folded into `case` already; `before` is the case's
    /// stage before it (`None`: the event opened the case).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn case_event(
        &mut self,
        slug: &PartnershipSlug,
        partnership: Option<&Partnership>,
        position: u64,
        recorded_at: DateTime<Utc>,
        before: Option<Stage>,
        case: &Case,
        event: &CaseEvent,
    ) {
        let mut told: Vec<IntegrationEvent> = Vec::new();
        told.extend(derive::stage_change(before, case));
        told.extend(derive::said_by(event));
        if let Some(partnership) = partnership {
            told.extend(self.deadline_changes(case, partnership, recorded_at));
        }
        self.push(
            slug,
            position,
            recorded_at,
            event.occurred_at(),
            case.case_id,
            told,
        );
    }

    /// Derives what a change of the partnership's calendar moved: every case's deadlines are
    /// judged again.
    pub(crate) fn calendar_changed<'a>(
        &mut self,
        slug: &PartnershipSlug,
        partnership: &Partnership,
        position: u64,
        recorded_at: DateTime<Utc>,
        cases: impl Iterator<Item = &'a Case>,
    ) {
        for case in cases {
            let told = self.deadline_changes(case, partnership, recorded_at);
            self.push(slug, position, recorded_at, recorded_at, case.case_id, told);
        }
    }

    /// Records a reminder or breach.
    pub(crate) fn reminder(
        &mut self,
        slug: &PartnershipSlug,
        position: u64,
        recorded_at: DateTime<Utc>,
        event: &ReminderEvent,
        event_id: Uuid,
    ) {
        self.reminders.insert(event.event_id());
        // Also the stored id, should a later version derive ids differently.
        self.reminders.insert(event_id);
        let case_id = event.deadline().case_id;
        let told = vec![derive::reminded(event)];
        self.push(
            slug,
            position,
            recorded_at,
            event.occurred_at(),
            case_id,
            told,
        );
    }

    /// Whether a reminder or breach with this event id is recorded.
    pub fn has_reminder(&self, event_id: Uuid) -> bool {
        self.reminders.contains(&event_id)
    }

    fn deadline_changes(
        &mut self,
        case: &Case,
        partnership: &Partnership,
        at: DateTime<Utc>,
    ) -> Vec<IntegrationEvent> {
        let now = derive::track(case, partnership, at);
        let before = self.deadlines.remove(&case.case_id).unwrap_or_default();
        let told = derive::deadline_changes(case, &before, &now, &partnership.calendar, at);
        let mut tracked = derive::tracked_only(now);
        tracked.shrink_to_fit();
        self.deadlines.insert(case.case_id, tracked);
        told
    }

    fn push(
        &mut self,
        slug: &PartnershipSlug,
        position: u64,
        recorded_at: DateTime<Utc>,
        occurred_at: DateTime<Utc>,
        case_id: CaseId,
        told: Vec<IntegrationEvent>,
    ) {
        if told.is_empty() {
            return;
        }
        let items = self.items.entry(slug.clone()).or_default();
        // A calendar change can tell several cases at one position: number on from the last.
        let mut index = match items.last() {
            Some(last) if last.position == position => last.index.saturating_add(1),
            _ => 0,
        };
        for event in told {
            items.push(FeedItem {
                position,
                index,
                case_id,
                recorded_at,
                occurred_at,
                event,
            });
            index = index.saturating_add(1);
        }
    }

    /// Up to `limit` items of the partnership after `after` that `shown` lets through,
    /// looking at no more than `scan` items: a reader who may see few of them gets a short (or
    /// empty) page and a cursor past what was looked at, rather than a request that walks the
    /// whole log.
    pub fn page<'a>(
        &'a self,
        slug: &PartnershipSlug,
        after: FeedCursor,
        limit: usize,
        scan: usize,
        mut shown: impl FnMut(&FeedItem) -> bool,
    ) -> FeedPage<'a> {
        let all = self.items.get(slug).map_or(&[][..], Vec::as_slice);
        let start = all.partition_point(|item| !after.is_before(item));
        let mut items = Vec::new();
        let mut next = after;
        for item in all[start..].iter().take(scan) {
            next = item.cursor();
            if shown(item) {
                items.push(item);
                if items.len() == limit {
                    break;
                }
            }
        }
        FeedPage { items, next }
    }

    /// Gives back spare room after the start-up rebuild.
    pub(crate) fn compact(&mut self) {
        for items in self.items.values_mut() {
            items.shrink_to_fit();
        }
        self.deadlines.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests;
