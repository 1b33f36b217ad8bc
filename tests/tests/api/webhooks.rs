//! Signed webhooks: a real receiver that verifies every signature, fails for a while, and
//! then has every feed item its organisation may see, in log order and without a gap, across
//! a restart of the server mid-delivery and with a second replica on the same database
//! (docs/integration.md "Webhooks").

use crate::feed::all_items;
use crate::rapid_review::Review;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use casetrail_domain::Role;
use casetrail_tests::receiver::{Received, Receiver};
use casetrail_tests::{TestApp, both_backends, problem};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Checks a message's signatures against a secret the way a receiver following the Standard
/// Webhooks specification does, independently of the code that signs.
fn signed_with(message: &Received, secret: &str) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .unwrap();
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", message.id, message.timestamp).as_bytes());
    mac.update(&message.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    message.signature.split(' ').any(|s| s == expected)
}

async fn subscribe(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/v1/webhook-subscriptions", token, &body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Waits until `done` holds for what the receiver got, or fails after `within`.
async fn until(receiver: &Receiver, within: Duration, done: impl Fn(&[Received]) -> bool) {
    let deadline = Instant::now() + within;
    while !done(&receiver.received()) {
        assert!(
            Instant::now() < deadline,
            "timed out; received {:?}",
            receiver
                .received()
                .iter()
                .map(|r| (&r.id, r.status))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The ids acknowledged (2xx), each once, in the order first acknowledged.
fn acknowledged(received: &[Received]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in received.iter().filter(|r| r.status == 204) {
        if !ids.contains(&r.id) {
            ids.push(r.id.clone());
        }
    }
    ids
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(
    a_receiver_gets_every_item_in_order_through_failures_a_restart_and_a_second_replica,
    |app: TestApp| async move {
        let receiver = Receiver::start(4).await;
        let admin = app.admin();
        // The council sees every case, as its feed does; from the start of the log.
        let created = subscribe(
            &app,
            &admin,
            json!({"url": receiver.url, "organisation": "southend-council", "after": "0"}),
        )
        .await;
        let secret = created["secret"].as_str().unwrap().to_owned();
        let id = created["subscription"]["id"].as_str().unwrap().to_owned();
        assert_eq!(created["subscription"]["status"], "active");
        let review = Review::open(&app).await;
        review.to_reports("2022-09-15T10:00:00Z").await;
        let council = app.token("southend-council", &[Role::BusinessManager]);
        let first_half = all_items(&app, &council, "").await;
        until(&receiver, Duration::from_secs(20), |r| {
            acknowledged(r).len() >= first_half.len() / 2
        })
        .await;
        // Restart the server mid-delivery, with a replica beside it on the same database.
        let app = app.restart().await;
        let replica = app.replica().await;
        let second = Review::open(&app).await;
        second
            .ok(
                &second.manager(),
                "rapid-review",
                json!({"occurred_at": "2022-09-09T12:00:00Z"}),
            )
            .await;
        let everything = all_items(&app, &council, "").await;
        assert!(everything.len() > first_half.len());
        until(&receiver, Duration::from_secs(30), |r| {
            acknowledged(r).len() >= everything.len()
        })
        .await;
        let received = receiver.received();
        // Every item, in log order, without a gap; each signed; each body the feed's item.
        assert_eq!(acknowledged(&received), ids(&everything));
        for message in &received {
            assert!(
                signed_with(message, &secret),
                "bad signature on {}",
                message.id
            );
            let body: Value = serde_json::from_slice(&message.body).unwrap();
            let item = everything
                .iter()
                .find(|i| i["id"] == message.id.as_str())
                .unwrap();
            assert_eq!(&body, item);
        }
        // At least once: a message is sent again only while it was not acknowledged, or once
        // around the restart; never out of order.
        let positions: Vec<(u64, u64)> = received
            .iter()
            .map(|r| {
                let (p, i) = r.id.split_once('.').unwrap();
                (p.parse().unwrap(), i.parse().unwrap())
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
        let repeats = received.len() - acknowledged(&received).len();
        let failures = received.iter().filter(|r| r.status == 500).count();
        assert_eq!(failures, 4);
        assert!(repeats <= failures + 1, "{repeats} repeats");
        // The delivery log shows the failures, then the deliveries.
        let log: Value = app
            .get(
                &format!("/v1/webhook-subscriptions/{id}/deliveries?limit=1000"),
                &admin,
            )
            .await
            .json()
            .await
            .unwrap();
        let attempts = log["items"].as_array().unwrap();
        assert_eq!(attempts[0]["outcome"], "failed");
        assert_eq!(attempts[0]["status_code"], 500);
        assert_eq!(attempts[0]["error"], "the receiver answered 500");
        assert_eq!(attempts[4]["outcome"], "delivered");
        assert_eq!(attempts[4]["attempt"], 5);
        assert_eq!(attempts[4]["message_id"], attempts[0]["message_id"]);
        let state: Value = app
            .get(&format!("/v1/webhook-subscriptions/{id}"), &admin)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(state["cursor"], everything.last().unwrap()["id"]);
        assert_eq!(state["attempts"], 0);
        assert!(state.get("secret").is_none());
        drop(replica);
    }
);

both_backends!(
    an_agency_gets_only_its_cases_and_a_dead_letter_waits_for_redelivery,
    configure = |config: &mut casetrail_api::ServeConfig| config.webhook_max_attempts = 3,
    |app: TestApp| async move {
        let receiver = Receiver::start(3).await;
        let hospital = app.token("suhft", &[Role::Integration]);
        let created = subscribe(
            &app,
            &hospital,
            json!({"url": receiver.url, "event_types": ["agency_report.requested", "case.stage_changed"]}),
        )
        .await;
        assert_eq!(created["subscription"]["organisation"], "suhft");
        let id = created["subscription"]["id"].as_str().unwrap().to_owned();
        let involved = Review::open(&app).await;
        let other = Review::open(&app).await;
        for review in [&involved, &other] {
            review
                .ok(
                    &review.manager(),
                    "rapid-review",
                    json!({"occurred_at": "2022-09-09T12:00:00Z"}),
                )
                .await;
        }
        involved
            .ok(
                &involved.manager(),
                "agency-report-requests",
                json!({"organisation": "suhft", "occurred_at": "2022-09-12T12:00:00Z"}),
            )
            .await;
        // Three failures: dead-lettered, nothing more is sent.
        let path = format!("/v1/webhook-subscriptions/{id}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let state: Value = app.get(&path, &hospital).await.json().await.unwrap();
            if state["status"] == "dead_letter" {
                assert_eq!(state["attempts"], 3);
                assert_eq!(state["last_error"], "the receiver answered 500");
                break;
            }
            assert!(Instant::now() < deadline, "not dead-lettered: {state}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(receiver.received().len(), 3);
        let resumed = app
            .post(&format!("{path}/redelivery"), &hospital, &json!({}))
            .await;
        assert_eq!(resumed.status(), StatusCode::OK);
        let expected = all_items(
            &app,
            &app.token("suhft", &[Role::AgencyUser]),
            "&type=agency_report.requested,case.stage_changed",
        )
        .await;
        // Its feed lies within the subscription's: items before the subscription are not sent.
        let sent_after: Vec<String> = ids(&expected);
        until(&receiver, Duration::from_secs(20), |r| {
            !acknowledged(r).is_empty() && acknowledged(r).last() == sent_after.last()
        })
        .await;
        let got = acknowledged(&receiver.received());
        assert!(
            sent_after.ends_with(&got),
            "{got:?} not the end of {sent_after:?}"
        );
        for message in receiver.received() {
            let body: Value = serde_json::from_slice(&message.body).unwrap();
            assert_eq!(body["case_id"], involved.case.as_str());
        }
    }
);

both_backends!(
    secrets_rotate_with_an_overlap_and_urls_into_internal_networks_are_refused,
    |app: TestApp| async move {
        let receiver = Receiver::start(0).await;
        let admin = app.admin();
        let created = subscribe(&app, &admin, json!({"url": receiver.url})).await;
        let old = created["secret"].as_str().unwrap().to_owned();
        let id = created["subscription"]["id"].as_str().unwrap().to_owned();
        let rotated: Value = app
            .post_ok(
                &format!("/v1/webhook-subscriptions/{id}/secret-rotation"),
                &admin,
                &json!({}),
            )
            .await;
        let new = rotated["secret"].as_str().unwrap().to_owned();
        assert_ne!(new, old);
        assert_eq!(rotated["subscription"]["secret_generation"], 2);
        assert!(rotated["subscription"]["previous_secret_valid_until"].is_string());
        app.notify_ok().await;
        until(&receiver, Duration::from_secs(10), |r| !r.is_empty()).await;
        for message in receiver.received() {
            // Both signatures during the overlap: the receiver may switch at its own pace.
            assert!(signed_with(&message, &new));
            assert!(signed_with(&message, &old));
            assert_eq!(message.signature.split(' ').count(), 2);
        }
        // Listed without a secret; deleted, it is gone.
        let listed: Value = app
            .get("/v1/webhook-subscriptions", &admin)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        assert!(!listed.to_string().contains("whsec_"));
        let gone = app
            .client
            .delete(format!("{}/v1/webhook-subscriptions/{id}", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
        problem(
            app.get(&format!("/v1/webhook-subscriptions/{id}"), &admin)
                .await,
            StatusCode::NOT_FOUND,
            "webhook.not_found",
        )
        .await;
        // Refused targets, and refused callers.
        for url in [
            "http://hooks.example.org/x",
            "https://10.0.0.7/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/hook",
            "https://user:pw@hooks.example.org/",
            "not a url",
        ] {
            let refused = app
                .post("/v1/webhook-subscriptions", &admin, &json!({"url": url}))
                .await;
            let body = problem(
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "webhook.url_refused",
            )
            .await;
            assert!(!body.to_string().contains("169.254"), "{body}");
        }
        let unknown_type = app
            .post(
                "/v1/webhook-subscriptions",
                &admin,
                &json!({"url": receiver.url, "event_types": ["case.exploded"]}),
            )
            .await;
        problem(
            unknown_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "field.invalid",
        )
        .await;
        let police = app.token("essex-police", &[Role::Integration]);
        let for_another = app
            .post(
                "/v1/webhook-subscriptions",
                &police,
                &json!({"url": receiver.url, "organisation": "suhft"}),
            )
            .await;
        problem(for_another, StatusCode::FORBIDDEN, "auth.role_required").await;
        let agency = app.token("suhft", &[Role::AgencyUser]);
        problem(
            app.get("/v1/webhook-subscriptions", &agency).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
    }
);
