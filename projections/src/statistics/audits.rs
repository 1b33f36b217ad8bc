//! The year's figures of multi-agency audits (docs/rules.md AU-1 to AU-3).

use super::Counting;
use casetrail_domain::case::Case;

/// Multi-agency audits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFigures {
    /// Commissioned in the year.
    pub commissioned: u32,
    /// Their findings recorded in the year.
    pub reported: u32,
    /// Cases audited by the audits reported in the year.
    pub cases_audited: u32,
}

/// Adds an audit case's facts of the year (nothing for a case of another kind).
pub(super) fn count(c: &Counting<'_>, case: &Case, figures: &mut AuditFigures) {
    let Some(commissioned) = case.audit_commissioning() else {
        return;
    };
    figures.commissioned += u32::from(c.in_year(commissioned.occurred_at));
    if let Some(found) = case
        .audit
        .as_ref()
        .and_then(|a| a.findings.as_ref())
        .filter(|f| c.in_year(f.occurred_at))
    {
        figures.reported += 1;
        figures.cases_audited += found.cases_audited;
    }
}
