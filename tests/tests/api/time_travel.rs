//! Filters and `as_of` on the review status and deadline read models.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn instant_now() -> String {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    // Let the clock move on so the next command is recorded strictly later.
    std::thread::sleep(std::time::Duration::from_millis(20));
    now
}

both_backends!(
    a_backdated_fact_is_breached_before_it_was_recorded_and_met_after,
    |app: TestApp| async move {
        let before_opening = instant_now();
        let case_id = app.notify_ok().await;
        let between = instant_now();
        let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
        let path = format!("/v1/cases/{case_id}/panel-notification");
        assert_eq!(
            app.post(&path, &app.notifier(), &body).await.status(),
            StatusCode::OK
        );
        let token = app.notifier();

        let then = get(
            &app,
            &token,
            &format!("/v1/cases/{case_id}?as_of={between}"),
        )
        .await;
        assert_eq!(then["stage"], "notified");
        assert_eq!(then["version"], 1);
        assert_eq!(then["deadlines"][0]["status"], "breached");
        let now = get(&app, &token, &format!("/v1/cases/{case_id}")).await;
        assert_eq!(now["deadlines"][0]["status"], "met");
        // Before the case was opened it did not exist.
        let response = app
            .get(
                &format!("/v1/cases/{case_id}?as_of={before_opening}"),
                &token,
            )
            .await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let listed = get(&app, &token, &format!("/v1/cases?as_of={before_opening}")).await;
        assert_eq!(listed["items"], json!([]));
        // The deadline list agrees, at both instants.
        let breached = get(
            &app,
            &token,
            &format!("/v1/deadlines?status=breached&as_of={between}"),
        )
        .await;
        assert_eq!(breached["items"].as_array().unwrap().len(), 1);
        // Now the Panel notification is met (the rapid review's clock, running from it since
        // 29 December 2022, has breached its own milestones).
        let breached = get(&app, &token, "/v1/deadlines?status=breached").await;
        assert!(
            breached["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["kind"] != "panel_notification"),
            "{breached}"
        );
        let case_deadlines = get(
            &app,
            &token,
            &format!("/v1/cases/{case_id}/deadlines?as_of={between}"),
        )
        .await;
        assert_eq!(case_deadlines["items"][0]["kind"], "panel_notification");
    }
);

both_backends!(case_and_deadline_filters, |app: TestApp| async move {
    let first = app.notify_ok().await;
    let second = app.notify_ok().await;
    let manager = app.token("southend-council", &[Role::BusinessManager]);
    // Day 0 of the rapid review is the Panel notification's day.
    let panel = json!({"panel_reference": "CSPRP-2", "submitted_on": "2022-12-29"});
    let path = format!("/v1/cases/{second}/panel-notification");
    assert_eq!(
        app.post(&path, &app.notifier(), &panel).await.status(),
        StatusCode::OK
    );
    app.post(
        &format!("/v1/cases/{second}/rapid-review"),
        &manager,
        &json!({}),
    )
    .await;
    app.post(
        &format!("/v1/cases/{second}/agency-report-requests"),
        &manager,
        &json!({"organisation": "suhft"}),
    )
    .await;

    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["case_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&get(&app, &manager, "/v1/cases?stage=rapid_review").await),
        vec![second.clone()]
    );
    assert_eq!(
        ids(&get(&app, &manager, "/v1/cases?organisation=suhft").await),
        vec![second.clone()]
    );
    assert_eq!(
        ids(&get(
            &app,
            &manager,
            "/v1/cases?kind=child&has_overdue_deadlines=true"
        )
        .await)
        .len(),
        2
    );
    assert_eq!(
        ids(&get(&app, &manager, "/v1/cases?kind=adult").await).len(),
        0
    );
    assert_eq!(
        ids(&get(
            &app,
            &manager,
            "/v1/cases?opened_from=2000-01-01T00:00:00Z&opened_to=2100-01-01T00:00:00Z"
        )
        .await)
        .len(),
        2
    );
    problem(
        app.get("/v1/cases?kind=martian", &manager).await,
        StatusCode::BAD_REQUEST,
        "query.invalid",
    )
    .await;
    problem(
        app.get("/v1/cases?colour=red", &manager).await,
        StatusCode::BAD_REQUEST,
        "query.invalid",
    )
    .await;

    // Deadlines: the hospital's report, found by organisation and kind; pages of one.
    let report = get(
        &app,
        &manager,
        "/v1/deadlines?organisation=suhft&kind=rr_agency_report",
    )
    .await;
    assert_eq!(report["items"].as_array().unwrap().len(), 1);
    assert_eq!(report["items"][0]["case_id"], second);
    let mut seen = Vec::new();
    let mut path = format!("/v1/deadlines?case_id={second}&limit=1");
    loop {
        let page = get(&app, &manager, &path).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["deadline_id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/v1/deadlines?case_id={second}&limit=1&cursor={cursor}")
            }
            None => break,
        }
    }
    let whole = get(&app, &manager, &format!("/v1/cases/{second}/deadlines")).await;
    let expected: Vec<Value> = whole["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deadline_id"].clone())
        .collect();
    assert!(expected.len() > 10);
    assert_eq!(
        seen, expected,
        "pages of one give every deadline once, in order"
    );
    let all = get(&app, &manager, "/v1/deadlines?limit=500").await;
    let due: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["due_at"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = due.clone();
    sorted.sort();
    assert_eq!(due, sorted, "soonest due first");
    problem(
        app.get("/v1/deadlines?status=late", &manager).await,
        StatusCode::BAD_REQUEST,
        "query.invalid",
    )
    .await;
    // The hospital sees only the case it is involved in.
    let hospital = app.token("suhft", &[Role::AgencyUser]);
    assert_eq!(
        ids(&get(&app, &hospital, "/v1/cases").await),
        vec![second.clone()]
    );
    let theirs = get(&app, &hospital, "/v1/deadlines?limit=500").await;
    assert!(
        theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["case_id"] == second)
    );
    problem(
        app.get(&format!("/v1/cases/{first}/deadlines"), &hospital)
            .await,
        StatusCode::NOT_FOUND,
        "case.not_found",
    )
    .await;
});

