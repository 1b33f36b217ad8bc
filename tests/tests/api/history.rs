//! History that never breaks: a row stored in an older shape, by an older Casetrail, reads in
//! the current shape after a restart, beside rows written today.

use crate::rapid_review::Review;
use casetrail_store::{AppendRequest, ExpectedVersion, NewEvent};
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

const JOINT: &str = "0192d3c4-0000-7000-8000-0000000000a2";
const OLD: &str = "0192d3c4-0000-7000-8000-0000000000a1";

/// Appends a RecommendationAdded at schema version 1 (one `owner`) to the case, as the
/// version of Casetrail before joint ownership wrote it, with the metadata of the case's last
/// event.
async fn append_version_one_recommendation(app: &TestApp, case_id: &str) {
    let store = casetrail_store::open(&app.db.url).await.unwrap();
    let stream_id = format!("southend/case/{case_id}");
    let stream = store.read_stream(&stream_id, 1).await.unwrap();
    let last = stream.last().unwrap();
    store
        .append(AppendRequest {
            data_keys: Vec::new(),
            stream_id,
            expected_version: ExpectedVersion::Exact(last.stream_version),
            events: vec![NewEvent {
                event_id: uuid::Uuid::now_v7(),
                event_type: "RecommendationAdded".to_owned(),
                schema_version: 1,
                data: json!({"recommendation_id": OLD, "text": "Body maps for every injured child.",
                    "owner": "suhft", "due_on": "2023-03-31",
                    "occurred_at": "2022-09-12T10:00:00Z"}),
                metadata: last.metadata.clone(),
            }],
        })
        .await
        .unwrap();
    store.close().await;
}

both_backends!(
    an_old_shape_reads_like_todays_after_a_restart,
    |app: TestApp| async move {
        let (case_id, bm) = {
            let review = Review::open(&app).await;
            let bm = review.manager();
            review
                .ok(
                    &bm,
                    "rapid-review",
                    json!({"occurred_at": "2022-09-09T12:00:00Z"}),
                )
                .await;
            review
                .ok(
                    &bm,
                    "recommendations",
                    json!({"recommendation_id": JOINT,
                    "text": "Police and council review their joint information sharing protocol.",
                    "owners": ["essex-police", "southend-council"], "due_on": "2023-06-30",
                    "occurred_at": "2022-09-12T11:00:00Z"}),
                )
                .await;
            // One owner or several, never both and never none.
            for body in [
                json!({"text": "t", "owner": "suhft", "owners": ["suhft"], "due_on": "2023-06-30"}),
                json!({"text": "t", "due_on": "2023-06-30"}),
            ] {
                problem(
                    review.send(&bm, "recommendations", body).await,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "recommendation.owner_required",
                )
                .await;
            }
            (review.case.clone(), bm)
        };
        append_version_one_recommendation(&app, &case_id).await;
        let app = app.restart().await;

        let case: Value = app
            .get(&format!("/v1/cases/{case_id}"), &bm)
            .await
            .json()
            .await
            .unwrap();
        let recommendations = case["after_review"]["recommendations"].as_array().unwrap();
        let find = |id: &str| {
            recommendations
                .iter()
                .find(|r| r["recommendation_id"] == id)
                .unwrap_or_else(|| panic!("{id} in {case}"))
        };
        assert_eq!(find(OLD)["owners"], json!(["suhft"]));
        assert_eq!(find(OLD)["owner"], "suhft");
        assert_eq!(
            find(JOINT)["owners"],
            json!(["essex-police", "southend-council"])
        );
        assert_eq!(find(JOINT)["owner"], "essex-police", "the lead owner");

        // The old row stays stored as it was: the export shows version 1 and its `owner`.
        let auditor = app.token("southend-council", &[casetrail_domain::Role::Auditor]);
        let events: Value = app
            .get("/v1/events?limit=1000", &auditor)
            .await
            .json()
            .await
            .unwrap();
        let stored: Vec<(i64, bool)> = events["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event_type"] == "RecommendationAdded")
            .map(|e| {
                (
                    e["schema_version"].as_i64().unwrap(),
                    e["data"].get("owner").is_some(),
                )
            })
            .collect();
        assert_eq!(stored, [(2, false), (1, true)]);
        let integrity: Value = app
            .get("/v1/integrity", &auditor)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(integrity["status"], "ok");

        // Its deadline belongs to its one owner; the joint one to the lead.
        let deadlines: Value = app
            .get(&format!("/v1/cases/{case_id}/deadlines"), &bm)
            .await
            .json()
            .await
            .unwrap();
        let owners: Vec<&str> = deadlines["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "recommendation")
            .map(|d| d["organisation"].as_str().unwrap())
            .collect();
        assert_eq!(owners, ["suhft", "essex-police"]);
    }
);
