//! Crash safety of the real `casetrail serve` binary: several clients drive commands, the
//! server is killed with SIGKILL mid-load and started again on the same database. Every command
//! that was answered 2xx must be in the log as it was acknowledged, the hash chain must verify,
//! and the read models rebuilt from the log must answer what the clients read before the kill.
//!
//! The server is a child process reached over loopback (`casetrail_tests::Server`).

use casetrail_tests::tokens::DemoUsers;
use casetrail_tests::{Backend, Outcome, Server, TestDb};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Concurrent clients: enough to have several commands in flight when the kill lands.
const CLIENTS: usize = 6;
/// Acknowledged commands before the kill: load is well under way by then.
const ACKS_BEFORE_KILL: usize = 200;
/// The load must reach that many acknowledgements within this time.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn sqlite_acknowledged_commands_survive_kill_9() {
    crash_and_recover(Backend::Sqlite);
}

#[test]
fn postgres_acknowledged_commands_survive_kill_9() {
    crash_and_recover(Backend::Postgres);
}

fn crash_and_recover(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = TestDb::create_blocking(backend, dir.path()) else {
        return;
    };
    let url = db.url.as_str();
    let data_dir = dir.path().join("data");
    let tokens = DemoUsers::of_data_dir(&data_dir);
    let server = Server::start(url, &data_dir);
    let journal = drive_until_killed(server, &tokens);
    assert!(journal.failures.is_empty(), "{:?}", journal.failures);

    // The log on disk, as the kill left it, before any start-up code touches it.
    let log = read_log(url);
    assert_acknowledged_commands_are_logged(&journal.acks, &log);

    let server = Server::start(url, &data_dir);
    let integrity = server
        .call("GET", "/v1/integrity", &tokens.auditor, &[], None)
        .answered();
    assert_eq!(integrity.status, 200);
    assert_eq!(integrity.body["status"], "ok", "{}", integrity.body);
    assert_eq!(integrity.body["head_position"], log.len());

    // A client that lost its answer retries with the same Idempotency-Key: it is told what was
    // recorded, or its command is recorded now, and never twice.
    let mut committed = 0;
    for sent in &journal.in_flight {
        let reply = server
            .call(
                "POST",
                &sent.path,
                &sent.token,
                &sent.headers(),
                Some(&sent.body),
            )
            .answered();
        assert!(reply.is_success(), "retry of {}: {reply:?}", sent.command);
        if let Some(logged) = log.iter().rev().find(|e| idempotency_key(e) == sent.key) {
            assert_eq!(
                reply.body["position"], logged["position"],
                "{}",
                sent.command
            );
            committed += 1;
        }
    }
    eprintln!(
        "killed after {} acknowledged commands; {} in flight, {committed} of them committed",
        journal.acks.len(),
        journal.in_flight.len(),
    );
    let log = read_log(url);
    assert_each_command_appended_once(&log);
    assert_read_models_match_the_log(&server, &tokens, &journal, &log);
    server.kill();
}

/// Every acknowledged command is in the log at the acknowledged place, with its own content.
fn assert_acknowledged_commands_are_logged(acks: &[Ack], log: &[Value]) {
    assert!(acks.len() >= ACKS_BEFORE_KILL);
    for ack in acks {
        let event = log
            .get(ack.position - 1)
            .unwrap_or_else(|| panic!("{} at position {} is lost", ack.command, ack.position));
        assert_eq!(event["position"], ack.position);
        assert_eq!(event["stream_id"], format!("southend/case/{}", ack.case_id));
        assert_eq!(event["stream_version"], ack.version);
        let metadata = &event["metadata"];
        assert_eq!(metadata["command"], ack.command);
        assert_eq!(metadata["idempotency_key"], ack.key.as_str());
        assert_eq!(metadata["request_id"], ack.request_id.as_str());
    }
}

/// All events written under one Idempotency-Key belong to one command (one correlation id).
fn assert_each_command_appended_once(log: &[Value]) {
    let mut correlation: HashMap<&str, &Value> = HashMap::new();
    for event in log {
        let key = idempotency_key(event);
        if key.is_empty() {
            continue;
        }
        let id = &event["metadata"]["correlation_id"];
        assert_eq!(*correlation.entry(key).or_insert(id), id, "{key} twice");
    }
}

