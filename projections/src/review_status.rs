//! The review status read model: partnerships and their cases, as of the last applied event.

use crate::case_index::CaseIndex;
use crate::deadline_cache::{DeadlineCache, DeadlineGeneration, IdentifiedDeadline, identified};
use crate::due_order::DueOrders;
use crate::learning_record::LearningRecord;
use crate::partnership_record::PartnershipRecord;
use crate::statistics::FinancialYear;
use casetrail_domain::case::{Case, CaseEvent};
use casetrail_domain::codec::{DecodeError, decode};
use casetrail_domain::learning::{Learning, LearningEvent};
use casetrail_domain::partnership::{Partnership, PartnershipEvent};
use casetrail_domain::reminders::ReminderEvent;
use casetrail_domain::stream::{StreamRef, parse_stream};
use casetrail_domain::{CaseId, OrgSlug, PartnershipSlug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

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

/// An event as the read models keep it: decoded, with its place in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded<E> {
    /// Global position.
    pub position: u64,
    /// Version within its stream.
    pub stream_version: u64,
    /// When the store committed it.
    pub recorded_at: DateTime<Utc>,
    /// The event.
    pub event: E,
}

/// Where one event of a case sits in the log: enough to know which of the case's events had
/// been recorded by an instant, without keeping the events themselves in memory (time travel
/// reads them back from the store; see `crate::history`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// A pair in a snapshot: a million of them, each spelling its field names, would double its size.
#[serde(from = "(u64, i64)", into = "(u64, i64)")]
pub struct Mark {
    /// Global position.
    pub position: u64,
    /// When the store committed it, in microseconds since the Unix epoch (the store's
    /// precision), kept as an integer so a mark is 16 bytes.
    recorded_at_micros: i64,
}

impl From<(u64, i64)> for Mark {
    fn from((position, recorded_at_micros): (u64, i64)) -> Self {
        Mark {
            position,
            recorded_at_micros,
        }
    }
}

impl From<Mark> for (u64, i64) {
    fn from(mark: Mark) -> Self {
        (mark.position, mark.recorded_at_micros)
    }
}

impl Mark {
    fn new(position: u64, recorded_at: DateTime<Utc>) -> Self {
        Mark {
            position,
            recorded_at_micros: recorded_at.timestamp_micros(),
        }
    }

    /// When the store committed it.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.recorded_at_micros).unwrap_or_default()
    }
}

/// A case with what the log says about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseRecord {
    /// The folded state.
    pub case: Case,
    /// The case stream's version (the ETag).
    pub version: u64,
    /// When the case's first event was recorded.
    pub opened_recorded_at: DateTime<Utc>,
    /// Log position of the case's first event: the order cases are listed in.
    pub opened_position: u64,
    /// When its last event was recorded.
    pub updated_at: DateTime<Utc>,
    /// Where each of its events sits in the log, in stream order.
    pub marks: Vec<Mark>,
    /// When each organisation became involved (it never stops being involved): who could see
    /// the case at a past instant, without folding it again.
    pub involved_since: Vec<(OrgSlug, DateTime<Utc>)>,
    /// Its deadlines under the partnership as it stands, once a read has computed them.
    #[serde(skip)]
    deadlines: DeadlineCache,
}

/// Equal when the log says the same about them: the deadlines kept are a cache that reads
/// fill, whatever it holds.
impl PartialEq for CaseRecord {
    fn eq(&self, other: &Self) -> bool {
        self.case == other.case
            && self.version == other.version
            && self.opened_recorded_at == other.opened_recorded_at
            && self.opened_position == other.opened_position
            && self.updated_at == other.updated_at
            && self.marks == other.marks
            && self.involved_since == other.involved_since
    }
}

impl CaseRecord {
    /// The case's deadlines under `partnership`, which must be the partnership as the read
    /// models hold it now, of generation `generation` ([`ReadModels::deadline_generation`]):
    /// computed once, then kept until the case changes or a change of what its deadlines read
    /// of the partnership reaches them (an agency joining changes nothing of it; a bank
    /// holiday reaches the deadlines still pending when it was recorded). A read of the past
    /// computes them with `Case::deadlines`.
    pub fn present_deadlines(
        &self,
        partnership: &Partnership,
        generation: DeadlineGeneration<'_>,
    ) -> Arc<[IdentifiedDeadline]> {
        self.deadlines.get_or_compute(generation, &self.case, || {
            identified(&self.case, partnership)
        })
    }

