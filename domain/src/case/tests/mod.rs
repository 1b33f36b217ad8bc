//! Given/when/then tests of the case decider: shared fixtures.
#![allow(clippy::unwrap_used)]

mod adult;
mod after_review;
mod audit;
mod basis_change;
mod calendar;
mod decision;
mod dhr;
mod erasure;
mod notification;
mod rapid_review;

use super::*;
use crate::case::decision::{
    DecisionCriterion, DecisionReached, PartnerDecisionRecorded, ReviewDecision,
};
use crate::case::rapid_review::{
    AgencyReportSubmitted, DraftMilestone, DraftMilestoneRecorded, Occurred, OrganisationAct,
    RapidReviewInitiated, RapidReviewMeetingHeld,
};
use crate::partnership::{
    ClockStart, OrgKind, Organisation, Partnership, PartnershipCommand, PartnershipSettings,
    StatutoryPartner,
};
use crate::{Actor, CaseId, ErrorKind, OrgSlug, PartnershipSlug, Role};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::BTreeSet;

pub(super) fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(super) fn instant(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub(super) fn org(slug: &str) -> OrgSlug {
    OrgSlug::parse(slug).unwrap()
}

pub(super) fn southend() -> Partnership {
    southend_with(PartnershipSettings::default())
}

/// Southend choosing which date is day 0 of its rapid reviews.
pub(super) fn southend_counting_from(clock_start: ClockStart) -> Partnership {
    southend_with(PartnershipSettings {
        rapid_review_clock_start: clock_start,
        ..PartnershipSettings::default()
    })
}

fn southend_with(settings: PartnershipSettings) -> Partnership {
    let orgs = [
        ("southend-council", OrgKind::LocalAuthority),
        ("essex-police", OrgKind::Police),
        ("southend-ccg", OrgKind::Health),
        ("suhft", OrgKind::HealthProvider),
        ("southend-schools", OrgKind::Education),
    ];
    let command = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend Safeguarding Partnership".into(),
        settings,
        organisations: orgs
            .iter()
            .map(|(slug, kind)| Organisation {
                slug: OrgSlug::parse(slug).unwrap(),
                name: (*slug).into(),
                kind: *kind,
            })
            .collect(),
    };
    crate::partnership::decide(None, &command, None, now())
        .unwrap()
        .iter()
        .fold(None, Partnership::evolve)
        .unwrap()
}

