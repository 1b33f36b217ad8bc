//! Whole child life cycles over HTTP: from notification through the rapid review, the Panel's
//! response and the LCSPR to publication, recommendations and closure.

use crate::rapid_review::{Review, statuses};
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::json;

both_backends!(an_lcspr_published_on_time, |app: TestApp| async move {
    let review = Review::open(&app).await;
    review.to_reports("2022-09-20T15:00:00Z").await;
    review.to_submission().await;
    let bm = review.manager();
    review
        .ok(
            &bm,
            "panel-response",
            json!({"agrees": true, "occurred_at": "2022-10-14T10:00:00Z"}),
        )
        .await;
    review
        .ok(
            &bm,
            "family-communication",
            json!({"in_person": true, "occurred_at": "2022-10-17T10:00:00Z"}),
        )
        .await;
    review.ok(&bm, "practice-review", json!({"reviewer": "Dr A. Reviewer",
        "terms_of_reference": "Information sharing before the incident.", "occurred_at": "2022-10-18T10:00:00Z"})).await;
    // The decision was reached on 29 September 2022: publication due by 29 March 2023, the
    // final report to the Panel 7 working days before (20 March 2023).
    review
        .ok(
            &bm,
            "practice-review/report-sent",
            json!({"occurred_at": "2023-03-10T10:00:00Z"}),
        )
        .await;
    review
        .ok(
            &bm,
            "publication",
            json!({"url": "https://example.org/reviews/child-a",
        "occurred_at": "2023-03-24T10:00:00Z"}),
        )
        .await;
    let recommendation = "0192d3c4-0000-7000-8000-000000000001";
    review
        .ok(
            &bm,
            "recommendations",
            json!({"recommendation_id": recommendation,
        "text": "Body maps for every injured child.", "owner": "suhft", "due_on": "2023-06-30",
        "occurred_at": "2023-03-24T11:00:00Z"}),
        )
        .await;
    review
        .ok(
            &bm,
            "closure",
            json!({"reason": "review_published", "occurred_at": "2023-03-31T10:00:00Z"}),
        )
        .await;
    // After closure only the recommendation's completion is accepted, by its owner.
    problem(
        review
            .send(&bm, "family-communication", json!({"in_person": false}))
            .await,
        StatusCode::CONFLICT,
        "case.closed",
    )
    .await;
    let path = format!("recommendations/{recommendation}/completion");
    problem(
        review.send(&review.agency("eput"), &path, json!({})).await,
        StatusCode::NOT_FOUND,
        "case.not_found",
    )
    .await;
    review
        .ok(
            &review.agency("suhft"),
            &path,
            json!({"occurred_at": "2023-05-02T10:00:00Z"}),
        )
        .await;

    let case = review.read().await;
    assert_eq!(case["stage"], "closed");
    assert_eq!(
        case["after_review"]["practice_review"]["url"],
        "https://example.org/reviews/child-a"
    );
    let statuses = statuses(&case);
    for kind in [
        "lcspr_publication/-",
        "lcspr_report_to_panel/-",
        "recommendation/suhft",
        "rr_submission/-",
    ] {
        assert_eq!(statuses[kind], "met", "{kind}");
    }
    // Taking the report down outlives the case: it was due a year after publication.
    assert_eq!(statuses["publication_take_down/-"], "breached");
    review
        .ok(
            &bm,
            "publication/take-down",
            json!({"occurred_at": "2024-03-22T09:00:00Z"}),
        )
        .await;
    let case = review.read().await;
    assert_eq!(
        crate::rapid_review::statuses(&case)["publication_take_down/-"],
        "met"
    );
    let deadlines = case["deadlines"].as_array().unwrap();
    let due = |kind: &str| deadlines.iter().find(|d| d["kind"] == kind).unwrap()["due_at"].clone();
    assert_eq!(due("lcspr_publication"), "2023-03-29T22:59:59.999999Z");
    // Published, the report to the Panel is judged against the actual publication: 7 working
    // days before it, not before the day publication was due.
    assert_eq!(due("lcspr_report_to_panel"), "2023-03-15T23:59:59.999999Z");
    let rec = deadlines
        .iter()
        .find(|d| d["kind"] == "recommendation")
        .unwrap();
    assert_eq!(rec["recommendation_id"], recommendation);
});

