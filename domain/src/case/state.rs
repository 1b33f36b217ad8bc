//! A case's state, folded from its events.

use super::adult_review::{AdultReview, SarReferred};
use super::audit::{AuditCommissioned, AuditRecord};
use super::decision::{DecisionReached, PartnerDecisionRecorded};
use super::homicide_review::{DomesticHomicideNotified, HomicideReview};
use super::practice_review::{AfterReview, PracticeReview, ReconsideredOutcome};
use super::rapid_review::RapidReview;
use super::{
    CaseEvent, CaseReferred, ChildProfile, IncidentNotified, PersonProfile, SealedPersonalData,
};
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::{DeadlineBasis, Partnership, StatutoryPartner};
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
    /// Multi-agency audit.
    Audit,
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
    /// A multi-agency audit is under way.
    AuditUnderWay,
    /// The audit's findings are recorded; its recommendations' plans are followed.
    AuditReported,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// The local authority's statutory notification of a serious incident.
    Notification(IncidentNotified),
    /// An organisation's referral for consideration.
    Referral(CaseReferred),
    /// An organisation's referral for a safeguarding adult review.
    AdultReferral(SarReferred),
    /// The notification of a domestic homicide.
    HomicideNotification(DomesticHomicideNotified),
    /// The commissioning of a multi-agency audit.
    Audit(AuditCommissioned),
}

