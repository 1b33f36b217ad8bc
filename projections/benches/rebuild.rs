//! Rebuilding the read models from the log, and reading a case as the API does.
//!
//! `cargo bench -p casetrail-projections --bench rebuild -- [--events N]` (default 1,000,000):
//! generates N events of realistic case life cycles in memory (fixed seed), rebuilds the read
//! models with `ReadModels::apply` (best of 3), reports the resident memory after the rebuild,
//! then times 100,000 random case reads (look-up, deadlines, their status, JSON) and as many
//! `CaseRecord::as_of` calls at a random instant of each case's life.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/life_cycle.rs"]
mod life_cycle;

use casetrail_domain::CaseId;
use casetrail_domain::PartnershipSlug;
use casetrail_domain::case::CaseEvent;
use casetrail_projections::ReadModels;
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Duration, Utc};
use life_cycle::{
    LogWriter, Rng, StreamEvent, case_life_cycle, partnership_change, partnership_opening,
    partnership_slug,
};
use std::hint::black_box;
use std::time::Instant;

const PARTNERSHIPS: usize = 50;
/// Cases under way at once across all partnerships.
const OPEN_CASES: usize = 2_000;
const READS: usize = 100_000;

fn main() {
    let events = events_arg().unwrap_or(1_000_000);
    let rss_start = rss_kib();

    let started = Instant::now();
    let (log, cases) = generate(events, &mut Rng::new(0x00C0_FFEE));
    let generated_in = started.elapsed();
    let rss_log = rss_kib();

    let mut runs = Vec::new();
    let mut models = ReadModels::default();
    for _ in 0..3 {
        // The previous run's models are freed before the next is built.
        models = ReadModels::default();
        let started = Instant::now();
        for event in &log {
            models.apply(event).unwrap();
        }
        runs.push(started.elapsed().as_secs_f64());
    }
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let rss_models = rss_kib();

    let now = log.last().map_or_else(Utc::now, |e| e.recorded_at);
    let mut rng = Rng::new(7);
    let reads = time_each(READS, || {
        let (slug, case_id) = &cases[rng.below(cases.len() as u64) as usize];
        read_case(&models, slug, *case_id, now)
    });
    let mut rng = Rng::new(11);
    let travels = time_each(READS, || {
        let (slug, case_id) = &cases[rng.below(cases.len() as u64) as usize];
        let record = models.case(slug, *case_id).unwrap();
        let span = (record.updated_at - record.opened_recorded_at)
            .num_microseconds()
            .unwrap_or(0)
            .max(0) as u64;
        let t = record.opened_recorded_at + Duration::microseconds(rng.below(span + 1) as i64);
        record.as_of(t).map_or(0, |r| r.version)
    });

    let mib = |kib: Option<u64>| {
        kib.map_or("n/a".to_owned(), |k| {
            format!("{:.0} MiB", k as f64 / 1024.0)
        })
    };
    let delta = match (rss_log, rss_models) {
        (Some(a), Some(b)) => format!("{:.0} MiB", b.saturating_sub(a) as f64 / 1024.0),
        _ => "n/a".to_owned(),
    };
    let case_events: usize = cases
        .iter()
        .filter_map(|(slug, id)| models.case(slug, *id))
        .map(|r| r.history.len())
        .sum();
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| events in the log | {} |", log.len());
    println!(
        "| partnerships / cases | {PARTNERSHIPS} / {} ({:.1} events per case) |",
        cases.len(),
        case_events as f64 / cases.len() as f64
    );
    println!(
        "| generating the log | {:.2} s |",
        generated_in.as_secs_f64()
    );
    println!(
        "| rebuild, best of 3 | {best:.3} s (runs: {}) |",
        runs.iter()
            .map(|r| format!("{r:.3} s"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("| rebuild rate | {:.0} events/s |", log.len() as f64 / best);
    println!("| VmRSS at start | {} |", mib(rss_start));
    println!("| VmRSS with the log in memory | {} |", mib(rss_log));
    println!(
        "| VmRSS after the rebuild (log + models) | {} |",
        mib(rss_models)
    );
    println!("| VmRSS growth from the rebuild (≈ models) | {delta} |");
    println!(
        "| case read (look-up + deadlines + status + JSON), median / p99 | {} / {} |",
        micros(percentile(&reads, 50)),
        micros(percentile(&reads, 99))
    );
    println!(
        "| `CaseRecord::as_of(t)`, t random in the case's life, median / p99 | {} / {} |",
        micros(percentile(&travels, 50)),
        micros(percentile(&travels, 99))
    );
}

/// `--events N`; other arguments (cargo passes `--bench`) are ignored.
fn events_arg() -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == "--events")?;
    let value = args.get(at + 1)?.replace(['_', ','], "");
    Some(value.parse().expect("--events takes a number"))
}

/// A log of `events` events: partnerships set up first, then cases opened, advanced and closed
/// interleaved as a busy service would see them, with the odd partnership change; a case's
/// commands often append several events in one commit (same `recorded_at`).
fn generate(events: usize, rng: &mut Rng) -> (Vec<RecordedEvent>, Vec<(PartnershipSlug, CaseId)>) {
    let start: DateTime<Utc> = "2021-01-04T09:00:00Z".parse().unwrap();
    let mut writer = LogWriter::new(start);
    let mut log = Vec::with_capacity(events);
    let slugs: Vec<PartnershipSlug> = (0..PARTNERSHIPS).map(partnership_slug).collect();
    for slug in &slugs {
        for event in partnership_opening(slug) {
            let event = StreamEvent::Partnership(slug.clone(), event);
            log.push(writer.append(&event, Duration::seconds(1)));
        }
    }
    let mut cases = Vec::new();
    let mut open: Vec<(PartnershipSlug, CaseId, std::vec::IntoIter<CaseEvent>)> = Vec::new();
    while log.len() < events {
        let gap = if rng.chance(25) {
            Duration::zero()
        } else {
            Duration::seconds(1 + rng.below(120) as i64)
        };
        let event = if rng.chance(1) {
            let slug = slugs[rng.below(PARTNERSHIPS as u64) as usize].clone();
            StreamEvent::Partnership(slug, partnership_change(rng, writer.recorded_at()))
        } else {
            let opening = open.len() < OPEN_CASES && (open.is_empty() || rng.chance(5));
            let at = if opening {
                let slug = slugs[rng.below(PARTNERSHIPS as u64) as usize].clone();
                let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(
                    u128::from(rng.next_u64()) << 64 | cases.len() as u128,
                ));
                let mut life = case_life_cycle(rng, case_id, writer.recorded_at());
                // Most cases run their course; some are still under way when the log ends.
                if rng.chance(15) {
                    life.truncate(1 + rng.below(life.len() as u64) as usize);
                }
                cases.push((slug.clone(), case_id));
                open.push((slug, case_id, life.into_iter()));
                open.len() - 1
            } else {
                rng.below(open.len() as u64) as usize
            };
            let (slug, case_id, life) = &mut open[at];
            let next = life.next().expect("open cases have events left");
            let event = StreamEvent::Case(slug.clone(), *case_id, next);
            if life.len() == 0 {
                open.swap_remove(at);
            }
            event
        };
        log.push(writer.append(&event, gap));
    }
    (log, cases)
}

