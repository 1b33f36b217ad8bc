//! The catalogue of problem codes is complete and the docs table says what it says: a client
//! developer reads `docs/problem-codes.md` to know every code they may have to handle.
#![allow(clippy::unwrap_used)]

use casetrail_api::problem_codes::{CATALOGUE, markdown_table};
use std::path::{Path, PathBuf};

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The crates whose code answers problems: the HTTP layer, the rules, and the application
/// layer between them where it exists.
const SOURCE_DIRS: [&str; 3] = ["api/src", "app/src", "domain/src"];

/// Dotted literals that are JSON paths of request fields, not codes: the roots of the bodies'
/// nested objects (`child.date_of_birth`, `retention.child_until_age`, …).
const FIELD_ROOTS: [&str; 8] = [
    "adult",
    "attendance",
    "child",
    "correction",
    "evaluation",
    "reminders",
    "retention",
    "victim",
];

/// Other code-shaped literals that are not codes: file names (a test's database, the default
/// database in the data directory), the docs page's files, the CSV columns of a deadline's
/// lateness (the feed's integration event types are also dotted, and are not codes either).
const NOT_CODES: [&str; 9] = [
    // Claim paths of identity providers' tokens (`CASETRAIL_JWT_*_CLAIM`).
    "a.worker",
    "c.db",
    "casetrail.db",
    "casetrail.org",
    "index.css",
    "index.html",
    "late_by.working_days",
    "late_by.hours",
    "realm_access.roles",
];

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        rust_files(&Path::new(WORKSPACE).join(dir), &mut files);
    }
    assert!(files.len() > 50, "the sources were not found");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}

/// A code's shape: `area.what`, lower case with underscores.
fn is_code_shaped(text: &str) -> bool {
    let Some((area, what)) = text.split_once('.') else {
        return false;
    };
    let word = |part: &str| {
        part.starts_with(|c: char| c.is_ascii_lowercase())
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    word(area) && word(what)
}

/// Every code-shaped string literal of a source file: a quote, a code, a quote.
fn code_literals(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(after.len());
        let candidate = &after[..end];
        if after[end..].starts_with('"') && is_code_shaped(candidate) {
            found.push(candidate);
        }
        rest = after;
    }
    found
}

fn is_field_path(literal: &str) -> bool {
    let root = literal.split('.').next().unwrap_or_default();
    FIELD_ROOTS.contains(&root)
        || NOT_CODES.contains(&literal)
        || casetrail_domain::integration::IntegrationEvent::TYPES.contains(&literal)
        // The annual report's figures are keyed `<section>.<figure>`.
        || casetrail_app::report::SECTIONS.contains(&root)
}

#[test]
fn every_code_in_the_source_is_in_the_catalogue() {
    let mut missing = Vec::new();
    for (path, text) in sources() {
        for literal in code_literals(&text) {
            let known = CATALOGUE.iter().any(|entry| entry.code == literal);
            if !known && !is_field_path(literal) {
                missing.push(format!("{literal} ({})", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "codes missing from api/src/problem_codes/catalogue.rs (or, for a JSON path of a \
         request field, from FIELD_ROOTS of this test): {missing:#?}"
    );
}

#[test]
fn every_code_in_the_catalogue_is_answered_somewhere() {
    // The catalogue itself and the documented examples do not count as answering.
    let sources: Vec<_> = sources()
        .into_iter()
        .filter(|(path, _)| {
            !path
                .components()
                .any(|part| part.as_os_str() == "problem_codes")
                && !path.ends_with("doc_parts.rs")
        })
        .collect();
    for entry in CATALOGUE {
        let quoted = format!("\"{}\"", entry.code);
        assert!(
            sources.iter().any(|(_, text)| text.contains(&quoted)),
            "{} is in the catalogue but no source answers it",
            entry.code
        );
    }
}

#[test]
fn the_catalogue_is_sorted_without_repeats_and_each_code_has_a_status_and_meaning() {
    for pair in CATALOGUE.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} ≥ {}",
            pair[0].code,
            pair[1].code
        );
    }
    for entry in CATALOGUE {
        assert!(!entry.statuses.is_empty(), "{}: status", entry.code);
        for status in entry.statuses {
            assert!((400..600).contains(status), "{}: {status}", entry.code);
        }
        assert!(!entry.meaning.trim().is_empty(), "{}: meaning", entry.code);
        assert!(
            !entry.meaning.contains('|'),
            "{}: a | breaks the table",
            entry.code
        );
    }
}

#[test]
fn the_shape_check_finds_codes_and_passes_over_other_literals() {
    let text =
        r#"DomainError::conflict("case.wrong_stage", "already"); let p = "a.b.c"; x("Case.X")"#;
    assert_eq!(code_literals(text), vec!["case.wrong_stage"]);
    assert!(is_field_path("child.date_of_birth"));
    assert!(!is_field_path("case.not_found"));
}

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/problem-codes.md");

#[test]
fn the_docs_table_is_the_catalogue() {
    let docs = std::fs::read_to_string(DOCS).unwrap();
    let table = markdown_table();
    let start = docs.find("| Code |").expect("the table's header row");
    let end = start
        + docs[start..]
            .lines()
            .take_while(|line| line.starts_with('|'))
            .map(|line| line.len() + 1)
            .sum::<usize>();
    if std::env::var_os("UPDATE_PROBLEM_CODES").is_some() {
        let updated = format!("{}{table}{}", &docs[..start], &docs[end.min(docs.len())..]);
        std::fs::write(DOCS, updated).unwrap();
        return;
    }
    assert!(
        docs[start..end.min(docs.len())] == table,
        "docs/problem-codes.md and the catalogue disagree; regenerate the table with \
         `UPDATE_PROBLEM_CODES=1 cargo test -p casetrail-api --test problem_codes`"
    );
}