both_backends!(
    a_list_as_of_an_instant_is_the_list_read_then_however_many_cases_changed,
    |app: TestApp| async move {
        // More cases change after the instant than are read back stream by stream, so the
        // past is folded from one pass over the log.
        let mut cases = Vec::new();
        for _ in 0..20 {
            cases.push(app.notify_ok().await);
        }
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        let list_then = get(&app, &manager, "/v1/cases?limit=500").await;
        let deadlines_then = get(&app, &manager, "/v1/deadlines?limit=500").await;
        let then = instant_now();
        for case_id in &cases {
            let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
            let response = app
                .post(
                    &format!("/v1/cases/{case_id}/panel-notification"),
                    &app.notifier(),
                    &body,
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        let list_now = get(&app, &manager, "/v1/cases?limit=500").await;
        assert_ne!(list_now, list_then, "every case has moved on");
        let list_as_of = get(&app, &manager, &format!("/v1/cases?limit=500&as_of={then}")).await;
        let deadlines_as_of = get(
            &app,
            &manager,
            &format!("/v1/deadlines?limit=500&as_of={then}"),
        )
        .await;
        // Deadline statuses are evaluated at the instant asked; read then, they were evaluated
        // a few milliseconds earlier, which changes nothing for deadlines days apart.
        assert_eq!(list_as_of, list_then);
        assert_eq!(deadlines_as_of, deadlines_then);
        let one = get(
            &app,
            &manager,
            &format!("/v1/cases/{}?as_of={then}", cases[7]),
        )
        .await;
        assert_eq!(one["version"], 1);
    }
);
