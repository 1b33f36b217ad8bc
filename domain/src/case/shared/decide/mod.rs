//! The rules of the commands every process shares.

pub(in crate::case) mod agency_reports;
pub(in crate::case) mod closure;
pub(in crate::case) mod erasure;
pub(in crate::case) mod publication;
pub(in crate::case) mod recommendations;
