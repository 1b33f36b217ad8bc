//! Publishing a review: each process has its own rules for when its report may be published.

use crate::DomainError;
use crate::case::adult::decide as sar;
use crate::case::child::decide::practice_review as lcspr;
use crate::case::commands::PublishReview;
use crate::case::decide::Context;
use crate::case::homicide::decide as dhr;
use crate::case::{Case, CaseEvent, CaseKind};

/// Publishes the case's review (an LCSPR, a SAR or a DHR) by the rules of its process.
pub(in crate::case) fn publish(
    case: &Case,
    command: &PublishReview,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    match case.kind {
        CaseKind::Child => lcspr::publish_review(case, command, ctx),
        CaseKind::Adult => sar::publish(case, command, ctx),
        CaseKind::DomesticHomicide => dhr::publish(case, command, ctx),
        // The kind check refuses it first: an audit's findings are the partnership's own.
        CaseKind::Audit => Err(DomainError::conflict(
            "case.wrong_kind",
            "an audit is not published as a review is",
        )),
    }
}
