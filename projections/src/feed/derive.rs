//! From the log to integration events: what each case event, each calendar change and each
//! recorded reminder tells partner systems (docs/integration.md).

use casetrail_domain::calendar::WorkingCalendar;
use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::practice_review::ReconsideredOutcome;
use casetrail_domain::case::{Case, CaseEvent, Stage};
use casetrail_domain::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use casetrail_domain::integration::{DeadlineSummary, DecisionMade, IntegrationEvent};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::reminders::ReminderEvent;
use chrono::{DateTime, Utc};

/// What the feed remembers of one deadline of a case, to tell what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tracked {
    /// Which deadline: a hash of what its id is derived from (`Deadline::id` is a SHA-1 of
    /// the same, too costly to compute for every deadline of every event of a rebuild).
    key: u64,
    due_at: DateTime<Utc>,
    fulfilled: bool,
    applies: bool,
}

/// A deadline's key: the same for the same kind, organisation and reference.
fn key(deadline: &Deadline) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    deadline.kind.hash(&mut hasher);
    deadline
        .organisation
        .as_ref()
        .map(|o| o.as_str())
        .hash(&mut hasher);
    deadline.reference.hash(&mut hasher);
    hasher.finish()
}

/// The integration events a case event itself says, apart from stage and deadline changes.
pub(super) fn said_by(event: &CaseEvent) -> Option<IntegrationEvent> {
    use IntegrationEvent as I;
    let decision = |decision| Some(I::DecisionMade { decision });
    match event {
        CaseEvent::AgencyReportRequested(e) => Some(I::AgencyReportRequested {
            organisation: e.organisation.clone(),
        }),
        CaseEvent::AgencyReportSubmitted(e) => Some(I::AgencyReportSubmitted {
            organisation: e.organisation.clone(),
        }),
        CaseEvent::DecisionReached(e) => decision(match e.decision {
            ReviewDecision::Lcspr => DecisionMade::Lcspr,
            ReviewDecision::NoLcspr => DecisionMade::NoLcspr,
        }),
        CaseEvent::ReconsiderationReached(e) => decision(match e.outcome {
            ReconsideredOutcome::Adhere => DecisionMade::ReconsideredAdhere,
            ReconsideredOutcome::Commission => DecisionMade::ReconsideredCommission,
            ReconsideredOutcome::Withdraw => DecisionMade::ReconsideredWithdraw,
        }),
        CaseEvent::SarDecisionRecorded(e) if e.decision.holds_review() => {
            decision(DecisionMade::Sar)
        }
        CaseEvent::SarDecisionRecorded(_) => decision(DecisionMade::NoSar),
        CaseEvent::DhrDecisionRecorded(e) if e.conduct_review => decision(DecisionMade::Dhr),
        CaseEvent::DhrDecisionRecorded(_) => decision(DecisionMade::NoDhr),
        CaseEvent::ReviewPublished(e) | CaseEvent::ImprovementsInformationPublished(e) => {
            Some(I::ReviewPublished { url: e.url.clone() })
        }
        CaseEvent::RecommendationAdded(e) => Some(I::RecommendationAdded {
            recommendation_id: e.recommendation_id,
            owners: e.owners.clone(),
            due_on: e.due_on,
        }),
        CaseEvent::RecommendationCompleted(e) => Some(I::RecommendationCompleted {
            recommendation_id: e.recommendation_id,
        }),
        _ => None,
    }
}

/// The case opened, or moved stage.
pub(super) fn stage_change(before: Option<Stage>, case: &Case) -> Option<IntegrationEvent> {
    match before {
        None => Some(IntegrationEvent::CaseOpened {
            kind: case.kind,
            stage: case.stage,
        }),
        Some(from) if from != case.stage => Some(IntegrationEvent::StageChanged {
            from,
            to: case.stage,
        }),
        Some(_) => None,
    }
}

