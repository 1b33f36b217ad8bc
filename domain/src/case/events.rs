//! Events of a case stream: the facts, in the past tense. Stored type names never change.

use super::adult_review::{
    SarCommissioned, SarCompleted, SarDecisionRecorded, SarPaused, SarReferred,
};
use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::homicide_review::{
    DhrCommissioned, DhrCompleted, DhrDecisionRecorded, DhrFamilyInvolvementRecorded,
    DhrQaOutcomeRecorded, DomesticHomicideNotified,
};
use super::practice_review::{
    CaseClosed, DecisionReconsidered, FamilyCommunicationRecorded, PanelResponseRecorded,
    PracticeReviewCommissioned, PublicationDelayApproved, PublicationWithheld, RecommendationAdded,
    RecommendationCompleted, ReviewPublished,
};
use super::rapid_review::{
    AgencyReportSubmitted, DraftMilestoneRecorded, ModifiedResponseAgreed, Occurred,
    OrganisationAct, PartnerLeadNamed, RapidReviewInitiated, RapidReviewMeetingHeld,
    RapidReviewSubmitted, ReviewLeadAgreed,
};
use super::reconsideration::{
    IndependentAdviceRecorded, ReconsiderationReached, ReconsiderationSentToPanel,
    ReconsideredViewRecorded,
};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Harm suffered. Only `death` and `serious_harm` meet the notification criteria; the other
/// value exists so a partner system can say what it knows and be told why it does not qualify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Harm {
    /// The child died.
    Death,
    /// The child was seriously harmed.
    SeriousHarm,
    /// Harm that is not serious (does not meet the criteria).
    NotSerious,
}

/// Whether abuse or neglect is known or suspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbuseOrNeglect {
    /// Known.
    Known,
    /// Suspected.
    Suspected,
    /// Neither known nor suspected (does not meet the criteria).
    NotSuspected,
}

/// Why the incident is this local authority's to notify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationBasis {
    /// It happened in the local authority's area.
    InArea,
    /// The child normally lives in the area and it happened outside England.
    ResidentOutsideEngland,
    /// It happened elsewhere in England (the local authority there notifies).
    ElsewhereInEngland,
}

/// Age band at the incident, as the Panel's notification form records it. Stored instead of
/// the date of birth so statistics never need personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgeBand {
    /// Under one year.
    #[serde(rename = "under_1")]
    Under1,
    /// 1 to 5 years.
    #[serde(rename = "1_to_5")]
    From1To5,
    /// 6 to 10 years.
    #[serde(rename = "6_to_10")]
    From6To10,
    /// 11 to 15 years.
    #[serde(rename = "11_to_15")]
    From11To15,
    /// 16 or 17 years.
    #[serde(rename = "16_to_17")]
    From16To17,
}

impl AgeBand {
    /// The band for an age in whole years; `None` for adults.
    pub fn for_age(years: u32) -> Option<AgeBand> {
        match years {
            0 => Some(AgeBand::Under1),
            1..=5 => Some(AgeBand::From1To5),
            6..=10 => Some(AgeBand::From6To10),
            11..=15 => Some(AgeBand::From11To15),
            16 | 17 => Some(AgeBand::From16To17),
            _ => None,
        }
    }
}

/// What the partnership may process about the child without identifying them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProfile {
    /// The local authority's pseudonymous case reference.
    pub reference: String,
    /// Age band at the incident.
    pub age_band: AgeBand,
    /// Sex as recorded by the local authority.
    pub sex: String,
    /// Ethnicity as recorded by the local authority.
    pub ethnicity: String,
    /// Whether the child was looked after.
    pub looked_after: bool,
    /// Whether the child had a child protection plan.
    pub child_protection_plan: bool,
}

/// Personal data sealed with a key of its own: erasing the key erases the data (crypto-
/// shredding) without touching the event or the hash chain. Opaque to the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedPersonalData {
    /// The key's id in the key store.
    pub key_id: uuid::Uuid,
    /// Algorithm name, e.g. `AES-256-GCM`.
    pub algorithm: String,
    /// Base64 nonce.
    pub nonce: String,
    /// Base64 ciphertext.
    pub ciphertext: String,
}

/// A serious incident was notified by the local authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentNotified {
    /// The new case.
    pub case_id: CaseId,
    /// The local authority that notified.
    pub notified_by: OrgSlug,
    /// The child, without identifying details.
    pub child: ChildProfile,
    /// Names, date of birth and the summary, sealed.
    pub personal_data: SealedPersonalData,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When the local authority became aware (starts the 5-working-day Panel notification).
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
    /// When the notification was made.
    pub occurred_at: DateTime<Utc>,
}

