//! The request log of the real `casetrail serve` binary, read from its standard error: one line
//! per request with its id, route, status and who asked, written in full by the time a SIGTERM
//! stop has finished, and never a word about the child or adult, not even from a request the
//! server refused.

use casetrail_domain::Role;
use casetrail_tests::tokens::DevTokens;
use casetrail_tests::{Backend, Server, TestDb};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

/// Personal data sent in the requests below: none of it may reach the log.
const PERSONAL: [&str; 6] = [
    "Zephyrine",
    "Quillfeather",
    "2016-03-07",
    "SBC-LOGTEST-0412",
    "a bruise behind the left ear",
    "Quillfeather-Extra",
];

#[test]
fn every_request_is_one_json_line_that_names_no_child() {
    let dir = tempfile::tempdir().unwrap();
    let (db, data_dir) = sqlite(dir.path());
    let url = db.url.as_str();
    let notifier = token(&data_dir, Role::Notifier);
    let manager = token(&data_dir, Role::BusinessManager);
    let server = Server::start_with(
        url,
        &data_dir,
        &[("CASETRAIL_LOG", "info"), ("CASETRAIL_LOG_FORMAT", "json")],
    );

    let notified = server
        .call(
            "POST",
            "/v1/cases/notifications",
            &notifier,
            &[("x-request-id", "log-notify")],
            Some(&notification()),
        )
        .answered();
    assert_eq!(notified.status, 201, "{notified:?}");
    let case_id = notified.body["case_id"].as_str().unwrap().to_owned();
    let mut refused_body = notification();
    refused_body["child"]["date_of_birth"] = json!("Quillfeather-Extra");
    let requests = [
        (
            "GET",
            format!("/v1/cases/{case_id}"),
            manager.as_str(),
            None,
        ),
        (
            "GET",
            format!("/v1/cases/{case_id}/personal-details"),
            &manager,
            None,
        ),
        (
            "POST",
            "/v1/cases/notifications".to_owned(),
            &notifier,
            Some(refused_body),
        ),
        ("GET", format!("/v1/cases/{case_id}"), "not-a-token", None),
        ("GET", "/v1/no-such-route".to_owned(), &manager, None),
    ];
    let mut statuses = vec![(
        "log-notify".to_owned(),
        notified.header("x-request-id").to_owned(),
        201,
    )];
    for (n, (method, path, token, body)) in requests.iter().enumerate() {
        let id = format!("log-{n}");
        // The first read is traced by its caller (W3C Trace Context); the second sends a
        // malformed header, ignored.
        let traceparent = match n {
            0 => TRACEPARENT,
            1 => "00-not-a-trace-01",
            _ => "",
        };
        let mut headers = vec![("x-request-id", id.as_str())];
        if !traceparent.is_empty() {
            headers.push(("traceparent", traceparent));
        }
        let reply = server
            .call(method, path, token, &headers, body.as_ref())
            .answered();
        // The server's own id answers, and the client's is logged beside it.
        let server_id = reply.header("x-request-id").to_owned();
        assert!(!server_id.is_empty() && server_id != id, "{server_id}");
        statuses.push((id, server_id, reply.status));
    }
    assert_eq!(
        statuses.iter().map(|(_, _, s)| *s).collect::<Vec<_>>(),
        [201, 200, 200, 400, 401, 404]
    );

    let (exit, log) = server.stop();
    assert!(exit.success(), "{exit:?}\n{log}");
    for word in PERSONAL {
        assert!(!log.contains(word), "the log names {word:?}:\n{log}");
    }
    let lines = request_lines(&log);
    for (id, server_id, status) in &statuses {
        let line = lines
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{id}:\n{log}"));
        assert_eq!(line["status"], *status, "{line}");
        assert_eq!(line["span"]["request_id"], server_id.as_str(), "{line}");
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["target"], "casetrail_api::telemetry");
        assert!(line["latency_ms"].as_f64().unwrap() >= 0.0, "{line}");
        assert!(line["timestamp"].as_str().unwrap().ends_with('Z'), "{line}");
    }
    let read = &lines["log-0"];
    assert_eq!(
        (&read["method"], &read["route"], &read["user"], &read["org"]),
        (
            &json!("GET"),
            &json!("/v1/cases/{case_id}"),
            &json!("dev-user"),
            &json!("southend-council")
        ),
        "{read}"
    );
    assert_eq!(
        lines["log-3"]["user"], "",
        "an unauthenticated request names no one"
    );
    assert_eq!(lines["log-4"]["route"], "unmatched");
    assert_eq!(
        lines["log-0"]["span"]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736",
        "the caller's trace"
    );
    for id in ["log-1", "log-2", "log-notify"] {
        assert!(lines[id]["span"].get("trace_id").is_none(), "{}", lines[id]);
    }
}

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn the_request_line_follows_the_level_and_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let (db, data_dir) = sqlite(dir.path());
    let url = db.url.as_str();
    let token = token(&data_dir, Role::BusinessManager);
    let read = |server: &Server, id: &str| {
        let reply = server
            .call(
                "GET",
                "/v1/partnership",
                &token,
                &[("x-request-id", id)],
                None,
            )
            .answered();
        assert_eq!(reply.status, 200);
    };

    let quiet = Server::start_with(url, &data_dir, &[("CASETRAIL_LOG", "warn")]);
    read(&quiet, "log-quiet");
    let (_, log) = quiet.stop();
    assert!(!log.contains("log-quiet"), "{log}");

    let text = Server::start_with(url, &data_dir, &[("CASETRAIL_LOG", "info")]);
    read(&text, "log-text");
    let (_, log) = text.stop();
    let line = log
        .lines()
        .find(|line| line.contains(" client_request_id=log-text}"))
        .unwrap_or_else(|| panic!("no request line:\n{log}"));
    assert!(
        line.contains("method=GET route=/v1/partnership status=200"),
        "{line}"
    );
}

