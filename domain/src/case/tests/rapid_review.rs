//! The rapid review's commands (Appendix E), from initiation to submission to the Panel.

mod deadlines;
mod drafting;
mod leads_and_reports;

use super::*;
use crate::case::commands::{
    AgreeModifiedResponse, AgreeReviewLead, At, ForOrganisation, NamePartnerLead,
    RecordDraftMilestone, RecordPartnerDecision, RecordRapidReviewMeeting, SubmitAgencyReport,
};
use DraftMilestone::{DraftCirculated, FirstDraftCompleted, SecondDraftFinalised};
use ErrorKind::{Conflict, Forbidden, Invalid};
use StatutoryPartner::{Health, LocalAuthority, Police};

type When = Option<DateTime<Utc>>;

fn initiate(occurred_at: When) -> CaseCommand {
    CaseCommand::InitiateRapidReview(At { occurred_at })
}

fn notify_partners(occurred_at: When) -> CaseCommand {
    CaseCommand::RecordPartnersNotified(At { occurred_at })
}

fn name_lead(partner: StatutoryPartner, lead_name: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::NamePartnerLead(NamePartnerLead {
        partner,
        lead_name: lead_name.into(),
        occurred_at,
    })
}

fn agree_lead(lead_name: &str, organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::AgreeReviewLead(AgreeReviewLead {
        lead_name: lead_name.into(),
        organisation: org(organisation),
        occurred_at,
    })
}

fn modified_response(occurred_at: When) -> CaseCommand {
    CaseCommand::AgreeModifiedResponse(AgreeModifiedResponse {
        rationale: sealed(),
        occurred_at,
    })
}

fn for_org(organisation: &str, occurred_at: When) -> ForOrganisation {
    ForOrganisation {
        organisation: org(organisation),
        occurred_at,
    }
}

fn request(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::RequestAgencyReport(for_org(organisation, occurred_at))
}

fn submit_report(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::SubmitAgencyReport(SubmitAgencyReport {
        organisation: org(organisation),
        report: sealed(),
        occurred_at,
    })
}

fn circulate(occurred_at: When) -> CaseCommand {
    CaseCommand::CirculateAgencyReports(At { occurred_at })
}

fn meeting(attendees: &[&str], service_manager_present: bool, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordRapidReviewMeeting(RecordRapidReviewMeeting {
        attendees: attendees.iter().map(|slug| org(slug)).collect(),
        service_manager_present,
        occurred_at,
    })
}

fn draft_step(milestone: DraftMilestone, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordDraftMilestone(RecordDraftMilestone {
        milestone,
        occurred_at,
    })
}

fn comment(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::SubmitDraftComments(for_org(organisation, occurred_at))
}

fn senior_sign_off(organisation: &str, occurred_at: When) -> CaseCommand {
    CaseCommand::ConfirmSeniorSignOff(for_org(organisation, occurred_at))
}

fn sign_off(occurred_at: When) -> CaseCommand {
    CaseCommand::SignOffRapidReview(At { occurred_at })
}

fn submit_to_panel(occurred_at: When) -> CaseCommand {
    CaseCommand::SubmitRapidReviewToPanel(submit(occurred_at))
}

fn vote_for(partner: StatutoryPartner, decision: ReviewDecision, occurred_at: When) -> CaseCommand {
    CaseCommand::RecordPartnerDecision(RecordPartnerDecision {
        partner,
        decision,
        criteria: match decision {
            ReviewDecision::Lcspr => vec![DecisionCriterion::ImprovementsNeeded],
            ReviewDecision::NoLcspr => vec![],
        },
        national_review_suggested: false,
        rationale: sealed(),
        occurred_at,
    })
}

fn reviewer() -> Actor {
    actor("southend-council", &[Role::Reviewer])
}

/// Who answers for an organisation of the review team: a partner's decision maker, or an
/// agency's user.
fn team_member(slug: &str) -> Actor {
    match slug {
        "southend-council" | "essex-police" | "southend-ccg" => {
            actor(slug, &[Role::PartnerDecisionMaker])
        }
        _ => agency_user(slug),
    }
}

fn dated(s: &str) -> When {
    Some(instant(s))
}

