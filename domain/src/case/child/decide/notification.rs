//! NotifyIncident and RecordPanelNotification (domain.md child steps 1 and 2).

use crate::DomainError;
use crate::calendar::{end_of_day, local_date};
use crate::case::commands::{At, ChildDetails, ReferCaseForConsideration};
use crate::case::decide::{Context, check_text, start_of_day};
use crate::case::occurred_at;
use crate::case::rapid_review::Occurred;
use crate::case::{
    AbuseOrNeglect, AgeBand, Case, CaseEvent, CaseReferred, ChildProfile, Harm, IncidentNotified,
    LocationBasis, NotifyIncident, PanelNotificationRecorded, RecordPanelNotification,
};
use chrono::{Datelike, NaiveDate};

/// Longest reference or Panel reference accepted.
const MAX_REFERENCE_LEN: usize = 64;
/// Longest free-text descriptor (sex, ethnicity) accepted.
const MAX_DESCRIPTOR_LEN: usize = 100;

fn whole_years_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

pub(in crate::case) fn notify_incident(
    state: Option<&Case>,
    cmd: &NotifyIncident,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    if state.is_some() {
        return Err(DomainError::conflict(
            "case.already_exists",
            "a case with this id already exists",
        ));
    }
    let today = local_date(ctx.now);
    // Each date on its own, so that a refusal names every one at fault.
    DomainError::all_fields([
        (cmd.became_aware_on > today).then(|| {
            DomainError::invalid_field(
                "became_aware_on",
                "date.in_future",
                "became_aware_on must not be in the future",
            )
        }),
        (cmd.incident_date > cmd.became_aware_on).then(|| {
            DomainError::invalid_field(
                "incident_date",
                "date.after_became_aware",
                "incident_date must not be after became_aware_on",
            )
        }),
        born_after(&cmd.child, cmd.incident_date),
    ])?;
    let child = child_profile(&cmd.child, cmd.incident_date)?;
    check_criteria(cmd)?;
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        start_of_day(cmd.became_aware_on),
        "the day the local authority became aware",
    )?;
    Ok(vec![CaseEvent::IncidentNotified(IncidentNotified {
        case_id: cmd.case_id,
        notified_by: ctx.actor.org.clone(),
        child,
        personal_data: cmd.personal_data.clone(),
        incident_date: cmd.incident_date,
        became_aware_on: cmd.became_aware_on,
        harm: cmd.harm,
        abuse_or_neglect: cmd.abuse_or_neglect,
        location_basis: cmd.location_basis,
        occurred_at,
    })])
}

/// The child's profile from what the notifier or referrer knows: checked, with the age band
/// at the incident derived from the date of birth.
fn child_profile(
    child: &ChildDetails,
    incident_date: NaiveDate,
) -> Result<ChildProfile, DomainError> {
    check_text("child.reference", &child.reference, MAX_REFERENCE_LEN)?;
    check_text("child.sex", &child.sex, MAX_DESCRIPTOR_LEN)?;
    check_text("child.ethnicity", &child.ethnicity, MAX_DESCRIPTOR_LEN)?;
    if let Some(refusal) = born_after(child, incident_date) {
        return Err(refusal);
    }
    let age_band = AgeBand::for_age(whole_years_between(child.date_of_birth, incident_date))
        .ok_or_else(|| {
            DomainError::invalid(
                "notification.criteria_not_met",
                "the person was 18 or over at the incident: not a serious child safeguarding case \
                 (consider a safeguarding adult review)",
            )
        })?;
    Ok(ChildProfile {
        reference: child.reference.trim().to_owned(),
        age_band,
        sex: child.sex.trim().to_owned(),
        ethnicity: child.ethnicity.trim().to_owned(),
        looked_after: child.looked_after,
        child_protection_plan: child.child_protection_plan,
    })
}

/// A child born after the incident: refused, naming the date of birth.
fn born_after(child: &ChildDetails, incident_date: NaiveDate) -> Option<DomainError> {
    (child.date_of_birth > incident_date).then(|| {
        DomainError::invalid_field(
            "child.date_of_birth",
            "date.after_incident",
            "child.date_of_birth must not be after incident_date",
        )
    })
}

/// ReferCaseForConsideration: any organisation of the partnership may ask the partners to
/// consider a case for a rapid review.
pub(in crate::case) fn refer_case(
    state: Option<&Case>,
    cmd: &ReferCaseForConsideration,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    crate::case::decide::require_new_case(state)?;
    DomainError::all_fields([
        (cmd.incident_date > local_date(ctx.now)).then(|| {
            DomainError::invalid_field(
                "incident_date",
                "date.in_future",
                "incident_date must not be in the future",
            )
        }),
        born_after(&cmd.child, cmd.incident_date),
    ])?;
    let child = child_profile(&cmd.child, cmd.incident_date)?;
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        start_of_day(cmd.incident_date),
        "the incident",
    )?;
    Ok(vec![CaseEvent::CaseReferred(CaseReferred {
        case_id: cmd.case_id,
        referred_by: ctx.actor.org.clone(),
        child,
        personal_data: cmd.personal_data.clone(),
        incident_date: cmd.incident_date,
        occurred_at,
    })])
}

