//! A partnership's learning record, folded from its learning stream.

use super::events::{Contribution, LearningEvent, LearningEventHeld, Meeting, Spending};
use super::values::Subject;
use crate::ThemeSlug;
use crate::sorted_set::SortedSet;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A learning theme on the partnership's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Its name.
    pub name: String,
    /// Retired: no longer tagged, its past tags kept.
    pub retired: bool,
}

/// Everything the partnership recorded of its learning, in the order recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learning {
    /// The themes, by slug.
    pub themes: BTreeMap<ThemeSlug, Theme>,
    /// The themes each case or recommendation is tagged with now.
    pub tags: BTreeMap<Subject, SortedSet<ThemeSlug>>,
    /// The meetings.
    pub meetings: Vec<Meeting>,
    /// The learning events and training.
    pub learning_events: Vec<LearningEventHeld>,
    /// The partners' contributions.
    pub contributions: Vec<Contribution>,
    /// The spending.
    pub spending: Vec<Spending>,
    /// Every id a record was made under: a second record under one is refused.
    ids: BTreeSet<Uuid>,
}

impl Learning {
    /// The record after one more event (the first event of a stream makes one).
    pub fn evolve(state: Option<Learning>, event: &LearningEvent) -> Option<Learning> {
        let mut learning = state.unwrap_or_default();
        match event {
            LearningEvent::ThemeAdded { theme, name } => {
                learning.themes.insert(
                    theme.clone(),
                    Theme {
                        name: name.clone(),
                        retired: false,
                    },
                );
            }
            LearningEvent::ThemeRetired { theme } => {
                if let Some(kept) = learning.themes.get_mut(theme) {
                    kept.retired = true;
                }
            }
            LearningEvent::ThemesTagged { subject, themes } => {
                if themes.is_empty() {
                    learning.tags.remove(subject);
                } else {
                    learning.tags.insert(subject.clone(), themes.clone());
                }
            }
            LearningEvent::MeetingRecorded(meeting) => {
                learning.ids.insert(meeting.meeting_id);
                learning.meetings.push(meeting.clone());
            }
            LearningEvent::LearningEventRecorded(held) => {
                learning.ids.insert(held.learning_event_id);
                learning.learning_events.push(held.clone());
            }
            LearningEvent::ContributionRecorded(line) => {
                learning.ids.insert(line.line_id);
                learning.contributions.push(line.clone());
            }
            LearningEvent::SpendingRecorded(line) => {
                learning.ids.insert(line.line_id);
                learning.spending.push(line.clone());
            }
            // A correction keeps the record's place; a withdrawn line's id stays used.
            LearningEvent::MeetingCorrected(meeting) => {
                if let Some(kept) = learning
                    .meetings
                    .iter_mut()
                    .find(|m| m.meeting_id == meeting.meeting_id)
                {
                    *kept = meeting.clone();
                }
            }
            LearningEvent::LearningEventCorrected(held) => {
                if let Some(kept) = learning
                    .learning_events
                    .iter_mut()
                    .find(|h| h.learning_event_id == held.learning_event_id)
                {
                    *kept = held.clone();
                }
            }
            LearningEvent::BudgetLineWithdrawn { line_id } => {
                learning.contributions.retain(|c| c.line_id != *line_id);
                learning.spending.retain(|s| s.line_id != *line_id);
            }
        }
        Some(learning)
    }

    /// Whether a record was already made under this id.
    pub fn has_record(&self, id: Uuid) -> bool {
        self.ids.contains(&id)
    }

    /// Whether a meeting is recorded under this id.
    pub fn has_meeting(&self, id: Uuid) -> bool {
        self.meetings.iter().any(|m| m.meeting_id == id)
    }

    /// Whether a learning event is recorded under this id.
    pub fn has_learning_event(&self, id: Uuid) -> bool {
        self.learning_events
            .iter()
            .any(|h| h.learning_event_id == id)
    }

    /// Whether a budget line (contribution or spending) stands under this id.
    pub fn has_budget_line(&self, id: Uuid) -> bool {
        self.contributions.iter().any(|c| c.line_id == id)
            || self.spending.iter().any(|s| s.line_id == id)
    }

    /// Whether the theme is on the list and not retired.
    pub fn is_active_theme(&self, theme: &ThemeSlug) -> bool {
        self.themes.get(theme).is_some_and(|t| !t.retired)
    }
}
