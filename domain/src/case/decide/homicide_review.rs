//! The domestic homicide review's commands, each with its preconditions.

use super::{Context, check_text, occurred, once, require_any_role, require_role, start_of_day};
use crate::calendar::local_date;
use crate::case::commands::{
    At, CommissionDhr, CompleteDhr, NotifyDomesticHomicide, PublishReview, RecordDhrDecision,
};
use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DomesticHomicideNotified, HomicideReview,
};
use crate::case::occurred_at;
use crate::case::person::whole_years_between;
use crate::case::practice_review::ReviewPublished;
use crate::case::rapid_review::Occurred;
use crate::case::{AdultAgeBand, Case, CaseEvent, PersonProfile};
use crate::{DomainError, Role};
use chrono::{DateTime, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest reference accepted.
const MAX_REFERENCE_LEN: usize = 64;
/// Longest free-text descriptor (sex, ethnicity) accepted.
const MAX_DESCRIPTOR_LEN: usize = 100;
/// Longest chair name or URL accepted.
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2_000;

/// NotifyDomesticHomicide: a death of a person aged 16 or over that may have resulted from
/// violence, abuse or neglect by a relative, partner or member of the same household.
pub(super) fn notify(
    state: Option<&Case>,
    cmd: &NotifyDomesticHomicide,
    ctx: &Context<'_>,
) -> Decided {
    require_any_role(
        ctx,
        &[
            Role::Notifier,
            Role::PartnerDecisionMaker,
            Role::BusinessManager,
        ],
    )?;
    super::require_new_case(state, ctx)?;
    let victim = &cmd.victim;
    check_text("victim.reference", &victim.reference, MAX_REFERENCE_LEN)?;
    check_text("victim.sex", &victim.sex, MAX_DESCRIPTOR_LEN)?;
    check_text("victim.ethnicity", &victim.ethnicity, MAX_DESCRIPTOR_LEN)?;
    if cmd.date_of_death > local_date(ctx.now) {
        return Err(DomainError::invalid_field(
            "date_of_death",
            "date.in_future",
            "date_of_death must not be in the future",
        ));
    }
    if victim.date_of_birth > cmd.date_of_death {
        return Err(DomainError::invalid_field(
            "victim.date_of_birth",
            "date.after_death",
            "victim.date_of_birth must not be after date_of_death",
        ));
    }
    let age_band = AdultAgeBand::for_age(whole_years_between(
        victim.date_of_birth,
        cmd.date_of_death,
    ))
    .ok_or_else(|| {
        DomainError::invalid(
            "notification.criteria_not_met",
            "a domestic homicide review is for the death of a person aged 16 or over (for a \
             child, notify a serious child safeguarding incident)",
        )
    })?;
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        start_of_day(cmd.date_of_death),
        "the death",
    )?;
    Ok(vec![CaseEvent::DomesticHomicideNotified(
        DomesticHomicideNotified {
            case_id: cmd.case_id,
            notified_by: ctx.actor.org.clone(),
            victim: PersonProfile {
                reference: victim.reference.trim().to_owned(),
                age_band,
                sex: victim.sex.trim().to_owned(),
                ethnicity: victim.ethnicity.trim().to_owned(),
            },
            personal_data: cmd.personal_data.clone(),
            date_of_death: cmd.date_of_death,
            occurred_at,
        },
    )])
}

fn dhr(case: &Case) -> Result<&HomicideReview, DomainError> {
    case.dhr.as_deref().ok_or_else(|| {
        DomainError::conflict(
            "case.wrong_kind",
            "domestic homicide reviews are for domestic homicide cases",
        )
    })
}

