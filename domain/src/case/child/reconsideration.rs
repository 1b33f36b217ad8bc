//! Reconsideration after the Panel disagreed (Appendix D): the partners' decision makers
//! reconsider with the Independent Advisor's advice; two of the three partners in agreement
//! decide, as for the first decision; the written justification goes to the Panel.

use crate::case::SealedPersonalData;
use crate::case::practice_review::ReconsideredOutcome;
use crate::partnership::StatutoryPartner;
use crate::small_map::SmallMap;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the Independent Advisor advised on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdviceSubject {
    /// The partners' votes on a review split: the Independent Advisor helps resolve the
    /// disagreement (the arrangements' dispute resolution and escalation process).
    DecisionDispute,
    /// The partners reconsider after the Panel disagreed.
    Reconsideration,
}

/// The Independent Advisor's advice to the partners' decision makers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndependentAdviceRecorded {
    /// What the advice is about.
    pub subject: AdviceSubject,
    /// The advice, sealed (it discusses the case).
    pub advice: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// One partner's decision maker's reconsidered view; alone it decides nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconsideredViewRecorded {
    /// The partner.
    pub partner: StatutoryPartner,
    /// Its view.
    pub outcome: ReconsideredOutcome,
    /// Its rationale, sealed.
    pub rationale: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Two partners' reconsidered views agreed: the reconsidered decision, recorded once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconsiderationReached {
    /// The outcome.
    pub outcome: ReconsideredOutcome,
    /// The partners whose views made it.
    pub agreed_by: Vec<StatutoryPartner>,
    /// When (the later of the agreeing views).
    pub occurred_at: DateTime<Utc>,
}

/// The written justification of the reconsidered decision was sent to the Panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconsiderationSentToPanel {
    /// The justification, sealed.
    pub justification: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The outcome two views agree on, with the partners agreeing and when the later of them
/// was recorded.
pub fn reconsideration_of(
    views: &SmallMap<StatutoryPartner, ReconsideredViewRecorded>,
) -> Option<ReconsiderationReached> {
    [
        ReconsideredOutcome::Adhere,
        ReconsideredOutcome::Commission,
        ReconsideredOutcome::Withdraw,
    ]
    .into_iter()
    .find_map(|outcome| {
        let agreeing: Vec<_> = views.values().filter(|v| v.outcome == outcome).collect();
        (agreeing.len() >= 2).then(|| ReconsiderationReached {
            outcome,
            agreed_by: agreeing.iter().map(|v| v.partner).collect(),
            occurred_at: agreeing
                .iter()
                .map(|v| v.occurred_at)
                .max()
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        })
    })
}
