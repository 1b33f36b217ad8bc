//! The domestic homicide review (DVCVA 2004 s9): its own facts and how they fold.

mod evolve;

pub use evolve::HomicideEvent;
