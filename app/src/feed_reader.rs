//! Reading the change feed: its items are derived from the stored events when asked for
//! (`casetrail_projections::feed_derive`), never kept, so the feed costs the start-up and the
//! read models nothing. A page reads the log from its cursor, and for each case event the
//! case's stream, folded to the versions before and after the event; only up to the position
//! the read models have reached, so that what decides who may see an item is never behind it.

use crate::error::AppError;
use casetrail_domain::case::{Case, CaseEvent};
use casetrail_domain::codec::decode;
use casetrail_domain::partnership::{Partnership, PartnershipEvent};
use casetrail_domain::reminders::ReminderEvent;
use casetrail_domain::stream::{StreamRef, case_stream, parse_stream};
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_projections::feed_derive::{self, At, Reach};
use casetrail_projections::{FeedCursor, FeedItem, ProjectorHandle, ReadModels, decode_case_event};
use casetrail_store::RecordedEvent;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Events read from the log at a time.
const BATCH: usize = 256;

/// The most events one page looks at: a reader who may see few items gets a short (or empty)
/// page and a cursor past what was looked at, rather than a request that walks the whole log.
pub const FEED_SCAN: usize = 2_000;

/// A page of the feed.
#[derive(Debug, Clone)]
pub struct ReadPage {
    /// The items the filter let through, in feed order.
    pub items: Vec<FeedItem>,
    /// Where to resume: after the last item looked at.
    pub next: FeedCursor,
    /// The log position the read models had reached: the page reads no further.
    pub position: u64,
}

/// Reads the feed of the log the projector follows.
#[derive(Debug, Clone)]
pub struct FeedReader {
    projector: ProjectorHandle,
}

/// One case's stream, loaded once per page and folded forward as the page goes on.
struct Stream {
    /// Each event with its position, in stream order.
    events: Vec<(u64, CaseEvent)>,
    folded: usize,
    state: Option<Case>,
}

impl Stream {
    /// Folds the events before `position`.
    fn fold_before(&mut self, position: u64) {
        while let Some((at, event)) = self.events.get(self.folded) {
            if *at >= position {
                break;
            }
            self.state = Case::evolve(self.state.take(), event);
            self.folded += 1;
        }
    }
}

/// What one page has loaded: streams, and partnerships by how many of their events count.
#[derive(Default)]
struct Loaded {
    streams: HashMap<CaseId, Stream>,
    partnerships: HashMap<usize, Partnership>,
}

impl FeedReader {
    /// A reader of the projector's log.
    pub fn new(projector: ProjectorHandle) -> Self {
        Self { projector }
    }

    /// Up to `limit` items of the partnership after `after` that `shown` lets through (judged
    /// with the read models, under their lock), looking at no more than [`FEED_SCAN`] events.
    pub async fn page(
        &self,
        slug: &PartnershipSlug,
        after: FeedCursor,
        limit: usize,
        shown: impl Fn(&ReadModels, &FeedItem) -> bool,
    ) -> Result<ReadPage, AppError> {
        let head = self.projector.position();
        let prefix = format!("{slug}/");
        // A cursor inside a position reads that position again for the items after it.
        let mut from = match after.index {
            Some(_) => after.position.saturating_sub(1),
            None => after.position,
        };
        let mut page = ReadPage {
            items: Vec::new(),
            next: after,
            position: head,
        };
        let mut loaded = Loaded::default();
        let mut scanned = 0;
        while from < head && scanned < FEED_SCAN {
            let batch = self
                .projector
                .store()
                .read_all(from, BATCH.min(FEED_SCAN - scanned))
                .await?;
            if batch.is_empty() {
                break;
            }
            for event in &batch {
                if event.position > head {
                    return Ok(page);
                }
                from = event.position;
                scanned += 1;
                // Past this position: after its last item, or after all of it when it has none.
                let mut next = FeedCursor {
                    position: event.position,
                    index: None,
                };
                if event.stream_id.starts_with(&prefix) {
                    let derived = self.derive(slug, event, &mut loaded).await?;
                    let models = self.projector.read();
                    for item in derived.into_iter().filter(|i| after.is_before(i)) {
                        next = item.cursor();
                        if shown(&models, &item) {
                            page.items.push(item);
                            if page.items.len() == limit {
                                page.next = next;
                                return Ok(page);
                            }
                        }
                    }
                }
                // The cursor's own position with nothing after it: the cursor stands.
                if event.position > after.position || next.index.is_some() {
                    page.next = next;
                }
            }
        }
        Ok(page)
    }

