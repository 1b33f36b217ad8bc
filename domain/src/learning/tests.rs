//! Given/when/then tests of the learning record (docs/rules.md, "Learning and improvement").
#![allow(clippy::unwrap_used)]

use super::decide::*;
use super::values::{
    Attendance, Evaluation, LearningEventKind, MAX_PARTICIPANTS, MAX_PENCE,
    MAX_PEOPLE_PER_ORGANISATION, MAX_TOPIC_CHARS, MeetingGroup, PersonRef, SpendingCategory,
    Subject,
};
use super::{Contribution, Learning, LearningEvent, LearningEventHeld, Meeting, Spending};
use crate::calendar::financial_year::FinancialYear;
use crate::partnership::Partnership;
use crate::partnership::{OrgKind, Organisation, PartnershipCommand, PartnershipSettings};
use crate::sorted_set::SortedSet;
use crate::{Actor, DomainError, OrgSlug, Role, ThemeSlug};
use crate::{CaseId, ErrorKind, PartnershipSlug};
use chrono::NaiveDate;
use uuid::Uuid;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 3, 15).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn org(slug: &str) -> OrgSlug {
    OrgSlug::parse(slug).unwrap()
}

fn theme(slug: &str) -> ThemeSlug {
    ThemeSlug::parse(slug).unwrap()
}

fn person(id: &str) -> PersonRef {
    PersonRef::parse(id).unwrap()
}

fn southend() -> Partnership {
    let organisation = |slug: &str, kind| Organisation {
        slug: org(slug),
        name: slug.to_owned(),
        kind,
    };
    let command = PartnershipCommand::EstablishPartnership {
        slug: PartnershipSlug::parse("southend").unwrap(),
        name: "Southend".into(),
        settings: PartnershipSettings::default(),
        organisations: vec![
            organisation("southend-council", OrgKind::LocalAuthority),
            organisation("essex-police", OrgKind::Police),
            organisation("southend-ccg", OrgKind::Health),
            organisation("southend-schools", OrgKind::Education),
        ],
    };
    let now = "2022-01-04T10:00:00Z".parse().unwrap();
    crate::partnership::decide(None, &command, None, now)
        .unwrap()
        .iter()
        .fold(None, Partnership::evolve)
        .unwrap()
}

fn when(
    given: &[LearningEvent],
    command: &LearningCommand,
) -> Result<Vec<LearningEvent>, DomainError> {
    let state = given.iter().fold(None, Learning::evolve);
    decide(state.as_ref(), command, &southend(), today())
}

fn refused(
    given: &[LearningEvent],
    command: &LearningCommand,
) -> (ErrorKind, &'static str, Vec<String>) {
    let err = when(given, command).unwrap_err();
    let fields = err.field_errors.iter().map(|f| f.field.clone()).collect();
    (err.kind, err.code, fields)
}

fn added(slug: &str) -> LearningEvent {
    LearningEvent::ThemeAdded {
        theme: theme(slug),
        name: slug.replace('-', " "),
    }
}

fn meeting() -> Meeting {
    Meeting {
        meeting_id: Uuid::from_u128(1),
        group: MeetingGroup::PracticeReview,
        held_on: day("2022-03-10"),
        attendance: vec![
            Attendance {
                organisation: org("essex-police"),
                people: 2,
            },
            Attendance {
                organisation: org("southend-council"),
                people: 3,
            },
        ],
        attendees: [person("p-1001"), person("p-1002")].into(),
        discussed: vec![Subject::Case {
            case_id: CaseId::from_uuid(Uuid::from_u128(9)),
        }],
    }
}

fn learning_event() -> LearningEventHeld {
    LearningEventHeld {
        learning_event_id: Uuid::from_u128(2),
        kind: LearningEventKind::SharedLearningEvent,
        topic: "  Professional curiosity  ".into(),
        held_on: day("2022-02-01"),
        attendance: vec![Attendance {
            organisation: org("southend-schools"),
            people: 40,
        }],
        attendees: SortedSet::new(),
        evaluation: Some(Evaluation {
            responses_by_score: [0, 1, 3, 10, 6],
        }),
        themes: [theme("professional-curiosity")].into(),
    }
}

