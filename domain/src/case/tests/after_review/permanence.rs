//! The property behind every deadline answer: a deadline that was met, met late or breached
//! as of an instant is a fact about the past. No command recorded afterwards (closure, a
//! modified response, withholding, a decision, a Panel response, a delay) changes what it was
//! then, its due instant, or turns it into anything but what time can still do to it (a
//! breach later met is met late).

use super::*;
use crate::calendar::local_date;
use crate::case::commands::{
    AgreeModifiedResponse, ForOrganisation, RecordDraftMilestone, RecordPanelNotification,
    RecordPartnerDecision, RecordRapidReviewMeeting, SubmitAgencyReport,
};
use crate::deadline::{Deadline, DeadlineStatus};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// How many different commands `command` can make.
const COMMANDS: usize = 48;

/// The `i`-th command of a child case, sent at `now` by someone allowed to send it. Dates in
/// the commands follow `now`, so every fact is recorded as it happens (none backdated).
fn command(i: usize, now: DateTime<Utc>) -> (Actor, CaseCommand) {
    use CaseCommand as C;
    use ClosureReason::{CriteriaNotMet, NoReview, NotTakenForward, PublicationWithheld};
    let bm = business_manager;
    let today = local_date(now);
    let for_org = |slug: &str| ForOrganisation {
        organisation: org(slug),
        occurred_at: None,
    };
    let vote = |partner, decision| {
        (
            decision_maker(partner),
            C::RecordPartnerDecision(RecordPartnerDecision {
                partner,
                decision,
                criteria: match decision {
                    Lcspr => vec![DecisionCriterion::ImprovementsNeeded],
                    NoLcspr => vec![],
                },
                national_review_suggested: false,
                rationale: sealed(),
                occurred_at: None,
            }),
        )
    };
    let draft = |milestone| {
        (
            reviewer(),
            C::RecordDraftMilestone(RecordDraftMilestone {
                milestone,
                occurred_at: None,
            }),
        )
    };
    let in_days = |days| {
        today
            .checked_add_days(chrono::Days::new(days))
            .unwrap()
            .to_string()
    };
    match i {
        0 => (
            notifier(),
            C::RecordPanelNotification(RecordPanelNotification {
                panel_reference: "CSPRP-2022-0909".into(),
                submitted_on: today,
                occurred_at: None,
            }),
        ),
        1 => (bm(), C::InitiateRapidReview(At::default())),
        2 => (bm(), C::RecordPartnersNotified(At::default())),
        3 => (bm(), C::RequestAgencyReport(for_org("suhft"))),
        4 => (bm(), C::RequestAgencyReport(for_org("southend-schools"))),
        5 | 6 => {
            let slug = if i == 5 { "suhft" } else { "southend-schools" };
            (
                agency_user(slug),
                C::SubmitAgencyReport(SubmitAgencyReport {
                    organisation: org(slug),
                    report: sealed(),
                    occurred_at: None,
                }),
            )
        }
        7 => (
            bm(),
            C::AgreeModifiedResponse(AgreeModifiedResponse {
                rationale: sealed(),
                occurred_at: None,
            }),
        ),
        8 => (bm(), C::CirculateAgencyReports(At::default())),
        9 => (
            bm(),
            C::RecordRapidReviewMeeting(RecordRapidReviewMeeting {
                attendees: TEAM.iter().map(|slug| org(slug)).collect(),
                service_manager_present: true,
                occurred_at: None,
            }),
        ),
        10 => draft(DraftMilestone::FirstDraftCompleted),
        11 => draft(DraftMilestone::DraftCirculated),
        12 => draft(DraftMilestone::SecondDraftFinalised),
        13 => (
            agency_user("suhft"),
            C::SubmitDraftComments(for_org("suhft")),
        ),
        14 => (
            agency_user("suhft"),
            C::ConfirmSeniorSignOff(for_org("suhft")),
        ),
        15 => (independent_advisor(), C::SignOffRapidReview(At::default())),
        16 => vote(LocalAuthority, Lcspr),
        17 => vote(Police, Lcspr),
        18 => vote(Health, Lcspr),
        19 => vote(LocalAuthority, NoLcspr),
        20 => vote(Police, NoLcspr),
        21 => vote(Health, NoLcspr),
        22 => (
            bm(),
            C::SubmitRapidReviewToPanel(crate::case::commands::SubmitRapidReviewToPanel {
                national_review_may_be_appropriate: false,
                occurred_at: None,
            }),
        ),
        23 => (bm(), panel_response(true, None)),
        24 => (bm(), panel_response(false, None)),
        25 => (decision_maker(Health), reconsider(Adhere, None)),
        26 => (decision_maker(Health), reconsider(Commission, None)),
        27 => (bm(), tell_family(true, None)),
        28 => (bm(), commission(None)),
        29 => (bm(), approve_delay(&in_days(60), None)),
        30 => (bm(), send_final_report(None)),
        31 => (bm(), publish(Some(URL), None)),
        32 => (bm(), withhold(None)),
        33 => (reviewer(), recommend(9, "suhft", &in_days(20), None)),
        34 => (agency_user("suhft"), complete(9, None)),
        35 => (bm(), close(NoReview, None)),
        36 => (bm(), close(ClosureReason::ReviewPublished, None)),
        37 => (bm(), close(PublicationWithheld, None)),
        38 => (bm(), close(NotTakenForward, None)),
        39 => (bm(), close(CriteriaNotMet, None)),
        40 => (
            independent_advisor(),
            advise(AdviceSubject::Reconsideration, None),
        ),
        41 => (
            independent_advisor(),
            advise(AdviceSubject::DecisionDispute, None),
        ),
        42 => (decision_maker(Police), reconsider_as(Police, Adhere, None)),
        43 => (
            decision_maker(Police),
            reconsider_as(Police, Commission, None),
        ),
        44 => (decision_maker(Health), reconsider(Withdraw, None)),
        45 => (
            decision_maker(Police),
            reconsider_as(Police, Withdraw, None),
        ),
        46 => (
            bm(),
            C::RecordImprovementsInformationSentToPanel(At::default()),
        ),
        _ => (
            bm(),
            C::PublishImprovementsInformation(crate::case::commands::PublishReview {
                url: Some(URL.into()),
                occurred_at: None,
            }),
        ),
    }
}

