//! Annual statistics for the partnership's annual report (domain.md "Annual statistics"):
//! aggregates by financial year, with no personal data and no case ids.
//!
//! Every fact is dated by its `occurred_at` in Europe/London and counted in the financial year
//! that date falls in. Timeliness is judged by the deadline of the fact counted: a figure "on
//! time" counts the facts of the year whose deadline was met, and its percentage is taken over
//! those whose deadline was met, met late or breached by `as_of` (still pending ones wait).
//! Deadline and recommendation figures are counted in the year the deadline fell due.

use casetrail_domain::OrgSlug;
use casetrail_domain::calendar::{end_of_day, local_date};
use casetrail_domain::case::adult_review::SarDecision;
use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::practice_review::ReconsideredOutcome;
use casetrail_domain::case::{Case, Harm, Origin};
use casetrail_domain::deadline::{Deadline, DeadlineKind, DeadlineStatus};
use casetrail_domain::partnership::Partnership;
use chrono::{DateTime, Months, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};

mod action_plans;
mod audits;
mod learning_shared;

pub use action_plans::ActionPlanFigures;
pub use audits::AuditFigures;
pub use casetrail_domain::calendar::financial_year::{FinancialYear, InvalidFinancialYear};
pub use learning_shared::LearningSharedFigures;

/// The financial years in which any of the given facts occurred, oldest first.
pub fn financial_years(facts: impl IntoIterator<Item = DateTime<Utc>>) -> Vec<FinancialYear> {
    facts
        .into_iter()
        .map(FinancialYear::of)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A percentage with one decimal, `None` when there is nothing to take it of.
pub fn percent(count: u32, out_of: u32) -> Option<f64> {
    (out_of > 0).then(|| (f64::from(count) * 1000.0 / f64::from(out_of)).round() / 10.0)
}

/// Notifications of serious incidents by the local authority.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotificationFigures {
    /// Notifications made.
    pub total: u32,
    /// Of which the child died.
    pub death: u32,
    /// Of which the child was seriously harmed.
    pub serious_harm: u32,
    /// Of which the child was looked after.
    pub looked_after: u32,
    /// Of those notifications, the Panel notified within 5 working days of becoming aware.
    pub panel_notified_on_time: u32,
    /// The Panel notified late, or not notified and past due.
    pub panel_notified_late: u32,
    /// `panel_notified_on_time` over on time and late.
    pub panel_notified_on_time_percent: Option<f64>,
}

/// Rapid reviews (Appendix E).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RapidReviewFigures {
    /// Initiated in the year.
    pub initiated: u32,
    /// Submitted to the Panel in the year.
    pub submitted: u32,
    /// Of those submitted, by the end of day 15.
    pub submitted_on_time: u32,
    /// `submitted_on_time` over `submitted`.
    pub submitted_on_time_percent: Option<f64>,
    /// Median working days from day 0 to the submission, over those submitted.
    pub median_working_days_to_submission: Option<f64>,
}

/// One agency's timeliness, for benchmarking.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyTimeliness {
    /// The agency.
    pub organisation: OrgSlug,
    /// Reports requested from it in the year.
    pub requested: u32,
    /// Of those, submitted by day 6 close of business.
    pub on_time: u32,
    /// Submitted late, or not submitted and past due.
    pub late: u32,
    /// `on_time` over on time and late.
    pub on_time_percent: Option<f64>,
}

/// Rapid reviews' agency reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgencyReportFigures {
    /// Reports requested in the year.
    pub requested: u32,
    /// Of those, submitted by day 6 close of business.
    pub on_time: u32,
    /// Submitted late, or not submitted and past due.
    pub late: u32,
    /// `on_time` over on time and late.
    pub on_time_percent: Option<f64>,
    /// The same, per agency, by slug.
    pub by_agency: Vec<AgencyTimeliness>,
}

/// The safeguarding partners' decisions on an LCSPR.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecisionFigures {
    /// Decisions reached in the year.
    pub total: u32,
    /// To hold an LCSPR.
    pub lcspr: u32,
    /// Not to.
    pub no_lcspr: u32,
    /// No partner voted against the decision.
    pub unanimous: u32,
    /// One partner voted against the decision.
    pub majority: u32,
    /// A partner suggested a national review may be appropriate.
    pub national_review_suggested: u32,
}

