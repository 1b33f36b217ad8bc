//! A partnership's learning record (docs/rules.md LI-1 to LI-4), as its business unit keeps
//! it: the themes it learns under, the meetings of its groups, its learning events and
//! training, its budget, the themes tagged on its reviews, recommendations and audits, and the
//! odd correction. Each day is recorded once it is over, from a random source of its own (the
//! seed, the partnership, the day), so how the cases interleave does not move it.

mod budget;
mod gatherings;

use crate::life_cycle::Rng;
use budget::Budget;
use casetrail_domain::calendar::WorkingCalendar;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::learning::{LearningEvent, Subject};
use casetrail_domain::{CaseId, ThemeSlug};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::BTreeSet;

/// The themes every generated partnership learns under, slug and name.
const THEMES: [(&str, &str); 9] = [
    ("neglect", "Neglect"),
    ("exploitation", "Exploitation"),
    (
        "transition-to-adult-services",
        "Transition to adult services",
    ),
    ("professional-curiosity", "Professional curiosity"),
    ("information-sharing", "Information sharing"),
    ("domestic-abuse", "Domestic abuse"),
    ("parental-mental-health", "Parental mental health"),
    ("safe-sleep", "Safe sleep"),
    (PANDEMIC, "Practice during the pandemic"),
];

/// The theme a partnership retires once the pandemic's restrictions are over: tagged before,
/// never after (LI-1).
const PANDEMIC: &str = "covid-19";

/// The day the pandemic theme is retired.
fn pandemic_over() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 4, 1).expect("a day")
}

/// A case open in the partnership, as a meeting may discuss it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenCase {
    pub case_id: CaseId,
    pub opened_at: DateTime<Utc>,
}

/// One partnership's learning record, written a day at a time.
#[derive(Debug)]
pub(crate) struct LearningRecord {
    seed: u64,
    /// The first day not yet recorded.
    next_day: NaiveDate,
    pandemic_retired: bool,
    budget: Budget,
    /// Corrections to make on a later day (LI-4), in the order decided.
    later: Vec<(NaiveDate, LearningEvent)>,
    calendar: WorkingCalendar,
}

impl LearningRecord {
    /// The record of partnership number `index` of a workload seeded `seed`, from `first_day`
    /// on.
    pub fn new(seed: u64, index: usize, first_day: NaiveDate) -> Self {
        Self {
            seed: seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            next_day: first_day,
            pandemic_retired: false,
            budget: Budget::default(),
            later: Vec::new(),
            calendar: WorkingCalendar::england_and_wales(),
        }
    }

    /// The themes added as the partnership starts its record.
    pub fn opening() -> Vec<LearningEvent> {
        THEMES
            .iter()
            .map(|(slug, name)| LearningEvent::ThemeAdded {
                theme: theme(slug),
                name: (*name).to_owned(),
            })
            .collect()
    }

    /// Whether a day before `today` is still to be recorded.
    pub fn behind(&self, today: NaiveDate) -> bool {
        self.next_day < today
    }

    /// The next day's records, that day being over; `open` are the partnership's cases under
    /// way, which its review group discusses.
    pub fn next_day(&mut self, open: &[OpenCase]) -> Vec<LearningEvent> {
        let day = self.next_day;
        self.next_day = day.succ_opt().unwrap_or(day);
        let mut events = Vec::new();
        if !self.pandemic_retired && day >= pandemic_over() {
            self.pandemic_retired = true;
            events.push(LearningEvent::ThemeRetired {
                theme: theme(PANDEMIC),
            });
        }
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.later)
            .into_iter()
            .partition(|(on, _)| *on <= day);
        self.later = later;
        events.extend(due.into_iter().map(|(_, event)| event));
        let mut rng = Rng::for_id(day.num_days_from_ce() as u128, self.seed);
        let rng = &mut rng;
        events.extend(self.budget.day(rng, day, &mut self.later));
        if !self.calendar.is_working_day(day) {
            return events;
        }
        let discussed: Vec<Subject> = open
            .iter()
            .filter(|case| case.opened_at.date_naive() < day)
            .take(4)
            .map(|case| Subject::Case {
                case_id: case.case_id,
            })
            .collect();
        let themes = self.active_themes();
        events.extend(gatherings::of_day(
            rng,
            day,
            &discussed,
            &themes,
            &mut self.later,
        ));
        events
    }

    /// The themes a case's event earns it, if any: its reviews once the rapid review has met
    /// or the adult or domestic homicide review is commissioned, an audit as commissioned (its topic's theme), a recommendation half the time as made.
    /// From a random source of the subject's own.
    pub fn tags(&self, case_id: CaseId, event: &CaseEvent) -> Option<LearningEvent> {
        let active = self.active_themes();
        let pick = |rng: &mut Rng| active[rng.below(active.len() as u64) as usize].clone();
        let (subject, themes) = match event {
            CaseEvent::RapidReviewMeetingHeld(_)
            | CaseEvent::SarCommissioned(_)
            | CaseEvent::DhrCommissioned(_) => {
                let mut rng = Rng::for_id(case_id.as_uuid().as_u128(), self.seed);
                let themes: BTreeSet<ThemeSlug> =
                    (0..1 + rng.below(2)).map(|_| pick(&mut rng)).collect();
                (Subject::Case { case_id }, themes)
            }
            CaseEvent::AuditCommissioned(audit) => {
                let topic = audit.topic.to_lowercase();
                let themes = THEMES
                    .iter()
                    .filter(|(slug, _)| topic.contains(&slug.replace('-', " ")))
                    .map(|(slug, _)| theme(slug))
                    .collect();
                (Subject::Case { case_id }, themes)
            }
            CaseEvent::RecommendationAdded(added) => {
                let mut rng = Rng::for_id(added.recommendation_id.as_u128(), self.seed);
                if !rng.chance(50) {
                    return None;
                }
                let subject = Subject::Recommendation {
                    case_id,
                    recommendation_id: added.recommendation_id,
                };
                (subject, BTreeSet::from([pick(&mut rng)]))
            }
            _ => return None,
        };
        (!themes.is_empty()).then_some(LearningEvent::ThemesTagged {
            subject,
            themes: themes.into_iter().collect(),
        })
    }

    fn active_themes(&self) -> Vec<ThemeSlug> {
        THEMES
            .iter()
            .filter(|(slug, _)| !(self.pandemic_retired && *slug == PANDEMIC))
            .map(|(slug, _)| theme(slug))
            .collect()
    }
}

fn theme(slug: &str) -> ThemeSlug {
    ThemeSlug::parse(slug).expect("the seed's themes are slugs")
}

/// A fresh id from the random source.
fn id(rng: &mut Rng) -> uuid::Uuid {
    uuid::Uuid::from_u128(u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()))
}

#[cfg(test)]
mod tests;
