//! The first vertical slice: notify, read the deadline, record the Panel notification.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(notify_then_read_the_deadline, |app: TestApp| async move {
    let response = app.notify(&notification()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    let case_id = body["case_id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/cases/{case_id}"));
    assert_eq!(body["version"], 1);
    assert!(body["position"].as_u64().unwrap() > 1);

    let response = app.get(&location, &app.notifier()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let case: Value = response.json().await.unwrap();
    assert_eq!(case["kind"], "child");
    assert_eq!(case["stage"], "notified");
    assert_eq!(case["child"]["age_band"], "6_to_10");
    // The case never shows identifying details.
    let text = case.to_string();
    assert!(!text.contains("Alex") && !text.contains("Smith") && !text.contains("2016-03-01"));
    let deadline = &case["deadlines"][0];
    assert_eq!(deadline["kind"], "panel_notification");
    assert_eq!(deadline["organisation"], "southend-council");
    // domain.md: aware Thursday 2022-12-22 -> due end of Tuesday 2023-01-03 (GMT).
    assert_eq!(deadline["due_at"], "2023-01-03T23:59:59.999999Z");
    // Notified in 2022 and never recorded as sent: long breached by now.
    assert_eq!(deadline["status"], "breached");
    assert!(deadline["late_by"]["working_days"].as_i64().unwrap() > 900);
    // Next: the local authority's notifier notifies the Panel (overdue), and the business
    // manager initiates the rapid review.
    let steps = &case["next_steps"];
    assert_eq!(steps[0]["command"], "RecordPanelNotification");
    assert_eq!(steps[0]["role"], "notifier");
    assert_eq!(steps[0]["organisation"], "southend-council");
    assert_eq!(steps[0]["status"], "breached");
    assert_eq!(steps[1]["command"], "InitiateRapidReview");
    assert_eq!(steps[1]["role"], "business_manager");
});

both_backends!(
    panel_notification_meets_the_deadline,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let path = format!("/v1/cases/{case_id}/panel-notification");
        let body = json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"});
        let response = app.post(&path, &app.notifier(), &body).await;
        assert_eq!(response.status(), StatusCode::OK);
        let accepted: Value = response.json().await.unwrap();
        assert_eq!(accepted["version"], 2);

        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case["stage"], "panel_notified");
        assert_eq!(
            case["panel_notification"]["panel_reference"],
            "CSPRP-2022-1234"
        );
        let deadline = &case["deadlines"][0];
        assert_eq!(deadline["status"], "met");
        assert_eq!(deadline["fulfilled_at"], "2022-12-29T23:59:59.999999Z");
        assert_eq!(deadline["late_by"], Value::Null);

        // Recording it twice is a state conflict.
        let again = app.post(&path, &app.notifier(), &body).await;
        problem(again, StatusCode::CONFLICT, "case.wrong_stage").await;
    }
);

both_backends!(
    late_panel_notification_is_met_late,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let body = json!({"panel_reference": "CSPRP-2023-0001", "submitted_on": "2023-01-05"});
        let path = format!("/v1/cases/{case_id}/panel-notification");
        assert_eq!(
            app.post(&path, &app.notifier(), &body).await.status(),
            StatusCode::OK
        );
        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        let deadline = &case["deadlines"][0];
        assert_eq!(deadline["status"], "met_late");
        assert_eq!(deadline["late_by"], json!({"working_days": 2, "hours": 48}));
    }
);

both_backends!(
    notification_outside_the_criteria_is_422_with_the_reason,
    |app: TestApp| async move {
        let mut body = notification();
        body["harm"] = json!("not_serious");
        let response = app.notify(&body).await;
        let refusal = problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "notification.criteria_not_met",
        )
        .await;
        assert!(
            refusal["detail"]
                .as_str()
                .unwrap()
                .contains("seriously harmed")
        );
        let mut body = notification();
        body["became_aware_on"] = json!("2022-12-19");
        let response = app.notify(&body).await;
        let refusal = problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date.after_became_aware",
        )
        .await;
        assert_eq!(refusal["errors"][0]["field"], "incident_date");
        // Nothing was written: the log holds only the demo partnership.
        assert_eq!(app.list(&app.notifier(), "").await["items"], json!([]));
    }
);

both_backends!(
    personal_details_are_sealed_and_readable_by_those_who_need_them,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let path = format!("/v1/cases/{case_id}/personal-details");
        let response = app.get(&path, &app.notifier()).await;
        assert_eq!(response.status(), StatusCode::OK);
        let details: Value = response.json().await.unwrap();
        assert_eq!(details["given_name"], "Alex");
        assert_eq!(details["date_of_birth"], "2016-03-01");
        let police = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        problem(
            app.get(&path, &police).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;

        // The event log holds them only sealed.
        let store = casetrail_store::open(&app.db.url).await.unwrap();
        let events = store.read_all(0, 1000).await.unwrap();
        store.close().await;
        let raw =
            serde_json::to_string(&events.iter().map(|e| &e.data).collect::<Vec<_>>()).unwrap();
        assert!(raw.contains("SBC-2022-0412"));
        assert!(!raw.contains("Alex") && !raw.contains("Smith") && !raw.contains("unexplained"));
    }
);

