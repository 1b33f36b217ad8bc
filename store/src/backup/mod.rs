//! Online backup and restore of everything a restore needs: the events, the wrapped data
//! keys, the access log and the webhook subscriptions with their delivery history (partnership
//! settings are events). Never the key-encryption key, which lives outside the database: a
//! backup opens no personal data without it.
//!
//! A backup is read in one consistent snapshot while the service goes on writing (see
//! [`connection::Connection::begin_snapshot`]) and written as NDJSON: a header line, one line
//! per row, and a trailer with the counts, the log's head and the SHA-256 of every line
//! before it. The rows are in one form for both backends, so a backup of SQLite restores into
//! PostgreSQL and back. A restore writes into an empty database in one transaction, checks
//! the hash chain of the events and the trailer before committing (a cut or altered backup
//! changes nothing), and then verifies the committed log again as stored.

mod connection;
mod tables;

use crate::connection::Connection;
use crate::{ExportedEvent, RecordedEvent, StoreError, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// The format this release writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Rows written per statement while restoring, and the most bytes one batch may hold.
const BATCH_ROWS: usize = 1_000;
const BATCH_BYTES: usize = 4 << 20;

/// The first line of a backup.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    casetrail_backup: u32,
    /// The release that wrote it.
    release: String,
    /// The backend it was taken from.
    backend: String,
    /// The newest migration of the schema it was taken from.
    schema: i64,
    /// When it was taken (RFC 3339).
    created_at: String,
}

/// What a backup holds, as its trailer states and `casetrail backup` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    /// Rows per table.
    pub counts: BTreeMap<String, u64>,
    /// The position of the log's last event (0 when empty).
    pub head_position: u64,
    /// Its hash, hex (the genesis hash when empty).
    pub head_hash: String,
    /// SHA-256 of every line before the trailer, hex.
    pub sha256: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    end: BackupSummary,
}

#[derive(Debug, Deserialize)]
struct RowLine<'a> {
    #[serde(borrow)]
    table: &'a str,
    #[serde(borrow)]
    row: &'a serde_json::value::RawValue,
}

