//! The rapid review's deadlines: 15 working days from day 0, in Europe/London local time.

use super::*;
use crate::calendar::{WorkingCalendar, at_local_time, local_date};
use crate::deadline::{DeadlineKind, DeadlineStatus};
use chrono::NaiveTime;
use proptest::prelude::*;

type Row = (&'static str, String, DateTime<Utc>);

/// The rapid review's deadlines as (kind, organisation, due), leaving out the notification's.
fn schedule(events: &[CaseEvent], partnership: &Partnership) -> Vec<Row> {
    Case::replay(events)
        .unwrap()
        .deadlines(partnership)
        .into_iter()
        .filter(|d| d.kind.as_str().starts_with("rr_"))
        .map(|d| {
            let organisation = d.organisation.map(String::from).unwrap_or_default();
            (d.kind.as_str(), organisation, d.due_at)
        })
        .collect()
}

fn rows(expected: &[(&'static str, &str, &str)]) -> Vec<Row> {
    expected
        .iter()
        .map(|(kind, organisation, due)| (*kind, (*organisation).to_owned(), instant(due)))
        .collect()
}

/// domain.md's worked example: day 0 is Friday 9 September 2022 and Monday 19 September, the
/// State Funeral, is a bank holiday. Every instant is BST, an hour ahead of UTC.
fn worked_example() -> Vec<Row> {
    let per_team_member = |kind, due| TEAM.map(|slug| (kind, slug, due));
    let mut expected = vec![
        ("rr_partners_notified", "", "2022-09-13T22:59:59.999999Z"),
        // Day 6 at close of business, 17:00 BST.
        ("rr_agency_report", "suhft", "2022-09-20T16:00:00Z"),
        ("rr_reports_circulated", "", "2022-09-21T22:59:59.999999Z"),
        ("rr_meeting", "", "2022-09-22T22:59:59.999999Z"),
        ("rr_first_draft", "", "2022-09-27T22:59:59.999999Z"),
        // Day 12: circulated by 09:30, comments by 15:00, second draft by "the end of business
        // day 12", close of business (17:00 BST).
        ("rr_draft_circulated", "", "2022-09-28T08:30:00Z"),
    ];
    expected.extend(per_team_member("rr_draft_comments", "2022-09-28T14:00:00Z"));
    expected.push(("rr_second_draft", "", "2022-09-28T16:00:00Z"));
    expected.extend(per_team_member(
        "rr_senior_sign_off",
        "2022-09-29T22:59:59.999999Z",
    ));
    expected.extend([
        ("rr_independent_sign_off", "", "2022-09-30T22:59:59.999999Z"),
        // Day 15: the end of Monday 3 October.
        ("rr_submission", "", "2022-10-03T22:59:59.999999Z"),
    ]);
    rows(&expected)
}

#[test]
fn worked_example_whichever_date_is_day_0() {
    let asked_of_suhft = |at| CaseEvent::AgencyReportRequested(by_org("suhft", at));
    let scenarios = [
        // Panel guidance: the Panel was notified on the Friday.
        (ClockStart::PanelNotification, requested()),
        // Initiated on the Friday, the Panel not notified at all.
        (
            ClockStart::Initiation,
            vec![
                notified_on("2022-09-08", NOTIFIED),
                initiated(ClockStart::Initiation, INITIATED),
                asked_of_suhft(REQUESTED),
            ],
        ),
        // Aware on the Friday, initiated the Tuesday after.
        (
            ClockStart::BecameAware,
            vec![
                notified_on("2022-09-09", "2022-09-09T10:00:00Z"),
                initiated(ClockStart::BecameAware, "2022-09-13T10:00:00Z"),
                asked_of_suhft("2022-09-13T11:00:00Z"),
            ],
        ),
    ];
    for (clock_start, events) in scenarios {
        let case = Case::replay(&events).unwrap();
        assert_eq!(
            case.rapid_review_day0(&southend().settings),
            Some(date("2022-09-09")),
            "{clock_start:?}"
        );
        assert_eq!(
            schedule(&events, &southend_counting_from(clock_start)),
            worked_example(),
            "{clock_start:?}"
        );
    }
}

/// A report asked for on day 0, before day 0 is known.
const REQUESTED_ON_DAY_0: &str = "2022-09-09T12:00:00Z";

#[test]
fn with_the_panel_notification_as_day_0_the_schedule_waits_for_it() {
    let partnership = southend();
    let now = instant("2022-09-09T16:00:00Z");
    let mut events = run(
        vec![notified_on("2022-09-08", NOTIFIED)],
        vec![
            (business_manager(), initiate(dated(INITIATED))),
            (
                business_manager(),
                request("suhft", dated(REQUESTED_ON_DAY_0)),
            ),
        ],
    );
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.rapid_review_day0(&southend().settings), None);
    assert_eq!(schedule(&events, &partnership), vec![]);
    assert_eq!(case.deadlines(&partnership).len(), 1);

    // The council records its Panel notification after the review has started.
    let panel = CaseCommand::RecordPanelNotification(RecordPanelNotification {
        panel_reference: "CSPRP-2022-0909".into(),
        submitted_on: date("2022-09-09"),
        occurred_at: None,
    });
    events.extend(given(events.clone()).when(&notifier(), now, panel).unwrap());
    assert_eq!(schedule(&events, &partnership), worked_example());
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.stage, Stage::RapidReview);
    assert_eq!(case.deadlines(&partnership)[0].fulfilled_at, Some(now));
}

/// The worked example's schedule when no agency report has been asked for.
fn worked_example_without_reports() -> Vec<Row> {
    worked_example()
        .into_iter()
        .filter(|(kind, organisation, _)| *kind != "rr_agency_report" && organisation != "suhft")
        .collect()
}

#[test]
fn the_clock_runs_from_the_panel_notification_whether_or_not_the_review_is_initiated() {
    // Item 4 of issue 11: nobody initiated the review; the Panel was notified on day 0.
    let partnership = southend();
    let events = before_review();
    let case = Case::replay(&events).unwrap();
    assert!(case.rapid_review.is_none());
    assert_eq!(
        case.rapid_review_day0(&partnership.settings),
        Some(date("2022-09-09"))
    );
    assert_eq!(
        schedule(&events, &partnership),
        worked_example_without_reports()
    );
    // Left alone, every milestone breaches.
    let as_of = instant("2022-10-04T00:00:00Z");
    let rapid_review: Vec<_> = case
        .deadlines(&partnership)
        .into_iter()
        .filter(|d| d.kind.as_str().starts_with("rr_"))
        .collect();
    assert_eq!(rapid_review.len(), 14);
    for deadline in rapid_review {
        assert_eq!(
            deadline.status(as_of, &partnership.calendar),
            DeadlineStatus::Breached,
            "{:?}",
            deadline.kind
        );
    }
    // Initiated late, on day 3: the deadlines stay where they were.
    let late = and(
        events,
        [initiated(
            ClockStart::PanelNotification,
            "2022-09-14T10:00:00Z",
        )],
    );
    assert_eq!(
        schedule(&late, &partnership),
        worked_example_without_reports()
    );
}

#[test]
fn before_initiation_the_partnerships_current_settings_choose_day_0() {
    let notified = vec![notified_on("2022-09-09", "2022-09-09T10:00:00Z")];
    // Counting from the day of becoming aware: known at once.
    assert_eq!(
        schedule(&notified, &southend_counting_from(ClockStart::BecameAware)),
        worked_example_without_reports()
    );
    // Counting from initiation: unknown until the review is initiated.
    assert_eq!(
        schedule(&notified, &southend_counting_from(ClockStart::Initiation)),
        vec![]
    );
    // Counting from the Panel notification: unknown until the Panel is notified.
    assert_eq!(schedule(&notified, &southend()), vec![]);
    // A referral's review runs from its initiation, whatever the setting.
    let referred = Case::replay(&[CaseEvent::CaseReferred(CaseReferred {
        case_id: case_id(),
        referred_by: org("suhft"),
        child: ChildProfile {
            reference: "R-1".into(),
            age_band: AgeBand::From6To10,
            sex: "male".into(),
            ethnicity: "White British".into(),
            looked_after: false,
            child_protection_plan: false,
        },
        personal_data: sealed(),
        incident_date: date("2022-09-01"),
        occurred_at: instant(NOTIFIED),
    })])
    .unwrap();
    let settings = southend_counting_from(ClockStart::BecameAware).settings;
    assert_eq!(referred.rapid_review_day0(&settings), None);
}

#[test]
fn the_clock_start_is_fixed_when_the_review_starts() {
    let notified = vec![notified_on("2022-09-08", NOTIFIED)];
    let counting_from_initiation = southend_counting_from(ClockStart::Initiation);
    let started = given(notified.clone())
        .when_in(
            &counting_from_initiation,
            &business_manager(),
            instant(INITIATED),
            initiate(None),
        )
        .unwrap();
    assert_eq!(started, vec![initiated(ClockStart::Initiation, INITIATED)]);
    // The partnership goes back to the Panel's guidance; the running review keeps its day 0.
    let events = and(notified.clone(), started);
    let kept = schedule(&events, &southend());
    // The three partners' comments and sign-offs, no agency report: 14 deadlines.
    assert_eq!(kept.len(), 14, "{kept:?}");
    assert_eq!(kept[0].2, instant("2022-09-13T22:59:59.999999Z"));

    // And the other way round: a review waiting for the Panel keeps waiting.
    let waiting = and(
        notified,
        [initiated(ClockStart::PanelNotification, INITIATED)],
    );
    assert_eq!(schedule(&waiting, &counting_from_initiation), vec![]);
}

#[test]
fn under_a_modified_response_internal_documents_are_still_due_on_day_6() {
    let partnership = southend();
    let calendar = &partnership.calendar;
    let before = and(
        requested(),
        [
            CaseEvent::AgencyReportRequested(by_org("southend-schools", REQUESTED)),
            report_submitted("suhft", "2022-09-14T12:00:00Z"),
        ],
    );
    let after = and(
        before.clone(),
        [CaseEvent::ModifiedResponseAgreed(
            crate::case::rapid_review::ModifiedResponseAgreed {
                rationale: sealed(),
                occurred_at: instant("2022-09-15T10:00:00Z"),
            },
        )],
    );
    let as_of = instant("2022-09-21T10:00:00Z");
    let report_statuses = |events: &[CaseEvent]| -> Vec<(String, bool, DeadlineStatus)> {
        Case::replay(events)
            .unwrap()
            .deadlines(&partnership)
            .into_iter()
            .filter(|d| d.kind == DeadlineKind::RrAgencyReport)
            .map(|d| {
                let status = d.status(as_of, calendar);
                (
                    d.organisation.clone().map(String::from).unwrap_or_default(),
                    d.is_not_applicable(as_of, calendar),
                    status,
                )
            })
            .collect()
    };
    assert_eq!(
        report_statuses(&before),
        vec![
            ("southend-schools".into(), false, DeadlineStatus::Breached),
            ("suhft".into(), false, DeadlineStatus::Met),
        ]
    );
    // Internal documents instead of a report change what is sent, not when: the schools' are
    // still due at close of business on day 6 (Appendix E), and overdue.
    assert_eq!(report_statuses(&after), report_statuses(&before));
    let schools = Case::replay(&after)
        .unwrap()
        .deadlines(&partnership)
        .into_iter()
        .find(|d| d.organisation == Some(org("southend-schools")))
        .unwrap();
    assert_eq!(schools.due_at, instant("2022-09-20T16:00:00Z"));
}

#[test]
fn comments_and_senior_sign_off_are_due_from_the_partners_and_every_agency_asked() {
    let events = and(
        requested(),
        [
            CaseEvent::AgencyReportRequested(by_org("southend-schools", REQUESTED)),
            CaseEvent::DraftCommentsSubmitted(by_org("suhft", "2022-09-28T13:00:00Z")),
            CaseEvent::SeniorSignOffConfirmed(by_org("essex-police", "2022-09-29T10:00:00Z")),
        ],
    );
    let deadlines = Case::replay(&events).unwrap().deadlines(&southend());
    let owed = |kind| -> Vec<(String, Option<DateTime<Utc>>)> {
        deadlines
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| {
                let organisation = d.organisation.clone().map(String::from);
                (organisation.unwrap_or_default(), d.fulfilled_at)
            })
            .collect()
    };
    let team = [
        "essex-police",
        "southend-ccg",
        "southend-council",
        "southend-schools",
        "suhft",
    ];
    let fulfilled = |by: &str, at: &str| {
        team.map(|slug| (slug.to_owned(), (slug == by).then(|| instant(at))))
            .to_vec()
    };
    assert_eq!(
        owed(DeadlineKind::RrDraftComments),
        fulfilled("suhft", "2022-09-28T13:00:00Z")
    );
    assert_eq!(
        owed(DeadlineKind::RrSeniorSignOff),
        fulfilled("essex-police", "2022-09-29T10:00:00Z")
    );
}

