//! The safeguarding adult review's commands (Care Act 2014 s44), each with its preconditions.

use crate::DomainError;
use crate::calendar::local_date;
use crate::case::adult_review::{
    AdultReview, SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused, SarReferred,
};
use crate::case::commands::{
    At, CommissionSar, CompleteSar, ForOrganisation, PauseSar, PersonDetails, PublishReview,
    RecordSarDecision, ReferSafeguardingAdultReview, SubmitAgencyReport,
};
use crate::case::decide::{Context, check_text, occurred, once, require_registered};
use crate::case::occurred_at;
use crate::case::person::whole_years_between;
use crate::case::practice_review::ReviewPublished;
use crate::case::rapid_review::{Occurred, OrganisationAct};
use crate::case::{AdultAgeBand, Case, CaseEvent, PersonProfile};
use chrono::{DateTime, NaiveDate, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest reference accepted.
const MAX_REFERENCE_LEN: usize = 64;
/// Longest free-text descriptor (sex, ethnicity) accepted.
const MAX_DESCRIPTOR_LEN: usize = 100;
/// Longest reviewer name or URL accepted.
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2_000;

/// The adult's profile: checked, with the age band on `on`, the day of the death or of the
/// abuse or neglect. A safeguarding adult review is about someone who was 18 or over then
/// (Care Act 2014 s44 applies to adults); someone younger belongs in the child process, even if
/// they are an adult by the time of the referral.
fn adult_profile(adult: &PersonDetails, on: NaiveDate) -> Result<PersonProfile, DomainError> {
    check_text("adult.reference", &adult.reference, MAX_REFERENCE_LEN)?;
    check_text("adult.sex", &adult.sex, MAX_DESCRIPTOR_LEN)?;
    check_text("adult.ethnicity", &adult.ethnicity, MAX_DESCRIPTOR_LEN)?;
    if adult.date_of_birth > on {
        return Err(DomainError::invalid_field(
            "adult.date_of_birth",
            "date.in_future",
            "adult.date_of_birth must not be after the death or the abuse or neglect",
        ));
    }
    let years = whole_years_between(adult.date_of_birth, on);
    let age_band = AdultAgeBand::for_age(years)
        .filter(|_| years >= 18)
        .ok_or_else(|| {
            DomainError::invalid_field(
                "adult.date_of_birth",
                "referral.not_an_adult",
                "the person was under 18 at the time of the death or of the abuse or neglect: \
                 this belongs in the child safeguarding process, not a safeguarding adult \
                 review (refer the case for consideration of a child safeguarding practice \
                 review)",
            )
        })?;
    Ok(PersonProfile {
        reference: adult.reference.trim().to_owned(),
        age_band,
        sex: adult.sex.trim().to_owned(),
        ethnicity: adult.ethnicity.trim().to_owned(),
    })
}

/// A field given only in one of the two s44 conditions: required in it, refused in the other.
fn only_when<T: Copy>(
    field: &str,
    applies: bool,
    value: Option<T>,
    when: &str,
) -> Result<Option<T>, DomainError> {
    match (applies, value) {
        (true, None) => Err(DomainError::invalid_field(
            field,
            "field.required",
            format!("{field} is required when {when}"),
        )),
        (false, Some(_)) => Err(DomainError::invalid_field(
            field,
            "field.not_applicable",
            format!("{field} applies only when {when}"),
        )),
        (_, value) => Ok(value),
    }
}

/// The day the adult's age is judged on: the death (condition 1) or the abuse or neglect
/// (condition 2), never after the referral.
fn day_of_the_harm(
    cmd: &ReferSafeguardingAdultReview,
    referred_on: NaiveDate,
) -> Result<NaiveDate, DomainError> {
    let died = cmd.adult_died;
    let (field, day) = if died {
        let day = only_when("date_of_death", true, cmd.date_of_death, "the adult died")?;
        only_when(
            "abuse_or_neglect_date",
            false,
            cmd.abuse_or_neglect_date,
            "the adult is alive",
        )?;
        ("date_of_death", day)
    } else {
        only_when("date_of_death", false, cmd.date_of_death, "the adult died")?;
        let day = only_when(
            "abuse_or_neglect_date",
            true,
            cmd.abuse_or_neglect_date,
            "the adult is alive",
        )?;
        ("abuse_or_neglect_date", day)
    };
    let day = day.unwrap_or(referred_on);
    if day > referred_on {
        return Err(DomainError::invalid_field(
            field,
            "date.in_future",
            format!("{field} must not be after the referral"),
        ));
    }
    Ok(day)
}

/// ReferSafeguardingAdultReview: any organisation of the partnership may ask the Board to
/// consider a review; whether it must hold one is the Board's decision, not the referrer's.
pub(in crate::case) fn refer(
    state: Option<&Case>,
    cmd: &ReferSafeguardingAdultReview,
    ctx: &Context<'_>,
) -> Decided {
    crate::case::decide::require_new_case(state)?;
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        DateTime::<Utc>::MIN_UTC,
        "the referral",
    )?;
    let died = cmd.adult_died;
    let serious_abuse_or_neglect = only_when(
        "serious_abuse_or_neglect",
        !died,
        cmd.serious_abuse_or_neglect,
        "the adult is alive",
    )?;
    let death_resulted_from_abuse_or_neglect = only_when(
        "death_resulted_from_abuse_or_neglect",
        died,
        cmd.death_resulted_from_abuse_or_neglect,
        "the adult died",
    )?;
    let judged_on = day_of_the_harm(cmd, local_date(occurred_at))?;
    let adult = adult_profile(&cmd.adult, judged_on)?;
    Ok(vec![CaseEvent::SarReferred(SarReferred {
        case_id: cmd.case_id,
        referred_by: ctx.actor.org.clone(),
        adult,
        personal_data: cmd.personal_data.clone(),
        care_and_support_needs: cmd.care_and_support_needs,
        adult_died: died,
        date_of_death: cmd.date_of_death,
        abuse_or_neglect: cmd.abuse_or_neglect,
        death_resulted_from_abuse_or_neglect,
        serious_abuse_or_neglect,
        abuse_or_neglect_date: cmd.abuse_or_neglect_date,
        joint_working_concern: cmd.joint_working_concern,
        occurred_at,
    })])
}

