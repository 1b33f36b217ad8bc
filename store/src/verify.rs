//! Integrity verification: recomputes the hash chain over the whole log and checks that
//! positions are gap-free and every stream's versions follow on, so an auditor can prove the
//! log has not been altered since it was written.

use crate::{EventStore, GENESIS_HASH, RecordedEvent, StoreError, event_hash};
use serde::Serialize;
use std::collections::HashMap;

/// Rows read per page while verifying.
const PAGE: usize = 2_000;

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Integrity {
    /// Every event checked out.
    Ok {
        /// Events checked.
        events: u64,
        /// Position of the last event (0 for an empty log).
        head_position: u64,
        /// Hash of the last event, hex (the genesis hash for an empty log).
        head_hash: String,
    },
    /// The first position that fails, and why.
    Broken {
        /// The first position at which the log is not what was written.
        position: u64,
        /// What is wrong there.
        reason: String,
    },
}

/// Checks events one after another, whatever they come from (the database or an export).
#[derive(Debug)]
pub struct Verifier {
    expected_position: u64,
    prev_hash: [u8; 32],
    versions: HashMap<String, u64>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            expected_position: 1,
            prev_hash: GENESIS_HASH,
            versions: HashMap::new(),
        }
    }
}

impl Verifier {
    /// Checks the next event; `Err` with the reason when it is not the one that was written.
    pub fn check(&mut self, event: &RecordedEvent) -> Result<(), String> {
        if event.position != self.expected_position {
            return Err(if event.position > self.expected_position {
                format!("position {} is missing", self.expected_position)
            } else {
                format!("position {} is out of order", event.position)
            });
        }
        if event.prev_hash != self.prev_hash {
            return Err("prev_hash does not match the previous event's hash".to_owned());
        }
        let recomputed = event_hash(
            &event.prev_hash,
            event.position,
            &event.stream_id,
            event.stream_version,
            event.event_id,
            &event.event_type,
            event.schema_version,
            &event.data,
            &event.metadata,
            event.recorded_at,
        );
        if recomputed != event.hash {
            return Err("the event's content does not match its hash".to_owned());
        }
        let version = self.versions.entry(event.stream_id.clone()).or_insert(0);
        if event.stream_version != *version + 1 {
            return Err(format!(
                "stream version {} follows version {} of its stream",
                event.stream_version, version
            ));
        }
        *version = event.stream_version;
        self.prev_hash = event.hash;
        self.expected_position += 1;
        Ok(())
    }

    /// The verdict after the last event.
    pub fn finish(self) -> Integrity {
        Integrity::Ok {
            events: self.expected_position - 1,
            head_position: self.expected_position - 1,
            head_hash: hex::encode(self.prev_hash),
        }
    }

    fn next_position(&self) -> u64 {
        self.expected_position
    }
}

/// Verifies the whole log in the store, page by page, without loading it into memory.
pub async fn verify(store: &dyn EventStore) -> Result<Integrity, StoreError> {
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = match store.read_all(after, PAGE).await {
            Ok(page) => page,
            // A row that cannot even be read back is where the log was altered.
            Err(StoreError::Corrupt { position, reason }) => {
                return Ok(Integrity::Broken { position, reason });
            }
            Err(err) => return Err(err),
        };
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            let position = verifier.next_position();
            if let Err(reason) = verifier.check(event) {
                return Ok(Integrity::Broken { position, reason });
            }
        }
    }
    Ok(verifier.finish())
}

/// Verifies the whole log (the chain is one, shared by every partnership, so no event can be
/// proven without the events before it) and reports on one partnership's streams only: how
/// many of its events were checked and the position and hash of its last one, an anchor it can
/// keep. A failure at another partnership's event is reported without its reason, which could
/// describe that partnership's data; its position alone says where the chain stops being
/// provable.
pub async fn verify_partnership(
    store: &dyn EventStore,
    partnership: &str,
) -> Result<Integrity, StoreError> {
    let prefix = format!("{partnership}/");
    let mut verifier = Verifier::default();
    let mut ours = 0;
    let mut head: Option<(u64, [u8; 32])> = None;
    let mut after = 0;
    loop {
        let page = match store.read_all(after, PAGE).await {
            Ok(page) => page,
            Err(StoreError::Corrupt { position, .. }) => {
                return Ok(Integrity::Broken {
                    position,
                    reason: OTHERS_BROKEN.to_owned(),
                });
            }
            Err(err) => return Err(err),
        };
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            let position = verifier.next_position();
            let theirs = event.stream_id.starts_with(&prefix);
            if let Err(reason) = verifier.check(event) {
                let reason = if theirs {
                    reason
                } else {
                    OTHERS_BROKEN.to_owned()
                };
                return Ok(Integrity::Broken { position, reason });
            }
            if theirs {
                ours += 1;
                head = Some((event.position, event.hash));
            }
        }
    }
    let (head_position, head_hash) = head.unwrap_or((0, GENESIS_HASH));
    Ok(Integrity::Ok {
        events: ours,
        head_position,
        head_hash: hex::encode(head_hash),
    })
}

/// The reason given for a failure outside the caller's partnership.
const OTHERS_BROKEN: &str = "the shared log fails verification here, outside this partnership's events; the operator \
     can see why with `casetrail verify`";
