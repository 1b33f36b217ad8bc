//! The partnership's learning record over HTTP (issue 17): themes and their tags, meetings,
//! learning events and the budget, on both backends. The rules are checked in the domain's
//! tests (`domain/src/learning/tests.rs`); these check the mapping of bodies and refusals, who
//! may read what, the counts the lists add up, and that a refusal records nothing.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn meeting(id: &str, held_on: &str, attendees: &[&str]) -> Value {
    json!({
        "meeting_id": id, "group": "practice_review", "held_on": held_on,
        "attendance": [{"organisation": "essex-police", "people": 2},
                       {"organisation": "southend-council", "people": 3}],
        "attendees": attendees,
    })
}

async fn theme(app: &TestApp, token: &str, slug: &str, name: &str) -> Value {
    let response = app
        .post("/v1/themes", token, &json!({"theme": slug, "name": name}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["location"], "/v1/themes");
    response.json().await.unwrap()
}

both_backends!(
    themes_are_kept_tagged_counted_by_year_and_retired,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let agency = app.token("suhft", &[Role::AgencyUser]);
        // The business unit and the administrators keep the list; an agency does not.
        theme(&app, &bm, "neglect", "Neglect").await;
        let added = theme(&app, &app.admin(), "exploitation", "Exploitation").await;
        assert_eq!(added["version"], 2);
        let body = json!({"theme": "transition", "name": "Transition"});
        let response = app.post("/v1/themes", &agency, &body).await;
        problem(response, StatusCode::FORBIDDEN, "auth.role_required").await;
        let response = app
            .post(
                "/v1/themes",
                &bm,
                &json!({"theme": "neglect", "name": "Neglect"}),
            )
            .await;
        problem(response, StatusCode::CONFLICT, "theme.already_exists").await;
        let response = app
            .post(
                "/v1/themes",
                &bm,
                &json!({"theme": "Neglect!", "name": "Neglect"}),
            )
            .await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY, "field.invalid").await;

        // A case's reviews tagged: counted in the year the case was opened.
        let case_id = app.notify_ok().await;
        let tag = |themes: Value| json!({"subject": {"kind": "case", "case_id": case_id}, "themes": themes});
        app.post_ok(
            "/v1/themes/tags",
            &bm,
            &tag(json!(["neglect", "exploitation"])),
        )
        .await;
        let themes = app.get_ok("/v1/themes", &agency).await;
        let neglect = &themes["themes"][1];
        assert_eq!(neglect["theme"], "neglect", "{themes}");
        assert_eq!(neglect["by_year"][0]["reviews"], 1, "{themes}");
        assert_eq!(neglect["by_year"][0]["recommendations"], 0);
        let year = neglect["by_year"][0]["financial_year"].as_str().unwrap();
        assert_eq!(year.len(), 7, "{year}");
        // Tags replace the ones the case had.
        app.post_ok("/v1/themes/tags", &bm, &tag(json!(["exploitation"])))
            .await;
        let themes = app.get_ok("/v1/themes", &agency).await;
        assert_eq!(themes["themes"][1]["by_year"], json!([]), "{themes}");

        // Retired: listed as such, no longer tagged, its tags still counted.
        let retired = app
            .post("/v1/themes/exploitation/retirement", &bm, &json!({}))
            .await;
        assert_eq!(retired.status(), StatusCode::OK);
        let themes = app.get_ok("/v1/themes", &agency).await;
        assert_eq!(themes["themes"][0]["retired"], true);
        assert_eq!(themes["themes"][0]["by_year"][0]["reviews"], 1);
        let response = app
            .post("/v1/themes/tags", &bm, &tag(json!(["exploitation"])))
            .await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY, "theme.unknown").await;
        let response = app
            .post("/v1/themes/unheard-of/retirement", &bm, &json!({}))
            .await;
        problem(response, StatusCode::NOT_FOUND, "theme.not_found").await;

        // Only what exists is tagged.
        let stranger = json!({"subject": {"kind": "case",
            "case_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}, "themes": ["neglect"]});
        let response = app.post("/v1/themes/tags", &bm, &stranger).await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let recommendation = json!({"subject": {"kind": "recommendation", "case_id": case_id,
            "recommendation_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}, "themes": ["neglect"]});
        let response = app.post("/v1/themes/tags", &bm, &recommendation).await;
        problem(response, StatusCode::NOT_FOUND, "recommendation.not_found").await;

        // Each in the partnership's audit trail.
        let summaries = app.audit_summaries("/v1/audit-trail?limit=200").await;
        for expected in [
            "The learning theme Neglect was added",
            "A case's reviews were tagged with exploitation",
            "The learning theme exploitation was retired",
        ] {
            assert!(
                summaries.iter().any(|s| s == expected),
                "{expected}: {summaries:?}"
            );
        }
    }
);

both_backends!(
    meetings_count_organisations_and_distinct_people_and_refusals_record_nothing,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let first = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60";
        let case_id = app.notify_ok().await;
        let mut body = meeting(first, "2022-03-10", &["p-1001", "p-1002"]);
        body["discussed"] = json!([{"kind": "case", "case_id": case_id}]);
        let response = app.post("/v1/meetings", &bm, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(
            response.headers()["location"],
            "/v1/meetings?financial_year=2021-22"
        );
        let accepted: Value = response.json().await.unwrap();
        assert_eq!(accepted["id"], first);
        let mut second = meeting(
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61",
            "2021-04-01",
            &["p-1002", "p-1003"],
        );
        second["attendance"] = json!([{"organisation": "suhft", "people": 4}]);
        app.post_ok("/v1/meetings", &bm, &second).await;
        // Another year's meeting is not counted in this one.
        app.post_ok(
            "/v1/meetings",
            &bm,
            &meeting(
                "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a62",
                "2022-04-01",
                &["p-1004"],
            ),
        )
        .await;

        let advisor = app.token("southend-council", &[Role::IndependentAdvisor]);
        let listed = app
            .get_ok("/v1/meetings?financial_year=2021-22", &advisor)
            .await;
        assert_eq!(
            listed["totals"],
            json!({"held": 2, "organisations": 3, "people_named": 3, "attendances": 9}),
            "{listed}"
        );
        let first_listed = &listed["meetings"][0];
        assert_eq!(first_listed["meeting_id"], first);
        assert_eq!(first_listed["participation"]["people"], 5);
        assert_eq!(first_listed["participation"]["people_named"], 2);
        assert_eq!(first_listed["discussed"][0]["case_id"], case_id.as_str());
        assert!(first_listed["position"].as_u64().unwrap() > 0);
        // The references are counted, never read back.
        assert!(!listed.to_string().contains("p-1001"), "{listed}");
        // They name the cases discussed: an agency does not read them.
        let agency = app.token("suhft", &[Role::AgencyUser]);
        let response = app
            .get("/v1/meetings?financial_year=2021-22", &agency)
            .await;
        problem(response, StatusCode::FORBIDDEN, "auth.role_required").await;
        let response = app
            .get("/v1/meetings?financial_year=2021-23", &advisor)
            .await;
        problem(response, StatusCode::BAD_REQUEST, "financial_year.invalid").await;

        // Refusals, each recording nothing.
        let before = app.log_length().await;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let response = app.post("/v1/meetings", &bm, &body).await;
        problem(response, StatusCode::CONFLICT, "learning.already_recorded").await;
        let future = meeting("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a70", "2099-01-01", &[]);
        let response = app.post("/v1/meetings", &bm, &future).await;
        problem(response, unprocessable, "date.in_future").await;
        let mut stranger = meeting("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a71", "2022-01-01", &[]);
        stranger["attendance"] = json!([{"organisation": "met-police", "people": 1}]);
        let response = app.post("/v1/meetings", &bm, &stranger).await;
        problem(response, unprocessable, "organisation.unknown").await;
        // A name where a reference belongs is refused without being repeated.
        let named = meeting(
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a72",
            "2022-01-01",
            &["Jane Smith"],
        );
        let response = app.post("/v1/meetings", &bm, &named).await;
        let refusal = problem(response, unprocessable, "field.invalid").await;
        assert_eq!(refusal["errors"][0]["field"], "attendees", "{refusal}");
        assert!(!refusal.to_string().contains("Jane"), "{refusal}");
        let crowded = meeting(
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a73",
            "2022-01-01",
            &["p-101", "p-102", "p-103", "p-104", "p-105", "p-106"],
        );
        let response = app.post("/v1/meetings", &bm, &crowded).await;
        problem(response, unprocessable, "field.invalid").await;
        let mut unknown_case = meeting("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a74", "2022-01-01", &[]);
        unknown_case["discussed"] =
            json!([{"kind": "case", "case_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}]);
        let response = app.post("/v1/meetings", &bm, &unknown_case).await;
        problem(response, unprocessable, "case.unknown").await;
        let response = app
            .post(
                "/v1/meetings",
                &app.admin(),
                &meeting("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a75", "2022-01-01", &[]),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN, "auth.role_required").await;
        assert_eq!(app.log_length().await, before);
    }
);

both_backends!(
    learning_events_report_kinds_evaluations_and_themes,
    |app: TestApp| async move {
        let bm = app.business_manager();
        theme(
            &app,
            &bm,
            "professional-curiosity",
            "Professional curiosity",
        )
        .await;
        let event = json!({
            "kind": "shared_learning_event", "topic": "  Professional curiosity  ",
            "held_on": "2022-02-01",
            "attendance": [{"organisation": "southend-schools", "people": 40},
                           {"organisation": "essex-police", "people": 12}],
            "attendees": ["e-20017", "e-20018"],
            "evaluation": {"responses_by_score": [0, 1, 3, 10, 6]},
            "themes": ["professional-curiosity"]
        });
        let response = app.post("/v1/learning-events", &bm, &event).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let training = json!({"kind": "training", "topic": "Neglect toolkit",
            "held_on": "2021-11-15", "attendance": [{"organisation": "suhft", "people": 15}]});
        app.post_ok("/v1/learning-events", &bm, &training).await;
        let listed = app
            .get_ok(
                "/v1/learning-events?financial_year=2021-22",
                &app.token("essex-police", &[Role::PartnerDecisionMaker]),
            )
            .await;
        assert_eq!(listed["totals"]["held"], 2);
        assert_eq!(listed["totals"]["attendances"], 67);
        assert_eq!(listed["totals"]["organisations"], 3);
        assert_eq!(listed["totals"]["people_named"], 2);
        assert_eq!(
            listed["by_kind"],
            json!([{"kind": "shared_learning_event", "held": 1}, {"kind": "training", "held": 1}])
        );
        let shared = &listed["learning_events"][0];
        assert_eq!(shared["topic"], "Professional curiosity", "trimmed");
        // (2 + 9 + 40 + 30) / 20 = 4.05, to one decimal 4.1.
        assert_eq!(shared["evaluation"]["responses"], 20);
        assert_eq!(shared["evaluation"]["average_score"], 4.1);
        let themes = app.get_ok("/v1/themes", &bm).await;
        assert_eq!(
            themes["themes"][0]["by_year"],
            json!([{"financial_year": "2021-22", "reviews": 0, "recommendations": 0,
                    "learning_events": 1, "audits": 0}])
        );
        let mut overrated = event.clone();
        overrated["evaluation"] = json!({"responses_by_score": [0, 0, 0, 0, 53]});
        let response = app.post("/v1/learning-events", &bm, &overrated).await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY, "field.invalid").await;
        let mut unthemed = event;
        unthemed["themes"] = json!(["neglect"]);
        let response = app.post("/v1/learning-events", &bm, &unthemed).await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY, "theme.unknown").await;
    }
);

both_backends!(
    the_budget_adds_up_contributions_in_money_and_in_kind_and_spending_by_category,
    |app: TestApp| async move {
        let bm = app.business_manager();
        let path = "/v1/budget/2021-22";
        for (organisation, pence, in_kind) in [
            ("southend-council", 15_000_000, false),
            ("essex-police", 8_271_600, false),
            ("southend-ccg", 6_924_000, true),
        ] {
            let body = json!({"organisation": organisation, "amount_pence": pence,
                              "in_kind": in_kind});
            let response = app.post(&format!("{path}/contributions"), &bm, &body).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            assert_eq!(response.headers()["location"], path);
        }
        // Time travel: the budget as recorded before the spending.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let between = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        for (category, pence) in [
            ("salaries", 21_351_600),
            ("events", 1_000_000),
            ("events", 920_000),
        ] {
            let body = json!({"category": category, "amount_pence": pence});
            app.post_ok(&format!("{path}/spending"), &bm, &body).await;
        }
        // Another year's line is not this year's.
        app.post_ok(
            "/v1/budget/2022-23/spending",
            &bm,
            &json!({"category": "salaries", "amount_pence": 100}),
        )
        .await;
        // The partnership's own money: any member reads it.
        let agency = app.token("savs", &[Role::AgencyUser]);
        let budget = app.get_ok(path, &agency).await;
        assert_eq!(
            budget["totals"],
            json!({"contributions_pence": 23_271_600, "in_kind_pence": 6_924_000,
                   "spending_pence": 23_271_600,
                   "by_category": [{"category": "salaries", "amount_pence": 21_351_600},
                                   {"category": "events", "amount_pence": 1_920_000}]}),
            "{budget}"
        );
        assert_eq!(budget["contributions"].as_array().unwrap().len(), 3);
        assert_eq!(budget["spending"][0]["category"], "salaries");
        let as_of = between.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let then = app.get_ok(&format!("{path}?as_of={as_of}"), &agency).await;
        assert_eq!(then["totals"]["spending_pence"], 0, "{then}");
        assert_eq!(then["totals"]["contributions_pence"], 23_271_600);
        let response = app
            .get(&format!("{path}?as_of=1989-12-31T00:00:00Z"), &agency)
            .await;
        problem(
            response,
            StatusCode::BAD_REQUEST,
            "calendar.date_out_of_range",
        )
        .await;

        let before = app.log_length().await;
        for (body, code) in [
            (
                json!({"organisation": "met-police", "amount_pence": 1}),
                "organisation.unknown",
            ),
            (
                json!({"organisation": "essex-police", "amount_pence": 0}),
                "field.invalid",
            ),
        ] {
            let response = app.post(&format!("{path}/contributions"), &bm, &body).await;
            problem(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        }
        let response = app
            .post(
                "/v1/budget/1989-90/spending",
                &bm,
                &json!({"category": "salaries", "amount_pence": 1}),
            )
            .await;
        problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "calendar.date_out_of_range",
        )
        .await;
        let response = app
            .post(
                "/v1/budget/2021/spending",
                &bm,
                &json!({"category": "salaries", "amount_pence": 1}),
            )
            .await;
        problem(response, StatusCode::BAD_REQUEST, "financial_year.invalid").await;
        assert_eq!(app.log_length().await, before);
    }
);
