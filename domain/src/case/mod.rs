//! A case: one child, adult or domestic homicide under review, from notification to closure.

pub mod adult;
pub mod audit;
mod case_event;
pub mod child;
pub mod commands;
mod decide;
mod events;
pub mod homicide;
mod occurred_at;
mod person;
pub mod policy;
pub mod shared;
mod state;

pub use adult::review as adult_review;
pub use child::{decision, practice_review, rapid_review, reconsideration};
pub use homicide::review as homicide_review;
pub use shared::erasure;

pub use case_event::CaseEvent;
pub use commands::{CaseCommand, NotifyIncident, RecordPanelNotification};
pub use decide::{Context, decide};
pub use events::{
    AbuseOrNeglect, AgeBand, CaseReferred, ChildProfile, Harm, IncidentNotified, LocationBasis,
    PanelNotificationRecorded, SealedPersonalData,
};
pub use person::{AdultAgeBand, PersonProfile};
pub use policy::{may_send, roles_for};
pub use state::{Case, CaseKind, Origin, PanelNotification, Stage};

#[cfg(test)]
mod tests;
