//! What a page of the case list costs as the partnership grows (issue 15, goal 2).
//!
//! `cargo bench -p casetrail-app --bench lists -- [--cases 10000,100000] [--seconds S]
//! [--threads T]`: for each size, one partnership's log of that many cases from the seed
//! generator (fixed seed; about 2,000 under way at once) is folded into the read models, then
//! for each list below `T` threads (default 2, the machine's cores) read pages of 50 for `S`
//! seconds (default 3), walking on by cursor for up to 20 pages before starting again, so that
//! deep pages count too. Each list is read twice: through the read models' orders of the cases
//! (`case_page`, what the API answers now) and from a snapshot of every visible case
//! (`cases_from_snapshot`, what the list did before, and what `as_of` still does).
//! HTTP, JSON and the access log are not part of it: `bench/http` measures those.

#![allow(clippy::unwrap_used)]

use casetrail_app::queries::{
    CaseFilters, CasePage, CaseSort, ChangedSince, case_page, cases_from_snapshot,
};
use casetrail_domain::case::Stage;
use casetrail_domain::{Actor, OrgSlug, Role};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::partnership_slug;
use chrono::{DateTime, Utc};
use std::hint::black_box;
use std::time::{Duration, Instant};

const PAGE: usize = 50;
const PAGES_PER_WALK: usize = 20;

fn main() {
    let settings = Settings::from_args();
    println!(
        "| cases | list | read through | pages/s ({} threads) | p50 | p99 | cases a page |",
        settings.threads
    );
    println!("|---:|---|---|---:|---:|---:|---:|");
    for &cases in &settings.cases {
        let started = Instant::now();
        let (models, now, last_position) = fold(cases);
        eprintln!(
            "{cases} cases: log generated and folded in {:.1} s, {} events",
            started.elapsed().as_secs_f64(),
            last_position
        );
        for (name, actor, filters) in lists(last_position) {
            for (how, through_orders) in [("orders", true), ("snapshot", false)] {
                let read = |filters: &CaseFilters| {
                    if through_orders {
                        case_page(&models, &actor, filters, now)
                    } else {
                        cases_from_snapshot(&models, &actor, filters, None, now).unwrap()
                    }
                };
                let measured = measure(&settings, &filters, read);
                println!(
                    "| {cases} | {name} | {how} | {:.0} | {} | {} | {:.1} |",
                    measured.pages_per_second,
                    millis(measured.p50),
                    millis(measured.p99),
                    measured.cases_per_page
                );
            }
        }
    }
}

struct Settings {
    cases: Vec<usize>,
    seconds: f64,
    threads: usize,
}

impl Settings {
    /// `--cases`, `--seconds`, `--threads`; other arguments (cargo passes `--bench`) are
    /// ignored.
    fn from_args() -> Self {
        let args: Vec<String> = std::env::args().collect();
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|at| args.get(at + 1))
                .map(|v| v.replace('_', ""))
        };
        Self {
            cases: value("--cases").map_or(vec![10_000, 100_000], |list| {
                list.split(',')
                    .map(|n| n.trim().parse().expect("--cases 10000,100000"))
                    .collect()
            }),
            seconds: value("--seconds").map_or(3.0, |s| s.parse().expect("--seconds S")),
            threads: value("--threads").map_or(2, |t| t.parse().expect("--threads T")),
        }
    }
}

/// One partnership with `cases` cases, folded as the log is generated (the log itself is not
/// kept); the instant of its last event and its last position.
fn fold(cases: usize) -> (ReadModels, DateTime<Utc>, u64) {
    let workload = Workload {
        partnerships: 1,
        cases,
        open_cases: 2_000,
        seed: 0x15,
    };
    let mut models = ReadModels::default();
    let mut last = None;
    for event in workload.recorded("2021-01-04T09:00:00Z".parse().unwrap()) {
        models.apply(&event).unwrap();
        last = Some(event.recorded_at);
    }
    models.compact();
    let position = models.position();
    (models, last.unwrap(), position)
}

fn actor(org: &str, role: Role) -> Actor {
    Actor {
        user: format!("bench-{org}"),
        name: "Bench User".to_owned(),
        partnership: partnership_slug(0),
        org: OrgSlug::parse(org).unwrap(),
        roles: [role].into(),
    }
}

/// The lists read: a statutory partner's (who sees every case) and an agency's.
fn lists(last_position: u64) -> Vec<(&'static str, Actor, CaseFilters)> {
    let partner = actor("police", Role::Reviewer);
    let agency = actor("housing", Role::Notifier);
    let all = CaseFilters::first_page(PAGE);
    vec![
        ("partner, log order", partner.clone(), all.clone()),
        (
            "partner, opened latest first",
            partner.clone(),
            CaseFilters {
                sort: CaseSort::OpenedAtDescending,
                ..all.clone()
            },
        ),
        (
            "partner, stage = closed",
            partner.clone(),
            CaseFilters {
                stage: Some(Stage::Closed),
                ..all.clone()
            },
        ),
        (
            "partner, stage = rapid_review",
            partner.clone(),
            CaseFilters {
                stage: Some(Stage::RapidReview),
                ..all.clone()
            },
        ),
        (
            "partner, organisation = housing",
            partner.clone(),
            CaseFilters {
                organisation: Some(OrgSlug::parse("housing").unwrap()),
                ..all.clone()
            },
        ),
        (
            "partner, has overdue deadlines",
            partner.clone(),
            CaseFilters {
                has_overdue_deadlines: Some(true),
                ..all.clone()
            },
        ),
        (
            "partner, changed in the last 1,000 positions",
            partner.clone(),
            CaseFilters {
                changed_since: Some(ChangedSince::Position(last_position.saturating_sub(1_000))),
                ..all.clone()
            },
        ),
        (
            "partner, next due first",
            partner,
            CaseFilters {
                sort: CaseSort::NextDueAt,
                ..all.clone()
            },
        ),
        ("agency, log order", agency, all),
    ]
}

struct Measured {
    pages_per_second: f64,
    p50: Duration,
    p99: Duration,
    cases_per_page: f64,
}

/// Pages read by `threads` threads for the set time, each walking on by cursor.
fn measure(
    settings: &Settings,
    filters: &CaseFilters,
    read: impl Fn(&CaseFilters) -> CasePage + Sync,
) -> Measured {
    let deadline = Instant::now() + Duration::from_secs_f64(settings.seconds);
    let started = Instant::now();
    let per_thread: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..settings.threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut times = Vec::new();
                    let mut cases = 0;
                    let mut filters = filters.clone();
                    while Instant::now() < deadline {
                        let at = Instant::now();
                        let page = black_box(read(&filters));
                        times.push(at.elapsed());
                        cases += page.cases.len();
                        filters.after = page.next_after;
                        if filters.after.is_none() || times.len() % PAGES_PER_WALK == 0 {
                            filters.after = None;
                        }
                    }
                    (times, cases)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let cases: usize = per_thread.iter().map(|(_, c)| c).sum();
    let mut times: Vec<Duration> = per_thread.into_iter().flat_map(|(t, _)| t).collect();
    times.sort_unstable();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    Measured {
        pages_per_second: times.len() as f64 / elapsed,
        p50: at(50),
        p99: at(99),
        cases_per_page: cases as f64 / times.len() as f64,
    }
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
