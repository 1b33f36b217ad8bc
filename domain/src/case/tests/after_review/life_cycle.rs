//! Whole life cycles through the decider, and replaying any part of one.

use super::*;
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};

/// No review decided; the Panel disagreed and the partners reconsidered into one, whose
/// publication was first delayed and then withheld.
/// Withheld on 28 March: the improvements information goes to the Panel, the Secretary of State
/// and Ofsted the next day and is published two days later, before the case closes.
const IMPROVEMENTS_SENT: &str = "2023-03-29T10:00:00Z";
const IMPROVEMENTS_PUBLISHED: &str = "2023-03-31T10:00:00Z";

fn reconsidered_delayed_and_withheld() -> Vec<CaseEvent> {
    and(
        advised_after_disagreement(NoLcspr),
        [
            view(LocalAuthority, Commission, "2022-10-31T09:00:00Z"),
            view(Police, Commission, RECONSIDERED),
            reconsideration_reached(Commission, &[LocalAuthority, Police], RECONSIDERED),
            CaseEvent::ReconsiderationSentToPanel(
                crate::case::reconsideration::ReconsiderationSentToPanel {
                    justification: sealed(),
                    occurred_at: instant("2022-10-31T15:00:00Z"),
                },
            ),
            family_told(true, "2022-11-01T09:00:00Z"),
            review_commissioned(COMMISSIONED),
            delay_approved("2023-07-31", "2023-03-01T10:00:00Z"),
            final_report_sent("2023-03-20T10:00:00Z"),
            publication_withheld(WITHHELD),
            CaseEvent::ImprovementsInformationSentToPanel(occurred(IMPROVEMENTS_SENT)),
            CaseEvent::PracticeReviewCopiedToOfsted(occurred(IMPROVEMENTS_SENT)),
            CaseEvent::ImprovementsInformationPublished(ReviewPublished {
                url: Some(URL.into()),
                occurred_at: instant(IMPROVEMENTS_PUBLISHED),
            }),
            recommendation_added(SUHFT_FIRST, "suhft", "2023-09-29", RECOMMENDED),
            case_closed(ClosureReason::PublicationWithheld, CLOSED),
        ],
    )
}

#[test]
fn a_published_review_through_the_decider_tells_the_story_of_the_fixtures() {
    let bm = business_manager;
    let events = run(
        submitted(),
        vec![
            (bm(), panel_response(true, dated(RESPONDED))),
            (bm(), tell_family(true, dated(FAMILY_TOLD))),
            (bm(), commission(dated(COMMISSIONED))),
            (bm(), send_final_report(dated(REPORT_SENT))),
            (bm(), publish(Some(URL), dated(PUBLISHED))),
            (
                reviewer(),
                recommend(SUHFT_FIRST, "suhft", "2023-09-29", dated(RECOMMENDED)),
            ),
            (
                reviewer(),
                recommend(SUHFT_SECOND, "suhft", "2023-12-15", dated(RECOMMENDED)),
            ),
            (
                bm(),
                recommend(
                    POLICE_ACTION,
                    "essex-police",
                    "2023-06-30",
                    dated(RECOMMENDED),
                ),
            ),
            (
                decision_maker(Police),
                complete(POLICE_ACTION, dated(POLICE_ACTION_DONE)),
            ),
            (bm(), close(ClosureReason::ReviewPublished, dated(CLOSED))),
        ],
    );
    assert_eq!(events, closed());
}

