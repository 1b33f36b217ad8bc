//! Integration events (issue 14): what partner systems are told through the change feed and
//! webhooks. A stable, documented contract derived from the log (docs/integration.md), never
//! the internal events themselves, and never personal data: a case is named by its id only,
//! and an organisation by its slug.

use crate::case::{CaseKind, Stage};
use crate::deadline::{Deadline, DeadlineKind};
use crate::{CaseId, OrgSlug, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A deadline as integration events name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineSummary {
    /// Its stable id: the same deadline of the same case always has the same id.
    pub deadline_id: Uuid,
    /// What it is for.
    pub kind: DeadlineKind,
    /// The organisation that must act, if the deadline names one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "essex-police"))]
    pub organisation: Option<OrgSlug>,
    /// The role that acts to fulfil it.
    pub responsible_role: Role,
    /// What it is about when a case has several of a kind (a recommendation's id).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reference: Option<Uuid>,
    /// When it falls due.
    pub due_at: DateTime<Utc>,
}

impl DeadlineSummary {
    /// The summary of a case's deadline, due at `due_at`.
    pub fn of(case_id: CaseId, deadline: &Deadline, due_at: DateTime<Utc>) -> Self {
        Self {
            deadline_id: deadline.id(case_id),
            kind: deadline.kind,
            organisation: deadline.organisation.clone(),
            responsible_role: deadline.kind.responsible_role(),
            reference: deadline.reference,
            due_at,
        }
    }
}

/// Which decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionMade {
    /// The partners decided to commission a local child safeguarding practice review.
    Lcspr,
    /// The partners decided not to commission one.
    NoLcspr,
    /// On reconsideration after the Panel disagreed: the partners adhere to their decision.
    ReconsideredAdhere,
    /// On reconsideration: they will commission a review after all.
    ReconsideredCommission,
    /// On reconsideration: they withdraw the decision to review.
    ReconsideredWithdraw,
    /// The Safeguarding Adults Board decided on a review.
    Sar,
    /// The Board decided a review is not required.
    NoSar,
    /// The community safety partnership decided to conduct a domestic homicide review.
    Dhr,
    /// It decided not to.
    NoDhr,
}

