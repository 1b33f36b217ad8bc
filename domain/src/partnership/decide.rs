//! Commands on a partnership.

use super::{Organisation, Partnership, PartnershipEvent, PartnershipSettings};
use crate::{DomainError, PartnershipSlug};

/// A command on a partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnershipCommand {
    /// Sets up a partnership with its first organisations (bootstrap from the seeds, or admin).
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
}

/// Decides a partnership command against the current state.
pub fn decide(
    state: Option<&Partnership>,
    command: &PartnershipCommand,
) -> Result<Vec<PartnershipEvent>, DomainError> {
    match command {
        PartnershipCommand::EstablishPartnership {
            slug,
            name,
            settings,
            organisations,
        } => {
            if state.is_some() {
                return Err(DomainError::conflict(
                    "partnership.already_established",
                    "the partnership is already established",
                ));
            }
            for partner in [
                super::StatutoryPartner::LocalAuthority,
                super::StatutoryPartner::Police,
                super::StatutoryPartner::Health,
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
                name: name.clone(),
                settings: settings.clone(),
            }];
            let mut seen = std::collections::BTreeSet::new();
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
    }
}
