//! The order a busy service would see events in: partnerships set up first, then cases opened,
//! advanced and closed interleaved, with the odd partnership change.

use crate::audits::audit_life_cycle;
use crate::life_cycle::{
    LogWriter, Rng, StreamEvent, case_life_cycle, partnership_change, partnership_opening,
    partnership_slug,
};
use casetrail_domain::case::CaseEvent;
use casetrail_domain::{CaseId, PartnershipSlug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Duration, Utc};

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

/// Every how many cases opened one is a multi-agency audit.
const AUDIT_EVERY: usize = 50;

/// When the first partnership is set up.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_609_750_800, 0).unwrap_or_default() // 2021-01-04 09:00 UTC
}

/// The events of a workload in log order, each with the time since the previous one (zero: the
/// same commit), and the cases opened.
#[derive(Debug)]
pub struct Events {
    rng: Rng,
    workload: Workload,
    slugs: Vec<PartnershipSlug>,
    opening: std::vec::IntoIter<StreamEvent>,
    open: Vec<(PartnershipSlug, CaseId, std::vec::IntoIter<CaseEvent>)>,
    opened: usize,
    at: DateTime<Utc>,
}

impl Workload {
    /// The events, lazily: a million events are never all in memory.
    pub fn events(&self) -> Events {
        let slugs: Vec<PartnershipSlug> = (0..self.partnerships).map(partnership_slug).collect();
        let opening: Vec<StreamEvent> = slugs
            .iter()
            .flat_map(|slug| {
                partnership_opening(slug)
                    .into_iter()
                    .map(|event| StreamEvent::Partnership(slug.clone(), event))
            })
            .collect();
        Events {
            rng: Rng::new(self.seed),
            workload: *self,
            slugs,
            opening: opening.into_iter(),
            open: Vec::new(),
            opened: 0,
            at: start(),
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
            let slug = self.slugs[rng.below(self.slugs.len() as u64) as usize].clone();
            let case_id = CaseId::from_uuid(uuid::Uuid::from_u128(
                u128::from(rng.next_u64()) << 64 | self.opened as u128,
            ));
            // One case in fifty is a multi-agency audit of the partnership's practice.
            let mut life = if self.opened % AUDIT_EVERY == AUDIT_EVERY - 1 {
                audit_life_cycle(case_id, self.at)
            } else {
                case_life_cycle(rng, case_id, self.at)
            };
            // Most cases run their course; some are still under way when the log ends.
            if rng.chance(15) {
                life.truncate(1 + rng.below(life.len() as u64) as usize);
            }
            self.opened += 1;
            self.open.push((slug, case_id, life.into_iter()));
            self.open.len() - 1
        } else if self.open.is_empty() {
            return None;
        } else {
            rng.below(self.open.len() as u64) as usize
        };
        let (slug, case_id, life) = &mut self.open[index];
        let event = StreamEvent::Case(slug.clone(), *case_id, life.next()?);
        if life.len() == 0 {
            self.open.swap_remove(index);
        }
        Some(event)
    }
}

impl Iterator for Events {
    type Item = (StreamEvent, Duration);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(event) = self.opening.next() {
            return Some((event, Duration::seconds(1)));
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
        } else {
            self.next_case_event()?
        };
        Some((event, gap))
    }
}
