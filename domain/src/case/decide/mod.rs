//! The case decider: every rule a command must pass, as a pure function.

mod supported_dates;

use super::adult::decide as adult_review;
use super::child::decide::{
    decision, notification, practice_review as after, rapid_review, reconsideration,
};
use super::homicide::decide as homicide_review;
use super::shared::decide::{agency_reports, closure, erasure, recommendations};

use super::policy::{authorise, require_kind};
use super::{Case, CaseCommand, CaseEvent, CaseKind};
use crate::calendar::at_local_time;
use crate::partnership::Partnership;
use crate::{Actor, DomainError, OrgSlug};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Everything a decision may depend on besides the case: who acts, when, and where.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The verified actor.
    pub actor: &'a Actor,
    /// The partnership the case belongs to.
    pub partnership: &'a Partnership,
    /// The current instant (the decider never reads a clock).
    pub now: DateTime<Utc>,
}

/// Decides a command against a case's state (`None` when the stream is empty). Whatever the
/// command, the case it leaves must stay within the calendar's supported years.
pub fn decide(
    state: Option<&Case>,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let events = decide_command(state, command, ctx)?;
    supported_dates::check(state, &events, ctx.partnership)?;
    Ok(events)
}

fn decide_command(
    state: Option<&Case>,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    // Who may open a case is known before whether it exists.
    match command {
        CaseCommand::NotifyIncident(c) => {
            authorise(command, ctx)?;
            notification::notify_incident(state, c, ctx)
        }
        CaseCommand::ReferCaseForConsideration(c) => {
            authorise(command, ctx)?;
            notification::refer_case(state, c, ctx)
        }
        CaseCommand::ReferSafeguardingAdultReview(c) => {
            authorise(command, ctx)?;
            adult_review::refer(state, c, ctx)
        }
        CaseCommand::NotifyDomesticHomicide(c) => {
            authorise(command, ctx)?;
            homicide_review::notify(state, c, ctx)
        }
        other => decide_existing(existing(state)?, other, ctx),
    }
}

fn decide_existing(
    case: &Case,
    command: &CaseCommand,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    use rapid_review as rr;
    // A closed case takes nothing more but what outlives it: the completion of its
    // recommendations' actions and taking its published report down.
    let outlives_the_case = matches!(
        command,
        CaseCommand::CompleteRecommendation(_)
            | CaseCommand::RecordReviewTakenDown(_)
            | CaseCommand::EraseCasePersonalData(_)
    );
    if case.after.closed.is_some() && !outlives_the_case {
        return Err(DomainError::conflict("case.closed", "the case is closed"));
    }
    require_kind(case, command)?;
    authorise(command, ctx)?;
    use adult_review as sar;
    use homicide_review as dhr;
    match command {
        // Opening a case that exists is a conflict, whoever asks.
        CaseCommand::NotifyIncident(_)
        | CaseCommand::ReferCaseForConsideration(_)
        | CaseCommand::ReferSafeguardingAdultReview(_)
        | CaseCommand::NotifyDomesticHomicide(_) => Err(DomainError::conflict(
            "case.already_exists",
            "a case with this id already exists",
        )),
        CaseCommand::RecordPanelNotification(c) => {
            notification::record_panel_notification(case, c, ctx)
        }
        CaseCommand::InitiateRapidReview(c) => rr::initiate(case, c, ctx),
        CaseCommand::RecordPartnersNotified(c) => rr::partners_notified(case, c, ctx),
        CaseCommand::NamePartnerLead(c) => rr::name_partner_lead(case, c, ctx),
        CaseCommand::AgreeReviewLead(c) => rr::agree_review_lead(case, c, ctx),
        CaseCommand::AgreeModifiedResponse(c) => rr::agree_modified_response(case, c, ctx),
        CaseCommand::RequestAgencyReport(c) => agency_reports::request(case, c, ctx),
        CaseCommand::SubmitAgencyReport(c) => agency_reports::submit(case, c, ctx),
        CaseCommand::CirculateAgencyReports(c) => rr::circulate_reports(case, c, ctx),
        CaseCommand::RecordRapidReviewMeeting(c) => rr::record_meeting(case, c, ctx),
        CaseCommand::RecordDraftMilestone(c) => rr::record_draft_milestone(case, c, ctx),
        CaseCommand::SubmitDraftComments(c) => rr::submit_draft_comments(case, c, ctx),
        CaseCommand::ConfirmSeniorSignOff(c) => rr::confirm_senior_sign_off(case, c, ctx),
        CaseCommand::SignOffRapidReview(c) => rr::independent_sign_off(case, c, ctx),
        CaseCommand::RecordPartnerDecision(c) => decision::record_partner_decision(case, c, ctx),
        CaseCommand::SubmitRapidReviewToPanel(c) => rr::submit_to_panel(case, c, ctx),
        CaseCommand::RecordPanelResponse(c) => after::record_panel_response(case, c, ctx),
        CaseCommand::RecordReconsideredDecision(c) => {
            reconsideration::record_reconsidered_decision(case, c, ctx)
        }
        CaseCommand::RecordIndependentAdvice(c) => {
            reconsideration::record_independent_advice(case, c, ctx)
        }
        CaseCommand::SendReconsiderationToPanel(c) => {
            reconsideration::send_reconsideration_to_panel(case, c, ctx)
        }
        CaseCommand::RecordImprovementsInformationSentToPanel(c) => {
            after::record_improvements_sent(case, c, ctx)
        }
        CaseCommand::PublishImprovementsInformation(c) => {
            after::publish_improvements_information(case, c, ctx)
        }
        CaseCommand::RecordCopySentToOfsted(c) => after::record_copy_sent_to_ofsted(case, c, ctx),
        CaseCommand::RecordPanelNotificationCopied(c) => {
            notification::record_panel_notification_copied(case, c, ctx)
        }
        CaseCommand::RecordLookedAfterDeathNotified(c) => {
            notification::record_looked_after_death_notified(case, c, ctx)
        }
        CaseCommand::RecordFamilyCommunication(c) => {
            after::record_family_communication(case, c, ctx)
        }
        CaseCommand::CommissionPracticeReview(c) => after::commission_practice_review(case, c, ctx),
        CaseCommand::ApprovePublicationDelay(c) => after::approve_publication_delay(case, c, ctx),
        CaseCommand::RecordFinalReportSentToPanel(c) => {
            after::record_final_report_sent(case, c, ctx)
        }
        CaseCommand::PublishReview(c) => match case.kind {
            CaseKind::Child => after::publish_review(case, c, ctx),
            CaseKind::Adult => sar::publish(case, c, ctx),
            CaseKind::DomesticHomicide => dhr::publish(case, c, ctx),
        },
        CaseCommand::WithholdPublication(c) => after::withhold_publication(case, c, ctx),
        CaseCommand::RecordReviewTakenDown(c) => after::record_review_taken_down(case, c, ctx),
        CaseCommand::AddRecommendation(c) => recommendations::add_recommendation(case, c, ctx),
        CaseCommand::CompleteRecommendation(c) => {
            recommendations::complete_recommendation(case, c, ctx)
        }
        CaseCommand::CloseCase(c) => closure::close_case(case, c, ctx),
        CaseCommand::EraseCasePersonalData(c) => erasure::erase_personal_data(case, c, ctx),
        CaseCommand::RecordSarDecision(c) => sar::record_decision(case, c, ctx),
        CaseCommand::CommissionSar(c) => sar::commission(case, c, ctx),
        CaseCommand::RecordFamilyInvited(c) => sar::record_family_invited(case, c, ctx),
        CaseCommand::PauseSar(c) => sar::pause(case, c, ctx),
        CaseCommand::ResumeSar(c) => sar::resume(case, c, ctx),
        CaseCommand::CompleteSar(c) => sar::complete(case, c, ctx),
        CaseCommand::RecordDhrDecision(c) => dhr::record_decision(case, c, ctx),
        CaseCommand::CommissionDhr(c) => dhr::commission(case, c, ctx),
        CaseCommand::CompleteDhr(c) => dhr::complete(case, c, ctx),
        CaseCommand::SubmitDhrToHomeOffice(c) => dhr::submit_to_home_office(case, c, ctx),
        CaseCommand::NotifyHomeOfficeOfDhrDecision(c) => dhr::notify_home_office(case, c, ctx),
        CaseCommand::RecordDhrQaOutcome(c) => dhr::record_qa_outcome(case, c, ctx),
        CaseCommand::RecordDhrFamilyInvolvement(c) => dhr::record_family_involvement(case, c, ctx),
    }
}

