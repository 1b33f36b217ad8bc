//! Multi-agency audits over HTTP (docs/rules.md AU-1 to AU-3), on both backends: commissioned
//! as a case of kind `audit` that the agencies audited see and others do not, its findings,
//! recommendations with action plans, themes and the year's statistics; no personal data to
//! read, export or erase; refusals that record nothing.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn audit() -> Value {
    json!({"reference": "MAA-2022-03", "topic": "Neglect of children under five",
           "group": "audit_quality_performance_children",
           "agencies": ["essex-police", "suhft"], "sample_size": 12,
           "occurred_at": "2022-06-01T10:00:00Z"})
}

async fn commissioned(app: &TestApp) -> String {
    let response = app
        .post("/v1/audits", &app.business_manager(), &audit())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let accepted: Value = response.json().await.unwrap();
    let case_id = accepted["case_id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/v1/cases/{case_id}"));
    case_id
}

both_backends!(
    an_audit_runs_from_commissioning_to_its_action_plans_and_is_counted,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let case_id = commissioned(&app).await;
        let case = app.get_ok(&format!("/v1/cases/{case_id}"), &bm).await;
        assert_eq!(case["kind"], "audit");
        assert_eq!(case["stage"], "audit_under_way");
        assert_eq!(case["origin"], "commissioning");
        assert_eq!(case["audit"]["reference"], "MAA-2022-03");
        assert_eq!(case["audit"]["agencies"], json!(["essex-police", "suhft"]));
        assert_eq!(case["child"], Value::Null);
        // Need to know: the agencies audited see it, another does not.
        let hospital = app.token("suhft", &[Role::AgencyUser]);
        let response = app.get(&format!("/v1/cases/{case_id}"), &hospital).await;
        assert_eq!(response.status(), StatusCode::OK);
        let other = app.token("eput", &[Role::AgencyUser]);
        let response = app.get(&format!("/v1/cases/{case_id}"), &other).await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let listed = app.get_ok("/v1/cases?kind=audit", &bm).await;
        assert_eq!(listed["items"][0]["case_id"], case_id.as_str(), "{listed}");

        app.post_ok(
            &format!("/v1/cases/{case_id}/audit-findings"),
            &bm,
            &json!({"cases_audited": 11, "occurred_at": "2022-09-15T10:00:00Z",
                    "findings": "In 8 of 11 cases the school nurse was not told of a new baby."}),
        )
        .await;
        let recommendation = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4c07";
        app.post_ok(
            &format!("/v1/cases/{case_id}/recommendations"),
            &bm,
            &json!({"recommendation_id": recommendation, "owners": ["suhft"],
                    "text": "Health visitors tell the school nurse of every new baby.",
                    "due_on": "2023-03-31", "occurred_at": "2022-09-20T10:00:00Z"}),
        )
        .await;
        app.post_ok(
            &format!("/v1/cases/{case_id}/recommendations/{recommendation}/actions"),
            &hospital,
            &json!({"owners": ["suhft"], "text": "Add the school nurse to the birth notification.",
                    "due_on": "2022-12-16", "occurred_at": "2022-09-21T10:00:00Z"}),
        )
        .await;
        let case = app.get_ok(&format!("/v1/cases/{case_id}"), &bm).await;
        assert_eq!(case["stage"], "audit_reported");
        assert_eq!(case["audit"]["cases_audited"], 11);
        let plan = &case["after_review"]["recommendations"][0]["plan"];
        assert_eq!(plan["actions"].as_array().unwrap().len(), 1, "{case}");

        // Tagged with a theme, counted as an audit of the year it was commissioned.
        app.post_ok(
            "/v1/themes",
            &bm,
            &json!({"theme": "neglect", "name": "Neglect"}),
        )
        .await;
        app.post_ok(
            "/v1/themes/tags",
            &bm,
            &json!({"subject": {"kind": "case", "case_id": case_id}, "themes": ["neglect"]}),
        )
        .await;
        let themes = app.get_ok("/v1/themes", &bm).await;
        assert_eq!(
            themes["themes"][0]["by_year"],
            json!([{"financial_year": "2022-23", "reviews": 0, "recommendations": 0,
                    "learning_events": 0, "audits": 1}]),
            "{themes}"
        );
        let statistics = app.get_ok("/v1/statistics/annual/2022-23", &bm).await;
        assert_eq!(
            statistics["audits"],
            json!({"commissioned": 1, "reported": 1, "cases_audited": 11}),
            "{statistics}"
        );

        // No personal data: nothing to read, export or erase.
        let response = app
            .get(&format!("/v1/cases/{case_id}/personal-details"), &bm)
            .await;
        problem(response, StatusCode::NOT_FOUND, "personal_data.none").await;
        let response = app
            .get(&format!("/v1/cases/{case_id}/subject-access-export"), &bm)
            .await;
        problem(response, StatusCode::NOT_FOUND, "personal_data.none").await;

        app.post_ok(
            &format!("/v1/cases/{case_id}/closure"),
            &bm,
            &json!({"reason": "audit_completed"}),
        )
        .await;
        let case = app.get_ok(&format!("/v1/cases/{case_id}"), &bm).await;
        assert_eq!(case["stage"], "closed");
        assert_eq!(case["after_review"]["closure_reason"], "audit_completed");
    }
);

both_backends!(audit_refusals_record_nothing, |app: TestApp| async move {
    let before = app.log_length().await;
    let agency = app.token("suhft", &[Role::AgencyUser]);
    problem(
        app.post("/v1/audits", &agency, &audit()).await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;
    let mut stranger = audit();
    stranger["agencies"] = json!(["suhft", "met-police"]);
    let refused = problem(
        app.post("/v1/audits", &app.business_manager(), &stranger)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "organisation.unknown",
    )
    .await;
    assert_eq!(refused["errors"][0]["pointer"], "/agencies/1", "{refused}");
    let mut empty = audit();
    empty["sample_size"] = json!(0);
    problem(
        app.post("/v1/audits", &app.business_manager(), &empty)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "field.invalid",
    )
    .await;
    assert_eq!(app.log_length().await, before);

    // Findings are an audit's only; closing needs them.
    let child = app.notify_ok().await;
    let findings = json!({"cases_audited": 1, "findings": "None."});
    problem(
        app.post(
            &format!("/v1/cases/{child}/audit-findings"),
            &app.business_manager(),
            &findings,
        )
        .await,
        StatusCode::CONFLICT,
        "case.wrong_kind",
    )
    .await;
    let case_id = commissioned(&app).await;
    let before = app.log_length().await;
    problem(
        app.post(
            &format!("/v1/cases/{case_id}/closure"),
            &app.business_manager(),
            &json!({"reason": "audit_completed"}),
        )
        .await,
        StatusCode::CONFLICT,
        "closure.no_findings",
    )
    .await;
    problem(
        app.post(
            &format!("/v1/cases/{case_id}/erasure"),
            &app.admin(),
            &json!({"legal_basis": "court_order", "reason": "Order 123"}),
        )
        .await,
        StatusCode::CONFLICT,
        "case.wrong_kind",
    )
    .await;
    assert_eq!(app.log_length().await, before);
});