fn sar(case: &Case) -> Result<&AdultReview, DomainError> {
    case.sar.as_deref().ok_or_else(|| {
        DomainError::conflict(
            "case.wrong_kind",
            "safeguarding adult reviews are for adult cases",
        )
    })
}

fn referral(case: &Case) -> Result<&SarReferred, DomainError> {
    case.adult_referral().ok_or_else(|| {
        DomainError::conflict(
            "case.wrong_kind",
            "safeguarding adult reviews are for adult cases",
        )
    })
}

pub(in crate::case) fn record_decision(
    case: &Case,
    cmd: &RecordSarDecision,
    ctx: &Context<'_>,
) -> Decided {
    let review = sar(case)?;
    once(
        review.decision.as_ref(),
        "sar.already_decided",
        "the Board's decision on this referral is already recorded",
    )?;
    // The Board may hold a review it is not obliged to, or none; but it cannot call a review
    // mandatory when s44(1) does not make it so.
    if cmd.decision == crate::case::adult_review::SarDecision::Mandatory
        && let Some(reason) = referral(case)?.mandatory_criteria_unmet()
    {
        return Err(DomainError::invalid_field(
            "decision",
            "sar.criteria_not_met",
            format!(
                "a mandatory review needs the Care Act 2014 s44(1) criteria: {reason} \
                 (consider a discretionary review)"
            ),
        ));
    }
    let occurred_at = occurred(cmd.occurred_at, ctx, case.opened_at, "the referral")?;
    Ok(vec![CaseEvent::SarDecisionRecorded(SarDecisionRecorded {
        decision: cmd.decision,
        rationale: cmd.rationale.clone(),
        occurred_at,
    })])
}

/// The decision to hold a review, and when it was taken.
fn decided_review(review: &AdultReview) -> Result<DateTime<Utc>, DomainError> {
    match &review.decision {
        Some(decision) if decision.decision.holds_review() => Ok(decision.occurred_at),
        Some(_) => Err(DomainError::conflict(
            "sar.not_required",
            "the Board decided that no review is required",
        )),
        None => Err(DomainError::conflict(
            "sar.not_decided",
            "the Board has not decided on a review yet",
        )),
    }
}

fn not_paused(review: &AdultReview) -> Result<(), DomainError> {
    once(
        review.open_pause(),
        "sar.paused",
        "the review is paused: resume it first",
    )
}

fn not_completed(review: &AdultReview) -> Result<(), DomainError> {
    once(
        review.completed.as_ref(),
        "sar.already_completed",
        "the review is already completed",
    )
}

/// The review's commissioning, once commissioned and while not completed.
fn commissioned(review: &AdultReview) -> Result<&SarCommissioned, DomainError> {
    not_completed(review)?;
    review.commissioned.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "sar.not_commissioned",
            "the review has not been commissioned",
        )
    })
}