pub(super) fn record_decision(case: &Case, cmd: &RecordDhrDecision, ctx: &Context<'_>) -> Decided {
    require_any_role(ctx, &[Role::BusinessManager, Role::PartnerDecisionMaker])?;
    let review = dhr(case)?;
    once(
        review.decision.as_ref(),
        "dhr.already_decided",
        "the decision on a review is already recorded",
    )?;
    let occurred_at = occurred(cmd.occurred_at, ctx, case.opened_at, "the notification")?;
    Ok(vec![CaseEvent::DhrDecisionRecorded(DhrDecisionRecorded {
        conduct_review: cmd.conduct_review,
        rationale: cmd.rationale.clone(),
        occurred_at,
    })])
}

pub(super) fn commission(case: &Case, cmd: &CommissionDhr, ctx: &Context<'_>) -> Decided {
    require_role(ctx, Role::BusinessManager)?;
    let review = dhr(case)?;
    let decided_at = match &review.decision {
        Some(decision) if decision.conduct_review => decision.occurred_at,
        Some(_) => {
            return Err(DomainError::conflict(
                "dhr.not_required",
                "the partnership decided not to conduct a review",
            ));
        }
        None => {
            return Err(DomainError::conflict(
                "dhr.not_decided",
                "the partnership has not decided on a review yet",
            ));
        }
    };
    once(
        review.commissioned.as_ref(),
        "dhr.already_commissioned",
        "the review has already been commissioned",
    )?;
    check_text("chair", &cmd.chair, MAX_NAME_LEN)?;
    let occurred_at = occurred(cmd.occurred_at, ctx, decided_at, "the decision")?;
    Ok(vec![CaseEvent::DhrCommissioned(DhrCommissioned {
        chair: cmd.chair.trim().to_owned(),
        terms_of_reference: cmd.terms_of_reference.clone(),
        occurred_at,
    })])
}

pub(super) fn complete(case: &Case, cmd: &CompleteDhr, ctx: &Context<'_>) -> Decided {
    require_any_role(ctx, &[Role::BusinessManager, Role::Reviewer])?;
    let review = dhr(case)?;
    let commissioned = review.commissioned.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "dhr.not_commissioned",
            "the review has not been commissioned",
        )
    })?;
    once(
        review.completed_at,
        "dhr.already_completed",
        "the review is already completed",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        commissioned.occurred_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::DhrCompleted(DhrCompleted {
        overview: cmd.overview.clone(),
        occurred_at,
    })])
}

pub(super) fn submit_to_home_office(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    require_role(ctx, Role::BusinessManager)?;
    let review = dhr(case)?;
    let completed_at = review.completed_at.ok_or_else(|| {
        DomainError::conflict("dhr.not_completed", "the review has not been completed")
    })?;
    once(
        review.submitted_to_home_office_at,
        "dhr.already_submitted",
        "the review has already been submitted to the Home Office",
    )?;
    let occurred_at = occurred(cmd.occurred_at, ctx, completed_at, "the completion")?;
    Ok(vec![CaseEvent::DhrSubmittedToHomeOffice(Occurred {
        occurred_at,
    })])
}

pub(super) fn publish(case: &Case, cmd: &PublishReview, ctx: &Context<'_>) -> Decided {
    require_role(ctx, Role::BusinessManager)?;
    let review = dhr(case)?;
    // The Home Office quality assurance panel sees the report before it is published.
    let submitted_at: DateTime<Utc> = review.submitted_to_home_office_at.ok_or_else(|| {
        DomainError::conflict(
            "dhr.not_submitted_to_home_office",
            "a domestic homicide review is published after its submission to the Home Office",
        )
    })?;
    once(
        review.published.as_ref(),
        "review.already_published",
        "the review has already been published",
    )?;
    if let Some(url) = &cmd.url {
        check_text("url", url, MAX_URL_LEN)?;
    }
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        submitted_at,
        "the submission to the Home Office",
    )?;
    Ok(vec![CaseEvent::ReviewPublished(ReviewPublished {
        url: cmd.url.as_ref().map(|u| u.trim().to_owned()),
        occurred_at,
    })])
}
