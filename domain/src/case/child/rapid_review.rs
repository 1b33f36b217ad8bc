//! The rapid review (Appendix E): 15 working days from day 0, its facts and their deadlines.

use crate::OrgSlug;
use crate::calendar::{WorkingCalendar, at_local_time, end_of_day, local_date};
use crate::case::{Case, CaseKind, SealedPersonalData};
use crate::deadline::{Deadline, DeadlineKind};
use crate::partnership::{ClockStart, DeadlineBasis, PartnershipSettings, StatutoryPartner};
use crate::small_map::{SmallMap, SmallSet};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The business manager started the rapid review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewInitiated {
    /// Which date is day 0, fixed when the review starts so a later settings change never
    /// moves a running review's deadlines.
    pub clock_start: ClockStart,
    /// Local close-of-business time of the review's "close of business" milestones, fixed at
    /// initiation for the same reason.
    pub close_of_business: NaiveTime,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A fact with nothing to it but when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurred {
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A safeguarding partner named its lead for the review (a member of staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerLeadNamed {
    /// The partner.
    pub partner: StatutoryPartner,
    /// The lead's name (staff, not personal data of the case).
    pub lead_name: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The review lead/author was agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLeadAgreed {
    /// The lead's name.
    pub lead_name: String,
    /// The lead's organisation.
    pub organisation: OrgSlug,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Internal documents are accepted instead of agency reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifiedResponseAgreed {
    /// Why, sealed (it describes the case).
    pub rationale: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Something one organisation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationAct {
    /// The organisation.
    pub organisation: OrgSlug,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An agency submitted its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyReportSubmitted {
    /// The agency.
    pub organisation: OrgSlug,
    /// Involvement, summary and learning, sealed.
    pub report: SealedPersonalData,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The rapid review meeting (day 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewMeetingHeld {
    /// Organisations present.
    pub attendees: Vec<OrgSlug>,
    /// Whether at least one service manager was present.
    pub service_manager_present: bool,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The rapid review went to the Panel (day 15) with the partners' decision. Schema version 2;
/// version 1 was a bare `occurred_at` (see `codec/upcast.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewSubmitted {
    /// The partners' view, shared with the Panel in the submitted decision, on whether the case
    /// may raise issues so complex or of such national importance that a national review may be
    /// appropriate (Appendix D). `None` on rows stored before the view was recorded.
    pub national_review_may_be_appropriate: Option<bool>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A step of the rapid review report's drafting (days 11 and 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DraftMilestone {
    /// First draft completed (day 11).
    FirstDraftCompleted,
    /// Draft circulated to the review team and the Independent Advisor (day 12, 09:30).
    DraftCirculated,
    /// Second draft finalised (day 12, close of business: "the end of business day 12").
    SecondDraftFinalised,
}

/// A drafting step was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftMilestoneRecorded {
    /// Which.
    pub milestone: DraftMilestone,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An agency report: when asked for, when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyReport {
    /// When requested.
    pub requested_at: DateTime<Utc>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The rapid review as its events have made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReview {
    /// How day 0 is chosen.
    pub clock_start: ClockStart,
    /// Close of business for the review's milestones.
    pub close_of_business: NaiveTime,
    /// When it was initiated.
    pub initiated_at: DateTime<Utc>,
    /// When the partners were notified.
    pub partners_notified_at: Option<DateTime<Utc>>,
    /// Each partner's named lead.
    pub partner_leads: SmallMap<StatutoryPartner, String>,
    /// The agreed review lead.
    pub review_lead: Option<(String, OrgSlug)>,
    /// When a modified response was agreed.
    pub modified_response_at: Option<DateTime<Utc>>,
    /// Agency reports by organisation.
    pub agency_reports: SmallMap<OrgSlug, AgencyReport>,
    /// When reports were circulated.
    pub reports_circulated_at: Option<DateTime<Utc>>,
    /// When the meeting was held.
    pub meeting_held_at: Option<DateTime<Utc>>,
    /// Organisations present at the meeting (the annual statistics count them).
    pub meeting_attendees: SmallSet<OrgSlug>,
    /// Drafting steps reached.
    pub drafts: SmallMap<DraftMilestone, DateTime<Utc>>,
    /// Draft comments by organisation.
    pub draft_comments: SmallMap<OrgSlug, DateTime<Utc>>,
    /// Senior sign-offs by organisation.
    pub senior_sign_offs: SmallMap<OrgSlug, DateTime<Utc>>,
    /// The Independent Advisor's sign-off.
    pub independent_sign_off_at: Option<DateTime<Utc>>,
    /// Submission to the Panel.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The partners' view on a national review, as shared with the Panel on submission.
    pub national_review_may_be_appropriate: Option<bool>,
}

impl RapidReview {
    /// A review just initiated.
    pub fn initiated(event: &RapidReviewInitiated) -> Self {
        Self {
            clock_start: event.clock_start,
            close_of_business: event.close_of_business,
            initiated_at: event.occurred_at,
            partners_notified_at: None,
            partner_leads: SmallMap::new(),
            review_lead: None,
            modified_response_at: None,
            agency_reports: SmallMap::new(),
            reports_circulated_at: None,
            meeting_held_at: None,
            meeting_attendees: SmallSet::new(),
            drafts: SmallMap::new(),
            draft_comments: SmallMap::new(),
            senior_sign_offs: SmallMap::new(),
            independent_sign_off_at: None,
            submitted_at: None,
            national_review_may_be_appropriate: None,
        }
    }

    /// The facts of a review not initiated yet: none. Day 0 may already be known (the Panel was
    /// notified), and then every milestone is due whether or not anyone has initiated the
    /// review, with the partnership's current settings until initiation fixes them.
    pub fn awaiting(settings: &PartnershipSettings, opened_at: DateTime<Utc>) -> Self {
        Self::initiated(&RapidReviewInitiated {
            clock_start: settings.rapid_review_clock_start,
            close_of_business: settings.close_of_business,
            occurred_at: opened_at,
        })
    }

    /// The review team: the organisations asked for a report, each of which comments on the
    /// draft and signs it off, plus the given statutory partners' organisations.
    pub fn review_team(&self, partners: &BTreeSet<OrgSlug>) -> BTreeSet<OrgSlug> {
        self.agency_reports
            .keys()
            .cloned()
            .chain(partners.iter().cloned())
            .collect()
    }
}

/// The rapid review's schedule from day 0 (Appendix E).
#[derive(Debug)]
pub struct Schedule<'a> {
    /// Day 0.
    pub day0: NaiveDate,
    /// The partnership's calendar.
    pub calendar: &'a WorkingCalendar,
    /// Close of business, as fixed when the review was initiated.
    pub close_of_business: NaiveTime,
}

impl Schedule<'_> {
    fn day(&self, n: u32) -> NaiveDate {
        self.calendar.add_working_days(self.day0, n)
    }

    fn end_of(&self, n: u32) -> DateTime<Utc> {
        end_of_day(self.day(n))
    }

    fn at(&self, n: u32, time: NaiveTime) -> DateTime<Utc> {
        at_local_time(self.day(n), time)
    }

    /// Every deadline of the review, with what fulfilled it so far.
    pub fn deadlines(&self, review: &RapidReview, team: &BTreeSet<OrgSlug>) -> Vec<Deadline> {
        let nine_thirty = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN);
        let three_pm = NaiveTime::from_hms_opt(15, 0, 0).unwrap_or(NaiveTime::MIN);
        let single = |kind, due_at, fulfilled_at: Option<DateTime<Utc>>| {
            Deadline::new(kind, None, due_at, fulfilled_at)
        };
        let mut deadlines = vec![single(
            DeadlineKind::RrPartnersNotified,
            self.end_of(2),
            review.partners_notified_at,
        )];
        for (org, report) in &review.agency_reports {
            // A modified response changes what is sent (internal documents instead of a
            // report), not when: it is still due at close of business on day 6 (Appendix E).
            deadlines.push(Deadline::new(
                DeadlineKind::RrAgencyReport,
                Some(org.clone()),
                self.at(6, self.close_of_business),
                report.submitted_at,
            ));
        }
        let draft = |m| review.drafts.get(&m).copied();
        deadlines.extend([
            single(
                DeadlineKind::RrReportsCirculated,
                self.end_of(7),
                review.reports_circulated_at,
            ),
            single(
                DeadlineKind::RrMeeting,
                self.end_of(8),
                review.meeting_held_at,
            ),
            single(
                DeadlineKind::RrFirstDraft,
                self.end_of(11),
                draft(DraftMilestone::FirstDraftCompleted),
            ),
            single(
                DeadlineKind::RrDraftCirculated,
                self.at(12, nine_thirty),
                draft(DraftMilestone::DraftCirculated),
            ),
        ]);
        for org in team {
            deadlines.push(Deadline::new(
                DeadlineKind::RrDraftComments,
                Some(org.clone()),
                self.at(12, three_pm),
                review.draft_comments.get(org).copied(),
            ));
        }
        // "By the end of business day 12": close of business, not the end of the day.
        deadlines.push(single(
            DeadlineKind::RrSecondDraft,
            self.at(12, self.close_of_business),
            draft(DraftMilestone::SecondDraftFinalised),
        ));
        for org in team {
            deadlines.push(Deadline::new(
                DeadlineKind::RrSeniorSignOff,
                Some(org.clone()),
                self.end_of(13),
                review.senior_sign_offs.get(org).copied(),
            ));
        }
        deadlines.extend([
            single(
                DeadlineKind::RrIndependentSignOff,
                self.end_of(14),
                review.independent_sign_off_at,
            ),
            single(
                DeadlineKind::RrSubmission,
                self.end_of(15),
                review.submitted_at,
            ),
        ]);
        deadlines
    }
}

/// The three safeguarding partners.
pub const PARTNERS: [StatutoryPartner; 3] = [
    StatutoryPartner::LocalAuthority,
    StatutoryPartner::Police,
    StatutoryPartner::Health,
];

impl Case {
    /// Day 0 of the rapid review, once it is known. The clock start is the one fixed when the
    /// review was initiated, or the partnership's current setting before then: by default the
    /// day the Panel was notified (the Panel's guidance), so the clock runs from the Panel
    /// notification whether or not anyone has initiated the review yet. A referral has neither
    /// a Panel notification nor a day of becoming aware: its review runs from initiation
    /// (Appendix D).
    pub fn rapid_review_day0(&self, settings: &PartnershipSettings) -> Option<NaiveDate> {
        let review = self.rapid_review.as_ref();
        let initiated_on = review.map(|r| local_date(r.initiated_at));
        let Some(notification) = self.notification() else {
            return initiated_on;
        };
        match review.map_or(settings.rapid_review_clock_start, |r| r.clock_start) {
            ClockStart::PanelNotification => {
                self.panel_notification.as_ref().map(|p| p.submitted_on)
            }
            ClockStart::BecameAware => Some(notification.became_aware_on),
            ClockStart::Initiation => initiated_on,
        }
    }

    /// Whether its deadlines read the partnership's settings: until a rapid review is
    /// initiated it runs by the partnership's clock start and close of business as they stand
    /// ([`Case::rapid_review_day0`], `rapid_review_deadlines`); initiation fixes both in the
    /// review. Open or closed: a closed case's superseded deadlines keep their due instants.
    #[must_use]
    pub fn reads_rapid_review_settings(&self) -> bool {
        self.kind == CaseKind::Child && self.rapid_review.is_none()
    }

    /// The rapid review's deadlines: none until day 0 is known, then every milestone, whether
    /// or not the review has been initiated.
    pub(in crate::case) fn rapid_review_deadlines(
        &self,
        basis: &DeadlineBasis<'_>,
        calendar: &WorkingCalendar,
    ) -> Vec<Deadline> {
        if self.kind != CaseKind::Child {
            return Vec::new();
        }
        let Some(day0) = self.rapid_review_day0(basis.settings) else {
            return Vec::new();
        };
        let awaiting;
        let review = match &self.rapid_review {
            Some(review) => review,
            None => {
                awaiting = RapidReview::awaiting(basis.settings, self.opened_at);
                &awaiting
            }
        };
        let schedule = Schedule {
            day0,
            calendar,
            close_of_business: review.close_of_business,
        };
        let partners: BTreeSet<OrgSlug> = PARTNERS
            .into_iter()
            .filter_map(|p| basis.partner_org(p).cloned())
            .collect();
        let mut deadlines = schedule.deadlines(review, &review.review_team(&partners));
        deadlines.extend(self.missing_vote_deadlines(basis, schedule.end_of(15)));
        deadlines
    }

    /// A 1–1 split with the third partner silent: the third partner's vote decides, and it is
    /// due with the submission to the Panel (day 15), because the submission carries the
    /// decision. A partner that had voted before the others split owes nothing.
    fn missing_vote_deadlines(
        &self,
        basis: &DeadlineBasis<'_>,
        due_at: DateTime<Utc>,
    ) -> Vec<Deadline> {
        PARTNERS
            .into_iter()
            .filter_map(|partner| {
                let mut others = PARTNERS
                    .into_iter()
                    .filter(|p| *p != partner)
                    .map(|p| self.votes.get(&p));
                let (Some(Some(a)), Some(Some(b))) = (others.next(), others.next()) else {
                    return None;
                };
                if a.decision == b.decision {
                    return None;
                }
                let split_at = a.occurred_at.max(b.occurred_at);
                let own = self.votes.get(&partner).map(|v| v.occurred_at);
                if own.is_some_and(|at| at < split_at) {
                    return None;
                }
                let org = basis.partner_org(partner).cloned();
                Some(Deadline::new(
                    DeadlineKind::RrPartnerDecision,
                    org,
                    due_at,
                    own,
                ))
            })
            .collect()
    }
}
