//! The read models' snapshot of the real `casetrail serve` binary: written when it stops, read
//! when it starts again (only the events after it folded), and ignored whenever it cannot be
//! trusted (damaged, of another log), each start answering exactly what a fold of the whole
//! log answers. Its log lines say which it was.

use casetrail_tests::tokens::DemoUsers;
use casetrail_tests::{Backend, Server, TestDb};
use serde_json::{Value, json};
use std::path::Path;

#[test]
fn sqlite_a_start_folds_only_the_events_after_the_snapshot() {
    starts_from_the_snapshot(Backend::Sqlite);
}

#[test]
fn postgres_a_start_folds_only_the_events_after_the_snapshot() {
    starts_from_the_snapshot(Backend::Postgres);
}

fn starts_from_the_snapshot(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = TestDb::create_blocking(backend, dir.path()) else {
        return;
    };
    let url = db.url.as_str();
    let data_dir = dir.path().join("data");
    let snapshot = data_dir.join("read-models.snapshot");

    // Whole log folded (there is no snapshot yet); one written when stopping.
    let server = start(url, &data_dir);
    // The demo partnership's events, recorded before the fold.
    let ready = line(&server.log(), READY_FROM_LOG);
    assert!(ready["folded"].as_u64().unwrap() > 0, "{ready}");
    let tokens = DemoUsers::of_data_dir(&data_dir);
    for n in 0..4 {
        notify(&server, &tokens, n);
    }
    let before = answers(&server, &tokens);
    let (status, log) = server.stop();
    assert!(status.success());
    let written = line(&log, WRITTEN);
    let head = before.head;
    assert_eq!(written["position"], head, "{written}");
    assert_eq!(written["why"], "stopping");
    assert!(snapshot.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&snapshot).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the snapshot is as private as the database"
        );
    }

    // From the snapshot: nothing left to fold, the same answers.
    let server = start(url, &data_dir);
    let ready = line(&server.log(), READY_FROM_SNAPSHOT);
    assert_eq!(ready["snapshot_position"], head, "{ready}");
    assert_eq!(ready["folded"], 0, "{ready}");
    assert_eq!(answers(&server, &tokens), before);

    // Killed after more commands: no snapshot written, the next start folds what came after
    // the last one.
    notify(&server, &tokens, 4);
    notify(&server, &tokens, 5);
    let later = answers(&server, &tokens);
    server.kill();
    let server = start(url, &data_dir);
    let ready = line(&server.log(), READY_FROM_SNAPSHOT);
    assert_eq!(ready["snapshot_position"], head, "{ready}");
    assert_eq!(ready["folded"], later.head - head, "{ready}");
    assert_eq!(answers(&server, &tokens), later);
    let (_, log) = server.stop();
    assert_eq!(line(&log, WRITTEN)["position"], later.head);

    // Damaged: ignored, said, and the whole log folded to the same answers.
    damage(&snapshot);
    let server = start(url, &data_dir);
    let refused = line(&server.log(), NOT_USED);
    assert_eq!(refused["reason"], "the snapshot is damaged", "{refused}");
    assert_eq!(refused["folded"], later.head, "{refused}");
    assert_eq!(answers(&server, &tokens), later);
    server.stop();

    // Of another log (another database, the same data directory): ignored.
    let other_dir = tempfile::tempdir().unwrap();
    let other = TestDb::create_blocking(backend, other_dir.path()).unwrap();
    let server = start(other.url.as_str(), &data_dir);
    let refused = line(&server.log(), NOT_USED);
    assert_eq!(
        refused["reason"],
        format!(
            "the log differs from the snapshot's at position {}",
            later.head
        ),
        "{refused}"
    );
    let cases = server
        .call("GET", "/v1/cases", &tokens.manager, &[], None)
        .answered();
    assert_eq!(cases.body["items"], json!([]), "another log's cases");
    server.stop();
}

