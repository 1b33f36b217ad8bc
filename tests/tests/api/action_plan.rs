//! A recommendation's action plan over HTTP (docs/rules.md AP-1 to AP-5): actions with their
//! deadlines, progress with evidence, need-to-know on the case (an agency sees its own
//! actions), sign-off, the review of impact, the audit trail, and the refusals as problems that
//! record nothing. The rules themselves are checked in the domain's tests.

use super::learning::{completed_sar, manager};
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

const RECOMMENDATION: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a01";
const EPUT_ACTION: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a02";
const SUHFT_ACTION: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a03";

fn eput(app: &TestApp) -> String {
    app.token("eput", &[Role::AgencyUser])
}

/// A completed safeguarding adult review with one recommendation for the mental health trust
/// and two actions: the trust's own (with the police), and the hospital's.
async fn planned(app: &TestApp) -> String {
    let case_id = completed_sar(app).await;
    app.post_ok(
        &format!("/v1/cases/{case_id}/recommendations"),
        &manager(app),
        &json!({"recommendation_id": RECOMMENDATION, "owners": ["eput"],
                "text": "Self-neglect cases are escalated to a multi-agency meeting.",
                "due_on": "2024-03-29", "occurred_at": "2023-08-21T10:00:00Z"}),
    )
    .await;
    let actions = format!("/v1/cases/{case_id}/recommendations/{RECOMMENDATION}/actions");
    // An owner of the recommendation draws up its plan, and so does the business manager.
    app.post_ok(
        &actions,
        &eput(app),
        &json!({"action_id": EPUT_ACTION, "owners": ["eput", "essex-police"],
                "text": "Write a joint escalation protocol.", "due_on": "2023-10-31",
                "occurred_at": "2023-08-22T10:00:00Z"}),
    )
    .await;
    app.post_ok(
        &actions,
        &manager(app),
        &json!({"action_id": SUHFT_ACTION, "owners": ["suhft"],
                "text": "Brief discharge teams on the protocol.", "due_on": "2023-11-30",
                "occurred_at": "2023-08-22T10:00:00Z"}),
    )
    .await;
    case_id
}

/// The plan of the case's one recommendation, as `token` reads the case.
async fn plan(app: &TestApp, case_id: &str, token: &str) -> Value {
    let case: Value = app.get_ok(&format!("/v1/cases/{case_id}"), token).await;
    case["after_review"]["recommendations"][0]["plan"].clone()
}

fn action_ids(plan: &Value) -> Vec<&str> {
    plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action_id"].as_str().unwrap())
        .collect()
}