/// The rebuilt read models hold every case of the log at its last version, and answer exactly
/// what the clients read before the kill for every case that has not moved on since.
fn assert_read_models_match_the_log(
    server: &Server,
    tokens: &DemoUsers,
    journal: &Journal,
    log: &[Value],
) {
    let mut versions = BTreeMap::new();
    for event in log {
        if let Some(case) = event["stream_id"]
            .as_str()
            .unwrap()
            .strip_prefix("southend/case/")
        {
            versions.insert(case.to_owned(), event["stream_version"].as_u64().unwrap());
        }
    }
    let listed = server
        .call("GET", "/v1/cases?limit=500", &tokens.manager, &[], None)
        .answered();
    assert_eq!(
        listed.body["next_cursor"],
        Value::Null,
        "one page holds them"
    );
    let listed: BTreeMap<String, u64> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["case_id"].as_str().unwrap().to_owned(),
                c["version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, versions, "the case list is the log's cases");

    let mut compared = 0;
    for (case_id, version) in &versions {
        let path = format!("/v1/cases/{case_id}?as_of={}", journal.as_of);
        let detail = server
            .call("GET", &path, &tokens.manager, &[], None)
            .answered();
        assert_eq!(detail.status, 200);
        assert_eq!(detail.body["version"], *version);
        if let Some((read_version, before)) = journal.reads.get(case_id)
            && read_version == version
        {
            assert_eq!(&detail.body, before, "case {case_id} after the rebuild");
            compared += 1;
        }
    }
    assert!(compared > 0, "no case was read back before the kill");
}

fn idempotency_key(event: &Value) -> &str {
    event["metadata"]["idempotency_key"]
        .as_str()
        .unwrap_or_default()
}

/// Reads the whole log and verifies its hash chain, with the store's own code.
fn read_log(url: &str) -> Vec<Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = casetrail_store::open(url).await.unwrap();
        let verdict = casetrail_store::verify(store.as_ref()).await.unwrap();
        assert!(
            matches!(verdict, casetrail_store::Integrity::Ok { .. }),
            "{verdict:?}"
        );
        let mut log = Vec::new();
        loop {
            let page = store.read_all(log.len() as u64, 1_000).await.unwrap();
            if page.is_empty() {
                break;
            }
            log.extend(page.iter().map(|e| serde_json::to_value(e).unwrap()));
        }
        store.close().await;
        log
    })
}

// ---- The load --------------------------------------------------------------------------------

/// What the clients saw, for the checks after the restart.
#[derive(Debug, Default)]
struct Journal {
    acks: Vec<Ack>,
    in_flight: Vec<Sent>,
    /// The last read of each case before the kill: its version and detail.
    reads: HashMap<String, (u64, Value)>,
    failures: Vec<String>,
    /// The instant every read is made `as_of`, so deadline statuses do not move between reads.
    as_of: String,
}

/// A command acknowledged with 2xx.
#[derive(Debug)]
struct Ack {
    key: String,
    command: &'static str,
    case_id: String,
    version: u64,
    position: usize,
    request_id: String,
}

/// A command as sent, to retry it.
#[derive(Debug, Clone)]
struct Sent {
    key: String,
    command: &'static str,
    path: String,
    token: String,
    body: Value,
}

impl Sent {
    fn headers(&self) -> [(&str, &str); 1] {
        [("idempotency-key", self.key.as_str())]
    }
}

/// Runs the clients, kills the server once enough commands are acknowledged, and returns what
/// the clients saw.
fn drive_until_killed(server: Server, tokens: &DemoUsers) -> Journal {
    let journal = Mutex::new(Journal {
        as_of: (chrono::Utc::now() + chrono::Duration::days(1))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        ..Journal::default()
    });
    let acks = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for client in 0..CLIENTS {
            let (server, journal, acks) = (&server, &journal, &acks);
            scope.spawn(move || run_client(client, server, tokens, journal, acks));
        }
        let started = Instant::now();
        while acks.load(Ordering::SeqCst) < ACKS_BEFORE_KILL {
            let failed = !journal.lock().unwrap().failures.is_empty();
            assert!(
                !failed && started.elapsed() < LOAD_TIMEOUT,
                "the load did not get under way: {:?}\n{}",
                journal.lock().unwrap().failures,
                server.log()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        server.kill();
    });
    journal.into_inner().unwrap()
}

