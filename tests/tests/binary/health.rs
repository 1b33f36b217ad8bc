//! `casetrail health` against the real server: what a container's HEALTHCHECK runs.

use casetrail_tests::{Backend, Server, TestDb};

fn health(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (i32, serde_json::Value) {
    let output = casetrail_tests::casetrail(dir, &[&["health"], args].concat(), env);
    let found = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {} {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), found)
}

#[test]
fn health_exits_zero_while_the_server_is_ready_and_one_once_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create_blocking(Backend::Sqlite, dir.path()).unwrap();
    let server = Server::start(&db.url, &dir.path().join("data"));
    let bind = format!("127.0.0.1:{}", server.port);
    let (code, found) = health(dir.path(), &["--bind", &bind], &[]);
    assert_eq!((code, found), (0, serde_json::json!({"status": "ready"})));
    // As in the container: the listener's own setting, on every address, asked on the loopback.
    let everywhere = format!("0.0.0.0:{}", server.port);
    let (code, _) = health(dir.path(), &[], &[("CASETRAIL_BIND", &everywhere)]);
    assert_eq!(code, 0);

    server.stop();
    let (code, found) = health(
        dir.path(),
        &["--bind", &bind, "--timeout-seconds", "2"],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(found["status"], "unreachable");
    assert!(found["error"].as_str().unwrap().contains(&bind), "{found}");
    let refused =
        casetrail_tests::casetrail(dir.path(), &["health", "--timeout-seconds", "0"], &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--timeout-seconds"));
}
