//! Establishing a partnership: the operator's first act on a production instance, which
//! starts with no partnership (the demo one is created only in development mode or when asked
//! for). The charter names the partnership, its founding organisations (the three statutory
//! partners among them) and optionally its settings; the operator who established it is
//! recorded in the event.

use crate::bus::CommandBus;
use casetrail_domain::PartnershipSlug;
use casetrail_domain::metadata::{EventMetadata, MetadataActor};
use casetrail_domain::partnership::{
    Organisation, Partnership, PartnershipCommand, PartnershipSettings, decide,
};
use casetrail_domain::stream::partnership_stream;
use casetrail_store::{EventStore, StoreError};
use serde::Deserialize;
use uuid::Uuid;

/// A partnership to establish, as an operator writes it (JSON).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    /// Its slug, the `partnership` claim of its users' tokens.
    pub slug: PartnershipSlug,
    /// Its name.
    pub name: String,
    /// Its settings; the defaults of docs/rules.md when left out.
    #[serde(default)]
    pub settings: Option<PartnershipSettings>,
    /// Its founding organisations: the local authority, the police and health among them.
    pub organisations: Vec<Organisation>,
}

/// Why a partnership was not established.
#[derive(Debug, thiserror::Error)]
pub enum EstablishError {
    /// The charter breaks a rule (no statutory partner, a name too long …).
    #[error("{0}")]
    Refused(String),
    /// A partnership with this slug exists; nothing was recorded.
    #[error("the partnership {0} is already established")]
    AlreadyEstablished(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Records the partnership of `charter`, established by `operator` (an id at the operator's
/// organisation, kept in the event); returns the log position of its last event.
pub async fn establish(
    store: &dyn EventStore,
    charter: Charter,
    operator: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, EstablishError> {
    let slug = charter.slug.clone();
    let command = PartnershipCommand::EstablishPartnership {
        slug: charter.slug,
        name: charter.name,
        settings: charter.settings.unwrap_or_default(),
        organisations: charter.organisations,
    };
    let events = decide(None, &command, None, now)
        .map_err(|refusal| EstablishError::Refused(refusal.to_string()))?;
    let metadata = EventMetadata {
        actor: MetadataActor {
            user: operator.to_owned(),
            name: "casetrail establish-partnership".to_owned(),
            org: None,
            roles: Vec::new(),
        },
        partnership: Some(slug.clone()),
        command: command.name().to_owned(),
        correlation_id: Some(Uuid::now_v7()),
        ..EventMetadata::default()
    };
    match CommandBus::record_new_stream::<Partnership>(
        store,
        partnership_stream(&slug),
        &events,
        &metadata,
    )
    .await
    {
        Ok(appended) => Ok(appended.last_position),
        Err(StoreError::Conflict { .. }) => {
            Err(EstablishError::AlreadyEstablished(slug.to_string()))
        }
        Err(error) => Err(error.into()),
    }
}
