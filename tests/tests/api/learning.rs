//! RecordLearningDisseminated over HTTP: the mapping of the body (the domain command itself),
//! of the refusals, and the fact's place in the case's history and audit trail. The rules are
//! checked in the domain's tests.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An adult case referred, decided, commissioned and completed by the end of August 2023.
pub(crate) async fn completed_sar(app: &TestApp) -> String {
    let referrer = app.token("eput", &[Role::AgencyUser]);
    let referral = json!({
        "adult": {
            "reference": "EPUT-SA-23-0091", "given_name": "Ada", "family_name": "Marsh",
            "date_of_birth": "1948-02-11", "sex": "female", "ethnicity": "White British"
        },
        "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "known",
        "serious_abuse_or_neglect": true, "abuse_or_neglect_date": "2022-12-20",
        "joint_working_concern": true, "concerns": "Self-neglect; no agency led.",
        "occurred_at": "2023-01-10T10:00:00Z"
    });
    let opened = app
        .post_ok("/v1/cases/sar-referrals", &referrer, &referral)
        .await;
    let case_id = opened["case_id"].as_str().unwrap().to_owned();
    let steps = [
        (
            app.token("essex-police", &[Role::PartnerDecisionMaker]),
            "sar-decision",
            json!({"decision": "mandatory", "rationale": "The s44(1) criteria are met.",
                   "occurred_at": "2023-02-01T10:00:00Z"}),
        ),
        (
            manager(app),
            "sar-commission",
            json!({"reviewer": "Gwen Ashcombe", "terms_of_reference": "Self-neglect.",
                   "occurred_at": "2023-02-15T10:00:00Z"}),
        ),
        (
            manager(app),
            "sar-completion",
            json!({"principles_with_findings": ["partnership"],
                   "findings": "No agency led.", "occurred_at": "2023-08-20T10:00:00Z"}),
        ),
    ];
    for (token, path, body) in steps {
        app.post_ok(&format!("/v1/cases/{case_id}/{path}"), &token, &body)
            .await;
    }
    case_id
}

pub(crate) fn manager(app: &TestApp) -> String {
    app.token("southend-council", &[Role::BusinessManager])
}

fn briefing() -> Value {
    json!({"method": "seven_minute_briefing", "organisations": ["essex-police", "suhft"],
           "people_reached": 140, "occurred_at": "2023-09-14T14:00:00Z"})
}

both_backends!(
    a_reviews_learning_shared_is_recorded_and_shown_in_the_audit_trail,
    |app: TestApp| async move {
        let case_id = completed_sar(&app).await;
        let path = format!("/v1/cases/{case_id}/learning-disseminated");
        let accepted = app.post_ok(&path, &manager(&app), &briefing()).await;
        assert_eq!(accepted["case_id"], case_id.as_str());

        let events = app.case_events(&case_id).await;
        let shared = events.last().unwrap();
        assert_eq!(shared.event_type, "LearningDisseminated");
        // Stored as sent: the body is the command, the event its facts.
        assert_eq!(shared.data, briefing());
        let summaries = app
            .audit_summaries(&format!("/v1/cases/{case_id}/audit-trail"))
            .await;
        assert!(
            summaries.iter().any(|summary| summary
                .starts_with("The review's learning was shared by a seven-minute briefing with")
                && summary.ends_with("(140 people)")),
            "{summaries:?}"
        );
    }
);

/// Sends `body` and expects the problem `code` with `status`.
async fn refused(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &Value,
    status: StatusCode,
    code: &str,
) -> Value {
    problem(app.post(path, token, body).await, status, code).await
}

/// The briefing with one field changed.
fn briefing_with(field: &str, value: Value) -> Value {
    let mut body = briefing();
    body[field] = value;
    body
}

both_backends!(
    refusals_map_to_problems_and_record_nothing,
    |app: TestApp| async move {
        let case_id = completed_sar(&app).await;
        let path = format!("/v1/cases/{case_id}/learning-disseminated");
        let before = app.case_events(&case_id).await.len();
        let bm = manager(&app);
        let agency = app.token("suhft", &[Role::AgencyUser]);
        // The role is checked before the case is looked up.
        refused(
            &app,
            &path,
            &agency,
            &briefing(),
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        // A field the command does not have, or a slug that cannot be one.
        for body in [
            briefing_with("audience", json!("everyone")),
            briefing_with("organisations", json!(["Essex Police"])),
        ] {
            refused(
                &app,
                &path,
                &bm,
                &body,
                StatusCode::BAD_REQUEST,
                "body.invalid",
            )
            .await;
        }
        // The domain's refusals.
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let none = briefing_with("organisations", json!([]));
        let problem = refused(&app, &path, &bm, &none, unprocessable, "field.invalid").await;
        assert_eq!(problem["errors"][0]["field"], "organisations", "{problem}");
        let too_early = briefing_with("occurred_at", json!("2023-08-19T10:00:00Z"));
        let code = "occurred_at.before_dependency";
        refused(&app, &path, &bm, &too_early, unprocessable, code).await;
        assert_eq!(app.case_events(&case_id).await.len(), before);
        // Nothing to share before the review's findings.
        let child = format!("/v1/cases/{}/learning-disseminated", app.notify_ok().await);
        refused(
            &app,
            &child,
            &bm,
            &briefing(),
            StatusCode::CONFLICT,
            "case.wrong_stage",
        )
        .await;
    }
);