#[test]
fn a_theme_is_added_once_retired_once_and_only_active_ones_are_tagged() {
    let add = LearningCommand::AddTheme {
        theme: theme("neglect"),
        name: "  Neglect ".into(),
    };
    assert_eq!(
        when(&[], &add).unwrap(),
        vec![LearningEvent::ThemeAdded {
            theme: theme("neglect"),
            name: "Neglect".into()
        }]
    );
    let given = [added("neglect")];
    assert_eq!(refused(&given, &add).1, "theme.already_exists");
    let unnamed = LearningCommand::AddTheme {
        theme: theme("exploitation"),
        name: " ".into(),
    };
    assert_eq!(refused(&given, &unnamed).2, vec!["name"]);
    let retire = LearningCommand::RetireTheme {
        theme: theme("neglect"),
    };
    assert!(when(&given, &retire).is_ok());
    let retired = [added("neglect"), when(&given, &retire).unwrap().remove(0)];
    assert_eq!(refused(&retired, &retire).1, "theme.already_retired");
    let unknown = LearningCommand::RetireTheme {
        theme: theme("exploitation"),
    };
    assert_eq!(refused(&given, &unknown).0, ErrorKind::NotFound);
    let tag = LearningCommand::TagThemes {
        subject: Subject::Recommendation {
            case_id: CaseId::from_uuid(Uuid::from_u128(9)),
            recommendation_id: Uuid::from_u128(77),
        },
        themes: [theme("neglect")].into(),
    };
    assert!(when(&given, &tag).is_ok());
    assert_eq!(refused(&retired, &tag).1, "theme.unknown");
    assert_eq!(refused(&[], &tag).1, "theme.unknown");
}

#[test]
fn tags_replace_the_subjects_tags_and_none_removes_them() {
    let subject = Subject::Case {
        case_id: CaseId::from_uuid(Uuid::from_u128(9)),
    };
    let tagged = |themes: &[&str]| LearningEvent::ThemesTagged {
        subject: subject.clone(),
        themes: themes.iter().map(|t| theme(t)).collect(),
    };
    let state = [
        added("neglect"),
        added("exploitation"),
        tagged(&["neglect", "exploitation"]),
        tagged(&["neglect"]),
    ]
    .iter()
    .fold(None, Learning::evolve)
    .unwrap();
    assert_eq!(state.tags[&subject], [theme("neglect")].into());
    let state = Learning::evolve(Some(state), &tagged(&[])).unwrap();
    assert!(state.tags.is_empty());
}

#[test]
fn a_meeting_is_recorded_once_held_by_registered_organisations() {
    let record = LearningCommand::RecordMeeting(meeting());
    let events = when(&[], &record).unwrap();
    assert_eq!(events, vec![LearningEvent::MeetingRecorded(meeting())]);
    assert_eq!(
        refused(&events, &record),
        (ErrorKind::Conflict, "learning.already_recorded", vec![])
    );
    let mut tomorrow = meeting();
    tomorrow.held_on = day("2022-03-16");
    assert_eq!(
        refused(&[], &LearningCommand::RecordMeeting(tomorrow)).1,
        "date.in_future"
    );
    let mut today_held = meeting();
    today_held.held_on = today();
    assert!(when(&[], &LearningCommand::RecordMeeting(today_held)).is_ok());
    let mut ancient = meeting();
    ancient.held_on = day("1989-12-31");
    assert_eq!(
        refused(&[], &LearningCommand::RecordMeeting(ancient)).1,
        "calendar.date_out_of_range"
    );
    let mut stranger = meeting();
    stranger.attendance[0].organisation = org("met-police");
    assert_eq!(
        refused(&[], &LearningCommand::RecordMeeting(stranger)),
        (
            ErrorKind::Invalid,
            "organisation.unknown",
            vec!["attendance".to_owned()]
        )
    );
}

