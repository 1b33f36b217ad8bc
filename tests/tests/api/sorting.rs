//! Sorting the case and deadline lists: each order pages without gaps or repeats, and a cursor
//! is valid only in the order it was given in.

use casetrail_tests::{TestApp, both_backends, notification, problem};
use reqwest::StatusCode;
use serde_json::Value;

/// Opens a case notified `occurred_at` (backdated), aware of the incident on `aware`.
async fn open(app: &TestApp, reference: &str, aware: &str, occurred_at: &str) -> Value {
    let mut body = notification();
    body["child"]["reference"] = reference.into();
    body["became_aware_on"] = aware.into();
    body["incident_date"] = aware.into();
    body["occurred_at"] = occurred_at.into();
    let opened = app.notify(&body).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    opened.json::<Value>().await.unwrap()["case_id"].clone()
}

async fn page(app: &TestApp, query: &str) -> Value {
    let answer = app
        .get(&format!("/v1/cases?{query}"), &app.business_manager())
        .await;
    assert_eq!(answer.status(), StatusCode::OK, "{query}");
    answer.json().await.unwrap()
}

fn ids(page: &Value, field: &str) -> Vec<Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].clone())
        .collect()
}

/// Every item of a list in `sort`, one page of one item at a time.
async fn one_by_one(app: &TestApp, list: &str, sort: &str, field: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = format!("{list}?limit=1&sort={sort}");
        if let Some(cursor) = &cursor {
            query.push_str(&format!("&cursor={cursor}"));
        }
        let answer = app.get(&query, &app.business_manager()).await;
        assert_eq!(answer.status(), StatusCode::OK, "{query}");
        let page: Value = answer.json().await.unwrap();
        all.extend(ids(&page, field));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return all,
        }
        assert!(all.len() < 100, "the pages never end");
    }
}

both_backends!(
    the_case_list_sorts_by_opening_and_by_next_deadline,
    |app: TestApp| async move {
        // Recorded in the order a, b, c; opened (backdated) in the order b, c, a; the Panel
        // notification falls due first for c (aware earliest), then a, then b.
        let a = open(&app, "SBC-1", "2022-12-22", "2023-01-05T10:00:00Z").await;
        let b = open(&app, "SBC-2", "2023-01-02", "2023-01-03T10:00:00Z").await;
        let c = open(&app, "SBC-3", "2022-12-12", "2023-01-04T10:00:00Z").await;

        let recorded = ids(&page(&app, "limit=500").await, "case_id");
        assert_eq!(recorded, [a.clone(), b.clone(), c.clone()]);
        let opened = ids(&page(&app, "limit=500&sort=opened_at").await, "case_id");
        assert_eq!(opened, [b.clone(), c.clone(), a.clone()]);
        let latest = ids(&page(&app, "limit=500&sort=-opened_at").await, "case_id");
        assert_eq!(latest, [a.clone(), c.clone(), b.clone()]);
        let by_due = page(&app, "limit=500&sort=due_at").await;
        assert_eq!(ids(&by_due, "case_id"), [c.clone(), a.clone(), b.clone()]);
        let due: Vec<Value> = ids(&by_due, "next_due_at");
        assert!(due.iter().all(Value::is_string), "{by_due}");

        // Paging one case at a time gives the same order, without a gap or a repeat.
        for (sort, whole) in [
            ("opened_at", &opened),
            ("-opened_at", &latest),
            ("due_at", &vec![c.clone(), a.clone(), b.clone()]),
        ] {
            assert_eq!(&one_by_one(&app, "/v1/cases", sort, "case_id").await, whole);
        }

        // A cursor marks a place in its own order only.
        let first = page(&app, "limit=1&sort=opened_at").await;
        let cursor = first["next_cursor"].as_str().unwrap().to_owned();
        for other in ["sort=due_at&", "sort=-opened_at&", ""] {
            let refused = problem(
                app.get(
                    &format!("/v1/cases?limit=1&{other}cursor={cursor}"),
                    &app.business_manager(),
                )
                .await,
                StatusCode::BAD_REQUEST,
                "query.invalid_cursor",
            )
            .await;
            assert_eq!(refused["errors"][0]["parameter"], "cursor", "{refused}");
            assert!(
                refused["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("sort=opened_at"),
                "{refused}"
            );
        }
        let unsorted = page(&app, "limit=1").await;
        let cursor = unsorted["next_cursor"].as_str().unwrap().to_owned();
        let refused = problem(
            app.get(
                &format!("/v1/cases?sort=opened_at&cursor={cursor}"),
                &app.business_manager(),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "query.invalid_cursor",
        )
        .await;
        assert_eq!(refused["errors"][0]["parameter"], "cursor", "{refused}");

        // An unknown order names the parameter.
        let refused = problem(
            app.get("/v1/cases?sort=reference", &app.business_manager())
                .await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
        assert_eq!(refused["errors"][0]["parameter"], "sort", "{refused}");
        assert_eq!(refused["errors"].as_array().unwrap().len(), 1, "{refused}");
    }
);

both_backends!(
    the_deadline_list_sorts_latest_due_first,
    |app: TestApp| async move {
        open(&app, "SBC-1", "2022-12-22", "2023-01-05T10:00:00Z").await;
        open(&app, "SBC-2", "2023-01-02", "2023-01-03T10:00:00Z").await;
        let manager = app.business_manager();
        let soonest: Value = app
            .get("/v1/deadlines?limit=500", &manager)
            .await
            .json()
            .await
            .unwrap();
        let mut soonest = ids(&soonest, "deadline_id");
        assert_eq!(soonest.len(), 2);
        let latest: Value = app
            .get("/v1/deadlines?limit=500&sort=-due_at", &manager)
            .await
            .json()
            .await
            .unwrap();
        let latest = ids(&latest, "deadline_id");
        soonest.reverse();
        assert_eq!(latest, soonest);
        assert_eq!(
            one_by_one(&app, "/v1/deadlines", "-due_at", "deadline_id").await,
            latest
        );
        soonest.reverse();
        assert_eq!(
            one_by_one(&app, "/v1/deadlines", "due_at", "deadline_id").await,
            soonest
        );
        // The default order's cursor is the soonest-first one's, and no other's.
        let first: Value = app
            .get("/v1/deadlines?limit=1", &manager)
            .await
            .json()
            .await
            .unwrap();
        let cursor = first["next_cursor"].as_str().unwrap();
        let same = app
            .get(
                &format!("/v1/deadlines?sort=due_at&cursor={cursor}"),
                &manager,
            )
            .await;
        assert_eq!(same.status(), StatusCode::OK);
        let refused = problem(
            app.get(
                &format!("/v1/deadlines?sort=-due_at&cursor={cursor}"),
                &manager,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "query.invalid_cursor",
        )
        .await;
        assert_eq!(refused["errors"][0]["parameter"], "cursor", "{refused}");
    }
);
