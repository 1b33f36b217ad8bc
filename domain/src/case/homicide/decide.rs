//! The domestic homicide review's commands, each with its preconditions.

use crate::DomainError;
use crate::calendar::local_date;
use crate::case::commands::{
    At, CommissionDhr, CompleteDhr, NotifyDomesticHomicide, PublishReview, RecordDhrDecision,
    RecordDhrFamilyInvolvement, RecordDhrQaOutcome,
};
use crate::case::decide::{Context, check_text, occurred, once, start_of_day};
use crate::case::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, DomesticHomicideNotified, FamilyInvolvement, HomicideReview, QaOutcome,
};
use crate::case::occurred_at;
use crate::case::person::whole_years_between;
use crate::case::practice_review::ReviewPublished;
use crate::case::rapid_review::Occurred;
use crate::case::{AbuseOrNeglect, AdultAgeBand, Case, CaseEvent, PersonProfile};
use chrono::{DateTime, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest reference accepted.
const MAX_REFERENCE_LEN: usize = 64;
/// Longest free-text descriptor (sex, ethnicity) accepted.
const MAX_DESCRIPTOR_LEN: usize = 100;
/// Longest chair name or URL accepted.
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2_000;

/// DVCVA 2004 s9(1): the death has, or appears to have, resulted from violence, abuse or
/// neglect by a relative, a (former) intimate partner or a member of the same household. A
/// notification that fails the test is not a domestic homicide review.
fn relationship_test(cmd: &NotifyDomesticHomicide) -> Result<(), DomainError> {
    if !cmd.relationship.meets_section_9() {
        return Err(DomainError::invalid_field(
            "relationship",
            "dhr.relationship_test_not_met",
            "a domestic homicide review needs the death to have resulted, or appear to have \
             resulted, from violence, abuse or neglect by a relative, a current or former \
             intimate partner or a member of the same household (DVCVA 2004 s9(1))",
        ));
    }
    if cmd.violence_abuse_or_neglect == AbuseOrNeglect::NotSuspected {
        return Err(DomainError::invalid_field(
            "violence_abuse_or_neglect",
            "dhr.relationship_test_not_met",
            "a domestic homicide review needs the death to have resulted, or appear to have \
             resulted, from violence, abuse or neglect (DVCVA 2004 s9(1))",
        ));
    }
    Ok(())
}

/// NotifyDomesticHomicide: a death of a person aged 16 or over that may have resulted from
/// violence, abuse or neglect by a relative, partner or member of the same household.
pub(in crate::case) fn notify(
    state: Option<&Case>,
    cmd: &NotifyDomesticHomicide,
    ctx: &Context<'_>,
) -> Decided {
    crate::case::decide::require_new_case(state)?;
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
    relationship_test(cmd)?;
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
            relationship: Some(cmd.relationship),
            violence_abuse_or_neglect: Some(cmd.violence_abuse_or_neglect),
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

pub(in crate::case) fn record_decision(
    case: &Case,
    cmd: &RecordDhrDecision,
    ctx: &Context<'_>,
) -> Decided {
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

pub(in crate::case) fn commission(case: &Case, cmd: &CommissionDhr, ctx: &Context<'_>) -> Decided {
    let review = dhr(case)?;
    let decided_at = decided_review(review)?;
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

pub(in crate::case) fn complete(case: &Case, cmd: &CompleteDhr, ctx: &Context<'_>) -> Decided {
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

pub(in crate::case) fn submit_to_home_office(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = dhr(case)?;
    let completed_at = review.completed_at.ok_or_else(|| {
        DomainError::conflict("dhr.not_completed", "the review has not been completed")
    })?;
    // Submitted again only when the panel asked for a resubmission.
    let since = match (review.submitted_to_home_office_at, &review.qa_outcome) {
        (None, _) => completed_at,
        (Some(_), Some(qa)) if qa.outcome == QaOutcome::ResubmissionRequested => qa.occurred_at,
        (Some(_), _) => {
            return Err(DomainError::conflict(
                "dhr.already_submitted",
                "the review has already been submitted to the Home Office",
            ));
        }
    };
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        since,
        "the completion or the panel's request to resubmit",
    )?;
    Ok(vec![CaseEvent::DhrSubmittedToHomeOffice(Occurred {
        occurred_at,
    })])
}

pub(in crate::case) fn publish(case: &Case, cmd: &PublishReview, ctx: &Context<'_>) -> Decided {
    let review = dhr(case)?;
    once(
        review.published.as_ref(),
        "review.already_published",
        "the review has already been published",
    )?;
    // The Home Office quality assurance panel sees the report first, and it is published only
    // once the panel's outcome allows it.
    if review.submitted_to_home_office_at.is_none() {
        return Err(DomainError::conflict(
            "dhr.not_submitted_to_home_office",
            "a domestic homicide review is published after its submission to the Home Office",
        ));
    }
    let approved_at = match &review.qa_outcome {
        None => {
            return Err(DomainError::conflict(
                "dhr.qa_outcome_pending",
                "a domestic homicide review is published only after the Home Office quality \
                 assurance panel's outcome",
            ));
        }
        Some(qa) if qa.outcome == QaOutcome::ResubmissionRequested => {
            return Err(DomainError::conflict(
                "dhr.resubmission_requested",
                "the Home Office quality assurance panel asked for the review to be revised \
                 and submitted again before publication",
            ));
        }
        Some(qa) => qa.occurred_at,
    };
    if let Some(url) = &cmd.url {
        check_text("url", url, MAX_URL_LEN)?;
    }
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        approved_at,
        "the quality assurance panel's outcome",
    )?;
    Ok(vec![CaseEvent::ReviewPublished(ReviewPublished {
        url: cmd.url.as_ref().map(|u| u.trim().to_owned()),
        occurred_at,
    })])
}

/// NotifyHomeOfficeOfDhrDecision: the Home Office is told of the decision, whichever it was.
pub(in crate::case) fn notify_home_office(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = dhr(case)?;
    let decision = review.decision.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "dhr.not_decided",
            "the partnership has not decided on a review yet",
        )
    })?;
    once(
        review.home_office_notified_at,
        "dhr.home_office_already_notified",
        "the Home Office has already been told of the decision",
    )?;
    let occurred_at = occurred(cmd.occurred_at, ctx, decision.occurred_at, "the decision")?;
    Ok(vec![CaseEvent::DhrDecisionNotifiedToHomeOffice(Occurred {
        occurred_at,
    })])
}

