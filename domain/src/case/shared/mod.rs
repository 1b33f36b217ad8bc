//! What the three review processes share: agency reports, publication, recommendations,
//! closure and erasure.

mod evolve;

pub use evolve::SharedEvent;
