//! Statutory answers that are facts about the past (issue 11): a closure never rewrites a
//! deadline that was met, met late or breached; a closure reason must fit the case; the end
//! of a day is its last instant.

use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, deadline, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Steps of this file's tests, on the shared harness's app.
trait NotifiedOnTheDay {
    /// Notifies the worked example (aware Thursday 22 December 2022), recorded as it happened.
    async fn notified_on_the_day(&self) -> String;
}

impl NotifiedOnTheDay for TestApp {
    async fn notified_on_the_day(&self) -> String {
        let mut body = notification();
        body["occurred_at"] = json!("2022-12-22T12:00:00Z");
        let response = self.notify(&body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let accepted: Value = response.json().await.unwrap();
        accepted["case_id"].as_str().unwrap().to_owned()
    }
}

both_backends!(
    closing_a_case_keeps_a_breach_and_ends_only_what_was_pending,
    |app: TestApp| async move {
        // The Panel notification was due at the end of 3 January 2023 and never made.
        let breached = app.notified_on_the_day().await;
        assert_eq!(
            deadline(&app.case(&breached).await, "panel_notification")["status"],
            "breached"
        );
        let close = json!({"reason": "criteria_not_met"});
        let closure = format!("/v1/cases/{breached}/closure");
        let response = app.post(&closure, &app.business_manager(), &close).await;
        assert_eq!(response.status(), StatusCode::OK);
        let after = deadline(&app.case(&breached).await, "panel_notification").clone();
        assert_eq!(after["status"], "breached", "{after}");
        // How late it was is fixed at the closure, not growing for ever.
        assert!(after["late_by"]["working_days"].as_i64().unwrap() > 900);

        // Closed on 23 December 2022, while the notification was still pending: it no longer
        // applies.
        let pending = app.notified_on_the_day().await;
        let close_early = json!({"reason": "criteria_not_met",
                                 "occurred_at": "2022-12-23T10:00:00Z"});
        let response = app
            .post(
                &format!("/v1/cases/{pending}/closure"),
                &app.business_manager(),
                &close_early,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            deadline(&app.case(&pending).await, "panel_notification")["status"],
            "not_applicable"
        );
    }
);

both_backends!(
    a_closure_reason_that_does_not_fit_is_refused_and_changes_nothing,
    |app: TestApp| async move {
        let case_id = app.notified_on_the_day().await;
        let closure = format!("/v1/cases/{case_id}/closure");
        let bm = app.business_manager();
        let before = app.log_length().await;
        // No review needs a decision against one, answered by the Panel.
        let refused = app
            .post(&closure, &bm, &json!({"reason": "no_review"}))
            .await;
        problem(refused, StatusCode::CONFLICT, "closure.no_decision").await;
        // A case notified to the Panel is not a referral nobody took forward.
        let panel = json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"});
        let recorded = app
            .post(
                &format!("/v1/cases/{case_id}/panel-notification"),
                &app.notifier(),
                &panel,
            )
            .await;
        assert_eq!(recorded.status(), StatusCode::OK);
        let with_panel_notification = app.log_length().await;
        assert_eq!(with_panel_notification, before + 1);
        let refused = app
            .post(&closure, &bm, &json!({"reason": "not_taken_forward"}))
            .await;
        problem(refused, StatusCode::CONFLICT, "closure.not_a_referral").await;
        let refused = app
            .post(&closure, &bm, &json!({"reason": "review_published"}))
            .await;
        problem(refused, StatusCode::CONFLICT, "closure.not_published").await;
        assert_eq!(app.log_length().await, with_panel_notification);
        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case["stage"], "panel_notified");
    }
);

both_backends!(
    a_fact_in_the_last_second_of_the_due_day_is_on_time,
    |app: TestApp| async move {
        let case_id = app.notified_on_the_day().await;
        // Due at the end of Tuesday 3 January 2023 (GMT); recorded half a second before
        // midnight.
        let panel = json!({"panel_reference": "CSPRP-2023-0001", "submitted_on": "2023-01-03",
                           "occurred_at": "2023-01-03T23:59:59.5Z"});
        let response = app
            .post(
                &format!("/v1/cases/{case_id}/panel-notification"),
                &app.notifier(),
                &panel,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let panel = deadline(&app.case(&case_id).await, "panel_notification").clone();
        assert_eq!(panel["due_at"], "2023-01-03T23:59:59.999999Z");
        assert_eq!(panel["fulfilled_at"], "2023-01-03T23:59:59.500Z");
        assert_eq!(panel["status"], "met", "{panel}");
        assert_eq!(panel["late_by"], Value::Null);
    }
);

both_backends!(
    the_rules_the_api_reference_links_to_are_served,
    |app: TestApp| async move {
        let response = reqwest::get(format!("{}/rules.md", app.address))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "text/markdown; charset=utf-8"
        );
        let text = response.text().await.unwrap();
        assert!(text.contains("closure.reconsideration_pending"), "{text}");
        let document: Value = reqwest::get(format!("{}/openapi.json", app.address))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let description = document["info"]["description"].as_str().unwrap();
        assert!(description.contains("(/rules.md)"), "{description}");
    }
);
