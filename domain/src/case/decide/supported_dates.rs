//! The one range check every case command passes: no accepted fact may depend on a year whose
//! bank holidays the calendar does not know (`calendar::range`).
//!
//! Checked on the case as the command leaves it rather than field by field, so a new command
//! or a new deadline is covered without being listed here: every date a deadline is counted
//! from (becoming aware, the Panel notification, day 0 of the rapid review, the decision), every
//! fact's `occurred_at`, and every due date that results.

use crate::DomainError;
use crate::calendar::local_date;
use crate::calendar::range::{ensure_supported, ensure_supported_instant};
use crate::case::{Case, CaseEvent};
use crate::partnership::Partnership;

/// Refuses the events when the case they leave would need the calendar outside its range.
pub(super) fn check(
    state: Option<&Case>,
    events: &[CaseEvent],
    partnership: &Partnership,
) -> Result<(), DomainError> {
    if events.is_empty() {
        return Ok(());
    }
    for event in events {
        ensure_supported_instant("occurred_at", event.occurred_at())?;
    }
    let Some(case) = events.iter().fold(state.cloned(), Case::evolve) else {
        return Ok(());
    };
    if let Some(notification) = case.notification() {
        ensure_supported("incident_date", notification.incident_date)?;
        ensure_supported("became_aware_on", notification.became_aware_on)?;
    }
    if let Some(panel) = &case.panel_notification {
        ensure_supported("submitted_on", panel.submitted_on)?;
    }
    if let Some(day0) = case.rapid_review_day0(&partnership.settings) {
        ensure_supported("day0", day0)?;
    }
    if let Some(decided_at) = case.decided_at() {
        ensure_supported("decided_at", local_date(decided_at))?;
    }
    for deadline in case.deadlines(partnership) {
        let field = deadline.kind.as_str();
        ensure_supported_instant(field, deadline.due_at)?;
        if let Some(original) = deadline.original_due_at {
            ensure_supported_instant(field, original)?;
        }
    }
    Ok(())
}
