//! A partnership's learning record (issue 17) and its history, for time travel: the record as
//! any instant saw it is a fold of the events recorded by then. A partnership records a few
//! hundred of them a year, so the fold from the first is cheap enough for every read of the
//! past.

use crate::review_status::Recorded;
use casetrail_domain::learning::{Learning, LearningEvent};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The learning record as it stands, and every event that made it. A snapshot keeps the
/// history only: the rest is its fold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    into = "Vec<Recorded<LearningEvent>>",
    from = "Vec<Recorded<LearningEvent>>"
)]
pub(crate) struct LearningRecord {
    current: Learning,
    history: Vec<Recorded<LearningEvent>>,
}

impl LearningRecord {
    /// Adds the next event of the stream.
    pub(crate) fn push(&mut self, recorded: Recorded<LearningEvent>) {
        let current = std::mem::take(&mut self.current);
        self.current = Learning::evolve(Some(current), &recorded.event).unwrap_or_default();
        self.history.push(recorded);
    }

    /// The record as it stands.
    pub(crate) fn current(&self) -> &Learning {
        &self.current
    }

    /// The stream's version: how many events it holds.
    pub(crate) fn version(&self) -> u64 {
        self.history.last().map_or(0, |r| r.stream_version)
    }

    /// The record as it was at `as_of`: the events recorded by then (`None` before the first).
    pub(crate) fn as_of(&self, as_of: DateTime<Utc>) -> Option<Learning> {
        self.history
            .iter()
            .take_while(|r| r.recorded_at <= as_of)
            .fold(None, |state, r| Learning::evolve(state, &r.event))
    }

    /// Gives back the room the history and the record grew into while the log was folded.
    pub(crate) fn compact(&mut self) {
        self.history.shrink_to_fit();
        // A clone holds every vector and map of the record at its length.
        self.current = self.current.clone();
    }

    /// The events, in order, each with its log position.
    pub(crate) fn history(&self) -> &[Recorded<LearningEvent>] {
        &self.history
    }
}

impl From<LearningRecord> for Vec<Recorded<LearningEvent>> {
    fn from(record: LearningRecord) -> Self {
        record.history
    }
}

impl From<Vec<Recorded<LearningEvent>>> for LearningRecord {
    fn from(history: Vec<Recorded<LearningEvent>>) -> Self {
        let mut record = LearningRecord::default();
        for recorded in history {
            record.push(recorded);
        }
        record
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::ThemeSlug;

    fn recorded(n: u64, theme: &str) -> Recorded<LearningEvent> {
        Recorded {
            position: n * 10,
            stream_version: n,
            recorded_at: DateTime::from_timestamp(
                1_650_000_000 + i64::try_from(n).unwrap() * 60,
                0,
            )
            .unwrap(),
            event: LearningEvent::ThemeAdded {
                theme: ThemeSlug::parse(theme).unwrap(),
                name: theme.to_owned(),
            },
        }
    }

    #[test]
    fn the_past_is_the_fold_of_what_was_recorded_by_then_and_a_snapshot_keeps_the_history() {
        let history = vec![recorded(1, "neglect"), recorded(2, "exploitation")];
        let record = LearningRecord::from(history.clone());
        assert_eq!(record.version(), 2);
        assert_eq!(record.current().themes.len(), 2);
        let first = history[0].recorded_at;
        assert_eq!(record.as_of(first).unwrap().themes.len(), 1);
        assert!(record.as_of(first - chrono::Duration::seconds(1)).is_none());
        assert_eq!(
            &record.as_of(history[1].recorded_at).unwrap(),
            record.current()
        );
        let kept: Vec<Recorded<LearningEvent>> = record.clone().into();
        assert_eq!(LearningRecord::from(kept), record);
        assert_eq!(LearningRecord::default().version(), 0);
    }
}
