//! A case's state, folded from its events.

use super::adult_review::{AdultReview, Pause, SarReferred};
use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::homicide_review::{DomesticHomicideNotified, HomicideReview, QaOutcome};
use super::practice_review::{AfterReview, PracticeReview, Recommendation, ReconsideredOutcome};
use super::rapid_review::{AgencyReport, RapidReview};
use super::{
    CaseEvent, CaseReferred, ChildProfile, IncidentNotified, PersonProfile, SealedPersonalData,
};
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::{Partnership, StatutoryPartner};
use crate::small_map::{SmallMap, SmallSet};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Which statutory process a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Notified by the local authority; the Panel is yet to be notified.
    Notified,
    /// Referred for consideration by an organisation.
    Referred,
    /// The Panel has been notified.
    PanelNotified,
    /// The rapid review is under way.
    RapidReview,
    /// The rapid review has been submitted to the Panel.
    SubmittedToPanel,
    /// The Panel agreed with the partners' decision.
    PanelAgreed,
    /// The Panel disagreed: the partners reconsider.
    Reconsideration,
    /// The decision stands (after the Panel's agreement or a reconsideration).
    Decided,
    /// The LCSPR is under way.
    PracticeReview,
    /// The review was published.
    Published,
    /// Publication was withheld.
    PublicationWithheld,
    /// The case is closed.
    Closed,
    /// An adult was referred for a safeguarding adult review; the Board is yet to decide.
    SarReferred,
    /// The Board decided (a review not yet commissioned, or none required).
    SarDecided,
    /// The safeguarding adult review is under way.
    SarInProgress,
    /// The safeguarding adult review is paused; its clock is stopped.
    SarPaused,
    /// The safeguarding adult review is completed, not yet published.
    SarCompleted,
    /// A domestic homicide was notified; the decision on a review is due within a month.
    DhrNotified,
    /// The decision on a domestic homicide review was made (a review not yet commissioned, or
    /// none).
    DhrDecided,
    /// The domestic homicide review is under way.
    DhrInProgress,
    /// The domestic homicide review's overview report is completed.
    DhrCompleted,
    /// The review is with the Home Office quality assurance panel.
    SubmittedToHomeOffice,
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
    /// When a copy went to the business manager (due the same day).
    pub copied_at: Option<DateTime<Utc>>,
}

/// How a case came to the partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The local authority's statutory notification of a serious incident.
    Notification(IncidentNotified),
    /// An organisation's referral for consideration.
    Referral(CaseReferred),
    /// An organisation's referral for a safeguarding adult review.
    AdultReferral(SarReferred),
    /// The notification of a domestic homicide.
    HomicideNotification(DomesticHomicideNotified),
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
    /// How the case came to the partnership.
    pub origin: Origin,
    /// The Panel notification, once recorded.
    pub panel_notification: Option<PanelNotification>,
    /// Organisations involved (notifier, referrer, asked for reports): who may need to know.
    pub involved: SmallSet<OrgSlug>,
    /// The rapid review, once initiated.
    pub rapid_review: Option<RapidReview>,
    /// The partners' votes.
    pub votes: SmallMap<StatutoryPartner, PartnerDecisionRecorded>,
    /// The decision, once two partners agreed.
    pub decision: Option<DecisionReached>,
    /// Everything after the rapid review.
    pub after: AfterReview,
    /// The safeguarding adult review (adult cases only).
    pub sar: Option<Box<AdultReview>>,
    /// The domestic homicide review (domestic homicide cases only).
    pub dhr: Option<Box<HomicideReview>>,
    /// The latest `occurred_at` of any fact of the case: a closure is never dated before it.
    pub last_fact_at: DateTime<Utc>,
    /// When the death of a looked-after child was notified to Ofsted and the Secretary of State.
    pub looked_after_death_notified_at: Option<DateTime<Utc>>,
    /// When the case's personal data was erased (its key destroyed).
    pub personal_data_erased_at: Option<DateTime<Utc>>,
}

