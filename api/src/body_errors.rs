//! Every field of a JSON body that does not fit its command, not only the first.
//!
//! serde stops at the first error. To name the others, a copy of the body is repaired where
//! serde stopped (an unknown field taken out, a missing or malformed one given a stand-in value
//! of the kind the error says it expects) and parsed again, until it parses or nothing more can
//! be repaired. The repaired copy is only ever used to find errors: the command is refused,
//! and nothing of it reaches the domain. Messages name fields, never values (which may be
//! personal data).

use crate::problem::ProblemField;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Enough for any command's fields; bounds the work a hostile body can cause.
const MAX_REPAIRS: usize = 64;

/// One field at fault, by its path as serde_path_to_error writes it (`child.sex`, `owners[1]`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fault {
    path: String,
    message: String,
}

/// Every field of `body` at fault for `T`, starting from serde's first error.
pub fn every_fault<T: DeserializeOwned>(
    body: &Value,
    first: serde_path_to_error::Error<serde_json::Error>,
) -> Vec<ProblemField> {
    // Every command's body is an object; serde would read an array as a struct's fields in
    // order, and name its items, which means nothing to a client.
    if !body.is_object() {
        return vec![ProblemField::body(
            "",
            "body.invalid",
            "body: must be a JSON object",
        )];
    }
    let mut copy = body.clone();
    let mut faults: Vec<Fault> = Vec::new();
    let mut error = first;
    // The field being repaired, the stand-ins its first error called for, and how many were
    // tried.
    let mut repairing: Option<(String, Vec<Value>, usize)> = None;
    let mut unknown_fields = 0_usize;
    for _ in 0..MAX_REPAIRS {
        let raw_path = error.path().to_string();
        let message = error.into_inner().to_string();
        let fault = describe(&raw_path, &message);
        let repaired = if message.starts_with("unknown field") {
            // Only the first unknown field is named, with how many more there are: they are an
            // integration's typos, not a form's fields, and a body of thousands of them must
            // not be echoed back. All of them go at once.
            if unknown_fields == 0 {
                faults.push(fault.clone());
            }
            let removed = remove_unknown(&mut copy, &fault.path, &message);
            unknown_fields += removed;
            removed > 0
        } else {
            let (path, stand_ins, tried) = match repairing.take() {
                // The stand-in did not fit either: the next one.
                Some((path, stand_ins, tried)) if path == fault.path => (path, stand_ins, tried),
                _ => {
                    if !faults.iter().any(|f| covers(&f.path, &fault.path)) {
                        faults.push(fault.clone());
                    }
                    (fault.path, stand_ins_for(&message), 0)
                }
            };
            let repaired = put(&mut copy, &path, stand_ins.get(tried));
            repairing = Some((path, stand_ins, tried + 1));
            repaired
        };
        if !repaired {
            break;
        }
        match serde_path_to_error::deserialize::<_, T>(&copy) {
            Ok(_) => break,
            Err(next) => error = next,
        }
    }
    if unknown_fields > 1
        && let Some(first) = faults.iter_mut().find(|f| f.message.ends_with(NOT_A_FIELD))
    {
        first.message = format!(
            "{} (and {} more unknown fields)",
            first.message,
            unknown_fields - 1
        );
    }
    faults
        .into_iter()
        .map(|fault| ProblemField::body(&fault.path, "body.invalid", fault.message))
        .collect()
}

/// How the message of an unknown field ends.
const NOT_A_FIELD: &str = "is not a field of this body";

/// A field already at fault covers itself and everything inside it.
fn covers(outer: &str, inner: &str) -> bool {
    inner == outer
        || (inner.starts_with(outer)
            && matches!(inner.as_bytes().get(outer.len()), Some(b'.' | b'[')))
}

/// Where serde's error is, as a field path, and what to tell the client.
fn describe(path: &str, message: &str) -> Fault {
    let path = if path == "." { "" } else { path };
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = quoted_after(message, "missing field ") {
        let field = join(&name);
        return Fault {
            message: format!("{field} is required"),
            path: field,
        };
    }
    if let Some(name) = quoted_after(message, "unknown field ") {
        // The path may already end at the unknown key.
        let field = if path.rsplit('.').next() == Some(name.as_str()) {
            path.to_owned()
        } else {
            join(&name)
        };
        return Fault {
            message: format!("{field} {NOT_A_FIELD}"),
            path: field,
        };
    }
    let shown = if path.is_empty() { "body" } else { path };
    Fault {
        path: path.to_owned(),
        message: format!("{shown}: {}", crate::extract::scrub(message)),
    }
}

/// The name in backquotes after `prefix` (serde writes "missing field `name`").
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    Some(rest.split('`').next()?.to_owned())
}

/// Puts the stand-in at `path`; false when there is none left to try, or no place for it.
fn put(body: &mut Value, path: &str, stand_in: Option<&Value>) -> bool {
    let (Some(stand_in), false) = (stand_in, path.is_empty()) else {
        return false;
    };
    let (parent, last) = split_last(path);
    match (locate(body, &parent), last) {
        (Some(Value::Object(fields)), Step::Key(key)) => {
            fields.insert(key, stand_in.clone());
            true
        }
        (Some(Value::Array(items)), Step::Index(index)) if index < items.len() => {
            items[index] = stand_in.clone();
            true
        }
        _ => false,
    }
}

