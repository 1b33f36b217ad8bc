//! Bad input gets a clear problem+json answer and changes nothing.

use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::json;

both_backends!(malformed_json_is_400, |app: TestApp| async move {
    let response = app
        .client
        .post(format!("{}/v1/cases/notifications", app.address))
        .bearer_auth(app.notifier())
        .header("content-type", "application/json")
        .body("{\"child\": ")
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::BAD_REQUEST, "body.malformed_json").await;
    assert_eq!(app.log_length().await, 19);
});

both_backends!(
    unknown_fields_and_wrong_types_are_400_without_the_value,
    |app: TestApp| async move {
        let mut body = notification();
        body["child"]["favourite_colour"] = json!("blue");
        let response = app.notify(&body).await;
        let problem_body = problem(response, StatusCode::BAD_REQUEST, "body.invalid").await;
        let detail = problem_body["detail"].as_str().unwrap();
        assert!(
            detail.contains("child") && detail.contains("favourite_colour"),
            "{detail}"
        );

        let mut body = notification();
        body["child"]["looked_after"] = json!("Alex Smith");
        let response = app.notify(&body).await;
        let problem_body = problem(response, StatusCode::BAD_REQUEST, "body.invalid").await;
        let detail = problem_body["detail"].as_str().unwrap();
        assert!(detail.contains("child.looked_after"), "{detail}");
        assert!(
            !detail.contains("Alex"),
            "the value must not be echoed: {detail}"
        );
        assert_eq!(app.log_length().await, 19);
    }
);

both_backends!(
    wrong_media_type_is_415_and_oversized_body_is_413,
    |app: TestApp| async move {
        let response = app
            .client
            .post(format!("{}/v1/cases/notifications", app.address))
            .bearer_auth(app.notifier())
            .header("content-type", "text/plain")
            .body(notification().to_string())
            .send()
            .await
            .unwrap();
        problem(
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "body.unsupported_media_type",
        )
        .await;
        let mut body = notification();
        body["summary"] = json!("x".repeat(70 * 1024));
        problem(
            app.notify(&body).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body.too_large",
        )
        .await;
        assert_eq!(app.log_length().await, 19);
    }
);

both_backends!(stale_if_match_is_412, |app: TestApp| async move {
    let case_id = app.notify_ok().await;
    let body = json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"});
    let send = |version: &'static str| {
        app.client
            .post(format!(
                "{}/v1/cases/{case_id}/panel-notification",
                app.address
            ))
            .bearer_auth(app.notifier())
            .header("if-match", version)
            .json(&body)
            .send()
    };
    let before = app.log_length().await;
    problem(
        send("\"7\"").await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "version.precondition_failed",
    )
    .await;
    problem(
        send("garbage").await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "version.precondition_failed",
    )
    .await;
    assert_eq!(app.log_length().await, before);
    let response = send("\"1\"").await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"2\"");
});

both_backends!(
    unknown_routes_and_ids_are_404_problems,
    |app: TestApp| async move {
        let response = app.get("/v1/nothing-here", &app.notifier()).await;
        problem(response, StatusCode::NOT_FOUND, "resource.not_found").await;
        let response = app.get("/v1/cases/not-a-uuid", &app.notifier()).await;
        problem(response, StatusCode::NOT_FOUND, "resource.not_found").await;
        let response = app
            .get(
                &format!("/v1/cases/{}", uuid::Uuid::now_v7()),
                &app.notifier(),
            )
            .await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
    }
);