impl Case {
    /// Folds one event into the case (`None` before it exists).
    pub fn evolve(state: Option<Case>, event: &CaseEvent) -> Option<Case> {
        match (state, event) {
            (None, CaseEvent::SarReferred(referred)) => Some(Case::opened(
                referred.case_id,
                Stage::SarReferred,
                referred.occurred_at,
                Origin::AdultReferral(referred.clone()),
                referred.referred_by.clone(),
            )),
            (None, CaseEvent::DomesticHomicideNotified(notified)) => Some(Case::opened(
                notified.case_id,
                Stage::DhrNotified,
                notified.occurred_at,
                Origin::HomicideNotification(notified.clone()),
                notified.notified_by.clone(),
            )),
            (None, CaseEvent::IncidentNotified(notified)) => Some(Case::opened(
                notified.case_id,
                Stage::Notified,
                notified.occurred_at,
                Origin::Notification(notified.clone()),
                notified.notified_by.clone(),
            )),
            (None, CaseEvent::CaseReferred(referred)) => Some(Case::opened(
                referred.case_id,
                Stage::Referred,
                referred.occurred_at,
                Origin::Referral(referred.clone()),
                referred.referred_by.clone(),
            )),
            (Some(mut case), event) => {
                case.record(event);
                Some(case)
            }
            // Only a case-opening event can start a case: replay never fails, and the decider
            // is what keeps such events from being written.
            (None, _) => None,
        }
    }

    fn opened(
        case_id: CaseId,
        stage: Stage,
        opened_at: DateTime<Utc>,
        origin: Origin,
        by: OrgSlug,
    ) -> Case {
        let kind = match origin {
            Origin::Notification(_) | Origin::Referral(_) => CaseKind::Child,
            Origin::AdultReferral(_) => CaseKind::Adult,
            Origin::HomicideNotification(_) => CaseKind::DomesticHomicide,
        };
        Case {
            last_fact_at: opened_at,
            case_id,
            kind,
            stage,
            opened_at,
            origin,
            panel_notification: None,
            involved: SmallSet::from([by]),
            rapid_review: None,
            votes: SmallMap::new(),
            decision: None,
            after: AfterReview::default(),
            sar: (kind == CaseKind::Adult).then(Box::default),
            dhr: (kind == CaseKind::DomesticHomicide).then(Box::default),
            looked_after_death_notified_at: None,
            personal_data_erased_at: None,
        }
    }

    /// The statutory notification, when the case came that way.
    pub fn notification(&self) -> Option<&IncidentNotified> {
        match &self.origin {
            Origin::Notification(notified) => Some(notified),
            _ => None,
        }
    }

    /// The child, without identifying details (child cases only).
    pub fn child(&self) -> Option<&ChildProfile> {
        match &self.origin {
            Origin::Notification(notified) => Some(&notified.child),
            Origin::Referral(referred) => Some(&referred.child),
            _ => None,
        }
    }

    /// The referral for a safeguarding adult review (adult cases only).
    pub fn adult_referral(&self) -> Option<&SarReferred> {
        match &self.origin {
            Origin::AdultReferral(referred) => Some(referred),
            _ => None,
        }
    }

    /// The notification of a domestic homicide (domestic homicide cases only).
    pub fn homicide_notification(&self) -> Option<&DomesticHomicideNotified> {
        match &self.origin {
            Origin::HomicideNotification(notified) => Some(notified),
            _ => None,
        }
    }

    /// The case's pseudonymous reference, whoever it is about.
    pub fn reference(&self) -> &str {
        match &self.origin {
            Origin::Notification(notified) => &notified.child.reference,
            Origin::Referral(referred) => &referred.child.reference,
            Origin::AdultReferral(referred) => &referred.adult.reference,
            Origin::HomicideNotification(notified) => &notified.victim.reference,
        }
    }

    /// The adult or the victim, without identifying details (adult and domestic homicide cases).
    pub fn person(&self) -> Option<&PersonProfile> {
        match &self.origin {
            Origin::AdultReferral(referred) => Some(&referred.adult),
            Origin::HomicideNotification(notified) => Some(&notified.victim),
            _ => None,
        }
    }

    /// The sealed personal data the case opened with; its key seals everything personal
    /// recorded about the case later.
    pub fn personal_data(&self) -> &SealedPersonalData {
        match &self.origin {
            Origin::Notification(notified) => &notified.personal_data,
            Origin::Referral(referred) => &referred.personal_data,
            Origin::AdultReferral(referred) => &referred.personal_data,
            Origin::HomicideNotification(notified) => &notified.personal_data,
        }
    }

