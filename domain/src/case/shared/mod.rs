//! What the three review processes share: agency reports, publication, recommendations,
//! closure and erasure.

pub mod commands;
pub(in crate::case) mod decide;
pub mod erasure;
mod evolve;
pub mod review;

pub use evolve::SharedEvent;
