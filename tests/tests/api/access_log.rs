//! The access log: every served read of a case is recorded, and only auditors read the record.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::Value;

/// Steps of this file's tests, on the shared harness's app.
trait AccessLogReads {
    /// GET that must succeed; returns the response's `x-request-id`.
    async fn read_ok(&self, path: &str, token: &str) -> String;
    async fn access_log(&self, case_id: &str, query: &str) -> Value;
}

impl AccessLogReads for TestApp {
    async fn read_ok(&self, path: &str, token: &str) -> String {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    }

    async fn access_log(&self, case_id: &str, query: &str) -> Value {
        let auditor = self.token("southend-council", &[Role::Auditor]);
        let response = self
            .get(&format!("/v1/cases/{case_id}/access-log{query}"), &auditor)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

both_backends!(
    every_served_read_of_a_case_is_recorded,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let head = app.log_length().await;
        let police = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        let case = format!("/v1/cases/{case_id}");
        let as_of = "2030-01-01T00:00:00Z";
        let reads = [
            (case.clone(), police.clone(), "case", None),
            (
                format!("{case}/deadlines"),
                police.clone(),
                "deadlines",
                None,
            ),
            (
                format!("{case}/audit-trail?as_of={as_of}"),
                manager.clone(),
                "audit_trail",
                Some(as_of),
            ),
            (
                format!("{case}/personal-details"),
                manager,
                "personal_details",
                None,
            ),
        ];
        let mut request_ids = Vec::new();
        for (path, token, _, _) in &reads {
            request_ids.push(app.read_ok(path, token).await);
        }
        // Reads refused are not reads: a hospital not involved gets 404, the police's
        // decision maker may not see identifying details.
        let hospital = app.token("suhft", &[Role::AgencyUser]);
        assert_eq!(
            app.get(&case, &hospital).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("{case}/personal-details"), &police)
                .await
                .status(),
            StatusCode::FORBIDDEN
        );

        let log = app.access_log(&case_id, "").await;
        let entries = items(&log);
        assert_eq!(entries.len(), reads.len() + 1, "{log}");
        for ((entry, (_, _, resource, as_of)), request_id) in
            entries.iter().zip(&reads).zip(&request_ids)
        {
            assert_eq!(entry["resource"], *resource);
            assert_eq!(entry["request_id"], *request_id);
            assert_eq!(entry["as_of"], as_of.map_or(Value::Null, Value::from));
        }
        assert_eq!(entries[0]["reader"]["user"], "user-essex-police");
        assert_eq!(entries[0]["reader"]["organisation"], "essex-police");
        assert_eq!(entries[0]["reader"]["roles"][0], "partner_decision_maker");
        assert_eq!(entries[3]["reader"]["roles"][0], "business_manager");
        // The auditor's own read is the last entry: who looked at who looked.
        assert_eq!(entries[4]["resource"], "access_log");
        assert_eq!(entries[4]["reader"]["roles"][0], "auditor");
        assert!(log["next_cursor"].is_null());
        assert!(
            !log.to_string().contains("Alex"),
            "the access log names readers, never the child"
        );
        assert_eq!(app.log_length().await, head, "reads append no events");
    }
);

both_backends!(
    only_auditors_of_the_partnership_read_the_access_log,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let path = format!("/v1/cases/{case_id}/access-log");
        let manager = app.token("southend-council", &[Role::BusinessManager]);
        problem(
            app.get(&path, &manager).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        let elsewhere = app.token_for("thurrock", "thurrock-council", &[Role::Auditor]);
        problem(
            app.get(&path, &elsewhere).await,
            StatusCode::NOT_FOUND,
            "case.not_found",
        )
        .await;
        let auditor = app.token("southend-council", &[Role::Auditor]);
        problem(
            app.get(
                "/v1/cases/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f/access-log",
                &auditor,
            )
            .await,
            StatusCode::NOT_FOUND,
            "case.not_found",
        )
        .await;
        for (query, code) in [
            ("?cursor=nonsense", "query.invalid_cursor"),
            ("?limit=0", "query.invalid_limit"),
            ("?limit=501", "query.invalid_limit"),
            (
                "?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z",
                "query.invalid",
            ),
            ("?as_of=2025-01-01T00:00:00Z", "query.invalid"),
        ] {
            let response = app.get(&format!("{path}{query}"), &auditor).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], code, "{query}: {body}");
        }
    }
);

both_backends!(
    the_access_log_pages_and_outlives_a_restart,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let police = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        for _ in 0..5 {
            app.read_ok(&format!("/v1/cases/{case_id}"), &police).await;
        }
        // A graceful stop writes what is queued; nothing is read back before it.
        let app = app.restart().await;
        let first = app.access_log(&case_id, "?limit=2").await;
        assert_eq!(items(&first).len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app
            .access_log(&case_id, &format!("?limit=10&cursor={cursor}"))
            .await;
        // Five reads, the first page's read of the log, and this one.
        assert_eq!(items(&second).len(), 5);
        assert!(second["next_cursor"].is_null());
        let resources: Vec<_> = items(&first)
            .iter()
            .chain(items(&second))
            .map(|e| e["resource"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            resources,
            [
                "case",
                "case",
                "case",
                "case",
                "case",
                "access_log",
                "access_log"
            ]
        );
    }
);
