//! CloseCase: a case closes only with a reason its state bears out (domain.md step 10).
//!
//! Closing supersedes whatever the case still owed, so a reason that does not fit the facts
//! would end a statutory process silently: an LCSPR decided but never published, a case
//! notified to the Panel and then dropped as if it were a referral nobody took forward. Each
//! refusal names what is missing.

use crate::DomainError;
use crate::case::commands::CloseCase;
use crate::case::decide::{Context, occurred};
use crate::case::decision::ReviewDecision;
use crate::case::practice_review::{CaseClosed, ClosureReason, ReconsideredOutcome};
use crate::case::{Case, CaseEvent, CaseKind, Origin};

type Decided = Result<Vec<CaseEvent>, DomainError>;

pub(in crate::case) fn close_case(case: &Case, cmd: &CloseCase, ctx: &Context<'_>) -> Decided {
    reason_fits(case, cmd.reason)?;
    // Closing ends what the case owed: dated before a fact it already records, it would make
    // that fact's deadline look abandoned before it was met.
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        case.last_fact_at,
        "the case's latest fact",
    )?;
    Ok(vec![CaseEvent::CaseClosed(CaseClosed {
        reason: cmd.reason,
        occurred_at,
    })])
}

/// Whether the case's state bears out the closure reason.
fn reason_fits(case: &Case, reason: ClosureReason) -> Result<(), DomainError> {
    match (case.kind, reason) {
        (CaseKind::Child, ClosureReason::NoReview) => child_without_review(case),
        (CaseKind::Adult, ClosureReason::NoReview) => {
            let decision = case.sar.as_ref().and_then(|sar| sar.decision.as_ref());
            match decision {
                None => Err(missing("closure.no_decision", "the Board's decision")),
                Some(d) if d.decision.holds_review() => Err(review_decided()),
                Some(_) => Ok(()),
            }
        }
        (CaseKind::DomesticHomicide, ClosureReason::NoReview) => {
            let decision = case.dhr.as_ref().and_then(|dhr| dhr.decision.as_ref());
            match decision {
                None => Err(missing(
                    "closure.no_decision",
                    "the decision on a domestic homicide review",
                )),
                Some(d) if d.conduct_review => Err(review_decided()),
                Some(_) => Ok(()),
            }
        }
        (CaseKind::Audit, ClosureReason::AuditCompleted) => {
            let found = case.audit.as_ref().is_some_and(|a| a.findings.is_some());
            found
                .then_some(())
                .ok_or_else(|| missing("closure.no_findings", "the audit's findings"))
        }
        (CaseKind::Audit, _) => Err(DomainError::conflict(
            "closure.reason_not_for_kind",
            "close an audit with audit_completed once its findings are recorded",
        )),
        (_, ClosureReason::AuditCompleted) => Err(DomainError::conflict(
            "closure.reason_not_for_kind",
            "audit_completed closes an audit",
        )),
        (_, ClosureReason::ReviewPublished) => {
            let published = match case.kind {
                CaseKind::Child => case
                    .after
                    .practice_review
                    .as_ref()
                    .is_some_and(|r| r.published.is_some()),
                CaseKind::Adult => case.sar.as_ref().is_some_and(|s| s.published.is_some()),
                CaseKind::DomesticHomicide => {
                    case.dhr.as_ref().is_some_and(|d| d.published.is_some())
                }
                // Answered above.
                CaseKind::Audit => false,
            };
            published
                .then_some(())
                .ok_or_else(|| missing("closure.not_published", "the review's publication"))
        }
        (CaseKind::Child, ClosureReason::PublicationWithheld) => case
            .after
            .practice_review
            .as_ref()
            .and_then(|r| r.withheld_at)
            .map(|_| ())
            .ok_or_else(|| {
                missing(
                    "closure.not_withheld",
                    "a justified decision to withhold publication",
                )
            }),
        (CaseKind::Child, ClosureReason::NotTakenForward) => referral_not_taken_forward(case),
        (CaseKind::Child, ClosureReason::CriteriaNotMet) => criteria_not_met(case),
        (CaseKind::Adult | CaseKind::DomesticHomicide, _) => Err(DomainError::conflict(
            "closure.reason_not_for_kind",
            "this closure reason is for child cases; close an adult or domestic homicide \
             case with no_review after a decision not to review, or review_published",
        )),
    }
}

/// `no_review` for a child case: the partners decided against an LCSPR and the Panel agreed,
/// or disagreed and the partners, having reconsidered, adhered to their decision.
fn child_without_review(case: &Case) -> Result<(), DomainError> {
    let decision = case
        .decision
        .as_ref()
        .ok_or_else(|| missing("closure.no_decision", "the partners' decision"))?;
    if case.after.effective_decision(Some(decision.decision)) == Some(ReviewDecision::Lcspr) {
        return Err(review_decided());
    }
    let response = case
        .after
        .panel_response
        .as_ref()
        .ok_or_else(|| missing("closure.no_panel_response", "the Panel's response"))?;
    match case.after.reconsideration {
        _ if response.agrees => Ok(()),
        Some((ReconsideredOutcome::Adhere, _)) => Ok(()),
        _ => Err(missing(
            "closure.reconsideration_pending",
            "the partners' reconsideration after the Panel disagreed",
        )),
    }
}

/// `not_taken_forward`: a referral the partners did not take into a rapid review.
fn referral_not_taken_forward(case: &Case) -> Result<(), DomainError> {
    if !matches!(case.origin, Origin::Referral(_)) {
        return Err(DomainError::conflict(
            "closure.not_a_referral",
            "not_taken_forward closes a referral; a notified case that on reflection did not \
             meet the notification criteria closes with criteria_not_met",
        ));
    }
    if case.rapid_review.is_some() || case.decision.is_some() {
        return Err(DomainError::conflict(
            "closure.referral_taken_forward",
            "the referral was taken forward into a rapid review",
        ));
    }
    Ok(())
}

/// `criteria_not_met`: a notified case that on reflection did not meet the criteria for a
/// notification, closed before the partners decided on a review.
fn criteria_not_met(case: &Case) -> Result<(), DomainError> {
    if !matches!(case.origin, Origin::Notification(_)) {
        return Err(DomainError::conflict(
            "closure.not_a_notification",
            "criteria_not_met closes a notified case; a referral closes with not_taken_forward",
        ));
    }
    if case.decision.is_some() {
        return Err(DomainError::conflict(
            "closure.decision_reached",
            "the partners have decided on a review: close with the reason their decision \
             leads to",
        ));
    }
    Ok(())
}

fn review_decided() -> DomainError {
    DomainError::conflict(
        "closure.review_decided",
        "a review was decided: the case closes when it is published or its publication \
         justifiably withheld",
    )
}

fn missing(code: &'static str, what: &str) -> DomainError {
    DomainError::conflict(
        code,
        format!("the case cannot close for this reason without {what}"),
    )
}