pub(super) fn actor(org: &str, roles: &[Role]) -> Actor {
    Actor {
        user: "u-1".into(),
        name: "A Worker".into(),
        partnership: PartnershipSlug::parse("southend").unwrap(),
        org: OrgSlug::parse(org).unwrap(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
    }
}

pub(super) fn notifier() -> Actor {
    actor("southend-council", &[Role::Notifier])
}

pub(super) fn case_id() -> CaseId {
    CaseId::from_uuid(uuid::Uuid::from_u128(7))
}

pub(super) fn sealed() -> SealedPersonalData {
    SealedPersonalData {
        key_id: uuid::Uuid::from_u128(9),
        algorithm: "AES-256-GCM".into(),
        nonce: "bm9uY2U=".into(),
        ciphertext: "Y2lwaGVy".into(),
    }
}

pub(super) fn notify() -> NotifyIncident {
    NotifyIncident {
        case_id: case_id(),
        child: commands::ChildDetails {
            reference: "SBC-2022-0412".into(),
            date_of_birth: date("2016-03-01"),
            sex: "female".into(),
            ethnicity: "White British".into(),
            looked_after: false,
            child_protection_plan: true,
        },
        personal_data: sealed(),
        incident_date: date("2022-12-20"),
        became_aware_on: date("2022-12-22"),
        harm: Harm::SeriousHarm,
        abuse_or_neglect: AbuseOrNeglect::Suspected,
        location_basis: LocationBasis::InArea,
        occurred_at: None,
    }
}

pub(super) fn notified_at(at: DateTime<Utc>) -> CaseEvent {
    CaseEvent::IncidentNotified(IncidentNotified {
        case_id: case_id(),
        notified_by: OrgSlug::parse("southend-council").unwrap(),
        child: ChildProfile {
            reference: "SBC-2022-0412".into(),
            age_band: AgeBand::From6To10,
            sex: "female".into(),
            ethnicity: "White British".into(),
            looked_after: false,
            child_protection_plan: true,
        },
        personal_data: sealed(),
        incident_date: date("2022-12-20"),
        became_aware_on: date("2022-12-22"),
        harm: Harm::SeriousHarm,
        abuse_or_neglect: AbuseOrNeglect::Suspected,
        location_basis: LocationBasis::InArea,
        occurred_at: at,
    })
}

/// A scenario: past events, then a command by an actor at an instant.
pub(super) struct Given {
    pub(super) events: Vec<CaseEvent>,
}

pub(super) fn given(events: Vec<CaseEvent>) -> Given {
    Given { events }
}

impl Given {
    pub(super) fn when(
        &self,
        by: &Actor,
        now: DateTime<Utc>,
        command: CaseCommand,
    ) -> Result<Vec<CaseEvent>, crate::DomainError> {
        self.when_in(&southend(), by, now, command)
    }

    /// The same, in a partnership other than the default Southend.
    pub(super) fn when_in(
        &self,
        partnership: &Partnership,
        by: &Actor,
        now: DateTime<Utc>,
        command: CaseCommand,
    ) -> Result<Vec<CaseEvent>, crate::DomainError> {
        let state = Case::replay(&self.events);
        decide(
            state.as_ref(),
            &command,
            &Context {
                actor: by,
                partnership,
                now,
            },
        )
    }
}

pub(super) fn refused(
    result: Result<Vec<CaseEvent>, crate::DomainError>,
) -> (ErrorKind, &'static str) {
    let err = result.expect_err("the command should be refused");
    (err.kind, err.code)
}

/// A change to a valid notification.
pub(super) type Change = fn(&mut NotifyIncident);

pub(super) fn business_manager() -> Actor {
    actor("southend-council", &[Role::BusinessManager])
}

pub(super) fn independent_advisor() -> Actor {
    actor("southend-council", &[Role::IndependentAdvisor])
}

pub(super) fn agency_user(org: &str) -> Actor {
    actor(org, &[Role::AgencyUser])
}

/// The decision maker of one of the three safeguarding partners.
pub(super) fn decision_maker(partner: StatutoryPartner) -> Actor {
    actor(partner_slug(partner), &[Role::PartnerDecisionMaker])
}

pub(super) fn partner_slug(partner: StatutoryPartner) -> &'static str {
    match partner {
        StatutoryPartner::LocalAuthority => "southend-council",
        StatutoryPartner::Police => "essex-police",
        StatutoryPartner::Health => "southend-ccg",
    }
}

/// Checks a command's `occurred_at`: refused a second after `now` and a second before
/// `earliest` (the fact it depends on), accepted at `earliest` itself.
pub(super) fn check_occurred_at(
    history: &Given,
    by: &Actor,
    now: DateTime<Utc>,
    earliest: &str,
    command: impl Fn(Option<DateTime<Utc>>) -> CaseCommand,
) {
    let earliest = instant(earliest);
    let second = TimeDelta::seconds(1);
    let err = history
        .when(by, now, command(Some(now + second)))
        .expect_err("occurred_at in the future");
    assert_eq!(
        (err.kind, err.code, err.field_errors[0].field.as_str()),
        (ErrorKind::Invalid, "occurred_at.in_future", "occurred_at")
    );
    assert_eq!(
        refused(history.when(by, now, command(Some(earliest - second)))),
        (ErrorKind::Invalid, "occurred_at.before_dependency")
    );
    let events = history.when(by, now, command(Some(earliest))).unwrap();
    assert_eq!(events[0].occurred_at(), earliest);
}

// The story of domain.md's worked example, one fact at a time: the council becomes aware on
// Thursday 8 September 2022 and notifies the Panel on Friday 9 September, day 0 of the rapid
// review, which is submitted on day 15, Monday 3 October.