    /// The case's present deadlines if they are kept (`present_deadlines` computed them for
    /// this generation, or for an earlier one whose later changes leave them), else `None`.
    pub fn kept_deadlines(
        &self,
        generation: DeadlineGeneration<'_>,
    ) -> Option<Arc<[IdentifiedDeadline]>> {
        self.deadlines.kept(generation, &self.case)
    }

    /// The log position of the case's last recorded fact (of the record as it was, for a past
    /// one): what `changed_since` compares and the order by last change keeps.
    pub fn updated_position(&self) -> u64 {
        self.marks
            .last()
            .map_or(self.opened_position, |mark| mark.position)
    }

    /// How many of the case's events had been recorded by `as_of`. recorded_at never goes
    /// backwards along the log, so they are a prefix of the stream.
    pub fn known_by(&self, as_of: DateTime<Utc>) -> usize {
        let micros = as_of.timestamp_micros();
        self.marks
            .partition_point(|m| m.recorded_at_micros <= micros)
    }

    /// Whether the case had been opened by `as_of`.
    pub fn opened_by(&self, as_of: DateTime<Utc>) -> bool {
        self.opened_recorded_at <= as_of
    }

    /// Whether nothing has been recorded about the case since `as_of`: its current state is
    /// its state then.
    pub fn unchanged_since(&self, as_of: DateTime<Utc>) -> bool {
        self.updated_at <= as_of
    }

    /// Whether `org` was involved in the case by `as_of`.
    pub fn involved_by(&self, org: &OrgSlug, as_of: DateTime<Utc>) -> bool {
        self.involved_since
            .iter()
            .any(|(involved, since)| involved == org && *since <= as_of)
    }

    /// The case as the facts recorded by `as_of` made it, from its first events in stream
    /// order (at least [`Self::known_by`] of them); `None` before it was opened or when too
    /// few events are given.
    pub fn as_of_from(&self, as_of: DateTime<Utc>, events: &[CaseEvent]) -> Option<CaseRecord> {
        let known = self.known_by(as_of);
        if known == self.marks.len() {
            return Some(self.clone());
        }
        let last = *self.marks[..known].last()?;
        let case = Case::replay(events.get(..known)?)?;
        Some(CaseRecord {
            case,
            version: u64::try_from(known).unwrap_or(u64::MAX),
            opened_recorded_at: self.opened_recorded_at,
            opened_position: self.opened_position,
            updated_at: last.recorded_at(),
            marks: self.marks[..known].to_vec(),
            involved_since: self
                .involved_since
                .iter()
                .filter(|(_, since)| *since <= as_of)
                .cloned()
                .collect(),
            deadlines: DeadlineCache::default(),
        })
    }
}

/// One partnership's cases, by id and in the order they were opened. A snapshot keeps the
/// records and the years; the orders and look-ups are built again from the records
/// ([`PartnershipCases::restore_orders`]).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct PartnershipCases {
    // Boxed: a hash table keeps spare slots (up to half of them just after it grows), and a
    // spare slot costs a pointer rather than a whole case record.
    pub(crate) by_id: HashMap<CaseId, Box<CaseRecord>>,
    // Keyed by the log position of each case's first event: creation order, stable for
    // cursors whatever the ids look like (ids derived from an Idempotency-Key are not v7).
    #[serde(skip)]
    pub(crate) by_opening: BTreeMap<u64, CaseId>,
    /// The other orders the case list pages through.
    #[serde(skip)]
    pub(crate) index: CaseIndex,
    /// The orders by due instant, brought up to date by the reads that need them.
    #[serde(skip)]
    pub(crate) due: DueOrders,
    // By a hash of the reference of the case's child, adult or victim (fixed when the case
    // opens): a notification's duplicate check looks up its candidates instead of passing over
    // every case. A collision only adds a candidate, which the look-up compares in full.
    #[serde(skip)]
    by_reference: HashMap<u64, Vec<CaseId>>,
    /// Each financial year in which a fact of a case occurred, with when the first such fact
    /// was recorded: the years statistics answer for, at any instant.
    years: BTreeMap<FinancialYear, DateTime<Utc>>,
}