#[test]
fn attendance_names_each_organisation_once_with_people_and_no_more_attendees_than_came() {
    let refused_field = |change: &dyn Fn(&mut Meeting)| {
        let mut m = meeting();
        change(&mut m);
        refused(&[], &LearningCommand::RecordMeeting(m)).2
    };
    assert_eq!(refused_field(&|m| m.attendance.clear()), vec!["attendance"]);
    assert_eq!(
        refused_field(&|m| m.attendance[1].organisation = org("essex-police")),
        vec!["attendance"]
    );
    assert_eq!(
        refused_field(&|m| m.attendance[0].people = 0),
        vec!["attendance.people"]
    );
    assert_eq!(
        refused_field(&|m| m.attendance[0].people = MAX_PEOPLE_PER_ORGANISATION + 1),
        vec!["attendance.people"]
    );
    let mut most = meeting();
    most.attendance[0].people = MAX_PEOPLE_PER_ORGANISATION;
    assert!(when(&[], &LearningCommand::RecordMeeting(most)).is_ok());
    // Five came: five named is fine, six is not.
    let named = |n: usize| -> SortedSet<PersonRef> {
        (0..n).map(|i| person(&format!("p-{:04}", i))).collect()
    };
    let mut five = meeting();
    five.attendees = named(5);
    assert!(when(&[], &LearningCommand::RecordMeeting(five)).is_ok());
    assert_eq!(
        refused_field(&|m| m.attendees = named(6)),
        vec!["attendees"]
    );
    let many = (0..=MAX_DISCUSSED)
        .map(|i| Subject::Case {
            case_id: CaseId::from_uuid(Uuid::from_u128(i as u128)),
        })
        .collect::<Vec<_>>();
    assert_eq!(
        refused_field(&|m| m.discussed = many.clone()),
        vec!["discussed"]
    );
    let mut most_discussed = meeting();
    most_discussed.discussed = many[..MAX_DISCUSSED].to_vec();
    assert!(when(&[], &LearningCommand::RecordMeeting(most_discussed)).is_ok());
}

#[test]
fn a_meeting_names_at_most_two_thousand_organisations_and_people() {
    let refusal = |m: Meeting| {
        let err = when(&[], &LearningCommand::RecordMeeting(m)).unwrap_err();
        (err.code, err.field_errors[0].field.clone())
    };
    let strangers = |n: usize| -> Vec<Attendance> {
        (0..n)
            .map(|i| Attendance {
                organisation: org(&format!("agency-{i}")),
                people: 1,
            })
            .collect()
    };
    // Too many is refused before any is looked up; as many as allowed are each looked up
    // (and these are not registered).
    let mut crowded = meeting();
    crowded.attendance = strangers(MAX_PARTICIPANTS + 1);
    assert_eq!(refusal(crowded), ("field.invalid", "attendance".to_owned()));
    let mut most = meeting();
    most.attendance = strangers(MAX_PARTICIPANTS);
    assert_eq!(
        refusal(most),
        ("organisation.unknown", "attendance".to_owned())
    );
    // People: as many named as the limit, when that many came.
    let named = |n: usize| -> SortedSet<PersonRef> {
        (0..n).map(|i| person(&format!("p-{i:05}"))).collect()
    };
    let mut full = meeting();
    full.attendance[0].people = MAX_PEOPLE_PER_ORGANISATION;
    full.attendees = named(MAX_PARTICIPANTS);
    assert!(when(&[], &LearningCommand::RecordMeeting(full.clone())).is_ok());
    full.attendees = named(MAX_PARTICIPANTS + 1);
    assert_eq!(refusal(full), ("field.invalid", "attendees".to_owned()));
}

#[test]
fn every_field_at_fault_is_named_at_once() {
    let mut m = meeting();
    m.held_on = day("2030-01-01");
    m.attendance.clear();
    assert_eq!(
        refused(&[], &LearningCommand::RecordMeeting(m)).2,
        vec!["held_on", "attendance"]
    );
}

#[test]
fn a_learning_event_covers_active_themes_and_is_evaluated_by_those_who_came() {
    let given = [added("professional-curiosity")];
    let record = LearningCommand::RecordLearningEvent(learning_event());
    let events = when(&given, &record).unwrap();
    let LearningEvent::LearningEventRecorded(held) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(held.topic, "Professional curiosity", "trimmed");
    assert_eq!(refused(&[], &record).1, "theme.unknown");
    let mut untitled = learning_event();
    untitled.topic = "x".repeat(MAX_TOPIC_CHARS + 1);
    assert_eq!(
        refused(&given, &LearningCommand::RecordLearningEvent(untitled)).2,
        vec!["topic"]
    );
    let mut longest = learning_event();
    longest.topic = "x".repeat(MAX_TOPIC_CHARS);
    assert!(when(&given, &LearningCommand::RecordLearningEvent(longest)).is_ok());
    let evaluated = |scores: [u32; 5]| {
        let mut e = learning_event();
        e.evaluation = Some(Evaluation {
            responses_by_score: scores,
        });
        when(&given, &LearningCommand::RecordLearningEvent(e))
    };
    assert!(
        evaluated([0, 0, 0, 0, 40]).is_ok(),
        "as many responses as came"
    );
    assert!(
        evaluated([0, 0, 0, 1, 40]).is_err(),
        "more responses than came"
    );
    assert!(evaluated([0; 5]).is_err(), "no response");
}

