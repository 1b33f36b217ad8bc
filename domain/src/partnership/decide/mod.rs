//! Commands on a partnership: set-up by the system, administration by `admin` users.

use super::{Organisation, Partnership, PartnershipEvent, PartnershipSettings, StatutoryPartner};
use crate::calendar::history::Correction;
use crate::{Actor, DomainError, OrgSlug, PartnershipSlug, Role};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

mod holidays;

/// Longest organisation or holiday name accepted.
const MAX_NAME_LEN: usize = 200;

/// A command on a partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnershipCommand {
    /// Sets up a partnership with its first organisations (bootstrap from the seeds).
    EstablishPartnership {
        /// Its slug.
        slug: PartnershipSlug,
        /// Its name.
        name: String,
        /// Settings.
        settings: PartnershipSettings,
        /// Founding organisations, which must include the three statutory partners.
        organisations: Vec<Organisation>,
    },
    /// Changes the rapid review clock start, the close-of-business time and the retention
    /// periods.
    ChangePartnershipSettings(PartnershipSettings),
    /// Registers a relevant agency.
    RegisterOrganisation(Organisation),
    /// Retires an organisation (its history stays).
    RetireOrganisation {
        /// The organisation.
        slug: OrgSlug,
    },
    /// Declares a one-off bank holiday.
    DeclareBankHoliday {
        /// The day.
        date: chrono::NaiveDate,
        /// Its name.
        name: String,
        /// Marks a correction of the calendar (required for a day in the past).
        correction: Option<Correction>,
    },
    /// Withdraws a bank holiday (declared or computed): the day is worked again.
    WithdrawBankHoliday {
        /// The day.
        date: chrono::NaiveDate,
        /// Marks a correction of the calendar (required for a day in the past).
        correction: Option<Correction>,
    },
    /// Moves a bank holiday to another day, as a proclamation does.
    MoveBankHoliday {
        /// The day it is now.
        from: chrono::NaiveDate,
        /// The day it moves to.
        to: chrono::NaiveDate,
        /// Its name on the new day; the old name when absent.
        name: Option<String>,
        /// Marks a correction of the calendar (required when either day is in the past).
        correction: Option<Correction>,
    },
}

impl PartnershipCommand {
    /// The command's name, which is also its OpenAPI operationId.
    pub fn name(&self) -> &'static str {
        match self {
            PartnershipCommand::EstablishPartnership { .. } => "EstablishPartnership",
            PartnershipCommand::ChangePartnershipSettings(_) => "ChangePartnershipSettings",
            PartnershipCommand::RegisterOrganisation(_) => "RegisterOrganisation",
            PartnershipCommand::RetireOrganisation { .. } => "RetireOrganisation",
            PartnershipCommand::DeclareBankHoliday { .. } => "DeclareBankHoliday",
            PartnershipCommand::WithdrawBankHoliday { .. } => "WithdrawBankHoliday",
            PartnershipCommand::MoveBankHoliday { .. } => "MoveBankHoliday",
        }
    }
}

/// Decides a partnership command. `actor` is `None` for the system itself (the bootstrap from
/// the seeds); every other command needs an `admin` of the partnership. `now` is the instant
/// of the decision: a holiday change applies to the deadlines still pending then.
pub fn decide(
    state: Option<&Partnership>,
    command: &PartnershipCommand,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    if let PartnershipCommand::EstablishPartnership {
        slug,
        name,
        settings,
        organisations,
    } = command
    {
        return establish(state, slug, name, settings, organisations);
    }
    if !actor.is_some_and(|a| a.has(Role::Admin)) {
        return Err(DomainError::forbidden(
            "auth.role_required",
            "this command needs the role admin",
        ));
    }
    let partnership = state.ok_or_else(|| {
        DomainError::not_found(
            "partnership.not_found",
            "the partnership is not established",
        )
    })?;
    match command {
        PartnershipCommand::EstablishPartnership { .. } => Err(already_established()),
        PartnershipCommand::ChangePartnershipSettings(settings) => {
            settings.retention.validate()?;
            settings.reminders.validate()?;
            Ok(vec![PartnershipEvent::PartnershipSettingsChanged(
                settings.clone(),
            )])
        }
        PartnershipCommand::RegisterOrganisation(org) => register(partnership, org),
        PartnershipCommand::RetireOrganisation { slug } => retire(partnership, slug),
        PartnershipCommand::DeclareBankHoliday {
            date,
            name,
            correction,
        } => holidays::declare(partnership, *date, name, correction.as_ref(), now),
        PartnershipCommand::WithdrawBankHoliday { date, correction } => {
            holidays::withdraw(partnership, *date, correction.as_ref(), now)
        }
        PartnershipCommand::MoveBankHoliday {
            from,
            to,
            name,
            correction,
        } => holidays::move_holiday(
            partnership,
            (*from, *to),
            name.as_deref(),
            correction.as_ref(),
            now,
        ),
    }
}