#[test]
fn a_reconsidered_and_withheld_review_through_the_decider() {
    let bm = business_manager;
    let events = run(
        submitted_with(NoLcspr),
        vec![
            (bm(), panel_response(false, dated(RESPONDED))),
            (
                independent_advisor(),
                advise(AdviceSubject::Reconsideration, dated(ADVISED)),
            ),
            (
                decision_maker(LocalAuthority),
                reconsider_as(LocalAuthority, Commission, dated("2022-10-31T09:00:00Z")),
            ),
            (
                decision_maker(Police),
                reconsider_as(Police, Commission, dated(RECONSIDERED)),
            ),
            (
                bm(),
                CaseCommand::SendReconsiderationToPanel(
                    crate::case::commands::SendReconsiderationToPanel {
                        justification: sealed(),
                        occurred_at: dated("2022-10-31T15:00:00Z"),
                    },
                ),
            ),
            (bm(), tell_family(true, dated("2022-11-01T09:00:00Z"))),
            (bm(), commission(dated(COMMISSIONED))),
            (
                bm(),
                approve_delay("2023-07-31", dated("2023-03-01T10:00:00Z")),
            ),
            (bm(), send_final_report(dated("2023-03-20T10:00:00Z"))),
            (bm(), withhold(dated(WITHHELD))),
            (
                bm(),
                CaseCommand::RecordImprovementsInformationSentToPanel(At {
                    occurred_at: dated(IMPROVEMENTS_SENT),
                }),
            ),
            (
                bm(),
                CaseCommand::RecordCopySentToOfsted(At {
                    occurred_at: dated(IMPROVEMENTS_SENT),
                }),
            ),
            (
                bm(),
                CaseCommand::PublishImprovementsInformation(PublishReview {
                    url: Some(URL.into()),
                    occurred_at: dated(IMPROVEMENTS_PUBLISHED),
                }),
            ),
            (
                reviewer(),
                recommend(SUHFT_FIRST, "suhft", "2023-09-29", dated(RECOMMENDED)),
            ),
            (
                bm(),
                close(ClosureReason::PublicationWithheld, dated(CLOSED)),
            ),
        ],
    );
    assert_eq!(events, reconsidered_delayed_and_withheld());
}

#[test]
fn no_review_through_the_decider() {
    let bm = business_manager;
    let events = run(
        submitted_with(NoLcspr),
        vec![
            (bm(), panel_response(true, dated(RESPONDED))),
            (bm(), tell_family(false, dated(FAMILY_TOLD))),
            (bm(), close(ClosureReason::NoReview, dated(CLOSED))),
        ],
    );
    assert_eq!(events, closed_without_review());
}

/// The life cycles of the fixtures, each from the notification to closure.
fn life_cycles() -> Vec<Vec<CaseEvent>> {
    vec![
        closed(),
        reconsidered_delayed_and_withheld(),
        closed_without_review(),
    ]
}

/// Up to three years after the notification, when the deadlines are evaluated.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0..3 * 365 * 24 * 3600_i64).prop_map(|s| instant(NOTIFIED) + TimeDelta::seconds(s))
}

/// Every deadline's status and lateness, which must never panic whatever the case.
fn evaluate_deadlines(case: &Case, as_of: DateTime<Utc>) {
    let partnership = southend();
    for deadline in case.deadlines(&partnership) {
        let status = deadline.status(as_of, &partnership.calendar);
        let late = deadline.late_by(as_of, &partnership.calendar);
        assert_eq!(
            late.is_some(),
            matches!(
                status,
                crate::deadline::DeadlineStatus::MetLate
                    | crate::deadline::DeadlineStatus::Breached
            )
        );
        deadline.id(case.case_id);
    }
}

proptest! {
    #[test]
    fn replaying_any_prefix_of_a_life_cycle_equals_folding_it_event_by_event(
        life_cycle in select(life_cycles()),
        cut in any::<Index>(),
        resume in any::<Index>(),
        as_of in any_instant(),
    ) {
        let prefix = &life_cycle[..cut.index(life_cycle.len() + 1)];
        let replayed = Case::replay(prefix);
        let mut folded = None;
        for event in prefix {
            folded = Case::evolve(folded, event);
        }
        prop_assert_eq!(&folded, &replayed);
        // A state folded up to any point and then the rest, as from a snapshot.
        let at = resume.index(prefix.len() + 1);
        let resumed = prefix[at..].iter().fold(Case::replay(&prefix[..at]), Case::evolve);
        prop_assert_eq!(&resumed, &replayed);
        prop_assert_eq!(replayed.is_some(), !prefix.is_empty());
        if let Some(case) = replayed {
            evaluate_deadlines(&case, as_of);
        }
    }

    #[test]
    fn replaying_events_out_of_order_or_missing_never_panics(
        events in select(life_cycles())
            .prop_flat_map(|all| {
                let len = all.len();
                subsequence(all, 0..=len)
            })
            .prop_shuffle(),
        as_of in any_instant(),
    ) {
        let replayed = Case::replay(&events);
        // A case exists from its opening event on, wherever that falls.
        let opened = events.iter().any(|e| matches!(e, CaseEvent::IncidentNotified(_)));
        prop_assert_eq!(replayed.is_some(), opened);
        if let Some(case) = replayed {
            evaluate_deadlines(&case, as_of);
        }
    }
}
