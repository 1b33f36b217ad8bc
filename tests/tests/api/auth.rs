//! Authentication, roles and tenancy.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::tokens::{DevTokens, IDP_AUDIENCE, IDP_ISSUER, keys, rs256};
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;

both_backends!(no_token_is_401, |app: TestApp| async move {
    let response = app
        .client
        .post(format!("{}/v1/cases/notifications", app.address))
        .json(&notification())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"casetrail\""
    );
    problem(response, StatusCode::UNAUTHORIZED, "auth.unauthenticated").await;
    let response = app.get("/v1/cases", "not-a-jwt").await;
    problem(response, StatusCode::UNAUTHORIZED, "auth.unauthenticated").await;
});

both_backends!(
    a_token_signed_with_another_secret_is_401,
    |app: TestApp| async move {
        // The council's notifier, as anyone without the server's secret could claim to be.
        let forged = DevTokens::with_secret(vec![7u8; 64]).user(
            "southend",
            "southend-council",
            &[Role::Notifier],
        );
        problem(
            app.notify_with(&forged).await,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        )
        .await;
        assert_eq!(app.log_length().await, 19, "nothing was written");
    }
);

both_backends!(the_wrong_role_is_403, |app: TestApp| async move {
    let manager = app.token("southend-council", &[Role::BusinessManager]);
    problem(
        app.notify_with(&manager).await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;
    let police = app.token("essex-police", &[Role::Notifier]);
    problem(
        app.notify_with(&police).await,
        StatusCode::FORBIDDEN,
        "auth.local_authority_only",
    )
    .await;
    let auditor = app.token("southend-council", &[Role::Auditor]);
    problem(
        app.notify_with(&auditor).await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;
});

both_backends!(
    another_partnerships_case_is_404,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let outsider = app.token_for(
            "thurrock",
            "thurrock-council",
            &[Role::Notifier, Role::BusinessManager],
        );
        let response = app.get(&format!("/v1/cases/{case_id}"), &outsider).await;
        let body = problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        assert!(!body.to_string().contains("southend"));
        let body = serde_json::json!({"panel_reference": "X-1", "submitted_on": "2022-12-29"});
        let response = app
            .post(
                &format!("/v1/cases/{case_id}/panel-notification"),
                &outsider,
                &body,
            )
            .await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let listed: serde_json::Value = app.get("/v1/cases", &outsider).await.json().await.unwrap();
        assert_eq!(listed["items"], serde_json::json!([]));
    }
);

/// Steps of this file's tests, on the shared harness's app.
trait NotifyWithToken {
    async fn notify_with(&self, token: &str) -> reqwest::Response;
}

impl NotifyWithToken for TestApp {
    async fn notify_with(&self, token: &str) -> reqwest::Response {
        self.post("/v1/cases/notifications", token, &notification())
            .await
    }
}

/// The settings of a production identity provider's RS256 key.
fn production(config: &mut casetrail_api::ServeConfig) {
    config.jwt_public_key_file = Some(keys::path("rsa-public.pem"));
    config.jwt_issuer = Some(IDP_ISSUER.into());
    config.jwt_audience = Some(IDP_AUDIENCE.into());
}

fn rs256_notifier() -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({"sub": "u-9", "name": "N", "partnership": "southend",
        "org": "southend-council", "roles": ["notifier"], "iss": IDP_ISSUER,
        "aud": IDP_AUDIENCE, "exp": now + 600});
    rs256(&claims, None)
}

both_backends!(
    production_keys,
    configure = production,
    |app: TestApp| async move {
        // The development secret no longer opens the door.
        problem(
            app.notify_with(&app.notifier()).await,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        )
        .await;
        assert_eq!(
            app.notify_with(&rs256_notifier()).await.status(),
            StatusCode::CREATED
        );
    }
);
