//! The rules of the child process's commands, one module per stage.

pub(in crate::case) mod decision;
pub(in crate::case) mod notification;
pub(in crate::case) mod practice_review;
pub(in crate::case) mod rapid_review;
pub(in crate::case) mod reconsideration;
