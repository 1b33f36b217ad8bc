//! Time travel from the store. The read models keep where each case event sits in the log, not
//! the events themselves, so they stay small however long the log grows; what a case was at a
//! past instant is folded again from its stored events when someone asks.

use crate::{CaseRecord, ProjectorHandle};
use casetrail_domain::case::CaseEvent;
use casetrail_domain::codec::DecodeError;
use casetrail_domain::stream::case_stream;
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_store::{EventStore, RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// What reading one case's stream costs, in events of the log scanned: the cases are read
/// stream by stream unless scanning the part of the log that holds their events is cheaper.
/// Both cost about the same per event read; a query costs about as much as this many more.
const QUERY_IN_EVENTS: u64 = 40;
/// Events per page while scanning.
const PAGE: usize = 2_000;

/// Why past events could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored event could not be decoded.
    #[error("event at position {position} cannot be decoded: {source}")]
    Decode {
        /// Its position.
        position: u64,
        /// Why.
        source: DecodeError,
    },
    /// The store holds fewer events of a case than the read models know of.
    #[error("the store has fewer events of case {0} than the read models")]
    Missing(CaseId),
}

/// A case whose past must be folded again: how many of its events were known by then, and
/// where the last of them sits.
#[derive(Debug, Clone, Copy)]
struct Planned {
    case_id: CaseId,
    known: usize,
    first_position: u64,
    last_position: u64,
}

/// Cases of one partnership as the facts recorded by an instant made them. Only cases with
/// facts recorded after the instant are folded again (from the store); every other case is
/// its current record.
#[derive(Debug)]
pub struct Past {
    at: DateTime<Utc>,
    refolded: HashMap<CaseId, CaseRecord>,
}

/// A case changed after [`Past::load`] planned what to read: load again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale;

impl Past {
    /// Reads back what the partnership's cases (or one case) need to be seen as of `at`.
    pub async fn load(
        projector: &ProjectorHandle,
        slug: &PartnershipSlug,
        only: Option<CaseId>,
        at: DateTime<Utc>,
    ) -> Result<Past, HistoryError> {
        match only {
            Some(case_id) => Self::load_cases(projector, slug, &[case_id], at).await,
            None => {
                let plan = plan(projector.read().cases(slug), at);
                Self::load_planned(projector, slug, &plan, at).await
            }
        }
    }

    /// Reads back what these cases of the partnership need to be seen as of `at`: the others
    /// are not part of this past ([`Past::case`] finds it stale for them when they changed
    /// since).
    pub async fn load_cases(
        projector: &ProjectorHandle,
        slug: &PartnershipSlug,
        cases: &[CaseId],
        at: DateTime<Utc>,
    ) -> Result<Past, HistoryError> {
        let plan = {
            let models = projector.read();
            plan(cases.iter().filter_map(|id| models.case(slug, *id)), at)
        };
        Self::load_planned(projector, slug, &plan, at).await
    }

    async fn load_planned(
        projector: &ProjectorHandle,
        slug: &PartnershipSlug,
        plan: &[Planned],
        at: DateTime<Utc>,
    ) -> Result<Past, HistoryError> {
        let reading = Reading::cheaper(plan);
        let mut events = read_events(projector.store(), slug, plan, reading).await?;
        let models = projector.read();
        let mut refolded = HashMap::with_capacity(plan.len());
        for planned in plan {
            let record = models
                .case(slug, planned.case_id)
                .ok_or(HistoryError::Missing(planned.case_id))?;
            let case_events = events.remove(&planned.case_id).unwrap_or_default();
            if let Some(then) = record.as_of_from(at, &case_events) {
                refolded.insert(planned.case_id, then);
            } else {
                return Err(HistoryError::Missing(planned.case_id));
            }
        }
        Ok(Past { at, refolded })
    }

    /// The instant.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// A case as it was at the instant: `None` if it had not been opened yet.
    pub fn case<'a>(
        &'a self,
        record: &'a CaseRecord,
    ) -> Result<Option<Cow<'a, CaseRecord>>, Stale> {
        if !record.opened_by(self.at) {
            Ok(None)
        } else if record.unchanged_since(self.at) {
            Ok(Some(Cow::Borrowed(record)))
        } else {
            self.refolded
                .get(&record.case.case_id)
                .map(|then| Some(Cow::Borrowed(then)))
                .ok_or(Stale)
        }
    }
}

