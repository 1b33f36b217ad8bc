//! Conversions between stored columns and the store's values, shared by both backends.
//!
//! Databases hold signed 64-bit integers and byte strings; the store speaks `u64` and
//! `[u8; 32]`. A stored value that does not fit is a corrupt row, reported, never a panic.

use std::fmt::Display;

use futures::{Stream, TryStreamExt};

use crate::{RecordedEvent, StoreError};

/// Rows reserved for ahead of a read; a larger limit grows the page as rows arrive.
const READ_CAPACITY: usize = 8_192;

/// Decodes each row as it arrives, while the database (SQLite's connection thread, or the
/// PostgreSQL server) produces the next ones. Decoding a page only once all of it had arrived
/// left one side idle while the other worked: start-up took the sum of both.
pub(crate) async fn decode_each<R>(
    rows: impl Stream<Item = Result<R, sqlx::Error>>,
    limit: usize,
    decode: impl Fn(&R) -> Result<RecordedEvent, StoreError>,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut rows = std::pin::pin!(rows);
    let mut events = Vec::with_capacity(limit.min(READ_CAPACITY));
    while let Some(row) = rows.try_next().await? {
        events.push(decode(&row)?);
    }
    Ok(events)
}

/// The columns every read selects, in the order the decoders expect.
macro_rules! event_columns {
    () => {
        "position, stream_id, stream_version, event_id, event_type, schema_version, data, \
         metadata, recorded_at, prev_hash, hash"
    };
}
pub(crate) use event_columns;

/// Bind parameters per inserted row (the number of [`event_columns`]).
pub(crate) const COLUMNS_PER_ROW: usize = 11;

/// A corrupt-row error for the row at `position`.
pub(crate) fn corrupt(position: u64, reason: impl Display) -> StoreError {
    StoreError::Corrupt {
        position,
        reason: reason.to_string(),
    }
}

/// A stored integer that must not be negative.
pub(crate) fn unsigned(value: i64, position: u64, column: &str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| corrupt(position, format!("{column} is negative: {value}")))
}

/// A stored hash, which must be exactly 32 bytes.
pub(crate) fn hash(bytes: &[u8], position: u64, column: &str) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(bytes).map_err(|_| {
        corrupt(
            position,
            format!("{column} has {} bytes, not 32", bytes.len()),
        )
    })
}

/// A value to store in a signed 64-bit column.
pub(crate) fn signed(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::InvalidAppend("position or version out of range"))
}

/// A query bound: values past `i64::MAX` select nothing more than `i64::MAX` does.
pub(crate) fn bound(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Reads one column of a stored row; a value of the wrong type is a corrupt row.
pub(crate) fn column<'r, R, T>(row: &'r R, name: &str, position: u64) -> Result<T, StoreError>
where
    R: sqlx::Row,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'n> &'n str: sqlx::ColumnIndex<R>,
{
    row.try_get(name)
        .map_err(|e| corrupt(position, format!("{name}: {e}")))
}
