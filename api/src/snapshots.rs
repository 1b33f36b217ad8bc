//! The read models' snapshot as the server keeps it: read at start-up, written every so many
//! events and when stopping (`casetrail_projections::snapshot` says why it can be trusted).

use casetrail_projections::snapshot::{Build, SnapshotFile, Unusable};
use casetrail_projections::{ProjectorHandle, Started};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the log's growth since the last snapshot is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// The snapshot at `path`, of this build; `None` when turned off, or when the executable
/// cannot be read to know its build (then said, and the log is folded from the start).
pub fn file(path: Option<PathBuf>) -> Option<SnapshotFile> {
    let path = path?;
    match Build::of_this_executable() {
        Ok(build) => Some(SnapshotFile::new(path, build)),
        Err(error) => {
            tracing::warn!(%error, "cannot read the executable to know its build; read-model snapshots are off");
            None
        }
    }
}

/// Says how the read models were built: from which snapshot, or why none was used.
pub fn report_start(started: &Started, file: Option<&SnapshotFile>, took: Duration) {
    let millis = took.as_millis() as u64;
    match (&started.snapshot, file) {
        (Ok(position), _) => tracing::info!(
            snapshot_position = position,
            folded = started.folded,
            millis,
            "read models ready from their snapshot and the events after it"
        ),
        (Err(Unusable::Missing), _) | (_, None) => tracing::info!(
            folded = started.folded,
            millis,
            "read models folded from the whole log"
        ),
        (Err(reason), Some(file)) => tracing::warn!(
            %reason,
            path = %file.path().display(),
            folded = started.folded,
            millis,
            "read-model snapshot not used; folded the whole log"
        ),
    }
}

/// Writes a snapshot of the read models as they stand, saying so; a failure is reported and
/// costs only a longer next start. Returns the position written, if any.
pub async fn write(projector: &ProjectorHandle, file: &SnapshotFile, why: &str) -> Option<u64> {
    let started = Instant::now();
    match projector.write_snapshot(file).await {
        Ok(Some(written)) => {
            tracing::info!(
                position = written.position,
                bytes = written.bytes,
                millis = started.elapsed().as_millis() as u64,
                encoding_millis = written.encoding.as_millis() as u64,
                why,
                "read-model snapshot written"
            );
            Some(written.position)
        }
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, path = %file.path().display(), why, "cannot write the read-model snapshot");
            None
        }
    }
}

/// Writes a snapshot whenever `every` events or more were recorded since the last one (at
/// `position`), looking once a minute, for as long as the server runs.
pub async fn keep(projector: ProjectorHandle, file: SnapshotFile, mut position: u64, every: u64) {
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        if projector.position().saturating_sub(position) >= every
            && let Some(written) = write(&projector, &file, "events recorded since the last").await
        {
            position = written;
        }
    }
}
