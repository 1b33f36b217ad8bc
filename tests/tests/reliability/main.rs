//! Reliability: races between clients on one case, and the answers to attacks (forged tokens,
//! other tenants, auditors writing, oversized and pathological bodies). The real server on a
//! random port against a fresh database, on SQLite and on PostgreSQL. The crash test, which
//! needs the server binary, is `api/tests/crash.rs`; the fuzzing is `.ci/fuzz`.
#![allow(clippy::unwrap_used)]

// Shared with the `api` suite, which uses every helper; this suite does not.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod bodies;
mod methods;
mod races;
mod support;
mod tokens;
mod visibility;
