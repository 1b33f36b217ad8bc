//! Health, metrics, the served OpenAPI document and the offline docs.

use casetrail_tests::TestApp;
use casetrail_tests::both_backends;
use reqwest::StatusCode;
use serde_json::Value;

both_backends!(health_metrics_and_docs, |app: TestApp| async move {
    let live = app
        .client
        .get(format!("{}/health/live", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let ready = app
        .client
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.headers().contains_key("x-request-id"));

    app.notify_ok().await;
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(app.admin())
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/v1/cases/notifications\""), "{text}");
    assert!(!text.contains("Alex"));
    // Every metric says what it means, and the build is named.
    let helped: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("# HELP "))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    for line in text.lines().filter_map(|line| line.strip_prefix("# TYPE ")) {
        let name = line.split_whitespace().next().unwrap();
        assert!(helped.contains(&name), "{name} has no HELP line:\n{text}");
    }
    assert!(helped.contains(&"http_requests_total"), "{text}");
    let build = format!(
        "casetrail_build_info{{version=\"{}\",commit=\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(text.contains(&build), "{text}");
    // What an operator watches besides requests: the appends (the notification above was one),
    // the read pool, the access log's queue and the process.
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("no {name}:\n{text}"))
            .parse()
            .unwrap()
    };
    assert!(value("casetrail_events_appended_total") >= 1.0);
    assert!(value("casetrail_append_batch_seconds_count") >= 1.0);
    assert!(value("casetrail_append_batch_appends_count") >= 1.0);
    assert!(value("casetrail_db_connections{state=\"idle\"}") >= 0.0);
    assert!(value("casetrail_db_connections{state=\"in_use\"}") >= 0.0);
    assert!(value("casetrail_access_log_queue_records") >= 0.0);
    assert!(value("process_resident_memory_bytes") > 1_000_000.0);
    // Whole seconds (a counter), so 0 in a young process.
    assert!(value("process_cpu_seconds_total") >= 0.0);
    assert!(value("process_threads") >= 1.0);

    let served = app.served_openapi().await;
    let committed: Value =
        serde_json::from_str(include_str!("../../../openapi/openapi.json")).unwrap();
    assert_eq!(
        served, committed,
        "the served document is the committed one"
    );

    let docs = app
        .client
        .get(format!("{}/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
    let bundle = app
        .client
        .get(format!("{}/docs/swagger-ui-bundle.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bundle.status(),
        StatusCode::OK,
        "docs assets are embedded, no CDN"
    );
});
