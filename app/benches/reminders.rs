//! What a reminder pass costs (issue 15): the reminder service looks at every case once a
//! minute (`casetrail_app::reminders`), in process (no store, no HTTP).
//!
//! `cargo bench -p casetrail-app --bench reminders -- [--cases 30000] [--partnerships 5]
//! [--seed 1] [--runs 3]`: folds the log `casetrail seed` writes with the same arguments (the
//! soak's log by default), then runs, an hour after its last event: a first pass (every notice
//! the seeded history owes, which the bench then records as the service does); a pass computing
//! every case's deadlines, as every pass did before passes learned to pass over settled cases;
//! and passes that pass over the cases the one before found settled, as the service's do now.

#![allow(clippy::unwrap_used)]

use casetrail_app::reminders::{SettledCases, every_case, notice_request, owed_now};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::LogWriter;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|at| args.get(at + 1))
            .map_or(default, |v| v.replace('_', "").parse().unwrap())
    };
    let workload = Workload {
        partnerships: usize::try_from(arg("--partnerships", 5)).unwrap(),
        cases: usize::try_from(arg("--cases", 30_000)).unwrap(),
        // As `casetrail seed` does.
        open_cases: 2_000,
        seed: arg("--seed", 1),
    };
    let runs = arg("--runs", 3);
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut models = ReadModels::default();
    for (event, gap) in workload.events() {
        models.apply(&writer.append(&event, gap)).unwrap();
    }
    let now = writer.recorded_at() + chrono::Duration::hours(1);
    let cases = every_case(&models);
    println!(
        "{} events, {} cases in {} partnerships (seed {}); passes at {now}",
        models.position(),
        cases.len(),
        workload.partnerships,
        workload.seed
    );
    println!();
    println!("| pass | cases computed | notices owed | time |");
    println!("|---|---:|---:|---:|");
    let pass = |models: &ReadModels, last: &SettledCases| {
        let started = Instant::now();
        let mut settled = SettledCases::default();
        let due = owed_now(models, &cases, now, last, &mut settled);
        (due, settled, started.elapsed())
    };
    let row = |what: &str, computed: usize, owed: usize, took: Duration| {
        println!(
            "| {what} | {computed} | {owed} | {:.1} ms |",
            took.as_secs_f64() * 1000.0
        );
    };

    let (due, mut last, took) = pass(&models, &SettledCases::default());
    row("first, on the seeded history", cases.len(), due.len(), took);
    for (slug, notice) in &due {
        let mut request = notice_request(slug, notice);
        let event = request.events.pop().unwrap();
        models
            .apply(&writer.append_new(&request.stream_id, event, now))
            .unwrap();
    }
    for _ in 0..runs {
        let (due, settled, took) = pass(&models, &SettledCases::default());
        row("computing every case", cases.len(), due.len(), took);
        last = settled;
    }
    for _ in 0..runs {
        let (due, settled, took) = pass(&models, &last);
        let computing = cases.len() - settled.passed_over();
        row("passing over settled cases", computing, due.len(), took);
        last = settled;
    }
    println!();
    println!("{} cases settled for good", last.len());
}
