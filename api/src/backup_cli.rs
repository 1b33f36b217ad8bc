//! `casetrail backup` and `casetrail restore`: the store's online backup
//! (`casetrail_store::backup`) to a file that appears only when whole, and its restore into an
//! empty database, verified before success is reported.

use crate::progress::{Progress, Reading, Unit};
use anyhow::{Context, bail};
use casetrail_store::backup::BackupSummary;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Backs up the database at `database_url` to `to` (`-`: standard output). A file is written
/// beside its final name and renamed once complete and on disk, readable by its owner only,
/// and never over an existing one.
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<BackupSummary> {
    let release = env!("CARGO_PKG_VERSION");
    if to == Path::new("-") {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let summary =
            casetrail_store::backup::backup(database_url, release, &mut out, |_, _| {}).await?;
        out.flush()?;
        return Ok(summary);
    }
    if to.exists() {
        bail!("{} exists: a backup never overwrites a file", to.display());
    }
    let partial = partial_path(to);
    let file =
        create_private(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut progress = None;
    let written = casetrail_store::backup::backup(database_url, release, &mut out, |done, all| {
        progress
            .get_or_insert_with(|| Progress::start("backup", Unit::Rows, Some(all)))
            .set(done);
    })
    .await;
    if let Some(progress) = progress {
        progress.finish();
    }
    let finished = written.and_then(|summary| {
        let file = out
            .into_inner()
            .map_err(|e| casetrail_store::StoreError::Output(e.into_error()))?;
        file.sync_all()
            .map_err(casetrail_store::StoreError::Output)?;
        Ok(summary)
    });
    match finished {
        Ok(summary) => {
            std::fs::rename(&partial, to).with_context(|| {
                format!("cannot rename {} to {}", partial.display(), to.display())
            })?;
            Ok(summary)
        }
        Err(error) => {
            // Half a backup is no backup: nothing is left that could be mistaken for one.
            let _ = std::fs::remove_file(&partial);
            Err(error.into())
        }
    }
}

/// Restores the backup at `from` (`-`: standard input) into the empty database at
/// `database_url`.
pub async fn restore(database_url: &str, from: &Path) -> anyhow::Result<BackupSummary> {
    let summary = if from == Path::new("-") {
        let stdin = std::io::stdin();
        casetrail_store::backup::restore(database_url, stdin.lock(), |_| {}).await?
    } else {
        let file = Reading::open(from, "restore")?;
        let input = std::io::BufReader::with_capacity(1 << 20, file);
        casetrail_store::backup::restore(database_url, input, |_| {}).await?
    };
    Ok(summary)
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

/// A new file only its owner may read: a backup holds the wrapped keys and the access log.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