both_backends!(
    an_action_plan_runs_from_actions_to_the_review_of_impact,
    |app: TestApp| async move {
        let case_id = planned(&app).await;
        let progress = json!({
            "rag": "amber", "note": "Protocol drafted; police comments awaited.",
            "evidence": [{"description": "Draft protocol v1",
                          "link": "https://intranet.eput.example/protocols/escalation",
                          "document": "EPUT/SG/2023/031"}],
            "occurred_at": "2023-09-15T10:00:00Z"
        });
        app.post_ok(
            &format!("/v1/cases/{case_id}/actions/{EPUT_ACTION}/progress"),
            &app.token("essex-police", &[Role::AgencyUser]),
            &progress,
        )
        .await;

        // Need to know: the business manager and a statutory partner see both actions; the
        // trust sees its own, and knows the plan has another.
        for token in [
            manager(&app),
            app.token("essex-police", &[Role::AgencyUser]),
        ] {
            let seen = plan(&app, &case_id, &token).await;
            assert_eq!(action_ids(&seen), [EPUT_ACTION, SUHFT_ACTION]);
        }
        let trusts = plan(&app, &case_id, &eput(&app)).await;
        assert_eq!(action_ids(&trusts), [EPUT_ACTION]);
        assert_eq!(trusts["actions_total"], 2);
        let action = &trusts["actions"][0];
        assert_eq!(action["status"], "amber");
        assert_eq!(action["owners"], json!(["eput", "essex-police"]));
        assert_eq!(action["progress"][0]["evidence"], progress["evidence"]);
        assert_eq!(action["progress"][0]["note"], progress["note"]);
        let hospital = plan(&app, &case_id, &app.token("suhft", &[Role::AgencyUser])).await;
        assert_eq!(action_ids(&hospital), [SUHFT_ACTION]);
        assert_eq!(hospital["actions"][0]["status"], "not_started");

        // Each action is a deadline of its lead owner.
        let deadlines: Value = app
            .get_ok(&format!("/v1/cases/{case_id}/deadlines"), &manager(&app))
            .await;
        let actions: Vec<(&str, &str, &str)> = deadlines["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "action")
            .inspect(|d| assert_eq!(d["recommendation_id"], RECOMMENDATION, "{d}"))
            .map(|d| {
                (
                    d["action_id"].as_str().unwrap(),
                    d["organisation"].as_str().unwrap(),
                    d["due_at"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                (EPUT_ACTION, "eput", "2023-10-31T23:59:59.999999Z"),
                (SUHFT_ACTION, "suhft", "2023-11-30T23:59:59.999999Z")
            ]
        );

        // The partnership's deadline list gives an agency its overdue actions.
        let listed: Value = app
            .get_ok(
                "/v1/deadlines?kind=action&organisation=suhft&status=breached",
                &manager(&app),
            )
            .await;
        let listed: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["action_id"].as_str().unwrap())
            .collect();
        assert_eq!(listed, [SUHFT_ACTION]);

        // The recommendation waits for its actions; the plan's sign-off too.
        let complete_recommendation =
            format!("/v1/cases/{case_id}/recommendations/{RECOMMENDATION}/completion");
        let sign_off = format!("/v1/cases/{case_id}/recommendations/{RECOMMENDATION}/sign-off");
        let signing = json!({"group": "practice_review", "occurred_at": "2023-12-05T10:00:00Z"});
        problem(
            app.post(&complete_recommendation, &eput(&app), &json!({}))
                .await,
            StatusCode::CONFLICT,
            "recommendation.actions_open",
        )
        .await;
        problem(
            app.post(&sign_off, &manager(&app), &signing).await,
            StatusCode::CONFLICT,
            "action_plan.actions_open",
        )
        .await;
        for (action, token, at) in [
            (EPUT_ACTION, eput(&app), "2023-10-30T10:00:00Z"),
            (
                SUHFT_ACTION,
                app.token("suhft", &[Role::AgencyUser]),
                "2023-12-04T10:00:00Z",
            ),
        ] {
            app.post_ok(
                &format!("/v1/cases/{case_id}/actions/{action}/completion"),
                &token,
                &json!({"occurred_at": at}),
            )
            .await;
        }
        app.post_ok(&sign_off, &manager(&app), &signing).await;
        app.post_ok(
            &format!("/v1/cases/{case_id}/recommendations/{RECOMMENDATION}/impact-reviews"),
            &manager(&app),
            &json!({"practice_changed": "partly_changed",
                    "summary": "Case sampling: 6 of 10 self-neglect cases escalated.",
                    "occurred_at": "2024-03-01T10:00:00Z"}),
        )
        .await;

        let done = plan(&app, &case_id, &manager(&app)).await;
        assert_eq!(done["signed_off_by"], "practice_review");
        assert_eq!(done["signed_off_at"], "2023-12-05T10:00:00Z");
        assert_eq!(
            done["impact_reviews"][0]["practice_changed"],
            "partly_changed"
        );
        assert_eq!(done["actions"][0]["status"], "complete");
        // Met on time, and met late: the hospital's action was done after 30 November.
        let deadlines: Value = app
            .get_ok(&format!("/v1/cases/{case_id}/deadlines"), &manager(&app))
            .await;
        let statuses: Vec<&str> = deadlines["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "action")
            .map(|d| d["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["met", "met_late"]);

        let events = app.case_events(&case_id).await;
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types[types.len() - 5..],
            [
                "ActionProgressRecorded",
                "ActionCompleted",
                "ActionCompleted",
                "ActionPlanSignedOff",
                "ImpactReviewed"
            ]
        );
        // The audit trail says what happened without repeating the notes.
        let summaries = app
            .audit_summaries(&format!("/v1/cases/{case_id}/audit-trail"))
            .await;
        for expected in [
            "Progress on an action was recorded: amber, with 1 piece of evidence",
            "A recommendation's action plan was signed off by the Safeguarding Practice Review Group",
            "The impact of a recommendation's action plan was reviewed: practice has partly changed",
        ] {
            assert!(
                summaries.iter().any(|s| s == expected),
                "{expected}: {summaries:?}"
            );
        }
        assert!(
            summaries
                .iter()
                .any(|s| s.starts_with("An action for ") && s.ends_with("due 2023-10-31")),
            "{summaries:?}"
        );
    }
);

both_backends!(
    refusals_map_to_problems_and_record_nothing,
    |app: TestApp| async move {
        let case_id = planned(&app).await;
        let before = app.case_events(&case_id).await.len();
        let progress =
            |evidence: Value| json!({"rag": "green", "note": "Done.", "evidence": evidence});
        let on = |action: &str| format!("/v1/cases/{case_id}/actions/{action}/progress");
        // Another organisation's action.
        problem(
            app.post(&on(SUHFT_ACTION), &eput(&app), &progress(json!([])))
                .await,
            StatusCode::FORBIDDEN,
            "auth.own_organisation_only",
        )
        .await;
        // No such action.
        problem(
            app.post(
                &on("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4aff"),
                &manager(&app),
                &progress(json!([])),
            )
            .await,
            StatusCode::NOT_FOUND,
            "action.not_found",
        )
        .await;
        // A link that is no web address, named by its pointer.
        let refused = problem(
            app.post(
                &on(EPUT_ACTION),
                &eput(&app),
                &progress(json!([{"description": "Protocol", "link": "file:///c:/protocol.docx"}])),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "evidence.link_invalid",
        )
        .await;
        assert_eq!(
            refused["errors"][0]["pointer"], "/evidence/0/link",
            "{refused}"
        );
        // A RAG status that is none, or a field the body does not have.
        for body in [
            json!({"rag": "blue", "note": "Done."}),
            json!({"rag": "green", "note": "Done.", "attachment": "protocol.docx"}),
        ] {
            problem(
                app.post(&on(EPUT_ACTION), &eput(&app), &body).await,
                StatusCode::BAD_REQUEST,
                "body.invalid",
            )
            .await;
        }
        // The plan is not done: no sign-off, and no review of impact before one.
        let plan_path =
            |what: &str| format!("/v1/cases/{case_id}/recommendations/{RECOMMENDATION}/{what}");
        problem(
            app.post(
                &plan_path("sign-off"),
                &manager(&app),
                &json!({"group": "practice_review"}),
            )
            .await,
            StatusCode::CONFLICT,
            "action_plan.actions_open",
        )
        .await;
        problem(
            app.post(
                &plan_path("impact-reviews"),
                &manager(&app),
                &json!({"practice_changed": "changed", "summary": "Audit."}),
            )
            .await,
            StatusCode::CONFLICT,
            "action_plan.not_signed_off",
        )
        .await;
        // Only the business unit records the group's sign-off.
        problem(
            app.post(
                &plan_path("sign-off"),
                &eput(&app),
                &json!({"group": "practice_review"}),
            )
            .await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        assert_eq!(app.case_events(&case_id).await.len(), before);
    }
);