/// What to read back of the `chosen` cases: those opened by `at` that changed since.
fn plan<'a>(chosen: impl Iterator<Item = &'a CaseRecord>, at: DateTime<Utc>) -> Vec<Planned> {
    chosen
        .filter(|r| r.opened_by(at) && !r.unchanged_since(at))
        .filter_map(|r| {
            let known = r.known_by(at);
            Some(Planned {
                case_id: r.case.case_id,
                known,
                first_position: r.marks.first()?.position,
                last_position: r.marks.get(known.checked_sub(1)?)?.position,
            })
        })
        .collect()
}

/// The first and last positions of the log holding the planned cases' events (an empty span,
/// 1 to 0, for no case).
fn span(plan: &[Planned]) -> (u64, u64) {
    let from = plan.iter().map(|p| p.first_position).min().unwrap_or(1);
    let to = plan.iter().map(|p| p.last_position).max().unwrap_or(0);
    (from, to)
}

/// How the planned cases' events are read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Each case's stream on its own.
    Streams,
    /// One pass over the part of the log that holds them.
    Scan,
}

impl Reading {
    /// The cheaper for `plan`: a pass over a log where other cases' and partnerships' events
    /// lie between theirs reads every one of those too.
    fn cheaper(plan: &[Planned]) -> Reading {
        let (from, to) = span(plan);
        let scanned = to.saturating_sub(from) + 1;
        let streamed: u64 = plan.iter().map(|p| QUERY_IN_EVENTS + p.known as u64).sum();
        if streamed <= scanned {
            Reading::Streams
        } else {
            Reading::Scan
        }
    }
}

/// The first `known` events of each planned case, decoded in their current shape.
async fn read_events(
    store: &dyn EventStore,
    slug: &PartnershipSlug,
    plan: &[Planned],
    reading: Reading,
) -> Result<HashMap<CaseId, Vec<CaseEvent>>, HistoryError> {
    match reading {
        Reading::Streams => read_streams(store, slug, plan).await,
        Reading::Scan => scan(store, slug, plan).await,
    }
}

async fn read_streams(
    store: &dyn EventStore,
    slug: &PartnershipSlug,
    plan: &[Planned],
) -> Result<HashMap<CaseId, Vec<CaseEvent>>, HistoryError> {
    let mut events = HashMap::with_capacity(plan.len());
    for planned in plan {
        let stream = store
            .read_stream(&case_stream(slug, planned.case_id), 1)
            .await?;
        let decoded = stream
            .iter()
            .take(planned.known)
            .map(decode_case_event)
            .collect::<Result<Vec<_>, _>>()?;
        events.insert(planned.case_id, decoded);
    }
    Ok(events)
}

async fn scan(
    store: &dyn EventStore,
    slug: &PartnershipSlug,
    plan: &[Planned],
) -> Result<HashMap<CaseId, Vec<CaseEvent>>, HistoryError> {
    let mut events: HashMap<CaseId, Vec<CaseEvent>> = HashMap::with_capacity(plan.len());
    let wanted: HashMap<String, &Planned> = plan
        .iter()
        .map(|p| (case_stream(slug, p.case_id), p))
        .collect();
    let (from, to) = span(plan);
    let mut after = from.saturating_sub(1);
    while after < to {
        let page = store.read_all(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in page.iter().filter(|e| e.position <= to) {
            if let Some(planned) = wanted.get(&event.stream_id) {
                let case_events = events.entry(planned.case_id).or_default();
                if case_events.len() < planned.known {
                    case_events.push(decode_case_event(event)?);
                }
            }
        }
    }
    Ok(events)
}

fn decode_case_event(event: &RecordedEvent) -> Result<CaseEvent, HistoryError> {
    crate::review_status::decode_case_event(event).map_err(|source| HistoryError::Decode {
        position: event.position,
        source,
    })
}

/// The stored events at the given positions (in increasing order), read in runs of
/// consecutive positions: an audit trail page names a few dozen positions, mostly in runs.
pub async fn events_at(
    store: &dyn EventStore,
    positions: &[u64],
) -> Result<Vec<RecordedEvent>, StoreError> {
    let wanted: HashSet<u64> = positions.iter().copied().collect();
    let mut found = Vec::with_capacity(positions.len());
    let mut rest = positions;
    while let Some(&start) = rest.first() {
        let run = rest
            .windows(2)
            .take_while(|pair| pair[1] == pair[0] + 1)
            .count()
            + 1;
        let page = store.read_all(start.saturating_sub(1), run).await?;
        found.extend(page.into_iter().filter(|e| wanted.contains(&e.position)));
        rest = &rest[run..];
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