pub(in crate::case) fn commission(case: &Case, cmd: &CommissionSar, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let decided_at = decided_review(review)?;
    once(
        review.commissioned.as_ref(),
        "sar.already_commissioned",
        "the review has already been commissioned",
    )?;
    not_paused(review)?;
    check_text("reviewer", &cmd.reviewer, MAX_NAME_LEN)?;
    if let Some(org) = &cmd.reviewer_organisation {
        require_registered(ctx, "reviewer_organisation", org)?;
        // Independence: the reviewer's organisation has had no part in the case.
        if case.involved.contains(org) {
            return Err(DomainError::invalid_field(
                "reviewer_organisation",
                "sar.reviewer_not_independent",
                "the reviewer must be independent of the case: their organisation is involved in it",
            ));
        }
    }
    let occurred_at = occurred(cmd.occurred_at, ctx, decided_at, "the decision")?;
    Ok(vec![CaseEvent::SarCommissioned(SarCommissioned {
        reviewer: cmd.reviewer.trim().to_owned(),
        reviewer_organisation: cmd.reviewer_organisation.clone(),
        terms_of_reference: cmd.terms_of_reference.clone(),
        occurred_at,
    })])
}

/// RequestAgencyReport on an adult case: the reviewer gathers the agencies' reports once the
/// review is commissioned.
pub(in crate::case) fn request_agency_report(
    case: &Case,
    cmd: &ForOrganisation,
    ctx: &Context<'_>,
) -> Decided {
    let review = sar(case)?;
    let commissioned = commissioned(review)?;
    require_registered(ctx, "organisation", &cmd.organisation)?;
    if commissioned.reviewer_organisation.as_ref() == Some(&cmd.organisation) {
        return Err(DomainError::invalid_field(
            "organisation",
            "sar.reviewer_not_independent",
            "the reviewer's own organisation cannot report to the review it leads",
        ));
    }
    once(
        review.agency_reports.get(&cmd.organisation),
        "agency_report.already_requested",
        "a report has already been requested from this organisation",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        commissioned.occurred_at,
        "the review's commissioning",
    )?;
    Ok(vec![CaseEvent::AgencyReportRequested(OrganisationAct {
        organisation: cmd.organisation.clone(),
        occurred_at,
    })])
}

/// SubmitAgencyReport on an adult case: only the agency asked, once, before completion.
pub(in crate::case) fn submit_agency_report(
    case: &Case,
    cmd: &SubmitAgencyReport,
    ctx: &Context<'_>,
) -> Decided {
    let review = sar(case)?;
    not_completed(review)?;
    crate::case::shared::decide::agency_reports::submit_requested_report(
        &review.agency_reports,
        cmd,
        ctx,
    )
}

pub(in crate::case) fn record_family_invited(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let commissioned = commissioned(review)?;
    once(
        review.family_invited_at,
        "sar.family_already_invited",
        "the family has already been invited to contribute",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        commissioned.occurred_at,
        "the review's commissioning",
    )?;
    Ok(vec![CaseEvent::SarFamilyInvited(Occurred { occurred_at })])
}

pub(in crate::case) fn pause(case: &Case, cmd: &PauseSar, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let decided_at = decided_review(review)?;
    not_completed(review)?;
    once(
        review.open_pause(),
        "sar.already_paused",
        "the review is already paused",
    )?;
    // A new pause never overlaps the last one: paused days are counted once.
    let since = review
        .pauses
        .last()
        .and_then(|p| p.resumed_at)
        .unwrap_or(decided_at);
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        since,
        "the decision or the last resumption",
    )?;
    Ok(vec![CaseEvent::SarPaused(SarPaused {
        reason: cmd.reason.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn resume(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let pause = review
        .open_pause()
        .ok_or_else(|| DomainError::conflict("sar.not_paused", "the review is not paused"))?;
    let occurred_at = occurred(cmd.occurred_at, ctx, pause.paused_at, "the pause")?;
    Ok(vec![CaseEvent::SarResumed(Occurred { occurred_at })])
}

pub(in crate::case) fn complete(case: &Case, cmd: &CompleteSar, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let commissioned = commissioned(review)?;
    not_paused(review)?;
    let since = review
        .pauses
        .last()
        .and_then(|p| p.resumed_at)
        .unwrap_or(commissioned.occurred_at)
        .max(commissioned.occurred_at);
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        since,
        "the commissioning and the last resumption",
    )?;
    let mut principles = cmd.principles_with_findings.clone();
    principles.sort_unstable();
    principles.dedup();
    Ok(vec![CaseEvent::SarCompleted(SarCompleted {
        principles_with_findings: principles,
        findings: cmd.findings.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn publish(case: &Case, cmd: &PublishReview, ctx: &Context<'_>) -> Decided {
    let review = sar(case)?;
    let completed = review.completed.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "sar.not_completed",
            "a safeguarding adult review is published once completed",
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
        completed.occurred_at,
        "the completion",
    )?;
    Ok(vec![CaseEvent::ReviewPublished(ReviewPublished {
        url: cmd.url.as_ref().map(|u| u.trim().to_owned()),
        occurred_at,
    })])
}