/// An organisation asked the safeguarding partners to consider a case for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReferred {
    /// The new case.
    pub case_id: CaseId,
    /// The referring organisation.
    pub referred_by: OrgSlug,
    /// The child, without identifying details.
    pub child: ChildProfile,
    /// Names, date of birth and the reasons for the referral, sealed.
    pub personal_data: SealedPersonalData,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When the referral was made.
    pub occurred_at: DateTime<Utc>,
}

/// The local authority notified the national Panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNotificationRecorded {
    /// The Panel's reference.
    pub panel_reference: String,
    /// The day the notification was submitted.
    pub submitted_on: NaiveDate,
    /// When it was submitted.
    pub occurred_at: DateTime<Utc>,
}

/// Declares the event enum once: its variants, their stored type names (the variant names,
/// never renamed) and `occurred_at`.
macro_rules! case_events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty)),* $(,)?) => {
        /// Something that happened to a case.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "event_type", content = "data")]
        pub enum CaseEvent {
            $($(#[$doc])* $variant($payload),)*
        }

        impl CaseEvent {
            /// Every stored type name.
            pub const EVENT_TYPES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The stable stored type name.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(CaseEvent::$variant(_) => stringify!($variant),)*
                }
            }

            /// When the fact happened.
            pub fn occurred_at(&self) -> DateTime<Utc> {
                match self {
                    $(CaseEvent::$variant(e) => e.occurred_at,)*
                }
            }
        }
    };
}

case_events! {
    /// The local authority notified a serious incident (opens a child case).
    IncidentNotified(IncidentNotified),
    /// An organisation referred a case for consideration (opens a child case).
    CaseReferred(CaseReferred),
    /// The local authority notified the national Panel.
    PanelNotificationRecorded(PanelNotificationRecorded),
    /// The business manager initiated the rapid review.
    RapidReviewInitiated(RapidReviewInitiated),
    /// The three safeguarding partners were notified of the rapid review (day 2).
    PartnersNotified(Occurred),
    /// A partner named its lead.
    PartnerLeadNamed(PartnerLeadNamed),
    /// The review lead/author was agreed.
    ReviewLeadAgreed(ReviewLeadAgreed),
    /// A modified response was agreed: internal documents instead of agency reports.
    ModifiedResponseAgreed(ModifiedResponseAgreed),
    /// An agency was asked for a report.
    AgencyReportRequested(OrganisationAct),
    /// An agency submitted its report (day 6, close of business).
    AgencyReportSubmitted(AgencyReportSubmitted),
    /// The business manager circulated the reports (day 7).
    AgencyReportsCirculated(Occurred),
    /// The rapid review meeting was held (day 8).
    RapidReviewMeetingHeld(RapidReviewMeetingHeld),
    /// A drafting step was reached (days 11 and 12).
    DraftMilestoneRecorded(DraftMilestoneRecorded),
    /// An organisation returned its comments on the draft (day 12, 15:00).
    DraftCommentsSubmitted(OrganisationAct),
    /// An organisation's senior manager signed the report off (day 13).
    SeniorSignOffConfirmed(OrganisationAct),
    /// The Independent Advisor signed the report off (day 14).
    RapidReviewSignedOff(Occurred),
    /// A safeguarding partner voted on holding an LCSPR.
    PartnerDecisionRecorded(PartnerDecisionRecorded),
    /// Two partners agreed: the decision.
    DecisionReached(DecisionReached),
    /// The rapid review was submitted to the Panel (day 15), with the partners' view on a
    /// national review.
    RapidReviewSubmittedToPanel(RapidReviewSubmitted),
    /// The national Panel responded to the rapid review.
    PanelResponseRecorded(PanelResponseRecorded),
    /// The partners reconsidered after the Panel disagreed.
    DecisionReconsidered(DecisionReconsidered),
    /// The outcome was communicated to the child or family.
    FamilyCommunicationRecorded(FamilyCommunicationRecorded),
    /// The LCSPR was commissioned.
    PracticeReviewCommissioned(PracticeReviewCommissioned),
    /// A delay to publication was approved.
    PublicationDelayApproved(PublicationDelayApproved),
    /// The final report went to the Panel and the Secretary of State.
    FinalReportSentToPanel(Occurred),
    /// The review was published.
    ReviewPublished(ReviewPublished),
    /// Publication was withheld.
    PublicationWithheld(PublicationWithheld),
    /// The published report was taken down from the website (a year after publication; it
    /// stays available on request).
    ReviewTakenDown(Occurred),
    /// A recommendation was added.
    RecommendationAdded(RecommendationAdded),
    /// A recommendation's action was completed.
    RecommendationCompleted(RecommendationCompleted),
    /// The case was closed.
    CaseClosed(CaseClosed),
    /// An organisation referred an adult for a safeguarding adult review (opens an adult case).
    SarReferred(SarReferred),
    /// The Safeguarding Adults Board decided on a review.
    SarDecisionRecorded(SarDecisionRecorded),
    /// The safeguarding adult review was commissioned.
    SarCommissioned(SarCommissioned),
    /// The adult's family was invited to contribute to the review.
    SarFamilyInvited(Occurred),
    /// The safeguarding adult review was paused.
    SarPaused(SarPaused),
    /// The safeguarding adult review resumed.
    SarResumed(Occurred),
    /// The safeguarding adult review was completed.
    SarCompleted(SarCompleted),
    /// A domestic homicide was notified (opens a domestic homicide case).
    DomesticHomicideNotified(DomesticHomicideNotified),
    /// The partnership decided whether to conduct a domestic homicide review.
    DhrDecisionRecorded(DhrDecisionRecorded),
    /// The domestic homicide review was commissioned.
    DhrCommissioned(DhrCommissioned),
    /// The domestic homicide review's overview report was completed.
    DhrCompleted(DhrCompleted),
    /// The review went to the Home Office quality assurance panel.
    DhrSubmittedToHomeOffice(Occurred),
    /// The Home Office was told of the decision on a domestic homicide review.
    DhrDecisionNotifiedToHomeOffice(Occurred),
    /// The Home Office quality assurance panel answered the submitted review.
    DhrQaOutcomeRecorded(DhrQaOutcomeRecorded),
    /// A step of the victim's family's involvement in the domestic homicide review.
    DhrFamilyInvolvementRecorded(DhrFamilyInvolvementRecorded),
    /// A copy of the Panel notification went to the business manager.
    PanelNotificationCopied(Occurred),
    /// The death of a looked-after child was notified to Ofsted and the Secretary of State.
    LookedAfterDeathNotified(Occurred),
    /// The Independent Advisor advised the partners' decision makers.
    IndependentAdviceRecorded(IndependentAdviceRecorded),
    /// A partner's decision maker recorded its reconsidered view.
    ReconsideredViewRecorded(ReconsideredViewRecorded),
    /// Two partners' reconsidered views agreed: the reconsidered decision.
    ReconsiderationReached(ReconsiderationReached),
    /// The reconsidered decision's written justification went to the Panel.
    ReconsiderationSentToPanel(ReconsiderationSentToPanel),
    /// Publication withheld: the improvements information went to the Panel and the Secretary
    /// of State.
    ImprovementsInformationSentToPanel(Occurred),
    /// Publication withheld: the improvements information was published instead.
    ImprovementsInformationPublished(ReviewPublished),
    /// The LCSPR report, or the improvements information, went to Ofsted.
    PracticeReviewCopiedToOfsted(Occurred),
    /// The case's personal data was erased (its key destroyed).
    PersonalDataErased(super::erasure::PersonalDataErased),
}

