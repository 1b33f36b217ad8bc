//! Read your writes across replicas: a command's answer carries its log `position`, and a read
//! on another replica that names it (`min_position` or `Casetrail-Consistency`) never answers
//! from before the write.

use casetrail_domain::Role;
use casetrail_tests::{TestApp, both_backends, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn read(app: &TestApp, base: &str, path: &str, header: Option<String>) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{base}{path}"))
        .bearer_auth(app.business_manager());
    if let Some(value) = header {
        request = request.header("Casetrail-Consistency", value);
    }
    request.send().await.unwrap()
}

both_backends!(
    a_read_on_another_replica_waits_for_the_write_it_names,
    |app: TestApp| async move {
        let replica = app.replica().await;
        // On SQLite a second instance sees the shared file's new events within a second (it
        // re-reads; PostgreSQL notifies): each read here waits for it, none answers 404.
        for _ in 0..3 {
            let accepted: Value = app.notify(&notification()).await.json().await.unwrap();
            let case_id = accepted["case_id"].as_str().unwrap();
            let position = accepted["position"].as_u64().unwrap();
            // Straight after the write on the first instance, on the replica.
            let by_parameter = read(
                &app,
                &replica.address,
                &format!("/v1/cases/{case_id}?min_position={position}"),
                None,
            )
            .await;
            assert_eq!(by_parameter.status(), StatusCode::OK);
            let by_header = read(
                &app,
                &replica.address,
                "/v1/cases?limit=200&kind=child",
                Some(format!("min-position={position}")),
            )
            .await;
            assert_eq!(by_header.status(), StatusCode::OK);
            let page: Value = by_header.json().await.unwrap();
            assert!(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["case_id"] == case_id),
                "the list on the replica has the new case"
            );
        }
    }
);

