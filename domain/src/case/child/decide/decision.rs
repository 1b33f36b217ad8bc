//! RecordPartnerDecision: each partner votes once for itself; two in agreement decide.

use crate::DomainError;
use crate::case::commands::RecordPartnerDecision;
use crate::case::decide::{Context, occurred};
use crate::case::decision::{
    DecisionReached, PartnerDecisionRecorded, ReviewDecision, decision_of,
};
use crate::case::{Case, CaseEvent};

pub(in crate::case) fn record_partner_decision(
    case: &Case,
    cmd: &RecordPartnerDecision,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let review = case.rapid_review.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "rapid_review.not_started",
            "the rapid review has not been initiated",
        )
    })?;
    if case.votes.contains_key(&cmd.partner) {
        return Err(DomainError::conflict(
            "decision.already_voted",
            "this partner has already recorded its decision",
        ));
    }
    if cmd.decision == ReviewDecision::Lcspr && cmd.criteria.is_empty() {
        return Err(DomainError::invalid_field(
            "criteria",
            "decision.criteria_required",
            "a decision to hold a review names the criteria it meets",
        ));
    }
    let mut criteria = cmd.criteria.clone();
    criteria.sort_unstable();
    criteria.dedup();
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    let vote = PartnerDecisionRecorded {
        partner: cmd.partner,
        decision: cmd.decision,
        criteria,
        national_review_suggested: cmd.national_review_suggested,
        rationale: cmd.rationale.clone(),
        occurred_at,
    };
    let mut events = vec![CaseEvent::PartnerDecisionRecorded(vote.clone())];
    // The decision falls once, when two partners first agree; a later vote never changes it.
    if case.decision.is_none() {
        let mut votes = case.votes.clone();
        votes.insert(vote.partner, vote);
        if let Some((decision, agreed_by)) = decision_of(&votes) {
            // Dated by the later of the agreeing votes, not by the vote just recorded: that one
            // may be backdated before the other, and the partners agreed only once both had
            // voted (a fact never predates what it depends on).
            let occurred_at = agreed_by
                .iter()
                .filter_map(|partner| votes.get(partner))
                .map(|vote| vote.occurred_at)
                .max()
                .unwrap_or(occurred_at);
            events.push(CaseEvent::DecisionReached(DecisionReached {
                decision,
                agreed_by,
                occurred_at,
            }));
        }
    }
    Ok(events)
}
