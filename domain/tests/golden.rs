//! Golden fixtures of every stored event shape, and the event catalogue that documents them.
//!
//! `tests/fixtures/events/<EventType>.v<N>.json` holds one row as it is stored: its type, its
//! schema version and its data. Fixtures are written by hand and never regenerated from the
//! code, because their purpose is to catch a change of shape: every stored shape must still
//! decode, and a shape at the current schema version must encode back to exactly the stored
//! data, so a renamed or re-typed field fails here, by name. `docs/events.md` must have one
//! section per event type, with a row for each of its fields.

use casetrail_domain::case::CaseEvent;
use casetrail_domain::codec::{StoredEvent, decode, encode, schema_version, upcast};
use casetrail_domain::learning::LearningEvent;
use casetrail_domain::partnership::PartnershipEvent;
use casetrail_domain::reminders::ReminderEvent;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/events.md");

/// Every stored type name of the event enums.
fn event_types() -> impl Iterator<Item = &'static str> {
    <CaseEvent as StoredEvent>::EVENT_TYPES
        .iter()
        .chain(<PartnershipEvent as StoredEvent>::EVENT_TYPES)
        .chain(<ReminderEvent as StoredEvent>::EVENT_TYPES)
        .chain(<LearningEvent as StoredEvent>::EVENT_TYPES)
        .copied()
}

fn is_known(event_type: &str) -> bool {
    event_types().any(|known| known == event_type)
}

/// One fixture file: a stored row.
#[derive(Debug)]
struct Fixture {
    file: String,
    event_type: String,
    schema_version: i32,
    data: Value,
}

impl Fixture {
    fn label(&self) -> String {
        format!(
            "{} v{} ({})",
            self.event_type, self.schema_version, self.file
        )
    }

    fn is_current(&self) -> bool {
        self.schema_version == schema_version(&self.event_type)
    }
}

/// Every fixture in the directory, read at run time so a new file is picked up without a
/// change here.
fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<_> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|err| panic!("reading {FIXTURES}: {err}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|path| read_fixture(path)).collect()
}

fn read_fixture(path: &Path) -> Fixture {
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("reading {file}: {err}"));
    let row: Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file} is not JSON: {err}"));
    let event_type = row["event_type"]
        .as_str()
        .unwrap_or_else(|| panic!("{file}: `event_type` must be a string"))
        .to_owned();
    let schema_version = row["schema_version"]
        .as_i64()
        .and_then(|v| i32::try_from(v).ok())
        .unwrap_or_else(|| panic!("{file}: `schema_version` must be an integer"));
    let data = row
        .get("data")
        .cloned()
        .unwrap_or_else(|| panic!("{file}: `data` is missing"));
    if let Some(extra) = row.as_object().and_then(|o| {
        o.keys()
            .find(|k| !["event_type", "schema_version", "data"].contains(&k.as_str()))
    }) {
        panic!("{file}: unexpected key `{extra}` (a fixture is event_type, schema_version, data)");
    }
    Fixture {
        file,
        event_type,
        schema_version,
        data,
    }
}

/// A step into JSON data: an object's key or an array's index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A field's path as people write it: `child.age_band`, `attendees[2]`.
fn field_path(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(key) if path.is_empty() => path.push_str(key),
            Step::Key(key) => {
                path.push('.');
                path.push_str(key);
            }
            Step::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        "data".to_owned()
    } else {
        path
    }
}

fn child<'a>(value: &'a Value, step: &Step) -> Option<&'a Value> {
    match step {
        Step::Key(key) => value.get(key.as_str()),
        Step::Index(index) => value.get(*index),
    }
}

fn at<'a>(value: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(value, |node, step| child(node, step))
}

fn at_mut<'a>(value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

fn children(value: &Value) -> Vec<Step> {
    match value {
        Value::Object(map) => map.keys().cloned().map(Step::Key).collect(),
        Value::Array(items) => (0..items.len()).map(Step::Index).collect(),
        _ => Vec::new(),
    }
}

/// Paths of every object in the data, the data itself first.
fn object_paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if value.is_object() {
        out.push(here.clone());
    }
    for step in children(value) {
        if let Some(inner) = child(value, &step) {
            here.push(step);
            object_paths(inner, here, out);
            here.pop();
        }
    }
}

/// Removes one field or item from the data; false when there is nothing there to remove.
fn remove(data: &mut Value, path: &[Step], step: &Step) -> bool {
    match (at_mut(data, path), step) {
        (Some(Value::Object(map)), Step::Key(key)) => map.remove(key).is_some(),
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    }
}