both_backends!(
    late_reports_a_panel_disagreement_and_a_delayed_lcspr,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-22T10:00:00Z").await;
        review.to_submission().await;
        let bm = review.manager();
        review
            .ok(
                &bm,
                "panel-response",
                json!({"agrees": false, "occurred_at": "2022-10-20T10:00:00Z"}),
            )
            .await;
        assert_eq!(review.read().await["stage"], "reconsideration");
        // Nothing is commissioned while the partners reconsider.
        problem(
            review
                .send(
                    &bm,
                    "practice-review",
                    json!({"reviewer": "R", "terms_of_reference": "T"}),
                )
                .await,
            StatusCode::CONFLICT,
            "practice_review.awaiting_reconsideration",
        )
        .await;
        // The partners reconsider with the Independent Advisor's advice, and two of the three
        // decide: here, to adhere to their decision to hold an LCSPR.
        let advisor = app.token("southend-council", &[Role::IndependentAdvisor]);
        review
            .ok(
                &advisor,
                "independent-advice",
                json!({"subject": "reconsideration", "advice": "The review will add learning.",
        "occurred_at": "2022-10-24T10:00:00Z"}),
            )
            .await;
        let partner = review.partner("southend-ccg");
        review
            .ok(
                &partner,
                "reconsideration",
                json!({"partner": "health", "outcome": "adhere",
        "rationale": "The learning is needed.", "occurred_at": "2022-10-25T10:00:00Z"}),
            )
            .await;
        assert_eq!(review.read().await["stage"], "reconsideration");
        review
            .ok(
                &review.partner("essex-police"),
                "reconsideration",
                json!({"partner": "police", "outcome": "adhere",
        "rationale": "Agreed.", "occurred_at": "2022-10-25T11:00:00Z"}),
            )
            .await;
        problem(
            review
                .send(
                    &review.partner("southend-council"),
                    "reconsideration",
                    json!({"partner": "local_authority", "outcome": "adhere", "rationale": "x"}),
                )
                .await,
            StatusCode::CONFLICT,
            "reconsideration.already_recorded",
        )
        .await;
        review
            .ok(
                &bm,
                "reconsideration/justification",
                json!({"justification": "The partners keep their decision.",
        "occurred_at": "2022-10-26T10:00:00Z"}),
            )
            .await;
        review
            .ok(
                &bm,
                "practice-review",
                json!({"reviewer": "Dr A. Reviewer",
        "terms_of_reference": "Agencies' response.", "occurred_at": "2022-11-01T10:00:00Z"}),
            )
            .await;
        review
            .ok(
                &bm,
                "practice-review/delay",
                json!({"new_due_on": "2023-09-30",
        "reasons": "Criminal proceedings.", "occurred_at": "2023-03-01T10:00:00Z"}),
            )
            .await;
        problem(
            review
                .send(
                    &bm,
                    "practice-review/delay",
                    json!({"new_due_on": "2023-09-01", "reasons": "x"}),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "delay.not_later",
        )
        .await;
        problem(
            review.send(&bm, "publication", json!({})).await,
            StatusCode::CONFLICT,
            "practice_review.report_not_sent",
        )
        .await;

        let case = review.read().await;
        let statuses = statuses(&case);
        assert_eq!(statuses["rr_agency_report/suhft"], "met_late");
        let deadlines = case["deadlines"].as_array().unwrap();
        let publication = deadlines
            .iter()
            .find(|d| d["kind"] == "lcspr_publication")
            .unwrap();
        // Six months run from the decision the partners adhered to (29 September 2022); the
        // delay moved the date and the original stays visible.
        assert_eq!(
            publication["original_due_at"],
            "2023-03-29T22:59:59.999999Z"
        );
        assert_eq!(publication["due_at"], "2023-09-30T22:59:59.999999Z");
        assert_eq!(case["after_review"]["reconsidered_outcome"], "adhere");
        assert_eq!(
            case["after_review"]["reconsidered_views"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            case["after_review"]["practice_review"]["delayed_to"],
            json!(["2023-09-30"])
        );
    }
);
