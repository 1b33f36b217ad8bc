//! `--changes`: what the first read after a change of the partnership costs. The read models
//! keep each case's deadlines and the orders by due instant for as long as what the deadlines
//! read of the partnership (its settings, its calendar, its statutory partners) stays the same;
//! a change of it makes the next read compute every case's deadlines again and place them.

use super::{PAGE, actor, millis};
use casetrail_app::queries::{CaseFilters, CaseSort, DeadlineFilters, case_page, deadline_page};
use casetrail_domain::OrgSlug;
use casetrail_domain::Role;
use casetrail_domain::partnership::{ClockStart, OrgKind, Organisation, PartnershipEvent};
use casetrail_projections::ReadModels;
use casetrail_seed::life_cycle::{StreamEvent, partnership_slug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Duration, Utc};
use std::hint::black_box;
use std::time::Instant;

/// Applies each change in turn to the folded `models` and times the first page of the
/// deadline list and of the case list by next due instant after it.
pub fn after_changes(models: &mut ReadModels, cases: usize, now: DateTime<Utc>) {
    let partner = actor("police", Role::Reviewer);
    let deadlines = DeadlineFilters::first_page(PAGE);
    let by_next_due = CaseFilters {
        sort: CaseSort::NextDueAt,
        ..CaseFilters::first_page(PAGE)
    };
    // Once before the changes, so that each change is timed against kept deadlines.
    black_box(deadline_page(models, &partner, &deadlines, now));
    println!();
    println!(
        "| cases | change of the partnership | first deadline page after it | first case page by next due after it |"
    );
    println!("|---:|---|---:|---:|");
    for (name, change) in changes(models, now) {
        apply(models, change, now);
        let started = Instant::now();
        black_box(deadline_page(models, &partner, &deadlines, now));
        let deadline_page_took = started.elapsed();
        let started = Instant::now();
        black_box(case_page(models, &partner, &by_next_due, now));
        let case_page_took = started.elapsed();
        println!(
            "| {cases} | {name} | {} | {} |",
            millis(deadline_page_took),
            millis(case_page_took)
        );
    }
}

/// The changes, each one a partnership sees in its life: an agency joins, an agency leaves,
/// the close of business moves, a bank holiday is proclaimed for next month.
fn changes(models: &ReadModels, now: DateTime<Utc>) -> Vec<(&'static str, PartnershipEvent)> {
    let slug = partnership_slug(0);
    let mut settings = models
        .partnership(&slug)
        .expect("the folded partnership")
        .settings
        .clone();
    // Another clock start than the present one: a change, whatever the log left.
    settings.rapid_review_clock_start = match settings.rapid_review_clock_start {
        ClockStart::BecameAware => ClockStart::Initiation,
        _ => ClockStart::BecameAware,
    };
    let joining = OrgSlug::parse("youth-offending-team").expect("a valid slug");
    vec![
        (
            "an agency joins",
            PartnershipEvent::OrganisationRegistered(Organisation {
                slug: joining.clone(),
                name: "Youth Offending Team".to_owned(),
                kind: OrgKind::CriminalJustice,
            }),
        ),
        (
            "an agency leaves",
            PartnershipEvent::OrganisationRetired { slug: joining },
        ),
        (
            "the rapid review's clock start changes",
            PartnershipEvent::PartnershipSettingsChanged(settings),
        ),
        (
            "a bank holiday is proclaimed for next month",
            PartnershipEvent::BankHolidayDeclared {
                date: (now + Duration::days(30)).date_naive(),
                name: "Proclaimed bank holiday".to_owned(),
                declared_at: now,
                correction: None,
            },
        ),
    ]
}

/// Folds `event` as the partnership's next fact, recorded at `now`.
fn apply(models: &mut ReadModels, event: PartnershipEvent, now: DateTime<Utc>) {
    let slug = partnership_slug(0);
    let version = models.partnership_version(&slug).unwrap_or(0) + 1;
    let position = models.position() + 1;
    let fact = StreamEvent::Partnership(slug, event);
    let (stream_id, (event_type, data)) = fact.encoded();
    let event_id = uuid::Uuid::from_u128(u128::from(position));
    let recorded = RecordedEvent {
        position,
        stream_id,
        stream_version: version,
        event_id,
        schema_version: casetrail_domain::codec::schema_version(&event_type),
        metadata: fact.metadata(event_id, position),
        event_type,
        data,
        recorded_at: now,
        prev_hash: [0; 32],
        hash: [0; 32],
    };
    models.apply(&recorded).expect("a partnership's fact folds");
}
