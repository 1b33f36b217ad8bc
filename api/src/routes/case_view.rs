//! The case read model as the API shows it: no personal data, deadlines evaluated at an instant.

use crate::dto::{
    ActionPlanView, ActionProgressView, ActionStatus, ActionView, ImpactReviewView, Rag,
};
use crate::dto::{
    AdultView, AuditView, DhrFamilyInvolvementView, DhrView, SarAgencyReportView, SarPauseView,
    SarView, VictimView,
};
use crate::dto::{
    AfterReviewView, AgencyReportView, CaseDetail, CaseSummary, ChildView, DeadlineView,
    DecisionView, DraftView, LateBy, NextStepView, NotificationView, OrganisationActView,
    PanelNotificationView, PartnerLeadView, PracticeReviewView, RapidReviewView,
    RecommendationView, ReconsideredViewView, ReviewLeadView, VoteView,
};
use casetrail_app::queries::{DeadlineAt, ListedCase, deadlines_at};
use casetrail_app::visibility::ActionsShown;
use casetrail_domain::case::shared::action_plan::{Action, ActionPlan};
use casetrail_domain::case::{Case, Origin};
use casetrail_domain::partnership::{Partnership, PartnershipSettings};
use casetrail_domain::small_map::SmallMap;
use casetrail_projections::CaseRecord;
use chrono::{DateTime, Utc};

/// A serde enum's wire name.
pub fn enum_str<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The case in a list.
pub fn summary(case: ListedCase) -> CaseSummary {
    CaseSummary {
        case_id: case.case_id.as_uuid(),
        kind: enum_str(&case.kind),
        stage: enum_str(&case.stage),
        version: case.version,
        reference: case.reference,
        opened_at: case.opened_at,
        has_overdue_deadlines: case.has_overdue_deadlines,
        updated_at: case.updated_at,
        updated_position: case.updated_position,
        next_due_at: case.next_due_at,
    }
}

/// A deadline with its status at an instant.
pub fn deadline_view(d: DeadlineAt) -> DeadlineView {
    DeadlineView {
        deadline_id: d.deadline_id,
        case_id: d.case_id.as_uuid(),
        kind: d.kind.as_str().to_owned(),
        organisation: d.organisation.map(String::from),
        due_at: d.due_at,
        status: d.status,
        fulfilled_at: d.fulfilled_at,
        late_by: d.late_by.map(|l| LateBy {
            working_days: l.working_days,
            hours: l.hours,
        }),
        fulfilled_by: d.kind.fulfilled_by().to_owned(),
        original_due_at: d.original_due_at,
        recommendation_id: d.recommendation_id,
        action_id: d.action_id,
        provisional: d.provisional,
        case_version: d.case_version,
        updated_at: d.updated_at,
        updated_position: d.updated_position,
    }
}

/// The case's deadlines with their status at `now`.
pub fn deadline_views(
    record: &CaseRecord,
    partnership: &Partnership,
    now: DateTime<Utc>,
) -> Vec<DeadlineView> {
    deadlines_at(record, partnership, None, now)
        .into_iter()
        .map(deadline_view)
        .collect()
}

fn acts<K: ToString + Ord>(acts: &SmallMap<K, DateTime<Utc>>) -> Vec<OrganisationActView> {
    acts.iter()
        .map(|(org, at)| OrganisationActView {
            organisation: org.to_string(),
            occurred_at: *at,
        })
        .collect()
}

fn rapid_review(case: &Case, settings: &PartnershipSettings) -> Option<RapidReviewView> {
    let review = case.rapid_review.as_ref()?;
    Some(RapidReviewView {
        day0: case.rapid_review_day0(settings),
        clock_start: enum_str(&review.clock_start),
        initiated_at: review.initiated_at,
        partners_notified_at: review.partners_notified_at,
        partner_leads: review
            .partner_leads
            .iter()
            .map(|(partner, lead_name)| PartnerLeadView {
                partner: (*partner).into(),
                lead_name: lead_name.clone(),
            })
            .collect(),
        review_lead: review
            .review_lead
            .as_ref()
            .map(|(name, org)| ReviewLeadView {
                lead_name: name.clone(),
                organisation: org.to_string(),
            }),
        modified_response_at: review.modified_response_at,
        agency_reports: review
            .agency_reports
            .iter()
            .map(|(org, report)| AgencyReportView {
                organisation: org.to_string(),
                requested_at: report.requested_at,
                submitted_at: report.submitted_at,
            })
            .collect(),
        reports_circulated_at: review.reports_circulated_at,
        meeting_held_at: review.meeting_held_at,
        drafts: review
            .drafts
            .iter()
            .map(|(milestone, at)| DraftView {
                milestone: *milestone,
                occurred_at: *at,
            })
            .collect(),
        draft_comments: acts(&review.draft_comments),
        senior_sign_offs: acts(&review.senior_sign_offs),
        independent_sign_off_at: review.independent_sign_off_at,
        submitted_at: review.submitted_at,
        national_review_may_be_appropriate: review.national_review_may_be_appropriate,
    })
}

