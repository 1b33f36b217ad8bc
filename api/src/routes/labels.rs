//! Human-readable labels for every enumerated value the API answers with (stages, case and
//! deadline kinds, deadline statuses, roles, decisions, commands, ...), in English and Welsh,
//! so that front-ends need not hard-code them. Keyed by the enum's schema name in the OpenAPI
//! document and then by the value; a test fails when a value of the document has no label in
//! either language (`api/labels/*.json`).
//!
//! The Welsh labels were written by the developers, not by a translator: the answer says so
//! (`reviewed: false`) until a Welsh-language translator has reviewed them.

use crate::auth::Authenticated;
use crate::extract::Query;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::{IntoParams, ToSchema};

/// The languages labels are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelLanguage {
    /// English.
    En,
    /// Welsh (Cymraeg).
    Cy,
}

impl LabelLanguage {
    fn code(self) -> &'static str {
        match self {
            LabelLanguage::En => "en",
            LabelLanguage::Cy => "cy",
        }
    }
}

/// Labels by enum and value.
type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// The labels of one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"lang": "cy", "reviewed": false,
    "note": "Welsh labels written by the developers, awaiting review by a Welsh-language translator",
    "labels": {"DeadlineStatus": {"breached": "Wedi'i fethu", "met": "Wedi'i fodloni"},
               "CaseKind": {"child": "Achos diogelu plant"}}}))]
pub struct LabelsView {
    /// The language of the labels.
    pub lang: LabelLanguage,
    /// Whether a translator has reviewed the labels of this language: the Welsh labels await
    /// review by a Welsh-language translator.
    pub reviewed: bool,
    /// What a front-end should know about these labels, if anything.
    pub note: Option<String>,
    /// For each enum of the OpenAPI document (by its schema name, e.g. `DeadlineStatus`), the
    /// label of each of its values.
    #[schema(value_type = BTreeMap<String, BTreeMap<String, String>>)]
    pub labels: Labels,
}

/// Query of the labels.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabelsQuery {
    /// The language: `en` or `cy`. Without it, the first of them in `Accept-Language`;
    /// English when it names neither.
    pub lang: Option<LabelLanguage>,
}

const WELSH_NOTE: &str =
    "Welsh labels written by the developers, awaiting review by a Welsh-language translator";

/// The labels of a language, parsed once.
pub fn labels(lang: LabelLanguage) -> &'static Labels {
    static EN: OnceLock<Labels> = OnceLock::new();
    static CY: OnceLock<Labels> = OnceLock::new();
    let (cell, text) = match lang {
        LabelLanguage::En => (&EN, include_str!("../../labels/en.json")),
        LabelLanguage::Cy => (&CY, include_str!("../../labels/cy.json")),
    };
    // The files are part of the binary and checked by the tests below.
    cell.get_or_init(|| serde_json::from_str(text).expect("api/labels/*.json parse"))
}

/// Reads the labels of every enum value.
#[utoipa::path(
    operation_id = "GetLabels",
    tag = "Review status",
    summary = "Labels of enumerated values",
    description = "A human-readable label, in English or Welsh, for every value of every enum \
the API answers with (its schema name in this document, then the value): stages, case kinds, \
deadline kinds and statuses, roles, decisions, commands and the rest. The language is `lang`, \
else the first of `en` and `cy` in `Accept-Language` (by quality), else English; the answer \
carries `Content-Language`. The Welsh labels await review by a Welsh-language translator: \
`reviewed` is `false` for them.",
    params(LabelsQuery),
    responses(
        (status = 200, description = "The labels.", body = LabelsView,
         headers(("Content-Language" = String, description = "`en` or `cy`"))),
    ),
    security(("bearer" = []))
)]
#[get("/v1/labels")]
pub async fn get_labels(
    req: HttpRequest,
    _: Authenticated,
    query: Query<LabelsQuery>,
) -> HttpResponse {
    let lang = query.lang.unwrap_or_else(|| preferred(&req));
    let reviewed = lang == LabelLanguage::En;
    HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .json(LabelsView {
            lang,
            reviewed,
            note: (!reviewed).then(|| WELSH_NOTE.to_owned()),
            labels: labels(lang).clone(),
        })
}

/// The first of English and Welsh in `Accept-Language`, by quality (RFC 9110 12.5.4);
/// English when it names neither.
fn preferred(req: &HttpRequest) -> LabelLanguage {
    let value = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    from_accept_language(value)
}