/// One client: opens cases one after another and takes each through the first steps of a rapid
/// review, reading the case back after every acknowledged command.
fn run_client(
    client: usize,
    server: &Server,
    tokens: &DemoUsers,
    journal: &Mutex<Journal>,
    acks: &AtomicUsize,
) {
    let as_of = journal.lock().unwrap().as_of.clone();
    for case in 0.. {
        let mut case_id = String::new();
        for (step, (command, path, token, body)) in steps(tokens).into_iter().enumerate() {
            let sent = Sent {
                key: format!("crash-{client}-{case}-{step}"),
                command,
                path: path.replace("{case_id}", &case_id),
                token: token.to_owned(),
                body,
            };
            let reply =
                match server.call("POST", &sent.path, token, &sent.headers(), Some(&sent.body)) {
                    Outcome::Refused => return,
                    Outcome::Lost => {
                        journal.lock().unwrap().in_flight.push(sent);
                        return;
                    }
                    Outcome::Answered(reply) => reply,
                };
            if !reply.is_success() {
                let failure = format!("{command}: {} {}", reply.status, reply.body);
                journal.lock().unwrap().failures.push(failure);
                return;
            }
            case_id = reply.body["case_id"].as_str().unwrap().to_owned();
            journal.lock().unwrap().acks.push(Ack {
                key: sent.key,
                command,
                case_id: case_id.clone(),
                version: reply.body["version"].as_u64().unwrap(),
                position: reply.body["position"].as_u64().unwrap() as usize,
                request_id: reply.header("x-request-id").to_owned(),
            });
            acks.fetch_add(1, Ordering::SeqCst);

            let path = format!("/v1/cases/{case_id}?as_of={as_of}");
            match server.call("GET", &path, &tokens.manager, &[], None) {
                Outcome::Answered(read) if read.status == 200 => {
                    let version = read.body["version"].as_u64().unwrap();
                    journal
                        .lock()
                        .unwrap()
                        .reads
                        .insert(case_id.clone(), (version, read.body));
                }
                Outcome::Answered(read) => {
                    let failure = format!("read after {command}: {}", read.status);
                    journal.lock().unwrap().failures.push(failure);
                    return;
                }
                Outcome::Refused | Outcome::Lost => return,
            }
        }
    }
}

/// The commands each case goes through: (command, path, token, body).
fn steps(tokens: &DemoUsers) -> Vec<(&'static str, &'static str, &str, Value)> {
    let notification = json!({
        "child": {"reference": "CRASH-1", "given_name": "Sam", "family_name": "Test",
                  "date_of_birth": "2016-03-01", "sex": "female", "ethnicity": "White British",
                  "looked_after": false, "child_protection_plan": true},
        "incident_date": "2022-12-20", "became_aware_on": "2022-12-22", "harm": "serious_harm",
        "abuse_or_neglect": "suspected", "location_basis": "in_area",
        "summary": "Fictional test case.",
        // Every client opens cases from this one body: each is another incident.
        "allow_duplicate": true
    });
    let (notifier, manager, hospital) = (&tokens.notifier, &tokens.manager, &tokens.hospital);
    vec![
        (
            "NotifyIncident",
            "/v1/cases/notifications",
            notifier,
            notification,
        ),
        (
            "RecordPanelNotification",
            "/v1/cases/{case_id}/panel-notification",
            notifier,
            json!({"panel_reference": "CSPRP-CRASH", "submitted_on": "2022-12-29"}),
        ),
        (
            "InitiateRapidReview",
            "/v1/cases/{case_id}/rapid-review",
            manager,
            json!({}),
        ),
        (
            "RecordPartnersNotified",
            "/v1/cases/{case_id}/rapid-review/partners-notified",
            manager,
            json!({}),
        ),
        (
            "RequestAgencyReport",
            "/v1/cases/{case_id}/agency-report-requests",
            manager,
            json!({"organisation": "suhft"}),
        ),
        (
            "SubmitAgencyReport",
            "/v1/cases/{case_id}/agency-reports",
            hospital,
            json!({"organisation": "suhft", "involvement": "Seen in ED.",
                   "summary": "Injuries recorded.", "learning": "Body map missed."}),
        ),
    ]
}
