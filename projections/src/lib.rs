//! Read models as pure folds over the ordered event log, and the projector that keeps them
//! current by tailing the store.

mod audit_trail;
mod case_index;
mod deadline_cache;
mod due_order;
mod feed;
pub mod history;
mod learning_record;
mod partnership_record;
mod projector;
mod review_status;
pub mod snapshot;
pub mod statistics;

pub use audit_trail::{AuditActor, AuditEntry, AuditPage, AuditRef, AuditTrail};
pub use case_index::ChangedAfter;
pub use deadline_cache::{DeadlineCache, DeadlineGeneration, IdentifiedDeadline, identified};
pub use due_order::{DueKey, DueWithin, Lane, NextDue, due_summary, is_open, next_due_at};
pub use feed::derive as feed_derive;
pub use feed::{Feed, FeedCursor, FeedItem};
pub use projector::{Projector, ProjectorHandle, StartError, Started};
pub use review_status::{CaseRecord, Mark, ProjectionError, ReadModels, decode_case_event};