/// Every command on a running review: who may rightly send it, and the roles that may.
fn every_command() -> Vec<(Actor, CaseCommand, &'static [Role])> {
    use Role::*;
    vec![
        (business_manager(), initiate(None), &[BusinessManager]),
        (
            business_manager(),
            notify_partners(None),
            &[BusinessManager],
        ),
        (
            decision_maker(Police),
            name_lead(Police, "DI Sam Patel", None),
            &[PartnerDecisionMaker, BusinessManager],
        ),
        (
            business_manager(),
            agree_lead("Alex Reid", "southend-council", None),
            &[BusinessManager],
        ),
        (
            business_manager(),
            modified_response(None),
            &[BusinessManager],
        ),
        (
            business_manager(),
            request("southend-schools", None),
            &[BusinessManager],
        ),
        (
            agency_user("suhft"),
            submit_report("suhft", None),
            &[AgencyUser],
        ),
        (business_manager(), circulate(None), &[BusinessManager]),
        (
            business_manager(),
            meeting(&TEAM, true, None),
            &[BusinessManager],
        ),
        (
            reviewer(),
            draft_step(FirstDraftCompleted, None),
            &[Reviewer, BusinessManager],
        ),
        (
            agency_user("suhft"),
            comment("suhft", None),
            &[AgencyUser, PartnerDecisionMaker],
        ),
        (
            agency_user("suhft"),
            senior_sign_off("suhft", None),
            &[AgencyUser, PartnerDecisionMaker],
        ),
        (independent_advisor(), sign_off(None), &[IndependentAdvisor]),
        (
            decision_maker(Health),
            vote_for(Health, ReviewDecision::NoLcspr, None),
            &[PartnerDecisionMaker],
        ),
        (
            business_manager(),
            submit_to_panel(None),
            &[BusinessManager, IndependentAdvisor],
        ),
    ]
}

