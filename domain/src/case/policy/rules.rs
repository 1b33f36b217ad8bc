//! The declaration itself: one line per case command, read by the decider, the edge's role
//! check (`may_send`), the next steps and the documentation. A new command is added here and
//! nowhere else as far as who may send it is concerned.

use super::Applies::{AnyKind, Opens, To};
use super::OrganisationRule::{
    Any, LocalAuthority, OwnOrganisation, OwnPartner, RecommendationOwner, Registered,
    StatutoryPartner,
};
use super::{CommandRule, rule};
use crate::Role;
use crate::case::CaseKind::{self, Adult, Child, DomesticHomicide};

const BM: Role = Role::BusinessManager;
const PDM: Role = Role::PartnerDecisionMaker;
const AGENCY: Role = Role::AgencyUser;
const IA: Role = Role::IndependentAdvisor;
const REVIEWER: Role = Role::Reviewer;
const NOTIFIER: Role = Role::Notifier;

const CHILD: &[CaseKind] = &[Child];
const ADULT: &[CaseKind] = &[Adult];
const DHR: &[CaseKind] = &[DomesticHomicide];
/// Agency reports are asked for and given in a rapid review and in a safeguarding adult review.
const CHILD_OR_ADULT: &[CaseKind] = &[Child, Adult];

/// Every case command's rule. The order of the roles is the order the refusal names them in.
pub const RULES: &[CommandRule] = &[
    // Opening a case.
    rule("NotifyIncident", Opens(Child), &[NOTIFIER], LocalAuthority),
    rule(
        "ReferCaseForConsideration",
        Opens(Child),
        &[AGENCY, PDM, NOTIFIER],
        Registered,
    ),
    rule(
        "ReferSafeguardingAdultReview",
        Opens(Adult),
        &[AGENCY, PDM, BM],
        Registered,
    ),
    rule(
        "NotifyDomesticHomicide",
        Opens(DomesticHomicide),
        &[NOTIFIER, PDM, BM],
        Registered,
    ),
    // The child process: notification, rapid review, decision, Panel, LCSPR.
    rule(
        "RecordPanelNotification",
        To(CHILD),
        &[NOTIFIER],
        LocalAuthority,
    ),
    rule(
        "RecordPanelNotificationCopied",
        To(CHILD),
        &[NOTIFIER, BM],
        Any,
    ),
    rule(
        "RecordLookedAfterDeathNotified",
        To(CHILD),
        &[NOTIFIER],
        LocalAuthority,
    ),
    rule("InitiateRapidReview", To(CHILD), &[BM], Any),
    rule("RecordPartnersNotified", To(CHILD), &[BM], Any),
    rule(
        "NamePartnerLead",
        To(CHILD),
        &[PDM, BM],
        OwnPartner {
            business_manager_for_any: true,
            refusal: "a partner decision maker acts only for their own partner",
        },
    ),
    rule("AgreeReviewLead", To(CHILD), &[BM], Any),
    rule("AgreeModifiedResponse", To(CHILD), &[BM], Any),
    rule("CirculateAgencyReports", To(CHILD), &[BM], Any),
    rule("RecordRapidReviewMeeting", To(CHILD), &[BM], Any),
    rule("RecordDraftMilestone", To(CHILD), &[REVIEWER, BM], Any),
    rule(
        "SubmitDraftComments",
        To(CHILD),
        &[AGENCY, PDM],
        OwnOrganisation,
    ),
    rule(
        "ConfirmSeniorSignOff",
        To(CHILD),
        &[AGENCY, PDM],
        OwnOrganisation,
    ),
    rule("SignOffRapidReview", To(CHILD), &[IA], Any),
    rule(
        "RecordPartnerDecision",
        To(CHILD),
        &[PDM],
        OwnPartner {
            business_manager_for_any: false,
            refusal: "a partner decision maker votes only for their own partner",
        },
    ),
    rule("SubmitRapidReviewToPanel", To(CHILD), &[BM, IA], Any),
    rule("RecordPanelResponse", To(CHILD), &[BM], Any),
    rule(
        "RecordReconsideredDecision",
        To(CHILD),
        &[PDM],
        OwnPartner {
            business_manager_for_any: false,
            refusal: "a partner decision maker reconsiders only for their own partner",
        },
    ),
    rule("RecordIndependentAdvice", To(CHILD), &[IA], Any),
    rule("SendReconsiderationToPanel", To(CHILD), &[BM, IA], Any),
    rule(
        "RecordImprovementsInformationSentToPanel",
        To(CHILD),
        &[BM],
        Any,
    ),
    rule("PublishImprovementsInformation", To(CHILD), &[BM], Any),
    rule("RecordCopySentToOfsted", To(CHILD), &[BM], Any),
    rule("RecordFamilyCommunication", To(CHILD), &[BM], Any),
    rule("CommissionPracticeReview", To(CHILD), &[BM], Any),
    rule("ApprovePublicationDelay", To(CHILD), &[BM], Any),
    rule("RecordFinalReportSentToPanel", To(CHILD), &[BM], Any),
    rule("WithholdPublication", To(CHILD), &[BM], Any),
    // Agency reports: a rapid review's and a safeguarding adult review's.
    rule("RequestAgencyReport", To(CHILD_OR_ADULT), &[BM], Any),
    rule(
        "SubmitAgencyReport",
        To(CHILD_OR_ADULT),
        &[AGENCY],
        OwnOrganisation,
    ),
    // The safeguarding adult review.
    rule("RecordSarDecision", To(ADULT), &[BM, PDM], StatutoryPartner),
    rule("CommissionSar", To(ADULT), &[BM], Any),
    rule("RecordFamilyInvited", To(ADULT), &[BM], Any),
    rule("PauseSar", To(ADULT), &[BM], Any),
    rule("ResumeSar", To(ADULT), &[BM], Any),
    rule("CompleteSar", To(ADULT), &[BM, REVIEWER], Any),
    // The domestic homicide review.
    rule("RecordDhrDecision", To(DHR), &[BM, PDM], StatutoryPartner),
    rule("CommissionDhr", To(DHR), &[BM], Any),
    rule("CompleteDhr", To(DHR), &[BM, REVIEWER], Any),
    rule("SubmitDhrToHomeOffice", To(DHR), &[BM], Any),
    rule("NotifyHomeOfficeOfDhrDecision", To(DHR), &[BM], Any),
    rule("RecordDhrQaOutcome", To(DHR), &[BM], Any),
    rule("RecordDhrFamilyInvolvement", To(DHR), &[BM], Any),
    // What every process shares: publication, recommendations, closure, erasure.
    rule("PublishReview", AnyKind, &[BM], Any),
    rule("RecordReviewTakenDown", AnyKind, &[BM], Any),
    rule("AddRecommendation", AnyKind, &[BM, REVIEWER], Any),
    rule(
        "CompleteRecommendation",
        AnyKind,
        &[AGENCY, PDM, BM],
        RecommendationOwner,
    ),
    rule("CloseCase", AnyKind, &[BM], Any),
    rule("EraseCasePersonalData", AnyKind, &[Role::Admin], Any),
];