/// RecordDhrQaOutcome: the panel's answer to the submission awaiting one.
pub(in crate::case) fn record_qa_outcome(
    case: &Case,
    cmd: &RecordDhrQaOutcome,
    ctx: &Context<'_>,
) -> Decided {
    let review = dhr(case)?;
    let submitted_at = review.submitted_to_home_office_at.ok_or_else(|| {
        DomainError::conflict(
            "dhr.not_submitted_to_home_office",
            "the review has not been submitted to the Home Office",
        )
    })?;
    once(
        review.qa_outcome.as_ref(),
        "dhr.qa_outcome_already_recorded",
        "the panel's outcome on this submission is already recorded",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        submitted_at,
        "the submission to the Home Office",
    )?;
    Ok(vec![CaseEvent::DhrQaOutcomeRecorded(
        DhrQaOutcomeRecorded {
            outcome: cmd.outcome,
            occurred_at,
        },
    )])
}

/// RecordDhrFamilyInvolvement: the family is invited once a review is decided on, then
/// contributes or declines (once); nothing is recorded after publication.
pub(in crate::case) fn record_family_involvement(
    case: &Case,
    cmd: &RecordDhrFamilyInvolvement,
    ctx: &Context<'_>,
) -> Decided {
    let review = dhr(case)?;
    let decided_at = decided_review(review)?;
    once(
        review.published.as_ref(),
        "review.already_published",
        "the review has already been published",
    )?;
    once(
        review.family_step(cmd.involvement),
        "dhr.family_step_already_recorded",
        "this step of the family's involvement is already recorded",
    )?;
    let since = match cmd.involvement {
        FamilyInvolvement::Invited => decided_at,
        FamilyInvolvement::Contributed | FamilyInvolvement::Declined => {
            let invited_at = review
                .family_step(FamilyInvolvement::Invited)
                .ok_or_else(|| {
                    DomainError::conflict(
                        "dhr.family_not_invited",
                        "the family has not been invited to take part yet",
                    )
                })?;
            let answered = review
                .family_step(FamilyInvolvement::Contributed)
                .or(review.family_step(FamilyInvolvement::Declined));
            once(
                answered,
                "dhr.family_already_answered",
                "the family has already contributed or declined",
            )?;
            invited_at
        }
    };
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        since,
        "the decision or the invitation",
    )?;
    Ok(vec![CaseEvent::DhrFamilyInvolvementRecorded(
        DhrFamilyInvolvementRecorded {
            involvement: cmd.involvement,
            occurred_at,
        },
    )])
}

/// The decision to conduct a review, and when it was taken.
fn decided_review(review: &HomicideReview) -> Result<DateTime<Utc>, DomainError> {
    match &review.decision {
        Some(decision) if decision.conduct_review => Ok(decision.occurred_at),
        Some(_) => Err(DomainError::conflict(
            "dhr.not_required",
            "the partnership decided not to conduct a review",
        )),
        None => Err(DomainError::conflict(
            "dhr.not_decided",
            "the partnership has not decided on a review yet",
        )),
    }
}
