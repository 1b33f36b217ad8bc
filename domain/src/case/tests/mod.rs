//! Given/when/then tests of the case decider: shared fixtures.
#![allow(clippy::unwrap_used)]

mod decision;
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
    crate::partnership::decide(None, &command)
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
        child_reference: "SBC-2022-0412".into(),
        date_of_birth: date("2016-03-01"),
        sex: "female".into(),
        ethnicity: "White British".into(),
        looked_after: false,
        child_protection_plan: true,
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
