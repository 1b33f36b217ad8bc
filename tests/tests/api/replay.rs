//! `casetrail replay` folds the log to a past instant and gives exactly what the running
//! server answers with `as_of` for that instant: same cases, deadlines, audit trail and
//! statistics, byte for byte as JSON.

use crate::rapid_review::Review;
use casetrail_api::replay::{self, Until};
use casetrail_domain::{PartnershipSlug, Role};
use casetrail_tests::TestApp;
use casetrail_tests::both_backends;
use chrono::{SubsecRound, Utc};
use serde_json::{Value, json};

/// Steps of this file's tests, on the shared harness's app.
trait ReadJson {
    async fn read_json(&self, path: &str, token: &str) -> Value;
}

impl ReadJson for TestApp {
    async fn read_json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        serde_json::from_str(&body).unwrap()
    }
}

both_backends!(
    replay_to_an_instant_answers_as_the_server_did,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-20T15:00:00Z").await;
        let second = Review::open(&app).await.case;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let then = Utc::now().trunc_subsecs(6);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        // Facts recorded after the instant: replay must leave them out, as `as_of` does.
        review.to_submission().await;
        let bm = review.manager();
        let as_of = then.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);

        let store = casetrail_store::open(&app.db.url).await.unwrap();
        let replayed = replay::from_store(store.as_ref(), Until::Instant(then), &[])
            .await
            .unwrap();
        let position_now = store.head_position().await.unwrap();
        store.close().await;
        let southend = PartnershipSlug::parse("southend").unwrap();
        let report = serde_json::to_value(replayed.report(Some(&southend), &[]).unwrap()).unwrap();
        assert!(report["until"]["position"].as_u64().unwrap() < position_now);
        let models = &report["partnerships"][0];

        let cases = models["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 2);
        for (case, id) in cases.iter().zip([&review.case, &second]) {
            let served = app
                .read_json(&format!("/v1/cases/{id}?as_of={as_of}"), &bm)
                .await;
            assert_eq!(*case, served);
        }
        assert_eq!(cases[0]["stage"], "rapid_review", "submission came later");

        let deadlines = app
            .read_json(&format!("/v1/deadlines?limit=500&as_of={as_of}"), &bm)
            .await;
        assert_eq!(models["deadlines"], deadlines["items"]);

        let auditor = app.token("southend-council", &[Role::Auditor]);
        let trail = app
            .read_json(
                &format!("/v1/audit-trail?limit=500&as_of={as_of}"),
                &auditor,
            )
            .await;
        assert_eq!(models["audit_trail"], trail["items"]);

        let statistics = models["statistics"].as_array().unwrap();
        assert_eq!(statistics.len(), 1);
        let served = app
            .read_json(&format!("/v1/statistics/annual/2022-23?as_of={as_of}"), &bm)
            .await;
        assert_eq!(statistics[0], served);
        assert_eq!(statistics[0]["year"], json!("2022-23"));
    }
);
