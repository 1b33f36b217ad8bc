//! After the rapid review: the Panel's response, reconsideration, telling the family, the local
//! child safeguarding practice review (LCSPR) and its publication, recommendations, closure.

use super::SealedPersonalData;
use super::decision::ReviewDecision;
use super::rapid_review::Occurred;
use crate::OrgSlug;
use crate::calendar::{WorkingCalendar, end_of_day};
use crate::deadline::{Deadline, DeadlineKind};
use crate::small_map::SmallMap;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
#[serde(rename_all = "snake_case")]
pub enum ReconsideredOutcome {
    /// Keep the original decision.
    Adhere,
    /// Commission an LCSPR.
    Commission,
}

/// The partners reconsidered their decision, with the Independent Advisor's advice.
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

/// The review was published on the partnership's website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPublished {
    /// Where.
    pub url: Option<String>,
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

/// A recommendation of the review, owned by one organisation or several jointly. Schema
/// version 2; version 1 had a single `owner` (see `codec/upcast.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationAdded {
    /// Its id.
    pub recommendation_id: Uuid,
    /// What is recommended (written for publication, without personal data).
    pub text: String,
    /// The organisations that own the action, the lead first; never empty, no repeats.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When it was added.
    pub occurred_at: DateTime<Utc>,
}

/// A recommendation's action was completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationCompleted {
    /// Which.
    pub recommendation_id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// No review after the rapid review, and the Panel agreed.
    NoReview,
    /// The review was published.
    ReviewPublished,
    /// Publication was withheld; improvements published instead.
    PublicationWithheld,
    /// Referred and not taken forward.
    NotTakenForward,
    /// Notified, and on reflection the incident did not meet the criteria for a notification.
    CriteriaNotMet,
}

/// The case was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClosed {
    /// Why.
    pub reason: ClosureReason,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The LCSPR as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// A recommendation and its completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// As added.
    pub added: RecommendationAdded,
    /// When completed.
    pub completed_at: Option<DateTime<Utc>>,
}

impl RecommendationAdded {
    /// The lead owner: the organisation answerable for the deadline.
    pub fn lead_owner(&self) -> Option<&OrgSlug> {
        self.owners.first()
    }
}

/// Everything after the rapid review's submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AfterReview {
    /// The Panel's response.
    pub panel_response: Option<PanelResponseRecorded>,
    /// The reconsideration, when the Panel disagreed.
    pub reconsideration: Option<(ReconsideredOutcome, DateTime<Utc>)>,
    /// Communication to the family.
    pub family_communication: Option<FamilyCommunicationRecorded>,
    /// The LCSPR.
    pub practice_review: Option<PracticeReview>,
    /// Recommendations by id.
    pub recommendations: SmallMap<Uuid, Recommendation>,
    /// The closure.
    pub closed: Option<CaseClosed>,
}

impl AfterReview {
    /// The decision in force: the partners', unless reconsidered into commissioning a review.
    pub fn effective_decision(&self, decided: Option<ReviewDecision>) -> Option<ReviewDecision> {
        match self.reconsideration {
            Some((ReconsideredOutcome::Commission, _)) => Some(ReviewDecision::Lcspr),
            _ => decided,
        }
    }

    /// The LCSPR's deadlines: publication 6 calendar months after the decision (moved by
    /// approved delays, the original kept visible), the final report to the Panel at least 7
    /// working days before publication, and taking the report down a year after publication.
    pub fn practice_review_deadlines(
        &self,
        decided_on: NaiveDate,
        calendar: &WorkingCalendar,
    ) -> Vec<Deadline> {
        let Some(review) = &self.practice_review else {
            return Vec::new();
        };
        let original_due = decided_on
            .checked_add_months(Months::new(6))
            .unwrap_or(NaiveDate::MAX);
        let due_on = review.delays.last().map_or(original_due, |(day, _)| *day);
        let published_at = review.published.as_ref().map(|p| p.occurred_at);
        let mut deadlines = vec![
            Deadline::new(
                DeadlineKind::LcsprPublication,
                None,
                end_of_day(due_on),
                published_at.or(review.withheld_at),
            )
            .with_original(end_of_day(original_due), !review.delays.is_empty()),
            Deadline::new(
                DeadlineKind::LcsprReportToPanel,
                None,
                end_of_day(calendar.working_days_before(due_on, 7)),
                review.report_sent_at,
            )
            .superseded_at(review.withheld_at),
        ];
        if let Some(published) = &review.published {
            let published_on = crate::calendar::local_date(published.occurred_at);
            let take_down_on = published_on
                .checked_add_months(Months::new(12))
                .unwrap_or(NaiveDate::MAX);
            deadlines.push(Deadline::new(
                DeadlineKind::PublicationTakeDown,
                None,
                end_of_day(take_down_on),
                review.taken_down_at,
            ));
        }
        deadlines
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
