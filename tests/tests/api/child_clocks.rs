//! Issue 11, items 4 to 6, over HTTP: the rapid review clock runs from the Panel notification
//! without initiation; a decision to hold an LCSPR starts its 6 months at once; the report to the
//! Panel is judged against the actual publication. The story is domain.md's worked example: the
//! Panel notified on Friday 9 September 2022 (day 0), the partners deciding on an LCSPR on 29
//! September.

use crate::rapid_review::{Review, statuses};
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, deadline, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn next_commands(case: &Value) -> Vec<String> {
    case["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(
    the_rapid_review_clock_runs_without_initiation,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        let case = review.read().await;
        assert!(case["rapid_review"].is_null(), "not initiated");
        // Every milestone exists from day 0, and by now every one is breached.
        assert_eq!(
            deadline(&case, "rr_partners_notified")["due_at"],
            "2022-09-13T22:59:59.999999Z"
        );
        assert_eq!(
            deadline(&case, "rr_submission")["due_at"],
            "2022-10-03T22:59:59.999999Z"
        );
        let statuses = statuses(&case);
        let rapid_review: Vec<_> = statuses
            .iter()
            .filter(|(kind, _)| kind.starts_with("rr_"))
            .collect();
        assert_eq!(rapid_review.len(), 14, "{rapid_review:?}");
        assert!(
            rapid_review.iter().all(|(_, status)| *status == "breached"),
            "{rapid_review:?}"
        );
        assert!(next_commands(&case).contains(&"InitiateRapidReview".to_owned()));
        assert!(deadline(&case, "rr_submission")["late_by"]["working_days"].as_i64() > Some(0));
    }
);

both_backends!(
    no_submission_to_the_panel_without_the_panel_notification,
    |app: TestApp| async move {
        let review = Review::notified(&app).await;
        review.to_reports("2022-09-20T10:00:00Z").await;
        review.to_sign_off().await;
        problem(
            review
                .send(
                    &review.manager(),
                    "rapid-review/submission",
                    json!({"national_review_may_be_appropriate": true}),
                )
                .await,
            StatusCode::CONFLICT,
            "rapid_review.panel_not_notified",
        )
        .await;
        assert_ne!(review.read().await["stage"], "submitted_to_panel");
    }
);

both_backends!(
    an_lcspr_decision_starts_its_clock_at_once,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-20T10:00:00Z").await;
        review.to_submission().await;
        let case = review.read().await;
        assert!(case["after_review"]["practice_review"].is_null());
        // Six calendar months from the decision on 29 September 2022, and the report 7 working
        // days before.
        assert_eq!(
            deadline(&case, "lcspr_publication")["due_at"],
            "2023-03-29T22:59:59.999999Z"
        );
        assert_eq!(
            deadline(&case, "lcspr_report_to_panel")["due_at"],
            "2023-03-20T23:59:59.999999Z"
        );
        assert!(next_commands(&case).contains(&"CommissionPracticeReview".to_owned()));
        assert_eq!(
            case["rapid_review"]["national_review_may_be_appropriate"],
            false
        );
    }
);

both_backends!(
    the_report_to_the_panel_is_judged_against_the_actual_publication,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-20T10:00:00Z").await;
        review.to_submission().await;
        let bm = review.manager();
        for (path, body) in [
            (
                "panel-response",
                json!({"agrees": true, "occurred_at": "2022-10-17T10:00:00Z"}),
            ),
            (
                "practice-review",
                json!({"reviewer": "Dr A. Reviewer", "terms_of_reference": "T",
                    "occurred_at": "2022-11-01T10:00:00Z"}),
            ),
            (
                "practice-review/report-sent",
                json!({"occurred_at": "2023-11-01T10:00:00Z"}),
            ),
            (
                "publication",
                json!({"occurred_at": "2023-11-02T10:00:00Z"}),
            ),
        ] {
            review.ok(&bm, path, body).await;
        }
        let case = review.read().await;
        let report = deadline(&case, "lcspr_report_to_panel");
        // 7 working days before Thursday 2 November 2023 is Tuesday 24 October: the report of
        // 1 November was late.
        assert_eq!(report["due_at"], "2023-10-24T22:59:59.999999Z");
        assert_eq!(report["status"], "met_late");
        assert_eq!(report["late_by"], json!({"working_days": 6, "hours": 179}));
    }
);

both_backends!(
    withheld_the_improvements_information_goes_to_the_panel_and_ofsted,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-20T10:00:00Z").await;
        review.to_submission().await;
        let bm = review.manager();
        for (path, body) in [
            (
                "practice-review",
                json!({"reviewer": "Dr A. Reviewer", "terms_of_reference": "T",
                    "occurred_at": "2022-11-01T10:00:00Z"}),
            ),
            (
                "publication-withheld",
                json!({"justification": "It would identify the siblings.",
                    "occurred_at": "2023-03-01T10:00:00Z"}),
            ),
            (
                "publication-withheld/improvements-sent",
                json!({"occurred_at": "2023-03-02T10:00:00Z"}),
            ),
            (
                "practice-review/ofsted-copy",
                json!({"occurred_at": "2023-03-02T11:00:00Z"}),
            ),
            (
                "publication-withheld/improvements-published",
                json!({"url": "https://example.org/improvements",
                    "occurred_at": "2023-03-28T10:00:00Z"}),
            ),
        ] {
            review.ok(&bm, path, body).await;
        }
        let case = review.read().await;
        let statuses = statuses(&case);
        assert_eq!(statuses["lcspr_report_to_panel/-"], "not_applicable");
        assert_eq!(statuses["lcspr_improvements_to_panel/-"], "met");
        assert_eq!(statuses["lcspr_copy_to_ofsted/-"], "met");
        assert_eq!(statuses["lcspr_publication/-"], "met");
        let practice_review = &case["after_review"]["practice_review"];
        assert_eq!(
            practice_review["improvements_published_at"],
            "2023-03-28T10:00:00Z"
        );
    }
);