/// A case as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The audit's record (audits only; absent from snapshots taken before audits existed).
    #[serde(default)]
    pub audit: Option<Box<AuditRecord>>,
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
            (None, CaseEvent::AuditCommissioned(commissioned)) => {
                let mut case = Case::opened(
                    commissioned.case_id,
                    Stage::AuditUnderWay,
                    commissioned.occurred_at,
                    Origin::Audit(commissioned.clone()),
                    commissioned.commissioned_by.clone(),
                );
                // The agencies audited need to know it.
                case.involved.extend(commissioned.agencies.iter().cloned());
                Some(case)
            }
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
            Origin::Audit(_) => CaseKind::Audit,
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
            audit: (kind == CaseKind::Audit).then(Box::default),
            looked_after_death_notified_at: None,
            personal_data_erased_at: None,
        }
    }

    /// The statutory notification, when the case came that way.
    pub fn notification(&self) -> Option<&IncidentNotified> {
        match &self.origin {
            Origin::Notification(notified) => Some(notified),
            Origin::Referral(_)
            | Origin::AdultReferral(_)
            | Origin::HomicideNotification(_)
            | Origin::Audit(_) => None,
        }
    }

    /// The child, without identifying details (child cases only).
    pub fn child(&self) -> Option<&ChildProfile> {
        match &self.origin {
            Origin::Notification(notified) => Some(&notified.child),
            Origin::Referral(referred) => Some(&referred.child),
            Origin::AdultReferral(_) | Origin::HomicideNotification(_) | Origin::Audit(_) => None,
        }
    }

    /// The referral for a safeguarding adult review (adult cases only).
    pub fn adult_referral(&self) -> Option<&SarReferred> {
        match &self.origin {
            Origin::AdultReferral(referred) => Some(referred),
            Origin::Notification(_)
            | Origin::Referral(_)
            | Origin::HomicideNotification(_)
            | Origin::Audit(_) => None,
        }
    }

    /// The notification of a domestic homicide (domestic homicide cases only).
    pub fn homicide_notification(&self) -> Option<&DomesticHomicideNotified> {
        match &self.origin {
            Origin::HomicideNotification(notified) => Some(notified),
            Origin::Notification(_)
            | Origin::Referral(_)
            | Origin::AdultReferral(_)
            | Origin::Audit(_) => None,
        }
    }

    /// The commissioning of a multi-agency audit (audits only).
    pub fn audit_commissioning(&self) -> Option<&AuditCommissioned> {
        match &self.origin {
            Origin::Audit(commissioned) => Some(commissioned),
            Origin::Notification(_)
            | Origin::Referral(_)
            | Origin::AdultReferral(_)
            | Origin::HomicideNotification(_) => None,
        }
    }

    /// The case's reference: the pseudonymous reference of whoever it is about, or an audit's
    /// own.
    pub fn reference(&self) -> &str {
        match &self.origin {
            Origin::Notification(notified) => &notified.child.reference,
            Origin::Referral(referred) => &referred.child.reference,
            Origin::AdultReferral(referred) => &referred.adult.reference,
            Origin::HomicideNotification(notified) => &notified.victim.reference,
            Origin::Audit(commissioned) => &commissioned.reference,
        }
    }

    /// The adult or the victim, without identifying details (adult and domestic homicide cases).
    pub fn person(&self) -> Option<&PersonProfile> {
        match &self.origin {
            Origin::AdultReferral(referred) => Some(&referred.adult),
            Origin::HomicideNotification(notified) => Some(&notified.victim),
            Origin::Notification(_) | Origin::Referral(_) | Origin::Audit(_) => None,
        }
    }

    /// The sealed personal data the case opened with; its key seals everything personal
    /// recorded about the case later. An audit has none (and no data key).
    pub fn personal_data(&self) -> Option<&SealedPersonalData> {
        match &self.origin {
            Origin::Notification(notified) => Some(&notified.personal_data),
            Origin::Referral(referred) => Some(&referred.personal_data),
            Origin::AdultReferral(referred) => Some(&referred.personal_data),
            Origin::HomicideNotification(notified) => Some(&notified.personal_data),
            Origin::Audit(_) => None,
        }
    }

    /// The organisation that brought the case.
    pub fn opened_by(&self) -> &OrgSlug {
        match &self.origin {
            Origin::Notification(notified) => &notified.notified_by,
            Origin::Referral(referred) => &referred.referred_by,
            Origin::AdultReferral(referred) => &referred.referred_by,
            Origin::HomicideNotification(notified) => &notified.notified_by,
            Origin::Audit(commissioned) => &commissioned.commissioned_by,
        }
    }

    /// Folds a later event into the case in place (what `evolve` does for an existing case,
    /// without moving the case: read models apply millions of events).
    pub fn record(&mut self, event: &CaseEvent) {
        self.apply(event);
        self.last_fact_at = self.last_fact_at.max(event.occurred_at());
    }

    /// Hands the event to the fold its catalogue entry names.
    fn apply(&mut self, event: &CaseEvent) {
        event.fold_into(self);
    }

    /// Moves the case to a stage before the LCSPR's, unless an LCSPR is already commissioned.
    /// Bug fix: the partners may commission it on their decision before the rapid review goes
    /// to the Panel or the Panel responds, and those later steps moved a case with its LCSPR
    /// under way (or published) back to `submitted_to_panel`, `panel_agreed` or `decided`.
    pub(in crate::case) fn advance_before_practice_review(&mut self, stage: Stage) {
        if self.after.practice_review.is_none() {
            self.stage = stage;
        }
    }

    pub(in crate::case) fn with_practice_review(
        &mut self,
        change: impl FnOnce(&mut PracticeReview),
    ) {
        if let Some(review) = self.after.practice_review.as_mut() {
            change(review);
        }
    }

    /// When the decision in force was taken: the partners' decision, or the reconsideration
    /// that turned it into commissioning a review.
    pub fn decided_at(&self) -> Option<DateTime<Utc>> {
        match self.after.reconsideration {
            Some((ReconsideredOutcome::Commission, at)) => Some(at),
            Some((ReconsideredOutcome::Withdraw | ReconsideredOutcome::Adhere, _)) | None => {
                self.decision.as_ref().map(|d| d.occurred_at)
            }
        }
    }

    pub(in crate::case) fn with_review(&mut self, change: impl FnOnce(&mut RapidReview)) {
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
        crate::calendar::history::deadlines(self, &partnership.deadline_basis())
    }

    /// Every deadline of the case computed with one calendar.
    pub fn deadlines_with(
        &self,
        basis: &DeadlineBasis<'_>,
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
        deadlines.extend(self.rapid_review_deadlines(basis, calendar));
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
        deadlines.extend(
            self.after
                .recommendations
                .values()
                .flat_map(|r| r.plan.deadlines()),
        );
        deadlines
    }
}
