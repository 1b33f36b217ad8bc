//! The partnership's learning and improvement (issue 17): its learning themes, the meetings of
//! its groups, its learning events and training, and its budget (how a review's learning went
//! out is a fact of the case, docs/rules.md LR-1). One stream per partnership (`stream::learning_stream`), decided like the others:
//! commands checked against the record folded from its events.
//!
//! People taking part are counted by pseudonymous references the caller supplies, never by
//! name ([`PersonRef`]).

mod decide;
mod events;
mod standing;
mod state;
pub mod values;

pub use decide::{
    LearningCommand, MAX_DISCUSSED, MAX_THEME_NAME_CHARS, decide, may_send, may_send_named,
    roles_of,
};
pub use events::{Contribution, LearningEvent, LearningEventHeld, Meeting, Spending};
pub use standing::{Standing, Stated, standing};
pub use state::{Learning, Theme};
pub use values::{
    Attendance, Evaluation, LearningEventKind, MeetingGroup, PersonRef, SpendingCategory, Subject,
    TakingPart, grouped, mean_score, pounds,
};

#[cfg(test)]
mod tests;