#[test]
fn a_mean_score_is_rounded_half_up_to_one_decimal() {
    use super::values::mean_score;
    assert_eq!(mean_score(0, 0), None);
    assert_eq!(mean_score(81, 20), Some(4.1), "4.05");
    assert_eq!(mean_score(80, 20), Some(4.0));
    assert_eq!(mean_score(5, 1), Some(5.0));
    assert_eq!(mean_score(7, 3), Some(2.3), "2.333");
    assert_eq!(mean_score(26, 6), Some(4.3), "4.333");
    assert_eq!(mean_score(5, 2), Some(2.5));
    assert_eq!(mean_score(79, 20), Some(4.0), "3.95");
}

#[test]
fn an_evaluation_counts_responses_and_their_scores() {
    let evaluation = Evaluation {
        responses_by_score: [1, 2, 3, 4, 5],
    };
    assert_eq!(evaluation.responses(), 15);
    assert_eq!(evaluation.score_total(), 1 + 4 + 9 + 16 + 25);
}

#[test]
fn budget_lines_are_positive_amounts_in_supported_years() {
    let contribution = Contribution {
        line_id: Uuid::from_u128(4),
        financial_year: FinancialYear::parse("2021-22").unwrap(),
        organisation: org("essex-police"),
        amount_pence: 5_000_000,
        in_kind: false,
    };
    assert!(
        when(
            &[],
            &LearningCommand::RecordContribution(contribution.clone())
        )
        .is_ok()
    );
    for bad in [0, -1, MAX_PENCE + 1] {
        let mut line = contribution.clone();
        line.amount_pence = bad;
        assert_eq!(
            refused(&[], &LearningCommand::RecordContribution(line)).2,
            vec!["amount_pence"]
        );
    }
    let mut most = contribution.clone();
    most.amount_pence = MAX_PENCE;
    assert!(when(&[], &LearningCommand::RecordContribution(most)).is_ok());
    let mut stranger = contribution.clone();
    stranger.organisation = org("met-police");
    assert_eq!(
        refused(&[], &LearningCommand::RecordContribution(stranger)).2,
        vec!["organisation"]
    );
    let spending = Spending {
        line_id: Uuid::from_u128(5),
        financial_year: FinancialYear::parse("1989-90").unwrap(),
        category: SpendingCategory::Salaries,
        amount_pence: 1,
    };
    assert_eq!(
        refused(&[], &LearningCommand::RecordSpending(spending.clone())).2,
        vec!["financial_year"]
    );
    let mut first = spending.clone();
    first.financial_year = FinancialYear::parse("1990-91").unwrap();
    assert!(when(&[], &LearningCommand::RecordSpending(first)).is_ok());
    let mut last = spending;
    last.financial_year = FinancialYear::parse("2100-01").unwrap();
    assert_eq!(
        refused(&[], &LearningCommand::RecordSpending(last.clone())).2,
        vec!["financial_year"]
    );
    last.financial_year = FinancialYear::parse("2099-00").unwrap();
    assert!(when(&[], &LearningCommand::RecordSpending(last)).is_ok());
    // Recorded once under an id, whatever kind of record it was.
    let recorded = when(
        &[],
        &LearningCommand::RecordContribution(contribution.clone()),
    )
    .unwrap();
    assert_eq!(
        refused(
            &recorded,
            &LearningCommand::RecordContribution(contribution)
        )
        .1,
        "learning.already_recorded"
    );
}