impl SealedPersonalData {
    /// Drops the sealed bytes, keeping which key and algorithm sealed them. For copies that
    /// only need to know the data exists: the read models, which never unseal anything (the
    /// identifying details are unsealed from the stored event itself).
    pub fn forget_text(&mut self) {
        self.nonce = String::new();
        self.ciphertext = String::new();
    }
}

impl CaseEvent {
    /// The event's sealed field, if it has one (no event type has more than one).
    pub fn sealed_mut(&mut self) -> Option<&mut SealedPersonalData> {
        match self {
            CaseEvent::IncidentNotified(e) => Some(&mut e.personal_data),
            CaseEvent::CaseReferred(e) => Some(&mut e.personal_data),
            CaseEvent::ModifiedResponseAgreed(e) => Some(&mut e.rationale),
            CaseEvent::AgencyReportSubmitted(e) => Some(&mut e.report),
            CaseEvent::PartnerDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::DecisionReconsidered(e) => Some(&mut e.justification),
            CaseEvent::PracticeReviewCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::PublicationDelayApproved(e) => Some(&mut e.reasons),
            CaseEvent::PublicationWithheld(e) => Some(&mut e.justification),
            CaseEvent::SarReferred(e) => Some(&mut e.personal_data),
            CaseEvent::SarDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::SarCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::SarPaused(e) => Some(&mut e.reason),
            CaseEvent::SarCompleted(e) => Some(&mut e.findings),
            CaseEvent::DomesticHomicideNotified(e) => Some(&mut e.personal_data),
            CaseEvent::DhrDecisionRecorded(e) => Some(&mut e.rationale),
            CaseEvent::DhrCommissioned(e) => Some(&mut e.terms_of_reference),
            CaseEvent::DhrCompleted(e) => Some(&mut e.overview),
            CaseEvent::IndependentAdviceRecorded(e) => Some(&mut e.advice),
            CaseEvent::ReconsideredViewRecorded(e) => Some(&mut e.rationale),
            CaseEvent::ReconsiderationSentToPanel(e) => Some(&mut e.justification),
            _ => None,
        }
    }
}
