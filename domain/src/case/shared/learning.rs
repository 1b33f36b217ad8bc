//! Disseminating a review's learning: each time the learning of a review reached organisations
//! of the partnership (a seven-minute briefing, a learning event, training, a newsletter), the
//! business unit records to whom, how and when, for the Learning and Development group and the
//! annual report (`docs/rules.md` LR-1).
//!
//! One step of a process in one file: its command, its event, its decider and its fold. The
//! catalogues (`commands.rs`, `case_event.rs`) name them.

use crate::case::decide::{Context, OrganisationList, check_organisations, occurred};
use crate::case::{Case, CaseEvent, CaseKind};
use crate::{DomainError, OrgSlug};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Organisations one dissemination may name: a partnership has some sixty agencies.
const MAX_ORGANISATIONS: usize = 100;
/// People one dissemination may count: more than a partnership's whole workforce would be a
/// typing error, not a briefing.
const MAX_PEOPLE_REACHED: u32 = 100_000;

/// How the learning was shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisseminationMethod {
    /// A seven-minute briefing circulated to practitioners.
    SevenMinuteBriefing,
    /// A briefing given to practitioners or managers in person or online.
    PractitionerBriefing,
    /// A multi-agency learning event.
    LearningEvent,
    /// Training that teaches the review's learning.
    Training,
    /// The partnership's newsletter.
    Newsletter,
}

/// RecordLearningDisseminated: the review's learning reached these organisations. It carries
/// no personal data (organisations and a head count only), so the body is the command itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        as = RecordLearningDisseminatedRequest,
        example = json!({
            "method": "seven_minute_briefing",
            "organisations": ["essex-police", "southend-council"],
            "people_reached": 140
        })
    )
)]
#[serde(deny_unknown_fields)]
pub struct RecordLearningDisseminated {
    /// How the learning was shared.
    pub method: DisseminationMethod,
    /// The organisations it reached (1 to 100, each once, each registered and active).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub organisations: Vec<OrgSlug>,
    /// How many people it reached, if counted (a number, never names).
    #[serde(default)]
    pub people_reached: Option<u32>,
    /// When, if not now.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The review's learning was disseminated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningDisseminated {
    /// How.
    pub method: DisseminationMethod,
    /// To which organisations; never empty, no repeats.
    pub organisations: Vec<OrgSlug>,
    /// How many people, if counted.
    pub people_reached: Option<u32>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Records a dissemination, once the review has learning to share. A review's learning is
/// shared many times, so nothing here refuses a repeat.
pub(in crate::case) fn record(
    case: &Case,
    cmd: &RecordLearningDisseminated,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let findings_at = findings_reached_at(case).ok_or_else(|| {
        DomainError::conflict(
            "case.wrong_stage",
            "a review's learning is disseminated once the review has reached its findings",
        )
    })?;
    check_organisations(ctx, &cmd.organisations, REACHED)?;
    if let Some(people) = cmd.people_reached
        && !(1..=MAX_PEOPLE_REACHED).contains(&people)
    {
        return Err(DomainError::invalid_field(
            "people_reached",
            "field.invalid",
            format!("people_reached is from 1 to {MAX_PEOPLE_REACHED}, or absent when not counted"),
        ));
    }
    let occurred_at = occurred(cmd.occurred_at, ctx, findings_at, "the review's findings")?;
    Ok(vec![CaseEvent::LearningDisseminated(
        LearningDisseminated {
            method: cmd.method,
            organisations: cmd.organisations.clone(),
            people_reached: cmd.people_reached,
            occurred_at,
        },
    )])
}

/// The fold: no rule of the case depends on earlier disseminations, but the annual statistics
/// count them, so the case keeps them.
pub(in crate::case) fn disseminated(case: &mut Case, shared: &LearningDisseminated) {
    case.after.learning_shared.push(shared.clone());
}

/// When the review reached the findings whose learning is shared: a rapid review's on its
/// submission to the Panel (its learning is acted on locally at once, before any LCSPR), a
/// safeguarding adult review's on completion, a domestic homicide review's when its overview
/// report is completed.
fn findings_reached_at(case: &Case) -> Option<DateTime<Utc>> {
    match case.kind {
        CaseKind::Child => case.rapid_review.as_ref()?.submitted_at,
        CaseKind::Adult => case.sar.as_ref()?.completed.as_ref().map(|c| c.occurred_at),
        CaseKind::DomesticHomicide => case.dhr.as_ref()?.completed_at,
        CaseKind::Audit => case
            .audit
            .as_ref()?
            .findings
            .as_ref()
            .map(|f| f.occurred_at),
    }
}

/// The organisations reached.
const REACHED: OrganisationList = OrganisationList {
    field: "organisations",
    max: MAX_ORGANISATIONS,
    count_code: "field.invalid",
    repeat_code: "organisation.duplicate",
};
