//! After the rapid review: the Panel's response, reconsideration, telling the family, the local
//! child safeguarding practice review (LCSPR) and its publication. `AfterReview` also keeps the
//! recommendations and the closure every process shares (their facts are in `shared::review`,
//! re-exported here so their paths stay as they were).

use crate::calendar::end_of_day;
use crate::case::SealedPersonalData;
use crate::case::decision::ReviewDecision;
use crate::case::rapid_review::Occurred;
use crate::case::reconsideration::{AdviceSubject, ReconsideredViewRecorded};
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::StatutoryPartner;
use crate::small_map::SmallMap;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::case::shared::review::{
    CaseClosed, ClosureReason, Recommendation, RecommendationAdded, RecommendationCompleted,
    ReviewPublished,
};

/// The national Panel's response to the rapid review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelResponseRecorded {
    /// Whether the Panel agrees with the partners' decision.
    pub agrees: bool,
    /// When the response was received.
    pub occurred_at: DateTime<Utc>,
}

/// What the partners decided on reconsideration after the Panel disagreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReconsideredOutcome {
    /// Keep the original decision.
    Adhere,
    /// Commission an LCSPR (after a decision not to hold one).
    Commission,
    /// Withdraw a decision to hold an LCSPR.
    Withdraw,
}

/// The partners reconsidered their decision, with the Independent Advisor's advice. History
/// only: stored before reconsideration needed two of the three partners; read as both the
/// reconsidered decision and the justification sent to the Panel. New reconsiderations are
/// `ReconsideredViewRecorded`, `ReconsiderationReached` and `ReconsiderationSentToPanel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReconsidered {
    /// The outcome.
    pub outcome: ReconsideredOutcome,
    /// The written justification sent to the Panel, sealed.
    pub justification: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The outcome and rationale were communicated to the child or family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyCommunicationRecorded {
    /// Whether it was given in person through the practitioner working with the family.
    pub in_person: bool,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The LCSPR was commissioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeReviewCommissioned {
    /// The reviewer (independent of the case).
    pub reviewer: String,
    /// Terms of reference, sealed.
    pub terms_of_reference: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The Strategic Leadership Group approved a delay to publication; the Panel was told why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationDelayApproved {
    /// The new day by which the review is to be published.
    pub new_due_on: NaiveDate,
    /// The reasons, sealed (they may name proceedings).
    pub reasons: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Publication was withheld; information about the improvements is published instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationWithheld {
    /// The justification set out for the Panel and the Secretary of State, sealed.
    pub justification: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The LCSPR as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeReview {
    /// The reviewer.
    pub reviewer: String,
    /// When commissioned.
    pub commissioned_at: DateTime<Utc>,
    /// Approved delays: (new due day, when approved), in order.
    pub delays: Vec<(NaiveDate, DateTime<Utc>)>,
    /// When the final report went to the Panel and the Secretary of State.
    pub report_sent_at: Option<DateTime<Utc>>,
    /// Publication.
    pub published: Option<ReviewPublished>,
    /// When publication was withheld.
    pub withheld_at: Option<DateTime<Utc>>,
    /// When the published report was taken down from the website.
    pub taken_down_at: Option<DateTime<Utc>>,
    /// When publication was withheld: when the improvements information went to the Panel and
    /// the Secretary of State.
    pub improvements_sent_at: Option<DateTime<Utc>>,
    /// When publication was withheld: the improvements information's publication.
    pub improvements_published: Option<ReviewPublished>,
    /// When the report, or the improvements information, went to Ofsted.
    pub ofsted_copy_at: Option<DateTime<Utc>>,
}

impl PracticeReview {
    /// A review just commissioned.
    pub fn commissioned(event: &PracticeReviewCommissioned) -> Self {
        Self {
            reviewer: event.reviewer.clone(),
            commissioned_at: event.occurred_at,
            delays: Vec::new(),
            report_sent_at: None,
            published: None,
            withheld_at: None,
            taken_down_at: None,
            improvements_sent_at: None,
            improvements_published: None,
            ofsted_copy_at: None,
        }
    }

    /// What was published: the report, or the improvements information instead.
    pub fn publication(&self) -> Option<&ReviewPublished> {
        self.published
            .as_ref()
            .or(self.improvements_published.as_ref())
    }
}

/// Everything after the rapid review's submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterReview {
    /// The Panel's response.
    pub panel_response: Option<PanelResponseRecorded>,
    /// The reconsidered decision (two partners agreeing), when the Panel disagreed.
    pub reconsideration: Option<(ReconsideredOutcome, DateTime<Utc>)>,
    /// Each partner's reconsidered view.
    pub reconsidered_views: SmallMap<StatutoryPartner, ReconsideredViewRecorded>,
    /// The Independent Advisor's advice: when given, by subject.
    pub advice: SmallMap<AdviceSubject, DateTime<Utc>>,
    /// When the reconsidered decision's justification went to the Panel.
    pub reconsideration_sent_at: Option<DateTime<Utc>>,
    /// Communication to the family.
    pub family_communication: Option<FamilyCommunicationRecorded>,
    /// The LCSPR.
    pub practice_review: Option<PracticeReview>,
    /// Recommendations by id.
    pub recommendations: SmallMap<Uuid, Recommendation>,
    /// Each time the review's learning was shared, oldest first (docs/rules.md LR-1); absent
    /// from snapshots taken before they were kept.
    #[serde(default)]
    pub learning_shared: Vec<crate::case::shared::learning::LearningDisseminated>,
    /// The closure.
    pub closed: Option<CaseClosed>,
}

impl AfterReview {
    /// The decision in force: the partners', unless reconsidered into commissioning a review.
    pub fn effective_decision(&self, decided: Option<ReviewDecision>) -> Option<ReviewDecision> {
        match self.reconsideration {
            Some((ReconsideredOutcome::Commission, _)) => Some(ReviewDecision::Lcspr),
            Some((ReconsideredOutcome::Withdraw, _)) => Some(ReviewDecision::NoLcspr),
            // Adhering to the decision, or not reconsidering, leaves it as the partners took it.
            Some((ReconsideredOutcome::Adhere, _)) | None => decided,
        }
    }

    /// One deadline per recommendation, owned by its lead organisation.
    pub fn recommendation_deadlines(&self) -> Vec<Deadline> {
        self.recommendations
            .values()
            .map(|r| {
                let mut deadline = Deadline::new(
                    DeadlineKind::Recommendation,
                    r.added.lead_owner().cloned(),
                    end_of_day(r.added.due_on),
                    r.completed_at,
                );
                deadline.reference = Some(r.added.recommendation_id);
                deadline
            })
            .collect()
    }
}

/// A plain `occurred_at` fact, reused for "final report sent to the Panel".
pub type FinalReportSent = Occurred;
