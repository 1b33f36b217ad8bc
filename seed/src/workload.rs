//! The order a busy service would see events in: partnerships set up first, then cases opened,
//! advanced and closed interleaved, with the odd partnership change.

use crate::adults::adult_life_cycle;
use crate::audits::audit_life_cycle;
use crate::homicides::homicide_life_cycle;
use crate::learning::{LearningRecord, OpenCase};
use crate::life_cycle::{
    LogWriter, Rng, StreamEvent, case_life_cycle, partnership_change, partnership_opening,
    partnership_slug,
};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::VecDeque;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// Partnerships (tenants), named `partnership-0`, `partnership-1`, …
    pub partnerships: usize,
    /// Cases opened in all, spread over the partnerships.
    pub cases: usize,
    /// Cases under way at once across all partnerships.
    pub open_cases: usize,
    /// The random seed: the same seed gives the same events.
    pub seed: u64,
}

/// The time the business unit takes between two records of the learning record.
const LEARNING_GAP: Duration = Duration::seconds(40);

/// How long the cases take to be opened, whatever their number: two years from the first
/// partnership's set-up, so each financial year after the first has its notifications, and a
/// large workload is dense rather than running into the future.
const OPENING_SPAN: Duration = Duration::days(730);

/// When case number `n` of `cases` is opened at the earliest: evenly over [`OPENING_SPAN`].
fn scheduled_opening(n: usize, cases: usize) -> DateTime<Utc> {
    let seconds = OPENING_SPAN.num_seconds() as u128 * n as u128 / cases.max(1) as u128;
    start() + Duration::seconds(seconds as i64)
}

/// When the first partnership is set up.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_609_750_800, 0).unwrap_or_default() // 2021-01-04 09:00 UTC
}

/// The events of a workload in log order, each with the time since the previous one (zero: the
/// same commit), and the cases opened.
///
/// Each partnership's learning record (themes, meetings, learning events, budget, tags) goes
/// along: a day is recorded once the log has reached a later day (the latest fact of any case,
/// the log's "now"), one day after each of the partnership's case events, so the record
/// trails the cases as a business unit's does; what is left is recorded as the log ends.
#[derive(Debug)]
pub struct Events {
    rng: Rng,
    workload: Workload,
    slugs: Vec<PartnershipSlug>,
    opening: std::vec::IntoIter<StreamEvent>,
    open: Vec<Life>,
    opened: usize,
    at: DateTime<Utc>,
    /// The latest instant a case's fact happened at.
    frontier: DateTime<Utc>,
    learning: Vec<LearningRecord>,
    /// Learning records to write before the next case event.
    pending: VecDeque<StreamEvent>,
}

/// A case under way: its partnership (by number), id, opening and the facts still to come.
#[derive(Debug)]
struct Life {
    partnership: usize,
    case: OpenCase,
    events: std::vec::IntoIter<CaseEvent>,
}

impl Workload {
    /// The events, lazily: a million events are never all in memory.
    pub fn events(&self) -> Events {
        let slugs: Vec<PartnershipSlug> = (0..self.partnerships).map(partnership_slug).collect();
        let opening: Vec<StreamEvent> = slugs
            .iter()
            .flat_map(|slug| {
                let learning = LearningRecord::opening()
                    .into_iter()
                    .map(|event| StreamEvent::Learning(slug.clone(), event));
                partnership_opening(slug)
                    .into_iter()
                    .map(|event| StreamEvent::Partnership(slug.clone(), event))
                    .chain(learning)
            })
            .collect();
        let learning = (0..slugs.len())
            .map(|n| LearningRecord::new(self.seed, n, start().date_naive()))
            .collect();
        Events {
            rng: Rng::new(self.seed),
            workload: *self,
            slugs,
            opening: opening.into_iter(),
            open: Vec::new(),
            opened: 0,
            at: start(),
            frontier: start(),
            learning,
            pending: VecDeque::new(),
        }
    }
}

impl Workload {
    /// The events as a log recorded from `start` on (positions from 1, hash chain, recording
    /// instants), lazily: what the read models fold in tests and benchmarks without a store.
    pub fn recorded(&self, start: DateTime<Utc>) -> impl Iterator<Item = RecordedEvent> {
        let mut writer = LogWriter::new(start);
        self.events()
            .map(move |(event, gap)| writer.append(&event, gap))
    }
}