/// The case in full.
pub fn detail(
    record: &CaseRecord,
    partnership: &Partnership,
    now: DateTime<Utc>,
    actions: &ActionsShown,
) -> CaseDetail {
    let case = &record.case;
    CaseDetail {
        case_id: case.case_id.as_uuid(),
        kind: enum_str(&case.kind),
        stage: enum_str(&case.stage),
        version: record.version,
        opened_at: case.opened_at,
        origin: match case.origin {
            Origin::Notification(_) | Origin::HomicideNotification(_) => "notification".to_owned(),
            Origin::Referral(_) | Origin::AdultReferral(_) => "referral".to_owned(),
            Origin::Audit(_) => "commissioning".to_owned(),
        },
        opened_by: case.opened_by().to_string(),
        child: case.child().map(|child| ChildView {
            reference: child.reference.clone(),
            age_band: enum_str(&child.age_band),
            sex: child.sex.clone(),
            ethnicity: child.ethnicity.clone(),
            looked_after: child.looked_after,
            child_protection_plan: child.child_protection_plan,
        }),
        incident_date: match &case.origin {
            Origin::Notification(n) => Some(n.incident_date),
            Origin::Referral(r) => Some(r.incident_date),
            _ => None,
        },
        adult: adult(case),
        sar: sar(case),
        victim: victim(case),
        dhr: dhr(case),
        audit: audit(case),
        notification: case.notification().map(|n| NotificationView {
            became_aware_on: n.became_aware_on,
            harm: n.harm,
            abuse_or_neglect: n.abuse_or_neglect,
            location_basis: n.location_basis,
        }),
        panel_notification: case
            .panel_notification
            .as_ref()
            .map(|p| PanelNotificationView {
                panel_reference: p.panel_reference.clone(),
                submitted_on: p.submitted_on,
                occurred_at: p.occurred_at,
            }),
        involved_organisations: case.involved.iter().map(ToString::to_string).collect(),
        rapid_review: rapid_review(case, &partnership.settings),
        votes: case
            .votes
            .values()
            .map(|v| VoteView {
                partner: v.partner.into(),
                decision: v.decision,
                criteria: v.criteria.to_vec(),
                national_review_suggested: v.national_review_suggested,
                occurred_at: v.occurred_at,
            })
            .collect(),
        decision: case.decision.as_ref().map(|d| DecisionView {
            decision: d.decision,
            agreed_by: d.agreed_by.iter().map(|p| (*p).into()).collect(),
            occurred_at: d.occurred_at,
        }),
        after_review: after_review(case, actions),
        next_steps: next_steps(case, partnership, now),
        deadlines: deadline_views(record, partnership, now),
    }
}

/// The next steps as the API shows them.
fn next_steps(case: &Case, partnership: &Partnership, now: DateTime<Utc>) -> Vec<NextStepView> {
    casetrail_app::next_steps::next_steps(case, partnership, now)
        .into_iter()
        .map(|step| NextStepView {
            command: step.command.to_owned(),
            role: step.role.as_str().to_owned(),
            organisation: step.organisation.map(|org| org.to_string()),
            due_at: step.deadline.map(|(due_at, _)| due_at),
            status: step.deadline.map(|(_, status)| status),
        })
        .collect()
}

