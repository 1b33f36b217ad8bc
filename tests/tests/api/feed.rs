//! The change feed: integration events in log order, as JSON pages and as Server-Sent Events,
//! filtered by need to know, never with personal data (docs/integration.md).

use crate::rapid_review::Review;
use casetrail_domain::Role;
use casetrail_tests::{TestApp, both_backends, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Every item of the feed the token may see, page by page from `after`.
pub(crate) async fn all_items(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = String::from("0");
    loop {
        let page: Value = app
            .get(&format!("/v1/feed?limit=7&after={after}{query}"), token)
            .await
            .json()
            .await
            .unwrap();
        let got = page["items"].as_array().unwrap().clone();
        let next = page["next"].as_str().unwrap().to_owned();
        if got.is_empty() && next == after {
            return items;
        }
        items.extend(got);
        after = next;
    }
}

fn types(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["type"].as_str().unwrap()).collect()
}

both_backends!(
    a_review_is_told_in_log_order_without_personal_data,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-15T10:00:00Z").await;
        let manager = review.manager();
        let items = all_items(&app, &manager, "").await;
        let told = types(&items);
        assert_eq!(told[0], "case.opened");
        for expected in [
            "case.stage_changed",
            "deadline.created",
            "deadline.met",
            "agency_report.requested",
            "agency_report.submitted",
        ] {
            assert!(told.contains(&expected), "{expected} missing from {told:?}");
        }
        assert_eq!(
            told.iter()
                .filter(|t| **t == "agency_report.requested")
                .count(),
            2
        );
        // In log order, each id its cursor.
        let cursors: Vec<(u64, u64)> = items
            .iter()
            .map(|i| {
                let (p, n) = i["id"].as_str().unwrap().split_once('.').unwrap();
                assert_eq!(p.parse::<u64>().unwrap(), i["position"].as_u64().unwrap());
                (p.parse().unwrap(), n.parse().unwrap())
            })
            .collect();
        assert!(cursors.windows(2).all(|w| w[0] < w[1]), "{cursors:?}");
        assert!(items.iter().all(|i| i["case_id"] == review.case.as_str()));
        // The hospital's report was on time.
        let met = items
            .iter()
            .find(|i| {
                i["type"] == "deadline.met"
                    && i["data"]["deadline"]["kind"] == "rr_agency_report"
                    && i["data"]["deadline"]["organisation"] == "suhft"
            })
            .unwrap();
        assert_eq!(met["data"]["on_time"], true);
        assert_eq!(met["data"]["deadline"]["responsible_role"], "agency_user");
        // Never personal data: names, date of birth, the reference, what was written.
        let text = serde_json::to_string(&items).unwrap();
        for personal in [
            "Alex",
            "Smith",
            "2016-03-01",
            "SBC-2022-0412",
            "unexplained",
            "Body map",
        ] {
            assert!(!text.contains(personal), "{personal} in the feed");
        }
        // Resuming from an item's id, by parameter or Last-Event-ID, gives what followed it.
        let fifth = items[4]["id"].as_str().unwrap();
        let page: Value = app
            .get(&format!("/v1/feed?after={fifth}&limit=3"), &manager)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["items"].as_array().unwrap()[..], items[5..8]);
        let by_header: Value = app
            .client
            .get(format!("{}/v1/feed?limit=3", app.address))
            .bearer_auth(&manager)
            .header("Last-Event-ID", fifth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(by_header["items"], page["items"]);
        // Only some types.
        let asked = all_items(&app, &manager, "&type=agency_report.requested,deadline.met").await;
        assert!(!asked.is_empty());
        assert!(
            types(&asked)
                .iter()
                .all(|t| *t == "agency_report.requested" || *t == "deadline.met")
        );
        assert_eq!(
            asked.len(),
            told.iter()
                .filter(|t| **t == "agency_report.requested" || **t == "deadline.met")
                .count()
        );
    }
);

