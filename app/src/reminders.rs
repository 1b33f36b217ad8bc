//! The reminder service (issue 14): records the reminders and breaches time passing has made
//! owed, so that the feed and webhooks tell each exactly once (docs/rules.md, "Reminders").
//!
//! It runs in every replica. Each owed notice has an id derived from what it is about
//! (`ReminderEvent::event_id`), and the store writes an event id once: two replicas that
//! record the same reminder at the same moment store it once, and a restart records nothing
//! again. Each notice is appended on its own, so one that another replica recorded first
//! (an idempotent retry) never holds back the others.
//!
//! A pass computes the deadlines only of the cases that may owe something: a case found owing
//! nothing, now or later, is passed over until it or its partnership changes
//! (`settled::SettledCases`).

mod settled;

pub use settled::SettledCases;

use crate::clock::SharedClock;
use casetrail_domain::codec::{encode, schema_version};
use casetrail_domain::deadline::Deadline;
use casetrail_domain::metadata::{EventMetadata, METADATA_VERSION, MetadataActor};
use casetrail_domain::reminders::{ReminderEvent, owed, settled_for_good};
use casetrail_domain::stream::reminders_stream;
use casetrail_domain::{CaseId, OrgSlug, PartnershipSlug};
use casetrail_projections::{ProjectorHandle, ReadModels};
use casetrail_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The command name the log records for the service's own events.
pub const RECORDED_BY: &str = "RecordDeadlineNotices";

/// Records owed reminders and breaches.
#[derive(Debug, Clone)]
pub struct ReminderService {
    projector: ProjectorHandle,
    store: Arc<dyn EventStore>,
    clock: SharedClock,
    /// What the last pass found settled.
    settled: Arc<Mutex<SettledCases>>,
}

/// What one pass recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Notices appended by this pass.
    pub recorded: usize,
    /// Notices found already stored (another replica was first).
    pub already_stored: usize,
    /// Cases found settled for good, which the next pass passes over unless they or their
    /// partnership change.
    pub settled: usize,
}

impl ReminderService {
    /// A service over the projector's read models, appending to `store`.
    pub fn new(projector: ProjectorHandle, store: Arc<dyn EventStore>, clock: SharedClock) -> Self {
        Self {
            projector,
            store,
            clock,
            settled: Arc::default(),
        }
    }

    /// Looks at every deadline once and records what is owed and not yet recorded. The
    /// pass waits for the read models to take in what it recorded, so the next pass sees it.
    pub async fn pass(&self) -> Result<Pass, StoreError> {
        let now = self.clock.now();
        let mut due = Vec::new();
        // A few hundred cases per hold of the read models' lock, so that the projector, which
        // commands wait on, is never held up for long by a pass over every case.
        let cases = every_case(&self.projector.read());
        let last = std::mem::take(&mut *self.lock_settled());
        let mut settled = SettledCases::default();
        for chunk in cases.chunks(CASES_PER_LOCK) {
            let models = self.projector.read();
            due.extend(owed_now(&models, chunk, now, &last, &mut settled));
        }
        let mut pass = Pass {
            settled: settled.len(),
            ..Pass::default()
        };
        // Only cases owing nothing are settled, so what follows cannot unsettle them.
        *self.lock_settled() = settled;
        let mut last_position = 0;
        for (slug, event) in due {
            match self.store.append(notice_request(&slug, &event)).await {
                Ok(appended) => {
                    last_position = last_position.max(appended.last_position);
                    if appended.already_stored {
                        pass.already_stored += 1;
                    } else {
                        pass.recorded += 1;
                    }
                }
                // The same notice judged by a replica whose calendar had not yet taken in a
                // holiday declared meanwhile: what the first replica stored stands.
                Err(StoreError::IdempotencyMismatch) => pass.already_stored += 1,
                Err(err) => return Err(err),
            }
        }
        self.projector
            .wait_for(last_position, Duration::from_secs(5))
            .await;
        Ok(pass)
    }

