//! The rapid review's commands (Appendix E), each with its preconditions.

use crate::case::commands::{
    AgreeModifiedResponse, AgreeReviewLead, At, ForOrganisation, NamePartnerLead,
    RecordDraftMilestone, RecordRapidReviewMeeting, SubmitAgencyReport, SubmitRapidReviewToPanel,
};
use crate::case::decide::{Context, check_text, occurred, once, require_registered};
use crate::case::rapid_review::{
    DraftMilestone, DraftMilestoneRecorded, ModifiedResponseAgreed, Occurred, OrganisationAct,
    PartnerLeadNamed, RapidReview, RapidReviewInitiated, RapidReviewMeetingHeld,
    RapidReviewSubmitted, ReviewLeadAgreed,
};
use crate::case::{Case, CaseEvent, CaseKind};
use crate::partnership::StatutoryPartner;
use crate::small_map::SmallMap;
use crate::{DomainError, OrgSlug};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

type Decided = Result<Vec<CaseEvent>, DomainError>;

/// Longest staff name accepted.
const MAX_NAME_LEN: usize = 200;

/// The rapid review, if it is under way (initiated and not yet submitted).
fn open_review(case: &Case) -> Result<&RapidReview, DomainError> {
    match &case.rapid_review {
        None => Err(DomainError::conflict(
            "rapid_review.not_started",
            "the rapid review has not been initiated",
        )),
        Some(review) if review.submitted_at.is_some() => Err(DomainError::conflict(
            "rapid_review.already_submitted",
            "the rapid review has already been submitted to the Panel",
        )),
        Some(review) => Ok(review),
    }
}

pub(in crate::case) fn initiate(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    if case.kind != CaseKind::Child {
        return Err(DomainError::conflict(
            "case.wrong_kind",
            "rapid reviews are for serious child safeguarding cases",
        ));
    }
    once(
        case.rapid_review.as_ref(),
        "rapid_review.already_initiated",
        "the rapid review has already been initiated",
    )?;
    let occurred_at = occurred(cmd.occurred_at, ctx, case.opened_at, "the notification")?;
    Ok(vec![CaseEvent::RapidReviewInitiated(
        RapidReviewInitiated {
            clock_start: ctx.partnership.settings.rapid_review_clock_start,
            close_of_business: ctx.partnership.settings.close_of_business,
            occurred_at,
        },
    )])
}

pub(in crate::case) fn partners_notified(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = open_review(case)?;
    once(
        review.partners_notified_at,
        "rapid_review.partners_already_notified",
        "the partners have already been notified",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::PartnersNotified(Occurred { occurred_at })])
}

pub(in crate::case) fn name_partner_lead(
    case: &Case,
    cmd: &NamePartnerLead,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    check_text("lead_name", &cmd.lead_name, MAX_NAME_LEN)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::PartnerLeadNamed(PartnerLeadNamed {
        partner: cmd.partner,
        lead_name: cmd.lead_name.trim().to_owned(),
        occurred_at,
    })])
}

