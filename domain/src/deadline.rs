//! Deadlines: when a fact is due, what fulfilled it, and its status at any instant.
//!
//! A deadline's status is not stored: a breach is caused by time passing, not by an event, so
//! it is evaluated against an `as_of` instant (architecture.md "Projections").

use crate::calendar::{WorkingCalendar, local_date};
use crate::{CaseId, OrgSlug};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a deadline is for: stable codes partner systems build against (api.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The Panel notified within 5 working days of becoming aware.
    PanelNotification,
    /// Rapid review day 2: the three partners notified.
    RrPartnersNotified,
    /// Rapid review day 6, close of business: an agency's report.
    RrAgencyReport,
    /// Rapid review day 7: reports circulated.
    RrReportsCirculated,
    /// Rapid review day 8: the meeting held.
    RrMeeting,
    /// Rapid review day 11: first draft completed.
    RrFirstDraft,
    /// Rapid review day 12, 09:30: draft circulated.
    RrDraftCirculated,
    /// Rapid review day 12, 15:00: an organisation's comments on the draft.
    RrDraftComments,
    /// Rapid review day 12, close of business: second draft finalised.
    RrSecondDraft,
    /// Rapid review day 13: an organisation's senior sign-off.
    RrSeniorSignOff,
    /// Rapid review day 14: the Independent Advisor's sign-off.
    RrIndependentSignOff,
    /// Rapid review day 15: submitted to the Panel.
    RrSubmission,
    /// An LCSPR published within 6 months of the decision (moved by approved delays).
    LcsprPublication,
    /// The LCSPR's final report to the Panel at least 7 working days before publication.
    LcsprReportToPanel,
    /// A published report taken down from the website a year after publication.
    PublicationTakeDown,
    /// A recommendation's action completed by its owner.
    Recommendation,
    /// A safeguarding adult review completed within 6 months of the decision, paused time not
    /// counting.
    SarCompletion,
    /// A domestic homicide review decided within one month of the notification.
    DhrDecision,
    /// A domestic homicide review completed within 6 months of the decision.
    DhrCompletion,
    /// The Home Office told of the decision on a domestic homicide review (also a decision not
    /// to review) within the month allowed for the decision.
    DhrHomeOfficeNotification,
    /// Rapid review day 15: the vote of the partner that is silent while the other two
    /// disagree (its vote decides; the decision goes with the submission).
    RrPartnerDecision,
    /// When publication is withheld: the improvements information to the Panel and the
    /// Secretary of State at least 7 working days before it is published.
    LcsprImprovementsToPanel,
    /// The LCSPR report, or the improvements information, to Ofsted at least 7 working days
    /// before publication.
    LcsprCopyToOfsted,
    /// A copy of the Panel notification to the business manager the same day.
    PanelNotificationCopy,
    /// The death of a looked-after child notified to Ofsted and the Secretary of State within
    /// 5 working days of becoming aware.
    LookedAfterDeathNotification,
    /// An action of a recommendation's plan completed by its owner by its due date.
    Action,
}

impl DeadlineKind {
    /// Every kind, in declaration order.
    pub const ALL: [DeadlineKind; 26] = [
        DeadlineKind::PanelNotification,
        DeadlineKind::RrPartnersNotified,
        DeadlineKind::RrAgencyReport,
        DeadlineKind::RrReportsCirculated,
        DeadlineKind::RrMeeting,
        DeadlineKind::RrFirstDraft,
        DeadlineKind::RrDraftCirculated,
        DeadlineKind::RrDraftComments,
        DeadlineKind::RrSecondDraft,
        DeadlineKind::RrSeniorSignOff,
        DeadlineKind::RrIndependentSignOff,
        DeadlineKind::RrSubmission,
        DeadlineKind::LcsprPublication,
        DeadlineKind::LcsprReportToPanel,
        DeadlineKind::PublicationTakeDown,
        DeadlineKind::Recommendation,
        DeadlineKind::SarCompletion,
        DeadlineKind::DhrDecision,
        DeadlineKind::DhrCompletion,
        DeadlineKind::DhrHomeOfficeNotification,
        DeadlineKind::RrPartnerDecision,
        DeadlineKind::LcsprImprovementsToPanel,
        DeadlineKind::LcsprCopyToOfsted,
        DeadlineKind::PanelNotificationCopy,
        DeadlineKind::LookedAfterDeathNotification,
        DeadlineKind::Action,
    ];