/// One thing partner systems are told, with its data. The type names are the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "data")]
pub enum IntegrationEvent {
    /// A case was opened: an incident notified, a referral, a domestic homicide.
    #[serde(rename = "case.opened")]
    CaseOpened {
        /// Its kind.
        kind: CaseKind,
        /// The stage it opened at.
        stage: Stage,
    },
    /// The case moved to another stage.
    #[serde(rename = "case.stage_changed")]
    StageChanged {
        /// The stage it left.
        from: Stage,
        /// The stage it is at now.
        to: Stage,
    },
    /// A deadline now applies to the case.
    #[serde(rename = "deadline.created")]
    DeadlineCreated {
        /// The deadline.
        deadline: DeadlineSummary,
    },
    /// A deadline's due instant moved (an approved delay, a bank holiday proclaimed, a pause
    /// ended).
    #[serde(rename = "deadline.moved")]
    DeadlineMoved {
        /// The deadline, at its new due instant.
        deadline: DeadlineSummary,
        /// When it was due before.
        previous_due_at: DateTime<Utc>,
    },
    /// A deadline falls due soon: the reminder to whoever must act.
    #[serde(rename = "deadline.due_soon")]
    DeadlineDueSoon {
        /// The deadline.
        deadline: DeadlineSummary,
        /// The threshold reached: working days before the due day (0: on the day).
        working_days_before: u8,
    },
    /// A deadline passed unfulfilled.
    #[serde(rename = "deadline.breached")]
    DeadlineBreached {
        /// The deadline.
        deadline: DeadlineSummary,
    },
    /// A deadline was fulfilled.
    #[serde(rename = "deadline.met")]
    DeadlineMet {
        /// The deadline.
        deadline: DeadlineSummary,
        /// When the fulfilling fact occurred.
        fulfilled_at: DateTime<Utc>,
        /// Whether that was by the due instant. Where the due instant still depends on a later
        /// fact (a report to the Panel "at least 7 working days before publication"), `null`
        /// until then.
        on_time: Option<bool>,
    },
    /// A deadline stopped applying while still pending (the case closed, a modified response,
    /// publication withheld).
    #[serde(rename = "deadline.no_longer_applies")]
    DeadlineNoLongerApplies {
        /// The deadline.
        deadline: DeadlineSummary,
    },
    /// An organisation was asked for its agency report.
    #[serde(rename = "agency_report.requested")]
    AgencyReportRequested {
        /// The organisation asked.
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "essex-police"))]
        organisation: OrgSlug,
    },
    /// An organisation submitted its agency report.
    #[serde(rename = "agency_report.submitted")]
    AgencyReportSubmitted {
        /// The organisation.
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "essex-police"))]
        organisation: OrgSlug,
    },
    /// A decision on a review was made.
    #[serde(rename = "decision.made")]
    DecisionMade {
        /// Which.
        decision: DecisionMade,
    },
    /// The review (or the improvements information, when publication was withheld) was
    /// published.
    #[serde(rename = "review.published")]
    ReviewPublished {
        /// Where, when given.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        url: Option<String>,
    },
    /// A recommendation was made, with its owners and due day.
    #[serde(rename = "recommendation.added")]
    RecommendationAdded {
        /// Its id.
        recommendation_id: Uuid,
        /// The organisations that own it.
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
        owners: Vec<OrgSlug>,
        /// The day it is due.
        due_on: NaiveDate,
    },
    /// A recommendation falls due soon: the reminder to its owner.
    #[serde(rename = "recommendation.due")]
    RecommendationDue {
        /// Its deadline (`reference` is the recommendation's id).
        deadline: DeadlineSummary,
        /// The threshold reached: working days before the due day (0: on the day).
        working_days_before: u8,
    },
    /// A recommendation passed its due day uncompleted.
    #[serde(rename = "recommendation.overdue")]
    RecommendationOverdue {
        /// Its deadline (`reference` is the recommendation's id).
        deadline: DeadlineSummary,
    },
    /// A recommendation's action was completed.
    #[serde(rename = "recommendation.completed")]
    RecommendationCompleted {
        /// Its id.
        recommendation_id: Uuid,
    },
}

