//! Where the read models' memory goes, part by part (issue 15, goal 3).
//!
//! `cargo bench -p casetrail-projections --bench memory -- [--cases 30000] [--partnerships 5]
//! [--seed 1]`: folds the log `casetrail seed` writes with the same arguments (generated in
//! memory) under a counting allocator, compacts the models as a start-up does, and prints the
//! bytes each part holds: the bytes asked of the allocator, not resident memory (the allocator's
//! own rounding and spare pages come on top; `bench/soak` measures the server's resident memory).
//! A part is measured by the bytes a copy of it takes, which holds every vector at its length,
//! as compacted models do; "orders, look-ups and partnerships" is what is left of the whole, so
//! only approximate (a copy can take a little more than its original, or less).
//! Last, every case's deadlines are read once, as the first page of the deadline list does,
//! and what the models keep of them is measured.

#![allow(clippy::unwrap_used)]

use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static COUNTED: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not yet freed. (The counter counts a reallocation in the allocated or
/// freed bytes already.)
fn live() -> i64 {
    let stats = COUNTED.stats();
    i64::try_from(stats.bytes_allocated).unwrap() - i64::try_from(stats.bytes_deallocated).unwrap()
}

/// The bytes `make` leaves allocated while what it made is kept.
fn held<T>(make: impl FnOnce() -> T) -> i64 {
    let before = live();
    let made = make();
    let bytes = live() - before;
    drop(made);
    bytes
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|at| args.get(at + 1))
            .map_or(default, |v| v.parse().unwrap())
    };
    let workload = Workload {
        partnerships: usize::try_from(arg("--partnerships", 5)).unwrap(),
        cases: usize::try_from(arg("--cases", 30_000)).unwrap(),
        // As `casetrail seed` does.
        open_cases: 2_000,
        seed: arg("--seed", 1),
    };
    let start = live();
    let mut models = ReadModels::default();
    for event in workload.recorded("2021-01-04T09:00:00Z".parse().unwrap()) {
        models.apply(&event).unwrap();
    }
    let folded = live() - start;
    let compacting = std::time::Instant::now();
    models.compact(0);
    let compacting = compacting.elapsed();
    let whole = live() - start;
    let events = models.position();
    let slugs: Vec<_> = models.partnership_slugs().into_iter().cloned().collect();
    let records = || slugs.iter().flat_map(|slug| models.cases(slug));
    let cases = records().count();

    let audit = held(|| models.audit().clone());
    let case_records = held(|| records().cloned().collect::<Vec<_>>());
    let states = held(|| records().map(|r| r.case.clone()).collect::<Vec<_>>());
    let marks = held(|| records().map(|r| r.marks.clone()).collect::<Vec<_>>());
    let learning_now = held(|| {
        slugs
            .iter()
            .filter_map(|slug| models.learning(slug).cloned())
            .collect::<Vec<_>>()
    });
    let learning_tags = held(|| {
        slugs
            .iter()
            .filter_map(|slug| models.learning(slug).map(|l| l.tags.clone()))
            .collect::<Vec<_>>()
    });
    let learning_gatherings = held(|| {
        slugs
            .iter()
            .filter_map(|slug| {
                models
                    .learning(slug)
                    .map(|l| (l.meetings.clone(), l.learning_events.clone()))
            })
            .collect::<Vec<_>>()
    });
    let learning_history = held(|| {
        slugs
            .iter()
            .flat_map(|slug| {
                models.learning_history(slug, chrono::DateTime::<chrono::Utc>::MAX_UTC)
            })
            .cloned()
            .collect::<Vec<_>>()
    });
    let rest = whole - audit - case_records - learning_now - learning_history;

    println!(
        "{events} events, {cases} cases in {} partnerships (seed {})",
        slugs.len(),
        workload.seed
    );
    println!(
        "compacting took {:.0} ms",
        compacting.as_secs_f64() * 1000.0
    );
    println!();
    println!("| part | MiB | bytes an event | bytes a case |");
    println!("|---|---:|---:|---:|");
    let row = |part: &str, bytes: i64| {
        println!(
            "| {part} | {:.1} | {:.0} | {:.0} |",
            mib(bytes),
            per(bytes, events),
            per(bytes, cases as u64)
        );
    };
    row("the read models, folded", folded);
    row("the read models, compacted", whole);
    row("- case records", case_records);
    row("  - of which the cases' state", states);
    row("  - of which where each event sits (marks)", marks);
    row("- audit trail", audit);
    row("- learning records as they stand", learning_now);
    row("  - of which the themes tagged", learning_tags);
    row(
        "  - of which meetings and learning events",
        learning_gatherings,
    );
    row("- learning records' history", learning_history);
    row("- orders, look-ups and partnerships", rest);

    let mut deadlines = 0;
    let kept = held(|| {
        for slug in &slugs {
            let partnership = models.partnership(slug).unwrap();
            let generation = models.deadline_generation(slug);
            for record in models.cases(slug) {
                deadlines += record.present_deadlines(partnership, generation).len();
            }
        }
    });
    row("deadlines kept once every case's are read", kept);
    println!();
    println!(
        "{deadlines} deadlines kept ({:.1} a case, {:.0} bytes each)",
        per(deadlines as i64, cases as u64),
        per(kept, deadlines as u64)
    );
}

fn mib(bytes: i64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn per(amount: i64, each: u64) -> f64 {
    amount as f64 / each.max(1) as f64
}