fn already_established() -> DomainError {
    DomainError::conflict(
        "partnership.already_established",
        "the partnership is already established",
    )
}

fn check_name(field: &str, name: &str) -> Result<(), DomainError> {
    if name.trim().is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(DomainError::invalid_field(
            field,
            "field.invalid",
            format!("{field} must be 1 to {MAX_NAME_LEN} characters"),
        ));
    }
    Ok(())
}

fn establish(
    state: Option<&Partnership>,
    slug: &PartnershipSlug,
    name: &str,
    settings: &PartnershipSettings,
    organisations: &[Organisation],
) -> Result<Vec<PartnershipEvent>, DomainError> {
    if state.is_some() {
        return Err(already_established());
    }
    settings.retention.validate()?;
    settings.reminders.validate()?;
    for partner in [
        StatutoryPartner::LocalAuthority,
        StatutoryPartner::Police,
        StatutoryPartner::Health,
    ] {
        let count = organisations
            .iter()
            .filter(|org| org.kind.statutory_partner() == Some(partner))
            .count();
        if count != 1 {
            return Err(DomainError::invalid(
                "partnership.statutory_partners",
                "a partnership has exactly one local authority, one police force and one health partner",
            ));
        }
    }
    let mut events = vec![PartnershipEvent::PartnershipEstablished {
        slug: slug.clone(),
        name: name.to_owned(),
        settings: settings.clone(),
    }];
    let mut seen = BTreeSet::new();
    for org in organisations {
        if !seen.insert(&org.slug) {
            return Err(DomainError::invalid(
                "organisation.duplicate",
                format!("organisation {} is listed twice", org.slug),
            ));
        }
        events.push(PartnershipEvent::OrganisationRegistered(org.clone()));
    }
    Ok(events)
}

fn register(
    partnership: &Partnership,
    org: &Organisation,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    check_name("name", &org.name)?;
    if partnership.organisation(&org.slug).is_some() {
        return Err(DomainError::conflict(
            "organisation.already_registered",
            "an organisation with this slug is already registered",
        ));
    }
    // The three statutory partners are fixed by law; a second one of a kind would make the
    // two-of-three decision ambiguous.
    if org.kind.statutory_partner().is_some() {
        return Err(DomainError::conflict(
            "organisation.statutory_partner_exists",
            "the partnership already has this statutory partner",
        ));
    }
    Ok(vec![PartnershipEvent::OrganisationRegistered(
        Organisation {
            slug: org.slug.clone(),
            name: org.name.trim().to_owned(),
            kind: org.kind,
        },
    )])
}

fn retire(partnership: &Partnership, slug: &OrgSlug) -> Result<Vec<PartnershipEvent>, DomainError> {
    let org = partnership
        .organisation(slug)
        .ok_or_else(|| DomainError::not_found("organisation.not_found", "no such organisation"))?;
    if org.kind.statutory_partner().is_some() {
        return Err(DomainError::conflict(
            "organisation.statutory_partner",
            "a statutory partner cannot be retired",
        ));
    }
    if partnership.retired.contains(slug) {
        return Err(DomainError::conflict(
            "organisation.already_retired",
            "the organisation is already retired",
        ));
    }
    Ok(vec![PartnershipEvent::OrganisationRetired {
        slug: slug.clone(),
    }])
}

#[cfg(test)]
mod holiday_tests;
#[cfg(test)]
mod tests;
