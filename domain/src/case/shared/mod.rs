//! What the three review processes share: agency reports, publication, recommendations,
//! closure and erasure.

pub mod action_plan;
pub mod commands;
pub(in crate::case) mod decide;
pub mod erasure;
pub(in crate::case) mod evolve;
pub mod learning;
pub mod review;
