//! After the rapid review's submission: the Panel's response, reconsideration, the family, the
//! LCSPR and its publication, recommendations and closure (domain.md child steps 6–10).

use super::{Context, check_text, occurred, once, require_registered};
use crate::calendar::local_date;
use crate::case::commands::{
    AddRecommendation, ApprovePublicationDelay, At, CommissionPracticeReview,
    CompleteRecommendation, PublishReview, RecordFamilyCommunication, RecordPanelResponse,
    WithholdPublication,
};
use crate::case::decision::ReviewDecision;
use crate::case::practice_review::{
    FamilyCommunicationRecorded, PanelResponseRecorded, PracticeReview, PracticeReviewCommissioned,
    PublicationDelayApproved, PublicationWithheld, RecommendationAdded, RecommendationCompleted,
    ReviewPublished,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, CaseEvent, CaseKind, Stage};
use crate::{DomainError, OrgSlug, Role};
use chrono::{DateTime, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest reviewer name, URL or recommendation accepted.
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2_000;
const MAX_RECOMMENDATION_LEN: usize = 5_000;
/// Owners of one recommendation at most: a partnership has some twenty organisations.
const MAX_OWNERS: usize = 20;

fn submitted_at(case: &Case) -> Result<DateTime<Utc>, DomainError> {
    case.rapid_review
        .as_ref()
        .and_then(|r| r.submitted_at)
        .ok_or_else(|| {
            DomainError::conflict(
                "rapid_review.not_submitted",
                "the rapid review has not been submitted to the Panel",
            )
        })
}

pub(super) fn record_panel_response(
    case: &Case,
    cmd: &RecordPanelResponse,
    ctx: &Context<'_>,
) -> Decided {
    let submitted = submitted_at(case)?;
    once(
        case.after.panel_response.as_ref(),
        "panel_response.already_recorded",
        "the Panel's response is already recorded",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        submitted,
        "the submission to the Panel",
    )?;
    Ok(vec![CaseEvent::PanelResponseRecorded(
        PanelResponseRecorded {
            agrees: cmd.agrees,
            occurred_at,
        },
    )])
}

pub(super) fn record_family_communication(
    case: &Case,
    cmd: &RecordFamilyCommunication,
    ctx: &Context<'_>,
) -> Decided {
    let decided = case.decision.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "decision.not_reached",
            "the partners have not reached a decision",
        )
    })?;
    once(
        case.after.family_communication.as_ref(),
        "family_communication.already_recorded",
        "the communication to the family is already recorded",
    )?;
    let not_before = case.decided_at().unwrap_or(decided.occurred_at);
    let occurred_at = occurred(cmd.occurred_at, ctx, not_before, "the decision")?;
    Ok(vec![CaseEvent::FamilyCommunicationRecorded(
        FamilyCommunicationRecorded {
            in_person: cmd.in_person,
            occurred_at,
        },
    )])
}

pub(super) fn commission_practice_review(
    case: &Case,
    cmd: &CommissionPracticeReview,
    ctx: &Context<'_>,
) -> Decided {
    let decided = case.decision.as_ref().map(|d| d.decision);
    if case.after.effective_decision(decided) != Some(ReviewDecision::Lcspr) {
        return Err(DomainError::conflict(
            "practice_review.not_decided",
            "an LCSPR is commissioned only when the decision in force is to hold one",
        ));
    }
    if case.stage == Stage::Reconsideration {
        return Err(DomainError::conflict(
            "practice_review.awaiting_reconsideration",
            "the Panel disagreed: the partners must reconsider first",
        ));
    }
    once(
        case.after.practice_review.as_ref(),
        "practice_review.already_commissioned",
        "the LCSPR has already been commissioned",
    )?;
    check_text("reviewer", &cmd.reviewer, MAX_NAME_LEN)?;
    let decided_at = case.decided_at().unwrap_or(ctx.now);
    let occurred_at = occurred(cmd.occurred_at, ctx, decided_at, "the decision")?;
    Ok(vec![CaseEvent::PracticeReviewCommissioned(
        PracticeReviewCommissioned {
            reviewer: cmd.reviewer.trim().to_owned(),
            terms_of_reference: cmd.terms_of_reference.clone(),
            occurred_at,
        },
    )])
}

/// The LCSPR, if commissioned and neither published nor withheld.
fn open_practice_review(case: &Case) -> Result<&PracticeReview, DomainError> {
    let review = case.after.practice_review.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "practice_review.not_commissioned",
            "the LCSPR has not been commissioned",
        )
    })?;
    if review.published.is_some() || review.withheld_at.is_some() {
        return Err(DomainError::conflict(
            "practice_review.already_concluded",
            "the LCSPR has already been published or its publication withheld",
        ));
    }
    Ok(review)
}

