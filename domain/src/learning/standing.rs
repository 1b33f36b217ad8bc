//! The records of a learning history as they stand after its corrections and withdrawals
//! (docs/rules.md LI-4): each meeting, learning event and budget line once, in the order first
//! recorded, with the mark (a log position, say) of the event that last stated it, so that a
//! figure counted from them traces to the events that say what it counts.

use super::events::{Contribution, LearningEvent, LearningEventHeld, Meeting, Spending};
use std::collections::HashMap;
use uuid::Uuid;

/// A record with the mark of the event that last stated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stated<'a, M, T> {
    /// The event's mark.
    pub mark: M,
    /// The record.
    pub record: &'a T,
}

/// The records standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing<'a, M> {
    /// The meetings.
    pub meetings: Vec<Stated<'a, M, Meeting>>,
    /// The learning events and training.
    pub learning_events: Vec<Stated<'a, M, LearningEventHeld>>,
    /// The contributions.
    pub contributions: Vec<Stated<'a, M, Contribution>>,
    /// The spending.
    pub spending: Vec<Stated<'a, M, Spending>>,
}

/// Records kept in the order first recorded, each replaceable by id.
struct Kept<'a, M, T> {
    records: Vec<Option<Stated<'a, M, T>>>,
    at: HashMap<Uuid, usize>,
}

impl<'a, M, T> Kept<'a, M, T> {
    fn new() -> Self {
        Self {
            records: Vec::new(),
            at: HashMap::new(),
        }
    }

    fn record(&mut self, id: Uuid, mark: M, record: &'a T) {
        self.at.insert(id, self.records.len());
        self.records.push(Some(Stated { mark, record }));
    }

    fn replace(&mut self, id: Uuid, stated: Option<Stated<'a, M, T>>) {
        if let Some(&n) = self.at.get(&id) {
            self.records[n] = stated;
        }
    }

    fn standing(self) -> Vec<Stated<'a, M, T>> {
        self.records.into_iter().flatten().collect()
    }
}

/// The records of `history` (events in log order, each with its mark) as they stand at its
/// end.
pub fn standing<'a, M: Copy>(
    history: impl IntoIterator<Item = (M, &'a LearningEvent)>,
) -> Standing<'a, M> {
    let mut meetings = Kept::new();
    let mut held = Kept::new();
    let mut contributions = Kept::new();
    let mut spending = Kept::new();
    for (mark, event) in history {
        match event {
            LearningEvent::MeetingRecorded(m) => meetings.record(m.meeting_id, mark, m),
            LearningEvent::MeetingCorrected(m) => {
                meetings.replace(m.meeting_id, Some(Stated { mark, record: m }));
            }
            LearningEvent::LearningEventRecorded(h) => held.record(h.learning_event_id, mark, h),
            LearningEvent::LearningEventCorrected(h) => {
                held.replace(h.learning_event_id, Some(Stated { mark, record: h }));
            }
            LearningEvent::ContributionRecorded(c) => contributions.record(c.line_id, mark, c),
            LearningEvent::SpendingRecorded(s) => spending.record(s.line_id, mark, s),
            LearningEvent::BudgetLineWithdrawn { line_id } => {
                contributions.replace(*line_id, None);
                spending.replace(*line_id, None);
            }
            LearningEvent::ThemeAdded { .. }
            | LearningEvent::ThemeRetired { .. }
            | LearningEvent::ThemesTagged { .. } => {}
        }
    }
    Standing {
        meetings: meetings.standing(),
        learning_events: held.standing(),
        contributions: contributions.standing(),
        spending: spending.standing(),
    }
}