/// When the scenarios' commands are sent: day 15, after the story's last fact.
pub(super) const NOW: &str = "2022-10-03T12:00:00Z";
pub(super) const NOTIFIED: &str = "2022-09-08T10:00:00Z";
pub(super) const INITIATED: &str = "2022-09-09T11:00:00Z";
pub(super) const REQUESTED: &str = "2022-09-12T11:00:00Z";
pub(super) const FIRST_DRAFT: &str = "2022-09-27T10:00:00Z";
pub(super) const DRAFT_CIRCULATED: &str = "2022-09-28T08:00:00Z";
pub(super) const SECOND_DRAFT: &str = "2022-09-28T15:30:00Z";
pub(super) const SIGNED_OFF: &str = "2022-09-30T10:00:00Z";
pub(super) const DECIDED: &str = "2022-09-30T12:00:00Z";
pub(super) const SUBMITTED: &str = "2022-10-03T10:00:00Z";

/// The review team once the health provider is asked for a report, in slug order.
pub(super) const TEAM: [&str; 4] = ["essex-police", "southend-ccg", "southend-council", "suhft"];

pub(super) fn now() -> DateTime<Utc> {
    instant(NOW)
}

/// The history followed by more facts.
pub(super) fn and(
    mut history: Vec<CaseEvent>,
    more: impl IntoIterator<Item = CaseEvent>,
) -> Vec<CaseEvent> {
    history.extend(more);
    history
}

pub(super) fn notified_on(became_aware_on: &str, at: &str) -> CaseEvent {
    let mut event = notified_at(instant(at));
    if let CaseEvent::IncidentNotified(notified) = &mut event {
        notified.incident_date = date(became_aware_on);
        notified.became_aware_on = date(became_aware_on);
    }
    event
}

pub(super) fn panel_notified(submitted_on: &str, at: &str) -> CaseEvent {
    CaseEvent::PanelNotificationRecorded(PanelNotificationRecorded {
        panel_reference: "CSPRP-2022-0909".into(),
        submitted_on: date(submitted_on),
        occurred_at: instant(at),
    })
}

pub(super) fn initiated(clock_start: ClockStart, at: &str) -> CaseEvent {
    CaseEvent::RapidReviewInitiated(RapidReviewInitiated {
        clock_start,
        close_of_business: crate::calendar::CLOSE_OF_BUSINESS,
        occurred_at: instant(at),
    })
}

pub(super) fn occurred(at: &str) -> Occurred {
    Occurred {
        occurred_at: instant(at),
    }
}

pub(super) fn by_org(slug: &str, at: &str) -> OrganisationAct {
    OrganisationAct {
        organisation: org(slug),
        occurred_at: instant(at),
    }
}

pub(super) fn report_submitted(slug: &str, at: &str) -> CaseEvent {
    CaseEvent::AgencyReportSubmitted(AgencyReportSubmitted {
        organisation: org(slug),
        report: sealed(),
        occurred_at: instant(at),
    })
}

pub(super) fn draft(milestone: DraftMilestone, at: &str) -> CaseEvent {
    CaseEvent::DraftMilestoneRecorded(DraftMilestoneRecorded {
        milestone,
        occurred_at: instant(at),
    })
}

/// A partner's vote as the event records it: a review names a criterion, no review none.
pub(super) fn vote(partner: StatutoryPartner, decision: ReviewDecision, at: &str) -> CaseEvent {
    CaseEvent::PartnerDecisionRecorded(PartnerDecisionRecorded {
        partner,
        decision,
        criteria: match decision {
            ReviewDecision::Lcspr => vec![DecisionCriterion::ImprovementsNeeded],
            ReviewDecision::NoLcspr => vec![],
        },
        national_review_suggested: false,
        rationale: sealed(),
        occurred_at: instant(at),
    })
}

pub(super) fn reached(
    decision: ReviewDecision,
    agreed_by: &[StatutoryPartner],
    at: &str,
) -> CaseEvent {
    CaseEvent::DecisionReached(DecisionReached {
        decision,
        agreed_by: agreed_by.to_vec(),
        occurred_at: instant(at),
    })
}

/// Notified, and the Panel notified on day 0.
pub(super) fn before_review() -> Vec<CaseEvent> {
    vec![
        notified_on("2022-09-08", NOTIFIED),
        panel_notified("2022-09-09", "2022-09-09T09:00:00Z"),
    ]
}

