//! Erasure of a case's personal data.

use casetrail_domain::case::erasure;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The legal basis for an erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ErasureBasis {
    /// A request under UK GDPR Art. 17 (right to erasure), found by the data protection
    /// officer to have no exemption.
    UkGdprArticle17Request,
    /// The partnership's retention period for the case's personal details has ended
    /// (UK GDPR Art. 5(1)(e)); see `GET /v1/retention/due`.
    RetentionPeriodEnded,
    /// A court ordered the data erased.
    CourtOrder,
}
super::same_enum!(ErasureBasis => erasure::ErasureBasis { UkGdprArticle17Request, RetentionPeriodEnded, CourtOrder });

/// EraseCasePersonalData request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"legal_basis": "uk_gdpr_article17_request",
    "reason": "DPO request 2026-0143: no exemption applies"}))]
pub struct EraseCasePersonalDataRequest {
    /// The legal basis.
    pub legal_basis: ErasureBasis,
    /// Why, in words that identify no one: it is kept in clear in the event log for good
    /// (at most 500 characters), such as the data protection officer's request reference.
    pub reason: String,
}
