//! What every handler shares.

use anyhow::Context;
use casetrail_app::personal_data::{KeyEncryption, KeyVault};
use casetrail_app::queries::Queries;
use casetrail_app::webhooks::Webhooks;
use casetrail_app::webhooks::target::TargetPolicy;
use casetrail_app::{CommandBus, SharedClock};
use casetrail_projections::Projector;
use casetrail_projections::ProjectorHandle;
use casetrail_projections::snapshot::SnapshotFile;
use casetrail_store::{AccessLogStore, AccessLogger, EventStore};
use std::sync::Arc;
use std::time::Duration;

/// Shared application state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The event store.
    pub store: Arc<dyn EventStore>,
    /// Runs every command.
    pub bus: CommandBus,
    /// The time everything is decided and evaluated at.
    pub clock: SharedClock,
    /// The keys sealing personal data, wrapped by the key-encryption keys.
    pub data_keys: KeyVault,
    /// Where reads of cases are queued for the access log.
    pub access_log: AccessLogger,
    /// The access log, for reading it.
    pub access_log_store: Arc<dyn AccessLogStore>,
    /// The read models and the position they reached.
    pub projector: ProjectorHandle,
    /// Reads over the read models, now or in the past.
    pub queries: Queries,
    /// Webhook subscriptions.
    pub webhooks: Webhooks,
    /// Where the read models' snapshot is kept, and the position of the last one written or
    /// started from.
    pub snapshot: Option<(SnapshotFile, u64)>,
}

/// How long a command waits for its events to be projected before answering anyway.
const PROJECTION_WAIT: Duration = Duration::from_secs(2);

/// Reads with `as_of` one user may have under way at once, unless configured otherwise.
const DEFAULT_AS_OF_CONCURRENCY: usize = 2;

impl AppState {
    /// Opens the store (applying migrations), the data keys (wrapping any an older version
    /// left in the clear) and the access log, creates the demo partnership if asked, replays
    /// the log into the read models and finishes any interrupted erasure.
    pub async fn open(
        database_url: &str,
        keks: Arc<dyn KeyEncryption>,
        demo_data: bool,
        clock: SharedClock,
        snapshot: Option<SnapshotFile>,
    ) -> anyhow::Result<Self> {
        let store = casetrail_store::open(database_url)
            .await
            .context("cannot open the event store (DATABASE_URL)")?;
        let data_keys = KeyVault::new(
            casetrail_store::open_data_keys(database_url)
                .await
                .context("cannot open the personal data keys")?,
            keks,
        );
        let wrapped = data_keys
            .wrap_plaintext_keys()
            .await
            .context("cannot wrap the data keys stored in the clear by an earlier version")?;
        if wrapped > 0 {
            tracing::info!(wrapped, "data keys stored in the clear are now wrapped");
        }
        let access_log_store = casetrail_store::open_access_log(database_url)
            .await
            .context("cannot open the access log")?;
        if demo_data {
            casetrail_app::demo::ensure_demo_partnership(store.as_ref())
                .await
                .context("cannot create the demo partnership")?;
        }
        let started_at = std::time::Instant::now();
        let (projector, started) = Projector::start_from(Arc::clone(&store), snapshot.as_ref())
            .await
            .context("cannot replay the event log")?;
        crate::snapshots::report_start(&started, snapshot.as_ref(), started_at.elapsed());
        let snapshot = snapshot.map(|file| (file, *started.snapshot.as_ref().unwrap_or(&0)));
        casetrail_app::erasure::finish_interrupted(&projector, &data_keys)
            .await
            .map_err(|err| anyhow::anyhow!("cannot finish an erasure: {err}"))?;
        let bus = CommandBus::new(
            Arc::clone(&store),
            projector.clone(),
            data_keys.clone(),
            Arc::clone(&clock),
            PROJECTION_WAIT,
        );
        let access_log = AccessLogger::start(Arc::clone(&access_log_store));
        let webhooks = Webhooks::new(
            casetrail_store::open_webhooks(database_url)
                .await
                .context("cannot open the webhook subscriptions")?,
            data_keys.clone(),
            projector.clone(),
            // The strictest policy until the configuration says otherwise.
            TargetPolicy {
                development: false,
                allow_private: false,
            },
        );
        let queries = Queries::new(
            projector.clone(),
            data_keys.clone(),
            access_log.clone(),
            Arc::clone(&access_log_store),
            DEFAULT_AS_OF_CONCURRENCY,
            Arc::clone(&clock),
        );
        Ok(Self {
            store,
            bus,
            clock,
            data_keys,
            access_log,
            access_log_store,
            projector,
            queries,
            webhooks,
            snapshot,
        })
    }

    /// Writes the queued access records, stops following the log and closes the store after
    /// queued appends.
    pub async fn close(&self) {
        self.access_log.close().await;
        self.projector.stop();
        self.store.close().await;
    }
}
