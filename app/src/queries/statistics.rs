//! The financial years with facts, and a year's statistics, as the partnership's cases stood
//! at an instant.

use super::Queries;
use super::as_of::ensure_supported;
use super::snapshot::as_it_was;
use crate::error::AppError;
use casetrail_domain::Actor;
use casetrail_domain::case::Case;
use casetrail_projections::statistics::{AnnualStatistics, FinancialYear, annual_statistics};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// The financial years in which any fact of the partnership's cases occurred, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsYears {
    /// The instant asked about (now when none was).
    pub as_of: DateTime<Utc>,
    /// The years, from the facts recorded by then.
    pub years: Vec<FinancialYear>,
}

impl Queries {
    /// The years with facts recorded by `as_of` (now when absent). The read models index the
    /// years by the instant each fact was recorded, so no past is folded again. Aggregates
    /// only, so every member of the partnership may ask.
    pub fn statistics_years(
        &self,
        actor: &Actor,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<StatisticsYears, AppError> {
        ensure_supported(as_of)?;
        let as_of = as_of.unwrap_or_else(|| self.now());
        let years = self
            .projector
            .read()
            .statistics_years(&actor.partnership, as_of);
        Ok(StatisticsYears { as_of, years })
    }

    /// The year's statistics from the facts recorded by `as_of` (now when absent), deadlines
    /// evaluated then; `None` when no fact of the partnership falls in the year. Aggregates
    /// only, so every member of the partnership may ask.
    pub async fn annual_statistics(
        &self,
        actor: &Actor,
        year: FinancialYear,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<AnnualStatistics>, AppError> {
        let at = as_of.unwrap_or_else(|| self.now());
        self.answer(actor, None, as_of, |models, past| {
            if !models
                .statistics_years(&actor.partnership, at)
                .contains(&year)
            {
                return Ok(None);
            }
            let Some(partnership) = models.partnership_as_of(&actor.partnership, at) else {
                return Ok(None);
            };
            let mut cases: Vec<Cow<'_, Case>> = Vec::new();
            for record in models.cases(&actor.partnership) {
                if let Some(then) = as_it_was(record, past)? {
                    cases.push(match then {
                        Cow::Borrowed(r) => Cow::Borrowed(&r.case),
                        Cow::Owned(r) => Cow::Owned(r.case),
                    });
                }
            }
            Ok(Some(annual_statistics(
                cases.iter().map(AsRef::as_ref),
                &partnership,
                year,
                at,
            )))
        })
        .await
    }
}