pub(in crate::case) fn agree_review_lead(
    case: &Case,
    cmd: &AgreeReviewLead,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    check_text("lead_name", &cmd.lead_name, MAX_NAME_LEN)?;
    require_registered(ctx, "organisation", &cmd.organisation)?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::ReviewLeadAgreed(ReviewLeadAgreed {
        lead_name: cmd.lead_name.trim().to_owned(),
        organisation: cmd.organisation.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn agree_modified_response(
    case: &Case,
    cmd: &AgreeModifiedResponse,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    once(
        review.modified_response_at,
        "rapid_review.modified_response_already_agreed",
        "a modified response has already been agreed",
    )?;
    once(
        review.reports_circulated_at,
        "rapid_review.reports_already_circulated",
        "a modified response must be agreed before the reports are circulated",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::ModifiedResponseAgreed(
        ModifiedResponseAgreed {
            rationale: cmd.rationale.clone(),
            occurred_at,
        },
    )])
}

pub(in crate::case) fn request_agency_report(
    case: &Case,
    cmd: &ForOrganisation,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    require_registered(ctx, "organisation", &cmd.organisation)?;
    once(
        review.agency_reports.get(&cmd.organisation),
        "agency_report.already_requested",
        "a report has already been requested from this organisation",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::AgencyReportRequested(OrganisationAct {
        organisation: cmd.organisation.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn submit_agency_report(
    case: &Case,
    cmd: &SubmitAgencyReport,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    crate::case::shared::decide::agency_reports::submit_requested_report(
        &review.agency_reports,
        cmd,
        ctx,
    )
}

pub(in crate::case) fn circulate_reports(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = open_review(case)?;
    once(
        review.reports_circulated_at,
        "rapid_review.reports_already_circulated",
        "the reports have already been circulated",
    )?;
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::AgencyReportsCirculated(Occurred {
        occurred_at,
    })])
}

pub(in crate::case) fn record_meeting(
    case: &Case,
    cmd: &RecordRapidReviewMeeting,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    once(
        review.meeting_held_at,
        "rapid_review.meeting_already_held",
        "the rapid review meeting has already been recorded",
    )?;
    for (n, org) in cmd.attendees.iter().enumerate() {
        require_registered(ctx, &format!("attendees[{n}]"), org)?;
    }
    let present: BTreeSet<_> = cmd.attendees.iter().collect();
    let partners_present = [
        StatutoryPartner::LocalAuthority,
        StatutoryPartner::Police,
        StatutoryPartner::Health,
    ]
    .into_iter()
    .all(|p| {
        ctx.partnership
            .partner_org(p)
            .is_some_and(|o| present.contains(&o.slug))
    });
    if !partners_present {
        return Err(DomainError::invalid_field(
            "attendees",
            "meeting.partners_absent",
            "the local authority, the police and health must all be represented",
        ));
    }
    if !cmd.service_manager_present {
        return Err(DomainError::invalid_field(
            "service_manager_present",
            "meeting.no_service_manager",
            "at least one service manager must be present",
        ));
    }
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        review.initiated_at,
        "the rapid review's initiation",
    )?;
    Ok(vec![CaseEvent::RapidReviewMeetingHeld(
        RapidReviewMeetingHeld {
            attendees: present.into_iter().cloned().collect(),
            service_manager_present: true,
            occurred_at,
        },
    )])
}

pub(in crate::case) fn record_draft_milestone(
    case: &Case,
    cmd: &RecordDraftMilestone,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    once(
        review.drafts.get(&cmd.milestone),
        "draft.already_recorded",
        "this drafting step has already been recorded",
    )?;
    let previous = match cmd.milestone {
        DraftMilestone::FirstDraftCompleted => None,
        DraftMilestone::DraftCirculated => Some(DraftMilestone::FirstDraftCompleted),
        DraftMilestone::SecondDraftFinalised => Some(DraftMilestone::DraftCirculated),
    };
    let not_before = match previous {
        None => review.initiated_at,
        Some(previous) => *review.drafts.get(&previous).ok_or_else(|| {
            DomainError::conflict(
                "draft.out_of_order",
                "the previous drafting step is not recorded yet",
            )
        })?,
    };
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        not_before,
        "the previous drafting step",
    )?;
    Ok(vec![CaseEvent::DraftMilestoneRecorded(
        DraftMilestoneRecorded {
            milestone: cmd.milestone,
            occurred_at,
        },
    )])
}

/// What a review team member records once for its own organisation: which step it answers,
/// where it is kept, and how a second recording is refused.
struct TeamAct {
    needs: DraftMilestone,
    recorded: fn(&RapidReview) -> &SmallMap<OrgSlug, DateTime<Utc>>,
    already_code: &'static str,
    already_message: &'static str,
}

/// The review team member acting for its own organisation, once, after the step it answers:
/// the instant it happened.
fn team_act(
    case: &Case,
    cmd: &ForOrganisation,
    ctx: &Context<'_>,
    act: &TeamAct,
) -> Result<DateTime<Utc>, DomainError> {
    let review = open_review(case)?;
    let partners = ctx
        .partnership
        .organisations
        .values()
        .filter(|o| o.kind.statutory_partner().is_some());
    let team = review.review_team(&partners.map(|o| o.slug.clone()).collect());
    if !team.contains(&cmd.organisation) {
        return Err(DomainError::conflict(
            "rapid_review.not_in_review_team",
            "this organisation is not in the review team",
        ));
    }
    let since = review
        .drafts
        .get(&act.needs)
        .copied()
        .ok_or_else(|| match act.needs {
            DraftMilestone::DraftCirculated => DomainError::conflict(
                "draft.not_circulated",
                "the draft has not been circulated yet",
            ),
            DraftMilestone::SecondDraftFinalised | DraftMilestone::FirstDraftCompleted => {
                DomainError::conflict(
                    "draft.second_draft_not_finalised",
                    "the second draft has not been finalised yet",
                )
            }
        })?;
    once(
        (act.recorded)(review).get(&cmd.organisation),
        act.already_code,
        act.already_message,
    )?;
    occurred(cmd.occurred_at, ctx, since, "the draft it answers")
}

pub(in crate::case) fn submit_draft_comments(
    case: &Case,
    cmd: &ForOrganisation,
    ctx: &Context<'_>,
) -> Decided {
    let act = TeamAct {
        needs: DraftMilestone::DraftCirculated,
        recorded: |review| &review.draft_comments,
        already_code: "draft.comments_already_submitted",
        already_message: "this organisation has already returned its comments",
    };
    let occurred_at = team_act(case, cmd, ctx, &act)?;
    Ok(vec![CaseEvent::DraftCommentsSubmitted(OrganisationAct {
        organisation: cmd.organisation.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn confirm_senior_sign_off(
    case: &Case,
    cmd: &ForOrganisation,
    ctx: &Context<'_>,
) -> Decided {
    let act = TeamAct {
        needs: DraftMilestone::SecondDraftFinalised,
        recorded: |review| &review.senior_sign_offs,
        already_code: "rapid_review.already_signed_off",
        already_message: "this organisation has already signed the report off",
    };
    let occurred_at = team_act(case, cmd, ctx, &act)?;
    Ok(vec![CaseEvent::SeniorSignOffConfirmed(OrganisationAct {
        organisation: cmd.organisation.clone(),
        occurred_at,
    })])
}

pub(in crate::case) fn independent_sign_off(case: &Case, cmd: &At, ctx: &Context<'_>) -> Decided {
    let review = open_review(case)?;
    once(
        review.independent_sign_off_at,
        "rapid_review.already_signed_off",
        "the Independent Advisor has already signed the report off",
    )?;
    let since = review
        .drafts
        .get(&DraftMilestone::SecondDraftFinalised)
        .copied()
        .ok_or_else(|| {
            DomainError::conflict(
                "draft.second_draft_not_finalised",
                "the second draft has not been finalised yet",
            )
        })?;
    let occurred_at = occurred(cmd.occurred_at, ctx, since, "the second draft")?;
    Ok(vec![CaseEvent::RapidReviewSignedOff(Occurred {
        occurred_at,
    })])
}

pub(in crate::case) fn submit_to_panel(
    case: &Case,
    cmd: &SubmitRapidReviewToPanel,
    ctx: &Context<'_>,
) -> Decided {
    let review = open_review(case)?;
    // A notified case's review goes to the Panel it was notified to: without the notification
    // on record, the Panel has nothing to file the review against (and day 0 may be unknown).
    if case.notification().is_some() && case.panel_notification.is_none() {
        return Err(DomainError::conflict(
            "rapid_review.panel_not_notified",
            "the Panel notification must be recorded before the rapid review is submitted",
        ));
    }
    let signed_off = review.independent_sign_off_at.ok_or_else(|| {
        DomainError::conflict(
            "rapid_review.not_signed_off",
            "the Independent Advisor has not signed the report off",
        )
    })?;
    let decided = case.decision.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "decision.not_reached",
            "the partners have not reached a decision on a review",
        )
    })?;
    let not_before = signed_off.max(decided.occurred_at);
    let occurred_at = occurred(
        cmd.occurred_at,
        ctx,
        not_before,
        "the sign-off and the decision",
    )?;
    Ok(vec![CaseEvent::RapidReviewSubmittedToPanel(
        RapidReviewSubmitted {
            national_review_may_be_appropriate: Some(cmd.national_review_may_be_appropriate),
            occurred_at,
        },
    )])
}
