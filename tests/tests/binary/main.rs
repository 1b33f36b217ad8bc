//! The real `casetrail` binary as a child process (`casetrail_tests::Server`): what only a
//! process of its own shows. SIGKILL mid-load and recovery, SIGTERM and the request log, memory
//! and a standard error nobody reads, private files and the key-encryption key, and the offline
//! commands (`token`, `openapi`, `verify`, `export`, `replay`, `rotate-kek`, `erase`, `health`).
#![allow(clippy::unwrap_used)]

mod availability;
mod backup;
mod cli;
mod crash;
mod health;
mod keys;
mod production;
mod report;
mod request_log;
mod snapshot;
mod tls;
mod upgrade;
