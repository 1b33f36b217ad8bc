//! What the annual report costs as the partnership grows (issue 17): the report of the busiest
//! financial year of one seeded partnership, against the annual statistics alone (which it
//! includes), in process (no HTTP).
//!
//! `cargo bench -p casetrail-app --bench report -- [--cases 10000,100000] [--runs 3]`: for each
//! size the seed generator's log (fixed seed, its learning record included: meetings, learning
//! events, the budget, themes) is folded into the read models, and each is built `runs` times;
//! the table gives the fastest and the slowest run.

#![allow(clippy::unwrap_used)]

use casetrail_app::report::{ReportInputs, annual_report, to_html};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_projections::ReadModels;
use casetrail_projections::statistics::annual_statistics;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::{LogWriter, partnership_slug};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let mut cases = vec![10_000, 100_000];
    let mut runs = 3;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--cases" => {
                cases = args
                    .next()
                    .unwrap()
                    .split(',')
                    .map(|n| n.parse().unwrap())
                    .collect();
            }
            "--runs" => runs = args.next().unwrap().parse().unwrap(),
            // cargo bench passes --bench.
            _ => {}
        }
    }
    println!(
        "| cases | events | year | statistics alone | report (figures and charts) | report as HTML |"
    );
    println!("|---:|---:|---|---:|---:|---:|");
    for n in cases {
        let workload = Workload {
            partnerships: 1,
            cases: n,
            open_cases: 2_000,
            seed: 15,
        };
        let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
        let mut models = ReadModels::default();
        for (event, gap) in workload.events() {
            models.apply(&writer.append(&event, gap)).unwrap();
        }
        let slug = partnership_slug(0);
        let at = writer.recorded_at();
        let year = *models
            .statistics_years(&slug, at)
            .iter()
            .max_by_key(|year| {
                models
                    .cases(&slug)
                    .filter(|r| FinancialYear::of(r.case.opened_at) == **year)
                    .count()
            })
            .unwrap();
        let partnership = models.partnership(&slug).unwrap();
        let as_of = writer.recorded_at();
        let cases: Vec<_> = models.cases(&slug).map(|r| &r.case).collect();
        let history: Vec<_> = models.learning_history(&slug, as_of).collect();
        let time = |work: &dyn Fn()| -> (Duration, Duration) {
            let mut times: Vec<Duration> = (0..runs)
                .map(|_| {
                    let started = Instant::now();
                    work();
                    started.elapsed()
                })
                .collect();
            times.sort();
            (times[0], times[times.len() - 1])
        };
        let statistics = time(&|| {
            black_box(annual_statistics(
                cases.iter().copied(),
                partnership,
                year,
                as_of,
            ));
        });
        let inputs = ReportInputs {
            partnership,
            cases: cases.clone(),
            learning: history.iter().map(|r| (r.position, &r.event)).collect(),
            year,
            as_of,
        };
        let report = time(&|| {
            black_box(annual_report(&inputs));
        });
        let built = annual_report(&inputs);
        let html = time(&|| {
            black_box(to_html(&built));
        });
        let ms = |(fast, slow): (Duration, Duration)| {
            format!(
                "{:.0}–{:.0} ms",
                fast.as_secs_f64() * 1e3,
                slow.as_secs_f64() * 1e3
            )
        };
        println!(
            "| {n} | {} | {year} | {} | {} | {} |",
            writer.position(),
            ms(statistics),
            ms(report),
            ms(html)
        );
    }
}
