//! The safeguarding adult review (Care Act 2014 s44): its facts and state, how they fold,
//! and the rules of its commands.

pub mod commands;
pub(in crate::case) mod decide;
mod evolve;
pub mod review;

pub use evolve::AdultEvent;
