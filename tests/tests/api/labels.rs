//! Labels of every enum value, in English and Welsh, chosen by `lang` or `Accept-Language`.

use casetrail_tests::{TestApp, both_backends, problem};
use reqwest::StatusCode;
use serde_json::Value;

async fn labels(app: &TestApp, query: &str, accept_language: Option<&str>) -> (String, Value) {
    let mut request = app
        .client
        .get(format!("{}/v1/labels{query}", app.address))
        .bearer_auth(app.business_manager());
    if let Some(languages) = accept_language {
        request = request.header("Accept-Language", languages);
    }
    let answer = request.send().await.unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "{query} {accept_language:?}"
    );
    let language = answer
        .headers()
        .get("content-language")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    (language, answer.json().await.unwrap())
}

/// Every enum of the served document but the problem codes, by schema name, with its values.
fn enums(value: &Value, path: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::Array(values)) = fields.get("enum")
                && !path.ends_with("/properties/code")
            {
                // The integration events' types are labelled together (docs/integration.md).
                let event_type = path.starts_with("/components/schemas/IntegrationEvent/oneOf/")
                    && path.ends_with("/properties/type");
                // So are the kinds of what a theme tags or a meeting discussed.
                let subject_kind = path.starts_with("/components/schemas/Subject/oneOf/")
                    && path.ends_with("/properties/kind");
                let name = if event_type {
                    "IntegrationEventType"
                } else if subject_kind {
                    "SubjectKind"
                } else {
                    path.trim_start_matches("/components/schemas/")
                };
                for value in values {
                    found.push((name.to_owned(), value.as_str().unwrap().to_owned()));
                }
            }
            for (key, field) in fields {
                enums(field, &format!("{path}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                enums(item, &format!("{path}/{n}"), found);
            }
        }
        _ => {}
    }
}

both_backends!(
    every_enum_value_has_an_english_and_a_welsh_label,
    |app: TestApp| async move {
        let (language, english) = labels(&app, "", None).await;
        assert_eq!(language, "en");
        assert_eq!(english["lang"], "en");
        assert_eq!(english["reviewed"], true);
        assert_eq!(english["labels"]["DeadlineStatus"]["breached"], "Breached");

        let (language, welsh) = labels(&app, "?lang=cy", None).await;
        assert_eq!(language, "cy");
        assert_eq!(welsh["reviewed"], false, "awaiting a translator's review");
        assert!(welsh["note"].as_str().unwrap().contains("translator"));
        assert_eq!(welsh["labels"]["CaseKind"]["child"], "Achos diogelu plant");

        let mut found = Vec::new();
        enums(&app.served_openapi().await, "", &mut found);
        assert!(found.len() > 200, "{}", found.len());
        for (name, value) in found {
            for labels in [&english, &welsh] {
                let label = &labels["labels"][&name][&value];
                assert!(
                    label.as_str().is_some_and(|l| !l.trim().is_empty()),
                    "{}: no label for {name}.{value}",
                    labels["lang"]
                );
            }
        }

        // Accept-Language, by quality; `lang` wins over it.
        for (header, expected) in [
            ("cy-GB,cy;q=0.9,en;q=0.8", "cy"),
            ("en-GB,cy;q=0.5", "en"),
            ("fr-FR, cy;q=0.3", "cy"),
            ("de", "en"),
        ] {
            let (language, body) = labels(&app, "", Some(header)).await;
            assert_eq!(
                (language.as_str(), &body["lang"]),
                (expected, &Value::from(expected))
            );
        }
        let (language, _) = labels(&app, "?lang=en", Some("cy")).await;
        assert_eq!(language, "en");

        let refused = problem(
            app.get("/v1/labels?lang=fr", &app.business_manager()).await,
            StatusCode::BAD_REQUEST,
            "query.invalid",
        )
        .await;
        assert_eq!(refused["errors"][0]["parameter"], "lang", "{refused}");
        let anonymous = app
            .client
            .get(format!("{}/v1/labels", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
);
