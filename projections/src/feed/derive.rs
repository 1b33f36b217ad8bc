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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::OrgSlug;
    use casetrail_domain::calendar::WorkingCalendar;
    use casetrail_domain::codec::{decode, schema_version};
    use serde_json::{Value, json};

    const FIXTURES: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../domain/tests/fixtures/events"
    );

    /// The current shape of a stored event type, from its golden fixture, `change`d.
    fn event(event_type: &str, change: impl FnOnce(&mut Value)) -> CaseEvent {
        let version = schema_version(event_type);
        let path = format!("{FIXTURES}/{event_type}.v{version}.json");
        let mut fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        change(&mut fixture["data"]);
        decode(event_type, version, &fixture["data"]).unwrap()
    }

    fn told(event_type: &str, change: impl FnOnce(&mut Value)) -> Option<Value> {
        said_by(&event(event_type, change)).map(|e| serde_json::to_value(e).unwrap())
    }

    #[test]
    fn each_event_that_tells_something_of_its_own_says_it() {
        let same = |_: &mut Value| {};
        for (event_type, expected) in [
            ("AgencyReportRequested", "agency_report.requested"),
            ("AgencyReportSubmitted", "agency_report.submitted"),
            ("DecisionReached", "decision.made"),
            ("ReconsiderationReached", "decision.made"),
            ("SarDecisionRecorded", "decision.made"),
            ("DhrDecisionRecorded", "decision.made"),
            ("ReviewPublished", "review.published"),
            ("ImprovementsInformationPublished", "review.published"),
            ("RecommendationAdded", "recommendation.added"),
            ("RecommendationCompleted", "recommendation.completed"),
        ] {
            let told = told(event_type, same).unwrap_or_else(|| panic!("{event_type}"));
            assert_eq!(told["type"], expected, "{event_type}");
        }
        assert_eq!(told("PartnerLeadNamed", same), None);
        assert_eq!(told("IncidentNotified", same), None);
    }

    #[test]
    fn decisions_are_told_as_what_was_decided() {
        let decision = |event_type: &str, change: &dyn Fn(&mut Value)| {
            told(event_type, |d| change(d)).unwrap()["data"]["decision"].clone()
        };
        let set = |field: &'static str, value: Value| move |d: &mut Value| d[field] = value.clone();
        assert_eq!(
            decision("DecisionReached", &set("decision", json!("lcspr"))),
            "lcspr"
        );
        assert_eq!(
            decision("DecisionReached", &set("decision", json!("no_lcspr"))),
            "no_lcspr"
        );
        for (outcome, told) in [
            ("adhere", "reconsidered_adhere"),
            ("commission", "reconsidered_commission"),
            ("withdraw", "reconsidered_withdraw"),
        ] {
            let told_now = decision("ReconsiderationReached", &set("outcome", json!(outcome)));
            assert_eq!(told_now, told);
        }
        for (sar, told) in [
            ("mandatory", "sar"),
            ("discretionary", "sar"),
            ("not_required", "no_sar"),
        ] {
            assert_eq!(
                decision("SarDecisionRecorded", &set("decision", json!(sar))),
                told
            );
        }
        let dhr = |conduct: bool| {
            decision(
                "DhrDecisionRecorded",
                &set("conduct_review", json!(conduct)),
            )
        };
        assert_eq!(dhr(true), "dhr");
        assert_eq!(dhr(false), "no_dhr");
        let published = told("ReviewPublished", |d| {
            d["url"] = json!("https://example.org/r")
        })
        .unwrap();
        assert_eq!(published["data"]["url"], "https://example.org/r");
    }

    fn case(events: &[CaseEvent]) -> Case {
        Case::replay(events).unwrap()
    }

    #[test]
    fn a_calendar_reaches_open_cases_and_settings_reach_reviews_not_yet_initiated() {
        let same = |_: &mut Value| {};
        let notified = event("IncidentNotified", same);
        let awaiting = case(std::slice::from_ref(&notified));
        let initiated = case(&[notified.clone(), event("RapidReviewInitiated", same)]);
        let closed = case(&[
            notified,
            event("CaseClosed", |d| d["reason"] = json!("criteria_not_met")),
        ]);
        let adult = case(&[event("SarReferred", same)]);
        let settings = PartnershipEvent::PartnershipSettingsChanged(Default::default());
        let holiday = PartnershipEvent::BankHolidayDeclared {
            date: "2023-05-08".parse().unwrap(),
            name: "Coronation".into(),
            declared_at: "2022-11-06T10:00:00Z".parse().unwrap(),
            correction: None,
        };
        let retired = PartnershipEvent::OrganisationRetired {
            slug: OrgSlug::parse("housing").unwrap(),
        };
        assert_eq!(Reach::of(&settings), Some(Reach::ReviewsAwaitingInitiation));
        assert_eq!(Reach::of(&holiday), Some(Reach::OpenCases));
        assert_eq!(Reach::of(&retired), None);
        let moves =
            |reach: Reach| [&awaiting, &initiated, &closed, &adult].map(|c| reach.can_move(c));
        assert_eq!(moves(Reach::OpenCases), [true, true, false, true]);
        assert_eq!(
            moves(Reach::ReviewsAwaitingInitiation),
            [true, false, false, false]
        );
    }

    fn due() -> DateTime<Utc> {
        "2023-01-13T17:00:00Z".parse().unwrap()
    }

    fn tracked(d: Deadline, applies: bool) -> (Tracked, Deadline) {
        let t = Tracked {
            key: key(&d),
            due_at: d.due_at,
            fulfilled: d.fulfilled_at.is_some(),
            applies,
        };
        (t, d)
    }

    fn types(told: &[IntegrationEvent]) -> Vec<&'static str> {
        told.iter().map(IntegrationEvent::type_name).collect()
    }

    #[test]
    fn a_new_deadline_is_created_unless_it_no_longer_applies_and_met_unless_a_recommendation() {
        let same = |_: &mut Value| {};
        let case = case(&[event("IncidentNotified", same)]);
        let calendar = WorkingCalendar::england_and_wales();
        let at = due();
        let report = |fulfilled| {
            Deadline::new(
                DeadlineKind::RrAgencyReport,
                Some(OrgSlug::parse("suhft").unwrap()),
                due(),
                fulfilled,
            )
        };
        let on_time: Option<DateTime<Utc>> = Some("2023-01-12T09:00:00Z".parse().unwrap());
        let now = [tracked(report(None), true)];
        assert_eq!(
            types(&deadline_changes(&case, &[], &now, &calendar, at)),
            ["deadline.created"]
        );
        let gone = [tracked(report(None), false)];
        assert!(deadline_changes(&case, &[], &gone, &calendar, at).is_empty());
        let met_at_once = [tracked(report(on_time), true)];
        assert_eq!(
            types(&deadline_changes(&case, &[], &met_at_once, &calendar, at)),
            ["deadline.created", "deadline.met"]
        );
        let mut recommendation = report(on_time);
        recommendation.kind = DeadlineKind::Recommendation;
        let recommendation = [tracked(recommendation, true)];
        assert!(deadline_changes(&case, &[], &recommendation, &calendar, at).is_empty());
        // Known before: met now; moved; stopped applying.
        let before = [tracked(report(None), true)];
        assert_eq!(
            types(&deadline_changes(
                &case,
                &before,
                &met_at_once,
                &calendar,
                at
            )),
            ["deadline.met"]
        );
        let mut later = report(None);
        later.due_at = "2023-01-16T17:00:00Z".parse().unwrap();
        let moved = deadline_changes(&case, &before, &[tracked(later, true)], &calendar, at);
        assert_eq!(types(&moved), ["deadline.moved"]);
        assert_eq!(
            types(&deadline_changes(&case, &before, &gone, &calendar, at)),
            ["deadline.no_longer_applies"]
        );
    }

    #[test]
    fn a_deadline_met_says_whether_on_time() {
        let calendar = WorkingCalendar::england_and_wales();
        let summary =
            |d: &Deadline| DeadlineSummary::of(CaseId::from_uuid(uuid::Uuid::nil()), d, d.due_at);
        let fulfilled = |at: &str| {
            Deadline::new(
                DeadlineKind::RrAgencyReport,
                None,
                due(),
                Some(at.parse().unwrap()),
            )
        };
        let on_time = |d: &Deadline| match met(summary(d), d, &calendar, due()) {
            IntegrationEvent::DeadlineMet { on_time, .. } => on_time,
            other => panic!("{other:?}"),
        };
        assert_eq!(on_time(&fulfilled("2023-01-13T16:00:00Z")), Some(true));
        assert_eq!(on_time(&fulfilled("2023-01-16T09:00:00Z")), Some(false));
        let mut unsettled = fulfilled("2023-01-12T09:00:00Z");
        unsettled.unsettled_until = Some("2023-03-01T00:00:00Z".parse().unwrap());
        assert_eq!(on_time(&unsettled), None);
    }
}
