//! What HTTP tests share about requests and answers: the worked example's notification, a
//! case's deadline, and the problem+json every refusal is.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// A valid notification (the worked example of domain.md).
pub fn notification() -> Value {
    json!({
        "child": {
            "reference": "SBC-2022-0412",
            "given_name": "Alex", "family_name": "Smith", "date_of_birth": "2016-03-01",
            "sex": "female", "ethnicity": "White British", "looked_after": false,
            "child_protection_plan": true
        },
        "incident_date": "2022-12-20",
        "became_aware_on": "2022-12-22",
        "harm": "serious_harm",
        "abuse_or_neglect": "suspected",
        "location_basis": "in_area",
        "summary": "Admitted to hospital with unexplained injuries.",
        // Tests open many cases from this one example: each is declared another incident
        // (`lists::a_repeated_notification_is_held_back_until_confirmed` tests the check).
        "allow_duplicate": true
    })
}

/// The case's deadline of `kind` (the first, for kinds with one per organisation).
pub fn deadline<'a>(case: &'a Value, kind: &str) -> &'a Value {
    case["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} deadline in {case}"))
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{body}"
    );
    body
}

/// The status and problem code of a response (an empty code when it is not a problem).
pub async fn answer(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}
