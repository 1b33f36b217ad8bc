//! What a page of the case list and of the deadline list costs as the partnership grows
//! (issue 15, goal 2).
//!
//! `cargo bench -p casetrail-app --bench lists -- [--cases 10000,100000] [--seconds S]
//! [--threads T] [--no-snapshot] [--only TEXT] [--changes]`: for each size, one partnership's log of that many cases from the seed
//! generator (fixed seed; about 2,000 under way at once) is folded into the read models, then
//! for each list its first page is read once on its own (timed: it may place every case in an
//! order, or compute every case's deadlines) and `T` threads (default 2, the machine's cores)
//! read pages of 50 for `S` seconds (default 3), walking on by cursor for up to 20 pages before
//! starting again, so that deep pages count too. Each list is read twice: through the read
//! models' orders of the cases and deadlines (`case_page`, `deadline_page`: what the API
//! answers now) and from a snapshot of every visible case (`cases_from_snapshot`,
//! `deadlines_from_snapshot`: what the lists did before, and what `as_of` still does), which
//! `--no-snapshot` leaves out (at a million cases a snapshot page takes seconds). `--only` reads
//! only the lists whose name holds `TEXT` (the first of them then places every case too).
//! `--changes` then changes the partnership in four ways, one after another, and times the first
//! pages after each (`lists/changes.rs`).
//! The last column is the process's resident memory once each list's first page was read:
//! what a first page places or computes stays, so one row after another shows what each list
//! keeps (issue 15, goal 3).
//! HTTP, JSON and the access log are not part of it: `bench/http` measures those.

#![allow(clippy::unwrap_used)]

use casetrail_app::queries::{
    CaseFilters, CaseSort, ChangedSince, DeadlineFilters, case_page, cases_from_snapshot,
    deadline_page, deadlines_from_snapshot,
};
use casetrail_domain::case::Stage;
use casetrail_domain::deadline::DeadlineStatus;
use casetrail_domain::{Actor, OrgSlug, Role};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::partnership_slug;
use casetrail_testkit::process::resident_kib;
use chrono::{DateTime, Utc};
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "lists/changes.rs"]
mod changes;

const PAGE: usize = 50;
const PAGES_PER_WALK: usize = 20;

fn main() {
    let settings = Settings::from_args();
    println!(
        "| cases | list | read through | first page | pages/s ({} threads) | p50 | p99 | items a page | resident after the first page |",
        settings.threads
    );
    println!("|---:|---|---|---:|---:|---:|---:|---:|---:|");
    for &cases in &settings.cases {
        let started = Instant::now();
        let (mut models, now, last_position) = fold(cases);
        eprintln!(
            "{cases} cases: log generated and folded in {:.1} s, {} events, {} resident",
            started.elapsed().as_secs_f64(),
            last_position,
            mib(resident_kib())
        );
        let wanted = lists(last_position, now)
            .into_iter()
            .filter(|(name, _, _)| {
                settings
                    .only
                    .as_deref()
                    .is_none_or(|only| name.contains(only))
            });
        for (name, actor, list) in wanted {
            let ways: &[(&str, bool)] = if settings.snapshot {
                &[("orders", true), ("snapshot", false)]
            } else {
                &[("orders", true)]
            };
            for &(how, through_orders) in ways {
                let measured = match &list {
                    List::Cases(first) => measure(&settings, first, |filters| {
                        let page = if through_orders {
                            case_page(&models, &actor, filters, now)
                        } else {
                            cases_from_snapshot(&models, &actor, filters, None, now).unwrap()
                        };
                        let next = page.next_after.map(|after| CaseFilters {
                            after: Some(after),
                            ..filters.clone()
                        });
                        (page.cases.len(), next)
                    }),
                    List::Deadlines(first) => measure(&settings, first, |filters| {
                        let page = if through_orders {
                            deadline_page(&models, &actor, filters, now)
                        } else {
                            deadlines_from_snapshot(&models, &actor, filters, None, now).unwrap()
                        };
                        let next = page.next_after.map(|after| DeadlineFilters {
                            after: Some(after),
                            ..filters.clone()
                        });
                        (page.deadlines.len(), next)
                    }),
                };
                println!(
                    "| {cases} | {name} | {how} | {} | {:.0} | {} | {} | {:.1} | {} |",
                    millis(measured.first_page),
                    measured.pages_per_second,
                    millis(measured.p50),
                    millis(measured.p99),
                    measured.items_per_page,
                    mib(measured.resident_after_first_page)
                );
            }
        }
        if settings.changes {
            changes::after_changes(&mut models, cases, now);
        }
    }
}

