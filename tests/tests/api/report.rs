//! The annual report over HTTP (issue 17): its figures traced to the events they count, the
//! same report for the same instant, its four formats, and the HTML page rendered by a real
//! browser (headless Chromium), whose screenshot is kept as a CI artefact in
//! `target/artefacts/`. The figures themselves are checked against a seeded year in
//! `app/tests/report.rs` (golden files).

use casetrail_domain::Role;
use casetrail_tests::{Backend, TestApp, both_backends, chromium, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// The financial year of `held_on` days in these tests: the app's clock is the real one, and a
/// meeting is recorded once held.
const YEAR: &str = "2025-26";

async fn report(app: &TestApp, query: &str, accept: &str) -> (StatusCode, String, String) {
    let response = app
        .client
        .get(format!("{}/v1/reports/annual/{YEAR}{query}", app.address))
        .bearer_auth(app.token("savs", &[Role::AgencyUser]))
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

fn figure<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["figures"].as_array().unwrap())
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key} in {report}"))
}

/// Two meetings and a contribution recorded by the business unit; the position of each.
async fn record_the_year(app: &TestApp) -> Vec<u64> {
    let bm = app.business_manager();
    let mut positions = Vec::new();
    for (held_on, attendees) in [
        ("2025-05-20", ["p-1001", "p-1002"]),
        ("2025-11-04", ["p-1002", "p-1003"]),
    ] {
        let body = json!({"group": "practice_review", "held_on": held_on,
            "attendance": [{"organisation": "essex-police", "people": 2},
                           {"organisation": "southend-council", "people": 3}],
            "attendees": attendees});
        let accepted = app.post_ok("/v1/meetings", &bm, &body).await;
        positions.push(accepted["position"].as_u64().unwrap());
    }
    let line = json!({"organisation": "southend-council", "amount_pence": 15_000_000});
    let accepted = app
        .post_ok(&format!("/v1/budget/{YEAR}/contributions"), &bm, &line)
        .await;
    positions.push(accepted["position"].as_u64().unwrap());
    positions
}

both_backends!(
    the_report_traces_every_figure_and_is_the_same_for_the_same_instant,
    |app: TestApp| async move {
        let before = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let positions = record_the_year(&app).await;
        let (status, content_type, body) = report(&app, "", "application/json").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(content_type.starts_with("application/json"));
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["financial_year"], YEAR);
        assert_eq!(json["partnership"], "Southend Safeguarding Partnership");
        let held = figure(&json, "meetings.held");
        assert_eq!(held["value"], 2);
        assert_eq!(held["source"]["positions"], json!(positions[..2]));
        assert_eq!(figure(&json, "meetings.people")["value"], 3);
        assert_eq!(
            figure(&json, "finance.contributions")["text"],
            "£150,000.00"
        );
        let statistics = figure(&json, "child_reviews.rapid_reviews_initiated");
        assert_eq!(statistics["source"]["kind"], "statistics");
        let link = statistics["source"]["link"].as_str().unwrap();
        assert!(
            link.starts_with(&format!("/v1/statistics/annual/{YEAR}?as_of=")),
            "{link}"
        );

        // The same instant, the same report, to the byte; before the meetings, none.
        let as_of = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let query = format!("?as_of={as_of}");
        let first = report(&app, &query, "text/markdown").await;
        app.post_ok(
            "/v1/meetings",
            &app.business_manager(),
            &json!({"group": "task_and_finish", "held_on": "2025-06-01",
                    "attendance": [{"organisation": "savs", "people": 1}]}),
        )
        .await;
        let again = report(&app, &query, "text/markdown").await;
        assert_eq!(first, again);
        let (_, content_type, markdown) = first;
        assert!(content_type.starts_with("text/markdown"), "{content_type}");
        assert!(
            markdown.starts_with(&format!(
                "# Southend Safeguarding Partnership: annual report {YEAR}\n"
            )),
            "{markdown}"
        );
        assert!(
            markdown.contains("| Partnership meetings held | 2 |"),
            "{markdown}"
        );
        let earlier = format!(
            "?as_of={}",
            before.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        );
        let (_, _, body) = report(&app, &earlier, "application/json").await;
        let then: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(figure(&then, "meetings.held")["value"], 0, "{then}");

        // CSV: one row per figure, every position listed.
        let (_, content_type, csv) = report(&app, "", "text/csv").await;
        assert!(content_type.starts_with("text/csv"));
        assert!(csv.starts_with("section,key,figure,value,unit,source\r\n"));
        let row = csv.lines().find(|l| l.contains(",meetings.held,")).unwrap();
        // The two meetings, and the third recorded since.
        assert!(row.contains(",3,count,"), "{row}");
        let listed = format!(",{} {} ", positions[0], positions[1]);
        assert!(row.contains(&listed), "{row}");

        let response = app
            .get("/v1/reports/annual/2025-27", &app.business_manager())
            .await;
        problem(response, StatusCode::BAD_REQUEST, "financial_year.invalid").await;
        // Before the partnership was established there is nothing to report on.
        let response = app
            .get(
                &format!("/v1/reports/annual/{YEAR}?as_of=2020-01-01T00:00:00Z"),
                &app.business_manager(),
            )
            .await;
        problem(response, StatusCode::NOT_FOUND, "partnership.not_found").await;
    }
);

/// Where a CI run keeps what a test made for a person to look at.
fn artefacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_report_renders_in_a_browser_with_its_charts() {
    let Some(chromium) = chromium() else {
        return;
    };
    // A browser renders what the server wrote; one backend shows it.
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    record_the_year(&app).await;
    let (status, content_type, html) = report(&app, "", "text/html").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let dir = artefacts();
    let page = dir.join(format!("annual-report-{YEAR}.html"));
    std::fs::write(&page, &html).unwrap();
    let screenshot = dir.join(format!("annual-report-{YEAR}.png"));
    let _ = std::fs::remove_file(&screenshot);
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let run = |args: Vec<String>| {
        let chromium = chromium.clone();
        async move {
            tokio::time::timeout(
                Duration::from_secs(60),
                tokio::process::Command::new(chromium)
                    .args(
                        [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                        ]
                        .map(str::to_owned)
                        .into_iter()
                        .chain(args),
                    )
                    .kill_on_drop(true)
                    .output(),
            )
            .await
            .expect("Chromium finished within a minute")
            .expect("Chromium ran")
        }
    };
    // What the browser built of the page: every section and both charts, drawn.
    let dom = run(vec!["--dump-dom".to_owned(), url.clone()]).await;
    let dom = String::from_utf8_lossy(&dom.stdout);
    for expected in [
        "<h1>Southend Safeguarding Partnership: annual report 2025-26</h1>",
        "<h2>Meeting activity</h2>",
        "<h2>Financial summary</h2>",
        r#"<figure id="deadlines_by_quarter">"#,
        "<svg",
        "Partnership meetings held",
    ] {
        assert!(dom.contains(expected), "{expected} not in the page: {dom}");
    }
    assert!(!dom.contains("<script"), "a report page runs nothing");
    let shot = run(vec![
        format!("--screenshot={}", screenshot.display()),
        "--window-size=1280,2600".to_owned(),
        "--hide-scrollbars".to_owned(),
        url,
    ])
    .await;
    let png = std::fs::read(&screenshot).unwrap_or_else(|err| {
        panic!(
            "no screenshot ({err}): {}",
            String::from_utf8_lossy(&shot.stderr)
        )
    });
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 20_000, "{} bytes: a blank page?", png.len());
    eprintln!("the report as a browser shows it: {}", screenshot.display());
}
