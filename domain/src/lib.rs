//! The rules of safeguarding case reviews, free of I/O.
//!
//! Commands are decided against state with [`case::decide`] and [`partnership::decide`],
//! producing events; state changes only by folding events with `evolve`. Time, the actor and
//! the partnership's calendar come in through a context, so every rule is a pure function and
//! every test is given/when/then.

pub mod actor;
pub mod calendar;
pub mod case;
pub mod codec;
pub mod deadline;
pub mod error;
pub mod ids;
pub mod integration;
pub mod learning;
pub mod metadata;
pub mod partnership;
pub mod reminders;
pub mod small_map;
pub mod sorted_set;
pub mod stream;

pub use actor::{Actor, Role};
pub use error::{DomainError, ErrorKind, FieldError};
pub use ids::{CaseId, OrgSlug, PartnershipSlug, ThemeSlug};