struct Settings {
    cases: Vec<usize>,
    seconds: f64,
    threads: usize,
    snapshot: bool,
    only: Option<String>,
    changes: bool,
}

impl Settings {
    /// `--cases`, `--seconds`, `--threads`, `--no-snapshot`, `--only`, `--changes`; other arguments (cargo
    /// passes `--bench`) are ignored.
    fn from_args() -> Self {
        let args: Vec<String> = std::env::args().collect();
        let raw = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|at| args.get(at + 1))
                .cloned()
        };
        // Numbers may be written with underscores (100_000).
        let value = |name: &str| raw(name).map(|v| v.replace('_', ""));
        Self {
            cases: value("--cases").map_or(vec![10_000, 100_000], |list| {
                list.split(',')
                    .map(|n| n.trim().parse().expect("--cases 10000,100000"))
                    .collect()
            }),
            seconds: value("--seconds").map_or(3.0, |s| s.parse().expect("--seconds S")),
            threads: value("--threads").map_or(2, |t| t.parse().expect("--threads T")),
            snapshot: !args.iter().any(|a| a == "--no-snapshot"),
            only: raw("--only"),
            changes: args.iter().any(|a| a == "--changes"),
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
    models.compact(0);
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

/// A list and its first page.
enum List {
    Cases(CaseFilters),
    Deadlines(DeadlineFilters),
}

/// The lists read: a statutory partner's (who sees every case) and an agency's.
fn lists(last_position: u64, now: DateTime<Utc>) -> Vec<(&'static str, Actor, List)> {
    let partner = actor("police", Role::Reviewer);
    let agency = actor("housing", Role::Notifier);
    let all = CaseFilters::first_page(PAGE);
    let cases = |name, actor: &Actor, filters| (name, actor.clone(), List::Cases(filters));
    let deadlines = DeadlineFilters::first_page(PAGE);
    let due = |name, actor: &Actor, filters| (name, actor.clone(), List::Deadlines(filters));
    vec![
        cases("partner, log order", &partner, all.clone()),
        cases(
            "partner, opened latest first",
            &partner,
            CaseFilters {
                sort: CaseSort::OpenedAtDescending,
                ..all.clone()
            },
        ),
        cases(
            "partner, stage = closed",
            &partner,
            CaseFilters {
                stage: Some(Stage::Closed),
                ..all.clone()
            },
        ),
        cases(
            "partner, stage = rapid_review",
            &partner,
            CaseFilters {
                stage: Some(Stage::RapidReview),
                ..all.clone()
            },
        ),
        // A stage few cases are at: the walk would pass every other case for a page.
        cases(
            "partner, stage = sar_in_progress",
            &partner,
            CaseFilters {
                stage: Some(Stage::SarInProgress),
                ..all.clone()
            },
        ),
        cases(
            "partner, stage = sar_in_progress, next due first",
            &partner,
            CaseFilters {
                stage: Some(Stage::SarInProgress),
                sort: CaseSort::NextDueAt,
                ..all.clone()
            },
        ),
        cases(
            "partner, organisation = housing",
            &partner,
            CaseFilters {
                organisation: Some(OrgSlug::parse("housing").unwrap()),
                ..all.clone()
            },
        ),
        cases(
            "partner, has overdue deadlines",
            &partner,
            CaseFilters {
                has_overdue_deadlines: Some(true),
                ..all.clone()
            },
        ),
        cases(
            "partner, changed in the last 1,000 positions",
            &partner,
            CaseFilters {
                changed_since: Some(ChangedSince::Position(last_position.saturating_sub(1_000))),
                ..all.clone()
            },
        ),
        cases(
            "partner, next due first",
            &partner,
            CaseFilters {
                sort: CaseSort::NextDueAt,
                ..all.clone()
            },
        ),
        cases(
            "agency, next due first",
            &agency,
            CaseFilters {
                sort: CaseSort::NextDueAt,
                ..all.clone()
            },
        ),
        cases("agency, log order", &agency, all),
        due(
            "partner, deadlines soonest due first",
            &partner,
            deadlines.clone(),
        ),
        due(
            "partner, deadlines latest due first",
            &partner,
            DeadlineFilters {
                descending: true,
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines due from now",
            &partner,
            DeadlineFilters {
                due_from: Some(now),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines status = pending",
            &partner,
            DeadlineFilters {
                status: Some(DeadlineStatus::Pending),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines status = breached",
            &partner,
            DeadlineFilters {
                status: Some(DeadlineStatus::Breached),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines housing must meet",
            &partner,
            DeadlineFilters {
                organisation: Some(OrgSlug::parse("housing").unwrap()),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines of one kind (rr_meeting)",
            &partner,
            DeadlineFilters {
                kind: Some("rr_meeting".to_owned()),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines of a rare kind (lcspr_improvements_to_panel)",
            &partner,
            DeadlineFilters {
                kind: Some("lcspr_improvements_to_panel".to_owned()),
                ..deadlines.clone()
            },
        ),
        due(
            "partner, deadlines: housing's recommendations",
            &partner,
            DeadlineFilters {
                organisation: Some(OrgSlug::parse("housing").unwrap()),
                kind: Some("recommendation".to_owned()),
                ..deadlines.clone()
            },
        ),
        due("agency, deadlines soonest due first", &agency, deadlines),
    ]
}

struct Measured {
    pages_per_second: f64,
    p50: Duration,
    p99: Duration,
    items_per_page: f64,
    first_page: Duration,
    /// The process's resident memory once the first page was read: what it placed or computed
    /// stays, so the rows one after another show what each list keeps.
    resident_after_first_page: Option<u64>,
}

/// Pages read by `threads` threads for the set time, each walking on by cursor from `first`
/// (`read` gives a page's items and the next page's filters) and starting again after the
/// last page or `PAGES_PER_WALK` pages.
fn measure<F: Clone + Sync>(
    settings: &Settings,
    first: &F,
    read: impl Fn(&F) -> (usize, Option<F>) + Sync,
) -> Measured {
    // The first page alone: it may place every case in an order, or compute every case's
    // deadlines, once; the pages after it are what a running service answers.
    let first_read = Instant::now();
    black_box(read(first));
    let first_page = first_read.elapsed();
    let resident_after_first_page = resident_kib();
    let deadline = Instant::now() + Duration::from_secs_f64(settings.seconds);
    let started = Instant::now();
    let per_thread: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..settings.threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut times = Vec::new();
                    let mut items = 0;
                    let mut filters = first.clone();
                    while Instant::now() < deadline {
                        let at = Instant::now();
                        let (read_items, next) = black_box(read(&filters));
                        times.push(at.elapsed());
                        items += read_items;
                        filters = match next {
                            Some(next) if times.len() % PAGES_PER_WALK != 0 => next,
                            _ => first.clone(),
                        };
                    }
                    (times, items)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let items: usize = per_thread.iter().map(|(_, c)| c).sum();
    let mut times: Vec<Duration> = per_thread.into_iter().flat_map(|(t, _)| t).collect();
    times.sort_unstable();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    Measured {
        pages_per_second: times.len() as f64 / elapsed,
        p50: at(50),
        p99: at(99),
        items_per_page: items as f64 / times.len() as f64,
        first_page,
        resident_after_first_page,
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "–".to_owned(),
        |kib| format!("{:.0} MiB", kib as f64 / 1024.0),
    )
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