/// Writes a backup of the database at `database_url` to `out`; `progress` hears the rows
/// written so far and the rows in all.
pub async fn backup(
    database_url: &str,
    release: &str,
    out: &mut impl Write,
    mut progress: impl FnMut(u64, u64),
) -> Result<BackupSummary, StoreError> {
    crate::require_event_log(database_url).await?;
    let mut connection = Connection::open(database_url).await?;
    connection.begin_snapshot().await?;
    // A schema of an older release may lack the newer tables: they hold nothing then.
    let mut present = Vec::new();
    let mut expected = BTreeMap::new();
    for table in tables::TABLES {
        if connection.has_table(table.name).await? {
            present.push(table);
            expected.insert(table.name.to_owned(), connection.count(table).await?);
        }
    }
    let total = expected.values().sum();
    let header = Header {
        casetrail_backup: FORMAT_VERSION,
        release: release.to_owned(),
        backend: connection.backend().to_owned(),
        schema: connection.schema_version().await?,
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    let mut digest = Sha256::new();
    let mut line = serde_json::to_string(&header).map_err(|e| StoreError::Backup(e.to_string()))?;
    line.push('\n');
    write(out, &mut digest, &line)?;
    let mut counts = BTreeMap::new();
    let mut written = 0;
    progress(0, total);
    let mut head = String::new();
    for table in present {
        let mut count = 0;
        let prefix = format!("{{\"table\":\"{}\",\"row\":", table.name);
        connection
            .for_each_row(table, |row| {
                write(out, &mut digest, &prefix)?;
                write(out, &mut digest, row)?;
                write(out, &mut digest, "}\n")?;
                if table.name == "events" {
                    head.clear();
                    head.push_str(row);
                }
                count += 1;
                written += 1;
                if written % 1_000 == 0 {
                    progress(written, total);
                }
                Ok(())
            })
            .await?;
        counts.insert(table.name.to_owned(), count);
    }
    progress(written, total);
    if counts != expected {
        // One snapshot: the counts taken first are what the rows must add up to.
        return Err(StoreError::Backup(format!(
            "the rows read ({counts:?}) are not the rows counted ({expected:?})"
        )));
    }
    let (head_position, head_hash) = if head.is_empty() {
        (0, hex::encode(crate::GENESIS_HASH))
    } else {
        let event: ExportedEvent =
            serde_json::from_str(&head).map_err(|e| StoreError::Backup(e.to_string()))?;
        (event.position, event.hash)
    };
    let summary = BackupSummary {
        counts,
        head_position,
        head_hash,
        sha256: hex::encode(digest.finalize()),
    };
    let mut trailer = serde_json::to_string(&Trailer {
        end: summary.clone(),
    })
    .map_err(|e| StoreError::Backup(e.to_string()))?;
    trailer.push('\n');
    out.write_all(trailer.as_bytes())
        .and_then(|()| out.flush())
        .map_err(StoreError::Output)?;
    Ok(summary)
}

fn write(out: &mut impl Write, digest: &mut Sha256, text: &str) -> Result<(), StoreError> {
    digest.update(text.as_bytes());
    out.write_all(text.as_bytes()).map_err(StoreError::Output)
}

/// Restores the backup read from `input` into the empty database at `database_url` (a SQLite
/// file is created), and verifies it; `progress` hears the rows restored so far.
pub async fn restore(
    database_url: &str,
    input: impl BufRead,
    mut progress: impl FnMut(u64),
) -> Result<BackupSummary, StoreError> {
    require_empty(database_url).await?;
    let mut lines = input.lines();
    let mut digest = Sha256::new();
    let header_line = lines
        .next()
        .transpose()
        .map_err(|e| StoreError::Backup(format!("cannot read it: {e}")))?
        .ok_or_else(|| StoreError::Backup("the file is empty".to_owned()))?;
    let header: Header = serde_json::from_str(&header_line)
        .map_err(|_| StoreError::Backup("it is not a Casetrail backup".to_owned()))?;
    if header.casetrail_backup != FORMAT_VERSION {
        return Err(StoreError::Backup(format!(
            "format {} is not this release's ({FORMAT_VERSION})",
            header.casetrail_backup
        )));
    }
    let latest = crate::latest_migration(database_url)?;
    if header.schema > latest {
        return Err(StoreError::Backup(format!(
            "it was taken by a newer release (schema {}, this release's is {latest})",
            header.schema
        )));
    }
    digest.update(header_line.as_bytes());
    digest.update(b"\n");
    crate::migrate(database_url).await?;
    let mut connection = Connection::open(database_url).await?;
    connection.begin_write().await?;
    let mut batch = Batch::default();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut chain = Verifier::default();
    let mut restored = 0;
    let mut trailer = None;
    for line in lines {
        let line = line.map_err(|e| StoreError::Backup(format!("cannot read it: {e}")))?;
        if trailer.is_some() {
            return Err(StoreError::Backup("lines follow its trailer".to_owned()));
        }
        if line.starts_with("{\"end\":") {
            let end: Trailer = serde_json::from_str(&line)
                .map_err(|_| StoreError::Backup("its trailer is malformed".to_owned()))?;
            trailer = Some(end.end);
            continue;
        }
        digest.update(line.as_bytes());
        digest.update(b"\n");
        let row: RowLine = serde_json::from_str(&line)
            .map_err(|_| StoreError::Backup(format!("line {} is malformed", restored + 2)))?;
        let table = tables::table(row.table)
            .ok_or_else(|| StoreError::Backup(format!("it names no table {:?}", row.table)))?;
        if table.name == "events" {
            check_chain(&mut chain, row.row.get())?;
        }
        if batch
            .table
            .is_some_and(|current| current.name != table.name)
            || batch.is_full()
        {
            batch.flush(&mut connection).await?;
        }
        batch.push(table, row.row.get());
        *counts.entry(table.name.to_owned()).or_default() += 1;
        restored += 1;
        if restored % 10_000 == 0 {
            progress(restored);
        }
    }
    batch.flush(&mut connection).await?;
    progress(restored);
    let trailer =
        trailer.ok_or_else(|| StoreError::Backup("it is cut short (no trailer)".to_owned()))?;
    if hex::encode(digest.finalize()) != trailer.sha256 {
        return Err(StoreError::Backup(
            "its content does not match its SHA-256: altered or damaged".to_owned(),
        ));
    }
    let stated: BTreeMap<String, u64> = trailer
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| (t.clone(), *n))
        .collect();
    if counts != stated {
        return Err(StoreError::Backup(format!(
            "its rows ({counts:?}) are not the rows its trailer states ({stated:?})"
        )));
    }
    let crate::Integrity::Ok {
        head_position,
        head_hash,
        ..
    } = chain.finish()
    else {
        unreachable!("a verifier that took every event finishes Ok");
    };
    if (head_position, head_hash.as_str()) != (trailer.head_position, trailer.head_hash.as_str()) {
        return Err(StoreError::Backup(
            "its log does not end at the head its trailer states".to_owned(),
        ));
    }
    for table in tables::TABLES {
        connection.after_restore(table).await?;
    }
    connection.commit().await?;
    verify_restored(database_url, &trailer).await?;
    Ok(trailer)
}

