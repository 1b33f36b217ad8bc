//! The LCSPR's deadlines (Appendix D; Working Together 2018, chapter 4): completed and published
//! within 6 calendar months of the decision to hold it, the final report (or, when publication
//! is withheld, the improvements information) to the Panel and the Secretary of State at least
//! 7 working days before publication, and to Ofsted in the same timescale; a year on the
//! website after publication.

use crate::calendar::{WorkingCalendar, at_local_time, end_of_day, local_date};
use crate::case::Case;
use crate::case::decision::ReviewDecision;
use crate::case::practice_review::{PracticeReview, ReconsideredOutcome};
use crate::deadline::{Deadline, DeadlineKind};
use chrono::{DateTime, Months, NaiveDate, Utc};

/// Working days before publication by which the Panel, the Secretary of State and Ofsted have
/// the report or the improvements information.
pub const DAYS_BEFORE_PUBLICATION: u32 = 7;

impl Case {
    /// When the decision to hold an LCSPR was taken, if one is or was in force, and when it
    /// was withdrawn on reconsideration, if it was.
    pub fn lcspr_decided_at(&self) -> Option<(DateTime<Utc>, Option<DateTime<Utc>>)> {
        let decision = self.decision.as_ref()?;
        let lcspr = decision.decision == ReviewDecision::Lcspr;
        match self.after.reconsideration {
            Some((ReconsideredOutcome::Commission, at)) => Some((at, None)),
            Some((ReconsideredOutcome::Withdraw, at)) if lcspr => {
                Some((decision.occurred_at, Some(at)))
            }
            _ if lcspr => Some((decision.occurred_at, None)),
            _ => None,
        }
    }

    /// The LCSPR's deadlines, from the decision on: the clock does not wait for the review to
    /// be commissioned. A withdrawn decision sets aside what was still owed.
    pub(in crate::case) fn practice_review_deadlines(
        &self,
        calendar: &WorkingCalendar,
    ) -> Vec<Deadline> {
        let Some((decided_at, withdrawn_at)) = self.lcspr_decided_at() else {
            return Vec::new();
        };
        let review = self.after.practice_review.as_ref();
        let original_due = local_date(decided_at)
            .checked_add_months(Months::new(6))
            .unwrap_or(NaiveDate::MAX);
        let delays = review.map_or(&[][..], |r| &r.delays[..]);
        let due_on = delays.last().map_or(original_due, |(day, _)| *day);
        let fact = |f: fn(&PracticeReview) -> Option<DateTime<Utc>>| review.and_then(f);
        let published = fact(|r| r.published.as_ref().map(|p| p.occurred_at));
        let improvements_published =
            fact(|r| r.improvements_published.as_ref().map(|p| p.occurred_at));
        let withheld_at = fact(|r| r.withheld_at);
        let withheld = withheld_at.is_some();
        let report_sent = fact(|r| r.report_sent_at);
        // "At least 7 working days before publication": the actual publication once it has
        // happened, the day it is planned for until then.
        let before_publication = |actual: Option<DateTime<Utc>>| {
            let day = actual.map_or(due_on, local_date);
            end_of_day(calendar.working_days_before(day, DAYS_BEFORE_PUBLICATION))
        };
        // Before the publication, whether something was sent early enough depends on when the
        // publication comes: nothing is settled until it does, except that once 7 working days
        // have passed since the sending, any publication is far enough behind it.
        let sent_before = |kind, actual: Option<DateTime<Utc>>, sent: Option<DateTime<Utc>>| {
            let mut deadline = Deadline::new(kind, None, before_publication(actual), sent);
            if actual.is_none() {
                deadline.unsettled_until = Some(sent.map_or(DateTime::<Utc>::MAX_UTC, |at| {
                    start_of_day(earliest_publication(calendar, at))
                }));
            }
            deadline
        };
        let mut deadlines = vec![
            Deadline::new(
                DeadlineKind::LcsprPublication,
                None,
                end_of_day(due_on),
                published.or(improvements_published),
            )
            .with_original(end_of_day(original_due), !delays.is_empty()),
            sent_before(DeadlineKind::LcsprReportToPanel, published, report_sent)
                // Withheld: the improvements information goes to the Panel instead; a report still
                // owed then is no longer due (one already breached stays breached).
                .superseded_at(withheld_at),
        ];
        if withheld {
            deadlines.push(sent_before(
                DeadlineKind::LcsprImprovementsToPanel,
                improvements_published,
                fact(|r| r.improvements_sent_at),
            ));
        }
        deadlines.push(sent_before(
            DeadlineKind::LcsprCopyToOfsted,
            published.or(improvements_published),
            fact(|r| r.ofsted_copy_at),
        ));
        if let Some(publication) = review.and_then(PracticeReview::publication) {
            let take_down_on = local_date(publication.occurred_at)
                .checked_add_months(Months::new(12))
                .unwrap_or(NaiveDate::MAX);
            deadlines.push(Deadline::new(
                DeadlineKind::PublicationTakeDown,
                None,
                end_of_day(take_down_on),
                fact(|r| r.taken_down_at),
            ));
        }
        // The partners withdrew the decision: what was still pending then is no longer due;
        // what was met or breached by then stays so.
        for deadline in &mut deadlines {
            deadline.supersede(withdrawn_at);
        }
        deadlines
    }
}

/// The first day on which a publication would be at least 7 working days after something sent
/// at `sent`: the 7th working day after the first working day on or after it.
fn earliest_publication(calendar: &WorkingCalendar, sent: DateTime<Utc>) -> NaiveDate {
    let mut day = local_date(sent);
    while !calendar.is_working_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => return NaiveDate::MAX,
        }
    }
    calendar.add_working_days(day, DAYS_BEFORE_PUBLICATION)
}

/// The first instant of a London day.
fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    at_local_time(day, chrono::NaiveTime::MIN)
}
