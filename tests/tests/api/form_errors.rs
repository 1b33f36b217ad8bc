//! A refused body or query string names every field or parameter at fault at once, each with
//! a JSON pointer (body) or the parameter's name (query), never its value.

use casetrail_tests::{TestApp, both_backends, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn named(problem: &Value, key: &str) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap_or_default().to_owned())
        .collect()
}

both_backends!(
    every_invalid_field_and_parameter_is_named_at_once,
    |app: TestApp| async move {
        let log = app.log_length().await;
        // Two fields missing, one malformed, one unknown, one enum value unknown, a blank text.
        let mut body = notification();
        let child = body["child"].as_object_mut().unwrap();
        child.remove("sex");
        child.insert("favourite_colour".into(), json!("blue"));
        let fields = body.as_object_mut().unwrap();
        fields.remove("location_basis");
        fields.insert("incident_date".into(), json!("the week before Christmas"));
        fields.insert("harm".into(), json!("Alex's broken arm"));
        fields.insert("summary".into(), json!("  "));
        let refused = problem(
            app.notify(&body).await,
            StatusCode::BAD_REQUEST,
            "body.invalid",
        )
        .await;
        let mut pointers = named(&refused, "pointer");
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/child/favourite_colour",
                "/child/sex",
                "/harm",
                "/incident_date",
                "/location_basis",
                "/summary"
            ],
            "{refused}"
        );
        let text = refused.to_string();
        assert!(!text.contains("Alex") && !text.contains("blue") && !text.contains("Christmas"));
        assert_eq!(app.log_length().await, log, "nothing recorded");

        // A body that parses, with several texts breaking the rules: 422 naming each.
        let mut body = notification();
        body["child"]["reference"] = json!("SBC\u{202E}1");
        body["child"]["ethnicity"] = json!("x".repeat(101));
        body["summary"] = json!("bell\u{7}");
        let answer = app.notify(&body).await;
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = answer.json().await.unwrap();
        // The problem's code is its first field's.
        assert_eq!(refused["code"], refused["errors"][0]["code"], "{refused}");
        let mut pointers = named(&refused, "pointer");
        pointers.sort();
        assert_eq!(
            pointers,
            ["/child/ethnicity", "/child/reference", "/summary"],
            "{refused}"
        );

        // A well-formed notification whose dates are each wrong: the domain names all three.
        let mut body = notification();
        body["became_aware_on"] = json!("2099-12-23");
        body["incident_date"] = json!("2099-12-24");
        body["child"]["date_of_birth"] = json!("2016-03-01");
        let answer = app.notify(&body).await;
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = answer.json().await.unwrap();
        assert_eq!(
            named(&refused, "pointer"),
            ["/became_aware_on", "/incident_date"],
            "{refused}"
        );

        // Query strings: each parameter at fault, by name.
        let manager = app.business_manager();
        let refused = problem(
            app.get(
                "/v1/cases?limit=0&sort=sideways&kind=teen&cursor=xyz&organisation=No%20Slug",
                &manager,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
        let mut parameters = named(&refused, "parameter");
        parameters.sort();
        assert_eq!(
            parameters,
            ["cursor", "kind", "limit", "organisation", "sort"],
            "{refused}"
        );
        assert!(refused["errors"][0].get("pointer").is_none());
        let refused = problem(
            app.get(
                "/v1/audit-trail?limit=0&command=submit_agency_report&organisation=No%20Slug",
                &manager,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "query.invalid_limit",
        )
        .await;
        let mut parameters = named(&refused, "parameter");
        parameters.sort();
        assert_eq!(
            parameters,
            ["command", "limit", "organisation"],
            "{refused}"
        );
        let refused = problem(
            app.get("/v1/deadlines?limit=many&as_of=soon&colour=red", &manager)
                .await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
        let mut parameters = named(&refused, "parameter");
        parameters.sort();
        assert_eq!(parameters, ["as_of", "colour", "limit"], "{refused}");
    }
);
