//! The annual report of a financial year (issue 17), as the record stood at an instant.

use super::Queries;
use super::snapshot::as_it_was;
use crate::error::AppError;
use crate::report::{AnnualReport, ReportInputs, annual_report};
use casetrail_domain::Actor;
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::case::Case;
use chrono::{DateTime, Utc};
use std::borrow::Cow;

impl Queries {
    /// The report of `year` from what was recorded by `as_of` (now when absent), deadlines
    /// evaluated then. Aggregates only, with log positions of the partnership's own learning
    /// record: every member of the partnership may read it. `None` for a partnership that did
    /// not exist then.
    pub async fn annual_report(
        &self,
        actor: &Actor,
        year: FinancialYear,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<AnnualReport>, AppError> {
        let at = as_of.unwrap_or_else(|| self.now());
        self.answer(actor, None, as_of, |models, past| {
            let slug = &actor.partnership;
            let Some(partnership) = models.partnership_as_of(slug, at) else {
                return Ok(None);
            };
            let mut cases: Vec<Cow<'_, Case>> = Vec::new();
            for record in models.cases(slug) {
                if let Some(then) = as_it_was(record, past)? {
                    cases.push(match then {
                        Cow::Borrowed(r) => Cow::Borrowed(&r.case),
                        Cow::Owned(r) => Cow::Owned(r.case),
                    });
                }
            }
            let inputs = ReportInputs {
                partnership: &partnership,
                cases: cases.iter().map(AsRef::as_ref).collect(),
                learning: models
                    .learning_history(slug, at)
                    .map(|r| (r.position, &r.event))
                    .collect(),
                year,
                as_of: at,
            };
            Ok(Some(annual_report(&inputs)))
        })
        .await
    }
}
