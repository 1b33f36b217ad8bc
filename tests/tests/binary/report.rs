//! `casetrail report annual`: the annual report folded from the database, the same as the
//! server answers for the same instant, on both backends.

use casetrail_tests::tokens::DemoUsers;
use casetrail_tests::{Backend, Server, TestDb, casetrail};
use serde_json::{Value, json};

fn the_cli_writes_the_report_the_server_answers(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = TestDb::create_blocking(backend, dir.path()) else {
        return;
    };
    let url = db.url.as_str();
    let data_dir = dir.path().join("data");
    let server = Server::start(url, &data_dir);
    let tokens = DemoUsers::of_data_dir(&data_dir);
    let meeting = json!({"group": "practice_review", "held_on": "2025-05-20",
        "attendance": [{"organisation": "essex-police", "people": 2}],
        "attendees": ["p-1001", "p-1002"]});
    let recorded = server
        .call("POST", "/v1/meetings", &tokens.manager, &[], Some(&meeting))
        .answered();
    assert_eq!(recorded.status, 201, "{:?}", recorded.body);
    server.notify(&tokens.notifier);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let as_of = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let path = format!("/v1/reports/annual/2025-26?as_of={as_of}");
    let answered = server
        .call("GET", &path, &tokens.auditor, &[], None)
        .answered();
    assert_eq!(answered.status, 200, "{:?}", answered.body);
    let report = |format: &str| {
        let output = casetrail(
            dir.path(),
            &[
                "report",
                "annual",
                "--database-url",
                url,
                "--year",
                "2025-26",
                "--as-of",
                &as_of,
                "--format",
                format,
            ],
            &[],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // While the server runs: a reader of the log beside it.
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json, answered.body);
    let markdown = report("markdown");
    assert!(
        markdown.starts_with("# Southend Safeguarding Partnership: annual report 2025-26\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Partnership meetings held | 1 |"),
        "{markdown}"
    );
    assert!(report("html").starts_with("<!doctype html>"));
    assert!(report("csv").starts_with("section,key,figure,value,unit,source\r\n"));
    let (status, _) = server.stop();
    assert!(status.success());

    let bad = casetrail(
        dir.path(),
        &["report", "annual", "--database-url", url, "--year", "2025"],
        &[],
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--year"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn the_cli_writes_the_report_the_server_answers_sqlite() {
    the_cli_writes_the_report_the_server_answers(Backend::Sqlite);
}

#[test]
fn the_cli_writes_the_report_the_server_answers_postgres() {
    the_cli_writes_the_report_the_server_answers(Backend::Postgres);
}
