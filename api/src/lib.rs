//! The Casetrail HTTP API: authentication, authorisation, handlers, problem+json errors and
//! the OpenAPI document, over the event store and the read models.

pub mod access_log;
pub mod auth;
pub mod commands;
pub mod config;
pub mod demo;
pub mod doc_parts;
pub mod dto;
pub mod erasure;
pub mod extract;
pub mod openapi;
pub mod personal_data;
pub mod problem;
pub mod problem_codes;
pub mod replay;
pub mod request_context;
pub mod routes;
pub mod secret_file;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod validation;
pub mod visibility;

pub use config::ServeConfig;
pub use startup::Application;