/// Checks the next event of the backup against the chain so far, before anything commits.
fn check_chain(chain: &mut Verifier, row: &str) -> Result<(), StoreError> {
    let event: ExportedEvent = serde_json::from_str(row)
        .map_err(|e| StoreError::Backup(format!("an event is malformed: {e}")))?;
    let position = event.position;
    let event = RecordedEvent::try_from(event).map_err(StoreError::Backup)?;
    chain.check(&event).map_err(|reason| {
        StoreError::Backup(format!("its log breaks at position {position}: {reason}"))
    })
}

/// The committed log, read back as the service will read it, is the one the backup holds.
async fn verify_restored(database_url: &str, trailer: &BackupSummary) -> Result<(), StoreError> {
    let store = crate::open(database_url).await?;
    let integrity = crate::verify(&*store).await;
    store.close().await;
    match integrity? {
        crate::Integrity::Ok {
            head_position,
            head_hash,
            ..
        } if head_position == trailer.head_position && head_hash == trailer.head_hash => Ok(()),
        other => Err(StoreError::Backup(format!(
            "the restored log does not verify as stored ({other:?}); the database holds it: \
             drop it before trying again"
        ))),
    }
}

/// Refuses a database that holds any row a restore would write; creates and changes nothing.
async fn require_empty(database_url: &str) -> Result<(), StoreError> {
    if database_url.starts_with("sqlite:") {
        let options: sqlx::sqlite::SqliteConnectOptions = database_url.parse()?;
        if !options.get_filename().exists() {
            return Ok(());
        }
    }
    let mut connection = Connection::open(database_url).await?;
    for table in tables::TABLES {
        if connection.has_table(table.name).await? && connection.count(table).await? > 0 {
            return Err(StoreError::NotEmpty(format!(
                "its {} table holds rows",
                table.name
            )));
        }
    }
    Ok(())
}

/// Rows of one table waiting to be written together.
#[derive(Default)]
struct Batch {
    table: Option<&'static tables::Table>,
    rows: String,
    len: usize,
}

impl Batch {
    fn push(&mut self, table: &'static tables::Table, row: &str) {
        self.table = Some(table);
        self.rows.push(if self.len == 0 { '[' } else { ',' });
        self.rows.push_str(row);
        self.len += 1;
    }

    fn is_full(&self) -> bool {
        self.len >= BATCH_ROWS || self.rows.len() >= BATCH_BYTES
    }

    async fn flush(&mut self, connection: &mut Connection) -> Result<(), StoreError> {
        if let Some(table) = self.table.take().filter(|_| self.len > 0) {
            let mut rows = std::mem::take(&mut self.rows);
            rows.push(']');
            connection.insert(table, rows).await?;
        }
        self.rows.clear();
        self.len = 0;
        Ok(())
    }
}