both_backends!(
    bad_cursors_types_and_limits_are_refused_naming_the_parameter,
    |app: TestApp| async move {
        let manager = app.business_manager();
        for (query, code) in [
            ("after=abc", "query.invalid"),
            ("after=5.x", "query.invalid"),
            ("type=case.opened,case.exploded", "query.invalid"),
            ("limit=0", "query.invalid_limit"),
            ("limit=1001", "query.invalid_limit"),
            ("colour=red", "query.invalid"),
        ] {
            let answer = app.get(&format!("/v1/feed?{query}"), &manager).await;
            let body = problem(answer, StatusCode::BAD_REQUEST, code).await;
            assert!(!body.to_string().contains("exploded"), "{body}");
        }
        // Every parameter at fault at once, each named.
        let answer = app
            .get("/v1/feed?after=x&limit=0&type=case.exploded", &manager)
            .await;
        let body = problem(answer, StatusCode::BAD_REQUEST, "query.invalid").await;
        let named: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["parameter"].as_str().unwrap())
            .collect();
        assert_eq!(named, ["after", "limit", "type"], "{body}");
    }
);

both_backends!(
    an_agency_sees_only_the_items_of_cases_it_is_involved_in,
    |app: TestApp| async move {
        let involved = Review::open(&app).await;
        involved
            .ok(
                &involved.manager(),
                "rapid-review",
                json!({"occurred_at": "2022-09-09T12:00:00Z"}),
            )
            .await;
        involved
            .ok(
                &involved.manager(),
                "agency-report-requests",
                json!({"organisation": "suhft", "occurred_at": "2022-09-12T12:00:00Z"}),
            )
            .await;
        let other = Review::open(&app).await;
        let hospital = app.token("suhft", &[Role::AgencyUser]);
        let seen = all_items(&app, &hospital, "").await;
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|i| i["case_id"] == involved.case.as_str()));
        // Everything of its case, from the opening on (it may see the case as a whole).
        assert_eq!(seen[0]["type"], "case.opened");
        let manager_view = all_items(&app, &app.business_manager(), "").await;
        assert!(
            manager_view
                .iter()
                .any(|i| i["case_id"] == other.case.as_str())
        );
        // An agency involved in nothing sees nothing, but reads on.
        let school = app.token("southend-schools", &[Role::AgencyUser]);
        let page: Value = app.get("/v1/feed", &school).await.json().await.unwrap();
        assert_eq!(page["items"], json!([]));
        assert_eq!(page["next"], manager_view.last().unwrap()["id"]);
        // Another partnership's token sees none of it.
        let elsewhere = app.token_for("thurrock", "thurrock-council", &[Role::BusinessManager]);
        let page: Value = app.get("/v1/feed", &elsewhere).await.json().await.unwrap();
        assert_eq!(page["items"], json!([]));
    }
);

/// Reads a Server-Sent Events response until `enough` says so, or fails after `within`.
async fn read_events(
    response: &mut reqwest::Response,
    text: &mut String,
    within: Duration,
    enough: impl Fn(&str) -> bool,
) {
    let until = Instant::now() + within;
    while !enough(text) {
        let left = until.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "timed out; the stream said:\n{text}");
        match tokio::time::timeout(left, response.chunk()).await {
            Ok(Ok(Some(chunk))) => text.push_str(std::str::from_utf8(&chunk).unwrap()),
            Ok(Ok(None)) => panic!("the stream ended; it said:\n{text}"),
            Ok(Err(err)) => panic!("{err}"),
            Err(_) => panic!("timed out; the stream said:\n{text}"),
        }
    }
}

/// The events of a stream's text: (id, event, data).
fn events(text: &str) -> Vec<(String, String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                    .map(str::to_owned)
            };
            Some((
                field("id")?,
                field("event")?,
                serde_json::from_str(&field("data")?).unwrap(),
            ))
        })
        .collect()
}