/// The national Panel's responses to rapid reviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PanelResponseFigures {
    /// Responses received in the year.
    pub total: u32,
    /// The Panel agreed with the partners' decision.
    pub agreed: u32,
    /// The Panel disagreed.
    pub disagreed: u32,
    /// `agreed` over `total`.
    pub agreement_percent: Option<f64>,
}

/// Reconsiderations after the Panel disagreed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReconsiderationFigures {
    /// Reconsiderations in the year.
    pub total: u32,
    /// The partners kept their decision.
    pub adhered: u32,
    /// The partners commissioned an LCSPR.
    pub commissioned: u32,
    /// The partners withdrew a decision to hold an LCSPR.
    pub withdrawn: u32,
}

/// Local child safeguarding practice reviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeReviewFigures {
    /// Commissioned in the year.
    pub commissioned: u32,
    /// Published in the year.
    pub published: u32,
    /// Of those, within 6 calendar months of the decision (whatever delays were approved).
    pub published_within_6_months: u32,
    /// `published_within_6_months` over `published`.
    pub published_within_6_months_percent: Option<f64>,
    /// Reviews whose publication was delayed (a delay approved in the year).
    pub delayed: u32,
    /// Reviews whose publication was withheld in the year.
    pub withheld: u32,
}

/// Safeguarding adult reviews by stage: what happened in the year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdultReviewFigures {
    /// Referrals.
    pub referred: u32,
    /// Decided mandatory (s44(1)).
    pub mandatory: u32,
    /// Decided discretionary (s44(4)).
    pub discretionary: u32,
    /// Decided not required.
    pub not_required: u32,
    /// Commissioned.
    pub commissioned: u32,
    /// Paused (pauses begun).
    pub paused: u32,
    /// Completed.
    pub completed: u32,
    /// Published.
    pub published: u32,
}

/// Domestic homicide reviews by stage: what happened in the year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HomicideReviewFigures {
    /// Notifications.
    pub notified: u32,
    /// Decided to conduct a review.
    pub review: u32,
    /// Decided not to.
    pub no_review: u32,
    /// Commissioned.
    pub commissioned: u32,
    /// Overview reports completed.
    pub completed: u32,
    /// Submitted to the Home Office quality assurance panel.
    pub submitted_to_home_office: u32,
    /// Published.
    pub published: u32,
}

/// Communication of the outcome to the child or family.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilyCommunicationFigures {
    /// Communications recorded in the year.
    pub total: u32,
    /// Given in person through the practitioner working with the family.
    pub in_person: u32,
    /// `in_person` over `total`.
    pub in_person_percent: Option<f64>,
}

/// Recommendations and their actions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecommendationFigures {
    /// Added in the year.
    pub added: u32,
    /// Completed in the year.
    pub completed: u32,
    /// Falling due in the year.
    pub due: u32,
    /// Of those due, completed by the due day.
    pub on_time: u32,
    /// Of those due, completed after the due day.
    pub completed_late: u32,
    /// Of those due, past due and not completed.
    pub overdue: u32,
    /// `on_time` over on time, completed late and overdue.
    pub on_time_percent: Option<f64>,
}

/// Deadlines of one kind that fell due in the year, by status at `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineFigures {
    /// The kind.
    pub kind: DeadlineKind,
    /// Met on time.
    pub met: u32,
    /// Met late: a breach, since put right.
    pub met_late: u32,
    /// Past due and still unmet.
    pub breached: u32,
}

/// Rapid review meetings and who took part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFigures {
    /// Meetings held in the year.
    pub held: u32,
    /// Distinct organisations present at any of them.
    pub organisations_taking_part: u32,
}

