//! The meetings of the partnership's groups and its learning events on a working day
//! (docs/rules.md LI-2): each group on its own cadence (the Practice Review Group fortnightly,
//! the leaders quarterly: some eighty meetings a year, as the 2021-22 summary's "over 70"), the
//! three shared learning days a year, quarterly structured updates, training and briefings as
//! they come. People are named by pseudonymous staff references, never names; now and then a
//! record is corrected a week or so later (LI-4).

use super::id;
use crate::life_cycle::{ORGANISATIONS, Rng, org};
use casetrail_domain::ThemeSlug;
use casetrail_domain::learning::{
    Attendance, Evaluation, LearningEvent, LearningEventHeld, LearningEventKind, Meeting,
    MeetingGroup, PersonRef, Subject,
};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// How a group meets: every `weeks` weeks on `weekday`, in the weeks whose number (from the
/// week of 4 January 2021) leaves `offset`; its members by index in [`ORGANISATIONS`].
struct Cadence {
    group: MeetingGroup,
    weeks: i64,
    offset: i64,
    weekday: Weekday,
    members: &'static [usize],
}

const CADENCES: [Cadence; 9] = [
    cadence(
        MeetingGroup::PracticeReview,
        2,
        0,
        Weekday::Tue,
        &[0, 1, 2, 3],
    ),
    cadence(
        MeetingGroup::StrategicLeadership,
        13,
        2,
        Weekday::Thu,
        &[0, 1, 2],
    ),
    cadence(
        MeetingGroup::StrategicPartnership,
        13,
        8,
        Weekday::Thu,
        &[0, 1, 2, 3, 4, 5, 6, 7],
    ),
    cadence(
        MeetingGroup::LearningAndDevelopment,
        8,
        1,
        Weekday::Wed,
        &[0, 1, 2, 4, 6],
    ),
    cadence(
        MeetingGroup::AuditQualityPerformanceChildren,
        8,
        5,
        Weekday::Wed,
        &[0, 1, 2, 3, 4],
    ),
    cadence(
        MeetingGroup::AuditQualityPerformanceAdults,
        8,
        3,
        Weekday::Fri,
        &[0, 1, 2, 3, 5, 7],
    ),
    cadence(
        MeetingGroup::DomesticHomicideReviewPanel,
        4,
        1,
        Weekday::Mon,
        &[0, 1, 2, 5, 6, 7],
    ),
    cadence(
        MeetingGroup::SchoolsAndEducation,
        17,
        4,
        Weekday::Mon,
        &[0, 1, 4],
    ),
    cadence(
        MeetingGroup::MissingAndExploitation,
        4,
        3,
        Weekday::Fri,
        &[0, 1, 4, 6, 7],
    ),
];

const fn cadence(
    group: MeetingGroup,
    weeks: i64,
    offset: i64,
    weekday: Weekday,
    members: &'static [usize],
) -> Cadence {
    Cadence {
        group,
        weeks,
        offset,
        weekday,
        members,
    }
}

/// Staff each organisation has to send, by index in [`ORGANISATIONS`]: its meeting regulars are
/// the first [`REGULARS`].
const STAFF: [u64; 8] = [60, 40, 15, 40, 50, 10, 20, 15];
const REGULARS: u64 = 8;

/// Learning events' topics and the theme each covers.
const TOPICS: [(&str, &str); 8] = [
    (
        "Professional curiosity: asking the second question",
        "professional-curiosity",
    ),
    ("Neglect and the graded care profile", "neglect"),
    ("Exploitation: spotting the signs", "exploitation"),
    ("Safe sleep for babies", "safe-sleep"),
    ("Information sharing: when and how", "information-sharing"),
    (
        "Domestic abuse and its impact on children",
        "domestic-abuse",
    ),
    (
        "Parental mental health and the child's experience",
        "parental-mental-health",
    ),
    (
        "Transition to adult services",
        "transition-to-adult-services",
    ),
];

/// The working day's meetings and learning events; corrections to make later go to `later`.
pub(super) fn of_day(
    rng: &mut Rng,
    day: NaiveDate,
    discussed: &[Subject],
    themes: &[ThemeSlug],
    later: &mut Vec<(NaiveDate, LearningEvent)>,
) -> Vec<LearningEvent> {
    let week = (day - first_monday()).num_days().div_euclid(7);
    let mut groups: Vec<(MeetingGroup, &[usize])> = CADENCES
        .iter()
        .filter(|c| c.weekday == day.weekday() && week.rem_euclid(c.weeks) == c.offset)
        .map(|c| (c.group, c.members))
        .collect();
    if day.weekday() == Weekday::Wed && rng.chance(10) {
        groups.push((MeetingGroup::TaskAndFinish, &[0, 1, 2]));
    }
    let mut events = Vec::new();
    for (group, members) in groups {
        // One meeting in twenty is called off.
        if rng.chance(5) {
            continue;
        }
        let meeting = meeting(rng, day, group, members, discussed);
        if rng.chance(3) {
            let corrected = Meeting {
                attendance: one_more(meeting.attendance.clone(), 1),
                ..meeting.clone()
            };
            later.push((
                day + Duration::days(7),
                LearningEvent::MeetingCorrected(corrected),
            ));
        }
        events.push(LearningEvent::MeetingRecorded(meeting));
    }
    if let Some(kind) = learning_event_kind(rng, day) {
        let held = learning_event(rng, day, kind, themes);
        if rng.chance(3) {
            let corrected = LearningEventHeld {
                attendance: one_more(held.attendance.clone(), 2),
                ..held.clone()
            };
            later.push((
                day + Duration::days(10),
                LearningEvent::LearningEventCorrected(corrected),
            ));
        }
        events.push(LearningEvent::LearningEventRecorded(held));
    }
    events
}

