//! Read-model snapshots: the read models at a position of the log, kept in a file so that a
//! start-up folds only the events after it (issue 15, goal 5).
//!
//! A snapshot is a cache: whenever it cannot be trusted it is ignored and the log is folded
//! from the start, which gives the same read models. It is trusted only when
//! - it was written by this very build (the fold's code is part of what it holds: a snapshot
//!   of an older fold would carry that fold's answers forward),
//! - its bytes are whole (a SHA-256 of the body in the header),
//! - the log's event at its position has the hash it records: the hash chain makes that event
//!   the end of the same log the snapshot was folded from, whatever database the server now
//!   points at.
//!
//! It holds no more than the log does: the read models keep personal data only as the events'
//! sealed bytes, whose keys live outside the database and outside the snapshot, so erasing a
//! case's key erases it from every snapshot too.
//!
//! Layout: a fixed header (magic, format, build, position, that event's hash, body length,
//! body hash), then the read models as MessagePack. MessagePack is self-describing, which the
//! events' serde attributes (tags, skipped fields) need, and spells integers in binary.

use crate::ReadModels;
use casetrail_store::{EventStore, StoreError};
use sha2::{Digest, Sha256};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

mod io;

use io::{Hashing, private_dir, private_file};

const MAGIC: &[u8; 16] = b"casetrail-models";
/// Raised when the layout of the header or the body's encoding changes.
const FORMAT: u32 = 1;
const HEADER_LEN: usize = MAGIC.len() + 4 + 32 + 8 + 32 + 8 + 32;
/// The bytes a snapshot's body is read and written in, between its codec and its hash.
const BUFFER: usize = 1 << 20;

/// The build that writes and reads snapshots: a hash of the running executable, or of
/// anything else that changes whenever the code that folds the log does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Build(pub [u8; 32]);

impl Build {
    /// The SHA-256 of the running executable: any change to the code gives another build.
    /// Computed once per process.
    pub fn of_this_executable() -> std::io::Result<Build> {
        static BUILD: std::sync::OnceLock<Build> = std::sync::OnceLock::new();
        if let Some(build) = BUILD.get() {
            return Ok(*build);
        }
        let build = Self::hash_executable()?;
        Ok(*BUILD.get_or_init(|| build))
    }

    fn hash_executable() -> std::io::Result<Build> {
        use std::io::Read;
        let mut file = std::fs::File::open(std::env::current_exe()?)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 20];
        loop {
            match file.read(&mut buffer)? {
                0 => return Ok(Build(hasher.finalize().into())),
                n => hasher.update(&buffer[..n]),
            }
        }
    }
}

/// Where the read models' snapshot is kept, and by which build.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    path: PathBuf,
    build: Build,
}

/// Why a snapshot was not used. None of these is an error of the service: the log is folded
/// from the start instead.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// There is none.
    #[error("there is no snapshot")]
    Missing,
    /// It could not be read.
    #[error("the snapshot cannot be read: {0}")]
    Unreadable(#[from] std::io::Error),
    /// Not a snapshot, or one of another format.
    #[error("the file is not a snapshot of this format")]
    Format,
    /// Written by another build, whose fold may differ.
    #[error("the snapshot was written by another build")]
    OtherBuild,
    /// Its body does not match its hash.
    #[error("the snapshot is damaged")]
    Damaged,
    /// The log has no event at its position, or another one.
    #[error("the log differs from the snapshot's at position {0}")]
    OtherLog(u64),
    /// The log could not be read to check it.
    #[error("the log cannot be read to check the snapshot: {0}")]
    Store(#[from] StoreError),
    /// The body does not decode to read models.
    #[error("the snapshot cannot be decoded: {0}")]
    Decode(String),
}

/// What a written snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The position of the last event it holds.
    pub position: u64,
    /// Its size in bytes.
    pub bytes: u64,
    /// How long encoding it took: how long the read models were held still for it.
    pub encoding: std::time::Duration,
}

/// The header's fields.
struct Header {
    build: Build,
    position: u64,
    hash: [u8; 32],
    body_len: u64,
    body_hash: [u8; 32],
}

impl SnapshotFile {
    /// The snapshot at `path`, written and read by `build`.
    pub fn new(path: impl Into<PathBuf>, build: Build) -> Self {
        Self {
            path: path.into(),
            build,
        }
    }

    /// Where it is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the snapshot of `models` into `out` as its file holds it: a header left blank,
    /// the body, then the header over the blank. `None` before the first event: there is
    /// nothing to keep. The body goes out as it is encoded, never whole in memory.
    fn encode_into<W: Write + Seek>(
        &self,
        models: &ReadModels,
        out: W,
    ) -> std::io::Result<Option<(W, u64)>> {
        if models.position() == 0 {
            return Ok(None);
        }
        let mut out = out;
        out.write_all(&[0; HEADER_LEN])?;
        // The encoder writes a few bytes at a time: buffered before the hash, so that the hash
        // and the file take large pieces (hashing each piece as it came: 11.6% of the samples
        // of a start from a snapshot and the write when stopping, BENCHMARKS.md).
        let mut body = BufWriter::with_capacity(BUFFER, Hashing::new(out));
        rmp_serde::encode::write_named(&mut body, models).map_err(std::io::Error::other)?;
        let (mut out, body_len, body_hash) =
            body.into_inner().map_err(|e| e.into_error())?.finish();
        let header = Header {
            build: self.build,
            position: models.position(),
            hash: models.head_hash(),
            body_len,
            body_hash,
        };
        out.seek(SeekFrom::Start(0))?;
        out.write_all(&header.to_bytes())?;
        Ok(Some((out, HEADER_LEN as u64 + body_len)))
    }

