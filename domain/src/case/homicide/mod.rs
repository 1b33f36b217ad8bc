//! The domestic homicide review (DVCVA 2004 s9): its facts and state, how they fold, and the
//! rules of its commands.

pub mod commands;
pub(in crate::case) mod decide;
pub(in crate::case) mod evolve;
pub mod review;