    /// The items one stored event of the partnership gives.
    async fn derive(
        &self,
        slug: &PartnershipSlug,
        event: &RecordedEvent,
        loaded: &mut Loaded,
    ) -> Result<Vec<FeedItem>, AppError> {
        let at = At {
            position: event.position,
            recorded_at: event.recorded_at,
        };
        let undecodable = |err: casetrail_domain::codec::DecodeError| {
            AppError::Internal(anyhow::anyhow!(
                "event at position {} cannot be decoded: {err}",
                event.position
            ))
        };
        match parse_stream(&event.stream_id) {
            Some(StreamRef::Case(_, case_id)) => {
                let partnership = self.partnership_before(slug, event.position, loaded);
                let Some(partnership) = partnership else {
                    return Ok(Vec::new());
                };
                let stream = self.stream(slug, case_id, loaded).await?;
                stream.fold_before(event.position);
                let before = stream.state.clone();
                let Some((_, decoded)) = stream.events.get(stream.folded) else {
                    return Ok(Vec::new());
                };
                let decoded = decoded.clone();
                stream.fold_before(event.position + 1);
                let Some(after) = stream.state.as_ref() else {
                    return Ok(Vec::new());
                };
                Ok(feed_derive::case_event(
                    at,
                    before.as_ref(),
                    after,
                    &partnership,
                    &decoded,
                ))
            }
            Some(StreamRef::Partnership(_)) => {
                let decoded: PartnershipEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(undecodable)?;
                let Some(reach) = Reach::of(&decoded) else {
                    return Ok(Vec::new());
                };
                let (Some(before), Some(after)) = (
                    self.partnership_before(slug, event.position, loaded),
                    self.partnership_before(slug, event.position + 1, loaded),
                ) else {
                    return Ok(Vec::new());
                };
                // In opening order (the items' numbering). A case with no fact since the
                // change is as the read models hold it; only the others are folded from their
                // streams.
                let slots: Vec<(CaseId, Option<Case>)> = {
                    let models = self.projector.read();
                    models
                        .cases_opened_before(slug, event.position)
                        .into_iter()
                        .map(|case_id| {
                            let quiet = models.case(slug, case_id).filter(|record| {
                                record
                                    .marks
                                    .last()
                                    .is_some_and(|m| m.position < event.position)
                            });
                            (case_id, quiet.map(|record| record.case.clone()))
                        })
                        .collect()
                };
                let mut cases = Vec::with_capacity(slots.len());
                for (case_id, known) in slots {
                    let case = match known {
                        Some(case) => Some(case),
                        None => {
                            let stream = self.stream(slug, case_id, loaded).await?;
                            stream.fold_before(event.position);
                            stream.state.clone()
                        }
                    };
                    cases.extend(case.filter(|c| reach.can_move(c)));
                }
                Ok(feed_derive::calendar_change(at, &cases, &before, &after))
            }
            Some(StreamRef::Reminders(_)) => {
                let decoded: ReminderEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(undecodable)?;
                Ok(feed_derive::reminder(at, &decoded))
            }
            // The partnership's learning record is not told to integrations: the feed is of
            // cases and their deadlines.
            Some(StreamRef::Learning(_)) | None => Ok(Vec::new()),
        }
    }

    /// The partnership as its events before `position` made it, computed once per page for
    /// each distinct prefix of its history.
    fn partnership_before(
        &self,
        slug: &PartnershipSlug,
        position: u64,
        loaded: &mut Loaded,
    ) -> Option<Partnership> {
        let models = self.projector.read();
        let count = models.partnership_events_before(slug, position);
        if let Some(known) = loaded.partnerships.get(&count) {
            return Some(known.clone());
        }
        let partnership = models.partnership_before(slug, position)?;
        loaded.partnerships.insert(count, partnership.clone());
        Some(partnership)
    }

    /// A case's stream, read from the store once per page.
    async fn stream<'a>(
        &self,
        slug: &PartnershipSlug,
        case_id: CaseId,
        loaded: &'a mut Loaded,
    ) -> Result<&'a mut Stream, AppError> {
        let vacant = match loaded.streams.entry(case_id) {
            Entry::Occupied(known) => return Ok(known.into_mut()),
            Entry::Vacant(vacant) => vacant,
        };
        let stored = self
            .projector
            .store()
            .read_stream(&case_stream(slug, case_id), 1)
            .await?;
        let mut events = Vec::with_capacity(stored.len());
        for event in &stored {
            let decoded = decode_case_event(event).map_err(|err| {
                AppError::Internal(anyhow::anyhow!(
                    "event at position {} cannot be decoded: {err}",
                    event.position
                ))
            })?;
            events.push((event.position, decoded));
        }
        Ok(vacant.insert(Stream {
            events,
            folded: 0,
            state: None,
        }))
    }
}
