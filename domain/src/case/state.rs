//! A case's state, folded from its events.

use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::rapid_review::{AgencyReport, RapidReview, Schedule};
use super::{CaseEvent, IncidentNotified};
use crate::calendar::local_date;
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::{ClockStart, Partnership, StatutoryPartner};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    /// The rapid review is under way.
    RapidReview,
    /// The rapid review has been submitted to the Panel.
    SubmittedToPanel,
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
    /// The rapid review, once initiated.
    pub rapid_review: Option<RapidReview>,
    /// The partners' votes.
    pub votes: BTreeMap<StatutoryPartner, PartnerDecisionRecorded>,
    /// The decision, once two partners agreed.
    pub decision: Option<DecisionReached>,
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
                rapid_review: None,
                votes: BTreeMap::new(),
                decision: None,
            }),
            (Some(mut case), event) => {
                case.apply(event);
                Some(case)
            }
            // Only a case-opening event can start a case: replay never fails, and the decider
            // is what keeps such events from being written.
            (None, _) => None,
        }
    }

    fn apply(&mut self, event: &CaseEvent) {
        match event {
            CaseEvent::IncidentNotified(_) => {}
            CaseEvent::PanelNotificationRecorded(recorded) => {
                if self.stage == Stage::Notified {
                    self.stage = Stage::PanelNotified;
                }
                self.panel_notification = Some(PanelNotification {
                    panel_reference: recorded.panel_reference.clone(),
                    submitted_on: recorded.submitted_on,
                    occurred_at: recorded.occurred_at,
                });
            }
            CaseEvent::RapidReviewInitiated(initiated) => {
                self.stage = Stage::RapidReview;
                self.rapid_review = Some(RapidReview::initiated(initiated));
            }
            CaseEvent::PartnerDecisionRecorded(vote) => {
                self.votes.insert(vote.partner, vote.clone());
            }
            CaseEvent::DecisionReached(reached) => {
                self.decision = Some(reached.clone());
            }
            CaseEvent::AgencyReportRequested(act) => {
                self.involved.insert(act.organisation.clone());
                self.with_review(|r| {
                    r.agency_reports.insert(
                        act.organisation.clone(),
                        AgencyReport {
                            requested_at: act.occurred_at,
                            submitted_at: None,
                        },
                    );
                });
            }
            CaseEvent::RapidReviewSubmittedToPanel(done) => {
                self.stage = Stage::SubmittedToPanel;
                self.with_review(|r| r.submitted_at = Some(done.occurred_at));
            }
            other => self.with_review(|r| apply_to_review(r, other)),
        }
    }

    fn with_review(&mut self, change: impl FnOnce(&mut RapidReview)) {
        if let Some(review) = self.rapid_review.as_mut() {
            change(review);
        }
    }

    /// Folds a whole stream.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a CaseEvent>) -> Option<Case> {
        events.into_iter().fold(None, Case::evolve)
    }

    /// Day 0 of the rapid review, once it is known: with the Panel notification as the clock
    /// start, it is unknown until the Panel has been notified.
    pub fn rapid_review_day0(&self) -> Option<NaiveDate> {
        let review = self.rapid_review.as_ref()?;
        match review.clock_start {
            ClockStart::PanelNotification => {
                self.panel_notification.as_ref().map(|p| p.submitted_on)
            }
            ClockStart::BecameAware => Some(self.notification.became_aware_on),
            ClockStart::Initiation => Some(local_date(review.initiated_at)),
        }
    }

    /// Every deadline of the case, with what fulfilled it so far.
    pub fn deadlines(&self, partnership: &Partnership) -> Vec<Deadline> {
        let calendar = &partnership.calendar;
        let notification_due = crate::calendar::end_of_day(
            calendar.add_working_days(self.notification.became_aware_on, 5),
        );
        let mut deadlines = vec![Deadline {
            kind: DeadlineKind::PanelNotification,
            organisation: Some(self.notification.notified_by.clone()),
            due_at: notification_due,
            fulfilled_at: self.panel_notification.as_ref().map(|p| p.occurred_at),
            not_applicable: false,
        }];
        if let (Some(review), Some(day0)) = (&self.rapid_review, self.rapid_review_day0()) {
            let schedule = Schedule {
                day0,
                calendar,
                settings: &partnership.settings,
            };
            let partners: BTreeSet<OrgSlug> = [
                StatutoryPartner::LocalAuthority,
                StatutoryPartner::Police,
                StatutoryPartner::Health,
            ]
            .into_iter()
            .filter_map(|p| partnership.partner_org(p).map(|o| o.slug.clone()))
            .collect();
            deadlines.extend(schedule.deadlines(review, &review.review_team(&partners)));
        }
        deadlines
    }
}

fn apply_to_review(review: &mut RapidReview, event: &CaseEvent) {
    match event {
        CaseEvent::PartnersNotified(done) => review.partners_notified_at = Some(done.occurred_at),
        CaseEvent::PartnerLeadNamed(named) => {
            review
                .partner_leads
                .insert(named.partner, named.lead_name.clone());
        }
        CaseEvent::ReviewLeadAgreed(agreed) => {
            review.review_lead = Some((agreed.lead_name.clone(), agreed.organisation.clone()));
        }
        CaseEvent::ModifiedResponseAgreed(agreed) => {
            review.modified_response_at = Some(agreed.occurred_at);
        }
        CaseEvent::AgencyReportSubmitted(submitted) => {
            if let Some(report) = review.agency_reports.get_mut(&submitted.organisation) {
                report.submitted_at = Some(submitted.occurred_at);
            }
        }
        CaseEvent::AgencyReportsCirculated(done) => {
            review.reports_circulated_at = Some(done.occurred_at);
        }
        CaseEvent::RapidReviewMeetingHeld(held) => review.meeting_held_at = Some(held.occurred_at),
        CaseEvent::DraftMilestoneRecorded(recorded) => {
            review
                .drafts
                .insert(recorded.milestone, recorded.occurred_at);
        }
        CaseEvent::DraftCommentsSubmitted(act) => {
            review
                .draft_comments
                .insert(act.organisation.clone(), act.occurred_at);
        }
        CaseEvent::SeniorSignOffConfirmed(act) => {
            review
                .senior_sign_offs
                .insert(act.organisation.clone(), act.occurred_at);
        }
        CaseEvent::RapidReviewSignedOff(done) => {
            review.independent_sign_off_at = Some(done.occurred_at);
        }
        _ => {}
    }
}