async fn open_stream(app: &TestApp, token: &str, last_event_id: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{}/v1/feed", app.address))
        .bearer_auth(token)
        .header("Accept", "text/event-stream")
        .header("Accept-Encoding", "gzip, br");
    if let Some(id) = last_event_id {
        request = request.header("Last-Event-ID", id);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    // Not compressed, whatever the client accepts: a compressor would hold events back.
    assert!(
        response
            .headers()
            .get("content-encoding")
            .is_none_or(|e| e == "identity")
    );
    response
}

both_backends!(
    the_event_stream_follows_the_log_with_heartbeats_and_resumes_from_the_last_event,
    configure = |config: &mut casetrail_api::ServeConfig| {
        config.feed_heartbeat = Duration::from_millis(500);
        config.feed_stream_max = Duration::from_secs(6);
    },
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        let manager = review.manager();
        let backlog = all_items(&app, &manager, "").await;
        let mut stream = open_stream(&app, &manager, None).await;
        let mut text = String::new();
        read_events(&mut stream, &mut text, Duration::from_secs(10), |t| {
            events(t).len() >= backlog.len()
        })
        .await;
        assert!(text.starts_with("retry: "), "{text}");
        let sent = events(&text);
        assert_eq!(sent.len(), backlog.len());
        for ((id, event, data), item) in sent.iter().zip(&backlog) {
            assert_eq!(id, item["id"].as_str().unwrap());
            assert_eq!(event, item["type"].as_str().unwrap());
            assert_eq!(data, item);
        }
        // Idle: heartbeats.
        read_events(&mut stream, &mut text, Duration::from_secs(5), |t| {
            t.contains(": heartbeat")
        })
        .await;
        // A new fact reaches the open stream.
        review
            .ok(
                &manager,
                "rapid-review",
                json!({"occurred_at": "2022-09-09T12:00:00Z"}),
            )
            .await;
        read_events(&mut stream, &mut text, Duration::from_secs(5), |t| {
            events(t)
                .iter()
                .any(|(_, e, d)| e == "case.stage_changed" && d["data"]["to"] == "rapid_review")
        })
        .await;
        let last_before = sent.last().unwrap().0.clone();
        drop(stream);
        // Reconnecting with the last id seen gives what followed it, and nothing before.
        let mut resumed = open_stream(&app, &manager, Some(&last_before)).await;
        let mut again = String::new();
        read_events(&mut resumed, &mut again, Duration::from_secs(5), |t| {
            events(t).iter().any(|(_, e, _)| e == "case.stage_changed")
        })
        .await;
        let first = &events(&again)[0];
        assert!(backlog.iter().all(|i| i["id"] != first.0.as_str()));
        assert_eq!(
            events(&again)
                .iter()
                .map(|e| e.0.clone())
                .collect::<Vec<_>>(),
            events(&text)[backlog.len()..]
                .iter()
                .map(|e| e.0.clone())
                .collect::<Vec<_>>()
        );
        // A connection lasts its time, then ends for the client to reconnect.
        let ended = tokio::time::timeout(Duration::from_secs(15), async {
            while let Ok(Some(_)) = resumed.chunk().await {}
        })
        .await;
        assert!(ended.is_ok(), "the stream did not end");
    }
);

both_backends!(
    a_settings_change_tells_the_deadlines_it_moved_the_same_before_and_after_later_facts,
    |app: TestApp| async move {
        // The Panel notified, the rapid review not yet initiated: its milestones run by the
        // partnership's clock start, so changing it moves them.
        let review = Review::open(&app).await;
        let admin = app.admin();
        let partnership: Value = app
            .get("/v1/partnership", &admin)
            .await
            .json()
            .await
            .unwrap();
        let mut settings = partnership["settings"].clone();
        assert_eq!(settings["rapid_review_clock_start"], "panel_notification");
        settings["rapid_review_clock_start"] = json!("became_aware");
        let changed = app
            .post_ok("/v1/partnership/settings", &admin, &settings)
            .await;
        let position = changed["position"].as_u64().unwrap();
        let manager = review.manager();
        let at_change = |items: Vec<Value>| -> Vec<Value> {
            items
                .into_iter()
                .filter(|i| i["position"] == position)
                .collect()
        };
        // Read while the case has no fact since the change (judged from the read models)...
        let quiet = at_change(all_items(&app, &manager, "").await);
        assert!(!quiet.is_empty(), "no deadline moved");
        assert!(
            quiet
                .iter()
                .all(|i| i["type"] == "deadline.moved" && i["case_id"] == review.case.as_str())
        );
        // ...and after a later fact (the case folded from its stream): the same items.
        review
            .ok(
                &manager,
                "rapid-review",
                json!({"occurred_at": "2022-09-09T12:00:00Z"}),
            )
            .await;
        assert_eq!(at_change(all_items(&app, &manager, "").await), quiet);
    }
);
