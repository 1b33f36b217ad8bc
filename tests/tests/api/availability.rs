//! Availability and hardening over HTTP: unknown methods, security headers, request ids,
//! transient database failures, the limit on `as_of` reads, strict tokens and charsets.
//! The attacks that need the server as a process of its own (memory, a blocked standard error)
//! are `tests/tests/binary/availability.rs`.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::tokens::hs256;
use casetrail_tests::{Backend, TestApp, notification, problem};
use jsonwebtoken::{EncodingKey, Header, encode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

async fn metrics(app: &TestApp) -> String {
    app.client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(app.admin())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

both_backends!(
    an_unknown_method_is_405_and_counted_under_one_label,
    |app: TestApp| async move {
        let token = app.notifier();
        for n in 0..200 {
            let method = Method::from_bytes(format!("INVENTED{n}X").as_bytes()).unwrap();
            let response = app
                .client
                .request(method, format!("{}/v1/cases", app.address))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.headers()["allow"],
                "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
            );
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
            problem(
                response,
                StatusCode::METHOD_NOT_ALLOWED,
                "request.method_not_allowed",
            )
            .await;
        }
        let text = metrics(&app).await;
        assert!(text.contains(r#"method="other""#), "{text}");
        assert!(!text.contains("INVENTED"), "a raw method became a label");
        // Known methods keep their own label.
        assert_eq!(app.get("/v1/cases", &token).await.status(), StatusCode::OK);
        assert!(metrics(&app).await.contains(r#"method="GET""#));
    }
);

both_backends!(
    every_response_says_nosniff_and_v1_is_never_cached,
    |app: TestApp| async move {
        let token = app.business_manager();
        let case_id = app.notify_ok().await;
        let v1 = [
            app.get("/v1/cases", &token).await,
            app.get(&format!("/v1/cases/{case_id}/personal-details"), &token)
                .await,
            app.get("/v1/cases", "not-a-token").await,
            app.get("/v1/no-such-thing", &token).await,
            app.post("/v1/cases/notifications", &token, &notification())
                .await,
        ];
        for response in v1 {
            let headers = response.headers();
            assert_eq!(headers["x-content-type-options"], "nosniff", "{headers:?}");
            assert_eq!(headers["cache-control"], "no-store", "{headers:?}");
        }
        for path in ["/health/live", "/openapi.json", "/no-such-page"] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.headers()["x-content-type-options"],
                "nosniff",
                "{path}"
            );
        }
    }
);

both_backends!(
    the_request_id_is_always_the_servers_own,
    |app: TestApp| async move {
        let mut seen = Vec::new();
        for _ in 0..2 {
            let response = app
                .client
                .get(format!("{}/v1/cases/not-a-case", app.address))
                .bearer_auth(app.notifier())
                .header("x-request-id", "client-chosen-id")
                .send()
                .await
                .unwrap();
            let id = response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned();
            assert_ne!(id, "client-chosen-id");
            assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
            let body = problem(response, StatusCode::NOT_FOUND, "resource.not_found").await;
            assert_eq!(body["request_id"], id.as_str());
            seen.push(id);
        }
        // The same client id twice is still two requests, told apart.
        assert_ne!(seen[0], seen[1]);
    }
);

/// Holds the lock the server's next write needs, from another connection, until dropped.
enum Blocker {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Blocker {
    async fn hold(app: &TestApp) -> Blocker {
        use sqlx::{Connection, Executor};
        let url = &app.db.url;
        match app.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
                conn.execute("BEGIN EXCLUSIVE").await.unwrap();
                Blocker::Sqlite(conn)
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                conn.execute("BEGIN").await.unwrap();
                conn.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
                    .await
                    .unwrap();
                Blocker::Postgres(conn)
            }
        }
    }

    async fn release(self) {
        use sqlx::Executor;
        match self {
            Blocker::Sqlite(mut conn) => drop(conn.execute("ROLLBACK").await.unwrap()),
            Blocker::Postgres(mut conn) => drop(conn.execute("ROLLBACK").await.unwrap()),
        }
    }
}

/// On PostgreSQL the server's sessions give up waiting for a lock after 300 ms (an operator's
/// `lock_timeout`); on SQLite after the store's busy timeout.
async fn spawn_with_lock_timeout(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_configured(backend, |config| {
        let url = config.database_url();
        if url.starts_with("postgres") {
            let separator = if url.contains('?') { '&' } else { '?' };
            config.database_url =
                Some(format!("{url}{separator}options=-c%20lock_timeout%3D300ms"));
        }
    })
    .await
}

async fn a_lock_held_too_long_is_503_with_retry_after(app: TestApp) {
    let case_id = app.notify_ok().await;
    let path = format!("/v1/cases/{case_id}/panel-notification");
    let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
    let blocker = Blocker::hold(&app).await;
    let response = tokio::time::timeout(
        Duration::from_secs(60),
        app.post(&path, &app.notifier(), &body),
    )
    .await
    .expect("answered while the lock is held");
    assert_eq!(response.headers()["retry-after"], "1");
    problem(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    blocker.release().await;
    // Nothing was recorded, and the retry the answer asked for goes through.
    let response = app.post(&path, &app.notifier(), &body).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_lock_held_too_long_is_503_with_retry_after() {
    if let Some(app) = spawn_with_lock_timeout(Backend::Sqlite).await {
        a_lock_held_too_long_is_503_with_retry_after(app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_lock_held_too_long_is_503_with_retry_after() {
    if let Some(app) = spawn_with_lock_timeout(Backend::Postgres).await {
        a_lock_held_too_long_is_503_with_retry_after(app).await;
    }
}

both_backends!(
    as_of_reads_are_limited_per_user,
    |app: TestApp| async move {
        // Enough cases changed since the instant that refolding them all takes a while, so
        // reads overlap.
        let mut cases = Vec::new();
        for _ in 0..40 {
            cases.push(app.notify_ok().await);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        let between = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
        for case_id in &cases {
            let path = format!("/v1/cases/{case_id}/panel-notification");
            let response = app.post(&path, &app.notifier(), &body).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        let path = format!("/v1/deadlines?as_of={between}");
        let token = app.notifier();
        let mut refused = 0;
        let mut answered = 0;
        for _round in 0..10 {
            let reads = (0..24).map(|_| app.get(&path, &token));
            for response in futures::future::join_all(reads).await {
                match response.status() {
                    StatusCode::OK => answered += 1,
                    StatusCode::TOO_MANY_REQUESTS => {
                        assert_eq!(response.headers()["retry-after"], "1");
                        problem(response, StatusCode::TOO_MANY_REQUESTS, "as_of.too_many").await;
                        refused += 1;
                    }
                    other => panic!("{other}: {:?}", response.text().await),
                }
            }
            if refused > 0 {
                break;
            }
        }
        assert!(refused > 0, "16 reads at once were all answered");
        assert!(answered >= 2, "{answered}");
        // Reads of the present are not limited, and each user has their own share.
        let now = (0..16).map(|_| app.get("/v1/deadlines", &token));
        for response in futures::future::join_all(now).await {
            assert_eq!(response.status(), StatusCode::OK);
        }
        let other = app.token("southend-council", &[Role::BusinessManager]);
        let pair = (0..2).map(|_| app.get(&path, &other));
        for response in futures::future::join_all(pair).await {
            assert_eq!(response.status(), StatusCode::OK);
        }
        // Every turn was given back.
        for _ in 0..3 {
            assert_eq!(app.get(&path, &token).await.status(), StatusCode::OK);
        }
    }
);

fn claims() -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": "u-1", "name": "A Notifier", "partnership": "southend",
           "org": "southend-council", "roles": ["notifier"], "iss": "casetrail-dev",
           "aud": "casetrail", "exp": now + 600, "nbf": now - 10, "iat": now})
}

both_backends!(
    tokens_signed_well_but_too_loose_are_401_like_a_forgery,
    |app: TestApp| async move {
        let key = EncodingKey::from_secret(app.dev_tokens().secret());
        let sign = |header: &Header, claims: &Value| encode(header, claims, &key).unwrap();
        let now = chrono::Utc::now().timestamp();
        let with = |name: &str, value: Value| {
            let mut claims = claims();
            claims[name] = value;
            claims
        };
        let critical = Header {
            crit: Some(vec!["exp".to_owned()]),
            ..Header::default()
        };
        let refused = [
            ("crit header", sign(&critical, &claims())),
            (
                "iat in the future",
                sign(&Header::default(), &with("iat", json!(now + 600))),
            ),
            (
                "exp 25 h ahead",
                sign(&Header::default(), &with("exp", json!(now + 25 * 3600))),
            ),
            (
                "blank sub",
                sign(&Header::default(), &with("sub", json!("   "))),
            ),
            (
                "empty sub",
                sign(&Header::default(), &with("sub", json!(""))),
            ),
            (
                "iss a list",
                sign(&Header::default(), &with("iss", json!(["casetrail-dev"]))),
            ),
        ];
        let forged = hs256(&[7u8; 64], &claims());
        let forged_body = problem(
            app.get("/v1/cases", &forged).await,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        )
        .await;
        for (why, token) in refused {
            let body = problem(
                app.get("/v1/cases", &token).await,
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
            )
            .await;
            // Nothing tells a good signature from a forged one.
            assert_eq!(body["detail"], forged_body["detail"], "{why}");
        }
        // Within the limits, the same tokens are accepted: the refusals are the new checks.
        let accepted = [
            sign(&Header::default(), &claims()),
            sign(&Header::default(), &with("iat", json!(now + 20))),
            sign(&Header::default(), &with("exp", json!(now + 23 * 3600))),
        ];
        for token in accepted {
            assert_eq!(app.get("/v1/cases", &token).await.status(), StatusCode::OK);
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_longest_token_lifetime_is_configurable() {
    let Some(app) = TestApp::spawn_configured(Backend::Sqlite, |config| {
        config.jwt_max_lifetime = Duration::from_secs(3600);
    })
    .await
    else {
        return;
    };
    let secret = app.dev_tokens().secret();
    let now = chrono::Utc::now().timestamp();
    let mut long = claims();
    long["exp"] = json!(now + 2 * 3600);
    let token = hs256(secret, &long);
    problem(
        app.get("/v1/cases", &token).await,
        StatusCode::UNAUTHORIZED,
        "auth.unauthenticated",
    )
    .await;
    long["exp"] = json!(now + 1800);
    let token = hs256(secret, &long);
    assert_eq!(app.get("/v1/cases", &token).await.status(), StatusCode::OK);
}

both_backends!(
    a_body_in_another_charset_is_415,
    |app: TestApp| async move {
        let send = |content_type: &'static str| {
            app.client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("content-type", content_type)
                .body(notification().to_string())
                .send()
        };
        for content_type in [
            "application/json; charset=iso-8859-1",
            "application/json; charset=utf-16",
            "application/json;charset=\"windows-1252\"",
        ] {
            problem(
                send(content_type).await.unwrap(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "body.unsupported_charset",
            )
            .await;
        }
        assert_eq!(app.log_length().await, 19, "nothing was written");
        for content_type in ["application/json; charset=UTF-8", "application/json"] {
            let response = send(content_type).await.unwrap();
            assert_eq!(response.status(), StatusCode::CREATED, "{content_type}");
        }
    }
);

/// The server's connections to its PostgreSQL database cut by the database's administrator.
async fn terminate_connections(app: &TestApp) {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_lost_are_503_with_retry_after_then_recovered() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let case_id = app.notify_ok().await;
    let path = format!("/v1/cases/{case_id}/panel-notification");
    let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
    terminate_connections(&app).await;
    let response = app.post(&path, &app.notifier(), &body).await;
    assert_eq!(response.headers()["retry-after"], "1");
    problem(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    // The server reconnects: retried as told, the command goes through (once).
    let mut tries = 0;
    loop {
        let response = app.post(&path, &app.notifier(), &body).await;
        if response.status() == StatusCode::OK {
            break;
        }
        problem(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
        tries += 1;
        assert!(tries < 5, "still unavailable after {tries} retries");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(app.case(&case_id).await["version"], 2);
}