impl Events {
    /// The instant the last event happened around.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    fn next_case_event(&mut self) -> Option<StreamEvent> {
        let rng = &mut self.rng;
        let may_open = self.opened < self.workload.cases && !self.slugs.is_empty();
        let opening = may_open
            && self.open.len() < self.workload.open_cases.max(1)
            && (self.open.is_empty() || rng.chance(5));
        let index = if opening {
            self.at = self
                .at
                .max(scheduled_opening(self.opened, self.workload.cases));
            let partnership = rng.below(self.slugs.len() as u64) as usize;
            let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(
                u128::from(rng.next_u64()) << 64 | self.opened as u128,
            ));
            let mut life = match self.opened % 50 {
                // One case in fifty is a multi-agency audit of the partnership's practice, two
                // are safeguarding adult reviews and one a domestic homicide.
                49 => audit_life_cycle(case_id, self.at),
                12 | 37 => adult_life_cycle(case_id, self.at),
                24 => homicide_life_cycle(case_id, self.at),
                _ => case_life_cycle(rng, case_id, self.at),
            };
            // Most cases run their course; some are still under way when the log ends.
            if rng.chance(15) {
                life.truncate(1 + rng.below(life.len() as u64) as usize);
            }
            self.opened += 1;
            self.open.push(Life {
                partnership,
                case: OpenCase {
                    case_id,
                    opened_at: self.at,
                },
                events: life.into_iter(),
            });
            self.open.len() - 1
        } else if self.open.is_empty() {
            return None;
        } else {
            rng.below(self.open.len() as u64) as usize
        };
        let life = &mut self.open[index];
        let (partnership, case_id) = (life.partnership, life.case.case_id);
        let event = life.events.next()?;
        if life.events.len() == 0 {
            self.open.swap_remove(index);
        }
        self.frontier = self.frontier.max(event.occurred_at());
        let slug = self.slugs[partnership].clone();
        if let Some(tags) = self.learning[partnership].tags(case_id, &event) {
            self.pending
                .push_back(StreamEvent::Learning(slug.clone(), tags));
        }
        self.record_learning_day(partnership, local_date(self.frontier));
        Some(StreamEvent::Case(slug, case_id, event))
    }

    /// The partnership's next learning day, if it is before `today`.
    fn record_learning_day(&mut self, partnership: usize, today: NaiveDate) {
        let record = &mut self.learning[partnership];
        if !record.behind(today) {
            return;
        }
        let open: Vec<OpenCase> = self
            .open
            .iter()
            .filter(|life| life.partnership == partnership)
            .map(|life| life.case)
            .collect();
        let slug = &self.slugs[partnership];
        self.pending.extend(
            record
                .next_day(&open)
                .into_iter()
                .map(|event| StreamEvent::Learning(slug.clone(), event)),
        );
    }

    /// As the log ends: every partnership's learning record kept to the end of the financial
    /// year of the last case's fact and the day after (the last quarter's spending, the next
    /// year's contributions), so that year's report is whole.
    fn catch_up_learning(&mut self) {
        let year = FinancialYear::containing(local_date(self.frontier));
        let until = year.end_on() + Duration::days(2);
        for partnership in 0..self.learning.len() {
            while self.learning[partnership].behind(until) {
                self.record_learning_day(partnership, until);
            }
        }
    }
}

impl Iterator for Events {
    type Item = (StreamEvent, Duration);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(event) = self.opening.next() {
            return Some((event, Duration::seconds(1)));
        }
        if let Some(event) = self.pending.pop_front() {
            self.at += LEARNING_GAP;
            return Some((event, LEARNING_GAP));
        }
        let gap = if self.rng.chance(25) {
            Duration::zero()
        } else {
            Duration::seconds(1 + self.rng.below(120) as i64)
        };
        self.at += gap;
        let event = if self.rng.chance(1) && !self.slugs.is_empty() {
            let slug = self.slugs[self.rng.below(self.slugs.len() as u64) as usize].clone();
            StreamEvent::Partnership(slug, partnership_change(&mut self.rng, self.at))
        } else if let Some(event) = self.next_case_event() {
            event
        } else {
            self.catch_up_learning();
            let event = self.pending.pop_front()?;
            return Some((event, LEARNING_GAP));
        };
        Some((event, gap))
    }
}
