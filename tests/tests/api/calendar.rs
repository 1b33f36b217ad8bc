//! The working-day calendar over HTTP: the supported years, and holidays declared, withdrawn
//! or moved by an admin, which reach only the deadlines still pending when recorded.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, deadline, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Steps of this file's tests, on the shared harness's app.
trait NotifyAwareOn {
    async fn notify_aware_on(&self, incident: &str, aware: &str, born: &str) -> reqwest::Response;
}

impl NotifyAwareOn for TestApp {
    async fn notify_aware_on(&self, incident: &str, aware: &str, born: &str) -> reqwest::Response {
        let mut body = notification();
        body["incident_date"] = json!(incident);
        body["became_aware_on"] = json!(aware);
        body["child"]["date_of_birth"] = json!(born);
        self.notify(&body).await
    }
}

both_backends!(
    dates_outside_1990_to_2100_are_refused_and_2017_has_its_holidays,
    |app: TestApp| async move {
        let refused = problem(
            app.notify_aware_on("1989-12-18", "1989-12-20", "1985-03-01")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "calendar.date_out_of_range",
        )
        .await;
        let text = refused.to_string();
        assert!(text.contains("1990-01-01 to 2100-12-31"), "{text}");
        assert!(!text.contains("1989-12"), "no dates of the case: {text}");

        // Aware Thursday 21 December 2017: Christmas, Boxing Day and New Year's Day are
        // holidays, so the fifth working day is Tuesday 2 January 2018.
        let response = app
            .notify_aware_on("2017-12-20", "2017-12-21", "2010-03-01")
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case_id = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let panel = deadline(&app.case(&case_id).await, "panel_notification").clone();
        assert_eq!(panel["due_at"], "2018-01-02T23:59:59.999999Z");
        assert_eq!(panel["provisional"], false);
        let listed: Value = app
            .get(&format!("/v1/deadlines?case_id={case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed["items"][0]["provisional"], false);
    }
);

both_backends!(
    a_past_declaration_needs_a_correction_and_settled_deadlines_keep_their_due_dates,
    |app: TestApp| async move {
        // Notified to the Panel on Wednesday 4 January 2023, a day after it was due.
        let case_id = app.notify_ok().await;
        let panel = json!({"panel_reference": "CSPRP-2023-0001", "submitted_on": "2023-01-04",
                           "occurred_at": "2023-01-04T10:00:00Z"});
        let path = format!("/v1/cases/{case_id}/panel-notification");
        assert_eq!(
            app.post(&path, &app.notifier(), &panel).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            deadline(&app.case(&case_id).await, "panel_notification")["status"],
            "met_late"
        );

        // Friday 30 December 2022 is in the past: refused as a plain declaration.
        let declare = json!({"date": "2022-12-30", "name": "Proclaimed bank holiday"});
        problem(
            app.post("/v1/partnership/bank-holidays", &app.admin(), &declare)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "holiday.in_the_past",
        )
        .await;
        let panel = deadline(&app.case(&case_id).await, "panel_notification").clone();
        assert_eq!(panel["status"], "met_late");
        assert_eq!(panel["due_at"], "2023-01-03T23:59:59.999999Z");

        // A declaration for a day to come leaves the settled deadline as it was.
        let future = json!({"date": "2099-06-01", "name": "Proclaimed bank holiday"});
        assert_eq!(
            app.post("/v1/partnership/bank-holidays", &app.admin(), &future)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            deadline(&app.case(&case_id).await, "panel_notification")["status"],
            "met_late"
        );

        // As a correction it fixes the calendar for every deadline, and says why.
        let reason = "the holiday was proclaimed but never entered";
        let correction = json!({"date": "2022-12-30", "name": "Proclaimed bank holiday",
                                "correction": {"reason": reason}});
        assert_eq!(
            app.post("/v1/partnership/bank-holidays", &app.admin(), &correction)
                .await
                .status(),
            StatusCode::OK
        );
        let panel = deadline(&app.case(&case_id).await, "panel_notification").clone();
        assert_eq!(panel["due_at"], "2023-01-04T23:59:59.999999Z");
        assert_eq!(panel["status"], "met");

        let auditor = app.token("southend-council", &[Role::Auditor]);
        let trail: Value = app
            .get("/v1/audit-trail?limit=500", &auditor)
            .await
            .json()
            .await
            .unwrap();
        let summaries: Vec<&str> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event_type"] == "BankHolidayDeclared")
            .filter_map(|e| e["summary"].as_str())
            .collect();
        assert!(
            summaries
                .iter()
                .any(|s| s.contains("2022-12-30") && s.contains(reason)),
            "{summaries:?}"
        );
        let partnership: Value = app
            .get("/v1/partnership", &app.admin())
            .await
            .json()
            .await
            .unwrap();
        let changes = partnership["calendar_changes"].as_array().unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[1]["correction"]["reason"], reason);
    }
);

both_backends!(
    a_pending_deadline_moves_with_a_declaration_a_withdrawal_and_a_move,
    |app: TestApp| async move {
        // Aware today: the Panel notification is pending until its fifth working day.
        let today = chrono::Utc::now().date_naive();
        let born = today - chrono::Days::new(3000);
        let response = app
            .notify_aware_on(&today.to_string(), &today.to_string(), &born.to_string())
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case_id = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let due = |d: &Value| d["due_at"].as_str().unwrap().to_owned();
        let before = due(&deadline(&app.case(&case_id).await, "panel_notification").clone());
        let due_day = &before[..10];

        // The due day itself becomes a holiday: the deadline moves to a later working day.
        let declare = json!({"date": due_day, "name": "Proclaimed bank holiday"});
        assert_eq!(
            app.post("/v1/partnership/bank-holidays", &app.admin(), &declare)
                .await
                .status(),
            StatusCode::OK
        );
        let declared = due(&deadline(&app.case(&case_id).await, "panel_notification").clone());
        assert!(declared > before, "{declared} after {before}");

        // Moved far away, the holiday no longer delays it.
        let moved = json!({"to": "2099-06-02"});
        let path = format!("/v1/partnership/bank-holidays/{due_day}/move");
        assert_eq!(
            app.post(&path, &app.admin(), &moved).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            due(&deadline(&app.case(&case_id).await, "panel_notification").clone()),
            before
        );

        // Withdrawn, the day it moved to is worked again.
        let path = "/v1/partnership/bank-holidays/2099-06-02/withdrawal";
        assert_eq!(
            app.post(path, &app.admin(), &json!({})).await.status(),
            StatusCode::OK
        );
        problem(
            app.post(path, &app.admin(), &json!({})).await,
            StatusCode::CONFLICT,
            "holiday.not_a_holiday",
        )
        .await;
        let partnership: Value = app
            .get("/v1/partnership", &app.admin())
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = partnership["calendar_changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["change"].as_str())
            .collect();
        assert_eq!(kinds, ["declared", "moved", "withdrawn"]);
        assert_eq!(partnership["declared_bank_holidays"], json!([]));
    }
);

both_backends!(
    an_as_of_the_calendar_cannot_judge_is_refused,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let manager = app.business_manager();
        for path in [
            format!("/v1/cases/{case_id}?as_of=1989-12-31T12:00:00Z"),
            format!("/v1/cases/{case_id}/deadlines?as_of=2101-01-01T12:00:00Z"),
            "/v1/deadlines?as_of=1989-12-31T12:00:00Z".to_owned(),
            "/v1/statistics/annual?as_of=2101-01-01T12:00:00Z".to_owned(),
        ] {
            let refused = problem(
                app.get(&path, &manager).await,
                StatusCode::BAD_REQUEST,
                "calendar.date_out_of_range",
            )
            .await;
            assert!(
                refused.to_string().contains("1990-01-01 to 2100-12-31"),
                "{path}: {refused}"
            );
        }
        // Inside the range the same reads answer.
        let inside = app
            .get(
                &format!("/v1/cases/{case_id}?as_of=2099-12-31T12:00:00Z"),
                &manager,
            )
            .await;
        assert_eq!(inside.status(), StatusCode::OK);
    }
);
