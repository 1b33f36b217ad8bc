//! Agency reports, asked for and given in a rapid review and in a safeguarding adult review:
//! the same rules of submission, each review's own rules of request.

use crate::case::adult::decide as sar;
use crate::case::child::decide::rapid_review as rr;
use crate::case::commands::{ForOrganisation, SubmitAgencyReport};
use crate::case::decide::{Context, occurred, once};
use crate::case::{Case, CaseEvent, CaseKind};
use crate::{DomainError, OrgSlug};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// RequestAgencyReport, by the review the case follows.
pub(in crate::case) fn request(case: &Case, cmd: &ForOrganisation, ctx: &Context<'_>) -> Decided {
    match case.kind {
        CaseKind::Adult => sar::request_agency_report(case, cmd, ctx),
        // A domestic homicide review asks for no agency reports: the kind check refuses the
        // command before it gets here.
        // A domestic homicide review and an audit ask for no agency reports: the kind check
        // refuses the command before it gets here.
        CaseKind::Child | CaseKind::DomesticHomicide | CaseKind::Audit => {
            rr::request_agency_report(case, cmd, ctx)
        }
    }
}

/// SubmitAgencyReport, by the review the case follows.
pub(in crate::case) fn submit(case: &Case, cmd: &SubmitAgencyReport, ctx: &Context<'_>) -> Decided {
    match case.kind {
        CaseKind::Adult => sar::submit_agency_report(case, cmd, ctx),
        CaseKind::Child | CaseKind::DomesticHomicide | CaseKind::Audit => {
            rr::submit_agency_report(case, cmd, ctx)
        }
    }
}

/// SubmitAgencyReport once the review it belongs to is found: the same rules for a rapid
/// review and a safeguarding adult review. Only the agency asked, for itself, once.
pub(in crate::case) fn submit_requested_report(
    reports: &crate::small_map::SmallMap<OrgSlug, crate::case::rapid_review::AgencyReport>,
    cmd: &crate::case::commands::SubmitAgencyReport,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let report = reports.get(&cmd.organisation).ok_or_else(|| {
        DomainError::conflict(
            "agency_report.not_requested",
            "no report has been requested from this organisation",
        )
    })?;
    once(
        report.submitted_at,
        "agency_report.already_submitted",
        "this organisation has already submitted its report",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        report.requested_at,
        "the report's request",
    )?;
    Ok(vec![CaseEvent::AgencyReportSubmitted(
        crate::case::rapid_review::AgencyReportSubmitted {
            organisation: cmd.organisation.clone(),
            report: cmd.report.clone(),
            occurred_at,
        },
    )])
}
