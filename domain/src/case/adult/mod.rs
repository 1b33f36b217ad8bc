//! The safeguarding adult review (Care Act 2014 s44): its own facts and how they fold.

mod evolve;

pub use evolve::AdultEvent;