fn after_review(case: &Case, actions: &ActionsShown) -> AfterReviewView {
    let after = &case.after;
    AfterReviewView {
        panel_agrees: after.panel_response.as_ref().map(|r| r.agrees),
        panel_responded_at: after.panel_response.as_ref().map(|r| r.occurred_at),
        reconsidered_outcome: after.reconsideration.map(|(outcome, _)| outcome),
        reconsidered_views: after
            .reconsidered_views
            .values()
            .map(|v| ReconsideredViewView {
                partner: v.partner.into(),
                outcome: v.outcome,
                occurred_at: v.occurred_at,
            })
            .collect(),
        reconsideration_sent_at: after.reconsideration_sent_at,
        family_told_in_person: after.family_communication.as_ref().map(|f| f.in_person),
        practice_review: after.practice_review.as_ref().map(|r| PracticeReviewView {
            reviewer: r.reviewer.clone(),
            commissioned_at: r.commissioned_at,
            delayed_to: r.delays.iter().map(|(day, _)| *day).collect(),
            report_sent_at: r.report_sent_at,
            published_at: r.published.as_ref().map(|p| p.occurred_at),
            url: r.published.as_ref().and_then(|p| p.url.clone()),
            withheld_at: r.withheld_at,
            taken_down_at: r.taken_down_at,
            improvements_sent_at: r.improvements_sent_at,
            improvements_published_at: r.improvements_published.as_ref().map(|p| p.occurred_at),
            ofsted_copy_at: r.ofsted_copy_at,
        }),
        recommendations: after
            .recommendations
            .values()
            .map(|r| RecommendationView {
                recommendation_id: r.added.recommendation_id,
                text: r.added.text.clone(),
                owner: r
                    .added
                    .lead_owner()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                owners: r.added.owners.iter().map(ToString::to_string).collect(),
                due_on: r.added.due_on,
                completed_at: r.completed_at,
                plan: action_plan(&r.plan, actions),
            })
            .collect(),
        closure_reason: after.closed.as_ref().map(|c| c.reason),
        closed_at: after.closed.as_ref().map(|c| c.occurred_at),
    }
}

/// A plan as `actions` lets the reader see it.
fn action_plan(plan: &ActionPlan, actions: &ActionsShown) -> ActionPlanView {
    ActionPlanView {
        actions: plan
            .actions
            .values()
            .filter(|a| actions.shows(&a.added.owners))
            .map(action_view)
            .collect(),
        actions_total: u32::try_from(plan.actions.len()).unwrap_or(u32::MAX),
        signed_off_by: plan.signed_off.as_ref().map(|s| s.group),
        signed_off_at: plan.signed_off.as_ref().map(|s| s.occurred_at),
        impact_reviews: plan
            .impact_reviews
            .iter()
            .map(|r| ImpactReviewView {
                practice_changed: r.practice_changed,
                summary: r.summary.clone(),
                occurred_at: r.occurred_at,
            })
            .collect(),
    }
}

fn action_view(action: &Action) -> ActionView {
    let status = match (action.completed_at, action.rag()) {
        (Some(_), _) => ActionStatus::Complete,
        (None, None) => ActionStatus::NotStarted,
        (None, Some(Rag::Red)) => ActionStatus::Red,
        (None, Some(Rag::Amber)) => ActionStatus::Amber,
        (None, Some(Rag::Green)) => ActionStatus::Green,
    };
    ActionView {
        action_id: action.added.action_id,
        text: action.added.text.clone(),
        owners: action
            .added
            .owners
            .iter()
            .map(ToString::to_string)
            .collect(),
        due_on: action.added.due_on,
        status,
        progress: action
            .progress
            .iter()
            .map(|p| ActionProgressView {
                rag: p.rag,
                note: p.note.clone(),
                evidence: p.evidence.clone(),
                occurred_at: p.occurred_at,
            })
            .collect(),
        completed_at: action.completed_at,
        added_at: action.added.occurred_at,
    }
}

fn audit(case: &Case) -> Option<AuditView> {
    let commissioned = case.audit_commissioning()?;
    let findings = case.audit.as_ref().and_then(|a| a.findings.as_ref());
    Some(AuditView {
        reference: commissioned.reference.clone(),
        topic: commissioned.topic.clone(),
        group: commissioned.group,
        agencies: commissioned
            .agencies
            .iter()
            .map(ToString::to_string)
            .collect(),
        sample_size: commissioned.sample_size,
        commissioned_at: commissioned.occurred_at,
        cases_audited: findings.map(|f| f.cases_audited),
        findings: findings.map(|f| f.findings.clone()),
        findings_recorded_at: findings.map(|f| f.occurred_at),
    })
}

