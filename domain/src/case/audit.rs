//! Multi-agency audits (docs/rules.md AU-1 to AU-3): the Audit, Quality Assurance and
//! Performance groups commission an audit of a topic across agencies on a sample of cases,
//! record its findings, and make recommendations whose action plans are followed like a
//! review's. An audit is a case of its own kind: its deadlines, lists, need-to-know (the
//! agencies audited are involved), audit trail and themes are those of every case. It holds no
//! personal data: its findings are written in aggregate, and it has no data key.
//!
//! Each step in one place: its command, its event, its decider and its fold.

use crate::case::decide::{
    Context, OrganisationList, check_organisations, check_text, occurred, once, require_new_case,
};
use crate::case::occurred_at;
use crate::case::{Case, CaseEvent, Stage};
use crate::learning::MeetingGroup;
use crate::{CaseId, DomainError, OrgSlug};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest audit reference.
const MAX_REFERENCE_LEN: usize = 64;
/// Longest topic.
const MAX_TOPIC_LEN: usize = 200;
/// Longest findings.
const MAX_FINDINGS_LEN: usize = 20_000;
/// Agencies one audit may take part: a partnership has some sixty.
const MAX_AGENCIES: usize = 100;
/// The agencies taking part.
const AGENCIES: OrganisationList = OrganisationList {
    field: "agencies",
    max: MAX_AGENCIES,
    count_code: "field.invalid",
    repeat_code: "organisation.duplicate",
};
/// Cases one audit may sample.
const MAX_SAMPLE: u32 = 10_000;

/// CommissionAudit: a multi-agency audit of a topic, across agencies, on a sample of cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionAudit {
    /// The new case's id, chosen by the edge.
    pub case_id: CaseId,
    /// The audit's own reference, e.g. `MAA-2022-03`.
    pub reference: String,
    /// What is audited (no personal data).
    pub topic: String,
    /// The group that owns the audit and its action plans.
    pub group: MeetingGroup,
    /// The agencies taking part: each becomes involved in the audit.
    pub agencies: Vec<OrgSlug>,
    /// How many cases the audit samples.
    pub sample_size: u32,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// RecordAuditFindings: what the audit found, in aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordAuditFindings {
    /// How many cases were audited in the end (at most the sample).
    pub cases_audited: u32,
    /// The findings, written in aggregate without personal data.
    pub findings: String,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A multi-agency audit was commissioned (opens an audit case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCommissioned {
    /// The audit's case id.
    pub case_id: CaseId,
    /// The organisation of the business unit that commissioned it.
    pub commissioned_by: OrgSlug,
    /// Its reference.
    pub reference: String,
    /// What is audited.
    pub topic: String,
    /// The owning group.
    pub group: MeetingGroup,
    /// The agencies taking part; never empty, no repeats.
    pub agencies: Vec<OrgSlug>,
    /// The sample's size.
    pub sample_size: u32,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The audit's findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFindingsRecorded {
    /// Cases audited.
    pub cases_audited: u32,
    /// The findings.
    pub findings: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// What an audit case holds beyond its commissioning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Its findings, once recorded.
    pub findings: Option<AuditFindingsRecorded>,
}

pub(in crate::case) fn commission(
    state: Option<&Case>,
    cmd: &CommissionAudit,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    require_new_case(state)?;
    check_text("reference", &cmd.reference, MAX_REFERENCE_LEN)?;
    check_text("topic", &cmd.topic, MAX_TOPIC_LEN)?;
    check_organisations(ctx, &cmd.agencies, AGENCIES)?;
    if !(1..=MAX_SAMPLE).contains(&cmd.sample_size) {
        return Err(DomainError::invalid_field(
            "sample_size",
            "field.invalid",
            format!("sample_size is 1 to {MAX_SAMPLE} cases"),
        ));
    }
    // Nothing earlier to depend on: only the future is refused (and, by `decide`, a day the
    // calendar cannot judge).
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        DateTime::<Utc>::MIN_UTC,
        "the calendar's first day",
    )?;
    Ok(vec![CaseEvent::AuditCommissioned(AuditCommissioned {
        case_id: cmd.case_id,
        commissioned_by: ctx.actor.org.clone(),
        reference: cmd.reference.trim().to_owned(),
        topic: cmd.topic.trim().to_owned(),
        group: cmd.group,
        agencies: cmd.agencies.clone(),
        sample_size: cmd.sample_size,
        occurred_at,
    })])
}

pub(in crate::case) fn record_findings(
    case: &Case,
    cmd: &RecordAuditFindings,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let (commissioned, record) = audit_of(case)?;
    once(
        record.findings.as_ref(),
        "audit.findings_already_recorded",
        "the audit's findings are already recorded",
    )?;
    if !(1..=commissioned.sample_size).contains(&cmd.cases_audited) {
        return Err(DomainError::invalid_field(
            "cases_audited",
            "field.invalid",
            format!(
                "cases_audited is 1 to the sample's size ({})",
                commissioned.sample_size
            ),
        ));
    }
    check_text("findings", &cmd.findings, MAX_FINDINGS_LEN)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        commissioned.occurred_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::AuditFindingsRecorded(
        AuditFindingsRecorded {
            cases_audited: cmd.cases_audited,
            findings: cmd.findings.trim().to_owned(),
            occurred_at,
        },
    )])
}

/// The audit's commissioning and record (an audit case has both).
fn audit_of(case: &Case) -> Result<(&AuditCommissioned, &AuditRecord), DomainError> {
    match (case.audit_commissioning(), case.audit.as_deref()) {
        (Some(commissioned), Some(record)) => Ok((commissioned, record)),
        _ => Err(DomainError::conflict(
            "case.wrong_kind",
            "this case is not an audit",
        )),
    }
}

/// `AuditFindingsRecorded`.
pub(in crate::case) fn findings_recorded(case: &mut Case, found: &AuditFindingsRecorded) {
    case.stage = Stage::AuditReported;
    if let Some(audit) = case.audit.as_mut() {
        audit.findings = Some(found.clone());
    }
}
