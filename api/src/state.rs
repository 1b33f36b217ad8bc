//! What every handler shares.

use casetrail_projections::ProjectorHandle;
use casetrail_store::{AccessLogStore, AccessLogger, DataKeyStore, EventStore};
use std::sync::Arc;
use std::time::Duration;

/// Shared application state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The event store.
    pub store: Arc<dyn EventStore>,
    /// The keys sealing personal data.
    pub data_keys: Arc<dyn DataKeyStore>,
    /// Where reads of cases are queued for the access log.
    pub access_log: AccessLogger,
    /// The access log, for reading it.
    pub access_log_store: Arc<dyn AccessLogStore>,
    /// The read models and the position they reached.
    pub projector: ProjectorHandle,
    /// How long a command waits for its events to be projected before answering anyway.
    pub projection_wait: Duration,
    /// Reads with `as_of` under way per user.
    pub as_of_limit: Arc<crate::routes::past::AsOfLimit>,
}