fn from_accept_language(value: &str) -> LabelLanguage {
    let mut ranges: Vec<(f32, &str)> = value
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality, tag))
        })
        .collect();
    // Stable: of equal quality, the first listed wins.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges
        .into_iter()
        .find_map(|(_, tag)| {
            let primary = tag.split('-').next().unwrap_or_default();
            if primary.eq_ignore_ascii_case("cy") {
                Some(LabelLanguage::Cy)
            } else if primary.eq_ignore_ascii_case("en") {
                Some(LabelLanguage::En)
            } else {
                None
            }
        })
        .unwrap_or(LabelLanguage::En)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every enum of the document that a front-end may show, by schema name, with its values.
    /// The codes of problems are not labels: each problem carries its own title and detail, and
    /// the codes' meanings are in `docs/problem-codes.md`.
    fn enums_of_the_document() -> BTreeMap<String, Vec<String>> {
        let document = serde_json::to_value(crate::openapi::document()).unwrap_or(Value::Null);
        let mut found = BTreeMap::new();
        collect(&document, "", &mut found);
        found
    }

    fn collect(value: &Value, path: &str, found: &mut BTreeMap<String, Vec<String>>) {
        match value {
            Value::Object(fields) => {
                if let Some(Value::Array(values)) = fields.get("enum") {
                    let problem_code = path.ends_with("/Problem/properties/code")
                        || path.ends_with("/ProblemField/properties/code");
                    if !problem_code {
                        let name = if is_integration_event_type(path) {
                            "IntegrationEventType"
                        } else if is_tag(path, "Subject", "kind") {
                            "SubjectKind"
                        } else {
                            path.strip_prefix("/components/schemas/")
                                .filter(|name| !name.contains('/'))
                                .unwrap_or(path)
                        };
                        let values = values.iter().filter_map(Value::as_str).map(str::to_owned);
                        found.entry(name.to_owned()).or_default().extend(values);
                    }
                }
                for (key, field) in fields {
                    collect(field, &format!("{path}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    collect(item, &format!("{path}/{n}"), found);
                }
            }
            _ => {}
        }
    }

    /// The `type` of one of the integration events (`IntegrationEvent.oneOf[n]`): labelled
    /// together as `IntegrationEventType`.
    fn is_integration_event_type(path: &str) -> bool {
        is_tag(path, "IntegrationEvent", "type")
    }

    /// The tag `field` of one variant of the tagged union `schema` (`schema.oneOf[n]`).
    fn is_tag(path: &str, schema: &str, field: &str) -> bool {
        path.strip_prefix(&format!("/components/schemas/{schema}/oneOf/"))
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(n, rest)| {
                n.bytes().all(|b| b.is_ascii_digit()) && rest == format!("properties/{field}")
            })
    }

    #[test]
    fn every_enum_value_of_the_document_has_a_label_in_each_language() {
        let enums = enums_of_the_document();
        assert!(enums.contains_key("DeadlineStatus") && enums.contains_key("Stage"));
        let mut missing = Vec::new();
        for lang in [LabelLanguage::En, LabelLanguage::Cy] {
            let labels = labels(lang);
            for (name, values) in &enums {
                for value in values {
                    let label = labels.get(name).and_then(|l| l.get(value));
                    if label.is_none_or(|l| l.trim().is_empty()) {
                        // An enum outside components/schemas shows here by its path: give it
                        // a name (derive ToSchema) so that front-ends can find its labels.
                        missing.push(format!("{}: {name}.{value}", lang.code()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no label for:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_label_is_of_a_value_of_the_document() {
        let enums = enums_of_the_document();
        for lang in [LabelLanguage::En, LabelLanguage::Cy] {
            for (name, values) in labels(lang) {
                for value in values.keys() {
                    assert!(
                        enums.get(name).is_some_and(|v| v.contains(value)),
                        "{}: {name}.{value} is in no enum of the document",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn the_language_is_the_first_of_english_and_welsh_by_quality() {
        assert_eq!(from_accept_language(""), LabelLanguage::En);
        assert_eq!(from_accept_language("cy"), LabelLanguage::Cy);
        assert_eq!(from_accept_language("cy-GB, en;q=0.8"), LabelLanguage::Cy);
        assert_eq!(from_accept_language("en-GB,cy;q=0.9"), LabelLanguage::En);
        assert_eq!(
            from_accept_language("fr, en;q=0.5, cy;q=0.7"),
            LabelLanguage::Cy
        );
        assert_eq!(from_accept_language("cy;q=0, de"), LabelLanguage::En);
        assert_eq!(from_accept_language("*"), LabelLanguage::En);
    }
}
