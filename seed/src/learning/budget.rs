//! The partnership's budget (docs/rules.md LI-3): the partners' contributions as each
//! financial year starts (the resource plan's shares: the council, the police and the ICB, the
//! ICB's some years in kind, smaller sums from others) and, once each quarter is over, its
//! spending by category; now and then a line keyed twice, the second withdrawn a fortnight
//! later (LI-4).

use super::id;
use crate::life_cycle::{ORGANISATIONS, Rng, org};
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::learning::{Contribution, LearningEvent, Spending, SpendingCategory};
use chrono::{Datelike, Duration, NaiveDate};

/// Who contributes (by index in [`ORGANISATIONS`]), about how many pounds, and how many years
/// in a hundred.
const CONTRIBUTIONS: [(usize, i64, u64); 5] = [
    (0, 150_000, 100),
    (1, 82_716, 100),
    (2, 69_240, 100),
    (3, 5_000, 50),
    (5, 2_000, 50),
];

/// How the money is spent, in thousandths of the year's contributions.
const SHARES: [(SpendingCategory, i64); 9] = [
    (SpendingCategory::Salaries, 700),
    (SpendingCategory::Reviews, 100),
    (SpendingCategory::Training, 60),
    (SpendingCategory::Events, 40),
    (SpendingCategory::Ict, 30),
    (SpendingCategory::ProfessionalFees, 20),
    (SpendingCategory::Meetings, 20),
    (SpendingCategory::Office, 20),
    (SpendingCategory::Travel, 10),
];

/// What the budget has recorded so far.
#[derive(Debug, Default)]
pub(super) struct Budget {
    /// The financial year whose contributions are recorded, and their total in pence.
    year: Option<(FinancialYear, i64)>,
    /// The first day of the quarter under way.
    quarter: Option<NaiveDate>,
}

impl Budget {
    /// The day's budget lines: the last quarter's spending once a new one starts, the year's
    /// contributions on its first day recorded.
    pub(super) fn day(
        &mut self,
        rng: &mut Rng,
        day: NaiveDate,
        later: &mut Vec<(NaiveDate, LearningEvent)>,
    ) -> Vec<LearningEvent> {
        let mut events = Vec::new();
        let quarter = quarter_of(day);
        if let Some((year, contributed)) = self.year
            && self.quarter.is_some_and(|q| q != quarter)
        {
            events.extend(spending(rng, year, contributed, day, later));
        }
        self.quarter = Some(quarter);
        let year = FinancialYear::containing(day);
        if self.year.is_none_or(|(recorded, _)| recorded != year) {
            let lines = contributions(rng, year);
            let total = lines.iter().map(|line| line.amount_pence).sum();
            self.year = Some((year, total));
            events.extend(lines.into_iter().map(LearningEvent::ContributionRecorded));
        }
        events
    }
}

/// The first day of the quarter `day` is in.
fn quarter_of(day: NaiveDate) -> NaiveDate {
    let month = (day.month() - 1) / 3 * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).expect("a quarter starts on a day")
}

fn contributions(rng: &mut Rng, year: FinancialYear) -> Vec<Contribution> {
    let mut lines = Vec::new();
    for &(at, pounds, chance) in &CONTRIBUTIONS {
        if rng.chance(chance) {
            lines.push(Contribution {
                line_id: id(rng),
                financial_year: year,
                organisation: org(ORGANISATIONS[at].0),
                amount_pence: pounds * (100 + rng.below(8) as i64),
                // The ICB gives accommodation and staff time instead of money some years.
                in_kind: at == 2 && rng.chance(40),
            });
        }
    }
    lines
}

/// A quarter's spending of `year`, a quarter of its contributions give or take five in a
/// hundred, by category.
fn spending(
    rng: &mut Rng,
    year: FinancialYear,
    contributed: i64,
    day: NaiveDate,
    later: &mut Vec<(NaiveDate, LearningEvent)>,
) -> Vec<LearningEvent> {
    let quarter = contributed / 4 * (95 + rng.below(11) as i64) / 100;
    let mut lines: Vec<Spending> = SHARES
        .iter()
        .map(|&(category, share)| Spending {
            line_id: id(rng),
            financial_year: year,
            category,
            amount_pence: (quarter * share / 1_000).max(1),
        })
        .collect();
    // One quarter in four, a line keyed twice; the business unit withdraws the second.
    if rng.chance(25) {
        let twice = Spending {
            line_id: id(rng),
            ..lines[rng.below(lines.len() as u64) as usize].clone()
        };
        later.push((
            day + Duration::days(14),
            LearningEvent::BudgetLineWithdrawn {
                line_id: twice.line_id,
            },
        ));
        lines.push(twice);
    }
    lines
        .into_iter()
        .map(LearningEvent::SpendingRecorded)
        .collect()
}
