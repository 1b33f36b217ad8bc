//! The review status read model: partnerships and their cases, as of the last applied event.

use casetrail_domain::case::{Case, CaseEvent};
use casetrail_domain::codec::{DecodeError, decode};
use casetrail_domain::partnership::{Partnership, PartnershipEvent};
use casetrail_domain::stream::{StreamRef, parse_stream};
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// Why an event could not be projected.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// Events must be applied in log order without gaps.
    #[error("expected position {expected}, got {got}")]
    OutOfOrder {
        /// The next position the model needs.
        expected: u64,
        /// The position it was given.
        got: u64,
    },
    /// The event could not be decoded.
    #[error("event at position {position} cannot be decoded: {source}")]
    Decode {
        /// Its position.
        position: u64,
        /// Why.
        source: DecodeError,
    },
}

/// A case with what the log says about it.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    /// The folded state.
    pub case: Case,
    /// The case stream's version (the ETag).
    pub version: u64,
    /// When the case's first event was recorded.
    pub opened_recorded_at: DateTime<Utc>,
    /// When its last event was recorded.
    pub updated_at: DateTime<Utc>,
}

/// Every read model of the review status, folded from the log.
#[derive(Debug, Default, Clone)]
pub struct ReadModels {
    position: u64,
    partnerships: HashMap<PartnershipSlug, Partnership>,
    // Ordered by case id: ids are UUID v7, so this is creation order and cursors are stable.
    cases: HashMap<PartnershipSlug, BTreeMap<CaseId, CaseRecord>>,
}

impl ReadModels {
    /// The position of the last event applied.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Applies the next event of the log.
    pub fn apply(&mut self, event: &RecordedEvent) -> Result<(), ProjectionError> {
        if event.position != self.position + 1 {
            return Err(ProjectionError::OutOfOrder {
                expected: self.position + 1,
                got: event.position,
            });
        }
        let decode_error = |source| ProjectionError::Decode {
            position: event.position,
            source,
        };
        match parse_stream(&event.stream_id) {
            Some(StreamRef::Partnership(slug)) => {
                let decoded: PartnershipEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(decode_error)?;
                let current = self.partnerships.remove(&slug);
                if let Some(next) = Partnership::evolve(current, &decoded) {
                    self.partnerships.insert(slug, next);
                }
            }
            Some(StreamRef::Case(slug, case_id)) => {
                let decoded: CaseEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(decode_error)?;
                self.apply_case_event(slug, case_id, &decoded, event);
            }
            // Streams of other kinds (none yet) are not part of these read models.
            None => {}
        }
        self.position = event.position;
        Ok(())
    }

    fn apply_case_event(
        &mut self,
        slug: PartnershipSlug,
        case_id: CaseId,
        decoded: &CaseEvent,
        event: &RecordedEvent,
    ) {
        let cases = self.cases.entry(slug).or_default();
        let previous = cases.remove(&case_id);
        let opened_recorded_at = previous
            .as_ref()
            .map_or(event.recorded_at, |r| r.opened_recorded_at);
        if let Some(case) = Case::evolve(previous.map(|r| r.case), decoded) {
            cases.insert(
                case_id,
                CaseRecord {
                    case,
                    version: event.stream_version,
                    opened_recorded_at,
                    updated_at: event.recorded_at,
                },
            );
        }
    }

    /// Moves past an event that could not be applied, so the log is still followed in order.
    pub fn skip(&mut self, position: u64) {
        self.position = self.position.max(position);
    }

    /// A partnership.
    pub fn partnership(&self, slug: &PartnershipSlug) -> Option<&Partnership> {
        self.partnerships.get(slug)
    }

    /// One case of a partnership.
    pub fn case(&self, slug: &PartnershipSlug, case_id: CaseId) -> Option<&CaseRecord> {
        self.cases.get(slug)?.get(&case_id)
    }

    /// A page of a partnership's cases in creation order, after the cursor, that pass the
    /// filter; with the cursor of the next page when there is one.
    pub fn cases_page<'a>(
        &'a self,
        slug: &PartnershipSlug,
        after: Option<CaseId>,
        limit: usize,
        mut filter: impl FnMut(&CaseRecord) -> bool,
    ) -> (Vec<&'a CaseRecord>, Option<CaseId>) {
        let Some(cases) = self.cases.get(slug) else {
            return (Vec::new(), None);
        };
        let range = match after {
            Some(after) => {
                cases.range((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded))
            }
            None => cases.range(..),
        };
        let mut page: Vec<&CaseRecord> = Vec::with_capacity(limit.min(64));
        for record in range.map(|(_, r)| r).filter(|r| filter(r)) {
            if page.len() == limit {
                let next = page.last().map(|r| r.case.case_id);
                return (page, next);
            }
            page.push(record);
        }
        (page, None)
    }
}