/// Every figure of a financial year, as the facts known at `as_of` make them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualStatistics {
    /// The year.
    pub year: FinancialYear,
    /// The instant the figures describe.
    pub as_of: DateTime<Utc>,
    /// Notifications.
    pub notifications: NotificationFigures,
    /// Child cases referred for consideration.
    pub referrals: u32,
    /// Rapid reviews.
    pub rapid_reviews: RapidReviewFigures,
    /// Agency reports.
    pub agency_reports: AgencyReportFigures,
    /// Partner decisions.
    pub decisions: DecisionFigures,
    /// Panel responses.
    pub panel_responses: PanelResponseFigures,
    /// Reconsiderations.
    pub reconsiderations: ReconsiderationFigures,
    /// LCSPRs.
    pub practice_reviews: PracticeReviewFigures,
    /// Safeguarding adult reviews.
    pub adult_reviews: AdultReviewFigures,
    /// Domestic homicide reviews.
    pub homicide_reviews: HomicideReviewFigures,
    /// Family communication.
    pub family_communication: FamilyCommunicationFigures,
    /// Recommendations.
    pub recommendations: RecommendationFigures,
    /// Recommendations' action plans.
    pub action_plans: ActionPlanFigures,
    /// The reviews' learning shared.
    pub learning_shared: LearningSharedFigures,
    /// Multi-agency audits.
    pub audits: AuditFigures,
    /// Deadlines by kind, every kind listed.
    pub deadlines: Vec<DeadlineFigures>,
    /// Meetings.
    pub meetings: MeetingFigures,
}

/// On time or late, as a deadline's status says; pending and not applicable ones wait.
#[derive(Debug, Default, Clone, Copy)]
struct Timeliness {
    on_time: u32,
    late: u32,
}

impl Timeliness {
    fn record(&mut self, status: Option<DeadlineStatus>) {
        match status {
            Some(DeadlineStatus::Met) => self.on_time += 1,
            Some(DeadlineStatus::MetLate | DeadlineStatus::Breached) => self.late += 1,
            _ => {}
        }
    }

    fn percent(self) -> Option<f64> {
        percent(self.on_time, self.on_time + self.late)
    }
}

/// What one pass over the cases accumulates before the figures are finished.
#[derive(Debug, Default)]
struct Accumulator {
    panel_notification: Timeliness,
    days_to_submission: Vec<i64>,
    agencies: BTreeMap<OrgSlug, (u32, Timeliness)>,
    deadlines: BTreeMap<DeadlineKind, DeadlineFigures>,
    attendees: BTreeSet<OrgSlug>,
    learning_reached: learning_shared::Reached,
}

/// Counts a case's facts into the year's figures.
struct Counting<'a> {
    year: FinancialYear,
    as_of: DateTime<Utc>,
    partnership: &'a Partnership,
}

impl Counting<'_> {
    /// Whether a fact was known at `as_of` and occurred in the year.
    fn in_year(&self, at: DateTime<Utc>) -> bool {
        at <= self.as_of && self.year.contains(local_date(at))
    }

    fn status(&self, deadline: Option<&Deadline>) -> Option<DeadlineStatus> {
        deadline.map(|d| d.status(self.as_of, &self.partnership.calendar))
    }
}

/// The figures of a financial year from the cases as known at `as_of`, with deadline
/// statuses evaluated at `as_of` on the partnership's calendar.
pub fn annual_statistics<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    partnership: &Partnership,
    year: FinancialYear,
    as_of: DateTime<Utc>,
) -> AnnualStatistics {
    let counting = Counting {
        year,
        as_of,
        partnership,
    };
    let mut acc = Accumulator {
        // Every kind, so that a kind with no deadline in the year shows as none, and none is
        // left out (a kind missing here would drop its breaches from the figures silently).
        deadlines: DeadlineKind::ALL
            .iter()
            .map(|kind| {
                (
                    *kind,
                    DeadlineFigures {
                        kind: *kind,
                        met: 0,
                        met_late: 0,
                        breached: 0,
                    },
                )
            })
            .collect(),
        ..Accumulator::default()
    };
    let mut stats = AnnualStatistics {
        year,
        as_of,
        notifications: NotificationFigures::default(),
        referrals: 0,
        rapid_reviews: RapidReviewFigures::default(),
        agency_reports: AgencyReportFigures::default(),
        decisions: DecisionFigures::default(),
        panel_responses: PanelResponseFigures::default(),
        reconsiderations: ReconsiderationFigures::default(),
        practice_reviews: PracticeReviewFigures::default(),
        adult_reviews: AdultReviewFigures::default(),
        homicide_reviews: HomicideReviewFigures::default(),
        family_communication: FamilyCommunicationFigures::default(),
        recommendations: RecommendationFigures::default(),
        action_plans: ActionPlanFigures::default(),
        learning_shared: LearningSharedFigures::default(),
        audits: AuditFigures::default(),
        deadlines: Vec::new(),
        meetings: MeetingFigures::default(),
    };
    for case in cases {
        let deadlines = case.deadlines(partnership);
        count_opening(&counting, case, &deadlines, &mut stats, &mut acc);
        count_rapid_review(&counting, case, &deadlines, &mut stats, &mut acc);
        count_decision(&counting, case, &mut stats);
        count_after_review(&counting, case, &deadlines, &mut stats);
        action_plans::count(&counting, case, &deadlines, &mut stats.action_plans);
        learning_shared::count(
            &counting,
            case,
            &mut stats.learning_shared,
            &mut acc.learning_reached,
        );
        audits::count(&counting, case, &mut stats.audits);
        count_adult_review(&counting, case, &mut stats);
        count_homicide_review(&counting, case, &mut stats);
        count_deadlines(&counting, &deadlines, &mut acc);
    }
    finish(stats, acc)
}

