//! Read models as pure folds over the ordered event log, and the projector that keeps them
//! current by tailing the store.

mod projector;
mod review_status;

pub use projector::{Projector, ProjectorHandle};
pub use review_status::{CaseRecord, ProjectionError, ReadModels};
