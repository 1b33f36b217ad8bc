//! The invented-method attack of issue 12, in process: 20,000 requests with HTTP methods never
//! seen before leave `/metrics` the size it was (the raw method once became a label, and each
//! label value a time series kept for good: 675 MB of metrics were reported). The same attack on
//! the binary, with its resident memory measured, is `tests/tests/binary/availability.rs`.

use casetrail_tests::TestApp;
use casetrail_tests::both_backends;
use futures::future::join_all;
use reqwest::{Method, StatusCode};

const REQUESTS: usize = 20_000;
/// Requests in flight at once.
const AT_ONCE: usize = 8;

/// The metrics text.
async fn metrics(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(app.admin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// The series of the `other` method label.
fn other_series(metrics: &str) -> Vec<String> {
    metrics
        .lines()
        .filter(|line| line.contains(r#"method="other""#))
        .map(|line| {
            line.rsplit_once(' ')
                .map_or(line, |(series, _)| series)
                .to_owned()
        })
        .collect()
}

async fn invented_methods(app: &TestApp, round: &str, count: usize) {
    let senders = (0..AT_ONCE).map(|sender| async move {
        for n in (sender..count).step_by(AT_ONCE) {
            let method = Method::from_bytes(format!("{round}{n}X").as_bytes()).unwrap();
            let response = app
                .client
                .request(method, format!("{}/v1/cases", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        }
    });
    join_all(senders).await;
}

both_backends!(
    invented_methods_leave_metrics_flat,
    |app: TestApp| async move {
        // The first refusals and the first read of /metrics add their own series.
        invented_methods(&app, "WARM", 100).await;
        metrics(&app).await;
        let before = metrics(&app).await;
        invented_methods(&app, "ATTACK", REQUESTS).await;
        let after = metrics(&app).await;
        eprintln!(
            "/metrics {} -> {} bytes after {REQUESTS} invented methods",
            before.len(),
            after.len()
        );
        assert!(!after.contains("ATTACK"), "a raw method became a label");
        assert_eq!(other_series(&before), other_series(&after));
        // Other tests of this process add their own series meanwhile (a few KiB each); the
        // attack once added megabytes.
        assert!(
            after.len() < before.len() + 64 * 1024,
            "/metrics grew from {} to {} bytes",
            before.len(),
            after.len()
        );
    }
);