pub(in crate::case) fn existing(state: Option<&Case>) -> Result<&Case, DomainError> {
    state.ok_or_else(|| DomainError::not_found("case.not_found", "no such case"))
}

/// A registered organisation of the partnership that has not retired.
pub(in crate::case) fn require_registered(
    ctx: &Context<'_>,
    field: &str,
    organisation: &OrgSlug,
) -> Result<(), DomainError> {
    if ctx.partnership.active_organisation(organisation).is_some() {
        Ok(())
    } else if ctx.partnership.organisation(organisation).is_some() {
        Err(DomainError::invalid_field(
            field,
            "organisation.retired",
            format!("{field} has retired from the partnership"),
        ))
    } else {
        Err(DomainError::invalid_field(
            field,
            "organisation.unknown",
            format!("{field} is not an organisation of this partnership"),
        ))
    }
}

/// Resolves `occurred_at` for a fact that depends on an earlier one.
pub(in crate::case) fn occurred(
    given: Option<DateTime<Utc>>,
    ctx: &Context<'_>,
    not_before: DateTime<Utc>,
    depends_on: &str,
) -> Result<DateTime<Utc>, DomainError> {
    super::occurred_at::resolve(given, ctx.now, ctx.now, not_before, depends_on)
}

/// Refuses a fact recorded twice.
pub(in crate::case) fn once<T>(
    already: Option<T>,
    code: &'static str,
    message: &str,
) -> Result<(), DomainError> {
    match already {
        Some(_) => Err(DomainError::conflict(code, message)),
        None => Ok(()),
    }
}

pub(in crate::case) fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    at_local_time(date, NaiveTime::MIN)
}

pub(in crate::case) fn check_text(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid_field(
            field,
            "field.required",
            format!("{field} must not be empty"),
        ));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid_field(
            field,
            "field.too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// What every command opening a case needs once its sender is authorised: the case does not
/// exist yet.
pub(in crate::case) fn require_new_case(state: Option<&Case>) -> Result<(), DomainError> {
    if state.is_some() {
        return Err(DomainError::conflict(
            "case.already_exists",
            "a case with this id already exists",
        ));
    }
    Ok(())
}
