//! What may be recorded of the partnership's learning, and the checks each record passes
//! (docs/rules.md, "Learning and improvement").

use super::events::{Contribution, LearningEvent, LearningEventHeld, Meeting, Spending};
use super::state::Learning;
use super::values::{
    Attendance, MAX_PARTICIPANTS, MAX_PENCE, MAX_PEOPLE_PER_ORGANISATION, MAX_TOPIC_CHARS,
    PersonRef, Subject,
};
use crate::calendar::financial_year::FinancialYear;
use crate::calendar::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};
use crate::partnership::Partnership;
use crate::sorted_set::SortedSet;
use crate::{Actor, DomainError, OrgSlug, Role, ThemeSlug};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The most cases and recommendations one meeting may list as discussed.
pub const MAX_DISCUSSED: usize = 500;

/// The longest theme name, in characters.
pub const MAX_THEME_NAME_CHARS: usize = 100;

/// What may be asked of the learning record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearningCommand {
    /// Adds a theme to the partnership's list.
    AddTheme {
        /// The theme.
        theme: ThemeSlug,
        /// Its name.
        name: String,
    },
    /// Retires a theme.
    RetireTheme {
        /// The theme.
        theme: ThemeSlug,
    },
    /// Tags a case's reviews, or a recommendation, with themes (replacing its tags).
    TagThemes {
        /// What is tagged (the caller has checked it exists).
        subject: Subject,
        /// Its themes.
        themes: SortedSet<ThemeSlug>,
    },
    /// Records a meeting.
    RecordMeeting(Meeting),
    /// Records a learning event or training course.
    RecordLearningEvent(LearningEventHeld),
    /// Records a partner's contribution.
    RecordContribution(Contribution),
    /// Records spending.
    RecordSpending(Spending),
    /// Corrects a recorded meeting (the same id, every field as it should have been).
    CorrectMeeting(Meeting),
    /// Corrects a recorded learning event.
    CorrectLearningEvent(LearningEventHeld),
    /// Withdraws a budget line recorded in error.
    WithdrawBudgetLine {
        /// The line.
        line_id: Uuid,
    },
}

impl LearningCommand {
    /// Its name (the operationId), recorded in the events' metadata.
    pub fn name(&self) -> &'static str {
        match self {
            LearningCommand::AddTheme { .. } => "AddTheme",
            LearningCommand::RetireTheme { .. } => "RetireTheme",
            LearningCommand::TagThemes { .. } => "TagThemes",
            LearningCommand::RecordMeeting(_) => "RecordMeeting",
            LearningCommand::RecordLearningEvent(_) => "RecordLearningEvent",
            LearningCommand::RecordContribution(_) => "RecordContribution",
            LearningCommand::RecordSpending(_) => "RecordSpending",
            LearningCommand::CorrectMeeting(_) => "CorrectMeeting",
            LearningCommand::CorrectLearningEvent(_) => "CorrectLearningEvent",
            LearningCommand::WithdrawBudgetLine { .. } => "WithdrawBudgetLine",
        }
    }
}

/// The roles that may send the learning command named `name`: the business unit records the
/// partnership's learning; the list of themes is the partnership's, so its administrators keep
/// it too. Known from the name alone, so the edge checks it before reading anything else of
/// the request (an auditor learns nothing of which themes exist).
pub fn roles_of(name: &str) -> &'static [Role] {
    match name {
        "AddTheme" | "RetireTheme" => &[Role::BusinessManager, Role::Admin],
        _ => &[Role::BusinessManager],
    }
}

/// Refuses an actor whose token holds none of the roles that may send the command.
pub fn may_send(command: &LearningCommand, actor: &Actor) -> Result<(), DomainError> {
    may_send_named(command.name(), actor)
}

/// Refuses an actor whose token holds none of the roles that may send the command named
/// `name`.
pub fn may_send_named(name: &str, actor: &Actor) -> Result<(), DomainError> {
    let roles = roles_of(name);
    if roles.iter().any(|role| actor.has(*role)) {
        return Ok(());
    }
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Err(DomainError::forbidden(
        "auth.role_required",
        format!("this command needs the role {}", names.join(" or ")),
    ))
}

