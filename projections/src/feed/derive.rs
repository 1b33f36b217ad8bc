//! From the log to integration events: what each case event, each calendar change and each
//! recorded reminder tells partner systems (docs/integration.md). Pure: given the states a
//! stored event moved a case (or the partnership) between, the items it gives.

use super::FeedItem;
use casetrail_domain::CaseId;
use casetrail_domain::calendar::WorkingCalendar;
use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::practice_review::ReconsideredOutcome;
use casetrail_domain::case::{Case, CaseEvent, CaseKind, Stage};
use casetrail_domain::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use casetrail_domain::integration::{DeadlineSummary, DecisionMade, IntegrationEvent};
use casetrail_domain::partnership::{Partnership, PartnershipEvent};
use casetrail_domain::reminders::ReminderEvent;
use chrono::{DateTime, Utc};

/// What the feed compares of one deadline of a case, to tell what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tracked {
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
fn said_by(event: &CaseEvent) -> Option<IntegrationEvent> {
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
fn stage_change(before: Option<Stage>, case: &Case) -> Option<IntegrationEvent> {
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
fn track(case: &Case, partnership: &Partnership, at: DateTime<Utc>) -> Vec<(Tracked, Deadline)> {
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
fn deadline_changes(
    case: &Case,
    before: &[(Tracked, Deadline)],
    now: &[(Tracked, Deadline)],
    calendar: &WorkingCalendar,
    at: DateTime<Utc>,
) -> Vec<IntegrationEvent> {
    use IntegrationEvent as I;
    let mut out = Vec::new();
    for (tracked, deadline) in now {
        let summary = || DeadlineSummary::of(case.case_id, deadline, tracked.due_at);
        let recommendation = deadline.kind == DeadlineKind::Recommendation;
        let Some((old, _)) = before.iter().find(|(b, _)| b.key == tracked.key) else {
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
fn reminded(event: &ReminderEvent) -> IntegrationEvent {
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

/// Which cases' deadlines a partnership event can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A change of the calendar: the deadlines of open cases (a closed case keeps only its
    /// publication's take-down and its recommendations, which no working day moves).
    OpenCases,
    /// A change of the settings: the rapid reviews not yet initiated, which run by the current
    /// clock start and close of business until initiation fixes them.
    ReviewsAwaitingInitiation,
}

impl Reach {
    /// Which cases a partnership event can move the deadlines of, if any.
    pub fn of(event: &PartnershipEvent) -> Option<Reach> {
        match event {
            PartnershipEvent::BankHolidayDeclared { .. }
            | PartnershipEvent::BankHolidayWithdrawn { .. }
            | PartnershipEvent::BankHolidayMoved { .. } => Some(Reach::OpenCases),
            PartnershipEvent::PartnershipSettingsChanged(_) => {
                Some(Reach::ReviewsAwaitingInitiation)
            }
            _ => None,
        }
    }

    /// Whether it can move this case's deadlines.
    pub fn can_move(self, case: &Case) -> bool {
        let open = case.after.closed.is_none();
        match self {
            Reach::OpenCases => open,
            Reach::ReviewsAwaitingInitiation => {
                open && case.kind == CaseKind::Child && case.rapid_review.is_none()
            }
        }
    }
}

/// Where an item is in the log, and when.
#[derive(Debug, Clone, Copy)]
pub struct At {
    /// The stored event's position.
    pub position: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

fn numbered(
    at: At,
    occurred_at: DateTime<Utc>,
    case_id: CaseId,
    first: u16,
    told: Vec<IntegrationEvent>,
) -> Vec<FeedItem> {
    told.into_iter()
        .zip(first..)
        .map(|(event, index)| FeedItem {
            position: at.position,
            index,
            case_id,
            recorded_at: at.recorded_at,
            occurred_at,
            event,
        })
        .collect()
}

/// The items of a case event: the case before it (`None`: it opened the case) and after it,
/// their deadlines judged with the partnership as it stood then, at the instant recorded.
pub fn case_event(
    at: At,
    before: Option<&Case>,
    after: &Case,
    partnership: &Partnership,
    event: &CaseEvent,
) -> Vec<FeedItem> {
    let mut told: Vec<IntegrationEvent> = Vec::new();
    told.extend(stage_change(before.map(|c| c.stage), after));
    told.extend(said_by(event));
    let was = before.map_or_else(Vec::new, |c| track(c, partnership, at.recorded_at));
    let now = track(after, partnership, at.recorded_at);
    told.extend(deadline_changes(
        after,
        &was,
        &now,
        &partnership.calendar,
        at.recorded_at,
    ));
    numbered(at, event.occurred_at(), after.case_id, 0, told)
}

/// The items of a change of the partnership's calendar or settings: for each case it can
/// move (in opening order, as they stood then), the deadlines it moved.
pub fn calendar_change<'a>(
    at: At,
    cases: impl IntoIterator<Item = &'a Case>,
    before: &Partnership,
    after: &Partnership,
) -> Vec<FeedItem> {
    let mut items: Vec<FeedItem> = Vec::new();
    for case in cases {
        let was = track(case, before, at.recorded_at);
        let now = track(case, after, at.recorded_at);
        let told = deadline_changes(case, &was, &now, &after.calendar, at.recorded_at);
        let first = u16::try_from(items.len()).unwrap_or(u16::MAX);
        items.extend(numbered(at, at.recorded_at, case.case_id, first, told));
    }
    items
}

/// The item of a recorded reminder or breach.
pub fn reminder(at: At, event: &ReminderEvent) -> Vec<FeedItem> {
    numbered(
        at,
        event.occurred_at(),
        event.deadline().case_id,
        0,
        vec![reminded(event)],
    )
}
