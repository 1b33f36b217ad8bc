#![allow(clippy::unwrap_used)]

use crate::Workload;
use crate::life_cycle::{LogWriter, StreamEvent};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::learning::{
    self, Learning, LearningCommand, LearningEvent, LearningEventKind, Subject, TakingPart,
};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::{CaseId, PartnershipSlug};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The command that records `event`, as the business unit would have sent it.
fn command_of(event: &LearningEvent) -> LearningCommand {
    match event.clone() {
        LearningEvent::ThemeAdded { theme, name } => LearningCommand::AddTheme { theme, name },
        LearningEvent::ThemeRetired { theme } => LearningCommand::RetireTheme { theme },
        LearningEvent::ThemesTagged { subject, themes } => {
            LearningCommand::TagThemes { subject, themes }
        }
        LearningEvent::MeetingRecorded(m) => LearningCommand::RecordMeeting(m),
        LearningEvent::LearningEventRecorded(e) => LearningCommand::RecordLearningEvent(e),
        LearningEvent::ContributionRecorded(c) => LearningCommand::RecordContribution(c),
        LearningEvent::SpendingRecorded(s) => LearningCommand::RecordSpending(s),
        LearningEvent::MeetingCorrected(m) => LearningCommand::CorrectMeeting(m),
        LearningEvent::LearningEventCorrected(e) => LearningCommand::CorrectLearningEvent(e),
        LearningEvent::BudgetLineWithdrawn { line_id } => {
            LearningCommand::WithdrawBudgetLine { line_id }
        }
    }
}

/// What one partnership's record held, counted.
#[derive(Debug, Default)]
struct Counted {
    meetings_2021_22: Vec<learning::Meeting>,
    events_2021_22: Vec<learning::LearningEventHeld>,
    kinds: HashMap<LearningEventKind, u32>,
    contributions: BTreeSet<FinancialYear>,
    spending_lines: u32,
    corrections: u32,
    withdrawn: u32,
    tagged: [u32; 3],
    retired: u32,
    discussed: u32,
}

