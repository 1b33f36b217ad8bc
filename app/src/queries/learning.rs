//! The partnership's learning record (issue 17): its themes with their counts by year, its
//! meetings and learning events of a year, and its budget of a year.
//!
//! Who reads what: the themes and the budget are aggregates or the partnership's own money,
//! read by every member; meetings and learning events name the cases discussed, so only those
//! who see every case read them. Nobody reads the pseudonymous references of those attending
//! back: they are counted, not listed.

use super::Queries;
use super::as_of::ensure_supported;
use crate::error::AppError;
use crate::visibility::sees_all_cases;
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::case::{Case, CaseKind};
use casetrail_domain::learning::{
    Contribution, LearningEventHeld, Meeting, Spending, Standing, Stated, Subject, standing,
};
use casetrail_domain::{Actor, DomainError, PartnershipSlug, ThemeSlug};
use casetrail_projections::ReadModels;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A record of the learning stream with where it is in the log: what a figure counting it can
/// point to. A corrected record is where its latest correction is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioned<T> {
    /// The log position of the event that last stated it.
    pub position: u64,
    /// When that event was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The record.
    pub record: T,
}

/// How often a theme was tagged in a financial year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThemeCounts {
    /// Cases whose reviews carry it, by the year the case was opened.
    pub reviews: u32,
    /// Recommendations that carry it, by the year they were made.
    pub recommendations: u32,
    /// Learning events that covered it, by the year they were held.
    pub learning_events: u32,
    /// Multi-agency audits that carry it, by the year they were commissioned.
    pub audits: u32,
}

/// A theme of the partnership's list and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFigures {
    /// The theme.
    pub theme: ThemeSlug,
    /// Its name.
    pub name: String,
    /// Retired: no longer tagged.
    pub retired: bool,
    /// Its counts by financial year, oldest first (years with none left out).
    pub by_year: BTreeMap<FinancialYear, ThemeCounts>,
}

/// The partnership's themes, with the learning stream's version for `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeList {
    /// The learning stream's version (0 before anything is recorded).
    pub version: u64,
    /// The themes, by slug.
    pub themes: Vec<ThemeFigures>,
}

/// A financial year's budget: the partners' contributions and the spending, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The year.
    pub year: FinancialYear,
    /// Contributions, in the order recorded.
    pub contributions: Vec<Positioned<Contribution>>,
    /// Spending, in the order recorded.
    pub spending: Vec<Positioned<Spending>>,
}

