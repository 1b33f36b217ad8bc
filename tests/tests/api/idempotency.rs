//! Idempotency-Key: a retry appends once and answers as the first time.

use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    a_retried_idempotency_key_appends_once,
    |app: TestApp| async move {
        let send = |body: Value| {
            app.client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("idempotency-key", "notify-SBC-2022-0412")
                .json(&body)
                .send()
        };
        let before = app.log_length().await;
        let first = send(notification()).await.unwrap();
        assert_eq!(first.status(), StatusCode::CREATED);
        let first: Value = first.json().await.unwrap();
        let retry = send(notification()).await.unwrap();
        assert_eq!(retry.status(), StatusCode::CREATED);
        let retry: Value = retry.json().await.unwrap();
        assert_eq!(first, retry);
        assert_eq!(app.log_length().await, before + 1);

        let mut changed = notification();
        changed["summary"] = json!("A different account.");
        problem(
            send(changed).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency.key_reused",
        )
        .await;
        assert_eq!(app.log_length().await, before + 1);
    }
);

both_backends!(
    concurrent_retries_with_one_key_append_once,
    |app: TestApp| async move {
        let before = app.log_length().await;
        let token = app.notifier();
        let requests = (0..8).map(|_| {
            app.client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(&token)
                .header("idempotency-key", "burst")
                .json(&notification())
                .send()
        });
        let responses = futures::future::join_all(requests).await;
        let mut bodies = Vec::new();
        for response in responses {
            let response = response.unwrap();
            assert_eq!(response.status(), StatusCode::CREATED);
            bodies.push(response.json::<Value>().await.unwrap());
        }
        assert!(bodies.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(app.log_length().await, before + 1);
    }
);
