//! The child process (Working Together 2023): notification, rapid review, the partners'
//! decision, the Panel and the local child safeguarding practice review.

mod evolve;

pub use evolve::ChildEvent;
