//! Corrections to the learning record over HTTP (docs/rules.md LI-4), on both backends: a
//! meeting and a learning event corrected under their own ids, a budget line withdrawn; the
//! lists, the budget and time travel count the record as it stood; the audit trail keeps both;
//! refusals record nothing.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

const MEETING: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4b01";
const EVENT: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4b02";
const LINE: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4b03";

fn meeting(police: u32) -> Value {
    json!({
        "group": "practice_review", "held_on": "2022-03-10",
        "attendance": [{"organisation": "essex-police", "people": police},
                       {"organisation": "southend-council", "people": 3}],
        "attendees": ["p-1001", "p-1002"],
    })
}

fn instant() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

async fn pause() {
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
}

both_backends!(
    a_meeting_and_a_learning_event_are_corrected_and_counted_as_corrected,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let mut first = meeting(2);
        first["meeting_id"] = json!(MEETING);
        app.post_ok("/v1/meetings", &bm, &first).await;
        let event = json!({"learning_event_id": EVENT, "kind": "training",
            "topic": "Neglect toolkt", "held_on": "2021-11-15",
            "attendance": [{"organisation": "suhft", "people": 15}]});
        app.post_ok("/v1/learning-events", &bm, &event).await;
        pause().await;
        let before = instant();
        pause().await;

        // The police sent four, not two; the course's topic was mistyped.
        let corrected = app
            .post_ok(
                &format!("/v1/meetings/{MEETING}/correction"),
                &bm,
                &meeting(4),
            )
            .await;
        let mut course = event.clone();
        course["topic"] = json!("Neglect toolkit");
        course.as_object_mut().unwrap().remove("learning_event_id");
        app.post_ok(
            &format!("/v1/learning-events/{EVENT}/correction"),
            &bm,
            &course,
        )
        .await;

        let year = "financial_year=2021-22";
        let listed = app.get_ok(&format!("/v1/meetings?{year}"), &bm).await;
        assert_eq!(listed["totals"]["held"], 1, "{listed}");
        assert_eq!(listed["totals"]["attendances"], 7, "{listed}");
        assert_eq!(listed["meetings"][0]["meeting_id"], MEETING);
        // Where the record now stands: the correction.
        assert_eq!(listed["meetings"][0]["position"], corrected["position"]);
        let events = app
            .get_ok(&format!("/v1/learning-events?{year}"), &bm)
            .await;
        assert_eq!(
            events["learning_events"][0]["topic"], "Neglect toolkit",
            "{events}"
        );
        // As recorded before the corrections.
        let then = app
            .get_ok(&format!("/v1/meetings?{year}&as_of={before}"), &bm)
            .await;
        assert_eq!(then["totals"]["attendances"], 5, "{then}");

        // The audit trail keeps the record as first made and its correction.
        let summaries = app.audit_summaries("/v1/audit-trail?limit=100").await;
        for expected in [
            "A meeting of practice review on 2022-03-10 was recorded: 5 people of 2 organisations",
            "The record of a meeting was corrected: practice review on 2022-03-10, 7 people of 2 organisations",
        ] {
            assert!(
                summaries.iter().any(|s| s == expected),
                "{expected}: {summaries:?}"
            );
        }
    }
);

both_backends!(
    a_budget_line_recorded_in_error_is_withdrawn,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let path = "/v1/budget/2021-22";
        let line = json!({"line_id": LINE, "category": "events", "amount_pence": 1_920_000});
        app.post_ok(&format!("{path}/spending"), &bm, &line).await;
        app.post_ok(
            &format!("{path}/spending"),
            &bm,
            &json!({"category": "salaries", "amount_pence": 100}),
        )
        .await;
        let withdrawal = format!("/v1/budget/lines/{LINE}/withdrawal");
        app.post_ok(&withdrawal, &bm, &json!({})).await;
        let budget = app.get_ok(path, &bm).await;
        assert_eq!(budget["totals"]["spending_pence"], 100, "{budget}");
        assert_eq!(budget["spending"].as_array().unwrap().len(), 1);
        // Once; and its id is not used again.
        let response = app.post(&withdrawal, &bm, &json!({})).await;
        problem(response, StatusCode::NOT_FOUND, "budget_line.not_found").await;
        let response = app.post(&format!("{path}/spending"), &bm, &line).await;
        problem(response, StatusCode::CONFLICT, "learning.already_recorded").await;
    }
);

both_backends!(
    corrections_refused_record_nothing,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let mut first = meeting(2);
        first["meeting_id"] = json!(MEETING);
        app.post_ok("/v1/meetings", &bm, &first).await;
        let before = app.log_length().await;
        let correction = format!("/v1/meetings/{MEETING}/correction");
        // Another meeting's id in the body: a correction keeps the record's id.
        let mut other = meeting(4);
        other["meeting_id"] = json!(EVENT);
        let refused = problem(
            app.post(&correction, &bm, &other).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "field.invalid",
        )
        .await;
        assert_eq!(refused["errors"][0]["pointer"], "/meeting_id", "{refused}");
        // No such meeting; a learning event is none.
        for path in [
            format!("/v1/meetings/{EVENT}/correction"),
            format!("/v1/learning-events/{MEETING}/correction"),
        ] {
            let body = if path.contains("meetings") {
                meeting(4)
            } else {
                json!({"kind": "training", "topic": "x", "held_on": "2021-11-15",
                       "attendance": [{"organisation": "suhft", "people": 1}]})
            };
            let response = app.post(&path, &bm, &body).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        }
        // The correction passes the recording's checks.
        let mut future = meeting(4);
        future["held_on"] = json!("2099-01-01");
        problem(
            app.post(&correction, &bm, &future).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date.in_future",
        )
        .await;
        // The business unit corrects; nobody else.
        let agency = app.token("suhft", &[Role::AgencyUser]);
        problem(
            app.post(&correction, &agency, &meeting(4)).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        assert_eq!(app.log_length().await, before);
    }
);