/// Decides a command against the learning record (`None` before anything is recorded) of
/// `partnership`, on `today` (Europe/London): nothing is recorded as held after it.
pub fn decide(
    state: Option<&Learning>,
    command: &LearningCommand,
    partnership: &Partnership,
    today: NaiveDate,
) -> Result<Vec<LearningEvent>, DomainError> {
    let empty = Learning::default();
    let learning = state.unwrap_or(&empty);
    let event = match command {
        LearningCommand::AddTheme { theme, name } => {
            if learning.themes.contains_key(theme) {
                return Err(DomainError::conflict(
                    "theme.already_exists",
                    "the partnership already has a theme with this slug",
                ));
            }
            LearningEvent::ThemeAdded {
                theme: theme.clone(),
                name: text("name", name, MAX_THEME_NAME_CHARS)?,
            }
        }
        LearningCommand::RetireTheme { theme } => {
            match learning.themes.get(theme) {
                None => return Err(theme_not_found()),
                Some(t) if t.retired => {
                    return Err(DomainError::conflict(
                        "theme.already_retired",
                        "the theme is already retired",
                    ));
                }
                Some(_) => {}
            }
            LearningEvent::ThemeRetired {
                theme: theme.clone(),
            }
        }
        LearningCommand::TagThemes { subject, themes } => {
            active_themes(learning, "themes", themes)?;
            LearningEvent::ThemesTagged {
                subject: subject.clone(),
                themes: themes.clone(),
            }
        }
        LearningCommand::RecordMeeting(meeting) => {
            not_recorded(learning, meeting.meeting_id)?;
            LearningEvent::MeetingRecorded(checked_meeting(partnership, today, meeting)?)
        }
        LearningCommand::CorrectMeeting(meeting) => {
            if !learning.has_meeting(meeting.meeting_id) {
                return Err(DomainError::not_found(
                    "meeting.not_found",
                    "no meeting is recorded under this id",
                ));
            }
            LearningEvent::MeetingCorrected(checked_meeting(partnership, today, meeting)?)
        }
        LearningCommand::RecordLearningEvent(held) => {
            not_recorded(learning, held.learning_event_id)?;
            LearningEvent::LearningEventRecorded(checked_learning_event(
                learning,
                partnership,
                today,
                held,
            )?)
        }
        LearningCommand::CorrectLearningEvent(held) => {
            if !learning.has_learning_event(held.learning_event_id) {
                return Err(DomainError::not_found(
                    "learning_event.not_found",
                    "no learning event is recorded under this id",
                ));
            }
            LearningEvent::LearningEventCorrected(checked_learning_event(
                learning,
                partnership,
                today,
                held,
            )?)
        }
        LearningCommand::RecordContribution(line) => {
            not_recorded(learning, line.line_id)?;
            DomainError::all_fields([
                supported_year(line.financial_year).err(),
                amount(line.amount_pence).err(),
                registered(partnership, "organisation", [&line.organisation]).err(),
            ])?;
            LearningEvent::ContributionRecorded(line.clone())
        }
        LearningCommand::RecordSpending(line) => {
            not_recorded(learning, line.line_id)?;
            DomainError::all_fields([
                supported_year(line.financial_year).err(),
                amount(line.amount_pence).err(),
            ])?;
            LearningEvent::SpendingRecorded(line.clone())
        }
        LearningCommand::WithdrawBudgetLine { line_id } => {
            if !learning.has_budget_line(*line_id) {
                return Err(DomainError::not_found(
                    "budget_line.not_found",
                    "no budget line stands under this id",
                ));
            }
            LearningEvent::BudgetLineWithdrawn { line_id: *line_id }
        }
    };
    Ok(vec![event])
}

/// A meeting as recorded or corrected: held by today, attended by registered organisations,
/// discussing at most [`MAX_DISCUSSED`] cases and recommendations.
fn checked_meeting(
    partnership: &Partnership,
    today: NaiveDate,
    meeting: &Meeting,
) -> Result<Meeting, DomainError> {
    DomainError::all_fields([
        held_by(today, "held_on", meeting.held_on).err(),
        participants(partnership, &meeting.attendance, &meeting.attendees).err(),
        (meeting.discussed.len() > MAX_DISCUSSED).then(|| {
            DomainError::invalid_field(
                "discussed",
                "field.invalid",
                format!("a meeting lists at most {MAX_DISCUSSED} cases and recommendations"),
            )
        }),
    ])?;
    Ok(meeting.clone())
}

/// A learning event as recorded or corrected: a topic, held by today, attended by registered
/// organisations, its themes active, its evaluation by no more than attended.
fn checked_learning_event(
    learning: &Learning,
    partnership: &Partnership,
    today: NaiveDate,
    held: &LearningEventHeld,
) -> Result<LearningEventHeld, DomainError> {
    let topic = text("topic", &held.topic, MAX_TOPIC_CHARS);
    DomainError::all_fields([
        topic.as_ref().err().cloned(),
        held_by(today, "held_on", held.held_on).err(),
        participants(partnership, &held.attendance, &held.attendees).err(),
        active_themes(learning, "themes", &held.themes).err(),
        held.evaluation.as_ref().and_then(|evaluation| {
            let responses = evaluation.responses();
            let attended: u64 = held.attendance.iter().map(|a| u64::from(a.people)).sum();
            (responses == 0 || responses > attended).then(|| {
                DomainError::invalid_field(
                    "evaluation.responses_by_score",
                    "field.invalid",
                    "an evaluation has at least one response and no more than attended",
                )
            })
        }),
    ])?;
    Ok(LearningEventHeld {
        topic: topic?,
        ..held.clone()
    })
}

