//! The annual report of a seeded year, against golden files: the same log gives the same
//! Markdown and HTML, to the byte. A change of the report's content or layout shows here as a
//! diff to review; `UPDATE_GOLDEN=1 cargo test -p casetrail-app --test report` writes the files
//! again.
#![allow(clippy::unwrap_used)]

use casetrail_app::report::{
    AnnualReport, ReportInputs, Source, annual_report, to_csv, to_html, to_markdown,
};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::learning::{
    Attendance, Contribution, Evaluation, LearningEvent, LearningEventHeld, LearningEventKind,
    Meeting, MeetingGroup, PersonRef, Spending, SpendingCategory, Subject,
};
use casetrail_domain::{OrgSlug, ThemeSlug};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::{LogWriter, StreamEvent, partnership_slug};
use chrono::{Duration, NaiveDate};
use std::path::PathBuf;
use uuid::Uuid;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

fn org(slug: &str) -> OrgSlug {
    OrgSlug::parse(slug).unwrap()
}

fn theme(slug: &str) -> ThemeSlug {
    ThemeSlug::parse(slug).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn attendance(orgs: &[(&str, u32)]) -> Vec<Attendance> {
    orgs.iter()
        .map(|(slug, people)| Attendance {
            organisation: org(slug),
            people: *people,
        })
        .collect()
}

fn people(ids: &[&str]) -> std::collections::BTreeSet<PersonRef> {
    ids.iter().map(|id| PersonRef::parse(id).unwrap()).collect()
}

/// A year of the learning record, with tags on the first cases of the seeded log.
fn learning(cases: &[casetrail_domain::CaseId]) -> Vec<LearningEvent> {
    let mut events = vec![
        LearningEvent::ThemeAdded {
            theme: theme("neglect"),
            name: "Neglect".into(),
        },
        LearningEvent::ThemeAdded {
            theme: theme("exploitation"),
            name: "Exploitation".into(),
        },
        LearningEvent::ThemeAdded {
            theme: theme("transition-to-adult-services"),
            name: "Transition to adult services".into(),
        },
    ];
    for (n, case_id) in cases.iter().enumerate() {
        let themes = match n % 3 {
            0 => vec![theme("neglect")],
            1 => vec![theme("neglect"), theme("exploitation")],
            _ => vec![theme("transition-to-adult-services")],
        };
        events.push(LearningEvent::ThemesTagged {
            subject: Subject::Case { case_id: *case_id },
            themes: themes.into_iter().collect(),
        });
    }
    let meetings = [
        (
            MeetingGroup::PracticeReview,
            "2020-04-20",
            &[("council", 3), ("police", 2), ("icb", 2)][..],
            &["p-1001", "p-1002", "p-1003"][..],
        ),
        (
            MeetingGroup::PracticeReview,
            "2020-06-15",
            &[("council", 2), ("police", 1), ("hospital-trust", 2)][..],
            &["p-1001", "p-1004"][..],
        ),
        (
            MeetingGroup::StrategicLeadership,
            "2020-07-01",
            &[("council", 1), ("police", 1), ("icb", 1)][..],
            &["p-2001", "p-2002", "p-2003"][..],
        ),
        (
            MeetingGroup::LearningAndDevelopment,
            "2020-09-09",
            &[("council", 2), ("primary-school", 3), ("family-charity", 1)][..],
            &["p-1002", "p-3001"][..],
        ),
        (
            MeetingGroup::AuditQualityPerformanceChildren,
            "2020-11-23",
            &[("council", 2), ("probation", 1)][..],
            &["p-1003"][..],
        ),
        (
            MeetingGroup::PracticeReview,
            "2021-02-08",
            &[("council", 3), ("police", 2), ("housing", 1)][..],
            &["p-1001", "p-1002", "p-4001"][..],
        ),
    ];
    for (n, (group, held_on, orgs, ids)) in meetings.into_iter().enumerate() {
        events.push(LearningEvent::MeetingRecorded(Meeting {
            meeting_id: Uuid::from_u128(1_000 + n as u128),
            group,
            held_on: day(held_on),
            attendance: attendance(orgs),
            attendees: people(ids),
            discussed: cases
                .iter()
                .take(2)
                .map(|case_id| Subject::Case { case_id: *case_id })
                .collect(),
        }));
    }
    events.push(LearningEvent::LearningEventRecorded(LearningEventHeld {
        learning_event_id: Uuid::from_u128(2_000),
        kind: LearningEventKind::SharedLearningEvent,
        topic: "Professional curiosity".into(),
        held_on: day("2020-10-12"),
        attendance: attendance(&[
            ("primary-school", 30),
            ("police", 12),
            ("hospital-trust", 8),
        ]),
        attendees: people(&["p-1001", "p-5001", "p-5002"]),
        evaluation: Some(Evaluation {
            responses_by_score: [0, 1, 3, 10, 6],
        }),
        themes: [theme("neglect")].into(),
    }));
    events.push(LearningEvent::LearningEventRecorded(LearningEventHeld {
        learning_event_id: Uuid::from_u128(2_001),
        kind: LearningEventKind::Training,
        topic: "Exploitation: spotting the signs".into(),
        held_on: day("2021-03-02"),
        attendance: attendance(&[("family-charity", 9), ("council", 6)]),
        attendees: Default::default(),
        evaluation: None,
        themes: [theme("exploitation")].into(),
    }));
    let year = FinancialYear::parse("2020-21").unwrap();
    for (n, (slug, pence, in_kind)) in [
        ("council", 15_000_000, false),
        ("police", 8_271_600, false),
        ("icb", 6_924_000, true),
    ]
    .into_iter()
    .enumerate()
    {
        events.push(LearningEvent::ContributionRecorded(Contribution {
            line_id: Uuid::from_u128(3_000 + n as u128),
            financial_year: year,
            organisation: org(slug),
            amount_pence: pence,
            in_kind,
        }));
    }
    for (n, (category, pence)) in [
        (SpendingCategory::Salaries, 21_351_600),
        (SpendingCategory::Events, 1_920_000),
    ]
    .into_iter()
    .enumerate()
    {
        events.push(LearningEvent::SpendingRecorded(Spending {
            line_id: Uuid::from_u128(4_000 + n as u128),
            financial_year: year,
            category,
            amount_pence: pence,
        }));
    }
    events
}

/// The seeded log with the learning record after it, folded, and the report of 2020-21 as
/// the record stood at its end.
fn report() -> AnnualReport {
    let workload = Workload {
        partnerships: 1,
        cases: 400,
        open_cases: 40,
        seed: 2021,
    };
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut models = ReadModels::default();
    for (event, gap) in workload.events() {
        models.apply(&writer.append(&event, gap)).unwrap();
    }
    let slug = partnership_slug(0);
    let cases: Vec<_> = models
        .cases(&slug)
        .take(9)
        .map(|r| r.case.case_id)
        .collect();
    for event in learning(&cases) {
        let event = StreamEvent::Learning(slug.clone(), event);
        models
            .apply(&writer.append(&event, Duration::minutes(5)))
            .unwrap();
    }
    let as_of = writer.recorded_at() + Duration::days(1);
    let partnership = models.partnership(&slug).unwrap();
    let history: Vec<_> = models.learning_history(&slug, as_of).collect();
    let inputs = ReportInputs {
        partnership,
        cases: models.cases(&slug).map(|r| &r.case).collect(),
        learning: history.iter().map(|r| (r.position, &r.event)).collect(),
        year: FinancialYear::parse("2020-21").unwrap(),
        as_of,
    };
    annual_report(&inputs)
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
    golden("annual-report-2020-21.md", &to_markdown(&report));
    golden("annual-report-2020-21.html", &to_html(&report));
    // The same log, folded again, gives the same report.
    assert_eq!(report, self::report());
}

#[test]
fn every_figure_is_traced_to_the_events_it_counts() {
    let report = report();
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
    // Six meetings, each one event, three of them the Practice Review Group's; nine different
    // people at meetings, two more at learning events only.
    assert_eq!(positions("meetings.held").len(), 6);
    assert_eq!(positions("meetings.practice_review").len(), 3);
    assert_eq!(figure("meetings.people").amount.text(), "9");
    assert_eq!(figure("meetings.organisations").amount.text(), "8");
    assert_eq!(figure("participation.people").amount.text(), "11");
    assert_eq!(
        figure("learning_events.evaluation").amount.text(),
        "4.1 of 5"
    );
    assert_eq!(figure("finance.contributions").amount.text(), "£232,716.00");
    assert_eq!(figure("finance.in_kind").amount.text(), "£69,240.00");
    assert_eq!(figure("finance.spending").amount.text(), "£232,716.00");
    assert_eq!(positions("finance.contributions").len(), 2);
    assert!(matches!(
        figure("child_reviews.rapid_reviews_initiated").source,
        Source::Statistics { ref link } if link.starts_with("/v1/statistics/annual/2020-21?as_of=")
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
    assert_eq!(listed.len(), 6, "{meetings}");
}