#[test]
fn a_review_run_on_time_meets_every_deadline() {
    let partnership = southend();
    let deadlines: Vec<_> = Case::replay(&the_whole_review())
        .unwrap()
        .deadlines(&partnership)
        .into_iter()
        // The Panel notification and the review's own (the decision's LCSPR clock is tested
        // with the LCSPR).
        .filter(|d| d.kind == DeadlineKind::PanelNotification || d.kind.as_str().starts_with("rr_"))
        .collect();
    assert_eq!(deadlines.len(), 1 + 17);
    let as_of = instant("2022-10-04T09:00:00Z");
    for deadline in deadlines {
        assert_eq!(
            deadline.status(as_of, &partnership.calendar),
            DeadlineStatus::Met,
            "{:?} {:?}",
            deadline.kind,
            deadline.organisation
        );
    }
}

#[test]
fn a_review_left_alone_breaches_every_deadline() {
    let partnership = southend();
    let deadlines = Case::replay(&started()).unwrap().deadlines(&partnership);
    let as_of = instant("2022-10-04T00:00:00Z");
    for deadline in deadlines.iter().skip(1) {
        assert_eq!(
            deadline.status(as_of, &partnership.calendar),
            DeadlineStatus::Breached,
            "{:?}",
            deadline.kind
        );
    }
}

