//! The committed OpenAPI document is the one the code generates, and it documents every
//! operation fully: partner systems and front-end teams read it first.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");

#[test]
fn committed_openapi_matches_the_code() {
    let generated = casetrail_api::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is out of date; regenerate it with \
         `UPDATE_OPENAPI=1 cargo test -p casetrail-api --test openapi`"
    );
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling {reference}"))
        }
        None => value,
    }
}

fn has_example(doc: &Value, media: &Value) -> bool {
    media.get("example").is_some()
        || media.get("examples").is_some()
        || media
            .get("schema")
            .map(|schema| resolve(doc, schema))
            .is_some_and(|schema| schema.get("example").is_some())
}

#[test]
fn every_operation_is_documented_with_examples() {
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 8);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && id.chars().next().unwrap().is_uppercase(),
                "{name}: operationId"
            );
            assert!(operation["summary"].is_string(), "{name}: summary");
            if path.starts_with("/v1/") {
                assert!(operation["description"].is_string(), "{name}: description");
                assert!(operation["security"].is_array(), "{name}: security");
                assert!(operation["responses"]["401"].is_object(), "{name}: 401");
            }
            if let Some(body) = operation.get("requestBody") {
                let media = &body["content"]["application/json"];
                assert!(has_example(&doc, media), "{name}: request example");
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                let response = resolve(&doc, response);
                assert!(
                    response["description"].is_string(),
                    "{name} {status}: description"
                );
                if status == "204" {
                    assert!(response.get("content").is_none(), "{name} 204 with content");
                    continue;
                }
                let content = response["content"].as_object();
                if status == "304" {
                    // Not modified: no body, by definition.
                    assert!(content.is_none(), "{name} 304: content");
                    continue;
                }
                let content = content.unwrap_or_else(|| panic!("{name} {status}: no content"));
                for (media_type, media) in content {
                    assert!(
                        has_example(&doc, media),
                        "{name} {status} {media_type}: example"
                    );
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(media_type, "application/problem+json", "{name} {status}");
                    }
                }
            }
        }
    }
}

#[test]
fn every_response_declares_the_request_id_and_probes_need_no_token() {
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    assert_eq!(doc["servers"][0]["url"], "/");
    assert_eq!(doc["info"]["license"]["identifier"], "AGPL-3.0-only");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let response = resolve(&doc, response);
                assert!(
                    response["headers"]["x-request-id"].is_object(),
                    "{method} {path} {status}: x-request-id"
                );
            }
            let open = path.starts_with("/health/");
            assert_eq!(
                operation["security"].as_array().is_some_and(Vec::is_empty),
                open,
                "{method} {path}: security"
            );
        }
    }
}

/// The statuses each operation listed when every route attribute still spelled them out.
const STATUSES_BEFORE: &str = include_str!("fixtures/openapi_statuses_before_issue13.json");

#[test]
fn every_operation_still_lists_every_status_it_listed_before() {
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    let before: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(STATUSES_BEFORE).unwrap();
    let mut now = std::collections::BTreeMap::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            let statuses: Vec<String> = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            now.insert(id, statuses);
        }
    }
    for (id, statuses) in &before {
        let listed = now
            .get(id)
            .unwrap_or_else(|| panic!("{id}: the operation is gone"));
        for status in statuses {
            assert!(
                listed.contains(status),
                "{id}: {status} is no longer listed"
            );
        }
    }
}

#[test]
fn problem_codes_are_documented_as_an_enum_of_the_catalogue() {
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    let catalogue: Vec<&str> = casetrail_api::problem_codes::CATALOGUE
        .iter()
        .map(|entry| entry.code)
        .collect();
    for schema in ["Problem", "ProblemField"] {
        let code = &doc["components"]["schemas"][schema]["properties"]["code"];
        assert_eq!(code["type"], "string", "{schema}.code stays a string");
        let documented: Vec<&str> = code["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema}.code: no enum"))
            .iter()
            .map(|value| value.as_str().unwrap())
            .collect();
        assert_eq!(documented, catalogue, "{schema}.code");
    }
}

fn enum_values<'a>(doc: &'a Value, schema: &str) -> Vec<&'a str> {
    doc["components"]["schemas"][schema]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{schema}: no enum"))
        .iter()
        .map(|value| value.as_str().unwrap())
        .collect()
}

#[test]
fn command_names_are_the_commands_of_the_document() {
    use casetrail_domain::deadline::DeadlineKind;
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    let names = enum_values(&doc, "CommandName");
    let mut commands = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        // Webhook subscriptions are delivery settings of a partner's system, not facts of the
        // process: their POSTs record no event.
        if path.starts_with("/v1/webhook-subscriptions") {
            continue;
        }
        if let Some(post) = item.get("post") {
            commands.push(post["operationId"].as_str().unwrap());
        }
    }
    for command in &commands {
        assert!(names.contains(command), "{command} is not a CommandName");
    }
    for name in &names {
        // The system alone sets a partnership up, from its seeds: no endpoint sends it.
        let system = *name == "EstablishPartnership";
        assert!(system || commands.contains(name), "{name} is no command");
    }
    for value in enum_values(&doc, "DeadlineKind") {
        let kind: DeadlineKind = serde_json::from_value(Value::from(value)).unwrap();
        assert!(names.contains(&kind.fulfilled_by()), "{value}");
    }
}

#[test]
fn the_names_the_views_write_are_the_documented_enum_values() {
    use casetrail_domain::Role;
    use casetrail_domain::deadline::DeadlineKind;
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    // Views write these with `as_str`; the schemas list the serde names.
    let kinds = enum_values(&doc, "DeadlineKind");
    for &value in &kinds {
        let kind: DeadlineKind = serde_json::from_value(Value::from(value)).unwrap();
        assert_eq!(kind.as_str(), value);
        assert_eq!(DeadlineKind::parse(value), Some(kind), "{value}");
    }
    // Every kind is in `ALL`: the list's filter by kind finds a kind there.
    assert_eq!(kinds.len(), DeadlineKind::ALL.len());
    let roles = enum_values(&doc, "Role");
    assert_eq!(roles.len(), Role::ALL.len());
    for role in Role::ALL {
        assert!(roles.contains(&role.as_str()), "{}", role.as_str());
    }
}

/// Every case command declared in the domain has its operation, and that operation says who
/// may send it in the declaration's words: the document and the decider read one table.
#[test]
fn every_declared_command_is_an_operation_that_names_who_may_send_it() {
    let doc: Value = serde_json::from_str(&casetrail_api::openapi::document_json()).unwrap();
    let operations: Vec<&Value> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .collect();
    for rule in casetrail_domain::case::policy::RULES {
        let operation = operations
            .iter()
            .find(|op| op["operationId"] == rule.name)
            .unwrap_or_else(|| panic!("{} is declared but has no operation", rule.name));
        let description = operation["description"].as_str().unwrap_or_default();
        let who = description
            .split("**Who may send it**")
            .nth(1)
            .unwrap_or_else(|| panic!("{} does not say who may send it", rule.name));
        for role in rule.roles {
            assert!(
                who.contains(&format!("`{}`", role.as_str())),
                "{}: {role:?} missing",
                rule.name
            );
        }
        assert!(who.contains(rule.organisation.describe()), "{}", rule.name);
    }
}