    /// The organisation that brought the case.
    pub fn opened_by(&self) -> &OrgSlug {
        match &self.origin {
            Origin::Notification(notified) => &notified.notified_by,
            Origin::Referral(referred) => &referred.referred_by,
            Origin::AdultReferral(referred) => &referred.referred_by,
            Origin::HomicideNotification(notified) => &notified.notified_by,
        }
    }

    /// Folds a later event into the case in place (what `evolve` does for an existing case,
    /// without moving the case: read models apply millions of events).
    pub fn record(&mut self, event: &CaseEvent) {
        self.apply(event);
        self.last_fact_at = self.last_fact_at.max(event.occurred_at());
    }

    fn apply(&mut self, event: &CaseEvent) {
        match event {
            CaseEvent::IncidentNotified(_)
            | CaseEvent::CaseReferred(_)
            | CaseEvent::SarReferred(_)
            | CaseEvent::DomesticHomicideNotified(_) => {}
            CaseEvent::SarDecisionRecorded(_)
            | CaseEvent::SarCommissioned(_)
            | CaseEvent::SarFamilyInvited(_)
            | CaseEvent::SarPaused(_)
            | CaseEvent::SarResumed(_)
            | CaseEvent::SarCompleted(_) => self.apply_to_sar(event),
            CaseEvent::DhrDecisionRecorded(_)
            | CaseEvent::DhrCommissioned(_)
            | CaseEvent::DhrCompleted(_)
            | CaseEvent::DhrSubmittedToHomeOffice(_)
            | CaseEvent::DhrDecisionNotifiedToHomeOffice(_)
            | CaseEvent::DhrQaOutcomeRecorded(_)
            | CaseEvent::DhrFamilyInvolvementRecorded(_) => self.apply_to_dhr(event),
            CaseEvent::PanelNotificationRecorded(recorded) => {
                if self.stage == Stage::Notified {
                    self.stage = Stage::PanelNotified;
                }
                self.panel_notification = Some(PanelNotification {
                    panel_reference: recorded.panel_reference.clone(),
                    submitted_on: recorded.submitted_on,
                    occurred_at: recorded.occurred_at,
                    copied_at: None,
                });
            }
            CaseEvent::PanelNotificationCopied(copied) => {
                if let Some(panel) = self.panel_notification.as_mut() {
                    panel.copied_at = Some(copied.occurred_at);
                }
            }
            CaseEvent::LookedAfterDeathNotified(notified) => {
                self.looked_after_death_notified_at = Some(notified.occurred_at);
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
                let report = AgencyReport {
                    requested_at: act.occurred_at,
                    submitted_at: None,
                };
                // An adult case keeps its reports in the safeguarding adult review.
                if let Some(sar) = self.sar.as_mut() {
                    sar.agency_reports.insert(act.organisation.clone(), report);
                } else {
                    self.with_review(|r| {
                        r.agency_reports.insert(act.organisation.clone(), report);
                    });
                }
            }
            CaseEvent::AgencyReportSubmitted(submitted) if self.sar.is_some() => {
                if let Some(report) = self
                    .sar
                    .as_mut()
                    .and_then(|sar| sar.agency_reports.get_mut(&submitted.organisation))
                {
                    report.submitted_at = Some(submitted.occurred_at);
                }
            }
            CaseEvent::RapidReviewSubmittedToPanel(done) => {
                self.advance_before_practice_review(Stage::SubmittedToPanel);
                self.with_review(|r| {
                    r.submitted_at = Some(done.occurred_at);
                    r.national_review_may_be_appropriate = done.national_review_may_be_appropriate;
                });
            }
            CaseEvent::PanelResponseRecorded(response) => {
                self.advance_before_practice_review(if response.agrees {
                    Stage::PanelAgreed
                } else {
                    Stage::Reconsideration
                });
                self.after.panel_response = Some(response.clone());
            }
            CaseEvent::DecisionReconsidered(reconsidered) => {
                self.advance_before_practice_review(Stage::Decided);
                self.after.reconsideration = Some((reconsidered.outcome, reconsidered.occurred_at));
                self.after.reconsideration_sent_at = Some(reconsidered.occurred_at);
            }
            CaseEvent::ReconsiderationReached(_) => {
                self.advance_before_practice_review(Stage::Decided);
                self.after.apply(event);
            }
            CaseEvent::IndependentAdviceRecorded(_)
            | CaseEvent::ReconsideredViewRecorded(_)
            | CaseEvent::ReconsiderationSentToPanel(_)
            | CaseEvent::ImprovementsInformationSentToPanel(_)
            | CaseEvent::PracticeReviewCopiedToOfsted(_)
            | CaseEvent::ImprovementsInformationPublished(_) => self.after.apply(event),
            CaseEvent::FamilyCommunicationRecorded(told) => {
                self.after.family_communication = Some(told.clone());
            }
            CaseEvent::PracticeReviewCommissioned(commissioned) => {
                self.stage = Stage::PracticeReview;
                self.after.practice_review = Some(PracticeReview::commissioned(commissioned));
            }
            CaseEvent::RecommendationAdded(added) => {
                self.involved.extend(added.owners.iter().cloned());
                self.after.recommendations.insert(
                    added.recommendation_id,
                    Recommendation {
                        added: added.clone(),
                        completed_at: None,
                    },
                );
            }
            CaseEvent::RecommendationCompleted(done) => {
                if let Some(r) = self.after.recommendations.get_mut(&done.recommendation_id) {
                    r.completed_at = Some(done.occurred_at);
                }
            }
            CaseEvent::PersonalDataErased(erased) => {
                self.personal_data_erased_at = Some(erased.occurred_at);
            }
            CaseEvent::CaseClosed(closed) => {
                self.stage = Stage::Closed;
                self.after.closed = Some(closed.clone());
            }
            CaseEvent::ReviewPublished(published) => {
                self.stage = Stage::Published;
                if let Some(sar) = self.sar.as_mut() {
                    sar.published = Some(published.clone());
                } else if let Some(dhr) = self.dhr.as_mut() {
                    dhr.published = Some(published.clone());
                } else {
                    self.with_practice_review(|r| r.published = Some(published.clone()));
                }
            }
            CaseEvent::PublicationWithheld(withheld) => {
                self.stage = Stage::PublicationWithheld;
                self.with_practice_review(|r| r.withheld_at = Some(withheld.occurred_at));
            }
            CaseEvent::PublicationDelayApproved(delay) => {
                self.with_practice_review(|r| r.delays.push((delay.new_due_on, delay.occurred_at)));
            }
            CaseEvent::ReviewTakenDown(done) => {
                self.with_practice_review(|r| r.taken_down_at = Some(done.occurred_at));
            }
            CaseEvent::FinalReportSentToPanel(sent) => {
                self.with_practice_review(|r| r.report_sent_at = Some(sent.occurred_at));
            }
            other => self.with_review(|r| apply_to_review(r, other)),
        }
    }