/// The statutory notification criteria (Children Act 2004 s16C(1)), each refusal with its reason.
fn check_criteria(cmd: &NotifyIncident) -> Result<(), DomainError> {
    let reason = if cmd.abuse_or_neglect == AbuseOrNeglect::NotSuspected {
        Some("abuse or neglect must be known or suspected")
    } else if cmd.harm == Harm::NotSerious {
        Some("the child must have died or been seriously harmed")
    } else if cmd.location_basis == LocationBasis::ElsewhereInEngland {
        Some(
            "the incident happened elsewhere in England: the local authority for that area \
             notifies the Panel",
        )
    } else {
        None
    };
    match reason {
        Some(reason) => Err(DomainError::invalid(
            "notification.criteria_not_met",
            format!("the notification does not meet the statutory criteria: {reason}"),
        )),
        None => Ok(()),
    }
}

pub(in crate::case) fn record_panel_notification(
    case: &Case,
    cmd: &RecordPanelNotification,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    check_text("panel_reference", &cmd.panel_reference, MAX_REFERENCE_LEN)?;
    let today = local_date(ctx.now);
    if cmd.submitted_on > today {
        return Err(DomainError::invalid_field(
            "submitted_on",
            "date.in_future",
            "submitted_on must not be in the future",
        ));
    }
    let Some(notification) = case.notification() else {
        return Err(DomainError::conflict(
            "case.not_notified",
            "only a case notified by the local authority has a Panel notification",
        ));
    };
    // Not a stage check: the rapid review may already be under way (its clock can start on
    // the day of becoming aware), and the Panel must still be notified.
    if case.panel_notification.is_some() {
        return Err(DomainError::conflict(
            "case.wrong_stage",
            "the Panel notification is already recorded for this case",
        ));
    }
    let became_aware_on = notification.became_aware_on;
    if cmd.submitted_on < became_aware_on {
        return Err(DomainError::invalid_field(
            "submitted_on",
            "date.before_dependency",
            "submitted_on must not be before the day the local authority became aware",
        ));
    }
    // A notification backfilled without a time counts at the end of the day it was submitted:
    // deadlines are whole days, so this never turns an on-time notification into a late one.
    let default = if cmd.submitted_on == today {
        ctx.now
    } else {
        end_of_day(cmd.submitted_on)
    };
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        default,
        ctx.now,
        start_of_day(became_aware_on),
        "the day the local authority became aware",
    )?;
    if local_date(occurred_at) != cmd.submitted_on {
        return Err(DomainError::invalid_field(
            "occurred_at",
            "occurred_at.date_mismatch",
            "occurred_at must fall on submitted_on (Europe/London)",
        ));
    }
    Ok(vec![CaseEvent::PanelNotificationRecorded(
        PanelNotificationRecorded {
            panel_reference: cmd.panel_reference.trim().to_owned(),
            submitted_on: cmd.submitted_on,
            occurred_at,
        },
    )])
}

/// RecordPanelNotificationCopied: the local authority copied its Panel notification to the
/// business manager (due the same day).
pub(in crate::case) fn record_panel_notification_copied(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let panel = case.panel_notification.as_ref().ok_or_else(|| {
        DomainError::conflict(
            "panel_notification.not_recorded",
            "the Panel notification is not recorded yet",
        )
    })?;
    if panel.copied_at.is_some() {
        return Err(DomainError::conflict(
            "panel_notification.already_copied",
            "the copy to the business manager is already recorded",
        ));
    }
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        panel.occurred_at,
        "the Panel notification",
    )?;
    Ok(vec![CaseEvent::PanelNotificationCopied(Occurred {
        occurred_at,
    })])
}

/// RecordLookedAfterDeathNotified: the death of a looked-after child, whatever its cause, was
/// notified to Ofsted and the Secretary of State.
pub(in crate::case) fn record_looked_after_death_notified(
    case: &Case,
    cmd: &At,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let notification = case
        .notification()
        .filter(|_| case.is_looked_after_death())
        .ok_or_else(|| {
            DomainError::conflict(
                "notification.not_looked_after_death",
                "only the death of a looked-after child is notified to Ofsted and the \
                 Secretary of State",
            )
        })?;
    if case.looked_after_death_notified_at.is_some() {
        return Err(DomainError::conflict(
            "notification.looked_after_death_already_notified",
            "Ofsted and the Secretary of State have already been notified",
        ));
    }
    let occurred_at = occurred_at::resolve(
        cmd.occurred_at,
        ctx.now,
        ctx.now,
        start_of_day(notification.became_aware_on),
        "the day the local authority became aware",
    )?;
    Ok(vec![CaseEvent::LookedAfterDeathNotified(Occurred {
        occurred_at,
    })])
}
