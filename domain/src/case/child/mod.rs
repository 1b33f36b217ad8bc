//! The child process (Working Together 2023): notification, rapid review, the partners'
//! decision, the Panel and its reconsideration; their facts and state, how they fold, their
//! deadlines and the rules of their commands.

pub mod commands;
pub(in crate::case) mod decide;
pub mod decision;
pub(in crate::case) mod evolve;
mod lcspr_deadlines;
mod notification_duties;
pub mod practice_review;
pub mod rapid_review;
pub mod reconsideration;
