//! After the rapid review (domain.md child steps 6–10): the Panel's response, reconsideration,
//! the family, the LCSPR and its publication, recommendations and closure.

mod action_plan;
mod closure;
mod deadlines;
mod learning;
mod life_cycle;
mod panel;
mod permanence;
mod practice_review;
mod recommendations;

use super::*;
use crate::case::commands::{
    AddRecommendation, ApprovePublicationDelay, At, CloseCase, CommissionPracticeReview,
    CompleteRecommendation, PublishReview, RecordFamilyCommunication, RecordPanelResponse,
    RecordReconsideredDecision, WithholdPublication,
};
use crate::case::practice_review::{
    CaseClosed, ClosureReason, DecisionReconsidered, FamilyCommunicationRecorded,
    PanelResponseRecorded, PracticeReviewCommissioned, PublicationDelayApproved,
    PublicationWithheld, RecommendationAdded, RecommendationCompleted, ReconsideredOutcome,
    ReviewPublished,
};
use crate::case::reconsideration::{
    AdviceSubject, IndependentAdviceRecorded, ReconsiderationReached, ReconsideredViewRecorded,
};
use ErrorKind::{Conflict, Forbidden, Invalid, NotFound};
use ReconsideredOutcome::{Adhere, Commission, Withdraw};
use ReviewDecision::{Lcspr, NoLcspr};
use StatutoryPartner::{Health, LocalAuthority, Police};
use uuid::Uuid;

type When = Option<DateTime<Utc>>;

// The story goes on from the rapid review submitted on Monday 3 October 2022, the decision
// (an LCSPR) taken on Friday 30 September: the Panel agrees two weeks later, the family is
// told, the review is commissioned, its final report goes to the Panel in March 2023 and it is
// published a fortnight later, within the 6 months; three recommendations follow, and the case
// is closed.

/// When the scenarios' commands are sent: after the story's last fact.
const LATER: &str = "2023-04-03T12:00:00Z";
const RESPONDED: &str = "2022-10-17T10:00:00Z";
const ADVISED: &str = "2022-10-24T10:00:00Z";
const FAMILY_TOLD: &str = "2022-10-19T15:00:00Z";
/// A Monday, the last day of October (GMT again): 6 months on is the end of April.
const RECONSIDERED: &str = "2022-10-31T10:00:00Z";
const COMMISSIONED: &str = "2022-11-01T10:00:00Z";
const REPORT_SENT: &str = "2023-03-14T10:00:00Z";
const PUBLISHED: &str = "2023-03-28T10:00:00Z";
const WITHHELD: &str = "2023-03-28T10:00:00Z";
const RECOMMENDED: &str = "2023-03-28T11:00:00Z";
const POLICE_ACTION_DONE: &str = "2023-03-31T10:00:00Z";
const CLOSED: &str = "2023-04-03T10:00:00Z";

const REVIEWER: &str = "Dr Jane Smith";
const URL: &str = "https://safeguardingsouthend.co.uk/reviews/child-l";
const RECOMMENDATION: &str = "Health visitors share concerns with the school nursing team.";

/// Two recommendations for the health provider and one for the police, in id order.
const SUHFT_FIRST: u128 = 1;
const SUHFT_SECOND: u128 = 2;
const POLICE_ACTION: u128 = 3;

fn later() -> DateTime<Utc> {
    instant(LATER)
}

fn dated(s: &str) -> When {
    Some(instant(s))
}

fn recommendation_id(n: u128) -> Uuid {
    Uuid::from_u128(1_000 + n)
}

// Commands.

fn panel_response(agrees: bool, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordPanelResponse(RecordPanelResponse {
        agrees,
        occurred_at,
    })
}

/// The health partner's reconsidered view.
fn reconsider(outcome: ReconsideredOutcome, occurred_at: When) -> CaseCommand {
    reconsider_as(Health, outcome, occurred_at)
}

fn reconsider_as(
    partner: StatutoryPartner,
    outcome: ReconsideredOutcome,
    occurred_at: When,
) -> CaseCommand {
    CaseCommand::RecordReconsideredDecision(RecordReconsideredDecision {
        partner,
        outcome,
        rationale: sealed(),
        occurred_at,
    })
}

fn advise(subject: AdviceSubject, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordIndependentAdvice(crate::case::commands::RecordIndependentAdvice {
        subject,
        advice: sealed(),
        occurred_at,
    })
}

