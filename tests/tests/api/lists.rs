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