    /// The snapshot of `models` as bytes (what its file would hold).
    pub fn encode(&self, models: &ReadModels) -> Option<Vec<u8>> {
        let encoded = self.encode_into(models, std::io::Cursor::new(Vec::new()));
        // Writing into memory fails only when out of memory, which aborts anyway.
        Some(encoded.ok()??.0.into_inner())
    }

    /// Writes the snapshot of `models` into a new file beside the last one, not yet synced
    /// nor in its place ([`Draft::commit`]): what must happen while the read models are held
    /// still. Blocks.
    pub fn draft(&self, models: &ReadModels) -> std::io::Result<Option<Draft>> {
        let started = std::time::Instant::now();
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_dir(dir)?;
        }
        // A name of this write's own: two servers on one data directory (or a periodic write
        // and the one when stopping) each write whole files, and the last rename wins.
        let temporary = self
            .path
            .with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        let file = private_file(&temporary)?;
        match self.encode_into(models, file) {
            Ok(Some((file, bytes))) => Ok(Some(Draft {
                file,
                temporary,
                path: self.path.clone(),
                written: Written {
                    position: models.position(),
                    bytes,
                    encoding: started.elapsed(),
                },
            })),
            Ok(None) => {
                let _ = std::fs::remove_file(&temporary);
                Ok(None)
            }
            Err(error) => {
                let _ = std::fs::remove_file(&temporary);
                Err(error)
            }
        }
    }

    /// Writes the snapshot of `models` in place of the last one, whole or not at all. Blocks.
    pub fn write(&self, models: &ReadModels) -> std::io::Result<Option<Written>> {
        self.draft(models)?.map(Draft::commit).transpose()
    }

    /// The read models the snapshot holds, once it is checked against this build and the log
    /// in `store`. The body is decoded as it is read, never whole in memory.
    pub async fn load(&self, store: &dyn EventStore) -> Result<ReadModels, Unusable> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(e.into()),
        };
        let mut header = [0; HEADER_LEN];
        file.read_exact(&mut header).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => Unusable::Format,
            _ => Unusable::Unreadable(e),
        })?;
        let header = Header::parse(&header).ok_or(Unusable::Format)?;
        if header.build != self.build {
            return Err(Unusable::OtherBuild);
        }
        // The log first: one event read, before the cost of reading the body.
        let event = store.read_all(header.position - 1, 1).await?;
        if !event
            .first()
            .is_some_and(|e| e.position == header.position && e.hash == header.hash)
        {
            return Err(Unusable::OtherLog(header.position));
        }
        tokio::task::spawn_blocking(move || decode(file, &header))
            .await
            .map_err(|e| Unusable::Decode(e.to_string()))?
    }
}

/// A snapshot written but not yet in place.
#[derive(Debug)]
pub struct Draft {
    file: std::fs::File,
    temporary: PathBuf,
    path: PathBuf,
    written: Written,
}

impl Draft {
    /// Syncs the new file and renames it over the last snapshot. Blocks.
    pub fn commit(self) -> std::io::Result<Written> {
        let synced = self.file.sync_all();
        drop(self.file);
        if let Err(error) = synced.and_then(|()| std::fs::rename(&self.temporary, &self.path)) {
            let _ = std::fs::remove_file(&self.temporary);
            return Err(error);
        }
        Ok(self.written)
    }
}

/// The read models of a snapshot's body, read to its end; trusted only once the bytes read
/// have the header's length and hash. Orders that a snapshot leaves out are built again.
fn decode(body: impl Read, header: &Header) -> Result<ReadModels, Unusable> {
    // The decoder reads a few bytes at a time: buffered after the hash, which takes the file in
    // large pieces (see `encode_into`).
    let mut body = BufReader::with_capacity(BUFFER, Hashing::new(body));
    let decoded: Result<ReadModels, _> = rmp_serde::from_read(&mut body);
    // The rest, if the decoding stopped short: a whole body is read to its end either way, and
    // the buffer is then empty, so every byte read has been hashed.
    std::io::copy(&mut body, &mut std::io::sink())?;
    let (_, body_len, body_hash) = body.into_inner().finish();
    if body_len != header.body_len || body_hash != header.body_hash {
        return Err(Unusable::Damaged);
    }
    let mut models = decoded.map_err(|e| Unusable::Decode(e.to_string()))?;
    if models.position() != header.position || models.head_hash() != header.hash {
        return Err(Unusable::Decode(
            "the body is of another position than its header".to_owned(),
        ));
    }
    models.restore_orders();
    Ok(models)
}

impl Header {
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER_LEN);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT.to_le_bytes());
        bytes.extend_from_slice(&self.build.0);
        bytes.extend_from_slice(&self.position.to_le_bytes());
        bytes.extend_from_slice(&self.hash);
        bytes.extend_from_slice(&self.body_len.to_le_bytes());
        bytes.extend_from_slice(&self.body_hash);
        bytes
    }

    fn parse(bytes: &[u8]) -> Option<Header> {
        let mut rest = bytes.get(..HEADER_LEN)?;
        let mut take = |n: usize| {
            let (field, after) = rest.split_at(n);
            rest = after;
            field
        };
        if take(MAGIC.len()) != MAGIC || take(4) != FORMAT.to_le_bytes() {
            return None;
        }
        let build = Build(take(32).try_into().ok()?);
        let position = u64::from_le_bytes(take(8).try_into().ok()?);
        let hash = take(32).try_into().ok()?;
        let body_len = u64::from_le_bytes(take(8).try_into().ok()?);
        let body_hash = take(32).try_into().ok()?;
        (position > 0).then_some(Header {
            build,
            position,
            hash,
            body_len,
            body_hash,
        })
    }
}

#[cfg(test)]
mod tests;
