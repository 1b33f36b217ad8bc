//! What the reliability tests share besides the harness (`casetrail_tests`): a case ready for
//! recommendations, reads pinned to one instant, and the operations of the served OpenAPI
//! document.

use casetrail_domain::Role;
use casetrail_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An instant after every write of a test: reads `as_of` it answer what the read model holds,
/// with deadline statuses that cannot move between two reads.
pub fn pinned_instant() -> String {
    (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A safeguarding adult review, referred, decided and commissioned: it takes recommendations,
/// pauses and resumptions, any number of times. Returns the case id.
pub async fn commissioned_review(app: &TestApp) -> String {
    let referrer = app.token("eput", &[Role::AgencyUser]);
    let referral = json!({
        "adult": {"reference": "RACE-SA-1", "given_name": "Test", "family_name": "Person",
                  "date_of_birth": "1950-05-01", "sex": "male", "ethnicity": "White Other"},
        "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "known",
        "serious_abuse_or_neglect": true, "abuse_or_neglect_date": "2022-12-20",
        "joint_working_concern": true, "concerns": "Fictional test concerns."
    });
    let opened = app
        .post_ok("/v1/cases/sar-referrals", &referrer, &referral)
        .await;
    let case_id = opened["case_id"].as_str().unwrap().to_owned();
    let partner = app.token("essex-police", &[Role::PartnerDecisionMaker]);
    let decision = json!({"decision": "mandatory", "rationale": "The criteria are met."});
    app.post_ok(
        &format!("/v1/cases/{case_id}/sar-decision"),
        &partner,
        &decision,
    )
    .await;
    let commission = json!({"reviewer": "Independent Reviewer", "terms_of_reference": "Test."});
    app.post_ok(
        &format!("/v1/cases/{case_id}/sar-commission"),
        &app.business_manager(),
        &commission,
    )
    .await;
    case_id
}

/// A recommendation with its own id, owned by the hospital.
pub fn recommendation(id: uuid::Uuid) -> Value {
    json!({"recommendation_id": id, "text": format!("Recommendation {id}"), "owner": "suhft",
           "due_on": "2027-06-30"})
}

/// The case's detail as the read model answers it at `as_of`.
pub async fn case_detail(app: &TestApp, case_id: &str, as_of: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/cases/{case_id}?as_of={as_of}"),
            &app.business_manager(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// One operation of the OpenAPI document the server serves.
#[derive(Debug)]
pub struct Operation {
    pub method: reqwest::Method,
    pub path: String,
    pub operation_id: String,
    /// The request body's documented example, for commands.
    pub example: Option<Value>,
}

/// Every operation of `GET /openapi.json`, with its request example.
pub async fn served_operations(app: &TestApp) -> Vec<Operation> {
    let document = app.served_openapi().await;
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<reqwest::Method>() else {
                continue;
            };
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let example = schema["$ref"].as_str().map(|reference| {
                let name = reference.rsplit('/').next().unwrap();
                document["components"]["schemas"][name]["example"].clone()
            });
            operations.push(Operation {
                method,
                path: path.clone(),
                operation_id: operation["operationId"].as_str().unwrap().to_owned(),
                example,
            });
        }
    }
    operations
}

impl Operation {
    /// Sends the operation with its example body (none for queries).
    pub async fn send(&self, app: &TestApp, path: &str, token: &str) -> reqwest::Response {
        let request = app
            .client
            .request(self.method.clone(), format!("{}{path}", app.address))
            .bearer_auth(token);
        let request = match &self.example {
            Some(body) => request.json(body),
            None => request,
        };
        request.send().await.unwrap()
    }
}
