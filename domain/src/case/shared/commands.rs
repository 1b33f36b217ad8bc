//! Commands every review process shares (agency reports, publication, recommendations,
//! closure) and the parts of commands that several use.

use crate::OrgSlug;
use crate::case::SealedPersonalData;
use crate::case::practice_review::ClosureReason;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A command that records only that something happened, and when.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = OccurredRequest, example = json!({}))
)]
#[serde(deny_unknown_fields)]
pub struct At {
    /// When it happened, if not now (RFC 3339; never in the future).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A command naming one organisation (request a report, comments, sign-off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForOrganisation {
    /// The organisation.
    pub organisation: OrgSlug,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// SubmitAgencyReport: an agency's report for the rapid review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitAgencyReport {
    /// The agency (must be the actor's own organisation).
    pub organisation: OrgSlug,
    /// Involvement, summary and learning, sealed by the edge.
    pub report: SealedPersonalData,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// PublishReview: the review was published on the partnership's website.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = PublishReviewRequest, example = json!({"url": "https://www.southendsafeguarding.example/reviews/child-a"}))
)]
#[serde(deny_unknown_fields)]
pub struct PublishReview {
    /// Where it is published.
    pub url: Option<String>,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// AddRecommendation: a recommendation of the review with its owner and due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRecommendation {
    /// Its id, chosen by the edge.
    pub recommendation_id: Uuid,
    /// What is recommended (for publication, without personal data).
    pub text: String,
    /// The organisations owning the action, the lead first.
    pub owners: Vec<OrgSlug>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CompleteRecommendation: a recommendation's action was completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteRecommendation {
    /// Which.
    pub recommendation_id: Uuid,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// CloseCase: the case is closed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseCase {
    /// Why.
    pub reason: ClosureReason,
    /// When, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// What the referrer or notifier knows of an adult or a victim (identifying details are sealed
/// separately; the date of birth is used here only to derive the age band).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    /// Pseudonymous reference.
    pub reference: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
}