/// Takes the unknown field at `path` out of its object, with every other key of that object
/// that serde's message does not list among the expected ones; how many were taken out.
fn remove_unknown(body: &mut Value, path: &str, message: &str) -> usize {
    let (parent, last) = split_last(path);
    let Some(Value::Object(fields)) = locate(body, &parent) else {
        return 0;
    };
    let expected: Vec<String> = message
        .split_once("expected one of ")
        .map(|(_, names)| {
            names
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let before = fields.len();
    if expected.is_empty() {
        if let Step::Key(key) = last {
            fields.remove(&key);
        }
    } else {
        fields.retain(|key, _| expected.contains(key));
    }
    before - fields.len()
}

/// Values of every kind a field may expect, the one the message asks for first.
fn stand_ins_for(message: &str) -> Vec<Value> {
    let mut values = Vec::new();
    if let Some(variant) = quoted_after_text(message, "expected one of ")
        .or_else(|| quoted_after_text(message, "expected "))
    {
        values.push(Value::String(variant));
    }
    values.extend([
        Value::String("x".to_owned()),
        Value::from(1),
        Value::Bool(true),
        Value::Array(Vec::new()),
        Value::Object(serde_json::Map::new()),
        Value::String("2000-01-03".to_owned()),
        Value::String("2000-01-03T12:00:00Z".to_owned()),
        Value::String("00000000-0000-7000-8000-000000000000".to_owned()),
    ]);
    values
}

/// The first backquoted word after `marker` anywhere in the message.
fn quoted_after_text(message: &str, marker: &str) -> Option<String> {
    let at = message.find(marker)?;
    quoted_after(&message[at..], marker)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `child.sex` as [Key(child), Key(sex)]; `owners[1]` as [Key(owners), Index(1)].
fn steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            steps.push(Step::Key(name.to_owned()));
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            if let Ok(n) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(n));
            }
        }
    }
    steps
}

fn split_last(path: &str) -> (Vec<Step>, Step) {
    let mut all = steps(path);
    let last = all.pop().unwrap_or(Step::Key(String::new()));
    (all, last)
}

fn locate<'a>(body: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps
        .iter()
        .try_fold(body, |value, step| match (value, step) {
            (Value::Object(fields), Step::Key(key)) => fields.get_mut(key),
            (Value::Array(items), Step::Index(n)) => items.get_mut(*n),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Person {
        reference: String,
        born: chrono::NaiveDate,
        looked_after: bool,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "snake_case")]
    enum Harm {
        Death,
        SeriousHarm,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Notification {
        child: Person,
        harm: Harm,
        owners: Vec<String>,
        count: u32,
        note: Option<String>,
    }

    fn faults(body: Value) -> Vec<(String, Option<String>, String)> {
        let first = serde_path_to_error::deserialize::<_, Notification>(&body)
            .expect_err("the body is invalid");
        every_fault::<Notification>(&body, first)
            .into_iter()
            .map(|f| (f.field, f.pointer, f.message))
            .collect()
    }

    #[test]
    fn every_missing_malformed_or_unknown_field_is_named() {
        let found = faults(json!({
            "child": {"reference": "SBC-1", "born": "not a date", "colour": "blue"},
            "harm": "bruise",
            "owners": ["essex-police", 7],
            "note": null
        }));
        let fields: Vec<&str> = found.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "child.born",
                "child.colour",
                "child.looked_after",
                "harm",
                "owners[1]",
                "count"
            ],
            "{found:?}"
        );
        assert_eq!(found[2].1.as_deref(), Some("/child/looked_after"));
        assert_eq!(found[4].1.as_deref(), Some("/owners/1"));
        assert_eq!(found[2].2, "child.looked_after is required");
        assert_eq!(found[1].2, "child.colour is not a field of this body");
        // No value is repeated back: it may be personal data.
        assert!(
            found
                .iter()
                .all(|(_, _, m)| !m.contains("bruise") && !m.contains("blue"))
        );
    }

    #[test]
    fn the_first_unknown_field_is_named_with_how_many_more() {
        let mut body = json!({"child": {"reference": "SBC-1", "born": "2016-03-01",
            "looked_after": false}, "harm": "death", "owners": [], "count": 1});
        for n in 0..500 {
            body[format!("typo{n}")] = json!(n);
        }
        body["child"]["extra"] = json!(1);
        let found = faults(body);
        // One entry, however many there are: the rest of the body is valid.
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].2.ends_with("(and 500 more unknown fields)"),
            "{found:?}"
        );
    }

    #[test]
    fn a_missing_object_is_named_once_not_with_its_fields() {
        let found = faults(json!({"harm": "death", "owners": [], "count": 1}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "child");
    }

    #[test]
    fn a_body_of_the_wrong_shape_is_one_fault() {
        let found = faults(json!([1, 2]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1.as_deref(), Some(""));
    }
}