fn tell_family(in_person: bool, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordFamilyCommunication(RecordFamilyCommunication {
        in_person,
        occurred_at,
    })
}

fn commission(occurred_at: When) -> CaseCommand {
    commission_by(REVIEWER, occurred_at)
}

fn commission_by(reviewer: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::CommissionPracticeReview(CommissionPracticeReview {
        reviewer: reviewer.into(),
        terms_of_reference: sealed(),
        occurred_at,
    })
}

fn approve_delay(new_due_on: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::ApprovePublicationDelay(ApprovePublicationDelay {
        new_due_on: date(new_due_on),
        reasons: sealed(),
        occurred_at,
    })
}

fn send_final_report(occurred_at: When) -> CaseCommand {
    CaseCommand::RecordFinalReportSentToPanel(At { occurred_at })
}

fn publish(url: Option<&str>, occurred_at: When) -> CaseCommand {
    CaseCommand::PublishReview(PublishReview {
        url: url.map(str::to_owned),
        occurred_at,
    })
}

fn withhold(occurred_at: When) -> CaseCommand {
    CaseCommand::WithholdPublication(WithholdPublication {
        justification: sealed(),
        occurred_at,
    })
}

fn recommend(n: u128, owner: &str, due_on: &str, occurred_at: When) -> CaseCommand {
    recommend_text(n, RECOMMENDATION, owner, due_on, occurred_at)
}

fn recommend_text(
    n: u128,
    text: &str,
    owner: &str,
    due_on: &str,
    occurred_at: When,
) -> CaseCommand {
    CaseCommand::AddRecommendation(AddRecommendation {
        recommendation_id: recommendation_id(n),
        text: text.into(),
        owners: vec![org(owner)],
        due_on: date(due_on),
        occurred_at,
    })
}

fn complete(n: u128, occurred_at: When) -> CaseCommand {
    CaseCommand::CompleteRecommendation(CompleteRecommendation {
        recommendation_id: recommendation_id(n),
        occurred_at,
    })
}

fn close(reason: ClosureReason, occurred_at: When) -> CaseCommand {
    CaseCommand::CloseCase(CloseCase {
        reason,
        occurred_at,
    })
}

// Events.

fn panel_responded(agrees: bool, at: &str) -> CaseEvent {
    CaseEvent::PanelResponseRecorded(PanelResponseRecorded {
        agrees,
        occurred_at: instant(at),
    })
}

fn advised(subject: AdviceSubject, at: &str) -> CaseEvent {
    CaseEvent::IndependentAdviceRecorded(IndependentAdviceRecorded {
        subject,
        advice: sealed(),
        occurred_at: instant(at),
    })
}

fn view(partner: StatutoryPartner, outcome: ReconsideredOutcome, at: &str) -> CaseEvent {
    CaseEvent::ReconsideredViewRecorded(ReconsideredViewRecorded {
        partner,
        outcome,
        rationale: sealed(),
        occurred_at: instant(at),
    })
}

fn reconsideration_reached(
    outcome: ReconsideredOutcome,
    agreed_by: &[StatutoryPartner],
    at: &str,
) -> CaseEvent {
    CaseEvent::ReconsiderationReached(ReconsiderationReached {
        outcome,
        agreed_by: agreed_by.to_vec(),
        occurred_at: instant(at),
    })
}

/// A reconsideration as stored before it needed two of the three partners: kept readable.
fn reconsidered(outcome: ReconsideredOutcome, at: &str) -> CaseEvent {
    CaseEvent::DecisionReconsidered(DecisionReconsidered {
        outcome,
        justification: sealed(),
        occurred_at: instant(at),
    })
}

fn family_told(in_person: bool, at: &str) -> CaseEvent {
    CaseEvent::FamilyCommunicationRecorded(FamilyCommunicationRecorded {
        in_person,
        occurred_at: instant(at),
    })
}

fn review_commissioned(at: &str) -> CaseEvent {
    CaseEvent::PracticeReviewCommissioned(PracticeReviewCommissioned {
        reviewer: REVIEWER.into(),
        terms_of_reference: sealed(),
        occurred_at: instant(at),
    })
}

fn delay_approved(new_due_on: &str, at: &str) -> CaseEvent {
    CaseEvent::PublicationDelayApproved(PublicationDelayApproved {
        new_due_on: date(new_due_on),
        reasons: sealed(),
        occurred_at: instant(at),
    })
}