    fn apply_to_sar(&mut self, event: &CaseEvent) {
        let Some(sar) = self.sar.as_mut() else {
            return;
        };
        match event {
            CaseEvent::SarDecisionRecorded(decided) => {
                self.stage = Stage::SarDecided;
                sar.decision = Some(decided.clone());
            }
            CaseEvent::SarCommissioned(commissioned) => {
                self.stage = Stage::SarInProgress;
                if let Some(org) = &commissioned.reviewer_organisation {
                    self.involved.insert(org.clone());
                }
                sar.commissioned = Some(commissioned.clone());
            }
            CaseEvent::SarFamilyInvited(invited) => {
                sar.family_invited_at = Some(invited.occurred_at);
            }
            CaseEvent::SarPaused(paused) => {
                self.stage = Stage::SarPaused;
                sar.pauses.push(Pause {
                    paused_at: paused.occurred_at,
                    resumed_at: None,
                });
            }
            CaseEvent::SarResumed(resumed) => {
                self.stage = if sar.commissioned.is_some() {
                    Stage::SarInProgress
                } else {
                    Stage::SarDecided
                };
                if let Some(pause) = sar.pauses.last_mut() {
                    pause.resumed_at = Some(resumed.occurred_at);
                }
            }
            CaseEvent::SarCompleted(completed) => {
                self.stage = Stage::SarCompleted;
                sar.completed = Some(completed.clone());
            }
            _ => {}
        }
    }

