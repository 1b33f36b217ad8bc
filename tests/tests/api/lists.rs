//! List ergonomics: finding a case by the pseudonymous reference of its child, adult or victim.

use casetrail_domain::Role;
use casetrail_tests::{TestApp, both_backends, notification};
use reqwest::StatusCode;
use serde_json::Value;

async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let answer = app
        .get(&format!("/v1/cases?limit=500&{query}"), token)
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let page: Value = answer.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

both_backends!(
    a_case_is_found_by_its_exact_reference_within_what_the_caller_sees,
    |app: TestApp| async move {
        let mut ids = Vec::new();
        for reference in ["SBC-2023-0101", "SBC-2023-0102"] {
            let mut body = notification();
            body["child"]["reference"] = reference.into();
            let accepted: Value = app.notify(&body).await.json().await.unwrap();
            ids.push(accepted["case_id"].clone());
        }
        let manager = app.business_manager();
        let found = listed(&app, &manager, "reference=SBC-2023-0102").await;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0]["case_id"], ids[1]);
        assert_eq!(found[0]["reference"], "SBC-2023-0102");
        // Exact: neither a prefix nor another case nor other letters match.
        for near in ["SBC-2023-01", "sbc-2023-0102", "SBC-2023-0102%20"] {
            assert_eq!(
                listed(&app, &manager, &format!("reference={near}")).await,
                Vec::<Value>::new(),
                "{near}"
            );
        }
        // An agency not involved in the case finds nothing, as in the list without the filter.
        let school = app.token("southend-schools", &[Role::AgencyUser]);
        assert_eq!(
            listed(&app, &school, "reference=SBC-2023-0102").await,
            Vec::<Value>::new()
        );
    }
);

both_backends!(
    a_repeated_notification_is_held_back_until_confirmed,
    |app: TestApp| async move {
        let mut first = notification();
        first.as_object_mut().unwrap().remove("allow_duplicate");
        let opened: Value = app.notify(&first).await.json().await.unwrap();
        let before = app.log_length().await;
        // The same child and incident date: 409 naming the open case, nothing recorded.
        let problem = casetrail_tests::problem(
            app.notify(&first).await,
            StatusCode::CONFLICT,
            "case.possible_duplicate",
        )
        .await;
        assert_eq!(problem["existing_case_id"], opened["case_id"], "{problem}");
        assert!(
            !problem.to_string().contains("Alex"),
            "no personal data: {problem}"
        );
        assert_eq!(app.log_length().await, before);
        // Another incident date, or another child, is no duplicate.
        let mut other_day = first.clone();
        other_day["incident_date"] = "2022-12-21".into();
        assert_eq!(app.notify(&other_day).await.status(), StatusCode::CREATED);
        let mut other_child = first.clone();
        other_child["child"]["reference"] = "SBC-2022-0999".into();
        assert_eq!(app.notify(&other_child).await.status(), StatusCode::CREATED);
        // Confirmed as another incident on the same day: opened.
        let mut confirmed = first.clone();
        confirmed["allow_duplicate"] = true.into();
        assert_eq!(app.notify(&confirmed).await.status(), StatusCode::CREATED);
    }
);