    /// The kind with this stable code, if one has it.
    pub fn parse(code: &str) -> Option<DeadlineKind> {
        DeadlineKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::PanelNotification => "panel_notification",
            DeadlineKind::RrPartnersNotified => "rr_partners_notified",
            DeadlineKind::RrAgencyReport => "rr_agency_report",
            DeadlineKind::RrReportsCirculated => "rr_reports_circulated",
            DeadlineKind::RrMeeting => "rr_meeting",
            DeadlineKind::RrFirstDraft => "rr_first_draft",
            DeadlineKind::RrDraftCirculated => "rr_draft_circulated",
            DeadlineKind::RrDraftComments => "rr_draft_comments",
            DeadlineKind::RrSecondDraft => "rr_second_draft",
            DeadlineKind::RrSeniorSignOff => "rr_senior_sign_off",
            DeadlineKind::RrIndependentSignOff => "rr_independent_sign_off",
            DeadlineKind::RrSubmission => "rr_submission",
            DeadlineKind::LcsprPublication => "lcspr_publication",
            DeadlineKind::LcsprReportToPanel => "lcspr_report_to_panel",
            DeadlineKind::PublicationTakeDown => "publication_take_down",
            DeadlineKind::Recommendation => "recommendation",
            DeadlineKind::SarCompletion => "sar_completion",
            DeadlineKind::DhrDecision => "dhr_decision",
            DeadlineKind::DhrCompletion => "dhr_completion",
            DeadlineKind::DhrHomeOfficeNotification => "dhr_home_office_notification",
            DeadlineKind::RrPartnerDecision => "rr_partner_decision",
            DeadlineKind::LcsprImprovementsToPanel => "lcspr_improvements_to_panel",
            DeadlineKind::LcsprCopyToOfsted => "lcspr_copy_to_ofsted",
            DeadlineKind::PanelNotificationCopy => "panel_notification_copy",
            DeadlineKind::LookedAfterDeathNotification => "looked_after_death_notification",
            DeadlineKind::Action => "action",
        }
    }

    /// How a bank holiday can move the deadline: counted in working days forward from an
    /// earlier day, backward from a later one (a week and a half at most: "at least 7 working
    /// days before publication"), or not at all (calendar months, the same day, a chosen day).
    /// Exhaustive on purpose: a new kind must say which, or a declared holiday could silently
    /// fail to move it.
    pub fn working_day_count(self) -> WorkingDayCount {
        use WorkingDayCount::{Backward, Forward, None};
        match self {
            DeadlineKind::PanelNotification
            | DeadlineKind::LookedAfterDeathNotification
            | DeadlineKind::RrPartnersNotified
            | DeadlineKind::RrAgencyReport
            | DeadlineKind::RrReportsCirculated
            | DeadlineKind::RrMeeting
            | DeadlineKind::RrFirstDraft
            | DeadlineKind::RrDraftCirculated
            | DeadlineKind::RrDraftComments
            | DeadlineKind::RrSecondDraft
            | DeadlineKind::RrSeniorSignOff
            | DeadlineKind::RrIndependentSignOff
            | DeadlineKind::RrSubmission
            | DeadlineKind::RrPartnerDecision => Forward,
            DeadlineKind::LcsprReportToPanel
            | DeadlineKind::LcsprImprovementsToPanel
            | DeadlineKind::LcsprCopyToOfsted => Backward,
            DeadlineKind::PanelNotificationCopy
            | DeadlineKind::LcsprPublication
            | DeadlineKind::PublicationTakeDown
            | DeadlineKind::Recommendation
            | DeadlineKind::Action
            | DeadlineKind::SarCompletion
            | DeadlineKind::DhrDecision
            | DeadlineKind::DhrHomeOfficeNotification
            | DeadlineKind::DhrCompletion => None,
        }
    }

    /// The role that acts to fulfil the deadline (with the deadline's organisation, when it
    /// names one): who must act next.
    pub fn responsible_role(self) -> crate::Role {
        use crate::Role;
        match self {
            DeadlineKind::PanelNotification
            | DeadlineKind::PanelNotificationCopy
            | DeadlineKind::LookedAfterDeathNotification => Role::Notifier,
            DeadlineKind::RrPartnerDecision => Role::PartnerDecisionMaker,
            DeadlineKind::RrAgencyReport
            | DeadlineKind::RrDraftComments
            | DeadlineKind::RrSeniorSignOff
            | DeadlineKind::Recommendation
            | DeadlineKind::Action => Role::AgencyUser,
            DeadlineKind::RrFirstDraft | DeadlineKind::RrSecondDraft => Role::Reviewer,
            DeadlineKind::RrIndependentSignOff => Role::IndependentAdvisor,
            DeadlineKind::RrPartnersNotified
            | DeadlineKind::RrReportsCirculated
            | DeadlineKind::RrMeeting
            | DeadlineKind::RrDraftCirculated
            | DeadlineKind::RrSubmission
            | DeadlineKind::LcsprPublication
            | DeadlineKind::LcsprReportToPanel
            | DeadlineKind::PublicationTakeDown
            | DeadlineKind::SarCompletion
            | DeadlineKind::DhrDecision
            | DeadlineKind::DhrCompletion
            | DeadlineKind::DhrHomeOfficeNotification
            | DeadlineKind::LcsprImprovementsToPanel
            | DeadlineKind::LcsprCopyToOfsted => Role::BusinessManager,
        }
    }

    /// What fulfils the deadline: the command that records the fact.
    pub fn fulfilled_by(self) -> &'static str {
        match self {
            DeadlineKind::PanelNotification => "RecordPanelNotification",
            DeadlineKind::RrPartnersNotified => "RecordPartnersNotified",
            DeadlineKind::RrAgencyReport => "SubmitAgencyReport",
            DeadlineKind::RrReportsCirculated => "CirculateAgencyReports",
            DeadlineKind::RrMeeting => "RecordRapidReviewMeeting",
            DeadlineKind::RrFirstDraft
            | DeadlineKind::RrDraftCirculated
            | DeadlineKind::RrSecondDraft => "RecordDraftMilestone",
            DeadlineKind::RrDraftComments => "SubmitDraftComments",
            DeadlineKind::RrSeniorSignOff => "ConfirmSeniorSignOff",
            DeadlineKind::RrIndependentSignOff => "SignOffRapidReview",
            DeadlineKind::RrSubmission => "SubmitRapidReviewToPanel",
            DeadlineKind::LcsprPublication => "PublishReview",
            DeadlineKind::LcsprReportToPanel => "RecordFinalReportSentToPanel",
            DeadlineKind::PublicationTakeDown => "RecordReviewTakenDown",
            DeadlineKind::Recommendation => "CompleteRecommendation",
            DeadlineKind::SarCompletion => "CompleteSar",
            DeadlineKind::DhrDecision => "RecordDhrDecision",
            DeadlineKind::DhrCompletion => "CompleteDhr",
            DeadlineKind::DhrHomeOfficeNotification => "NotifyHomeOfficeOfDhrDecision",
            DeadlineKind::RrPartnerDecision => "RecordPartnerDecision",
            DeadlineKind::LcsprImprovementsToPanel => "RecordImprovementsInformationSentToPanel",
            DeadlineKind::LcsprCopyToOfsted => "RecordCopySentToOfsted",
            DeadlineKind::PanelNotificationCopy => "RecordPanelNotificationCopied",
            DeadlineKind::LookedAfterDeathNotification => "RecordLookedAfterDeathNotified",
            DeadlineKind::Action => "CompleteAction",
        }
    }
}

