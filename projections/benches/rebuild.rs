//! Rebuilding the read models from the log, and reading a case as the API does.
//!
//! `cargo bench -p casetrail-projections --bench rebuild -- [--events N]` (default 1,000,000):
//! generates N events of realistic case life cycles in memory (`casetrail_seed`, fixed seed),
//! rebuilds the read models with `ReadModels::apply` (best of 3), reports the resident memory
//! after the rebuild, then times 100,000 random case reads (look-up, deadlines, their status,
//! JSON). Reading the log from a database is measured by `bench/startup` instead.

#![allow(clippy::unwrap_used)]

use casetrail_domain::CaseId;
use casetrail_domain::PartnershipSlug;
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::{LogWriter, Rng, StreamEvent};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

const PARTNERSHIPS: usize = 50;
/// Cases under way at once across all partnerships.
const OPEN_CASES: usize = 2_000;
const READS: usize = 100_000;

fn main() {
    let events = events_arg().unwrap_or(1_000_000);
    let rss_start = casetrail_testkit::process::resident_kib();

    let started = Instant::now();
    let (log, cases) = generate(events, 0x00C0_FFEE);
    let generated_in = started.elapsed();
    let rss_log = casetrail_testkit::process::resident_kib();

    let mut runs = Vec::new();
    let mut models = ReadModels::default();
    for _ in 0..3 {
        // The previous run's models are freed before the next is built.
        models = ReadModels::default();
        let started = Instant::now();
        for event in &log {
            models.apply(event).unwrap();
        }
        models.compact(0);
        runs.push(started.elapsed().as_secs_f64());
    }
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let rss_models = casetrail_testkit::process::resident_kib();

    let now = log.last().map_or_else(Utc::now, |e| e.recorded_at);
    let mut rng = Rng::new(7);
    let reads = time_each(READS, || {
        let (slug, case_id) = &cases[rng.below(cases.len() as u64) as usize];
        read_case(&models, slug, *case_id, now)
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
        .map(|r| r.marks.len())
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
}

/// `--events N`; other arguments (cargo passes `--bench`) are ignored.
fn events_arg() -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == "--events")?;
    let value = args.get(at + 1)?.replace(['_', ','], "");
    Some(value.parse().expect("--events takes a number"))
}

/// A log of `events` events from the seed generator's workload: partnerships set up first,
/// then cases opened, advanced and closed interleaved, with the odd partnership change; a
/// case's commands often append several events in one commit (same `recorded_at`).
fn generate(events: usize, seed: u64) -> (Vec<RecordedEvent>, Vec<(PartnershipSlug, CaseId)>) {
    let workload = Workload {
        partnerships: PARTNERSHIPS,
        cases: events,
        open_cases: OPEN_CASES,
        seed,
    };
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut cases = Vec::new();
    let mut seen = HashSet::new();
    let log = workload
        .events()
        .take(events)
        .map(|(event, gap)| {
            if let StreamEvent::Case(slug, case_id, _) = &event
                && seen.insert(*case_id)
            {
                cases.push((slug.clone(), *case_id));
            }
            writer.append(&event, gap)
        })
        .collect();
    (log, cases)
}

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