/// Every record the seed writes in a partnership's learning stream is one the learning
/// decider accepts as it stands then (LI-1 to LI-4: active themes, days held by the day it is
/// recorded, registered organisations, evaluations by no more than came, corrections of what
/// exists, withdrawals once), and names only cases and recommendations already in the log, a
/// meeting only cases opened by its day; and a full year reads like the 2021-22 summary: over
/// seventy meetings, over 150 different people, the three shared learning days.
#[test]
fn the_seeded_learning_record_is_what_the_deciders_accept_and_reads_like_a_year() {
    let workload = Workload {
        partnerships: 2,
        cases: 600,
        open_cases: 40,
        seed: 11,
    };
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut partnerships: HashMap<PartnershipSlug, Partnership> = HashMap::new();
    let mut records: HashMap<PartnershipSlug, Learning> = HashMap::new();
    let mut opened: HashMap<CaseId, chrono::NaiveDate> = HashMap::new();
    let mut recommendations: HashSet<uuid::Uuid> = HashSet::new();
    let mut audits: HashSet<CaseId> = HashSet::new();
    let mut counted: HashMap<PartnershipSlug, Counted> = HashMap::new();
    let year = FinancialYear::parse("2021-22").unwrap();
    for (event, gap) in workload.events() {
        let recorded_at = writer.append(&event, gap).recorded_at;
        match event {
            StreamEvent::Partnership(slug, event) => {
                let state = partnerships.remove(&slug);
                partnerships.insert(slug, Partnership::evolve(state, &event).unwrap());
            }
            StreamEvent::Case(_, case_id, event) => {
                opened
                    .entry(case_id)
                    .or_insert(local_date(event.occurred_at()));
                match event {
                    CaseEvent::RecommendationAdded(added) => {
                        recommendations.insert(added.recommendation_id);
                    }
                    CaseEvent::AuditCommissioned(_) => {
                        audits.insert(case_id);
                    }
                    _ => {}
                }
            }
            StreamEvent::Learning(slug, event) => {
                let partnership = &partnerships[&slug];
                let state = records.remove(&slug);
                let decided = learning::decide(
                    state.as_ref(),
                    &command_of(&event),
                    partnership,
                    local_date(recorded_at),
                );
                assert_eq!(decided, Ok(vec![event.clone()]), "{event:?}");
                let c = counted.entry(slug.clone()).or_default();
                match &event {
                    LearningEvent::ThemesTagged { subject, .. } => {
                        assert!(opened.contains_key(&subject.case_id()), "{subject:?}");
                        match subject {
                            Subject::Recommendation {
                                recommendation_id, ..
                            } => {
                                assert!(recommendations.contains(recommendation_id));
                                c.tagged[1] += 1;
                            }
                            Subject::Case { case_id } if audits.contains(case_id) => {
                                c.tagged[2] += 1;
                            }
                            Subject::Case { .. } => c.tagged[0] += 1,
                        }
                    }
                    LearningEvent::MeetingRecorded(meeting) => {
                        for subject in &meeting.discussed {
                            c.discussed += 1;
                            assert!(opened[&subject.case_id()] <= meeting.held_on);
                        }
                        if year.contains(meeting.held_on) {
                            c.meetings_2021_22.push(meeting.clone());
                        }
                    }
                    LearningEvent::LearningEventRecorded(held) => {
                        if year.contains(held.held_on) {
                            *c.kinds.entry(held.kind).or_default() += 1;
                            c.events_2021_22.push(held.clone());
                        }
                    }
                    LearningEvent::ContributionRecorded(line) => {
                        c.contributions.insert(line.financial_year);
                    }
                    LearningEvent::SpendingRecorded(_) => c.spending_lines += 1,
                    LearningEvent::MeetingCorrected(_)
                    | LearningEvent::LearningEventCorrected(_) => c.corrections += 1,
                    LearningEvent::BudgetLineWithdrawn { .. } => c.withdrawn += 1,
                    LearningEvent::ThemeRetired { .. } => c.retired += 1,
                    LearningEvent::ThemeAdded { .. } => {}
                }
                records.insert(slug, Learning::evolve(state, &event).unwrap());
            }
        }
    }
    assert_eq!(counted.len(), 2);
    for c in counted.values() {
        let meetings = TakingPart::of(
            c.meetings_2021_22
                .iter()
                .map(|m| (&m.attendance[..], &m.attendees)),
        );
        let everyone = TakingPart::of(
            c.meetings_2021_22
                .iter()
                .map(|m| (&m.attendance[..], &m.attendees))
                .chain(
                    c.events_2021_22
                        .iter()
                        .map(|e| (&e.attendance[..], &e.attendees)),
                ),
        );
        assert!(
            (70..100).contains(&meetings.held) && everyone.people > 150,
            "{meetings:?} {everyone:?}"
        );
        assert_eq!(c.kinds[&LearningEventKind::SharedLearningEvent], 3);
        assert_eq!(c.kinds[&LearningEventKind::StructuredUpdate], 4);
        assert!(c.kinds[&LearningEventKind::Training] > 5, "{:?}", c.kinds);
        assert!(c.events_2021_22.iter().any(|e| e.evaluation.is_some()));
        for label in ["2020-21", "2021-22", "2022-23"] {
            assert!(
                c.contributions
                    .contains(&FinancialYear::parse(label).unwrap())
            );
        }
        assert!(c.spending_lines >= 4 * 9, "{}", c.spending_lines);
        assert!(
            c.corrections > 0 && c.withdrawn > 0 && c.discussed > 50,
            "{c:?}"
        );
        let [reviews, recommendations, audits] = c.tagged;
        assert!(
            reviews > 50 && recommendations > 20 && audits > 1,
            "{:?}",
            c.tagged
        );
        assert_eq!(c.retired, 1);
    }
}