    fn lock_settled(&self) -> std::sync::MutexGuard<'_, SettledCases> {
        // What a panicking pass left is a subset of what held: still true.
        self.settled.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a pass every `every`, for as long as the service runs. A failed pass is logged
    /// (without data) and retried at the next tick.
    pub fn spawn(self, every: Duration) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.pass().await {
                    Ok(pass) if pass.recorded > 0 => {
                        tracing::info!(recorded = pass.recorded, "deadline notices recorded");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "recording deadline notices failed"),
                }
            }
        })
    }
}

/// Cases looked at per hold of the read models' lock.
const CASES_PER_LOCK: usize = 256;

/// Every case of every partnership, as a pass looks at them.
pub fn every_case(models: &ReadModels) -> Vec<(PartnershipSlug, CaseId)> {
    models
        .partnership_slugs()
        .into_iter()
        .flat_map(|slug| {
            models
                .cases(slug)
                .map(move |record| (slug.clone(), record.case.case_id))
        })
        .collect()
}

/// The notices owed at `now` for these cases that the log does not hold yet. A case `last`
/// (the previous pass) found settled at its present version and its partnership's is passed
/// over; each case found owing nothing, now or later, goes into `settled`.
pub fn owed_now(
    models: &ReadModels,
    cases: &[(PartnershipSlug, CaseId)],
    now: DateTime<Utc>,
    last: &SettledCases,
    settled: &mut SettledCases,
) -> Vec<(PartnershipSlug, ReminderEvent)> {
    let mut due = Vec::new();
    for (slug, case_id) in cases {
        let (Some(partnership), Some(version), Some(record)) = (
            models.partnership(slug),
            models.partnership_version(slug),
            models.case(slug, *case_id),
        ) else {
            continue;
        };
        if last.holds(slug, version, *case_id, record.version, now) {
            settled.carry(slug, version, *case_id, record.version, now);
            continue;
        }
        let owed_before = due.len();
        let mut for_good = true;
        let settings = &partnership.settings.reminders;
        let mut judge = |deadline: &Deadline| {
            for_good &= settled_for_good(deadline, &partnership.calendar, now);
            let Some(event) = owed(*case_id, deadline, settings, &partnership.calendar, now) else {
                return;
            };
            if !models.feed().has_reminder(event.event_id()) {
                due.push((slug.clone(), event));
            }
        };
        // The deadlines a read kept, else computed and let go: kept for every case, they
        // would hold kilobytes a case (BENCHMARKS.md, goal 3).
        match record.kept_deadlines(models.deadline_generation(slug)) {
            Some(kept) => kept.iter().for_each(|(_, deadline)| judge(deadline)),
            None => record.case.deadlines(partnership).iter().for_each(judge),
        }
        // Owing something now, it is settled once the log holds it (the next pass).
        if for_good && due.len() == owed_before {
            settled.settle(slug, version, *case_id, record.version, now);
        }
    }
    due
}

/// The append that records a notice for the partnership.
pub fn notice_request(slug: &PartnershipSlug, event: &ReminderEvent) -> AppendRequest {
    let (event_type, data) = encode(event);
    let event_id = event.event_id();
    let metadata = EventMetadata {
        metadata_version: Some(METADATA_VERSION),
        actor: MetadataActor {
            user: "system".into(),
            name: "Casetrail reminder service".into(),
            org: None::<OrgSlug>,
            roles: Vec::new(),
        },
        partnership: Some(slug.clone()),
        command: RECORDED_BY.to_owned(),
        // Derived, like the event id, so every replica writes the same row.
        correlation_id: Some(event_id),
        causation_id: None,
        request_id: None,
        idempotency_key: None,
        request_hash: None,
    };
    AppendRequest {
        data_keys: Vec::new(),
        stream_id: reminders_stream(slug),
        expected_version: ExpectedVersion::Any,
        events: vec![NewEvent {
            event_id,
            schema_version: schema_version(&event_type),
            event_type,
            data,
            metadata: metadata.to_json(),
        }],
    }
}