impl PartnershipCases {
    /// The case opened at this log position.
    pub(crate) fn record(&self, opening: u64) -> Option<&CaseRecord> {
        let id = self.by_opening.get(&opening)?;
        self.by_id.get(id).map(AsRef::as_ref)
    }

    /// Builds the orders and look-ups a snapshot leaves out again from the records, as the
    /// fold built them: cases in opening order, each as it opened and as it stands.
    pub(crate) fn restore_orders(&mut self) {
        self.by_opening = self
            .by_id
            .values()
            .map(|r| (r.opened_position, r.case.case_id))
            .collect();
        let mut index = CaseIndex::default();
        let mut by_reference: HashMap<u64, Vec<CaseId>> = HashMap::new();
        for (&opening, case_id) in &self.by_opening {
            let Some(record) = self.by_id.get(case_id) else {
                continue;
            };
            index.opened(opening, record.case.opened_at, record.case.stage);
            index.updated(opening, opening, record.updated_position());
            for (org, _) in &record.involved_since {
                index.involved(org, opening);
            }
            by_reference
                .entry(reference_key(record.case.reference()))
                .or_default()
                .push(*case_id);
        }
        self.index = index;
        self.by_reference = by_reference;
        self.due = DueOrders::default();
    }
}

/// Equal when they hold the same cases in the same orders: the orders by due instant are a
/// cache that reads fill, whatever it holds.
impl PartialEq for PartnershipCases {
    fn eq(&self, other: &Self) -> bool {
        self.by_id == other.by_id
            && self.by_opening == other.by_opening
            && self.index == other.index
            && self.by_reference == other.by_reference
            && self.years == other.years
    }
}