/// How a deadline's due day depends on the working-day calendar
/// ([`DeadlineKind::working_day_count`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkingDayCount {
    /// Counted forward in working days to the due day: a holiday after it cannot move it.
    Forward,
    /// Counted back in working days from a later day (publication): a holiday up to that day
    /// can move it.
    Backward,
    /// Not counted in working days: no holiday moves it.
    None,
}

/// The status of a deadline at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Not yet due, more than one working day away.
    Pending,
    /// Due within one working day.
    DueSoon,
    /// Fulfilled on time.
    Met,
    /// Fulfilled after it was due.
    MetLate,
    /// Past due and not fulfilled.
    Breached,
    /// No longer applies (superseded, case closed).
    NotApplicable,
}

/// How late: whole working days and whole hours past the due instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lateness {
    /// Working days between the due day and the day it was met (or `as_of`).
    pub working_days: i64,
    /// Whole hours past the due instant.
    pub hours: i64,
}

/// A deadline of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// What it is for.
    pub kind: DeadlineKind,
    /// The organisation that must act, if one.
    pub organisation: Option<OrgSlug>,
    /// When it falls due (UTC instant of a Europe/London local time).
    pub due_at: DateTime<Utc>,
    /// When the fulfilling fact occurred.
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// When something superseded it (the case's closure, a modified response, a withheld
    /// publication): from then on it no longer applies, if it was still pending then. A
    /// deadline already met, met late or breached at that instant keeps its status: that is a
    /// fact about the past (domain.md "Deadline statuses").
    pub superseded_at: Option<DateTime<Utc>>,
    /// The first due instant, when an approved delay has moved it.
    pub original_due_at: Option<DateTime<Utc>>,
    /// What the deadline is about when a case has several of a kind (a recommendation's id).
    pub reference: Option<Uuid>,
    /// Until when it is not settled, because its due instant depends on a later fact (the
    /// report to the Panel "at least 7 working days before publication", before the
    /// publication): until then it is never `met`, `met_late` or `breached`, which would be
    /// said before they are known for good. Fulfilled, it shows `pending`; unfulfilled past the
    /// planned instant, `due_soon`.
    #[serde(default)]
    pub unsettled_until: Option<DateTime<Utc>>,
    /// When its clock stopped, while it is stopped (a paused safeguarding adult review): the
    /// days from then to the instant asked about do not count, so the due day moves with them.
    #[serde(default)]
    pub paused_since: Option<DateTime<Utc>>,
    /// Whether it falls due after the last year gov.uk has published bank holidays for, so a
    /// holiday proclaimed later may still move it (docs/rules.md, section 2).
    #[serde(default)]
    pub provisional: bool,
}