fn count_opening(
    c: &Counting<'_>,
    case: &Case,
    deadlines: &[Deadline],
    stats: &mut AnnualStatistics,
    acc: &mut Accumulator,
) {
    match &case.origin {
        Origin::Notification(notified) if c.in_year(notified.occurred_at) => {
            let figures = &mut stats.notifications;
            figures.total += 1;
            match notified.harm {
                Harm::Death => figures.death += 1,
                Harm::SeriousHarm => figures.serious_harm += 1,
                Harm::NotSerious => {}
            }
            figures.looked_after += u32::from(notified.child.looked_after);
            let deadline = deadlines
                .iter()
                .find(|d| d.kind == DeadlineKind::PanelNotification);
            acc.panel_notification.record(c.status(deadline));
        }
        Origin::Referral(referred) if c.in_year(referred.occurred_at) => stats.referrals += 1,
        _ => {}
    }
}

fn count_rapid_review(
    c: &Counting<'_>,
    case: &Case,
    deadlines: &[Deadline],
    stats: &mut AnnualStatistics,
    acc: &mut Accumulator,
) {
    let Some(review) = &case.rapid_review else {
        return;
    };
    let figures = &mut stats.rapid_reviews;
    figures.initiated += u32::from(c.in_year(review.initiated_at));
    if let Some(submitted_at) = review.submitted_at.filter(|at| c.in_year(*at)) {
        figures.submitted += 1;
        let deadline = deadlines
            .iter()
            .find(|d| d.kind == DeadlineKind::RrSubmission);
        if c.status(deadline) == Some(DeadlineStatus::Met) {
            figures.submitted_on_time += 1;
        }
        if let Some(day0) = case.rapid_review_day0(&c.partnership.settings) {
            acc.days_to_submission.push(
                c.partnership
                    .calendar
                    .working_days_between(day0, local_date(submitted_at)),
            );
        }
    }
    for (organisation, report) in &review.agency_reports {
        if !c.in_year(report.requested_at) {
            continue;
        }
        let deadline = deadlines.iter().find(|d| {
            d.kind == DeadlineKind::RrAgencyReport && d.organisation.as_ref() == Some(organisation)
        });
        let (requested, timeliness) = acc.agencies.entry(organisation.clone()).or_default();
        *requested += 1;
        timeliness.record(c.status(deadline));
    }
    if review.meeting_held_at.is_some_and(|at| c.in_year(at)) {
        stats.meetings.held += 1;
        acc.attendees
            .extend(review.meeting_attendees.iter().cloned());
    }
}

fn count_decision(c: &Counting<'_>, case: &Case, stats: &mut AnnualStatistics) {
    let Some(decision) = case.decision.as_ref().filter(|d| c.in_year(d.occurred_at)) else {
        return;
    };
    let figures = &mut stats.decisions;
    figures.total += 1;
    match decision.decision {
        ReviewDecision::Lcspr => figures.lcspr += 1,
        ReviewDecision::NoLcspr => figures.no_lcspr += 1,
    }
    let votes: Vec<_> = case
        .votes
        .values()
        .filter(|v| v.occurred_at <= c.as_of)
        .collect();
    if votes.iter().any(|v| v.decision != decision.decision) {
        figures.majority += 1;
    } else {
        figures.unanimous += 1;
    }
    figures.national_review_suggested +=
        u32::from(votes.iter().any(|v| v.national_review_suggested));
}

