//! After the rapid review's submission: the Panel's response, the family, the LCSPR and its
//! publication (domain.md child steps 6–10).

use crate::DomainError;
use crate::calendar::local_date;
use crate::case::commands::{
    ApprovePublicationDelay, At, CommissionPracticeReview, PublishReview,
    RecordFamilyCommunication, RecordPanelResponse, WithholdPublication,
};
use crate::case::decide::{Context, check_text, occurred, once};
use crate::case::decision::ReviewDecision;
use crate::case::practice_review::{
    FamilyCommunicationRecorded, PanelResponseRecorded, PracticeReview, PracticeReviewCommissioned,
    PublicationDelayApproved, PublicationWithheld, ReviewPublished,
};
use crate::case::rapid_review::Occurred;
use crate::case::{Case, CaseEvent, Stage};
use chrono::{DateTime, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest reviewer name or URL accepted.
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2_000;

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

pub(in crate::case) fn record_panel_response(
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

pub(in crate::case) fn record_family_communication(
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

pub(in crate::case) fn commission_practice_review(
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

pub(in crate::case) fn approve_publication_delay(
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

pub(in crate::case) fn record_final_report_sent(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Decided {
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

pub(in crate::case) fn publish_review(
    case: &Case,
    cmd: &PublishReview,
    ctx: &Context<'_>,
) -> Decided {
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

pub(in crate::case) fn withhold_publication(
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

pub(in crate::case) fn record_review_taken_down(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Decided {
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

pub(in crate::case) fn record_improvements_sent(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Decided {
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

pub(in crate::case) fn publish_improvements_information(
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

pub(in crate::case) fn record_copy_sent_to_ofsted(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Decided {
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