fn final_report_sent(at: &str) -> CaseEvent {
    CaseEvent::FinalReportSentToPanel(occurred(at))
}

fn review_published(at: &str) -> CaseEvent {
    CaseEvent::ReviewPublished(ReviewPublished {
        url: Some(URL.into()),
        occurred_at: instant(at),
    })
}

fn publication_withheld(at: &str) -> CaseEvent {
    CaseEvent::PublicationWithheld(PublicationWithheld {
        justification: sealed(),
        occurred_at: instant(at),
    })
}

fn recommendation_added(n: u128, owner: &str, due_on: &str, at: &str) -> CaseEvent {
    CaseEvent::RecommendationAdded(RecommendationAdded {
        recommendation_id: recommendation_id(n),
        text: RECOMMENDATION.into(),
        owners: vec![org(owner)],
        due_on: date(due_on),
        occurred_at: instant(at),
    })
}

fn recommendation_completed(n: u128, at: &str) -> CaseEvent {
    CaseEvent::RecommendationCompleted(RecommendationCompleted {
        recommendation_id: recommendation_id(n),
        occurred_at: instant(at),
    })
}

fn case_closed(reason: ClosureReason, at: &str) -> CaseEvent {
    CaseEvent::CaseClosed(CaseClosed {
        reason,
        occurred_at: instant(at),
    })
}

// Histories.

/// The rapid review submitted with the local authority's and the police's decision.
fn submitted_with(decision: ReviewDecision) -> Vec<CaseEvent> {
    let agreed = [LocalAuthority, Police];
    and(
        signed_off(),
        [
            vote(agreed[0], decision, "2022-09-30T11:00:00Z"),
            vote(agreed[1], decision, DECIDED),
            reached(decision, &agreed, DECIDED),
            submission(SUBMITTED),
        ],
    )
}

/// The Panel agreed with the decision to hold an LCSPR.
fn panel_agreed() -> Vec<CaseEvent> {
    and(submitted(), [panel_responded(true, RESPONDED)])
}

/// No review decided, and the Panel agreed.
fn panel_agreed_with_no_review() -> Vec<CaseEvent> {
    and(submitted_with(NoLcspr), [panel_responded(true, RESPONDED)])
}

/// The Panel disagreed with the partners' decision.
fn panel_disagreed_with(decision: ReviewDecision) -> Vec<CaseEvent> {
    and(
        submitted_with(decision),
        [panel_responded(false, RESPONDED)],
    )
}

/// The Panel disagreed and the Independent Advisor advised the partners.
fn advised_after_disagreement(decision: ReviewDecision) -> Vec<CaseEvent> {
    and(
        panel_disagreed_with(decision),
        [advised(AdviceSubject::Reconsideration, ADVISED)],
    )
}

/// The partners reconsidered after the Panel disagreed (as stored before two-of-three).
fn reconsidered_into(decision: ReviewDecision, outcome: ReconsideredOutcome) -> Vec<CaseEvent> {
    and(
        panel_disagreed_with(decision),
        [reconsidered(outcome, RECONSIDERED)],
    )
}

/// The family told in person, and the LCSPR commissioned.
fn commissioned() -> Vec<CaseEvent> {
    and(
        panel_agreed(),
        [
            family_told(true, FAMILY_TOLD),
            review_commissioned(COMMISSIONED),
        ],
    )
}

/// The final report sent to the Panel and the Secretary of State.
fn report_sent() -> Vec<CaseEvent> {
    and(commissioned(), [final_report_sent(REPORT_SENT)])
}

/// The review published, within the 6 months.
fn published() -> Vec<CaseEvent> {
    and(report_sent(), [review_published(PUBLISHED)])
}

/// Publication withheld instead, the final report never sent.
fn withheld() -> Vec<CaseEvent> {
    and(commissioned(), [publication_withheld(WITHHELD)])
}

/// Three recommendations; the police's action is already done.
fn recommended() -> Vec<CaseEvent> {
    and(
        published(),
        [
            recommendation_added(SUHFT_FIRST, "suhft", "2023-09-29", RECOMMENDED),
            recommendation_added(SUHFT_SECOND, "suhft", "2023-12-15", RECOMMENDED),
            recommendation_added(POLICE_ACTION, "essex-police", "2023-06-30", RECOMMENDED),
            recommendation_completed(POLICE_ACTION, POLICE_ACTION_DONE),
        ],
    )
}