    fn apply_to_dhr(&mut self, event: &CaseEvent) {
        let Some(dhr) = self.dhr.as_mut() else {
            return;
        };
        match event {
            CaseEvent::DhrDecisionRecorded(decided) => {
                self.stage = Stage::DhrDecided;
                dhr.decision = Some(decided.clone());
            }
            CaseEvent::DhrCommissioned(commissioned) => {
                self.stage = Stage::DhrInProgress;
                dhr.commissioned = Some(commissioned.clone());
            }
            CaseEvent::DhrCompleted(completed) => {
                self.stage = Stage::DhrCompleted;
                dhr.completed_at = Some(completed.occurred_at);
            }
            CaseEvent::DhrSubmittedToHomeOffice(submitted) => {
                self.stage = Stage::SubmittedToHomeOffice;
                dhr.submitted_to_home_office_at = Some(submitted.occurred_at);
                // A resubmission awaits the panel's answer afresh.
                dhr.qa_outcome = None;
            }
            CaseEvent::DhrDecisionNotifiedToHomeOffice(notified) => {
                dhr.home_office_notified_at = Some(notified.occurred_at);
            }
            CaseEvent::DhrQaOutcomeRecorded(outcome) => {
                // Asked to resubmit, the report is back with the review panel for revision.
                if outcome.outcome == QaOutcome::ResubmissionRequested {
                    self.stage = Stage::DhrCompleted;
                }
                dhr.qa_outcome = Some(outcome.clone());
            }
            CaseEvent::DhrFamilyInvolvementRecorded(step) => {
                dhr.family.push(step.clone());
            }
            _ => {}
        }
    }

    /// Moves the case to a stage before the LCSPR's, unless an LCSPR is already commissioned.
    /// Bug fix: the partners may commission it on their decision before the rapid review goes
    /// to the Panel or the Panel responds, and those later steps moved a case with its LCSPR
    /// under way (or published) back to `submitted_to_panel`, `panel_agreed` or `decided`.
    fn advance_before_practice_review(&mut self, stage: Stage) {
        if self.after.practice_review.is_none() {
            self.stage = stage;
        }
    }

    fn with_practice_review(&mut self, change: impl FnOnce(&mut PracticeReview)) {
        if let Some(review) = self.after.practice_review.as_mut() {
            change(review);
        }
    }

    /// When the decision in force was taken: the partners' decision, or the reconsideration
    /// that turned it into commissioning a review.
    pub fn decided_at(&self) -> Option<DateTime<Utc>> {
        match self.after.reconsideration {
            Some((ReconsideredOutcome::Commission, at)) => Some(at),
            _ => self.decision.as_ref().map(|d| d.occurred_at),
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

    /// Every deadline of the case, with what fulfilled it so far, each computed with the
    /// calendar it is owed under (holidays declared later reach only pending deadlines).
    pub fn deadlines(&self, partnership: &Partnership) -> Vec<Deadline> {
        crate::calendar::history::deadlines(self, partnership)
    }

    /// Every deadline of the case computed with one calendar.
    pub fn deadlines_with(
        &self,
        partnership: &Partnership,
        calendar: &crate::calendar::WorkingCalendar,
    ) -> Vec<Deadline> {
        let mut deadlines = Vec::new();
        if let Some(notification) = self.notification() {
            deadlines.push(Deadline::new(
                DeadlineKind::PanelNotification,
                Some(notification.notified_by.clone()),
                crate::calendar::end_of_day(
                    calendar.add_working_days(notification.became_aware_on, 5),
                ),
                self.panel_notification.as_ref().map(|p| p.occurred_at),
            ));
        }
        deadlines.extend(self.notification_duties(calendar));
        deadlines.extend(self.rapid_review_deadlines(partnership, calendar));
        if let Some(sar) = &self.sar {
            deadlines.extend(sar.deadlines());
        }
        if let Some(dhr) = &self.dhr {
            deadlines.extend(dhr.deadlines(self.opened_at));
        }
        deadlines.extend(self.practice_review_deadlines(calendar));
        // Closing a case ends what it still owed at the closure, except what outlives the case:
        // taking the published report down, and the recommendations' actions (overdue ones are
        // breaches). What was met, met late or breached by then stays so (`Deadline::status`).
        if let Some(closed) = &self.after.closed {
            for deadline in &mut deadlines {
                if deadline.kind != DeadlineKind::PublicationTakeDown {
                    deadline.supersede(Some(closed.occurred_at));
                }
            }
        }
        deadlines.extend(self.after.recommendation_deadlines());
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
        CaseEvent::RapidReviewMeetingHeld(held) => {
            review.meeting_held_at = Some(held.occurred_at);
            review.meeting_attendees = held.attendees.iter().cloned().collect();
        }
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