impl Queries {
    /// The themes and how often each was tagged, by year, from what was recorded by `as_of`
    /// (now when absent). Counts only: every member reads them.
    pub fn themes(
        &self,
        actor: &Actor,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<ThemeList, AppError> {
        ensure_supported(as_of)?;
        let models = self.projector.read();
        let slug = &actor.partnership;
        models.partnership(slug).ok_or_else(partnership_not_found)?;
        let (version, learning) = match as_of {
            None => (
                models.learning_version(slug),
                models.learning(slug).map(Cow::Borrowed),
            ),
            Some(at) => (
                models
                    .learning_history(slug, at)
                    .last()
                    .map_or(0, |r| r.stream_version),
                models.learning_as_of(slug, at).map(Cow::Owned),
            ),
        };
        let Some(learning) = learning else {
            return Ok(ThemeList {
                version,
                themes: Vec::new(),
            });
        };
        let mut counts: BTreeMap<&ThemeSlug, BTreeMap<FinancialYear, ThemeCounts>> =
            BTreeMap::new();
        let mut count = |theme, year, field: fn(&mut ThemeCounts) -> &mut u32| {
            *field(counts.entry(theme).or_default().entry(year).or_default()) += 1;
        };
        for (subject, themes) in &learning.tags {
            let Some(case) = models
                .case(&actor.partnership, subject.case_id())
                .map(|r| &r.case)
            else {
                continue;
            };
            let Some(year) = subject_year(case, subject) else {
                continue;
            };
            for theme in themes {
                match subject {
                    Subject::Case { .. } if case.kind == CaseKind::Audit => {
                        count(theme, year, |c| &mut c.audits);
                    }
                    Subject::Case { .. } => count(theme, year, |c| &mut c.reviews),
                    Subject::Recommendation { .. } => {
                        count(theme, year, |c| &mut c.recommendations);
                    }
                }
            }
        }
        for held in &learning.learning_events {
            for theme in &held.themes {
                count(theme, FinancialYear::containing(held.held_on), |c| {
                    &mut c.learning_events
                });
            }
        }
        let themes = learning
            .themes
            .iter()
            .map(|(theme, kept)| ThemeFigures {
                theme: theme.clone(),
                name: kept.name.clone(),
                retired: kept.retired,
                by_year: counts.remove(theme).unwrap_or_default(),
            })
            .collect();
        Ok(ThemeList { version, themes })
    }

    /// Checks that `subject` is a case the actor may see (and, for a recommendation, one the
    /// case has): a tag names only what exists. Not found otherwise, like any case the actor
    /// may not see.
    pub fn taggable(&self, actor: &Actor, subject: &Subject) -> Result<(), AppError> {
        super::visible_case(&self.projector, actor, subject.case_id())?;
        if let Subject::Recommendation {
            case_id,
            recommendation_id,
        } = subject
        {
            let models = self.projector.read();
            let known = models
                .case(&actor.partnership, *case_id)
                .is_some_and(|r| r.case.after.recommendations.contains_key(recommendation_id));
            if !known {
                return Err(DomainError::not_found(
                    "recommendation.not_found",
                    "the case has no such recommendation",
                )
                .into());
            }
        }
        Ok(())
    }

    /// The meetings held in `year` as recorded by `as_of` (now when absent), corrections
    /// applied, in the order first recorded. They name the cases discussed, so only those who
    /// see every case read them.
    pub fn meetings(
        &self,
        actor: &Actor,
        year: FinancialYear,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<Positioned<Meeting>>, AppError> {
        self.learning_records(actor, as_of, |standing| {
            positioned(&standing.meetings, |m| year.contains(m.held_on))
        })
    }

    /// The learning events held in `year` as recorded by `as_of`, corrections applied, in the
    /// order first recorded; read as meetings are.
    pub fn learning_events(
        &self,
        actor: &Actor,
        year: FinancialYear,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<Positioned<LearningEventHeld>>, AppError> {
        self.learning_records(actor, as_of, |standing| {
            positioned(&standing.learning_events, |h| year.contains(h.held_on))
        })
    }

    /// The year's budget as recorded by `as_of` (now when absent), withdrawn lines left out.
    /// The partnership's own money, published in its annual report: every member reads it.
    pub fn budget(
        &self,
        actor: &Actor,
        year: FinancialYear,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Budget, AppError> {
        ensure_supported(as_of)?;
        let models = self.projector.read();
        let slug = &actor.partnership;
        models.partnership(slug).ok_or_else(partnership_not_found)?;
        Ok(with_standing(&models, slug, as_of, |standing| Budget {
            year,
            contributions: positioned(&standing.contributions, |c| c.financial_year == year),
            spending: positioned(&standing.spending, |s| s.financial_year == year),
        }))
    }

    fn learning_records<T>(
        &self,
        actor: &Actor,
        as_of: Option<DateTime<Utc>>,
        pick: impl FnOnce(&Standing<'_, Mark>) -> Vec<Positioned<T>>,
    ) -> Result<Vec<Positioned<T>>, AppError> {
        ensure_supported(as_of)?;
        let models = self.projector.read();
        let slug = &actor.partnership;
        let partnership = models.partnership(slug).ok_or_else(partnership_not_found)?;
        if !sees_all_cases(actor, partnership) {
            return Err(DomainError::forbidden(
                "auth.role_required",
                "meetings and learning events name the cases discussed: they are read by those \
                 who see every case (business_manager, independent_advisor, auditor, the \
                 statutory partners)",
            )
            .into());
        }
        Ok(with_standing(&models, slug, as_of, pick))
    }
}

/// The partnership's learning records as they stood at `as_of` (now when absent), handed to
/// `read`.
fn with_standing<R>(
    models: &ReadModels,
    slug: &PartnershipSlug,
    as_of: Option<DateTime<Utc>>,
    read: impl FnOnce(&Standing<'_, Mark>) -> R,
) -> R {
    let history: Vec<_> = models
        .learning_history(slug, as_of.unwrap_or(DateTime::<Utc>::MAX_UTC))
        .collect();
    read(&standing(
        history
            .iter()
            .map(|r| ((r.position, r.recorded_at), &r.event)),
    ))
}

/// Where a standing record was last stated: the event's log position and recording instant.
type Mark = (u64, DateTime<Utc>);

/// The standing records that `keep` keeps, with where each was last stated.
fn positioned<T: Clone>(
    records: &[Stated<'_, Mark, T>],
    keep: impl Fn(&T) -> bool,
) -> Vec<Positioned<T>> {
    records
        .iter()
        .filter(|stated| keep(stated.record))
        .map(|stated| Positioned {
            position: stated.mark.0,
            recorded_at: stated.mark.1,
            record: stated.record.clone(),
        })
        .collect()
}

/// The financial year a tag of `subject`, a case's reviews or one of its recommendations,
/// counts in: the case's opening, or the recommendation's making. Counted over every case,
/// whoever asks: counts say nothing of any one case, as the annual statistics do not.
pub fn subject_year(case: &Case, subject: &Subject) -> Option<FinancialYear> {
    match subject {
        Subject::Case { .. } => Some(FinancialYear::of(case.opened_at)),
        Subject::Recommendation {
            recommendation_id, ..
        } => case
            .after
            .recommendations
            .get(recommendation_id)
            .map(|r| FinancialYear::of(r.added.occurred_at)),
    }
}

fn partnership_not_found() -> AppError {
    DomainError::not_found("partnership.not_found", "no such partnership").into()
}