/// Every read model of the review status, folded from the log.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadModels {
    position: u64,
    /// The hash of the event at `position` (zeros before the first): what a snapshot of the
    /// read models is checked against.
    head_hash: [u8; 32],
    partnerships: HashMap<PartnershipSlug, PartnershipRecord>,
    pub(crate) cases: HashMap<PartnershipSlug, PartnershipCases>,
    learning: HashMap<PartnershipSlug, LearningRecord>,
    audit: crate::AuditTrail,
    feed: crate::Feed,
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
                // Decoded once for every read model: decoding is most of a rebuild's cost.
                self.audit
                    .apply_partnership_event(slug.clone(), event, &decoded);
                let recorded = Recorded {
                    position: event.position,
                    stream_version: event.stream_version,
                    recorded_at: event.recorded_at,
                    event: decoded,
                };
                let previous = self.partnerships.remove(&slug);
                if let Some(next) = PartnershipRecord::next(previous, recorded) {
                    self.partnerships.insert(slug, next);
                }
            }
            Some(StreamRef::Case(slug, case_id)) => {
                let decoded = decode_case_event(event).map_err(decode_error)?;
                self.audit.apply_case_event(slug.clone(), case_id, event);
                self.apply_case_event(slug, case_id, &decoded, event);
            }
            Some(StreamRef::Reminders(_)) => {
                let decoded: ReminderEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(decode_error)?;
                self.feed.reminder(&decoded, event.event_id);
            }
            Some(StreamRef::Learning(slug)) => {
                let decoded: LearningEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(decode_error)?;
                self.audit.apply_learning_event(slug.clone(), event);
                self.learning.entry(slug).or_default().push(Recorded {
                    position: event.position,
                    stream_version: event.stream_version,
                    recorded_at: event.recorded_at,
                    event: decoded,
                });
            }
            // Streams of other kinds (none yet) are not part of these read models.
            None => {}
        }
        self.position = event.position;
        self.head_hash = event.hash;
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
        cases
            .years
            .entry(FinancialYear::of(decoded.occurred_at()))
            .or_insert(event.recorded_at);
        let mark = Mark::new(event.position, event.recorded_at);
        // Folded in place: a rebuild applies every event of the log, and moving whole case
        // records in and out of the map was a large part of its cost.
        if let Some(record) = cases.by_id.get_mut(&case_id) {
            let involved = record.case.involved.len();
            let stage = record.case.stage;
            record.case.record(decoded);
            record.deadlines.forget();
            record.version = event.stream_version;
            record.updated_at = event.recorded_at;
            cases.index.updated(
                record.opened_position,
                record.updated_position(),
                event.position,
            );
            record.marks.push(mark);
            cases
                .index
                .staged(record.opened_position, stage, record.case.stage);
            if record.case.involved.len() != involved {
                note_involvement(record, event.recorded_at, &mut cases.index);
            }
            cases.due.changed(record.opened_position);
            return;
        }
        if let Some(case) = Case::evolve(None, decoded) {
            cases.by_opening.insert(event.position, case_id);
            cases
                .index
                .opened(event.position, case.opened_at, case.stage);
            let mut record = CaseRecord {
                case,
                version: event.stream_version,
                opened_recorded_at: event.recorded_at,
                opened_position: event.position,
                updated_at: event.recorded_at,
                marks: vec![mark],
                involved_since: Vec::new(),
                deadlines: DeadlineCache::default(),
            };
            note_involvement(&mut record, event.recorded_at, &mut cases.index);
            cases
                .by_reference
                .entry(reference_key(record.case.reference()))
                .or_default()
                .push(case_id);
            cases.by_id.insert(case_id, Box::new(record));
            cases.due.changed(event.position);
        }
    }

    /// Gives back the spare room vectors grew into while the log was folded: called once the
    /// start-up rebuild is done, when every case's history has stopped growing fast. Only the
    /// cases with a fact after log position `folded_after` grew in the fold (0: every case);
    /// the others were decoded from a snapshot at their length, and copying them again would
    /// only lengthen the start-up (329 ms at 1.26M events for every case).
    pub fn compact(&mut self, folded_after: u64) {
        for cases in self.cases.values_mut() {
            let grown = cases
                .by_id
                .values_mut()
                .filter(|record| record.updated_position() > folded_after);
            for record in grown {
                // A clone holds every vector and map of the case at its length: the spare room
                // they grew into as the case's events were folded one by one goes with the
                // original. (Compacting gives back 38 MiB of the 261 MiB the read models of
                // 30,000 seeded cases take once folded: `benches/memory.rs`.)
                record.case = record.case.clone();
                record.marks.shrink_to_fit();
                record.involved_since.shrink_to_fit();
            }
            cases.by_id.shrink_to_fit();
            // Nearly every reference names one case, in a vector that took room for four.
            for ids in cases.by_reference.values_mut() {
                ids.shrink_to_fit();
            }
            cases.by_reference.shrink_to_fit();
        }
        for learning in self.learning.values_mut() {
            learning.compact();
        }
        self.audit.compact();
        self.feed.compact();
    }

    /// What the change feed needs of the read models: the reminders already recorded.
    pub fn feed(&self) -> &crate::Feed {
        &self.feed
    }

    /// Moves past an event that could not be applied, so the log is still followed in order.
    pub fn skip(&mut self, event: &RecordedEvent) {
        if event.position > self.position {
            self.position = event.position;
            self.head_hash = event.hash;
        }
    }

    /// The hash of the last event applied (or skipped).
    pub fn head_hash(&self) -> [u8; 32] {
        self.head_hash
    }

    /// Builds the orders and look-ups a snapshot leaves out again (see `crate::snapshot`).
    pub(crate) fn restore_orders(&mut self) {
        for cases in self.cases.values_mut() {
            cases.restore_orders();
        }
    }

    /// The audit trail: every event of every partnership, with who did it and why.
    pub fn audit(&self) -> &crate::AuditTrail {
        &self.audit
    }

    /// The partnership's learning record as it stands (`None` before anything is recorded).
    pub fn learning(&self, slug: &PartnershipSlug) -> Option<&Learning> {
        self.learning.get(slug).map(LearningRecord::current)
    }

    /// The partnership's learning record as it was at `as_of`.
    pub fn learning_as_of(&self, slug: &PartnershipSlug, as_of: DateTime<Utc>) -> Option<Learning> {
        self.learning.get(slug)?.as_of(as_of)
    }

    /// The learning stream's version (its ETag), 0 before anything is recorded.
    pub fn learning_version(&self, slug: &PartnershipSlug) -> u64 {
        self.learning.get(slug).map_or(0, LearningRecord::version)
    }

    /// The log positions of the learning stream's events recorded by `as_of`, with each
    /// event: what a figure counting them can point to.
    pub fn learning_history(
        &self,
        slug: &PartnershipSlug,
        as_of: DateTime<Utc>,
    ) -> impl Iterator<Item = &Recorded<LearningEvent>> {
        self.learning
            .get(slug)
            .map(LearningRecord::history)
            .unwrap_or_default()
            .iter()
            .take_while(move |r| r.recorded_at <= as_of)
    }

    /// A partnership.
    pub fn partnership(&self, slug: &PartnershipSlug) -> Option<&Partnership> {
        self.partnerships.get(slug).map(PartnershipRecord::current)
    }

    /// A partnership, shared: for a reader that keeps it after the read lock is let go (a
    /// command deciding on it), without copying it.
    pub fn shared_partnership(
        &self,
        slug: &PartnershipSlug,
    ) -> Option<std::sync::Arc<Partnership>> {
        self.partnerships.get(slug).map(PartnershipRecord::shared)
    }

    /// How many of the partnership's events changed what its cases' deadlines read of it (its
    /// settings, its calendar, its statutory partners: `Partnership::deadline_basis`), so
    /// deadlines computed under one generation hold for as long as it does. An agency joining
    /// or leaving is no new generation.
    pub fn deadline_generation(&self, slug: &PartnershipSlug) -> DeadlineGeneration<'_> {
        self.partnerships.get(slug).map_or(
            DeadlineGeneration::NONE,
            PartnershipRecord::deadline_generation,
        )
    }

    /// The partnership stream's version (its ETag), from the read model's own history.
    pub fn partnership_version(&self, slug: &PartnershipSlug) -> Option<u64> {
        self.partnerships
            .get(slug)?
            .history()
            .last()
            .map(|r| r.stream_version)
    }

    /// A partnership as the facts recorded by `as_of` made it (its calendar then included):
    /// deadlines are evaluated with what the partnership knew at the time.
    pub fn partnership_as_of(
        &self,
        slug: &PartnershipSlug,
        as_of: DateTime<Utc>,
    ) -> Option<Partnership> {
        let record = self.partnerships.get(slug)?;
        let known = record.history().partition_point(|r| r.recorded_at <= as_of);
        record.after(known)
    }

    /// A partnership as the events before `position` made it (its calendar then included):
    /// what the feed judges a later fact's deadlines with.
    pub fn partnership_before(&self, slug: &PartnershipSlug, position: u64) -> Option<Partnership> {
        let record = self.partnerships.get(slug)?;
        let known = record.history().partition_point(|r| r.position < position);
        record.after(known)
    }

    /// How many of the partnership's events come before `position`: two positions with the
    /// same count see the same partnership.
    pub fn partnership_events_before(&self, slug: &PartnershipSlug, position: u64) -> usize {
        self.partnerships.get(slug).map_or(0, |r| {
            r.history().partition_point(|e| e.position < position)
        })
    }

    /// The partnership's cases opened before `position`, in opening order.
    pub fn cases_opened_before(&self, slug: &PartnershipSlug, position: u64) -> Vec<CaseId> {
        self.cases.get(slug).map_or_else(Vec::new, |c| {
            c.by_opening.range(..position).map(|(_, id)| *id).collect()
        })
    }

    /// Every case of a partnership in opening order.
    pub fn cases(&self, slug: &PartnershipSlug) -> impl Iterator<Item = &CaseRecord> {
        self.cases.get(slug).into_iter().flat_map(|c| {
            c.by_opening
                .values()
                .filter_map(|id| c.by_id.get(id).map(AsRef::as_ref))
        })
    }

    /// The financial years in which a fact of the partnership's cases occurred, among the
    /// facts recorded by `as_of`, oldest first.
    pub fn statistics_years(
        &self,
        slug: &PartnershipSlug,
        as_of: DateTime<Utc>,
    ) -> Vec<FinancialYear> {
        self.cases.get(slug).map_or_else(Vec::new, |cases| {
            cases
                .years
                .iter()
                .filter(|(_, first_recorded)| **first_recorded <= as_of)
                .map(|(year, _)| *year)
                .collect()
        })
    }

    /// Every partnership the log has established, in slug order.
    pub fn partnership_slugs(&self) -> Vec<&PartnershipSlug> {
        let mut slugs: Vec<_> = self.partnerships.keys().collect();
        slugs.sort();
        slugs
    }

    /// The cases of a partnership whose child, adult or victim has exactly this reference.
    pub fn cases_with_reference<'a>(
        &'a self,
        slug: &PartnershipSlug,
        reference: &'a str,
    ) -> impl Iterator<Item = &'a CaseRecord> {
        self.cases.get(slug).into_iter().flat_map(move |c| {
            c.by_reference
                .get(&reference_key(reference))
                .into_iter()
                .flatten()
                .filter_map(|id| c.by_id.get(id).map(AsRef::as_ref))
                .filter(move |r| r.case.reference() == reference)
        })
    }

    /// One case of a partnership.
    pub fn case(&self, slug: &PartnershipSlug, case_id: CaseId) -> Option<&CaseRecord> {
        self.cases.get(slug)?.by_id.get(&case_id).map(AsRef::as_ref)
    }
}

