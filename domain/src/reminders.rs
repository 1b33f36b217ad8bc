//! Deadline reminders and recorded breaches (issue 14): the facts time passing causes.
//!
//! A deadline falls due soon, or is breached, because time passes, not because anyone acts, so
//! no command records it. The reminder service looks at every open deadline and records
//! what is owed as an event of the partnership's reminders stream: a reminder to the
//! organisation that must act, some working days ahead (a partnership setting), and the breach
//! once the due instant has passed. Each event's id is derived from the deadline, its due
//! instant and the threshold, so recording it again (a restart, a second replica) writes
//! nothing: each is in the log, and so in the feed and webhooks, exactly once
//! (docs/rules.md, "Reminders").

use crate::calendar::{WorkingCalendar, at_local_time, local_date};
use crate::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use crate::{CaseId, DomainError, OrgSlug};
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most reminders a partnership may ask for per deadline.
pub const MAX_REMINDERS: usize = 4;

/// The furthest ahead a reminder may be sent, in working days: a rapid review lasts 15.
pub const MAX_WORKING_DAYS_BEFORE: u8 = 15;

/// When reminders are sent: how many working days before a deadline's due day (0: on the day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Working days before the due day (0: on the day), each at most 15, at most 4, no
    /// repeats; default `[2, 0]`. Empty: no reminders (breaches are still recorded).
    #[cfg_attr(feature = "openapi", schema(example = json!([2, 0]), max_items = 4))]
    pub working_days_before: Vec<u8>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        // Two working days ahead leaves time to act; on the day is the last call.
        Self {
            working_days_before: vec![2, 0],
        }
    }
}

impl ReminderSettings {
    /// Whether these are the defaults (left out of stored events, so events written before
    /// reminders existed and those written since with the defaults read the same).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Refuses a threshold out of range, a repeat, or too many, naming the field.
    pub fn validate(&self) -> Result<(), DomainError> {
        let field = "reminders.working_days_before";
        let invalid = |detail: String| DomainError::invalid_field(field, "field.invalid", detail);
        if self.working_days_before.len() > MAX_REMINDERS {
            return Err(invalid(format!(
                "{field} holds at most {MAX_REMINDERS} thresholds"
            )));
        }
        if let Some(too_far) = self
            .working_days_before
            .iter()
            .find(|days| **days > MAX_WORKING_DAYS_BEFORE)
        {
            return Err(invalid(format!(
                "{field}: {too_far} is more than {MAX_WORKING_DAYS_BEFORE} working days"
            )));
        }
        let mut seen = self.working_days_before.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.working_days_before.len() {
            return Err(invalid(format!("{field} names a threshold twice")));
        }
        Ok(())
    }
}

/// The deadline a reminder or breach is about, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineNotice {
    /// The case.
    pub case_id: CaseId,
    /// The deadline's stable id ([`Deadline::id`]).
    pub deadline_id: Uuid,
    /// What it is for.
    pub kind: DeadlineKind,
    /// The organisation that must act, if the deadline names one.
    pub organisation: Option<OrgSlug>,
    /// What it is about when a case has several of a kind (a recommendation's id).
    pub reference: Option<Uuid>,
    /// When it falls due, as it stood when the notice was recorded.
    pub due_at: DateTime<Utc>,
}

/// A reminder that a deadline falls due soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineReminderIssued {
    /// The deadline.
    #[serde(flatten)]
    pub deadline: DeadlineNotice,
    /// The threshold reached: working days before the due day (0: the due day itself).
    pub working_days_before: u8,
    /// When the threshold was reached: the start of its day in London.
    pub occurred_at: DateTime<Utc>,
}

/// A deadline passed unfulfilled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineBreachRecorded {
    /// The deadline.
    #[serde(flatten)]
    pub deadline: DeadlineNotice,
    /// When it was breached: its due instant.
    pub occurred_at: DateTime<Utc>,
}

/// An event of a partnership's reminders stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event_type", content = "data")]
pub enum ReminderEvent {
    /// A deadline falls due soon.
    DeadlineReminderIssued(DeadlineReminderIssued),
    /// A deadline passed unfulfilled.
    DeadlineBreachRecorded(DeadlineBreachRecorded),
}

