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

/// An event as the read models keep it: decoded, with its place in the log.
#[derive(Debug, Clone)]
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

/// A case with what the log says about it.
#[derive(Debug, Clone)]
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
    /// Every event of the case, in order: what time travel folds again up to an instant.
    pub history: Vec<Recorded<CaseEvent>>,
}

impl CaseRecord {
    /// The case as the facts recorded by `as_of` made it; `None` before it was opened.
    pub fn as_of(&self, as_of: DateTime<Utc>) -> Option<CaseRecord> {
        // recorded_at never goes backwards along the log, so what was known by `as_of` is a
        // prefix of the history.
        let known = self.history.partition_point(|r| r.recorded_at <= as_of);
        if known == self.history.len() {
            return Some(self.clone());
        }
        let history = &self.history[..known];
        let last = history.last()?;
        let case = Case::replay(history.iter().map(|r| &r.event))?;
        Some(CaseRecord {
            case,
            version: last.stream_version,
            opened_recorded_at: self.opened_recorded_at,
            opened_position: self.opened_position,
            updated_at: last.recorded_at,
            history: history.to_vec(),
        })
    }
}

/// One partnership's cases, by id and in the order they were opened.
#[derive(Debug, Default, Clone)]
struct PartnershipCases {
    by_id: HashMap<CaseId, CaseRecord>,
    // Keyed by the log position of each case's first event: creation order, stable for
    // cursors whatever the ids look like (ids derived from an Idempotency-Key are not v7).
    by_opening: BTreeMap<u64, CaseId>,
}

/// A partnership and its history, for time travel.
#[derive(Debug, Clone)]
struct PartnershipRecord {
    current: Partnership,
    history: Vec<Recorded<PartnershipEvent>>,
}

/// Every read model of the review status, folded from the log.
#[derive(Debug, Default, Clone)]
pub struct ReadModels {
    position: u64,
    partnerships: HashMap<PartnershipSlug, PartnershipRecord>,
    cases: HashMap<PartnershipSlug, PartnershipCases>,
    audit: crate::AuditTrail,
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
                let previous = self.partnerships.remove(&slug);
                let (current, mut history) = match previous {
                    Some(record) => (Some(record.current), record.history),
                    None => (None, Vec::new()),
                };
                if let Some(next) = Partnership::evolve(current, &decoded) {
                    history.push(Recorded {
                        position: event.position,
                        stream_version: event.stream_version,
                        recorded_at: event.recorded_at,
                        event: decoded,
                    });
                    self.partnerships.insert(
                        slug,
                        PartnershipRecord {
                            current: next,
                            history,
                        },
                    );
                }
            }
            Some(StreamRef::Case(slug, case_id)) => {
                let decoded: CaseEvent =
                    decode(&event.event_type, event.schema_version, &event.data)
                        .map_err(decode_error)?;
                self.audit
                    .apply_case_event(slug.clone(), case_id, event, &decoded);
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
        let recorded = Recorded {
            position: event.position,
            stream_version: event.stream_version,
            recorded_at: event.recorded_at,
            event: decoded.clone(),
        };
        // Folded in place: a rebuild applies every event of the log, and moving whole case
        // records in and out of the map was a large part of its cost.
        if let Some(record) = cases.by_id.get_mut(&case_id) {
            record.case.record(decoded);
            record.version = event.stream_version;
            record.updated_at = event.recorded_at;
            record.history.push(recorded);
            return;
        }
        if let Some(case) = Case::evolve(None, decoded) {
            cases.by_opening.insert(event.position, case_id);
            cases.by_id.insert(
                case_id,
                CaseRecord {
                    case,
                    version: event.stream_version,
                    opened_recorded_at: event.recorded_at,
                    opened_position: event.position,
                    updated_at: event.recorded_at,
                    history: vec![recorded],
                },
            );
        }
    }

    /// Moves past an event that could not be applied, so the log is still followed in order.
    pub fn skip(&mut self, position: u64) {
        self.position = self.position.max(position);
    }

    /// The audit trail: every event of every partnership, with who did it and why.
    pub fn audit(&self) -> &crate::AuditTrail {
        &self.audit
    }

    /// A partnership.
    pub fn partnership(&self, slug: &PartnershipSlug) -> Option<&Partnership> {
        self.partnerships.get(slug).map(|r| &r.current)
    }

    /// The partnership stream's version (its ETag), from the read model's own history.
    pub fn partnership_version(&self, slug: &PartnershipSlug) -> Option<u64> {
        self.partnerships
            .get(slug)?
            .history
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
        let known = record.history.partition_point(|r| r.recorded_at <= as_of);
        if known == record.history.len() {
            return Some(record.current.clone());
        }
        record.history[..known]
            .iter()
            .fold(None, |state, r| Partnership::evolve(state, &r.event))
    }

    /// Every case of a partnership in opening order.
    pub fn cases(&self, slug: &PartnershipSlug) -> impl Iterator<Item = &CaseRecord> {
        self.cases
            .get(slug)
            .into_iter()
            .flat_map(|c| c.by_opening.values().filter_map(|id| c.by_id.get(id)))
    }

    /// Every partnership the log has established, in slug order.
    pub fn partnership_slugs(&self) -> Vec<&PartnershipSlug> {
        let mut slugs: Vec<_> = self.partnerships.keys().collect();
        slugs.sort();
        slugs
    }

    /// One case of a partnership.
    pub fn case(&self, slug: &PartnershipSlug, case_id: CaseId) -> Option<&CaseRecord> {
        self.cases.get(slug)?.by_id.get(&case_id)
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
}
