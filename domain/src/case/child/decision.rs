//! The safeguarding partners' decision on a local child safeguarding practice review: each
//! partner votes once, and two of three in agreement decide (Working Together 2018).

use crate::case::SealedPersonalData;
use crate::partnership::StatutoryPartner;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether to hold a local child safeguarding practice review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Hold an LCSPR.
    Lcspr,
    /// No LCSPR.
    NoLcspr,
}

/// The criteria for a review (domain.md step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionCriterion {
    /// Highlights improvements needed to safeguard and promote the welfare of children.
    ImprovementsNeeded,
    /// Highlights recurrent themes.
    RecurrentThemes,
    /// Highlights concerns about organisations working together.
    AgenciesWorkingTogether,
    /// The Panel considered it and concluded a local review may be more appropriate.
    PanelSuggestedLocalReview,
    /// May reveal learning from good practice, poor practice or near misses.
    LearningFromPractice,
}

/// One partner's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerDecisionRecorded {
    /// The partner voting.
    pub partner: StatutoryPartner,
    /// The vote.
    pub decision: ReviewDecision,
    /// Criteria the partner considers met.
    pub criteria: Vec<DecisionCriterion>,
    /// Whether the partner thinks a national review may be appropriate.
    pub national_review_suggested: bool,
    /// The rationale, sealed (it describes the case).
    pub rationale: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Two partners agreed: the partnership's decision, recorded once and never recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReached {
    /// The decision.
    pub decision: ReviewDecision,
    /// The partners whose votes made it.
    pub agreed_by: Vec<StatutoryPartner>,
    /// When (the latest `occurred_at` of the votes that made it).
    pub occurred_at: DateTime<Utc>,
}

/// The decision a set of votes makes, if two agree.
pub fn decision_of(
    votes: &crate::small_map::SmallMap<StatutoryPartner, PartnerDecisionRecorded>,
) -> Option<(ReviewDecision, Vec<StatutoryPartner>)> {
    [ReviewDecision::Lcspr, ReviewDecision::NoLcspr]
        .into_iter()
        .find_map(|decision| {
            let agreed: Vec<_> = votes
                .values()
                .filter(|v| v.decision == decision)
                .map(|v| v.partner)
                .collect();
            (agreed.len() >= 2).then_some((decision, agreed))
        })
}