#[test]
fn a_snapshot_turned_off_is_neither_written_nor_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create_blocking(Backend::Sqlite, dir.path()).unwrap();
    let data_dir = dir.path().join("data");
    let off = [("CASETRAIL_READ_MODEL_SNAPSHOT", "off")];
    let server = Server::start_with(db.url.as_str(), &data_dir, &with_info(&off));
    notify(&server, &DemoUsers::of_data_dir(&data_dir), 0);
    let (_, log) = server.stop();
    assert!(!log.contains(WRITTEN), "{log}");
    assert!(!data_dir.join("read-models.snapshot").exists());
}

const READY_FROM_LOG: &str = "read models folded from the whole log";
const READY_FROM_SNAPSHOT: &str = "read models ready from their snapshot and the events after it";
const NOT_USED: &str = "read-model snapshot not used; folded the whole log";
const WRITTEN: &str = "read-model snapshot written";

fn with_info<'a>(settings: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("CASETRAIL_LOG", "info"), ("CASETRAIL_LOG_FORMAT", "json")];
    all.extend_from_slice(settings);
    all
}

fn start(url: &str, data_dir: &Path) -> Server {
    Server::start_with(url, data_dir, &with_info(&[]))
}

/// The one log line with this message.
fn line(log: &str, message: &str) -> Value {
    let found: Vec<Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["message"] == message)
        .collect();
    assert_eq!(found.len(), 1, "one line {message:?} in:\n{log}");
    found.into_iter().next().unwrap()
}

fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(path, bytes).unwrap();
}

fn notify(server: &Server, tokens: &DemoUsers, n: u32) {
    let body = json!({
        "abuse_or_neglect": "suspected",
        "became_aware_on": "2022-12-22",
        "child": {
            "child_protection_plan": n.is_multiple_of(2), "date_of_birth": "2016-03-07",
            "ethnicity": "White British", "family_name": "Snapshot",
            "given_name": format!("Child{n}"), "looked_after": false,
            "reference": format!("SBC-SNAP-{n}"), "sex": "female"
        },
        "harm": "serious_harm",
        "incident_date": "2022-12-20",
        "location_basis": "in_area",
        "summary": "Admitted to hospital.",
    });
    let reply = server
        .call(
            "POST",
            "/v1/cases/notifications",
            &tokens.notifier,
            &[],
            Some(&body),
        )
        .answered();
    assert_eq!(reply.status, 201, "{reply:?}");
}

/// What the read models answer, each read at the log's head.
#[derive(Debug, PartialEq)]
struct Answers {
    head: u64,
    cases: Value,
    deadlines: Value,
    trail: Value,
    statistics: Value,
}

fn answers(server: &Server, tokens: &DemoUsers) -> Answers {
    let get = |path: &str, token: &str| {
        let reply = server.call("GET", path, token, &[], None).answered();
        assert_eq!(reply.status, 200, "{path}: {reply:?}");
        reply.body
    };
    let integrity = get("/v1/integrity", &tokens.auditor);
    let years = get("/v1/statistics/annual", &tokens.manager);
    let year = years["items"][0]["year"].as_str().unwrap().to_owned();
    let figures = get(&format!("/v1/statistics/annual/{year}"), &tokens.manager);
    Answers {
        head: integrity["head_position"].as_u64().unwrap(),
        cases: get("/v1/cases?limit=100", &tokens.manager),
        deadlines: get("/v1/deadlines?limit=100", &tokens.manager),
        trail: get("/v1/audit-trail?limit=100", &tokens.auditor),
        statistics: without_as_of(json!([years, figures])),
    }
}

/// The answer without the instants it was read at.
fn without_as_of(mut value: Value) -> Value {
    match &mut value {
        Value::Object(fields) => {
            fields.remove("as_of");
            for field in fields.values_mut() {
                *field = without_as_of(field.take());
            }
        }
        Value::Array(items) => {
            for item in items {
                *item = without_as_of(item.take());
            }
        }
        _ => {}
    }
    value
}