fn theme_not_found() -> DomainError {
    DomainError::not_found("theme.not_found", "no such theme")
}

/// Trimmed text of 1 to `max` characters.
fn text(field: &str, value: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(DomainError::invalid_field(
            field,
            "field.invalid",
            format!("{field} must be 1 to {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

fn not_recorded(learning: &Learning, id: Uuid) -> Result<(), DomainError> {
    if learning.has_record(id) {
        return Err(DomainError::conflict(
            "learning.already_recorded",
            "a record with this id is already in the partnership's learning record",
        ));
    }
    Ok(())
}

/// A day in the calendar's years, not after today: a meeting is recorded once held.
fn held_by(today: NaiveDate, field: &str, day: NaiveDate) -> Result<(), DomainError> {
    if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&day.year()) {
        return Err(DomainError::invalid_field(
            field,
            "calendar.date_out_of_range",
            format!("{field} must fall in {FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}"),
        ));
    }
    if day > today {
        return Err(DomainError::invalid_field(
            field,
            "date.in_future",
            format!("{field} is after today: record it once it has happened"),
        ));
    }
    Ok(())
}

fn supported_year(year: FinancialYear) -> Result<(), DomainError> {
    let start = year.start_on().year();
    if (FIRST_SUPPORTED_YEAR..LAST_SUPPORTED_YEAR).contains(&start) {
        Ok(())
    } else {
        Err(DomainError::invalid_field(
            "financial_year",
            "calendar.date_out_of_range",
            format!(
                "financial_year must start in {FIRST_SUPPORTED_YEAR} to {}",
                LAST_SUPPORTED_YEAR - 1
            ),
        ))
    }
}

fn amount(pence: i64) -> Result<(), DomainError> {
    if (1..=MAX_PENCE).contains(&pence) {
        Ok(())
    } else {
        Err(DomainError::invalid_field(
            "amount_pence",
            "field.invalid",
            format!("amount_pence must be 1 to {MAX_PENCE}"),
        ))
    }
}

/// Every organisation registered in the partnership (a retired one still was).
fn registered<'a>(
    partnership: &Partnership,
    field: &str,
    organisations: impl IntoIterator<Item = &'a OrgSlug>,
) -> Result<(), DomainError> {
    for org in organisations {
        if partnership.organisation(org).is_none() {
            return Err(DomainError::invalid_field(
                field,
                "organisation.unknown",
                format!("{org} is not an organisation of the partnership"),
            ));
        }
    }
    Ok(())
}

/// Who attended: at least one organisation, each once and registered, each bringing 1 to
/// 10,000 people; no more people named than attended.
fn participants(
    partnership: &Partnership,
    attendance: &[Attendance],
    attendees: &SortedSet<PersonRef>,
) -> Result<(), DomainError> {
    let invalid =
        |field: &str, detail: String| DomainError::invalid_field(field, "field.invalid", detail);
    if attendance.is_empty() || attendance.len() > MAX_PARTICIPANTS {
        return Err(invalid(
            "attendance",
            format!("attendance lists 1 to {MAX_PARTICIPANTS} organisations"),
        ));
    }
    let mut seen = BTreeSet::new();
    for entry in attendance {
        if !seen.insert(&entry.organisation) {
            return Err(invalid(
                "attendance",
                format!("{} is listed twice", entry.organisation),
            ));
        }
        if !(1..=MAX_PEOPLE_PER_ORGANISATION).contains(&entry.people) {
            return Err(invalid(
                "attendance.people",
                format!("people must be 1 to {MAX_PEOPLE_PER_ORGANISATION}"),
            ));
        }
    }
    registered(partnership, "attendance", seen)?;
    let attended: u64 = attendance.iter().map(|a| u64::from(a.people)).sum();
    if attendees.len() > MAX_PARTICIPANTS || attendees.len() as u64 > attended {
        return Err(invalid(
            "attendees",
            format!("attendees names at most {MAX_PARTICIPANTS} people, and no more than attended"),
        ));
    }
    Ok(())
}

/// Themes on the list and not retired.
fn active_themes(
    learning: &Learning,
    field: &str,
    themes: &SortedSet<ThemeSlug>,
) -> Result<(), DomainError> {
    match themes.iter().find(|t| !learning.is_active_theme(t)) {
        None => Ok(()),
        Some(theme) => Err(DomainError::invalid_field(
            field,
            "theme.unknown",
            format!("{theme} is not an active theme of the partnership"),
        )),
    }
}
