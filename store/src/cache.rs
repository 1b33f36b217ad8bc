//! What the writer knows of the log between batches, so that a batch can be planned without
//! reading the database first.
//!
//! After each commit the writer knows the end of the hash chain and the versions of the
//! streams of its batches. A batch planned on that knowledge is only a guess, because another
//! process may have appended since: the backend commits it only if, under the append lock and
//! in the same statement that inserts the rows, the database still holds exactly what the plan
//! assumed ([`crate::batch::Basis`]). Otherwise nothing is written and the batch is planned
//! again on what the database holds. So the cache can be stale, never wrong.

use std::collections::HashMap;

use crate::batch::{self, Basis, Head, Plan, Snapshot};
use crate::{AppendRequest, ExpectedVersion};

/// Stream versions kept at most. Beyond this the cache starts again empty rather than grow
/// without bound; a forgotten stream costs at most one read under the lock.
const MAX_STREAMS: usize = 100_000;

/// The writer's knowledge of the log after its last commit.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    /// `None` until a batch has been committed or read under the lock, and after a failure.
    known: Option<Known>,
}

#[derive(Debug)]
struct Known {
    head: Option<Head>,
    versions: HashMap<String, u64>,
}

impl Cache {
    /// The snapshot a batch would read if nobody else had appended since the last commit, and
    /// what planning on it takes for granted; `None` while nothing is known.
    ///
    /// A stream the cache does not know is guessed to be where its first request expects it
    /// (`Exact(n)`: at `n`; otherwise: new). The database checks each guess; when one is wrong
    /// the batch is planned again on what the database holds, which reports any conflict.
    pub(crate) fn assume(&self, requests: &[AppendRequest]) -> Option<(Snapshot, Basis)> {
        let known = self.known.as_ref()?;
        let mut versions = HashMap::with_capacity(requests.len());
        let mut guessed = Vec::new();
        for request in requests {
            if versions.contains_key(&request.stream_id) {
                continue;
            }
            let version = match known.versions.get(&request.stream_id) {
                Some(version) => *version,
                None => {
                    let guess = match request.expected_version {
                        ExpectedVersion::Exact(expected) => expected,
                        ExpectedVersion::NoStream | ExpectedVersion::Any => 0,
                    };
                    guessed.push((request.stream_id.clone(), guess));
                    guess
                }
            };
            versions.insert(request.stream_id.clone(), version);
        }
        let snapshot = Snapshot {
            head: known.head,
            versions,
            stored: HashMap::new(),
        };
        let basis = Basis {
            head: known.head,
            guessed,
            new_ids: batch::new_ids(requests, &snapshot.stored),
        };
        Some((snapshot, basis))
    }

    /// Learns the log's state after a batch, whose plan was either confirmed by the database
    /// under the lock or made on what was read under it.
    pub(crate) fn remember(&mut self, plan: &mut Plan) {
        let known = self.known.get_or_insert_with(|| Known {
            head: None,
            versions: HashMap::new(),
        });
        known.head = plan.head;
        if known.versions.len() + plan.versions.len() > MAX_STREAMS {
            known.versions.clear();
        }
        known.versions.extend(plan.versions.drain());
    }

    /// Forgets everything, after a failure whose outcome is unknown.
    pub(crate) fn forget(&mut self) {
        self.known = None;
    }
}
