//! The Casetrail HTTP API: authentication, authorisation, handlers, problem+json errors and
//! the OpenAPI document, over the event store and the read models.

pub mod access_log;
pub mod auth;
pub mod backup_cli;
pub mod body_errors;
pub mod conditional;
pub mod config;
pub mod consistency;
pub mod cors;
pub mod doc_parts;
pub mod docs;
pub mod dto;
pub mod extract;
pub mod health_check;
pub mod openapi;
pub mod problem;
pub mod problem_codes;
pub mod progress;
pub mod replay;
pub mod request_context;
pub mod routes;
pub mod setting_source;
pub mod settings_check;
pub mod signals;
pub mod snapshots;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod validation;

pub use config::ServeConfig;
pub use startup::Application;
