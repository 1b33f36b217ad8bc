#![allow(clippy::unwrap_used)]

use super::*;
use casetrail_seed::Workload;
use casetrail_store::RecordedEvent;
use chrono::DateTime;
use proptest::prelude::*;

fn log(seed: u64, cases: usize) -> Vec<RecordedEvent> {
    let workload = Workload {
        partnerships: 2,
        cases,
        open_cases: 12,
        seed,
    };
    let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    workload.recorded(start).collect()
}

fn fold(events: &[RecordedEvent]) -> ReadModels {
    let mut models = ReadModels::default();
    for event in events {
        models.apply(event).unwrap();
    }
    models
}

fn file() -> SnapshotFile {
    SnapshotFile::new("unused", Build([7; 32]))
}

fn decoded(bytes: Vec<u8>) -> Result<ReadModels, Unusable> {
    let header = Header::parse(&bytes).ok_or(Unusable::Format)?;
    decode(&bytes[HEADER_LEN..], &header)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// The read models from a snapshot at any position, with the rest of the log folded on,
    /// are the read models of the whole log folded from the start: the same cases, orders,
    /// look-ups, years, partnerships, trail and feed.
    #[test]
    fn a_snapshot_folded_on_is_the_fold_of_the_whole_log(
        seed in any::<u64>(),
        cut in 0.0f64..1.0,
    ) {
        let events = log(seed, 60);
        let at = ((events.len() as f64 * cut) as usize).max(1);
        let whole = fold(&events);

        let bytes = file().encode(&fold(&events[..at])).unwrap();
        let mut restored = decoded(bytes).unwrap();
        prop_assert_eq!(restored.position(), at as u64);
        for event in &events[at..] {
            restored.apply(event).unwrap();
        }
        prop_assert!(restored == whole, "the restored read models differ from the fold");
    }
}

#[test]
fn the_restored_orders_are_those_the_fold_built() {
    let events = log(11, 200);
    let whole = fold(&events);
    let restored = decoded(file().encode(&whole).unwrap()).unwrap();
    // Compared part by part too, so a failure says which order differs.
    for (slug, cases) in &whole.cases {
        let other = &restored.cases[slug];
        assert_eq!(cases.by_opening, other.by_opening);
        assert!(
            cases.index == other.index,
            "the case index of {slug} differs"
        );
        assert!(cases.by_id == other.by_id);
    }
    assert!(restored == whole);
}

#[test]
fn a_snapshot_records_the_position_and_hash_of_the_last_event() {
    let events = log(3, 20);
    let models = fold(&events);
    let bytes = file().encode(&models).unwrap();
    let header = Header::parse(&bytes).unwrap();
    let last = events.last().unwrap();
    assert_eq!(header.position, last.position);
    assert_eq!(header.hash, last.hash);
    assert_eq!(header.build, Build([7; 32]));
    assert_eq!(header.body_len as usize, bytes.len() - HEADER_LEN);
}

#[test]
fn there_is_no_snapshot_of_an_empty_log() {
    assert!(file().encode(&ReadModels::default()).is_none());
}

#[test]
fn a_damaged_body_is_refused() {
    let mut bytes = file().encode(&fold(&log(5, 20))).unwrap();
    let middle = HEADER_LEN + (bytes.len() - HEADER_LEN) / 2;
    bytes[middle] ^= 1;
    assert!(matches!(decoded(bytes), Err(Unusable::Damaged)));
}

/// The codec reads and writes a few bytes at a time through a buffer, and the hash takes what
/// the buffer passes on: a body of several buffers is read back whole, and its last byte is
/// hashed like the others.
#[test]
fn a_body_of_several_buffers_is_read_whole_and_hashed_to_its_end() {
    let models = fold(&log(11, 400));
    let bytes = file().encode(&models).unwrap();
    assert!(bytes.len() > 2 * BUFFER, "{} bytes", bytes.len());
    assert!(decoded(bytes.clone()).unwrap() == models);

    let mut last = bytes.clone();
    *last.last_mut().unwrap() ^= 1;
    assert!(matches!(decoded(last), Err(Unusable::Damaged)));
    let mut across = bytes;
    across[HEADER_LEN + BUFFER] ^= 1;
    assert!(matches!(decoded(across), Err(Unusable::Damaged)));
}

#[test]
fn a_truncated_snapshot_is_refused() {
    let bytes = file().encode(&fold(&log(5, 20))).unwrap();
    let short = bytes[..bytes.len() - 1].to_vec();
    assert!(matches!(decoded(short), Err(Unusable::Damaged)));
    let header_only = bytes[..HEADER_LEN - 1].to_vec();
    assert!(matches!(decoded(header_only), Err(Unusable::Format)));
}

#[test]
fn a_file_of_another_format_is_refused() {
    let mut bytes = file().encode(&fold(&log(5, 20))).unwrap();
    bytes[MAGIC.len()] = 2; // the format number
    assert!(matches!(decoded(bytes), Err(Unusable::Format)));
    // Long enough for a header, but not one: refused by its first bytes, not its length.
    assert!(Header::parse(&[b'x'; 2 * HEADER_LEN]).is_none());
}

#[test]
fn a_body_that_is_not_read_models_is_refused_even_with_its_hash() {
    let models = fold(&log(5, 20));
    let mut bytes = file().encode(&models).unwrap();
    bytes.truncate(HEADER_LEN);
    bytes.extend_from_slice(&[0xc1; 9]); // never used in MessagePack
    let body_hash: [u8; 32] = Sha256::digest(&bytes[HEADER_LEN..]).into();
    let header = Header {
        build: Build([7; 32]),
        position: models.position(),
        hash: models.head_hash(),
        body_len: 9,
        body_hash,
    };
    bytes[..HEADER_LEN].copy_from_slice(&header.to_bytes());
    assert!(matches!(decoded(bytes), Err(Unusable::Decode(_))));
}

#[test]
fn a_snapshot_is_written_whole_in_place_of_the_last() {
    let dir = std::env::temp_dir().join(format!("casetrail-snapshot-{}", uuid::Uuid::new_v4()));
    let file = SnapshotFile::new(
        dir.join("nested").join("read-models.snapshot"),
        Build([1; 32]),
    );
    let events = log(9, 30);
    let first = file.write(&fold(&events[..10])).unwrap().unwrap();
    assert_eq!(first.position, 10);
    let models = fold(&events);
    let second = file.write(&models).unwrap().unwrap();
    assert_eq!(second.position, events.len() as u64);
    let bytes = std::fs::read(file.path()).unwrap();
    assert_eq!(bytes.len() as u64, second.bytes);
    assert!(decoded(bytes).unwrap() == models);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner may read it");
    }
    // Nothing but the snapshot is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.join("nested")).unwrap().collect();
    assert_eq!(names.len(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}