fn first_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 4).expect("a day")
}

fn meeting(
    rng: &mut Rng,
    day: NaiveDate,
    group: MeetingGroup,
    members: &[usize],
    discussed: &[Subject],
) -> Meeting {
    let mut came: Vec<(usize, u32)> = Vec::new();
    for at in 0..ORGANISATIONS.len() {
        if members.contains(&at) {
            // The schools' forum is mostly schools.
            let most: u64 = if group == MeetingGroup::SchoolsAndEducation && at == 4 {
                6
            } else {
                2
            };
            came.push((at, 1 + rng.below(most) as u32));
        } else if rng.chance(15) {
            came.push((at, 1));
        }
    }
    // One meeting in ten keeps numbers but no register of who came.
    let named = rng.chance(90);
    let (attendance, attendees) = attended(rng, &came, REGULARS, named);
    Meeting {
        meeting_id: id(rng),
        group,
        held_on: day,
        attendance,
        attendees: attendees.into_iter().collect(),
        discussed: if group == MeetingGroup::PracticeReview {
            discussed.to_vec()
        } else {
            Vec::new()
        },
    }
}

/// The learning event held on the day, if any: the shared learning days on the second
/// Wednesday of February, May and October, structured updates on the first Thursday of each
/// quarter, training and briefings by chance.
fn learning_event_kind(rng: &mut Rng, day: NaiveDate) -> Option<LearningEventKind> {
    let (weekday, month, date) = (day.weekday(), day.month(), day.day());
    if weekday == Weekday::Wed && [2, 5, 10].contains(&month) && (8..=14).contains(&date) {
        Some(LearningEventKind::SharedLearningEvent)
    } else if weekday == Weekday::Thu && [1, 4, 7, 10].contains(&month) && date <= 7 {
        Some(LearningEventKind::StructuredUpdate)
    } else if rng.chance(5) {
        Some(LearningEventKind::Training)
    } else if rng.chance(3) {
        Some(LearningEventKind::Briefing)
    } else {
        None
    }
}

fn learning_event(
    rng: &mut Rng,
    day: NaiveDate,
    kind: LearningEventKind,
    active: &[ThemeSlug],
) -> LearningEventHeld {
    let (chance, share, at_least) = match kind {
        LearningEventKind::SharedLearningEvent => (80, 3, 2),
        LearningEventKind::StructuredUpdate => (60, 5, 1),
        LearningEventKind::Training => (30, 8, 2),
        LearningEventKind::Briefing => (40, 6, 1),
    };
    let mut came: Vec<(usize, u32)> = Vec::new();
    for (at, staff) in STAFF.iter().enumerate() {
        if rng.chance(chance) {
            came.push((at, at_least + rng.below(staff / share) as u32));
        }
    }
    if came.is_empty() {
        came.push((0, at_least));
    }
    let named = rng.chance(70);
    let (attendance, attendees) = attended(rng, &came, u64::MAX, named);
    let (topic, covered) = TOPICS[rng.below(TOPICS.len() as u64) as usize];
    let mut themes = BTreeSet::from([super::theme(covered)]);
    if rng.chance(30) {
        themes.insert(active[rng.below(active.len() as u64) as usize].clone());
    }
    let people: u32 = attendance.iter().map(|a| a.people).sum();
    let evaluated = kind != LearningEventKind::Briefing && rng.chance(75);
    LearningEventHeld {
        learning_event_id: id(rng),
        kind,
        topic: topic.to_owned(),
        held_on: day,
        attendance,
        attendees: attendees.into_iter().collect(),
        evaluation: evaluated.then(|| evaluation(rng, people)),
        themes: themes.into_iter().collect(),
    }
}

/// The attendance of the organisations that came (index, people) and, when a register was
/// kept, who they were: distinct staff of each, drawn from its first `from` (its regulars, or
/// all its staff).
fn attended(
    rng: &mut Rng,
    came: &[(usize, u32)],
    from: u64,
    named: bool,
) -> (Vec<Attendance>, BTreeSet<PersonRef>) {
    let mut attendees = BTreeSet::new();
    let attendance = came
        .iter()
        .map(|&(at, people)| {
            let staff = STAFF[at].min(from);
            let people = people.min(staff as u32);
            let (slug, _) = ORGANISATIONS[at];
            let mut theirs = BTreeSet::new();
            while named && theirs.len() < people as usize {
                theirs.insert(rng.below(staff));
            }
            attendees.extend(theirs.into_iter().map(|n| {
                PersonRef::parse(&format!("{slug}-{n:05}")).expect("staff references are ids")
            }));
            Attendance {
                organisation: org(slug),
                people,
            }
        })
        .collect();
    (attendance, attendees)
}

/// Responses from some of the `people` who came, most of them scoring 4 or 5.
fn evaluation(rng: &mut Rng, people: u32) -> Evaluation {
    let responses = (u64::from(people) * (30 + rng.below(50)) / 100).max(1);
    let mut responses_by_score = [0u32; 5];
    for _ in 0..responses {
        let score = match rng.below(100) {
            0..2 => 0,
            2..7 => 1,
            7..25 => 2,
            25..70 => 3,
            _ => 4,
        };
        responses_by_score[score] += 1;
    }
    Evaluation { responses_by_score }
}

/// The attendance with `more` people from the first organisation: the correction of a
/// miscounted register.
fn one_more(mut attendance: Vec<Attendance>, more: u32) -> Vec<Attendance> {
    if let Some(first) = attendance.first_mut() {
        first.people += more;
    }
    attendance
}