#[test]
fn the_business_unit_records_learning_and_administrators_keep_the_themes() {
    let actor = |role: Role| Actor {
        user: "u-1".into(),
        name: "User".into(),
        partnership: PartnershipSlug::parse("southend").unwrap(),
        org: org("southend-council"),
        roles: [role].into_iter().collect(),
    };
    let add = LearningCommand::AddTheme {
        theme: theme("neglect"),
        name: "Neglect".into(),
    };
    let record = LearningCommand::RecordMeeting(meeting());
    assert!(may_send(&add, &actor(Role::Admin)).is_ok());
    assert!(may_send(&add, &actor(Role::BusinessManager)).is_ok());
    assert!(may_send(&record, &actor(Role::BusinessManager)).is_ok());
    let refusal = may_send(&record, &actor(Role::Admin)).unwrap_err();
    assert_eq!(
        (refusal.kind, refusal.code),
        (ErrorKind::Forbidden, "auth.role_required")
    );
    assert!(refusal.message.contains("business_manager"));
    assert!(may_send(&add, &actor(Role::Auditor)).is_err());
}

#[test]
fn a_person_reference_is_never_printed() {
    let meeting = format!("{:?}", meeting());
    assert!(!meeting.contains("p-1001"), "{meeting}");
    assert!(meeting.contains("PersonRef(..)"), "{meeting}");
}

#[test]
fn person_references_are_opaque_ids_never_names() {
    for good in ["p-1001", "E12345", "7f3a9c21", "staff:0042"] {
        assert!(PersonRef::parse(good).is_ok(), "{good}");
    }
    for bad in [
        "Jane Smith",
        "jane",
        "Jane",
        "p1",
        &format!("p{}", "1".repeat(64)),
        "p 1001",
        "p-10é1",
    ] {
        assert!(PersonRef::parse(bad).is_err(), "{bad}");
    }
    assert!(
        PersonRef::parse(&format!("p{}", "1".repeat(63))).is_ok(),
        "64 characters"
    );
}

fn contribution(n: u128, pence: i64) -> Contribution {
    Contribution {
        line_id: Uuid::from_u128(n),
        financial_year: FinancialYear::parse("2021-22").unwrap(),
        organisation: org("essex-police"),
        amount_pence: pence,
        in_kind: false,
    }
}

#[test]
fn a_recorded_meeting_or_learning_event_is_corrected_in_its_place_by_the_same_checks() {
    let recorded = [
        added("professional-curiosity"),
        LearningEvent::MeetingRecorded(meeting()),
        LearningEvent::LearningEventRecorded(learning_event()),
    ];
    let mut corrected = meeting();
    corrected.attendance[0].people = 4;
    corrected.held_on = day("2022-03-09");
    assert_eq!(
        when(
            &recorded,
            &LearningCommand::CorrectMeeting(corrected.clone())
        )
        .unwrap(),
        vec![LearningEvent::MeetingCorrected(corrected.clone())]
    );
    let state = recorded
        .iter()
        .chain([&LearningEvent::MeetingCorrected(corrected.clone())])
        .fold(None, Learning::evolve)
        .unwrap();
    assert_eq!(state.meetings, vec![corrected.clone()]);
    // The correction passes the recording's checks, every field at fault named.
    let mut wrong = corrected.clone();
    wrong.held_on = day("2022-03-16");
    wrong.attendance[1].organisation = org("met-police");
    assert_eq!(
        refused(&recorded, &LearningCommand::CorrectMeeting(wrong)),
        (
            ErrorKind::Invalid,
            "date.in_future",
            vec!["held_on".to_owned(), "attendance".to_owned()]
        )
    );
    // Only what was recorded is corrected: a meeting's id is no learning event's.
    let mut stranger = meeting();
    stranger.meeting_id = Uuid::from_u128(2);
    assert_eq!(
        refused(&recorded, &LearningCommand::CorrectMeeting(stranger)).1,
        "meeting.not_found"
    );
    let mut held = learning_event();
    held.topic = " Professional curiosity and challenge ".into();
    assert_eq!(
        when(
            &recorded,
            &LearningCommand::CorrectLearningEvent(held.clone())
        )
        .unwrap(),
        vec![LearningEvent::LearningEventCorrected(LearningEventHeld {
            topic: "Professional curiosity and challenge".into(),
            ..held.clone()
        })]
    );
    // The fold puts the correction in the record's place.
    let corrected_held = LearningEventHeld {
        topic: "Professional curiosity and challenge".into(),
        ..held.clone()
    };
    let state = recorded
        .iter()
        .chain([&LearningEvent::LearningEventCorrected(
            corrected_held.clone(),
        )])
        .fold(None, Learning::evolve)
        .unwrap();
    assert_eq!(state.learning_events, vec![corrected_held]);
    held.learning_event_id = Uuid::from_u128(1);
    assert_eq!(
        refused(&recorded, &LearningCommand::CorrectLearningEvent(held)).1,
        "learning_event.not_found"
    );
    // A correction's themes are checked as the recording's were.
    let mut unthemed = learning_event();
    unthemed.themes = [theme("retired-theme")].into();
    assert_eq!(
        refused(&recorded, &LearningCommand::CorrectLearningEvent(unthemed)).1,
        "theme.unknown"
    );
}

