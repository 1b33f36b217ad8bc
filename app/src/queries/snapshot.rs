//! What the read models said at an instant, for one actor.

use crate::visibility::can_see;
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{Actor, CaseId};
use casetrail_projections::history::{Past, Stale};
use casetrail_projections::{CaseRecord, DeadlineGeneration, ReadModels};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// The partnership as it was at an instant and the cases the actor could see then.
#[derive(Debug)]
pub struct Snapshot<'a> {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The partnership then (its calendar judges the deadlines).
    pub partnership: Cow<'a, Partnership>,
    /// The partnership's deadline generation in the read models when the snapshot is of the present:
    /// the cases' deadlines the read models keep hold for it. `None` for the past.
    pub generation: Option<DeadlineGeneration<'a>>,
    /// The cases the actor could see then, in the read models' order.
    pub cases: Vec<Cow<'a, CaseRecord>>,
}

impl Snapshot<'_> {
    /// One case of the snapshot.
    pub fn case(&self, case_id: CaseId) -> Option<&CaseRecord> {
        self.cases
            .iter()
            .map(AsRef::as_ref)
            .find(|r| r.case.case_id == case_id)
    }
}

/// The partnership and the cases (or `only` that case) the actor could see at `now`, or at
/// the instant of `past`; `None` for a partnership that did not exist.
pub(super) fn snapshot<'a>(
    models: &'a ReadModels,
    actor: &Actor,
    only: Option<CaseId>,
    past: Option<&'a Past>,
    now: DateTime<Utc>,
) -> Result<Option<Snapshot<'a>>, Stale> {
    let (at, partnership, generation) = match past {
        None => match models.partnership(&actor.partnership) {
            Some(p) => (
                now,
                Cow::Borrowed(p),
                Some(models.deadline_generation(&actor.partnership)),
            ),
            None => return Ok(None),
        },
        Some(past) => match models.partnership_as_of(&actor.partnership, past.at()) {
            Some(p) => (past.at(), Cow::Owned(p), None),
            None => return Ok(None),
        },
    };
    let mut cases = Vec::new();
    let chosen: Box<dyn Iterator<Item = &CaseRecord>> = match only {
        Some(case_id) => Box::new(models.case(&actor.partnership, case_id).into_iter()),
        None => Box::new(models.cases(&actor.partnership)),
    };
    for record in chosen {
        if let Some(then) =
            as_it_was(record, past)?.filter(|r| can_see(actor, &partnership, &r.case))
        {
            cases.push(then);
        }
    }
    Ok(Some(Snapshot {
        at,
        partnership,
        generation,
        cases,
    }))
}

/// The case as it was at `past`'s instant (`None` when it did not exist yet), or as it is now.
pub(super) fn as_it_was<'a>(
    record: &'a CaseRecord,
    past: Option<&'a Past>,
) -> Result<Option<Cow<'a, CaseRecord>>, Stale> {
    match past {
        None => Ok(Some(Cow::Borrowed(record))),
        Some(past) => past.case(record),
    }
}
