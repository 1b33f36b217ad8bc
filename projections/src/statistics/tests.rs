//! Annual statistics from a seeded financial year, checked against hand-computed figures.