/// The case's deadlines as the feed tracks them, judged at `at`.
pub(super) fn track(
    case: &Case,
    partnership: &Partnership,
    at: DateTime<Utc>,
) -> Vec<(Tracked, Deadline)> {
    let calendar = &partnership.calendar;
    case.deadlines(partnership)
        .into_iter()
        .map(|d| {
            // While a review is paused its due day moves every day: it is told as moved once,
            // when the pause ends, not at every fact recorded meanwhile.
            let due_at = if d.paused_since.is_some() {
                d.due_at
            } else {
                d.due_at_as_of(at)
            };
            let tracked = Tracked {
                key: key(&d),
                due_at,
                fulfilled: d.fulfilled_at.is_some(),
                applies: !d.is_not_applicable(at, calendar),
            };
            (tracked, d)
        })
        .collect()
}

/// What changed between the deadlines tracked before and now: created, moved, met, no longer
/// applying. A recommendation's creation and completion are told by its own events
/// (`recommendation.added`, `recommendation.completed`), so not again here.
pub(super) fn deadline_changes(
    case: &Case,
    before: &[Tracked],
    now: &[(Tracked, Deadline)],
    calendar: &WorkingCalendar,
    at: DateTime<Utc>,
) -> Vec<IntegrationEvent> {
    use IntegrationEvent as I;
    let mut out = Vec::new();
    for (tracked, deadline) in now {
        let summary = || DeadlineSummary::of(case.case_id, deadline, tracked.due_at);
        let recommendation = deadline.kind == DeadlineKind::Recommendation;
        let Some(old) = before.iter().find(|b| b.key == tracked.key) else {
            if !recommendation && tracked.applies {
                out.push(I::DeadlineCreated {
                    deadline: summary(),
                });
            }
            if tracked.fulfilled && !recommendation {
                out.push(met(summary(), deadline, calendar, at));
            }
            continue;
        };
        if old.applies && !tracked.applies {
            out.push(I::DeadlineNoLongerApplies {
                deadline: summary(),
            });
            continue;
        }
        if !tracked.fulfilled && old.due_at != tracked.due_at {
            out.push(I::DeadlineMoved {
                deadline: summary(),
                previous_due_at: old.due_at,
            });
        }
        if tracked.fulfilled && !old.fulfilled && !recommendation {
            out.push(met(summary(), deadline, calendar, at));
        }
    }
    out
}

fn met(
    deadline: DeadlineSummary,
    fulfilled: &Deadline,
    calendar: &WorkingCalendar,
    at: DateTime<Utc>,
) -> IntegrationEvent {
    let fulfilled_at = fulfilled.fulfilled_at.unwrap_or(at);
    let on_time = match fulfilled.status(at.max(fulfilled_at), calendar) {
        DeadlineStatus::Met => Some(true),
        DeadlineStatus::MetLate => Some(false),
        _ => None,
    };
    IntegrationEvent::DeadlineMet {
        deadline,
        fulfilled_at,
        on_time,
    }
}

/// What a recorded reminder or breach tells.
pub(super) fn reminded(event: &ReminderEvent) -> IntegrationEvent {
    let notice = event.deadline();
    let summary = DeadlineSummary {
        deadline_id: notice.deadline_id,
        kind: notice.kind,
        organisation: notice.organisation.clone(),
        responsible_role: notice.kind.responsible_role(),
        reference: notice.reference,
        due_at: notice.due_at,
    };
    match event {
        ReminderEvent::DeadlineReminderIssued(r) => {
            IntegrationEvent::due_soon(summary, r.working_days_before)
        }
        ReminderEvent::DeadlineBreachRecorded(_) => IntegrationEvent::breached(summary),
    }
}

/// The deadlines tracked, without what they were computed from.
pub(super) fn tracked_only(now: Vec<(Tracked, Deadline)>) -> Vec<Tracked> {
    now.into_iter().map(|(t, _)| t).collect()
}
