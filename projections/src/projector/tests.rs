#![allow(clippy::unwrap_used)]

use super::*;
use casetrail_store::{AppendRequest, ExpectedVersion, NewEvent};
use serde_json::json;
use std::sync::mpsc;

/// While a snapshot holds the read models still (the read lock, a second at a million events),
/// the projector must not queue for the write lock: readers would queue behind it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_on_while_a_snapshot_holds_the_read_models() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/log.db", dir.path().display());
    let store = casetrail_store::open(&url).await.unwrap();
    let handle = Projector::start(Arc::clone(&store)).await.unwrap();

    // A snapshot being encoded, on a thread of its own.
    handle.snapshotting.fetch_add(1, Ordering::AcqRel);
    let models = Arc::clone(&handle.models);
    let (held, holding) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let snapshot = std::thread::spawn(move || {
        let _still = models.read().unwrap();
        held.send(()).unwrap();
        released.recv().unwrap();
    });
    holding.recv().unwrap();

    // An event the projector reads and must wait to apply.
    store
        .append(AppendRequest {
            stream_id: "southend/elsewhere/1".to_owned(),
            expected_version: ExpectedVersion::Any,
            events: vec![NewEvent {
                event_id: uuid::Uuid::new_v4(),
                event_type: "Noted".to_owned(),
                schema_version: 1,
                data: json!({}),
                metadata: json!({}),
            }],
            data_keys: Vec::new(),
        })
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        handle.position(),
        0,
        "applied while the snapshot held the models"
    );
    assert!(
        handle.models.try_read().is_ok(),
        "a reader queued behind the projector"
    );

    release.send(()).unwrap();
    snapshot.join().unwrap();
    handle.snapshotting.fetch_sub(1, Ordering::AcqRel);
    assert!(handle.wait_for(1, Duration::from_secs(5)).await);
    handle.stop();
}