fn reference_key(reference: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    reference.hash(&mut hasher);
    hasher.finish()
}

/// A stored case event as the read models keep it: in its current shape, without the sealed
/// bytes, which the read models never unseal (a report's ciphertext would otherwise stay in
/// memory for every case). The identifying details are unsealed from the stored event.
pub fn decode_case_event(event: &RecordedEvent) -> Result<CaseEvent, DecodeError> {
    let mut decoded: CaseEvent = decode(&event.event_type, event.schema_version, &event.data)?;
    if let Some(sealed) = decoded.sealed_mut() {
        sealed.forget_text();
    }
    Ok(decoded)
}

/// Records when the organisations newly involved in a case became involved.
fn note_involvement(record: &mut CaseRecord, recorded_at: DateTime<Utc>, index: &mut CaseIndex) {
    for org in &record.case.involved {
        if !record.involved_since.iter().any(|(known, _)| known == org) {
            record.involved_since.push((org.clone(), recorded_at));
            index.involved(org, record.opened_position);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::codec::encode;
    use casetrail_domain::partnership::{OrgKind, Organisation, PartnershipSettings};
    use casetrail_domain::stream::{case_stream, partnership_stream};
    use casetrail_domain::{OrgSlug, case};
    use casetrail_store::GENESIS_HASH;
    use serde_json::json;

    fn slug() -> PartnershipSlug {
        PartnershipSlug::parse("southend").unwrap()
    }

    fn recorded(
        position: u64,
        stream_id: &str,
        version: u64,
        event: (String, serde_json::Value),
    ) -> RecordedEvent {
        RecordedEvent {
            position,
            stream_id: stream_id.to_owned(),
            stream_version: version,
            event_id: uuid::Uuid::from_u128(u128::from(position)),
            schema_version: casetrail_domain::codec::schema_version(&event.0),
            event_type: event.0,
            data: event.1,
            metadata: json!({}),
            recorded_at: "2022-12-22T10:00:00Z".parse().unwrap(),
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }

    fn established() -> RecordedEvent {
        let event = PartnershipEvent::PartnershipEstablished {
            slug: slug(),
            name: "Southend".into(),
            settings: PartnershipSettings::default(),
        };
        recorded(1, &partnership_stream(&slug()), 1, encode(&event))
    }

    fn notified(position: u64, id: u128) -> RecordedEvent {
        let event = CaseEvent::IncidentNotified(case::IncidentNotified {
            case_id: CaseId::from_uuid(uuid::Uuid::from_u128(id)),
            notified_by: OrgSlug::parse("southend-council").unwrap(),
            child: case::ChildProfile {
                reference: format!("REF-{id}"),
                age_band: case::AgeBand::From1To5,
                sex: "male".into(),
                ethnicity: "Mixed".into(),
                looked_after: true,
                child_protection_plan: false,
            },
            personal_data: case::SealedPersonalData {
                key_id: uuid::Uuid::nil(),
                algorithm: "AES-256-GCM".into(),
                nonce: String::new(),
                ciphertext: String::new(),
            },
            incident_date: "2022-12-20".parse().unwrap(),
            became_aware_on: "2022-12-22".parse().unwrap(),
            harm: case::Harm::Death,
            abuse_or_neglect: case::AbuseOrNeglect::Known,
            location_basis: case::LocationBasis::InArea,
            occurred_at: "2022-12-22T10:00:00Z".parse().unwrap(),
        });
        let id = CaseId::from_uuid(uuid::Uuid::from_u128(id));
        recorded(position, &case_stream(&slug(), id), 1, encode(&event))
    }

    #[test]
    fn events_must_come_in_log_order() {
        let mut models = ReadModels::default();
        assert!(matches!(
            models.apply(&notified(2, 1)),
            Err(ProjectionError::OutOfOrder {
                expected: 1,
                got: 2
            })
        ));
        models.apply(&established()).unwrap();
        assert_eq!(models.position(), 1);
    }

    #[test]
    fn cases_are_listed_in_the_order_they_were_opened_whatever_their_ids() {
        let mut models = ReadModels::default();
        models.apply(&established()).unwrap();
        // Ids deliberately out of order with the positions.
        for (position, id) in [(2, 30), (3, 10), (4, 20)] {
            models.apply(&notified(position, id)).unwrap();
        }
        let org = Organisation {
            slug: OrgSlug::parse("x").unwrap(),
            name: "x".into(),
            kind: OrgKind::Other,
        };
        let registered = PartnershipEvent::OrganisationRegistered(org);
        models
            .apply(&recorded(
                5,
                &partnership_stream(&slug()),
                2,
                encode(&registered),
            ))
            .unwrap();
        let ids = |page: &[&CaseRecord]| {
            page.iter()
                .map(|r| r.case.case_id.as_uuid().as_u128())
                .collect::<Vec<_>>()
        };
        let listed: Vec<&CaseRecord> = models.cases(&slug()).collect();
        assert_eq!(ids(&listed), vec![30, 10, 20]);
        let positions: Vec<u64> = listed.iter().map(|r| r.opened_position).collect();
        assert_eq!(positions, vec![2, 3, 4]);
        assert_eq!(models.partnership(&slug()).unwrap().organisations.len(), 1);
        assert_eq!(
            models
                .case(&slug(), CaseId::from_uuid(uuid::Uuid::from_u128(10)))
                .unwrap()
                .version,
            1
        );
    }

    #[test]
    fn an_undecodable_event_is_an_error_not_a_panic() {
        let mut models = ReadModels::default();
        let bad = recorded(
            1,
            "southend/partnership",
            1,
            ("PartnershipEstablished".into(), json!({"slug": 5})),
        );
        assert!(matches!(
            models.apply(&bad),
            Err(ProjectionError::Decode { position: 1, .. })
        ));
    }

    /// Compacting after a rebuild gives back room, never a fact: the models say what they said
    /// (cases, learning record, audit trail), and a case's marks are held at their length,
    /// also after a later fold that compacts only the cases it grew (as after a snapshot).
    #[test]
    fn compacting_changes_nothing_the_models_say() {
        use casetrail_seed::Workload;
        let workload = Workload {
            partnerships: 2,
            cases: 300,
            open_cases: 60,
            seed: 7,
        };
        let log: Vec<RecordedEvent> = workload
            .recorded("2021-01-04T09:00:00Z".parse().unwrap())
            .take(15_000)
            .collect();
        let (first, rest) = log.split_at(12_000);
        let mut models = ReadModels::default();
        let compacted_after = |models: &mut ReadModels, events: &[RecordedEvent], after| {
            for event in events {
                models.apply(event).unwrap();
            }
            let before = models.clone();
            models.compact(after);
            assert_eq!(*models, before);
            let slugs: Vec<PartnershipSlug> =
                models.partnership_slugs().into_iter().cloned().collect();
            assert!(
                slugs.iter().any(|s| models.learning(s).is_some()),
                "a learning record"
            );
            let records: Vec<&CaseRecord> = slugs.iter().flat_map(|s| models.cases(s)).collect();
            assert!(records.len() > 100, "{} cases", records.len());
            assert!(records.iter().all(|r| r.marks.capacity() == r.marks.len()));
        };
        compacted_after(&mut models, first, 0);
        let position = models.position();
        compacted_after(&mut models, rest, position);
    }
}