#[test]
fn a_budget_line_recorded_in_error_is_withdrawn_once_and_its_id_stays_used() {
    let spending = Spending {
        line_id: Uuid::from_u128(5),
        financial_year: FinancialYear::parse("2021-22").unwrap(),
        category: SpendingCategory::Events,
        amount_pence: 1_920_000,
    };
    let recorded = [
        LearningEvent::ContributionRecorded(contribution(4, 5_000_000)),
        LearningEvent::SpendingRecorded(spending.clone()),
    ];
    for line in [4, 5] {
        let withdraw = LearningCommand::WithdrawBudgetLine {
            line_id: Uuid::from_u128(line),
        };
        let events = when(&recorded, &withdraw).unwrap();
        assert_eq!(
            events,
            vec![LearningEvent::BudgetLineWithdrawn {
                line_id: Uuid::from_u128(line)
            }]
        );
        let after: Vec<_> = recorded.iter().cloned().chain(events).collect();
        let state = after.iter().fold(None, Learning::evolve).unwrap();
        assert_eq!(state.contributions.len() + state.spending.len(), 1);
        // Withdrawn once; its id is not recorded again (a new line takes a new id).
        assert_eq!(refused(&after, &withdraw).1, "budget_line.not_found");
        assert_eq!(
            refused(
                &after,
                &LearningCommand::RecordContribution(contribution(line, 10))
            )
            .1,
            "learning.already_recorded"
        );
    }
    // A meeting is no budget line.
    assert_eq!(
        refused(
            &[LearningEvent::MeetingRecorded(meeting())],
            &LearningCommand::WithdrawBudgetLine {
                line_id: Uuid::from_u128(1)
            }
        )
        .1,
        "budget_line.not_found"
    );
}

#[test]
fn the_standing_records_keep_their_first_place_and_the_mark_of_their_last_statement() {
    let mut corrected = meeting();
    corrected.attendance[0].people = 4;
    let mut second = meeting();
    second.meeting_id = Uuid::from_u128(3);
    let history = [
        LearningEvent::MeetingRecorded(meeting()),
        LearningEvent::ContributionRecorded(contribution(4, 100)),
        LearningEvent::MeetingRecorded(second.clone()),
        LearningEvent::ContributionRecorded(contribution(6, 200)),
        LearningEvent::LearningEventRecorded(learning_event()),
        LearningEvent::MeetingCorrected(corrected.clone()),
        LearningEvent::BudgetLineWithdrawn {
            line_id: Uuid::from_u128(4),
        },
        added("neglect"),
    ];
    let standing = super::standing((1_u64..).zip(history.iter()));
    let meetings: Vec<(u64, Uuid)> = standing
        .meetings
        .iter()
        .map(|s| (s.mark, s.record.meeting_id))
        .collect();
    assert_eq!(meetings, [(6, Uuid::from_u128(1)), (3, Uuid::from_u128(3))]);
    assert_eq!(standing.meetings[0].record, &corrected);
    let contributions: Vec<(u64, Uuid)> = standing
        .contributions
        .iter()
        .map(|s| (s.mark, s.record.line_id))
        .collect();
    assert_eq!(contributions, [(4, Uuid::from_u128(6))]);
    assert_eq!(standing.learning_events.len(), 1);
    assert_eq!(standing.learning_events[0].mark, 5);
    assert!(standing.spending.is_empty());
}
