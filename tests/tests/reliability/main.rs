//! Reliability: races between clients on one case, and the answers to attacks (forged tokens,
//! other tenants, auditors writing, oversized and pathological bodies). The real server on a
//! random port against a fresh database, on SQLite and on PostgreSQL. The crash test, which
//! needs the server binary, is `tests/binary/crash.rs`; the fuzzing is `.ci/fuzz`.
#![allow(clippy::unwrap_used)]

mod bodies;
mod methods;
mod races;
mod support;
mod tokens;
mod visibility;
