//! The change feed (issue 14): integration events derived from the log, in log order, for
//! partner systems to follow by cursor instead of polling whole lists.
//!
//! Each item is derived from one stored event and keeps its position; the items of one
//! position are numbered from 0. The derivation is a pure function of the log ([`derive`]):
//! the feed is not kept in memory but derived again from the stored events when read, so it
//! costs the start-up and the read models nothing, and every replica gives every item the same
//! id. What an item may say is fixed by the contract in `casetrail_domain::integration`: no
//! personal data, ever.

pub mod derive;

use casetrail_domain::CaseId;
use casetrail_domain::integration::IntegrationEvent;
use casetrail_domain::reminders::ReminderEvent;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
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
    pub fn is_before(&self, item: &FeedItem) -> bool {
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

/// What the read models keep for the feed: which reminders and breaches are recorded, so the
/// reminder service records each once.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Feed {
    reminders: HashSet<Uuid>,
}

impl Feed {
    /// Notes a recorded reminder or breach.
    pub(crate) fn reminder(&mut self, event: &ReminderEvent, event_id: Uuid) {
        self.reminders.insert(event.event_id());
        // Also the stored id, should a later version derive ids differently.
        self.reminders.insert(event_id);
    }

    /// Whether a reminder or breach with this event id is recorded.
    pub fn has_reminder(&self, event_id: Uuid) -> bool {
        self.reminders.contains(&event_id)
    }

    /// Gives back spare room after the start-up rebuild.
    pub(crate) fn compact(&mut self) {
        self.reminders.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests;