pub(super) fn approve_publication_delay(
    case: &Case,
    cmd: &ApprovePublicationDelay,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_practice_review(case)?;
    let current_due = case
        .deadlines(ctx.partnership)
        .into_iter()
        .find(|d| d.kind == crate::deadline::DeadlineKind::LcsprPublication)
        .map(|d| local_date(d.due_at));
    if current_due.is_some_and(|due| cmd.new_due_on <= due) {
        return Err(DomainError::invalid_field(
            "new_due_on",
            "delay.not_later",
            "new_due_on must be later than the current publication due date",
        ));
    }
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.commissioned_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::PublicationDelayApproved(
        PublicationDelayApproved {
            new_due_on: cmd.new_due_on,
            reasons: cmd.reasons.clone(),
            occurred_at,
        },
    )])
}

pub(super) fn record_final_report_sent(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = open_practice_review(case)?;
    once(
        review.report_sent_at,
        "practice_review.report_already_sent",
        "the final report has already been sent to the Panel",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.commissioned_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::FinalReportSentToPanel(Occurred {
        occurred_at,
    })])
}

pub(super) fn publish_review(case: &Case, cmd: &PublishReview, ctx: &Context<'_>) -> Decided {
    let review = open_practice_review(case)?;
    // The Panel and the Secretary of State see the final report before anyone else.
    let sent = review.report_sent_at.ok_or_else(|| {
        DomainError::conflict(
            "practice_review.report_not_sent",
            "the final report must go to the Panel before publication",
        )
    })?;
    Ok(vec![CaseEvent::ReviewPublished(published(
        cmd,
        ctx,
        sent,
        "the final report's sending",
    )?)])
}

pub(super) fn withhold_publication(
    case: &Case,
    cmd: &WithholdPublication,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_practice_review(case)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.commissioned_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::PublicationWithheld(PublicationWithheld {
        justification: cmd.justification.clone(),
        occurred_at,
    })])
}

pub(super) fn add_recommendation(
    case: &Case,
    cmd: &AddRecommendation,
    ctx: &Context<'_>,
) -> Decided {
    // Recommendations come from a review: the rapid review, or a commissioned SAR or DHR.
    let review_started_at = case
        .rapid_review
        .as_ref()
        .map(|r| r.initiated_at)
        .or_else(|| {
            let sar = case.sar.as_ref()?.commissioned.as_ref();
            sar.map(|c| c.occurred_at)
        })
        .or_else(|| {
            let dhr = case.dhr.as_ref()?.commissioned.as_ref();
            dhr.map(|c| c.occurred_at)
        })
        .ok_or_else(|| match case.kind {
            CaseKind::Child => DomainError::conflict(
                "rapid_review.not_started",
                "recommendations come from a review",
            ),
            CaseKind::Adult | CaseKind::DomesticHomicide => DomainError::conflict(
                "review.not_commissioned",
                "recommendations come from a commissioned review",
            ),
        })?;
    once(
        case.after.recommendations.get(&cmd.recommendation_id),
        "recommendation.already_added",
        "a recommendation with this id already exists",
    )?;
    check_text("text", &cmd.text, MAX_RECOMMENDATION_LEN)?;
    check_owners(ctx, &cmd.owners)?;
    let occurred_at = occurred(cmd.occurred_at, ctx, review_started_at, "the review")?;
    if cmd.due_on < local_date(occurred_at) {
        return Err(DomainError::invalid_field(
            "due_on",
            "recommendation.due_in_past",
            "due_on must not be before the day the recommendation is made",
        ));
    }
    Ok(vec![CaseEvent::RecommendationAdded(RecommendationAdded {
        recommendation_id: cmd.recommendation_id,
        text: cmd.text.trim().to_owned(),
        owners: cmd.owners.clone(),
        due_on: cmd.due_on,
        occurred_at,
    })])
}

/// The owners of a recommendation: at least one, each once, each registered and active.
fn check_owners(ctx: &Context<'_>, owners: &[OrgSlug]) -> Result<(), DomainError> {
    if owners.is_empty() || owners.len() > MAX_OWNERS {
        return Err(DomainError::invalid_field(
            "owners",
            "recommendation.owners_count",
            format!("a recommendation has 1 to {MAX_OWNERS} owner organisations"),
        ));
    }
    for (n, owner) in owners.iter().enumerate() {
        if owners[..n].contains(owner) {
            return Err(DomainError::invalid_field(
                format!("owners[{n}]"),
                "recommendation.owner_repeated",
                "each owner organisation is named once",
            ));
        }
        require_registered(ctx, &format!("owners[{n}]"), owner)?;
    }
    Ok(())
}