/// The whole life cycle: closed once the review was published.
fn closed() -> Vec<CaseEvent> {
    and(
        recommended(),
        [case_closed(ClosureReason::ReviewPublished, CLOSED)],
    )
}

/// No review: the Panel agreed, the family was told, the case closed.
fn closed_without_review() -> Vec<CaseEvent> {
    and(
        submitted_with(NoLcspr),
        [
            panel_responded(true, RESPONDED),
            family_told(false, FAMILY_TOLD),
            case_closed(ClosureReason::NoReview, CLOSED),
        ],
    )
}

/// Runs commands one after another at [`LATER`], each against the history the ones before
/// it made.
fn run(mut events: Vec<CaseEvent>, steps: Vec<(Actor, CaseCommand)>) -> Vec<CaseEvent> {
    for (by, command) in steps {
        let name = command.name();
        let decided = given(events.clone())
            .when(&by, later(), command)
            .unwrap_or_else(|err| panic!("{name} refused: {err}"));
        events.extend(decided);
    }
    events
}

fn reviewer() -> Actor {
    actor("southend-council", &[Role::Reviewer])
}

fn stage_of(events: &[CaseEvent]) -> Stage {
    Case::replay(events).unwrap().stage
}

/// Every command after the rapid review but the completion of a recommendation (whose rule
/// depends on the owner): who may rightly send it, and the roles that may.
fn every_command() -> Vec<(Actor, CaseCommand, &'static [Role])> {
    use Role::*;
    let bm = business_manager;
    vec![
        (bm(), panel_response(true, None), &[BusinessManager]),
        (
            decision_maker(Health),
            reconsider(Adhere, None),
            &[PartnerDecisionMaker],
        ),
        (bm(), tell_family(true, None), &[BusinessManager]),
        (bm(), commission(None), &[BusinessManager]),
        (bm(), approve_delay("2023-06-30", None), &[BusinessManager]),
        (bm(), send_final_report(None), &[BusinessManager]),
        (bm(), publish(Some(URL), None), &[BusinessManager]),
        (bm(), withhold(None), &[BusinessManager]),
        (
            reviewer(),
            recommend(9, "suhft", "2023-09-29", None),
            &[BusinessManager, Reviewer],
        ),
        (
            bm(),
            close(ClosureReason::ReviewPublished, None),
            &[BusinessManager],
        ),
    ]
}

#[test]
fn every_command_needs_one_of_its_roles() {
    let history = given(recommended());
    for (_, command, allowed) in every_command() {
        for role in Role::ALL.into_iter().filter(|r| !allowed.contains(r)) {
            assert_eq!(
                refused(history.when(
                    &actor("southend-council", &[role]),
                    later(),
                    command.clone()
                )),
                (Forbidden, "auth.role_required"),
                "{} by {}",
                command.name(),
                role.as_str()
            );
        }
    }
}

#[test]
fn every_command_needs_an_existing_case() {
    let commands = every_command()
        .into_iter()
        .map(|(by, command, _)| (by, command))
        .chain([(agency_user("suhft"), complete(SUHFT_FIRST, None))]);
    for (by, command) in commands {
        assert_eq!(
            refused(given(vec![]).when(&by, later(), command.clone())),
            (NotFound, "case.not_found"),
            "{}",
            command.name()
        );
    }
}

#[test]
fn the_fixtures_build_on_the_rapid_review_s() {
    assert_eq!(submitted_with(Lcspr), submitted());
    let stages = [
        (submitted(), Stage::SubmittedToPanel),
        (panel_agreed(), Stage::PanelAgreed),
        (panel_disagreed_with(NoLcspr), Stage::Reconsideration),
        (reconsidered_into(NoLcspr, Commission), Stage::Decided),
        (commissioned(), Stage::PracticeReview),
        (report_sent(), Stage::PracticeReview),
        (published(), Stage::Published),
        (withheld(), Stage::PublicationWithheld),
        (recommended(), Stage::Published),
        (closed(), Stage::Closed),
        (closed_without_review(), Stage::Closed),
    ];
    for (events, stage) in stages {
        assert_eq!(stage_of(&events), stage);
    }
}
