//! The same text and date rules on every command's body (`api/src/validation.rs`): 422 naming
//! the field, never its value, and nothing written.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A notification with one field of the child (or of the body) replaced.
fn notification_with(path: &[&str], value: Value) -> Value {
    let mut body = notification();
    let mut at = &mut body;
    for key in &path[..path.len() - 1] {
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = value;
    body
}

both_backends!(
    every_text_of_a_notification_follows_the_same_rules,
    |app: TestApp| async move {
        let today = casetrail_domain::calendar::local_date(chrono::Utc::now());
        let tomorrow = today.succ_opt().unwrap().to_string();
        let cases = [
            (
                notification_with(&["child", "reference"], json!("SBC-\u{202E}2140")),
                "child.reference",
                "field.bidi_control",
            ),
            (
                notification_with(&["child", "reference"], json!("SBC-\u{2067}2140")),
                "child.reference",
                "field.bidi_control",
            ),
            (
                notification_with(&["child", "given_name"], json!("Alex\u{202D}")),
                "child.given_name",
                "field.bidi_control",
            ),
            (
                notification_with(&["child", "family_name"], json!("Smith\nForged")),
                "child.family_name",
                "field.control_character",
            ),
            (
                notification_with(&["child", "given_name"], json!("   ")),
                "child.given_name",
                "field.required",
            ),
            (
                notification_with(&["child", "family_name"], json!("x".repeat(201))),
                "child.family_name",
                "field.too_long",
            ),
            (
                notification_with(&["summary"], json!("\t \n")),
                "summary",
                "field.required",
            ),
            (
                notification_with(&["summary"], json!("Admitted\u{1b}[31m")),
                "summary",
                "field.control_character",
            ),
            (
                notification_with(&["summary"], json!("x".repeat(20_001))),
                "summary",
                "field.too_long",
            ),
            (
                notification_with(&["child", "date_of_birth"], json!("1899-12-31")),
                "child.date_of_birth",
                "date.out_of_range",
            ),
            (
                notification_with(&["child", "date_of_birth"], json!(tomorrow)),
                "child.date_of_birth",
                "date.out_of_range",
            ),
        ];
        for (body, field, code) in cases {
            let refused = problem(
                app.notify(&body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                code,
            )
            .await;
            assert_eq!(refused["errors"][0]["field"], field, "{refused}");
            for secret in ["\u{202E}", "Forged", "Admitted", "1899"] {
                assert!(
                    !refused["detail"].as_str().unwrap().contains(secret),
                    "{refused}"
                );
            }
        }
        assert_eq!(app.log_length().await, 19, "nothing was written");
        // Right-to-left names need no controls, and free text keeps its line breaks.
        let accepted = [
            notification_with(&["child", "given_name"], json!("ليلى")),
            notification_with(&["summary"], json!("First line.\r\n\tSecond line.")),
        ];
        for body in accepted {
            let response = app.notify(&body).await;
            let status = response.status();
            assert_eq!(
                status,
                StatusCode::CREATED,
                "{}",
                response.text().await.unwrap()
            );
        }
        // An adult's date of birth, at both ends of the range.
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let referral = |born: &str| {
            json!({
                "adult": {"reference": "SA-1", "given_name": "Test", "family_name": "Person",
                          "date_of_birth": born, "sex": "male", "ethnicity": "White Other"},
                "care_and_support_needs": true, "adult_died": false,
                "abuse_or_neglect": "known", "serious_abuse_or_neglect": true,
                "abuse_or_neglect_date": "2022-12-20", "joint_working_concern": true,
                "concerns": "Fictional test concerns."
            })
        };
        problem(
            app.post(
                "/v1/cases/sar-referrals",
                &referrer,
                &referral("1899-12-31"),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date.out_of_range",
        )
        .await;
        let response = app
            .post(
                "/v1/cases/sar-referrals",
                &referrer,
                &referral("1900-01-01"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
);

both_backends!(
    identifiers_of_every_command_follow_the_same_rules,
    |app: TestApp| async move {
        let admin = app.token("southend-council", &[Role::Admin]);
        let organisation = json!({"slug": "southend-adult-care",
            "name": "Southend \u{202E}Adult Care", "kind": "other"});
        let refused = problem(
            app.post("/v1/partnership/organisations", &admin, &organisation)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "field.bidi_control",
        )
        .await;
        assert_eq!(refused["errors"][0]["field"], "name");

        let case_id = app.notify_ok().await;
        let path = format!("/v1/cases/{case_id}/panel-notification");
        for (reference, code) in [
            ("CSPRP-\u{2066}1", "field.bidi_control"),
            ("CSPRP-\u{0}1", "body.nul_character"),
            ("CSPRP-\u{7f}1", "field.control_character"),
            (" ", "field.required"),
        ] {
            let body = json!({"panel_reference": reference, "submitted_on": "2022-12-29"});
            problem(
                app.post(&path, &app.notifier(), &body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                code,
            )
            .await;
        }
        assert_eq!(
            app.case(&case_id).await["version"],
            1,
            "nothing was written"
        );
        let body = json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-12-29"});
        assert_eq!(
            app.post(&path, &app.notifier(), &body).await.status(),
            StatusCode::OK
        );
    }
);