fn day_0_between_2018_and_2030() -> impl Strategy<Value = NaiveDate> {
    let first = date("2018-01-01");
    let days = (date("2030-12-31") - first).num_days();
    (0..=days).prop_map(move |offset| first + chrono::TimeDelta::days(offset))
}

fn any_clock_start() -> impl Strategy<Value = ClockStart> {
    prop_oneof![
        Just(ClockStart::PanelNotification),
        Just(ClockStart::BecameAware),
        Just(ClockStart::Initiation),
    ]
}

proptest! {
    #[test]
    fn every_rapid_review_deadline_falls_on_a_working_day(
        day0 in day_0_between_2018_and_2030(),
        clock_start in any_clock_start(),
    ) {
        let on_day0 = |hour| at_local_time(day0, NaiveTime::from_hms_opt(hour, 0, 0).unwrap())
            .to_rfc3339();
        let events = vec![
            notified_on(&day0.to_string(), &on_day0(9)),
            panel_notified(&day0.to_string(), &on_day0(10)),
            initiated(clock_start, &on_day0(11)),
            CaseEvent::AgencyReportRequested(by_org("suhft", &on_day0(12))),
        ];
        let case = Case::replay(&events).unwrap();
        prop_assert_eq!(case.rapid_review_day0(&southend().settings), Some(day0));
        let rapid_review = schedule(&events, &southend_counting_from(clock_start));
        prop_assert_eq!(rapid_review.len(), 17);
        let calendar = WorkingCalendar::england_and_wales();
        for (kind, organisation, due_at) in rapid_review {
            prop_assert!(
                calendar.is_working_day(local_date(due_at)),
                "{} {} due {} from day 0 {}", kind, organisation, due_at, day0
            );
        }
    }
}
