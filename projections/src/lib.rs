//! Read models as pure folds over the ordered event log, and the projector that keeps them
//! current by tailing the store.

mod audit_trail;
mod projector;
mod review_status;
pub mod statistics;

pub use audit_trail::{AuditActor, AuditEntry, AuditPage, AuditTrail};
pub use projector::{Projector, ProjectorHandle};
pub use review_status::{CaseRecord, ProjectionError, ReadModels};