fn adult(case: &Case) -> Option<AdultView> {
    let referral = case.adult_referral()?;
    let adult = &referral.adult;
    let s44 = referral.s44();
    Some(AdultView {
        reference: adult.reference.clone(),
        age_band: enum_str(&adult.age_band),
        sex: adult.sex.clone(),
        ethnicity: adult.ethnicity.clone(),
        care_and_support_needs: referral.care_and_support_needs,
        adult_died: referral.adult_died,
        date_of_death: referral.date_of_death,
        abuse_or_neglect: referral.abuse_or_neglect,
        death_resulted_from_abuse_or_neglect: referral.death_resulted_from_abuse_or_neglect,
        serious_abuse_or_neglect: referral.serious_abuse_or_neglect,
        abuse_or_neglect_date: referral.abuse_or_neglect_date,
        joint_working_concern: referral.joint_working_concern,
        condition_1_met: s44.condition_1,
        condition_2_met: s44.condition_2,
        mandatory_criteria_met: s44.mandatory(),
    })
}

fn sar(case: &Case) -> Option<SarView> {
    let sar = case.sar.as_ref()?;
    let commissioned = sar.commissioned.as_ref();
    let published = sar.published.as_ref();
    Some(SarView {
        decision: sar.decision.as_ref().map(|d| d.decision),
        decided_at: sar.decision.as_ref().map(|d| d.occurred_at),
        reviewer: commissioned.map(|c| c.reviewer.clone()),
        reviewer_organisation: commissioned
            .and_then(|c| c.reviewer_organisation.as_ref())
            .map(ToString::to_string),
        commissioned_at: commissioned.map(|c| c.occurred_at),
        agency_reports: sar
            .agency_reports
            .iter()
            .map(|(org, report)| SarAgencyReportView {
                organisation: org.to_string(),
                requested_at: report.requested_at,
                submitted_at: report.submitted_at,
            })
            .collect(),
        family_invited_at: sar.family_invited_at,
        pauses: sar
            .pauses
            .iter()
            .map(|p| SarPauseView {
                paused_at: p.paused_at,
                resumed_at: p.resumed_at,
            })
            .collect(),
        paused: sar.open_pause().is_some(),
        completed_at: sar.completed.as_ref().map(|c| c.occurred_at),
        principles_with_findings: sar
            .completed
            .iter()
            .flat_map(|c| c.principles_with_findings.iter().copied())
            .collect(),
        published_at: published.map(|p| p.occurred_at),
        url: published.and_then(|p| p.url.clone()),
    })
}

fn victim(case: &Case) -> Option<VictimView> {
    let notified = case.homicide_notification()?;
    let victim = &notified.victim;
    Some(VictimView {
        reference: victim.reference.clone(),
        age_band: enum_str(&victim.age_band),
        sex: victim.sex.clone(),
        ethnicity: victim.ethnicity.clone(),
        date_of_death: notified.date_of_death,
        relationship: notified.relationship,
        violence_abuse_or_neglect: notified.violence_abuse_or_neglect,
    })
}

fn dhr(case: &Case) -> Option<DhrView> {
    let dhr = case.dhr.as_ref()?;
    let commissioned = dhr.commissioned.as_ref();
    let published = dhr.published.as_ref();
    Some(DhrView {
        conduct_review: dhr.decision.as_ref().map(|d| d.conduct_review),
        decided_at: dhr.decision.as_ref().map(|d| d.occurred_at),
        home_office_notified_at: dhr.home_office_notified_at,
        family_involvement: dhr
            .family
            .iter()
            .map(|f| DhrFamilyInvolvementView {
                involvement: f.involvement,
                occurred_at: f.occurred_at,
            })
            .collect(),
        chair: commissioned.map(|c| c.chair.clone()),
        commissioned_at: commissioned.map(|c| c.occurred_at),
        completed_at: dhr.completed_at,
        submitted_to_home_office_at: dhr.submitted_to_home_office_at,
        qa_outcome: dhr.qa_outcome.as_ref().map(|q| q.outcome),
        qa_outcome_at: dhr.qa_outcome.as_ref().map(|q| q.occurred_at),
        published_at: published.map(|p| p.occurred_at),
        url: published.and_then(|p| p.url.clone()),
    })
}