both_backends!(case_list_pages_with_a_cursor, |app: TestApp| async move {
    let mut ids = Vec::new();
    for n in 0..5 {
        if n == 2 {
            // A case id derived from an Idempotency-Key is not time-ordered: the list still
            // shows cases in the order they were opened.
            let response = app
                .client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("idempotency-key", "keyed")
                .json(&notification())
                .send()
                .await
                .unwrap();
            let body: Value = response.json().await.unwrap();
            ids.push(body["case_id"].as_str().unwrap().to_owned());
        } else {
            ids.push(app.notify_ok().await);
        }
    }
    let token = app.notifier();
    let first = app.list(&token, "?limit=2").await;
    let second = app
        .list(
            &token,
            &format!("?limit=2&cursor={}", first["next_cursor"].as_str().unwrap()),
        )
        .await;
    let third = app
        .list(
            &token,
            &format!(
                "?limit=2&cursor={}",
                second["next_cursor"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(third["next_cursor"], Value::Null);
    let listed: Vec<String> = [first, second, third]
        .iter()
        .flat_map(|page| page["items"].as_array().unwrap().clone())
        .map(|item| item["case_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, ids);
    let bad = app.get("/v1/cases?limit=501", &token).await;
    problem(bad, StatusCode::BAD_REQUEST, "query.invalid_limit").await;
    let bad = app.get("/v1/cases?cursor=nonsense", &token).await;
    problem(bad, StatusCode::BAD_REQUEST, "query.invalid_cursor").await;
});

both_backends!(
    agency_users_see_only_cases_they_are_involved_in,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let agency = app.token("suhft", &[Role::AgencyUser]);
        let response = app.get(&format!("/v1/cases/{case_id}"), &agency).await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        assert_eq!(app.list(&agency, "").await["items"], json!([]));
        // A statutory partner sees every case of the partnership.
        let police = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        assert_eq!(
            app.get(&format!("/v1/cases/{case_id}"), &police)
                .await
                .status(),
            StatusCode::OK
        );
    }
);

/// Steps of this file's tests, on the shared harness's app.
trait CaseList {
    async fn list(&self, token: &str, query: &str) -> Value;
}

impl CaseList for TestApp {
    async fn list(&self, token: &str, query: &str) -> Value {
        let response = self.get(&format!("/v1/cases{query}"), token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

both_backends!(
    an_agency_refers_a_case_and_its_review_runs_from_initiation,
    |app: TestApp| async move {
        let hospital = app.token("suhft", &[Role::AgencyUser]);
        let mut body = notification();
        for field in [
            "became_aware_on",
            "harm",
            "abuse_or_neglect",
            "location_basis",
            "summary",
            "allow_duplicate",
        ] {
            body.as_object_mut().unwrap().remove(field);
        }
        body["reasons"] = json!("Repeated attendances with injuries.");
        body["occurred_at"] = json!("2022-12-21T09:00:00Z");
        let response = app.post("/v1/cases/referrals", &hospital, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case_id = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        // The referrer is involved, so it sees the case it referred.
        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &hospital)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case["stage"], "referred");
        assert_eq!(case["origin"], "referral");
        assert_eq!(case["opened_by"], "suhft");
        assert_eq!(case["notification"], Value::Null);
        assert_eq!(case["deadlines"], json!([]));
        // No Panel notification for a referral; its rapid review runs from initiation.
        let panel = json!({"panel_reference": "X", "submitted_on": "2022-12-22"});
        let path = format!("/v1/cases/{case_id}/panel-notification");
        problem(
            app.post(&path, &app.notifier(), &panel).await,
            StatusCode::CONFLICT,
            "case.not_notified",
        )
        .await;
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        let initiate = json!({"occurred_at": "2022-12-22T10:00:00Z"});
        let response = app
            .post(
                &format!("/v1/cases/{case_id}/rapid-review"),
                &manager,
                &initiate,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &manager)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case["rapid_review"]["day0"], "2022-12-22");
        let submission = case["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "rr_submission")
            .unwrap()
            .clone();
        // Day 15 after Thursday 22 December 2022, skipping Christmas, Boxing Day and 2 January.
        assert_eq!(submission["due_at"], "2023-01-17T23:59:59.999999Z");
        // The reasons are sealed with the names: readable only through personal details.
        let details: Value = app
            .get(&format!("/v1/cases/{case_id}/personal-details"), &manager)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(details["summary"], "Repeated attendances with injuries.");
    }
);
