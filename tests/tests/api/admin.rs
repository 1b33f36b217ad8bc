//! Partnership administration: organisations, settings and declared bank holidays.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    admins_register_and_retire_organisations,
    |app: TestApp| async move {
        let admin = app.token("southend-council", &[Role::Admin]);
        let body = json!({"slug": "southend-adult-care", "name": "Southend Adult Social Care", "kind": "other"});
        let response = app
            .post("/v1/partnership/organisations", &admin, &body)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.json::<Value>().await.unwrap()["partnership"],
            "southend"
        );
        problem(
            app.post("/v1/partnership/organisations", &admin, &body)
                .await,
            StatusCode::CONFLICT,
            "organisation.already_registered",
        )
        .await;
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        problem(
            app.post("/v1/partnership/organisations", &manager, &body)
                .await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;

        let retire = "/v1/partnership/organisations/southend-adult-care/retirement";
        assert_eq!(
            app.post(retire, &admin, &json!({})).await.status(),
            StatusCode::OK
        );
        problem(
            app.post(
                "/v1/partnership/organisations/essex-police/retirement",
                &admin,
                &json!({}),
            )
            .await,
            StatusCode::CONFLICT,
            "organisation.statutory_partner",
        )
        .await;

        let response = app.get("/v1/partnership", &manager).await;
        assert_eq!(response.headers()["etag"], "\"21\"");
        let partnership: Value = response.json().await.unwrap();
        let adult_care = partnership["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["slug"] == "southend-adult-care")
            .unwrap()
            .clone();
        assert_eq!(adult_care["retired"], true);
        assert_eq!(partnership["settings"]["close_of_business"], "17:00");

        // A retired organisation can no longer be asked for a report.
        let case_id = app.notify_ok().await;
        let initiate = app
            .post(
                &format!("/v1/cases/{case_id}/rapid-review"),
                &manager,
                &json!({}),
            )
            .await;
        assert_eq!(initiate.status(), StatusCode::OK);
        let request = json!({"organisation": "southend-adult-care"});
        problem(
            app.post(
                &format!("/v1/cases/{case_id}/agency-report-requests"),
                &manager,
                &request,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "organisation.retired",
        )
        .await;
    }
);

both_backends!(
    a_declared_bank_holiday_moves_running_deadlines,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let due = |case: &Value| case["deadlines"][0]["due_at"].clone();
        let before: Value = app
            .get(&format!("/v1/cases/{case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(due(&before), "2023-01-03T23:59:59.999999Z");
        let admin = app.token("southend-council", &[Role::Admin]);
        // A day in the past changes the calendar only as a correction (tests/api/calendar.rs).
        let holiday = json!({"date": "2022-12-28", "name": "A one-off holiday",
                             "correction": {"reason": "missed when proclaimed"}});
        assert_eq!(
            app.post("/v1/partnership/bank-holidays", &admin, &holiday)
                .await
                .status(),
            StatusCode::OK
        );
        let after: Value = app
            .get(&format!("/v1/cases/{case_id}"), &app.notifier())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(due(&after), "2023-01-04T23:59:59.999999Z");
        problem(
            app.post("/v1/partnership/bank-holidays", &admin, &holiday)
                .await,
            StatusCode::CONFLICT,
            "holiday.already_a_holiday",
        )
        .await;

        let settings =
            json!({"rapid_review_clock_start": "became_aware", "close_of_business": "16:30"});
        assert_eq!(
            app.post("/v1/partnership/settings", &admin, &settings)
                .await
                .status(),
            StatusCode::OK
        );
        let bad = json!({"rapid_review_clock_start": "became_aware", "close_of_business": "late"});
        problem(
            app.post("/v1/partnership/settings", &admin, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "field.invalid",
        )
        .await;
        let partnership: Value = app
            .get("/v1/partnership", &admin)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(partnership["settings"]["close_of_business"], "16:30");
        assert_eq!(
            partnership["declared_bank_holidays"][0]["date"],
            "2022-12-28"
        );
    }
);
