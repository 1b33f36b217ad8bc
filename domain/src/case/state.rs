//! A case's state, folded from its events.

use super::{CaseEvent, IncidentNotified};
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::Partnership;
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Which statutory process a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Serious child safeguarding case (rapid review, LCSPR).
    Child,
    /// Safeguarding adult review.
    Adult,
    /// Domestic homicide review.
    DomesticHomicide,
}

/// Where a case is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Notified by the local authority; the Panel is yet to be notified.
    Notified,
    /// The Panel has been notified.
    PanelNotified,
}

/// The Panel notification as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNotification {
    /// The Panel's reference.
    pub panel_reference: String,
    /// The day it was submitted.
    pub submitted_on: NaiveDate,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A case as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its id.
    pub case_id: CaseId,
    /// Its kind.
    pub kind: CaseKind,
    /// Its stage.
    pub stage: Stage,
    /// When it was opened (the notification's `occurred_at`).
    pub opened_at: DateTime<Utc>,
    /// The notification.
    pub notification: IncidentNotified,
    /// The Panel notification, once recorded.
    pub panel_notification: Option<PanelNotification>,
    /// Organisations involved (notifier, referrer, asked for reports): who may need to know.
    pub involved: BTreeSet<OrgSlug>,
}

impl Case {
    /// Folds one event into the case (`None` before it exists).
    pub fn evolve(state: Option<Case>, event: &CaseEvent) -> Option<Case> {
        match (state, event) {
            (None, CaseEvent::IncidentNotified(notified)) => Some(Case {
                case_id: notified.case_id,
                kind: CaseKind::Child,
                stage: Stage::Notified,
                opened_at: notified.occurred_at,
                notification: notified.clone(),
                panel_notification: None,
                involved: BTreeSet::from([notified.notified_by.clone()]),
            }),
            (Some(mut case), CaseEvent::PanelNotificationRecorded(recorded)) => {
                case.stage = Stage::PanelNotified;
                case.panel_notification = Some(PanelNotification {
                    panel_reference: recorded.panel_reference.clone(),
                    submitted_on: recorded.submitted_on,
                    occurred_at: recorded.occurred_at,
                });
                Some(case)
            }
            // An event that does not fit leaves the state alone: replay never fails, and the
            // decider is what keeps such events from being written.
            (state, _) => state,
        }
    }

    /// Folds a whole stream.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a CaseEvent>) -> Option<Case> {
        events.into_iter().fold(None, Case::evolve)
    }

    /// Every deadline of the case, with what fulfilled it so far.
    pub fn deadlines(&self, partnership: &Partnership) -> Vec<Deadline> {
        let calendar = &partnership.calendar;
        let notification_due = crate::calendar::end_of_day(
            calendar.add_working_days(self.notification.became_aware_on, 5),
        );
        vec![Deadline {
            kind: DeadlineKind::PanelNotification,
            organisation: Some(self.notification.notified_by.clone()),
            due_at: notification_due,
            fulfilled_at: self.panel_notification.as_ref().map(|p| p.occurred_at),
            not_applicable: false,
        }]
    }
}
