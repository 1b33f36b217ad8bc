//! The annual report of a seeded year, against golden files: the same log gives the same
//! Markdown and HTML, to the byte. A change of the report's content or layout shows here as a
//! diff to review; `UPDATE_GOLDEN=1 cargo test -p casetrail-app --test report` writes the files
//! again.
#![allow(clippy::unwrap_used)]

use casetrail_app::report::{
    AnnualReport, ReportInputs, Source, annual_report, to_csv, to_html, to_markdown,
};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::learning::{LearningEvent, MeetingGroup, pounds};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::{LogWriter, StreamEvent, partnership_slug};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

/// The year the golden report is of: the seeded log's cases run from January 2021 to early
/// 2022, and its learning record to the end of 2021-22.
const YEAR: &str = "2021-22";

/// The seeded log, its learning records (position, event) and the report of 2021-22 as the
/// record stood a day after the log's last event.
fn seeded() -> (AnnualReport, Vec<(u64, LearningEvent)>) {
    let workload = Workload {
        partnerships: 1,
        cases: 400,
        open_cases: 40,
        seed: 2021,
    };
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut models = ReadModels::default();
    let mut learning = Vec::new();
    for (event, gap) in workload.events() {
        let recorded = writer.append(&event, gap);
        if let StreamEvent::Learning(_, event) = event {
            learning.push((recorded.position, event));
        }
        models.apply(&recorded).unwrap();
    }
    let slug = partnership_slug(0);
    let as_of = writer.recorded_at() + Duration::days(1);
    let partnership = models.partnership(&slug).unwrap();
    let history: Vec<_> = models.learning_history(&slug, as_of).collect();
    let inputs = ReportInputs {
        partnership,
        cases: models.cases(&slug).map(|r| &r.case).collect(),
        learning: history.iter().map(|r| (r.position, &r.event)).collect(),
        year: FinancialYear::parse(YEAR).unwrap(),
        as_of,
    };
    (annual_report(&inputs), learning)
}

fn report() -> AnnualReport {
    seeded().0
}

fn golden(name: &str, rendered: &str) {
    let path = PathBuf::from(GOLDEN).join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(GOLDEN).unwrap();
        std::fs::write(&path, rendered).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("{}: {err} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == rendered,
        "{} differs from the report (UPDATE_GOLDEN=1 writes it again); first difference at \
         line {}",
        path.display(),
        expected
            .lines()
            .zip(rendered.lines())
            .position(|(a, b)| a != b)
            .map_or(
                expected.lines().count().min(rendered.lines().count()) + 1,
                |n| n + 1
            )
    );
}

#[test]
fn the_report_of_a_seeded_year_is_its_golden_markdown_and_html() {
    let report = report();
    golden(&format!("annual-report-{YEAR}.md"), &to_markdown(&report));
    golden(&format!("annual-report-{YEAR}.html"), &to_html(&report));
    // The same log, folded again, gives the same report.
    assert_eq!(report, self::report());
}

/// The year's meetings, money in and money out, counted from the log without the report's
/// code: each meeting once at the position of its last statement (LI-4), contributions apart
/// from those in kind, spending less the lines withdrawn.
struct Counted {
    meetings: BTreeMap<uuid::Uuid, (u64, MeetingGroup)>,
    money: (i64, BTreeSet<u64>),
    in_kind: i64,
    spending: i64,
}

fn counted(learning: &[(u64, LearningEvent)]) -> Counted {
    let year = FinancialYear::parse(YEAR).unwrap();
    let withdrawn: BTreeSet<uuid::Uuid> = learning
        .iter()
        .filter_map(|(_, event)| match event {
            LearningEvent::BudgetLineWithdrawn { line_id } => Some(*line_id),
            _ => None,
        })
        .collect();
    let mut counted = Counted {
        meetings: BTreeMap::new(),
        money: (0, BTreeSet::new()),
        in_kind: 0,
        spending: 0,
    };
    for (position, event) in learning {
        match event {
            LearningEvent::MeetingRecorded(m) | LearningEvent::MeetingCorrected(m)
                if year.contains(m.held_on) =>
            {
                counted.meetings.insert(m.meeting_id, (*position, m.group));
            }
            LearningEvent::ContributionRecorded(c) if c.financial_year == year => {
                if c.in_kind {
                    counted.in_kind += c.amount_pence;
                } else {
                    counted.money.0 += c.amount_pence;
                    counted.money.1.insert(*position);
                }
            }
            LearningEvent::SpendingRecorded(s)
                if s.financial_year == year && !withdrawn.contains(&s.line_id) =>
            {
                counted.spending += s.amount_pence;
            }
            _ => {}
        }
    }
    counted
}

#[test]
fn every_figure_is_traced_to_the_events_it_counts() {
    let (report, learning) = seeded();
    let figure = |key: &str| {
        report
            .sections
            .iter()
            .flat_map(|s| &s.figures)
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no figure {key}"))
    };
    let positions = |key: &str| match &figure(key).source {
        Source::Events { positions } => positions.clone(),
        Source::Statistics { .. } => panic!("{key} is not counted from events"),
    };
    let counted = counted(&learning);
    // A year of meetings, each traced to the event that last stated it.
    let meetings: BTreeSet<u64> = counted.meetings.values().map(|(p, _)| *p).collect();
    assert!(meetings.len() > 70, "{}", meetings.len());
    assert_eq!(positions("meetings.held"), Vec::from_iter(meetings));
    let practice_review: BTreeSet<u64> = counted
        .meetings
        .values()
        .filter(|(_, group)| *group == MeetingGroup::PracticeReview)
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(
        positions("meetings.practice_review"),
        Vec::from_iter(practice_review)
    );
    assert_eq!(
        figure("finance.contributions").amount.text(),
        pounds(counted.money.0)
    );
    assert_eq!(
        positions("finance.contributions"),
        Vec::from_iter(counted.money.1)
    );
    assert_eq!(
        figure("finance.in_kind").amount.text(),
        pounds(counted.in_kind)
    );
    assert_eq!(
        figure("finance.spending").amount.text(),
        pounds(counted.spending)
    );
    assert!(matches!(
        figure("child_reviews.rapid_reviews_initiated").source,
        Source::Statistics { ref link } if link.starts_with(&format!("/v1/statistics/annual/{YEAR}?as_of="))
    ));
    // Every figure is keyed by its section, each section one of those declared.
    for section in &report.sections {
        assert!(
            casetrail_app::report::SECTIONS.contains(&section.key),
            "{}",
            section.key
        );
        for figure in &section.figures {
            assert!(
                figure.key.starts_with(&format!("{}.", section.key)),
                "{}",
                figure.key
            );
        }
    }
    // The CSV lists every position a figure counts.
    let csv = to_csv(&report);
    let meetings = csv
        .lines()
        .find(|line| line.contains(",meetings.held,"))
        .unwrap();
    let listed: Vec<&str> = meetings.rsplit(',').next().unwrap().split(' ').collect();
    assert_eq!(listed.len(), counted.meetings.len(), "{meetings}");
}