pub(super) fn complete_recommendation(
    case: &Case,
    cmd: &CompleteRecommendation,
    ctx: &Context<'_>,
) -> Decided {
    let recommendation = case
        .after
        .recommendations
        .get(&cmd.recommendation_id)
        .ok_or_else(|| {
            DomainError::not_found("recommendation.not_found", "no such recommendation")
        })?;
    // OrganisationRule::RecommendationOwner: an owner records the action it shares; the
    // business manager may record it for anyone.
    if !ctx.actor.has(Role::BusinessManager)
        && !recommendation.added.owners.contains(&ctx.actor.org)
    {
        return Err(DomainError::forbidden(
            "auth.own_organisation_only",
            "only an owner of the recommendation records its completion",
        ));
    }
    once(
        recommendation.completed_at,
        "recommendation.already_completed",
        "this recommendation is already completed",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        recommendation.added.occurred_at,
        "the recommendation",
    )?;
    Ok(vec![CaseEvent::RecommendationCompleted(
        RecommendationCompleted {
            recommendation_id: cmd.recommendation_id,
            occurred_at,
        },
    )])
}

pub(super) fn record_review_taken_down(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = case.after.practice_review.as_ref();
    // The report, or the improvements information published instead, stays a year.
    let published = review.and_then(|r| r.publication()).ok_or_else(|| {
        DomainError::conflict(
            "publication.not_published",
            "only a published report is taken down",
        )
    })?;
    once(
        review.and_then(|r| r.taken_down_at),
        "publication.already_taken_down",
        "the report has already been taken down",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        published.occurred_at,
        "the publication",
    )?;
    Ok(vec![CaseEvent::ReviewTakenDown(Occurred { occurred_at })])
}

/// The LCSPR whose publication was withheld, while the improvements information is still to
/// be published.
fn withheld_review(case: &Case) -> Result<&PracticeReview, DomainError> {
    let review = case
        .after
        .practice_review
        .as_ref()
        .filter(|r| r.withheld_at.is_some())
        .ok_or_else(|| {
            DomainError::conflict(
                "publication.not_withheld",
                "the improvements information is published instead of a withheld report",
            )
        })?;
    once(
        review.improvements_published.as_ref(),
        "publication.improvements_already_published",
        "the improvements information has already been published",
    )?;
    Ok(review)
}

pub(super) fn record_improvements_sent(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = withheld_review(case)?;
    once(
        review.improvements_sent_at,
        "publication.improvements_already_sent",
        "the improvements information has already been sent to the Panel",
    )?;
    let since = review.withheld_at.unwrap_or(review.commissioned_at);
    let occurred_at = occurred(cmd.occurred_at, ctx, since, "the withholding")?;
    Ok(vec![CaseEvent::ImprovementsInformationSentToPanel(
        Occurred { occurred_at },
    )])
}

pub(super) fn publish_improvements_information(
    case: &Case,
    cmd: &PublishReview,
    ctx: &Context<'_>,
) -> Decided {
    let review = withheld_review(case)?;
    // As for the report: the Panel and the Secretary of State see it before anyone else.
    let sent = review.improvements_sent_at.ok_or_else(|| {
        DomainError::conflict(
            "publication.improvements_not_sent",
            "the improvements information must go to the Panel before publication",
        )
    })?;
    Ok(vec![CaseEvent::ImprovementsInformationPublished(
        published(cmd, ctx, sent, "its sending to the Panel")?,
    )])
}

pub(super) fn record_copy_sent_to_ofsted(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = case.after.practice_review.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "practice_review.not_commissioned",
            "the LCSPR has not been commissioned",
        )
    })?;
    once(
        review.ofsted_copy_at,
        "practice_review.ofsted_copy_already_sent",
        "the copy to Ofsted has already been sent",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.commissioned_at,
        "the commissioning",
    )?;
    Ok(vec![CaseEvent::PracticeReviewCopiedToOfsted(Occurred {
        occurred_at,
    })])
}

/// A publication (the report, or the improvements information instead) with its optional URL,
/// never dated before what had to reach the Panel first.
fn published(
    cmd: &PublishReview,
    ctx: &Context<'_>,
    sent: DateTime<Utc>,
    sent_what: &str,
) -> Result<ReviewPublished, DomainError> {
    if let Some(url) = &cmd.url {
        check_text("url", url, MAX_URL_LEN)?;
    }
    Ok(ReviewPublished {
        url: cmd.url.as_ref().map(|u| u.trim().to_owned()),
        occurred_at: occurred(cmd.occurred_at, ctx, sent, sent_what)?,
    })
}
