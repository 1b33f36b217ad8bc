//! Black-box tests: the real `casetrail` server on a random port against a fresh database,
//! on SQLite and on PostgreSQL, driven over HTTP as a partner system would (the harness is
//! `casetrail_tests`, `tests/src/`). `jwt` checks the token verifier on its own.
#![allow(clippy::unwrap_used)]

mod access_log;
mod action_plan;
mod admin;
mod adult_and_dhr;
mod audit_trail;
mod audits;
mod auth;
mod availability;
mod calendar;
mod cases;
mod child_clocks;
mod clock;
mod compression;
mod conditional;
mod consistency;
mod cors;
mod csv_lists;
mod docs_page;
mod errors;
mod feed;
mod form_errors;
mod history;
mod idempotency;
mod identity_provider;
mod integrity;
mod jwt;
mod labels;
mod learning;
mod learning_corrections;
mod learning_record;
mod least_privilege;
mod lifecycle;
mod lists;
mod operations;
mod personal_data;
mod rapid_review;
mod reminders;
mod replay;
mod report;
mod restart;
mod retention;
mod sorting;
mod statistics;
mod statutory;
mod subject_access;
mod time_travel;
mod validation;
mod webhooks;