#[test]
fn every_command_needs_one_of_its_roles() {
    let history = given(requested());
    for (_, command, allowed) in every_command() {
        for role in Role::ALL.into_iter().filter(|r| !allowed.contains(r)) {
            assert_eq!(
                refused(history.when(&actor("southend-council", &[role]), now(), command.clone())),
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
    for (by, command, _) in every_command() {
        assert_eq!(
            refused(given(vec![]).when(&by, now(), command.clone())),
            (ErrorKind::NotFound, "case.not_found"),
            "{}",
            command.name()
        );
    }
}

#[test]
fn every_command_but_initiation_needs_the_review_started() {
    let history = given(before_review());
    for (by, command, _) in every_command().into_iter().skip(1) {
        assert_eq!(
            refused(history.when(&by, now(), command.clone())),
            (Conflict, "rapid_review.not_started"),
            "{}",
            command.name()
        );
    }
}

#[test]
fn nothing_more_is_recorded_on_a_review_submitted_to_the_panel() {
    let history = given(submitted());
    assert_eq!(
        refused(history.when(&business_manager(), now(), initiate(None))),
        (Conflict, "rapid_review.already_initiated")
    );
    let review_commands = every_command()
        .into_iter()
        .skip(1)
        .filter(|(_, command, _)| !matches!(command, CaseCommand::RecordPartnerDecision(_)));
    for (by, command, _) in review_commands {
        assert_eq!(
            refused(history.when(&by, now(), command.clone())),
            (Conflict, "rapid_review.already_submitted"),
            "{}",
            command.name()
        );
    }
}

#[test]
fn initiate_rapid_review_fixes_the_partnership_s_clock_start() {
    let history = given(before_review());
    assert_eq!(
        history
            .when(&business_manager(), now(), initiate(None))
            .unwrap(),
        vec![initiated(ClockStart::PanelNotification, NOW)]
    );
    for clock_start in [ClockStart::BecameAware, ClockStart::Initiation] {
        let partnership = southend_counting_from(clock_start);
        assert_eq!(
            history
                .when_in(&partnership, &business_manager(), now(), initiate(None))
                .unwrap(),
            vec![initiated(clock_start, NOW)]
        );
    }
    // The Panel need not be notified first: day 0 is then simply not known yet.
    assert!(
        given(vec![notified_on("2022-09-08", NOTIFIED)])
            .when(&business_manager(), now(), initiate(None))
            .is_ok()
    );
}

#[test]
fn initiate_rapid_review_refusals() {
    assert_eq!(
        refused(given(started()).when(&business_manager(), now(), initiate(None))),
        (Conflict, "rapid_review.already_initiated")
    );
    // Only child cases have a rapid review. No other kind can be opened yet, so make one.
    let mut adult = Case::replay(&before_review()).unwrap();
    adult.kind = CaseKind::Adult;
    let partnership = southend();
    let by = business_manager();
    let context = Context {
        actor: &by,
        partnership: &partnership,
        now: now(),
    };
    assert_eq!(
        refused(decide(Some(&adult), &initiate(None), &context)),
        (Conflict, "case.wrong_kind")
    );
    check_occurred_at(
        &given(before_review()),
        &business_manager(),
        now(),
        NOTIFIED,
        initiate,
    );
}

#[test]
fn record_partners_notified() {
    let history = given(started());
    assert_eq!(
        history
            .when(&business_manager(), now(), notify_partners(None))
            .unwrap(),
        vec![CaseEvent::PartnersNotified(occurred(NOW))]
    );
    assert_eq!(
        refused(given(requested()).when(&business_manager(), now(), notify_partners(None))),
        (Conflict, "rapid_review.partners_already_notified")
    );
    check_occurred_at(
        &history,
        &business_manager(),
        now(),
        INITIATED,
        notify_partners,
    );
}

/// Runs commands one after another, each against the history the ones before it made.
fn run(mut events: Vec<CaseEvent>, steps: Vec<(Actor, CaseCommand)>) -> Vec<CaseEvent> {
    for (by, command) in steps {
        let name = command.name();
        let decided = given(events.clone())
            .when(&by, now(), command)
            .unwrap_or_else(|err| panic!("{name} refused: {err}"));
        events.extend(decided);
    }
    events
}

/// The whole review of domain.md's worked example, one command at a time.
fn the_whole_review() -> Vec<CaseEvent> {
    let bm = business_manager;
    let mut steps = vec![
        (bm(), initiate(dated(INITIATED))),
        (bm(), notify_partners(dated("2022-09-12T10:00:00Z"))),
        (bm(), request("suhft", dated(REQUESTED))),
        (
            agency_user("suhft"),
            submit_report("suhft", dated("2022-09-20T12:00:00Z")),
        ),
        (bm(), circulate(dated("2022-09-21T10:00:00Z"))),
        (bm(), meeting(&TEAM, true, dated("2022-09-22T10:00:00Z"))),
        (
            reviewer(),
            draft_step(FirstDraftCompleted, dated(FIRST_DRAFT)),
        ),
        (
            reviewer(),
            draft_step(DraftCirculated, dated(DRAFT_CIRCULATED)),
        ),
    ];
    steps.extend(TEAM.map(|slug| {
        (
            team_member(slug),
            comment(slug, dated("2022-09-28T13:00:00Z")),
        )
    }));
    steps.push((
        reviewer(),
        draft_step(SecondDraftFinalised, dated(SECOND_DRAFT)),
    ));
    steps.extend(TEAM.map(|slug| {
        (
            team_member(slug),
            senior_sign_off(slug, dated("2022-09-29T10:00:00Z")),
        )
    }));
    steps.extend([
        (independent_advisor(), sign_off(dated(SIGNED_OFF))),
        (
            decision_maker(LocalAuthority),
            vote_for(
                LocalAuthority,
                ReviewDecision::Lcspr,
                dated("2022-09-30T11:00:00Z"),
            ),
        ),
        (
            decision_maker(Police),
            vote_for(Police, ReviewDecision::Lcspr, dated(DECIDED)),
        ),
        (bm(), submit_to_panel(dated(SUBMITTED))),
    ]);
    run(before_review(), steps)
}

#[test]
fn a_whole_review_through_the_decider_tells_the_story_of_the_fixtures() {
    let events = the_whole_review();
    assert_eq!(events, submitted());
    let case = Case::replay(&events).unwrap();
    assert_eq!(case.stage, Stage::SubmittedToPanel);
    let review = case.rapid_review.unwrap();
    assert_eq!(review.submitted_at, Some(instant(SUBMITTED)));
    assert_eq!(review.senior_sign_offs.len(), TEAM.len());
    assert_eq!(
        case.decision.map(|d| d.decision),
        Some(ReviewDecision::Lcspr)
    );
}