/// Each deadline of a case with its status at an instant, by the deadline's stable id.
type Statuses = BTreeMap<Uuid, (Deadline, DeadlineStatus)>;

/// What each deadline of the case was as of `as_of`.
fn as_of(events: &[CaseEvent], as_of: DateTime<Utc>) -> Statuses {
    let partnership = southend();
    let Some(case) = Case::replay(events) else {
        return BTreeMap::new();
    };
    case.deadlines(&partnership)
        .into_iter()
        .map(|d| {
            let status = d.status(as_of, &partnership.calendar);
            (d.id(case.case_id), (d, status))
        })
        .collect()
}

fn settled(status: DeadlineStatus) -> bool {
    matches!(
        status,
        DeadlineStatus::Met | DeadlineStatus::MetLate | DeadlineStatus::Breached
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_command_changes_a_deadline_already_settled(
        steps in prop::collection::vec((0..COMMANDS, 1_i64..96), 1..60)
    ) {
        // Notified on Thursday 8 September 2022; each step waits some hours and sends one
        // command, which the decider accepts or refuses.
        let mut now = instant(NOTIFIED);
        let mut events = vec![notified_on("2022-09-08", NOTIFIED)];
        let mut seen: Vec<(DateTime<Utc>, Statuses)> = vec![(now, as_of(&events, now))];
        for (i, hours) in steps {
            now += TimeDelta::hours(hours);
            let (by, command) = command(i, now);
            if let Ok(new) = given(events.clone()).when(&by, now, command) {
                events.extend(new);
            }
            seen.push((now, as_of(&events, now)));
        }
        let last = now;
        let finally = as_of(&events, last);
        for (then, deadlines) in &seen {
            let replayed = as_of(&events, *then);
            for (id, (deadline, status)) in deadlines {
                if !settled(*status) {
                    continue;
                }
                let kind = deadline.kind;
                // Asked again about that instant, the answer is the same.
                let (again, status_again) = replayed
                    .get(id)
                    .unwrap_or_else(|| panic!("{kind:?} vanished"));
                prop_assert_eq!(status_again, status, "{:?} as of {}", kind, then);
                // A count back from publication is due relative to the publication itself,
                // so its due instant follows it; what is settled is its status.
                if kind.working_day_count() != crate::deadline::WorkingDayCount::Backward {
                    prop_assert_eq!(again.due_at, deadline.due_at, "{:?} moved", kind);
                }
                // Asked about the end, only time may have met a breach late.
                let (_, now_status) = &finally[id];
                let allowed = match status {
                    DeadlineStatus::Breached => {
                        matches!(now_status, DeadlineStatus::Breached | DeadlineStatus::MetLate)
                    }
                    other => now_status == other,
                };
                prop_assert!(
                    allowed,
                    "{:?} was {:?} as of {} but is {:?} as of {}",
                    kind, status, then, now_status, last
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The shortcut the calendar history takes (`calendar::history::can_move`): a declared
    /// holiday that it says cannot move a deadline indeed leaves its due instant alone, for any
    /// case state and any weekday holiday within a year of the notification.
    #[test]
    fn a_holiday_said_not_to_move_a_deadline_does_not(
        steps in prop::collection::vec((0..COMMANDS, 1_i64..96), 1..60),
        holiday_offset in 0_u64..400,
    ) {
        use crate::calendar::history::{CalendarChange, can_move};
        let mut now = instant(NOTIFIED);
        let mut events = vec![notified_on("2022-09-08", NOTIFIED)];
        for (i, hours) in steps {
            now += TimeDelta::hours(hours);
            let (by, command) = command(i, now);
            if let Ok(new) = given(events.clone()).when(&by, now, command) {
                events.extend(new);
            }
        }
        let holiday = date("2022-09-08")
            .checked_add_days(chrono::Days::new(holiday_offset))
            .unwrap();
        let partnership = southend();
        let case = Case::replay(&events).unwrap();
        let change = CalendarChange::Declared(holiday);
        let before = case.deadlines_with(&partnership.deadline_basis(), &partnership.calendar);
        let after = case.deadlines_with(&partnership.deadline_basis(), &change.apply(partnership.calendar.clone()));
        prop_assert_eq!(before.len(), after.len());
        for (was, now) in before.iter().zip(&after) {
            prop_assert_eq!(was.kind, now.kind);
            if !can_move(change, was) {
                prop_assert_eq!(
                    was.due_at, now.due_at,
                    "{:?} moved by a holiday on {}", was.kind, holiday
                );
            }
        }
    }
}