impl IntegrationEvent {
    /// Every type name, in the order docs/integration.md documents them.
    pub const TYPES: &'static [&'static str] = &[
        "case.opened",
        "case.stage_changed",
        "deadline.created",
        "deadline.moved",
        "deadline.due_soon",
        "deadline.breached",
        "deadline.met",
        "deadline.no_longer_applies",
        "agency_report.requested",
        "agency_report.submitted",
        "decision.made",
        "review.published",
        "recommendation.added",
        "recommendation.due",
        "recommendation.overdue",
        "recommendation.completed",
    ];

    /// Its type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            IntegrationEvent::CaseOpened { .. } => "case.opened",
            IntegrationEvent::StageChanged { .. } => "case.stage_changed",
            IntegrationEvent::DeadlineCreated { .. } => "deadline.created",
            IntegrationEvent::DeadlineMoved { .. } => "deadline.moved",
            IntegrationEvent::DeadlineDueSoon { .. } => "deadline.due_soon",
            IntegrationEvent::DeadlineBreached { .. } => "deadline.breached",
            IntegrationEvent::DeadlineMet { .. } => "deadline.met",
            IntegrationEvent::DeadlineNoLongerApplies { .. } => "deadline.no_longer_applies",
            IntegrationEvent::AgencyReportRequested { .. } => "agency_report.requested",
            IntegrationEvent::AgencyReportSubmitted { .. } => "agency_report.submitted",
            IntegrationEvent::DecisionMade { .. } => "decision.made",
            IntegrationEvent::ReviewPublished { .. } => "review.published",
            IntegrationEvent::RecommendationAdded { .. } => "recommendation.added",
            IntegrationEvent::RecommendationDue { .. } => "recommendation.due",
            IntegrationEvent::RecommendationOverdue { .. } => "recommendation.overdue",
            IntegrationEvent::RecommendationCompleted { .. } => "recommendation.completed",
        }
    }

    /// The organisation that must act on it, when it is addressed to one: a reminder's or a
    /// breach's deadline organisation, the organisation asked for a report.
    pub fn addressed_to(&self) -> Option<&OrgSlug> {
        match self {
            IntegrationEvent::DeadlineDueSoon { deadline, .. }
            | IntegrationEvent::DeadlineBreached { deadline }
            | IntegrationEvent::RecommendationDue { deadline, .. }
            | IntegrationEvent::RecommendationOverdue { deadline } => {
                deadline.organisation.as_ref()
            }
            IntegrationEvent::AgencyReportRequested { organisation } => Some(organisation),
            _ => None,
        }
    }

    /// A reminder of a deadline, named for what it is about.
    pub fn due_soon(deadline: DeadlineSummary, working_days_before: u8) -> Self {
        if deadline.kind == DeadlineKind::Recommendation {
            IntegrationEvent::RecommendationDue {
                deadline,
                working_days_before,
            }
        } else {
            IntegrationEvent::DeadlineDueSoon {
                deadline,
                working_days_before,
            }
        }
    }

    /// A breach of a deadline, named for what it is about.
    pub fn breached(deadline: DeadlineSummary) -> Self {
        if deadline.kind == DeadlineKind::Recommendation {
            IntegrationEvent::RecommendationOverdue { deadline }
        } else {
            IntegrationEvent::DeadlineBreached { deadline }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn summary(kind: DeadlineKind) -> DeadlineSummary {
        DeadlineSummary {
            deadline_id: Uuid::nil(),
            kind,
            organisation: Some(OrgSlug::parse("essex-police").unwrap()),
            responsible_role: kind.responsible_role(),
            reference: None,
            due_at: "2023-01-13T17:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn the_type_name_is_the_serialised_tag_and_is_listed() {
        let events = [
            IntegrationEvent::due_soon(summary(DeadlineKind::RrAgencyReport), 2),
            IntegrationEvent::due_soon(summary(DeadlineKind::Recommendation), 0),
            IntegrationEvent::breached(summary(DeadlineKind::RrAgencyReport)),
            IntegrationEvent::breached(summary(DeadlineKind::Recommendation)),
            IntegrationEvent::StageChanged {
                from: Stage::Notified,
                to: Stage::PanelNotified,
            },
        ];
        let names: Vec<&str> = events.iter().map(IntegrationEvent::type_name).collect();
        assert_eq!(
            names,
            [
                "deadline.due_soon",
                "recommendation.due",
                "deadline.breached",
                "recommendation.overdue",
                "case.stage_changed"
            ]
        );
        for event in &events {
            let value = serde_json::to_value(event).unwrap();
            assert_eq!(value["type"], event.type_name());
            assert!(IntegrationEvent::TYPES.contains(&event.type_name()));
        }
    }

    #[test]
    fn reminders_and_report_requests_are_addressed_to_the_organisation_that_acts() {
        let police = OrgSlug::parse("essex-police").unwrap();
        let reminder = IntegrationEvent::due_soon(summary(DeadlineKind::RrAgencyReport), 2);
        assert_eq!(reminder.addressed_to(), Some(&police));
        let overdue = IntegrationEvent::breached(summary(DeadlineKind::Recommendation));
        assert_eq!(overdue.addressed_to(), Some(&police));
        let asked = IntegrationEvent::AgencyReportRequested {
            organisation: police.clone(),
        };
        assert_eq!(asked.addressed_to(), Some(&police));
        let created = IntegrationEvent::DeadlineCreated {
            deadline: summary(DeadlineKind::RrAgencyReport),
        };
        assert_eq!(created.addressed_to(), None);
    }
}