fn count_after_review(
    c: &Counting<'_>,
    case: &Case,
    deadlines: &[Deadline],
    stats: &mut AnnualStatistics,
) {
    let after = &case.after;
    if let Some(response) = after
        .panel_response
        .as_ref()
        .filter(|r| c.in_year(r.occurred_at))
    {
        stats.panel_responses.total += 1;
        if response.agrees {
            stats.panel_responses.agreed += 1;
        } else {
            stats.panel_responses.disagreed += 1;
        }
    }
    if let Some((outcome, _)) = after.reconsideration.filter(|(_, at)| c.in_year(*at)) {
        stats.reconsiderations.total += 1;
        match outcome {
            ReconsideredOutcome::Adhere => stats.reconsiderations.adhered += 1,
            ReconsideredOutcome::Commission => stats.reconsiderations.commissioned += 1,
            ReconsideredOutcome::Withdraw => stats.reconsiderations.withdrawn += 1,
        }
    }
    if let Some(told) = after
        .family_communication
        .as_ref()
        .filter(|f| c.in_year(f.occurred_at))
    {
        stats.family_communication.total += 1;
        stats.family_communication.in_person += u32::from(told.in_person);
    }
    if let Some(review) = &after.practice_review {
        let figures = &mut stats.practice_reviews;
        figures.commissioned += u32::from(c.in_year(review.commissioned_at));
        if let Some(published) = review
            .published
            .as_ref()
            .filter(|p| c.in_year(p.occurred_at))
        {
            figures.published += 1;
            // Six calendar months from the decision in force, whatever delay was approved.
            let within = case.decided_at().is_some_and(|decided_at| {
                let six_months = local_date(decided_at)
                    .checked_add_months(Months::new(6))
                    .unwrap_or(NaiveDate::MAX);
                published.occurred_at <= end_of_day(six_months)
            });
            figures.published_within_6_months += u32::from(within);
        }
        figures.delayed += u32::from(review.delays.iter().any(|(_, at)| c.in_year(*at)));
        figures.withheld += u32::from(review.withheld_at.is_some_and(|at| c.in_year(at)));
    }
    let figures = &mut stats.recommendations;
    for recommendation in after.recommendations.values() {
        figures.added += u32::from(c.in_year(recommendation.added.occurred_at));
        figures.completed += u32::from(recommendation.completed_at.is_some_and(|at| c.in_year(at)));
        if recommendation.added.occurred_at > c.as_of
            || !c.year.contains(recommendation.added.due_on)
        {
            continue;
        }
        figures.due += 1;
        let deadline = deadlines.iter().find(|d| {
            d.kind == DeadlineKind::Recommendation
                && d.reference == Some(recommendation.added.recommendation_id)
        });
        match c.status(deadline) {
            Some(DeadlineStatus::Met) => figures.on_time += 1,
            Some(DeadlineStatus::MetLate) => figures.completed_late += 1,
            Some(DeadlineStatus::Breached) => figures.overdue += 1,
            _ => {}
        }
    }
}

fn count_adult_review(c: &Counting<'_>, case: &Case, stats: &mut AnnualStatistics) {
    let Some(sar) = &case.sar else {
        return;
    };
    let figures = &mut stats.adult_reviews;
    figures.referred += u32::from(
        case.adult_referral()
            .is_some_and(|r| c.in_year(r.occurred_at)),
    );
    if let Some(decision) = sar.decision.as_ref().filter(|d| c.in_year(d.occurred_at)) {
        match decision.decision {
            SarDecision::Mandatory => figures.mandatory += 1,
            SarDecision::Discretionary => figures.discretionary += 1,
            SarDecision::NotRequired => figures.not_required += 1,
        }
    }
    figures.commissioned += u32::from(
        sar.commissioned
            .as_ref()
            .is_some_and(|s| c.in_year(s.occurred_at)),
    );
    let paused = sar.pauses.iter().filter(|p| c.in_year(p.paused_at)).count();
    figures.paused += u32::try_from(paused).unwrap_or(u32::MAX);
    figures.completed += u32::from(
        sar.completed
            .as_ref()
            .is_some_and(|s| c.in_year(s.occurred_at)),
    );
    figures.published += u32::from(
        sar.published
            .as_ref()
            .is_some_and(|p| c.in_year(p.occurred_at)),
    );
}