/// The field a decode error comes from, found by changing the data and watching the error.
///
/// A field the code requires and the fixture lacks is named in the error; its object is the
/// one where adding the field changes the error. Any other error comes from a value: serde
/// reports a bad value while it visits the fields, before it checks for missing ones, so only
/// removing the bad field (or the object holding it) changes the error.
fn field_at_fault(data: &Value, error_of: &dyn Fn(&Value) -> Option<String>) -> Option<String> {
    let error = error_of(data)?;
    if let Some(missing) = error
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.split('`').next())
    {
        let mut objects = Vec::new();
        object_paths(data, &mut Vec::new(), &mut objects);
        let found = objects.into_iter().find_map(|mut path| {
            let mut tried = data.clone();
            at_mut(&mut tried, &path)?
                .as_object_mut()?
                .insert(missing.to_owned(), Value::Null);
            (error_of(&tried).as_ref() != Some(&error)).then(|| {
                path.push(Step::Key(missing.to_owned()));
                field_path(&path)
            })
        });
        return found.or_else(|| Some(missing.to_owned()));
    }
    let mut path: Vec<Step> = Vec::new();
    while let Some(step) = children(at(data, &path)?).into_iter().find(|step| {
        let mut pruned = data.clone();
        remove(&mut pruned, &path, step) && error_of(&pruned).as_ref() != Some(&error)
    }) {
        path.push(step);
    }
    (!path.is_empty()).then(|| field_path(&path))
}

/// Every difference between the stored data and what the code writes, one per field.
fn differences(path: &mut Vec<Step>, stored: &Value, written: &Value, out: &mut Vec<String>) {
    match (stored, written) {
        (Value::Object(stored), Value::Object(written)) => {
            for (key, stored_value) in stored {
                path.push(Step::Key(key.clone()));
                match written.get(key) {
                    Some(written_value) => differences(path, stored_value, written_value, out),
                    None => out.push(format!(
                        "field `{}` is stored but the code no longer writes it (renamed or removed?)",
                        field_path(path)
                    )),
                }
                path.pop();
            }
            for (key, written_value) in written {
                if !stored.contains_key(key) {
                    path.push(Step::Key(key.clone()));
                    out.push(format!(
                        "field `{}` is written by the code ({written_value}) but not stored \
                         (renamed or added?)",
                        field_path(path)
                    ));
                    path.pop();
                }
            }
        }
        (Value::Array(stored), Value::Array(written)) if stored.len() == written.len() => {
            for (index, (stored_item, written_item)) in stored.iter().zip(written).enumerate() {
                path.push(Step::Index(index));
                differences(path, stored_item, written_item, out);
                path.pop();
            }
        }
        _ if stored == written => {}
        _ => out.push(format!(
            "field `{}` is stored as {stored} but the code writes {written}",
            field_path(path)
        )),
    }
}

/// What is wrong with a fixture of a type of `E`: nothing when it decodes and, at the current
/// schema version, encodes back to the same type and data.
fn round_trip_failures<E: StoredEvent>(fixture: &Fixture) -> Vec<String> {
    let error_of = |data: &Value| {
        decode::<E>(&fixture.event_type, fixture.schema_version, data)
            .err()
            .map(|err| err.to_string())
    };
    let event = match decode::<E>(&fixture.event_type, fixture.schema_version, &fixture.data) {
        Ok(event) => event,
        Err(err) => {
            let field = field_at_fault(&fixture.data, &error_of)
                .map_or_else(String::new, |field| format!("field `{field}`: "));
            return vec![format!(
                "{}: {field}does not decode: {err}",
                fixture.label()
            )];
        }
    };
    let (event_type, data) = encode(&event);
    if event_type != fixture.event_type {
        return vec![format!(
            "{}: decodes into an event the code stores as {event_type}",
            fixture.label()
        )];
    }
    if !fixture.is_current() {
        // An older shape is upcast on read; decoding it is the contract.
        return Vec::new();
    }
    let mut found = Vec::new();
    differences(&mut Vec::new(), &fixture.data, &data, &mut found);
    found
        .into_iter()
        .map(|difference| format!("{}: {difference}", fixture.label()))
        .collect()
}

