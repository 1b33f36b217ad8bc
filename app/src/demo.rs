//! The demo partnership from the seeds (Southend Safeguarding Partnership arrangements,
//! Appendix A), created on first start so a new instance has someone to act as.

use crate::bus::CommandBus;
use casetrail_domain::metadata::{EventMetadata, MetadataActor};
use casetrail_domain::partnership::{
    OrgKind, Organisation, Partnership, PartnershipCommand, PartnershipSettings, decide,
};
use casetrail_domain::stream::partnership_stream;
use casetrail_domain::{OrgSlug, PartnershipSlug};
use casetrail_store::EventStore;
use uuid::Uuid;

/// The demo partnership's slug.
pub const DEMO_PARTNERSHIP: &str = "southend";

const ORGANISATIONS: &[(&str, &str, OrgKind)] = &[
    (
        "southend-council",
        "Southend Borough Council",
        OrgKind::LocalAuthority,
    ),
    ("essex-police", "Essex Police", OrgKind::Police),
    (
        "southend-ccg",
        "Southend Clinical Commissioning Group",
        OrgKind::Health,
    ),
    (
        "suhft",
        "Southend University Hospital NHS Foundation Trust",
        OrgKind::HealthProvider,
    ),
    (
        "nhs-england",
        "NHS England and NHS Improvement",
        OrgKind::HealthProvider,
    ),
    (
        "nelft",
        "North East London NHS Foundation Trust",
        OrgKind::HealthProvider,
    ),
    (
        "eput",
        "Essex Partnership University NHS Foundation Trust",
        OrgKind::HealthProvider,
    ),
    (
        "east-of-england-ambulance",
        "East of England Ambulance Service",
        OrgKind::HealthProvider,
    ),
    (
        "essex-crc",
        "Essex Community Rehabilitation Company",
        OrgKind::CriminalJustice,
    ),
    (
        "national-probation-service",
        "National Probation Service",
        OrgKind::CriminalJustice,
    ),
    (
        "cafcass",
        "Children and Family Court Advisory and Support Service",
        OrgKind::CriminalJustice,
    ),
    (
        "southend-schools",
        "Schools, colleges and educational providers in Southend",
        OrgKind::Education,
    ),
    (
        "a-better-start",
        "Pre-School Learning Alliance / A Better Start",
        OrgKind::Voluntary,
    ),
    (
        "savs",
        "Southend Association of Voluntary Services",
        OrgKind::Voluntary,
    ),
    (
        "southend-community-hubs",
        "Southend Community Hubs",
        OrgKind::Voluntary,
    ),
    (
        "essex-fire-rescue",
        "Essex County Fire and Rescue Service",
        OrgKind::Other,
    ),
    ("border-force", "Border Force", OrgKind::Other),
    (
        "british-transport-police",
        "British Transport Police",
        OrgKind::Other,
    ),
];

/// Creates the demo partnership unless it exists. Safe to run on every start and from
/// several replicas at once: the events have fixed ids, so a second attempt writes nothing.
pub async fn ensure_demo_partnership(store: &dyn EventStore) -> anyhow::Result<()> {
    let slug = PartnershipSlug::parse(DEMO_PARTNERSHIP)?;
    let mut organisations = Vec::with_capacity(ORGANISATIONS.len());
    for (org, name, kind) in ORGANISATIONS {
        organisations.push(Organisation {
            slug: OrgSlug::parse(org)?,
            name: (*name).to_owned(),
            kind: *kind,
        });
    }
    let command = PartnershipCommand::EstablishPartnership {
        slug: slug.clone(),
        name: "Southend Safeguarding Partnership".to_owned(),
        settings: PartnershipSettings::default(),
        organisations,
    };
    // The bootstrap changes no calendar: the instant only dates the decision.
    let events = decide(None, &command, None, chrono::Utc::now())?;
    let metadata = EventMetadata {
        actor: MetadataActor {
            user: "system".to_owned(),
            name: "Casetrail demo data".to_owned(),
            org: None,
            roles: Vec::new(),
        },
        partnership: Some(slug.clone()),
        command: command.name().to_owned(),
        correlation_id: Some(Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            b"casetrail/demo/southend",
        )),
        ..EventMetadata::default()
    };
    CommandBus::record_as_system::<Partnership>(
        store,
        partnership_stream(&slug),
        &events,
        &metadata,
        |n| {
            Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("casetrail/demo/southend/{n}").as_bytes(),
            )
        },
    )
    .await
    .map_err(|err| anyhow::anyhow!(err))
}