fn count_homicide_review(c: &Counting<'_>, case: &Case, stats: &mut AnnualStatistics) {
    let Some(dhr) = &case.dhr else {
        return;
    };
    let figures = &mut stats.homicide_reviews;
    figures.notified += u32::from(
        case.homicide_notification()
            .is_some_and(|n| c.in_year(n.occurred_at)),
    );
    if let Some(decision) = dhr.decision.as_ref().filter(|d| c.in_year(d.occurred_at)) {
        if decision.conduct_review {
            figures.review += 1;
        } else {
            figures.no_review += 1;
        }
    }
    figures.commissioned += u32::from(
        dhr.commissioned
            .as_ref()
            .is_some_and(|d| c.in_year(d.occurred_at)),
    );
    figures.completed += u32::from(dhr.completed_at.is_some_and(|at| c.in_year(at)));
    figures.submitted_to_home_office += u32::from(
        dhr.submitted_to_home_office_at
            .is_some_and(|at| c.in_year(at)),
    );
    figures.published += u32::from(
        dhr.published
            .as_ref()
            .is_some_and(|p| c.in_year(p.occurred_at)),
    );
}

fn count_deadlines(c: &Counting<'_>, deadlines: &[Deadline], acc: &mut Accumulator) {
    for deadline in deadlines {
        if !c.year.contains(local_date(deadline.due_at_as_of(c.as_of))) {
            continue;
        }
        let Some(figures) = acc.deadlines.get_mut(&deadline.kind) else {
            continue;
        };
        match c.status(Some(deadline)) {
            Some(DeadlineStatus::Met) => figures.met += 1,
            Some(DeadlineStatus::MetLate) => figures.met_late += 1,
            Some(DeadlineStatus::Breached) => figures.breached += 1,
            _ => {}
        }
    }
}

fn finish(mut stats: AnnualStatistics, acc: Accumulator) -> AnnualStatistics {
    let notifications = &mut stats.notifications;
    notifications.panel_notified_on_time = acc.panel_notification.on_time;
    notifications.panel_notified_late = acc.panel_notification.late;
    notifications.panel_notified_on_time_percent = acc.panel_notification.percent();

    let reviews = &mut stats.rapid_reviews;
    reviews.submitted_on_time_percent = percent(reviews.submitted_on_time, reviews.submitted);
    reviews.median_working_days_to_submission = median(acc.days_to_submission);

    let reports = &mut stats.agency_reports;
    let mut total = Timeliness::default();
    for (organisation, (requested, timeliness)) in acc.agencies {
        reports.requested += requested;
        total.on_time += timeliness.on_time;
        total.late += timeliness.late;
        reports.by_agency.push(AgencyTimeliness {
            organisation,
            requested,
            on_time: timeliness.on_time,
            late: timeliness.late,
            on_time_percent: timeliness.percent(),
        });
    }
    reports.on_time = total.on_time;
    reports.late = total.late;
    reports.on_time_percent = total.percent();

    let responses = &mut stats.panel_responses;
    responses.agreement_percent = percent(responses.agreed, responses.total);
    let reviews = &mut stats.practice_reviews;
    reviews.published_within_6_months_percent =
        percent(reviews.published_within_6_months, reviews.published);
    let family = &mut stats.family_communication;
    family.in_person_percent = percent(family.in_person, family.total);
    let recommendations = &mut stats.recommendations;
    recommendations.on_time_percent = percent(
        recommendations.on_time,
        recommendations.on_time + recommendations.completed_late + recommendations.overdue,
    );
    action_plans::finish(&mut stats.action_plans);
    learning_shared::finish(&mut stats.learning_shared, acc.learning_reached);
    stats.deadlines = acc.deadlines.into_values().collect();
    stats.meetings.organisations_taking_part =
        u32::try_from(acc.attendees.len()).unwrap_or(u32::MAX);
    stats
}

/// The median, halfway between the middle two of an even count; `None` when empty.
fn median(mut values: Vec<i64>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let middle = |i: usize| values.get(i).copied().unwrap_or_default() as f64;
    Some(if n % 2 == 1 {
        middle(n / 2)
    } else {
        (middle(n / 2 - 1) + middle(n / 2)) / 2.0
    })
}

#[cfg(test)]
mod tests;