impl Deadline {
    /// A deadline, not yet moved, about nothing more specific than its kind and organisation.
    pub fn new(
        kind: DeadlineKind,
        organisation: Option<OrgSlug>,
        due_at: DateTime<Utc>,
        fulfilled_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            kind,
            organisation,
            due_at,
            fulfilled_at,
            superseded_at: None,
            unsettled_until: None,
            original_due_at: None,
            reference: None,
            paused_since: None,
            provisional: crate::calendar::is_provisional(due_at),
        }
    }

    /// Records the original due instant when the deadline has been moved.
    pub fn with_original(mut self, original: DateTime<Utc>, moved: bool) -> Self {
        self.original_due_at = moved.then_some(original);
        self
    }

    /// Records that something superseded the deadline at `at` (`None`: nothing did). The
    /// earliest supersession counts: the deadline stopped applying then.
    pub fn superseded_at(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.supersede(at);
        self
    }

    /// In place: records a supersession at `at`, keeping an earlier one.
    pub fn supersede(&mut self, at: Option<DateTime<Utc>>) {
        self.superseded_at = match (self.superseded_at, at) {
            (Some(earlier), Some(later)) => Some(earlier.min(later)),
            (earlier, later) => earlier.or(later),
        };
    }

    /// Whether, as of `as_of`, the deadline no longer applies: superseded by then while it was
    /// still pending (neither settled as met, met late or breached at the supersession).
    pub fn is_not_applicable(&self, as_of: DateTime<Utc>, calendar: &WorkingCalendar) -> bool {
        self.superseded_at
            .filter(|at| *at <= as_of)
            .is_some_and(|at| {
                matches!(
                    self.status_unsuperseded(at, calendar),
                    DeadlineStatus::Pending | DeadlineStatus::DueSoon
                )
            })
    }

    /// A stable id: the same deadline of the same case always has the same id.
    pub fn id(&self, case_id: CaseId) -> Uuid {
        let name = format!(
            "{case_id}/{}/{}/{}",
            self.kind.as_str(),
            self.organisation.as_ref().map_or("", |o| o.as_str()),
            self.reference.map(|r| r.to_string()).unwrap_or_default()
        );
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
    }

    /// When it falls due as seen at `as_of`: `due_at`, moved on by the calendar days its clock
    /// has stood still since `paused_since` (at the same local time of day).
    pub fn due_at_as_of(&self, as_of: DateTime<Utc>) -> DateTime<Utc> {
        let Some(since) = self.paused_since.filter(|since| *since <= as_of) else {
            return self.due_at;
        };
        let days = (local_date(as_of) - local_date(since)).num_days();
        let day = local_date(self.due_at)
            .checked_add_days(chrono::Days::new(u64::try_from(days).unwrap_or(0)))
            .unwrap_or(chrono::NaiveDate::MAX);
        let time = self.due_at.with_timezone(&chrono_tz::Europe::London).time();
        crate::calendar::at_local_time(day, time)
    }

    /// The first due instant as seen at `as_of`, whenever the deadline has moved by then: the
    /// recorded original (an approved delay, a finished pause), or, while its clock stands still,
    /// the due instant before the pause once the pause has moved it. So a paused review shows
    /// both its original date and the extended one.
    pub fn original_due_at_as_of(&self, as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.original_due_at
            .or_else(|| (self.due_at_as_of(as_of) != self.due_at).then_some(self.due_at))
    }

    /// The status at `as_of`. A fulfilment dated after `as_of` is not yet known then.
    pub fn status(&self, as_of: DateTime<Utc>, calendar: &WorkingCalendar) -> DeadlineStatus {
        if self.is_not_applicable(as_of, calendar) {
            return DeadlineStatus::NotApplicable;
        }
        self.status_unsuperseded(as_of, calendar)
    }

    /// The status at `as_of` had nothing superseded it.
    fn status_unsuperseded(
        &self,
        as_of: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> DeadlineStatus {
        let due_at = self.due_at_as_of(as_of);
        let settled = self.unsettled_until.is_none_or(|until| until <= as_of);
        match self.fulfilled_at.filter(|at| *at <= as_of) {
            // Whether it was on time depends on a fact still to come.
            Some(_) if !settled => DeadlineStatus::Pending,
            // Settled by waiting, before the fact that fixes its due instant: whenever that
            // fact comes now, it comes late enough (7 working days after the report).
            Some(_) if self.unsettled_until.is_some() => DeadlineStatus::Met,
            Some(at) if at <= due_at => DeadlineStatus::Met,
            Some(_) => DeadlineStatus::MetLate,
            None if as_of > due_at && settled => DeadlineStatus::Breached,
            // Not yet due; or, unsettled, past the day it is planned for while the fact that
            // fixes its due instant has not come: overdue against the plan (no working days
            // left, so `due_soon`), not yet a breach.
            None => {
                let days_left =
                    calendar.working_days_between(local_date(as_of), local_date(due_at));
                if days_left <= 1 {
                    DeadlineStatus::DueSoon
                } else {
                    DeadlineStatus::Pending
                }
            }
        }
    }

    /// How late it was met, or is as of `as_of` when breached; `None` when not late.
    pub fn late_by(&self, as_of: DateTime<Utc>, calendar: &WorkingCalendar) -> Option<Lateness> {
        let until = match self.status(as_of, calendar) {
            DeadlineStatus::MetLate => self.fulfilled_at?,
            // A breach stops growing when the deadline is superseded (the case closed): how
            // late it was then is the fact that stays.
            DeadlineStatus::Breached => self
                .superseded_at
                .filter(|at| *at <= as_of)
                .unwrap_or(as_of),
            DeadlineStatus::Pending
            | DeadlineStatus::DueSoon
            | DeadlineStatus::Met
            | DeadlineStatus::NotApplicable => return None,
        };
        let due_at = self.due_at_as_of(as_of);
        Some(Lateness {
            working_days: calendar
                .working_days_between(local_date(due_at), local_date(until))
                .max(0),
            hours: (until - due_at).num_hours(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_kind_is_found_by_its_code_and_by_no_other() {
        for kind in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DeadlineKind::parse("RR_MEETING"), None);
        assert_eq!(DeadlineKind::parse(""), None);
    }

    fn deadline(fulfilled_at: Option<&str>) -> Deadline {
        // Tuesday 3 January 2023, end of day (GMT).
        Deadline::new(
            DeadlineKind::PanelNotification,
            None,
            at("2023-01-03T23:59:59.999999Z"),
            fulfilled_at.map(at),
        )
    }

    #[test]
    fn status_follows_time_and_what_was_known_then() {
        let cal = WorkingCalendar::england_and_wales();
        let open = deadline(None);
        assert_eq!(
            open.status(at("2022-12-23T10:00:00Z"), &cal),
            DeadlineStatus::Pending
        );
        // Thursday 29 December: two working days left (Friday 30th, Tuesday 3rd).
        assert_eq!(
            open.status(at("2022-12-29T10:00:00Z"), &cal),
            DeadlineStatus::Pending
        );
        // Friday 30 December: one working day left, as the Monday is a bank holiday.
        assert_eq!(
            open.status(at("2022-12-30T10:00:00Z"), &cal),
            DeadlineStatus::DueSoon
        );
        assert_eq!(
            open.status(at("2023-01-03T10:00:00Z"), &cal),
            DeadlineStatus::DueSoon
        );
        assert_eq!(
            open.status(at("2023-01-04T00:00:00Z"), &cal),
            DeadlineStatus::Breached
        );

        let met = deadline(Some("2022-12-29T12:00:00Z"));
        assert_eq!(
            met.status(at("2022-12-29T11:00:00Z"), &cal),
            DeadlineStatus::Pending
        );
        assert_eq!(
            met.status(at("2022-12-29T12:00:00Z"), &cal),
            DeadlineStatus::Met
        );
        assert_eq!(met.late_by(at("2023-02-01T00:00:00Z"), &cal), None);
    }

    #[test]
    fn the_end_of_a_day_is_its_last_instant() {
        // domain.md: a fact at 23:59:59.5 on the due day is on time, not late.
        let cal = WorkingCalendar::england_and_wales();
        let due = crate::calendar::end_of_day(chrono::NaiveDate::from_ymd_opt(2023, 1, 3).unwrap());
        let half_a_second_before_midnight = Deadline::new(
            DeadlineKind::PanelNotification,
            None,
            due,
            Some(at("2023-01-03T23:59:59.5Z")),
        );
        let at_midnight = Deadline::new(
            DeadlineKind::PanelNotification,
            None,
            due,
            Some(at("2023-01-04T00:00:00Z")),
        );
        let later = at("2023-01-05T00:00:00Z");
        assert_eq!(
            half_a_second_before_midnight.status(later, &cal),
            DeadlineStatus::Met
        );
        assert_eq!(at_midnight.status(later, &cal), DeadlineStatus::MetLate);
    }

    #[test]
    fn due_is_on_time_up_to_and_including_the_due_instant() {
        let cal = WorkingCalendar::england_and_wales();
        let due = at("2023-01-03T23:59:59.999999Z");
        assert_eq!(deadline(None).status(due, &cal), DeadlineStatus::DueSoon);
        let just_after = due + chrono::TimeDelta::microseconds(1);
        assert_eq!(
            deadline(None).status(just_after, &cal),
            DeadlineStatus::Breached
        );
    }

    #[test]
    fn a_supersession_ends_only_what_was_still_pending_then() {
        let cal = WorkingCalendar::england_and_wales();
        let later = at("2023-02-01T00:00:00Z");
        let due = at("2023-01-03T23:59:59.999999Z");
        // Superseded at the due instant itself: not yet breached, so no longer applies.
        let at_due = deadline(None).superseded_at(Some(due));
        assert_eq!(at_due.status(later, &cal), DeadlineStatus::NotApplicable);
        // A moment after: the breach had happened and stays.
        let after_due = deadline(None).superseded_at(Some(due + chrono::TimeDelta::seconds(1)));
        assert_eq!(after_due.status(later, &cal), DeadlineStatus::Breached);
        // Its lateness stopped at the supersession, a second into Wednesday 4 January.
        assert_eq!(
            after_due.late_by(later, &cal),
            Some(Lateness {
                working_days: 1,
                hours: 0
            })
        );
        // Met before the supersession: met.
        let met =
            deadline(Some("2023-01-02T10:00:00Z")).superseded_at(Some(at("2023-01-02T12:00:00Z")));
        assert_eq!(met.status(later, &cal), DeadlineStatus::Met);
        // Not known yet before the supersession happened.
        let pending = deadline(None).superseded_at(Some(at("2022-12-30T10:00:00Z")));
        assert_eq!(
            pending.status(at("2022-12-23T10:00:00Z"), &cal),
            DeadlineStatus::Pending
        );
        assert_eq!(pending.status(later, &cal), DeadlineStatus::NotApplicable);
        // The earliest supersession counts.
        let twice = pending.superseded_at(Some(at("2023-01-10T10:00:00Z")));
        assert_eq!(twice.superseded_at, Some(at("2022-12-30T10:00:00Z")));
        assert_eq!(twice.status(later, &cal), DeadlineStatus::NotApplicable);
    }

    #[test]
    fn each_kind_names_who_acts_and_the_command_that_fulfils_it() {
        use crate::Role;
        let expected = [
            (
                DeadlineKind::PanelNotification,
                Role::Notifier,
                "RecordPanelNotification",
            ),
            (
                DeadlineKind::RrPartnersNotified,
                Role::BusinessManager,
                "RecordPartnersNotified",
            ),
            (
                DeadlineKind::RrAgencyReport,
                Role::AgencyUser,
                "SubmitAgencyReport",
            ),
            (
                DeadlineKind::RrReportsCirculated,
                Role::BusinessManager,
                "CirculateAgencyReports",
            ),
            (
                DeadlineKind::RrMeeting,
                Role::BusinessManager,
                "RecordRapidReviewMeeting",
            ),
            (
                DeadlineKind::RrFirstDraft,
                Role::Reviewer,
                "RecordDraftMilestone",
            ),
            (
                DeadlineKind::RrDraftCirculated,
                Role::BusinessManager,
                "RecordDraftMilestone",
            ),
            (
                DeadlineKind::RrDraftComments,
                Role::AgencyUser,
                "SubmitDraftComments",
            ),
            (
                DeadlineKind::RrSecondDraft,
                Role::Reviewer,
                "RecordDraftMilestone",
            ),
            (
                DeadlineKind::RrSeniorSignOff,
                Role::AgencyUser,
                "ConfirmSeniorSignOff",
            ),
            (
                DeadlineKind::RrIndependentSignOff,
                Role::IndependentAdvisor,
                "SignOffRapidReview",
            ),
            (
                DeadlineKind::RrSubmission,
                Role::BusinessManager,
                "SubmitRapidReviewToPanel",
            ),
            (
                DeadlineKind::LcsprPublication,
                Role::BusinessManager,
                "PublishReview",
            ),
            (
                DeadlineKind::LcsprReportToPanel,
                Role::BusinessManager,
                "RecordFinalReportSentToPanel",
            ),
            (
                DeadlineKind::PublicationTakeDown,
                Role::BusinessManager,
                "RecordReviewTakenDown",
            ),
            (
                DeadlineKind::Recommendation,
                Role::AgencyUser,
                "CompleteRecommendation",
            ),
            (
                DeadlineKind::SarCompletion,
                Role::BusinessManager,
                "CompleteSar",
            ),
            (
                DeadlineKind::DhrDecision,
                Role::BusinessManager,
                "RecordDhrDecision",
            ),
            (
                DeadlineKind::DhrCompletion,
                Role::BusinessManager,
                "CompleteDhr",
            ),
        ];
        for (kind, role, command) in expected {
            assert_eq!(
                (kind.responsible_role(), kind.fulfilled_by()),
                (role, command),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn lateness_is_in_working_days_and_hours() {
        let cal = WorkingCalendar::england_and_wales();
        let late = deadline(Some("2023-01-05T12:00:00Z"));
        assert_eq!(
            late.status(at("2023-01-06T00:00:00Z"), &cal),
            DeadlineStatus::MetLate
        );
        assert_eq!(
            late.late_by(at("2023-01-06T00:00:00Z"), &cal),
            Some(Lateness {
                working_days: 2,
                hours: 36
            })
        );
        let open = deadline(None);
        assert_eq!(
            open.late_by(at("2023-01-04T06:00:00Z"), &cal),
            Some(Lateness {
                working_days: 1,
                hours: 6
            })
        );
    }

    #[test]
    fn ids_are_stable() {
        let case = CaseId::from_uuid(Uuid::from_u128(1));
        assert_eq!(
            deadline(None).id(case),
            deadline(Some("2023-01-01T00:00:00Z")).id(case)
        );
    }
}