/// A case read as `GET /cases/{id}` does it, minus HTTP: the record, its partnership, every
/// deadline with its status now, serialised.
fn read_case(
    models: &ReadModels,
    slug: &PartnershipSlug,
    case_id: CaseId,
    now: DateTime<Utc>,
) -> usize {
    let record = models.case(slug, case_id).unwrap();
    let partnership = models.partnership(slug).unwrap();
    let deadlines: Vec<_> = record
        .case
        .deadlines(partnership)
        .into_iter()
        .map(|d| {
            let status = d.status(now, &partnership.calendar);
            (d, status)
        })
        .collect();
    serde_json::to_vec(&deadlines).unwrap().len()
}

/// Times `n` calls one by one, in nanoseconds, sorted.
fn time_each<T>(n: usize, mut call: impl FnMut() -> T) -> Vec<u64> {
    let mut times: Vec<u64> = (0..n)
        .map(|_| {
            let started = Instant::now();
            black_box(call());
            started.elapsed().as_nanos() as u64
        })
        .collect();
    times.sort_unstable();
    times
}

fn percentile(sorted: &[u64], p: usize) -> u64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn micros(nanos: u64) -> String {
    format!("{:.1} µs", nanos as f64 / 1000.0)
}

/// The process's resident memory in KiB, from `/proc/self/status` (Linux only).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