impl ReminderEvent {
    /// The deadline it is about.
    pub fn deadline(&self) -> &DeadlineNotice {
        match self {
            ReminderEvent::DeadlineReminderIssued(e) => &e.deadline,
            ReminderEvent::DeadlineBreachRecorded(e) => &e.deadline,
        }
    }

    /// When it occurred.
    pub fn occurred_at(&self) -> DateTime<Utc> {
        match self {
            ReminderEvent::DeadlineReminderIssued(e) => e.occurred_at,
            ReminderEvent::DeadlineBreachRecorded(e) => e.occurred_at,
        }
    }

    /// Its event id, the same whoever records it and however often: the deadline, the due
    /// instant it was judged against and the threshold. A deadline moved by an approved delay
    /// falls due at another instant, so its reminders are owed again.
    pub fn event_id(&self) -> Uuid {
        let notice = self.deadline();
        let what = match self {
            ReminderEvent::DeadlineReminderIssued(e) => {
                format!("reminder/{}", e.working_days_before)
            }
            ReminderEvent::DeadlineBreachRecorded(_) => "breach".to_owned(),
        };
        let name = format!(
            "casetrail/{}/{}/{what}",
            notice.deadline_id,
            notice.due_at.timestamp_micros()
        );
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
    }
}

/// What the reminder service owes for one deadline at `now`, if anything: the breach of an
/// unfulfilled deadline past due, else the reminder of the nearest threshold reached (a
/// threshold overtaken by a nearer one is not sent late: one reminder that says two days are
/// left would be wrong once one is). Fulfilled, superseded and not yet settled deadlines are
/// owed nothing.
pub fn owed(
    case_id: CaseId,
    deadline: &Deadline,
    settings: &ReminderSettings,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Option<ReminderEvent> {
    if deadline.fulfilled_at.is_some_and(|at| at <= now) {
        return None;
    }
    let due_at = deadline.due_at_as_of(now);
    let notice = DeadlineNotice {
        case_id,
        deadline_id: deadline.id(case_id),
        kind: deadline.kind,
        organisation: deadline.organisation.clone(),
        reference: deadline.reference,
        due_at,
    };
    match deadline.status(now, calendar) {
        DeadlineStatus::Breached => Some(ReminderEvent::DeadlineBreachRecorded(
            DeadlineBreachRecorded {
                deadline: notice,
                occurred_at: due_at,
            },
        )),
        // A paused clock moves the due day every day: no reminder while it stands still.
        DeadlineStatus::Pending | DeadlineStatus::DueSoon
            if deadline.unsettled_until.is_none() && deadline.paused_since.is_none() =>
        {
            let due_day = local_date(due_at);
            settings
                .working_days_before
                .iter()
                .map(|days| {
                    let day = calendar.working_days_before(due_day, u32::from(*days));
                    (*days, at_local_time(day, NaiveTime::MIN))
                })
                .filter(|(_, from)| *from <= now)
                .min_by_key(|(days, _)| *days)
                .map(|(days, from)| {
                    ReminderEvent::DeadlineReminderIssued(DeadlineReminderIssued {
                        deadline: notice,
                        working_days_before: days,
                        occurred_at: from,
                    })
                })
        }
        _ => None,
    }
}

/// Whether nothing but what `owed` gives at `now` can be owed for this deadline at any later
/// instant, for as long as its case and its partnership stay as they are: it was fulfilled by
/// `now`, or no longer applies (both owe nothing from then on), or it stands breached with a
/// due instant no pause can move (owed its one breach notice, the same at every later instant,
/// until a fulfilment dated after `now` ends even that). A pending or due-soon deadline is not:
/// its reminders and its breach are still to come. The reminder service passes over a case
/// whose every deadline is settled so, once the log holds what each was owed, until the case
/// or its partnership changes (docs/rules.md 1.5).
pub fn settled_for_good(
    deadline: &Deadline,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> bool {
    if deadline.fulfilled_at.is_some_and(|at| at <= now) {
        return true;
    }
    match deadline.status(now, calendar) {
        DeadlineStatus::NotApplicable => true,
        DeadlineStatus::Breached => deadline.paused_since.is_none(),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
