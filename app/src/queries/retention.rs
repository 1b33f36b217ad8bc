//! Retention: the closed cases whose personal details have been kept as long as the
//! partnership's retention schedule says, so that an admin can erase them.
//!
//! A child case's period may run to the child's 25th birthday (or whatever age the partnership
//! sets), but the date of birth is sealed and no read model or event holds it, in clear or in
//! any form it could be derived from. So the list opens the sealed details of the candidates
//! when it is asked for: only closed cases past the closure rule (which needs no personal
//! data) can be due, which keeps the opening to those few.

use super::Queries;
use super::sealed::{case_events, opening_details};
use crate::error::AppError;
use crate::personal_data::{self, ChildPersonalData};
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::CaseKind;
use casetrail_domain::partnership::RetentionSettings;
use casetrail_domain::{Actor, CaseId, DomainError, Role};
use chrono::{DateTime, NaiveDate, Utc};

/// A closed case whose retention period has ended and whose personal details are still held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    /// The case.
    pub case_id: CaseId,
    /// Its review process.
    pub kind: CaseKind,
    /// Its pseudonymous reference.
    pub reference: String,
    /// When it was closed.
    pub closed_at: DateTime<Utc>,
    /// The last day of its retention period (for a child, at the end of a year, so that it
    /// never gives the date of birth away).
    pub retention_ends_on: NaiveDate,
}

/// One page of the due cases, in the order the cases were opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePage {
    /// The cases.
    pub cases: Vec<DueCase>,
    /// Where the next page starts (after this case's opening position); `None` on the last.
    pub next_after: Option<u64>,
}

/// The retention list as one actor may read it: only an admin or a business manager gets one.
#[derive(Debug)]
pub struct RetentionList<'a> {
    queries: &'a Queries,
    actor: &'a Actor,
}

/// A closed case that the closure rule alone already lets go.
struct Candidate {
    opened_position: u64,
    case_id: CaseId,
    kind: CaseKind,
    reference: String,
    closed_at: DateTime<Utc>,
}

impl Queries {
    /// The retention list for the actor, refused from the token alone unless they are an admin
    /// or a business manager: before anything about the request is read, so every other role
    /// gets the same answer to any request.
    pub fn retention_list<'a>(&'a self, actor: &'a Actor) -> Result<RetentionList<'a>, AppError> {
        if !actor.has(Role::Admin) && !actor.has(Role::BusinessManager) {
            return Err(DomainError::forbidden(
                "auth.role_required",
                "the retention list needs the role admin or business_manager",
            )
            .into());
        }
        Ok(RetentionList {
            queries: self,
            actor,
        })
    }
}

impl RetentionList<'_> {
    /// Up to `limit` cases opened after the position `after` whose retention period ended
    /// before today (Europe/London, at the clock's instant).
    pub async fn due(&self, after: Option<u64>, limit: usize) -> Result<DuePage, AppError> {
        let today = local_date(self.queries.now());
        let (retention, candidates) = self.candidates(after, today);
        let mut cases: Vec<(u64, DueCase)> = Vec::new();
        let mut next_after = None;
        for candidate in candidates {
            let Some(ends_on) = self.retention_ends_on(&retention, &candidate).await? else {
                continue;
            };
            if ends_on >= today {
                continue;
            }
            if cases.len() == limit {
                // One more due case than asked: the page ends at the last one given.
                next_after = cases.last().map(|(position, _)| *position);
                break;
            }
            cases.push((
                candidate.opened_position,
                DueCase {
                    case_id: candidate.case_id,
                    kind: candidate.kind,
                    reference: candidate.reference,
                    closed_at: candidate.closed_at,
                    retention_ends_on: ends_on,
                },
            ));
        }
        Ok(DuePage {
            cases: cases.into_iter().map(|(_, case)| case).collect(),
            next_after,
        })
    }

    /// The closed cases after the position whose closure-rule period has ended by `today`.
    fn candidates(
        &self,
        after: Option<u64>,
        today: NaiveDate,
    ) -> (RetentionSettings, Vec<Candidate>) {
        let models = self.queries.projector.read();
        let partnership_slug = &self.actor.partnership;
        let Some(partnership) = models.partnership(partnership_slug) else {
            return (RetentionSettings::default(), Vec::new());
        };
        let retention = partnership.settings.retention;
        let found = models
            .cases(partnership_slug)
            .filter(|r| after.is_none_or(|a| r.opened_position > a))
            .filter(|r| r.case.personal_data_erased_at.is_none())
            .filter_map(|r| {
                let closed_at = r.case.after.closed.as_ref()?.occurred_at;
                // An audit holds no personal data: it is never due.
                let ends = retention.closure_rule_ends_on(r.case.kind, local_date(closed_at))?;
                (ends < today).then(|| Candidate {
                    opened_position: r.opened_position,
                    case_id: r.case.case_id,
                    kind: r.case.kind,
                    reference: r.case.reference().to_owned(),
                    closed_at,
                })
            })
            .collect();
        (retention, found)
    }

    /// The last day of the candidate's period, or `None` when its key is already destroyed
    /// (nothing left to erase).
    async fn retention_ends_on(
        &self,
        retention: &RetentionSettings,
        candidate: &Candidate,
    ) -> Result<Option<NaiveDate>, AppError> {
        let queries = self.queries;
        let events = case_events(
            queries.projector.store(),
            &self.actor.partnership,
            candidate.case_id,
        )
        .await?;
        let opening = opening_details(&events)?;
        let opened: Option<ChildPersonalData> =
            personal_data::open(&queries.data_keys, &opening).await?;
        Ok(opened.and_then(|details| {
            retention.ends_on(
                candidate.kind,
                local_date(candidate.closed_at),
                Some(details.date_of_birth),
            )
        }))
    }
}