/// The rapid review initiated on day 0, counting from the Panel notification.
pub(super) fn started() -> Vec<CaseEvent> {
    and(
        before_review(),
        [initiated(ClockStart::PanelNotification, INITIATED)],
    )
}

/// The partners notified and a report asked of the health provider.
pub(super) fn requested() -> Vec<CaseEvent> {
    and(
        started(),
        [
            CaseEvent::PartnersNotified(occurred("2022-09-12T10:00:00Z")),
            CaseEvent::AgencyReportRequested(by_org("suhft", REQUESTED)),
        ],
    )
}

/// The report in and circulated, the meeting held, the first draft done (day 11).
pub(super) fn first_draft_done() -> Vec<CaseEvent> {
    and(
        requested(),
        [
            report_submitted("suhft", "2022-09-20T12:00:00Z"),
            CaseEvent::AgencyReportsCirculated(occurred("2022-09-21T10:00:00Z")),
            CaseEvent::RapidReviewMeetingHeld(RapidReviewMeetingHeld {
                attendees: TEAM.iter().map(|slug| org(slug)).collect(),
                service_manager_present: true,
                occurred_at: instant("2022-09-22T10:00:00Z"),
            }),
            draft(DraftMilestone::FirstDraftCompleted, FIRST_DRAFT),
        ],
    )
}

/// The draft circulated on day 12 before 09:30.
pub(super) fn draft_circulated() -> Vec<CaseEvent> {
    and(
        first_draft_done(),
        [draft(DraftMilestone::DraftCirculated, DRAFT_CIRCULATED)],
    )
}

/// Every team member's comments in, the second draft finalised (day 12).
pub(super) fn second_draft_done() -> Vec<CaseEvent> {
    let comments = TEAM
        .iter()
        .map(|slug| CaseEvent::DraftCommentsSubmitted(by_org(slug, "2022-09-28T13:00:00Z")));
    and(
        and(draft_circulated(), comments),
        [draft(DraftMilestone::SecondDraftFinalised, SECOND_DRAFT)],
    )
}

/// Every team member's senior sign-off (day 13) and the Independent Advisor's (day 14).
pub(super) fn signed_off() -> Vec<CaseEvent> {
    let sign_offs = TEAM
        .iter()
        .map(|slug| CaseEvent::SeniorSignOffConfirmed(by_org(slug, "2022-09-29T10:00:00Z")));
    and(
        and(second_draft_done(), sign_offs),
        [CaseEvent::RapidReviewSignedOff(occurred(SIGNED_OFF))],
    )
}

/// The local authority and the police agree on a review.
pub(super) fn decided() -> Vec<CaseEvent> {
    let agreed = [StatutoryPartner::LocalAuthority, StatutoryPartner::Police];
    and(
        signed_off(),
        [
            vote(agreed[0], ReviewDecision::Lcspr, "2022-09-30T11:00:00Z"),
            vote(agreed[1], ReviewDecision::Lcspr, DECIDED),
            reached(ReviewDecision::Lcspr, &agreed, DECIDED),
        ],
    )
}

/// Submitted to the Panel on day 15.
pub(super) fn submitted() -> Vec<CaseEvent> {
    and(decided(), [submission(SUBMITTED)])
}

/// A refused command's kind, code and the field it names.
pub(super) fn refused_field(
    result: Result<Vec<CaseEvent>, crate::DomainError>,
) -> (ErrorKind, &'static str, String) {
    let err = result.expect_err("the command should be refused");
    let field = err
        .field_errors
        .first()
        .map(|f| f.field.clone())
        .unwrap_or_default();
    (err.kind, err.code, field)
}

/// The rapid review's submission to the Panel as the event records it.
pub(super) fn submission(at: &str) -> CaseEvent {
    CaseEvent::RapidReviewSubmittedToPanel(crate::case::rapid_review::RapidReviewSubmitted {
        national_review_may_be_appropriate: Some(false),
        occurred_at: instant(at),
    })
}

/// SubmitRapidReviewToPanel, the partners seeing no need for a national review.
pub(super) fn submit(occurred_at: Option<DateTime<Utc>>) -> commands::SubmitRapidReviewToPanel {
    commands::SubmitRapidReviewToPanel {
        national_review_may_be_appropriate: false,
        occurred_at,
    }
}