both_backends!(
    a_position_is_checked_and_other_parameters_stay_strict,
    |app: TestApp| async move {
        let accepted: Value = app.notify(&notification()).await.json().await.unwrap();
        let head = accepted["position"].as_u64().unwrap();
        let base = app.address.clone();
        // With the route's own parameters, which stay strict.
        let listed = read(
            &app,
            &base,
            &format!("/v1/deadlines?min_position={head}&limit=5"),
            None,
        )
        .await;
        assert_eq!(listed.status(), StatusCode::OK);
        problem(
            read(
                &app,
                &base,
                &format!("/v1/deadlines?min_position={head}&colour=red"),
                None,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
        // A position no answer ever carried is refused at once, not waited for.
        problem(
            read(
                &app,
                &base,
                &format!("/v1/cases?min_position={}", head + 1_000),
                None,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "consistency.unknown_position",
        )
        .await;
        for bad in ["/v1/cases?min_position=soon", "/v1/cases?min_position=-1"] {
            problem(
                read(&app, &base, bad, None).await,
                StatusCode::BAD_REQUEST,
                "consistency.invalid",
            )
            .await;
        }
        problem(
            read(&app, &base, "/v1/cases", Some("at-least=3".to_owned())).await,
            StatusCode::BAD_REQUEST,
            "consistency.invalid",
        )
        .await;
    }
);

both_backends!(
    a_list_answers_only_what_changed_since_a_position_or_an_instant,
    |app: TestApp| async move {
        let base = app.address.clone();
        let first: Value = app.notify(&notification()).await.json().await.unwrap();
        let seen = first["position"].as_u64().unwrap();
        let page = |query: String| {
            let app = &app;
            let base = base.clone();
            async move {
                let answer = read(app, &base, &format!("/v1/cases?limit=500&{query}"), None).await;
                assert_eq!(answer.status(), StatusCode::OK);
                let page: Value = answer.json().await.unwrap();
                page["items"].as_array().unwrap().clone()
            }
        };
        let everything = page(String::new()).await;
        let listed = everything
            .iter()
            .find(|c| c["case_id"] == first["case_id"])
            .expect("the new case is listed");
        assert_eq!(listed["updated_position"], seen);
        assert_eq!(listed["version"], 1);
        let updated_at = listed["updated_at"].as_str().unwrap().to_owned();

        // Nothing changed after the client's last position; then one case does.
        assert_eq!(
            page(format!("changed_since={seen}")).await,
            Vec::<Value>::new()
        );
        let second: Value = app.notify(&notification()).await.json().await.unwrap();
        let changed = page(format!("changed_since={seen}")).await;
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0]["case_id"], second["case_id"]);
        assert_eq!(changed[0]["updated_position"], second["position"]);
        // The same by instant: recorded after the first case's last fact.
        let by_instant = page(format!("changed_since={}", updated_at.replace('+', "%2B"))).await;
        assert_eq!(by_instant.len(), 1, "{by_instant:?}");
        assert_eq!(by_instant[0]["case_id"], second["case_id"]);

        problem(
            read(&app, &base, "/v1/cases?changed_since=yesterday", None).await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;

        // The deadline list likewise: only the deadlines of the case that changed, each with
        // its case's version, last change and position.
        let answer = read(
            &app,
            &base,
            &format!("/v1/deadlines?limit=500&changed_since={seen}"),
            None,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::OK);
        let deadlines: Value = answer.json().await.unwrap();
        let deadlines = deadlines["items"].as_array().unwrap();
        assert!(!deadlines.is_empty());
        for deadline in deadlines {
            assert_eq!(deadline["case_id"], second["case_id"], "{deadline}");
            assert_eq!(deadline["case_version"], 1);
            assert_eq!(deadline["updated_position"], second["position"]);
            assert!(deadline["updated_at"].is_string());
        }
        let position = second["position"].as_u64().unwrap();
        let none: Value = read(
            &app,
            &base,
            &format!("/v1/deadlines?changed_since={position}"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(none["items"], serde_json::json!([]));
        problem(
            read(&app, &base, "/v1/deadlines?changed_since=soon", None).await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
    }
);

// Commands sent to two replicas at once, each on cases the other opened, then every list and
// read model asked of both at the same `min_position`: the same answer, byte for byte
// (issue 15, goal 6). The access log is left out: each read adds to it.
both_backends!(
    replicas_asked_at_the_same_position_answer_the_same,
    |app: TestApp| async move {
        let replica = app.replica().await;
        let bases = [app.address.clone(), replica.address.clone()];
        let notifier = app.notifier();
        // A command names the position it must follow, as a read does: a case opened on the
        // other replica is found once this one has read that far.
        let post = |base: String, path: String, body: Value, after: u64| {
            let request = app
                .client
                .post(format!("{base}{path}"))
                .bearer_auth(&notifier)
                .header("Casetrail-Consistency", format!("min-position={after}"));
            async move {
                let response = request.json(&body).send().await.unwrap();
                assert!(
                    response.status().is_success(),
                    "{path}: {}",
                    response.status()
                );
                response.json::<Value>().await.unwrap()
            }
        };
        // Cases opened on both replicas at once.
        let opened = futures::future::join_all((0..8).map(|i| {
            post(
                bases[i % 2].clone(),
                "/v1/cases/notifications".to_owned(),
                notification(),
                0,
            )
        }))
        .await;
        // Each case's panel notification recorded on the other replica, all at once.
        let recorded = futures::future::join_all(opened.iter().enumerate().map(|(i, accepted)| {
            let case_id = accepted["case_id"].as_str().unwrap();
            post(
                bases[(i + 1) % 2].clone(),
                format!("/v1/cases/{case_id}/panel-notification"),
                json!({"panel_reference": format!("CSPRP-2022-{i:04}"), "submitted_on": "2022-12-29"}),
                accepted["position"].as_u64().unwrap(),
            )
        }))
        .await;
        let head = recorded
            .iter()
            .chain(&opened)
            .map(|accepted| accepted["position"].as_u64().unwrap())
            .max()
            .unwrap();
        let auditor = app.token("southend-council", &[Role::Auditor]);
        let manager = app.business_manager();
        let reads = [
            ("/v1/cases?limit=200", &manager),
            ("/v1/cases?limit=200&sort=due_at", &manager),
            ("/v1/deadlines?limit=200", &manager),
            ("/v1/deadlines?limit=200&status=met", &manager),
            ("/v1/feed?limit=200", &manager),
            ("/v1/statistics/annual/2022-23", &manager),
            ("/v1/audit-trail?limit=500", &auditor),
        ];
        for (path, token) in reads {
            let mut answers = Vec::new();
            for base in &bases {
                let response = app
                    .client
                    .get(format!("{base}{path}"))
                    .bearer_auth(token)
                    .header("Casetrail-Consistency", format!("min-position={head}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::OK, "{path} on {base}");
                let mut answer: Value = response.json().await.unwrap();
                // The instant each answered at is its own.
                if let Some(fields) = answer.as_object_mut() {
                    fields.remove("as_of");
                }
                answers.push(answer.to_string());
            }
            assert_eq!(answers[0], answers[1], "{path}");
            assert!(answers[0].len() > 100, "{path}: {}", answers[0]);
        }
        let page: Value = serde_json::from_str(
            &app.get("/v1/cases?limit=200", &manager)
                .await
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 8);
    }
);