/// A SQLite database in `dir`, and the data directory beside it.
fn sqlite(dir: &Path) -> (TestDb, std::path::PathBuf) {
    let db = TestDb::create_blocking(Backend::Sqlite, dir).expect("SQLite is always here");
    (db, dir.join("data"))
}

/// A development token of the demo partnership's council, as `casetrail token` prints it.
fn token(data_dir: &Path, role: Role) -> String {
    DevTokens::of_data_dir(data_dir).as_cli("southend-council", &[role])
}

fn notification() -> Value {
    json!({
        "abuse_or_neglect": "suspected",
        "became_aware_on": "2022-12-22",
        "child": {
            "child_protection_plan": true, "date_of_birth": PERSONAL[2],
            "ethnicity": "White British", "family_name": PERSONAL[1],
            "given_name": PERSONAL[0], "looked_after": false,
            "reference": PERSONAL[3], "sex": "female"
        },
        "harm": "serious_harm",
        "incident_date": "2022-12-20",
        "location_basis": "in_area",
        "summary": format!("Admitted with {}.", PERSONAL[4]),
    })
}

/// The request lines of a JSON log, by the client's request id; each id must appear once.
fn request_lines(log: &str) -> HashMap<String, Value> {
    let mut lines = HashMap::new();
    for line in log.lines().filter(|line| line.starts_with('{')) {
        let value: Value = serde_json::from_str(line).unwrap();
        if value["message"] == "request" {
            let Some(id) = value["span"]["client_request_id"].as_str() else {
                continue;
            };
            let id = id.to_owned();
            assert!(
                lines.insert(id.clone(), value).is_none(),
                "{id} logged twice"
            );
        }
    }
    lines
}

/// The start and the stop are one JSON line each, naming what runs (release, commit, backend,
/// address) and the migrations the start applied: all of them on a new database, none after.
#[test]
fn the_start_and_the_stop_are_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let (db, data_dir) = sqlite(dir.path());
    let settings = [("CASETRAIL_LOG", "info"), ("CASETRAIL_LOG_FORMAT", "json")];
    let lines = |log: &str, message: &str| -> Vec<Value> {
        log.lines()
            .filter(|line| line.starts_with('{'))
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .filter(|line| line["message"] == message)
            .collect()
    };
    let latest = casetrail_store::latest_migration(&db.url).unwrap();
    let mut applied = Vec::new();
    for _ in 0..2 {
        let server = Server::start_with(&db.url, &data_dir, &settings);
        let port = server.port;
        // Stopped the moment it says it listens: the stop signals are taken over before the
        // start, so this too is a graceful stop (it used to end the process, exit 143, when
        // actix-web had not yet installed its own handlers).
        let (exit, log) = server.stop();
        assert!(exit.success(), "{log}");
        let started = lines(&log, "casetrail started");
        assert_eq!(started.len(), 1, "{log}");
        let started = &started[0];
        assert_eq!(started["version"], env!("CARGO_PKG_VERSION"));
        assert!(!started["commit"].as_str().unwrap().is_empty());
        assert_eq!(started["backend"], "sqlite");
        assert_eq!(started["bind"], "127.0.0.1:0");
        assert_eq!(started["port"], port);
        assert_eq!(started["auth"], "Development");
        applied.push(started["migrations_applied"].as_str().unwrap().to_owned());
        assert_eq!(lines(&log, "casetrail stopped").len(), 1, "{log}");
    }
    let first: Vec<i64> = applied[0].split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!(first.first(), Some(&1));
    assert_eq!(first.last(), Some(&latest));
    assert_eq!(applied[1], "", "the second start applied migrations");
}
