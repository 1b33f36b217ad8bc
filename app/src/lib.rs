//! The Casetrail application, between the HTTP layer and the rules: the command bus that runs
//! every command (HTTP, CLI, demo data), the need-to-know policy, the queries over the read
//! models, the personal data keys and the clock. No HTTP types: the `api` crate maps requests
//! to calls here and results to DTOs and problem+json.

pub mod bus;
pub mod clock;
pub mod consistency;
pub mod demo;
pub mod erasure;
pub mod error;
pub mod establish;
pub mod feed_reader;
pub mod next_steps;
pub mod personal_data;
pub mod queries;
pub mod reminders;
pub mod report;
pub mod secret_file;
pub mod visibility;
pub mod webhooks;

pub use bus::{Accepted, Addressed, Aggregate, CommandBus, Expectations, Idempotency};
pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use error::AppError;
