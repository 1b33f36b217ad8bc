//! The Independent Advisor's advice and reconsideration after the Panel disagreed (Appendix D):
//! each partner's decision maker records its view, two in agreement decide, and the written
//! justification goes to the Panel.

use crate::DomainError;
use crate::case::commands::{
    RecordIndependentAdvice, RecordReconsideredDecision, SendReconsiderationToPanel,
};
use crate::case::decide::{Context, occurred, once};
use crate::case::decision::ReviewDecision;
use crate::case::practice_review::{PanelResponseRecorded, ReconsideredOutcome};
use crate::case::reconsideration::{
    AdviceSubject, IndependentAdviceRecorded, ReconsiderationSentToPanel, ReconsideredViewRecorded,
    reconsideration_of,
};
use crate::case::{Case, CaseEvent};
use chrono::{DateTime, Utc};

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// The Panel's disagreement, while the reconsidered decision is still to be reached.
fn open_reconsideration(case: &Case) -> Result<&PanelResponseRecorded, DomainError> {
    let response = case
        .after
        .panel_response
        .as_ref()
        .filter(|r| !r.agrees)
        .ok_or_else(|| {
            DomainError::conflict(
                "reconsideration.panel_did_not_disagree",
                "a decision is reconsidered only after the Panel disagreed",
            )
        })?;
    once(
        case.after.reconsideration,
        "reconsideration.already_recorded",
        "the reconsidered decision is already reached",
    )?;
    Ok(response)
}

/// What the advice answers and the instant it cannot precede.
fn advice_context(case: &Case, subject: AdviceSubject) -> Result<DateTime<Utc>, DomainError> {
    match subject {
        AdviceSubject::Reconsideration => Ok(open_reconsideration(case)?.occurred_at),
        AdviceSubject::DecisionDispute => {
            // A dispute is two partners voting differently.
            let votes: Vec<_> = case.votes.values().collect();
            let split = votes
                .iter()
                .any(|a| votes.iter().any(|b| a.decision != b.decision));
            if !split {
                return Err(DomainError::conflict(
                    "advice.no_dispute",
                    "the partners' votes do not disagree",
                ));
            }
            Ok(votes
                .iter()
                .map(|v| v.occurred_at)
                .max()
                .unwrap_or(case.opened_at))
        }
    }
}

pub(in crate::case) fn record_independent_advice(
    case: &Case,
    cmd: &RecordIndependentAdvice,
    ctx: &Context<'_>,
) -> Decided {
    let since = advice_context(case, cmd.subject)?;
    once(
        case.after.advice.get(&cmd.subject),
        "advice.already_recorded",
        "the Independent Advisor's advice on this is already recorded",
    )?;
    let occurred_at = occurred(cmd.occurred_at, ctx, since, "what the advice is about")?;
    Ok(vec![CaseEvent::IndependentAdviceRecorded(
        IndependentAdviceRecorded {
            subject: cmd.subject,
            advice: cmd.advice.clone(),
            occurred_at,
        },
    )])
}

/// The outcomes open to the partners: adhere, or the opposite of the decision the Panel
/// disagreed with (commission a review not decided on, withdraw one decided on).
fn check_outcome(case: &Case, outcome: ReconsideredOutcome) -> Result<(), DomainError> {
    let decided = case.decision.as_ref().map(|d| d.decision);
    let fits = match outcome {
        ReconsideredOutcome::Adhere => true,
        ReconsideredOutcome::Commission => decided == Some(ReviewDecision::NoLcspr),
        ReconsideredOutcome::Withdraw => decided == Some(ReviewDecision::Lcspr),
    };
    if fits {
        Ok(())
    } else {
        Err(DomainError::conflict(
            "reconsideration.outcome_does_not_fit",
            "commission answers a decision not to hold an LCSPR; withdraw answers a decision \
             to hold one",
        ))
    }
}

pub(in crate::case) fn record_reconsidered_decision(
    case: &Case,
    cmd: &RecordReconsideredDecision,
    ctx: &Context<'_>,
) -> Decided {
    let response = open_reconsideration(case)?;
    if case.after.reconsidered_views.contains_key(&cmd.partner) {
        return Err(DomainError::conflict(
            "reconsideration.already_voted",
            "this partner has already recorded its reconsidered view",
        ));
    }
    // The partners reconsider with the Independent Advisor's advice (Appendix D).
    let advised_at = *case
        .after
        .advice
        .get(&AdviceSubject::Reconsideration)
        .ok_or_else(|| {
            DomainError::conflict(
                "reconsideration.no_independent_advice",
                "the Independent Advisor's advice on the reconsideration is not recorded yet",
            )
        })?;
    check_outcome(case, cmd.outcome)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        advised_at.max(response.occurred_at),
        "the Independent Advisor's advice",
    )?;
    let view = ReconsideredViewRecorded {
        partner: cmd.partner,
        outcome: cmd.outcome,
        rationale: cmd.rationale.clone(),
        occurred_at,
    };
    let mut views = case.after.reconsidered_views.clone();
    views.insert(view.partner, view.clone());
    let mut events = vec![CaseEvent::ReconsideredViewRecorded(view)];
    if let Some(reached) = reconsideration_of(&views) {
        events.push(CaseEvent::ReconsiderationReached(reached));
    }
    Ok(events)
}

pub(in crate::case) fn send_reconsideration_to_panel(
    case: &Case,
    cmd: &SendReconsiderationToPanel,
    ctx: &Context<'_>,
) -> Decided {
    let (_, reached_at) = case.after.reconsideration.ok_or_else(|| {
        DomainError::conflict(
            "reconsideration.not_reached",
            "two partners have not yet agreed a reconsidered decision",
        )
    })?;
    once(
        case.after.reconsideration_sent_at,
        "reconsideration.already_sent",
        "the justification has already been sent to the Panel",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        reached_at,
        "the reconsidered decision",
    )?;
    Ok(vec![CaseEvent::ReconsiderationSentToPanel(
        ReconsiderationSentToPanel {
            justification: cmd.justification.clone(),
            occurred_at,
        },
    )])
}