#[test]
fn every_fixture_decodes_and_encodes_back_to_its_stored_data() {
    let mut failures = Vec::new();
    for fixture in fixtures() {
        if <CaseEvent as StoredEvent>::EVENT_TYPES.contains(&fixture.event_type.as_str()) {
            failures.extend(round_trip_failures::<CaseEvent>(&fixture));
        } else if <PartnershipEvent as StoredEvent>::EVENT_TYPES
            .contains(&fixture.event_type.as_str())
        {
            failures.extend(round_trip_failures::<PartnershipEvent>(&fixture));
        } else if <ReminderEvent as StoredEvent>::EVENT_TYPES.contains(&fixture.event_type.as_str())
        {
            failures.extend(round_trip_failures::<ReminderEvent>(&fixture));
        } else if <LearningEvent as StoredEvent>::EVENT_TYPES.contains(&fixture.event_type.as_str())
        {
            failures.extend(round_trip_failures::<LearningEvent>(&fixture));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures no longer match the code. A stored shape never changes: if the code changed \
         it, add a schema version and upcast the old shape in codec.rs; never edit an existing \
         fixture to match the code.\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_event_type_has_a_fixture_at_the_current_schema_version() {
    let fixtures = fixtures();
    let missing: Vec<&str> = event_types()
        .filter(|event_type| {
            !fixtures
                .iter()
                .any(|f| f.event_type == *event_type && f.is_current())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no golden fixture at its current schema version for {}: write \
         domain/tests/fixtures/events/<EventType>.v<N>.json by hand, N being \
         codec::schema_version(<EventType>) (fictional data, sealed fields sealed)",
        missing.join(", ")
    );
}

#[test]
fn every_fixture_names_a_known_event_type() {
    let unknown: Vec<String> = fixtures()
        .into_iter()
        .filter(|fixture| !is_known(&fixture.event_type))
        .map(|fixture| fixture.label())
        .collect();
    assert!(
        unknown.is_empty(),
        "fixtures of types no event enum stores (a stored type is never \
         renamed): {}",
        unknown.join(", ")
    );
}

#[test]
fn fixture_files_are_named_after_their_type_and_schema_version() {
    let misnamed: Vec<String> = fixtures()
        .into_iter()
        .filter(|f| f.file != format!("{}.v{}.json", f.event_type, f.schema_version))
        .map(|f| f.label())
        .collect();
    assert!(
        misnamed.is_empty(),
        "a fixture is named <event_type>.v<schema_version>.json: {}",
        misnamed.join(", ")
    );
}

/// The catalogue's `## ` sections: heading and body, ignoring fenced code blocks.
fn catalogue_sections() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(CATALOGUE)
        .unwrap_or_else(|err| panic!("reading docs/events.md: {err}"));
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.trim().to_owned(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line.to_owned());
        }
    }
    sections
}

#[test]
fn the_event_catalogue_has_one_section_per_event_type() {
    let mut headings: BTreeMap<String, usize> = BTreeMap::new();
    for (heading, _) in catalogue_sections() {
        *headings.entry(heading).or_default() += 1;
    }
    let mut failures = Vec::new();
    for event_type in event_types() {
        match headings.get(event_type).copied().unwrap_or(0) {
            1 => {}
            0 => failures.push(format!("no `## {event_type}` section")),
            n => failures.push(format!("`## {event_type}` appears {n} times")),
        }
    }
    for heading in headings.keys().filter(|heading| !is_known(heading)) {
        failures.push(format!("`## {heading}` names no stored event type"));
    }
    assert!(
        failures.is_empty(),
        "docs/events.md is behind the event types:\n{}",
        failures.join("\n")
    );
}

/// The field names in the first column of a section's tables (`| `name` | ...`).
fn documented_fields(body: &[String]) -> Vec<String> {
    body.iter()
        .filter_map(|line| line.trim_start().strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect()
}

fn has_path(data: &Value, path: &str) -> bool {
    path.split('.')
        .try_fold(data, |node, key| node.get(key))
        .is_some()
}

#[test]
fn the_event_catalogue_documents_every_stored_field() {
    // A heading that appears twice is reported by the test above; its fields are not checked.
    let mut sections: BTreeMap<String, Option<Vec<String>>> = BTreeMap::new();
    for (heading, body) in catalogue_sections() {
        sections
            .entry(heading)
            .and_modify(|seen| *seen = None)
            .or_insert(Some(body));
    }
    let mut failures = Vec::new();
    for fixture in fixtures().iter().filter(|f| f.is_current()) {
        let Some(Some(body)) = sections.get(&fixture.event_type) else {
            continue;
        };
        let documented = documented_fields(body);
        for field in fixture.data.as_object().into_iter().flat_map(|o| o.keys()) {
            if !documented.contains(field) {
                failures.push(format!(
                    "## {}: field `{field}` has no row",
                    fixture.event_type
                ));
            }
        }
        for field in documented.iter().filter(|f| !has_path(&fixture.data, f)) {
            failures.push(format!(
                "## {}: field `{field}` is documented but not stored (see {})",
                fixture.event_type, fixture.file
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "docs/events.md does not match the stored fields:\n{}",
        failures.join("\n")
    );
}

/// An older shape, upcast, must be exactly a shape the current code writes: nothing left over
/// from the old version, nothing missing from the new one.
fn upcast_failures<E: StoredEvent>(fixture: &Fixture) -> Vec<String> {
    let upcast = match upcast(&fixture.event_type, fixture.schema_version, &fixture.data) {
        Ok(data) => data.into_owned(),
        Err(err) => return vec![format!("{}: {err}", fixture.label())],
    };
    let current = schema_version(&fixture.event_type);
    let written = match decode::<E>(&fixture.event_type, current, &upcast) {
        Ok(event) => encode(&event).1,
        Err(err) => {
            return vec![format!(
                "{}: upcast to v{current}, does not decode: {err}",
                fixture.label()
            )];
        }
    };
    let mut found = Vec::new();
    differences(&mut Vec::new(), &upcast, &written, &mut found);
    found
        .into_iter()
        .map(|difference| format!("{} upcast to v{current}: {difference}", fixture.label()))
        .collect()
}

#[test]
fn every_older_shape_upcasts_to_exactly_the_current_shape() {
    let mut failures = Vec::new();
    let mut older = 0;
    for fixture in fixtures().iter().filter(|f| !f.is_current()) {
        older += 1;
        if <CaseEvent as StoredEvent>::EVENT_TYPES.contains(&fixture.event_type.as_str()) {
            failures.extend(upcast_failures::<CaseEvent>(fixture));
        } else {
            failures.extend(upcast_failures::<PartnershipEvent>(fixture));
        }
    }
    assert!(
        older > 0,
        "the upcasting path has no historic fixture to prove it"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_version_one_recommendation_reads_as_owned_by_its_one_owner() {
    let fixture = read_fixture(&Path::new(FIXTURES).join("RecommendationAdded.v1.json"));
    let event: CaseEvent = decode(&fixture.event_type, 1, &fixture.data).expect("decodes");
    let CaseEvent::RecommendationAdded(added) = event else {
        panic!("decoded into {event:?}");
    };
    let owners: Vec<&str> = added.owners.iter().map(|o| o.as_str()).collect();
    assert_eq!(owners, ["essex-police"]);
    assert_eq!(added.due_on.to_string(), "2024-01-31");
}

#[test]
fn a_version_newer_than_the_code_is_refused() {
    let fixture = read_fixture(&Path::new(FIXTURES).join("RecommendationAdded.v2.json"));
    for version in [0, 3] {
        assert!(
            decode::<CaseEvent>(&fixture.event_type, version, &fixture.data).is_err(),
            "version {version}"
        );
    }
}

/// The ciphertexts of every sealed object in stored data.
fn ciphertexts(data: &Value) -> Vec<&str> {
    match data {
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, value)| match (key.as_str(), value) {
                ("ciphertext", Value::String(text)) => vec![text.as_str()],
                _ => ciphertexts(value),
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(ciphertexts).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn every_sealed_field_is_one_the_read_models_can_forget() {
    // The read models drop sealed bytes through `CaseEvent::sealed_mut`: an event type with a
    // sealed field it does not name would keep every report's ciphertext in memory.
    for fixture in fixtures().iter().filter(|f| f.is_current()) {
        let Ok(mut event) =
            decode::<CaseEvent>(&fixture.event_type, fixture.schema_version, &fixture.data)
        else {
            continue;
        };
        let sealed = ciphertexts(&fixture.data).len();
        assert!(
            sealed <= 1,
            "{}: more than one sealed field",
            fixture.label()
        );
        assert_eq!(
            event.sealed_mut().is_some(),
            sealed == 1,
            "{}: CaseEvent::sealed_mut must name its sealed field",
            fixture.label()
        );
        if let Some(sealed) = event.sealed_mut() {
            sealed.forget_text();
        }
        let (_, forgotten) = encode(&event);
        assert!(
            ciphertexts(&forgotten).iter().all(|text| text.is_empty()),
            "{}: sealed bytes kept",
            fixture.label()
        );
    }
}
