//! The partnership: its organisations and settings, itself event-sourced so every change to
//! who takes part is on the record.

mod deadline_basis;
mod decide;
mod events;
mod retention;
mod state;

pub use deadline_basis::{BasisChange, BasisSummary, DeadlineBasis};
pub use decide::{PartnershipCommand, decide};
pub use events::PartnershipEvent;
pub use retention::RetentionSettings;
pub use state::{
    ClockStart, OrgKind, Organisation, Partnership, PartnershipSettings, StatutoryPartner,
};
