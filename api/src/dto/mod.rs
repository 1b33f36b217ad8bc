//! Wire types: request bodies and responses, with the examples the OpenAPI document shows.
//! Domain types stay free of HTTP concerns; conversion happens here, at the edge.

mod access_log;
mod action_plan;
mod adult_review;
mod after_review;
mod audit;
mod cases;
mod command_name;
mod erasure;
mod feed;
mod homicide_review;
mod learning;
mod multi_agency_audit;
mod partnership;
mod rapid_review;
mod report;
mod retention;
mod statistics;
mod subject_access;
mod value_names;
mod webhooks;

pub use access_log::*;
pub use action_plan::*;
pub use adult_review::*;
pub use after_review::*;
pub use audit::*;
pub use cases::*;
pub use command_name::CommandName;
pub use erasure::*;
pub use feed::*;
pub use homicide_review::*;
pub use learning::*;
pub use multi_agency_audit::*;
pub use partnership::*;
pub use rapid_review::*;
pub use report::*;
pub use retention::*;
pub use statistics::*;
pub use subject_access::*;
pub use value_names::{CaseOrigin, DataSubject, IntegrityStatus};
pub use webhooks::*;

/// Declares that a wire enum and a domain enum have the same variants, both ways.
macro_rules! same_enum_impl {
    ($wire:ident => $domain:path { $($variant:ident),* }) => {
        impl From<$wire> for $domain {
            fn from(value: $wire) -> Self {
                match value { $($wire::$variant => <$domain>::$variant),* }
            }
        }
        impl From<$domain> for $wire {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $wire::$variant),* }
            }
        }
    };
}
pub(crate) use same_enum_impl as same_enum;
