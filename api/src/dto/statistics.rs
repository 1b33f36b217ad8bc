//! Annual statistics on the wire: the financial years available, and one year's figures as
//! JSON or as `section,figure,organisation,value` CSV rows.

use casetrail_projections::statistics as stats;
use casetrail_projections::statistics::FinancialYear;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A financial year with figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"year": "2022-23", "start_on": "2022-04-01", "end_on": "2023-03-31"}))]
pub struct StatisticsYear {
    /// The label, e.g. `2022-23`: the path segment of its statistics.
    pub year: String,
    /// 1 April.
    pub start_on: NaiveDate,
    /// 31 March.
    pub end_on: NaiveDate,
}

impl From<FinancialYear> for StatisticsYear {
    fn from(year: FinancialYear) -> Self {
        Self {
            year: year.to_string(),
            start_on: year.start_on(),
            end_on: year.end_on(),
        }
    }
}

/// The financial years in which any fact of the partnership's cases occurred, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatisticsYearPage {
    /// The years.
    pub items: Vec<StatisticsYear>,
    /// Always `null`: every year fits on one page.
    pub next_cursor: Option<String>,
    /// The instant the list describes.
    pub as_of: DateTime<Utc>,
}

/// Declares a group of figures copied field by field from its read-model counterpart.
macro_rules! figures {
    ($(#[$meta:meta])* $name:ident from $source:ty {
        $($(#[$field_meta:meta])* $field:ident: $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Serialize, ToSchema)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl From<&$source> for $name {
            fn from(source: &$source) -> Self {
                Self { $($field: source.$field,)* }
            }
        }

        impl $name {
            /// Each figure's name and CSV value, in declaration order.
            fn figures(&self) -> Vec<(&'static str, String)> {
                vec![$((stringify!($field), self.$field.cell()),)*]
            }
        }
    };
}

figures!(
    /// Serious incident notifications made in the year.
    NotificationStatistics from stats::NotificationFigures {
        /// Notifications made.
        total: u32,
        /// The child died.
        death: u32,
        /// The child was seriously harmed.
        serious_harm: u32,
        /// The child was looked after.
        looked_after: u32,
        /// Of those notifications, the Panel notified within 5 working days of becoming aware.
        panel_notified_on_time: u32,
        /// The Panel notified late, or not yet and past due.
        panel_notified_late: u32,
        /// On time over on time and late, one decimal; `null` when neither.
        panel_notified_on_time_percent: Option<f64>,
    }
);

figures!(
    /// Rapid reviews.
    RapidReviewStatistics from stats::RapidReviewFigures {
        /// Initiated in the year.
        initiated: u32,
        /// Submitted to the Panel in the year.
        submitted: u32,
        /// Of those, by the end of day 15.
        submitted_on_time: u32,
        /// On time over submitted; `null` when none.
        submitted_on_time_percent: Option<f64>,
        /// Median working days from day 0 to the submission; `null` when none.
        median_working_days_to_submission: Option<f64>,
    }
);

figures!(
    /// The partners' decisions on an LCSPR reached in the year.
    DecisionStatistics from stats::DecisionFigures {
        /// Decisions reached.
        total: u32,
        /// To hold an LCSPR.
        lcspr: u32,
        /// Not to.
        no_lcspr: u32,
        /// No partner voted against the decision.
        unanimous: u32,
        /// A partner voted against it.
        majority: u32,
        /// A partner suggested a national review may be appropriate.
        national_review_suggested: u32,
    }
);

figures!(
    /// The Panel's responses received in the year.
    PanelResponseStatistics from stats::PanelResponseFigures {
        /// Responses.
        total: u32,
        /// Agreed with the partners' decision.
        agreed: u32,
        /// Disagreed.
        disagreed: u32,
        /// Agreed over responses; `null` when none.
        agreement_percent: Option<f64>,
    }
);

figures!(
    /// Reconsiderations after the Panel disagreed, in the year.
    ReconsiderationStatistics from stats::ReconsiderationFigures {
        /// Reconsiderations.
        total: u32,
        /// The decision kept.
        adhered: u32,
        /// An LCSPR commissioned instead.
        commissioned: u32,
        /// A decision to hold an LCSPR withdrawn.
        withdrawn: u32,
    }
);

figures!(
    /// Local child safeguarding practice reviews.
    PracticeReviewStatistics from stats::PracticeReviewFigures {
        /// Commissioned in the year.
        commissioned: u32,
        /// Published in the year.
        published: u32,
        /// Of those, within 6 calendar months of the decision.
        published_within_6_months: u32,
        /// Within 6 months over published; `null` when none.
        published_within_6_months_percent: Option<f64>,
        /// Reviews with a publication delay approved in the year.
        delayed: u32,
        /// Reviews whose publication was withheld in the year.
        withheld: u32,
    }
);

figures!(
    /// Safeguarding adult reviews: each stage reached in the year.
    AdultReviewStatistics from stats::AdultReviewFigures {
        /// Referred.
        referred: u32,
        /// Decided mandatory.
        mandatory: u32,
        /// Decided discretionary.
        discretionary: u32,
        /// Decided not required.
        not_required: u32,
        /// Commissioned.
        commissioned: u32,
        /// Paused.
        paused: u32,
        /// Completed.
        completed: u32,
        /// Published.
        published: u32,
    }
);

figures!(
    /// Domestic homicide reviews: each stage reached in the year.
    HomicideReviewStatistics from stats::HomicideReviewFigures {
        /// Notified.
        notified: u32,
        /// Decided to conduct a review.
        review: u32,
        /// Decided not to.
        no_review: u32,
        /// Commissioned.
        commissioned: u32,
        /// Overview report completed.
        completed: u32,
        /// Submitted to the Home Office quality assurance panel.
        submitted_to_home_office: u32,
        /// Published.
        published: u32,
    }
);

figures!(
    /// Outcomes communicated to the child or family in the year.
    FamilyCommunicationStatistics from stats::FamilyCommunicationFigures {
        /// Communications.
        total: u32,
        /// In person, through the practitioner working with the family.
        in_person: u32,
        /// In person over communications; `null` when none.
        in_person_percent: Option<f64>,
    }
);

figures!(
    /// Recommendations and their actions.
    RecommendationStatistics from stats::RecommendationFigures {
        /// Added in the year.
        added: u32,
        /// Completed in the year.
        completed: u32,
        /// Falling due in the year.
        due: u32,
        /// Of those due, completed by the due day.
        on_time: u32,
        /// Of those due, completed after it.
        completed_late: u32,
        /// Of those due, past due and not completed.
        overdue: u32,
        /// On time over on time, completed late and overdue; `null` when none.
        on_time_percent: Option<f64>,
    }
);

figures!(
    /// Recommendations' action plans: their actions, sign-offs and reviews of impact.
    ActionPlanStatistics from stats::ActionPlanFigures {
        /// Actions added in the year.
        actions_added: u32,
        /// Actions done in the year.
        actions_completed: u32,
        /// Actions falling due in the year.
        actions_due: u32,
        /// Of those due, done by the due day.
        actions_on_time: u32,
        /// Of those due, done after it.
        actions_completed_late: u32,
        /// Of those due, past due and not done.
        actions_overdue: u32,
        /// On time over on time, done late and overdue; `null` when none.
        actions_on_time_percent: Option<f64>,
        /// Plans signed off in the year.
        plans_signed_off: u32,
        /// Reviews of impact in the year finding practice changed.
        practice_changed: u32,
        /// ... partly changed.
        practice_partly_changed: u32,
        /// ... not changed.
        practice_not_changed: u32,
    }
);

figures!(
    /// The reviews' learning shared with the partnership's organisations (RecordLearningDisseminated).
    LearningSharedStatistics from stats::LearningSharedFigures {
        /// Times a review's learning was shared.
        disseminations: u32,
        /// Reviews (cases) whose learning was shared.
        reviews: u32,
        /// Distinct organisations reached.
        organisations_reached: u32,
        /// People reached, where counted.
        people_reached: u64,
    }
);

figures!(
    /// Multi-agency audits.
    AuditStatistics from stats::AuditFigures {
        /// Commissioned in the year.
        commissioned: u32,
        /// Their findings recorded in the year.
        reported: u32,
        /// Cases audited by the audits reported in the year.
        cases_audited: u32,
    }
);

figures!(
    /// Rapid review meetings held in the year.
    MeetingStatistics from stats::MeetingFigures {
        /// Meetings held.
        held: u32,
        /// Distinct organisations present at any of them.
        organisations_taking_part: u32,
    }
);

/// Child cases referred for consideration in the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralStatistics {
    /// Referrals.
    pub total: u32,
}

/// One agency's rapid review reports, for benchmarking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyReportTimeliness {
    /// The agency's slug.
    pub organisation: String,
    /// Reports requested from it in the year.
    pub requested: u32,
    /// Submitted by day 6 close of business.
    pub on_time: u32,
    /// Submitted late, or not yet and past due.
    pub late: u32,
    /// On time over on time and late; `null` when neither.
    pub on_time_percent: Option<f64>,
}

/// Rapid review agency reports requested in the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyReportStatistics {
    /// Requested.
    pub requested: u32,
    /// Submitted by day 6 close of business.
    pub on_time: u32,
    /// Submitted late, or not yet and past due.
    pub late: u32,
    /// On time over on time and late; `null` when neither.
    pub on_time_percent: Option<f64>,
    /// The same per agency, by slug.
    pub by_agency: Vec<AgencyReportTimeliness>,
}

/// Deadlines of one kind that fell due in the year, by status at `as_of`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineStatistics {
    /// The deadline kind code, e.g. `rr_agency_report`.
    #[schema(value_type = casetrail_domain::deadline::DeadlineKind)]
    pub kind: String,
    /// Met on time.
    pub met: u32,
    /// Met late (a breach, since put right).
    pub met_late: u32,
    /// Past due and still unmet.
    pub breached: u32,
}

/// Every figure of a financial year for the annual report. Facts are dated by `occurred_at`
/// in Europe/London; a fact counts in the year it occurred, a deadline in the year it fell
/// due. Timeliness percentages are taken over what was met, met late or breached by `as_of`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnnualStatisticsView {
    /// The financial year, e.g. `2022-23`.
    pub year: String,
    /// 1 April.
    pub start_on: NaiveDate,
    /// 31 March.
    pub end_on: NaiveDate,
    /// The instant the figures describe: facts recorded by then, deadlines evaluated then.
    pub as_of: DateTime<Utc>,
    /// Serious incident notifications.
    pub notifications: NotificationStatistics,
    /// Referrals for consideration.
    pub referrals: ReferralStatistics,
    /// Rapid reviews.
    pub rapid_reviews: RapidReviewStatistics,
    /// Agency reports, with per-agency timeliness.
    pub agency_reports: AgencyReportStatistics,
    /// Partner decisions.
    pub decisions: DecisionStatistics,
    /// Panel responses.
    pub panel_responses: PanelResponseStatistics,
    /// Reconsiderations.
    pub reconsiderations: ReconsiderationStatistics,
    /// LCSPRs.
    pub practice_reviews: PracticeReviewStatistics,
    /// Safeguarding adult reviews by stage.
    pub adult_reviews: AdultReviewStatistics,
    /// Domestic homicide reviews by stage.
    pub homicide_reviews: HomicideReviewStatistics,
    /// Family communication.
    pub family_communication: FamilyCommunicationStatistics,
    /// Recommendations.
    pub recommendations: RecommendationStatistics,
    /// Recommendations' action plans.
    pub action_plans: ActionPlanStatistics,
    /// The reviews' learning shared.
    pub learning_shared: LearningSharedStatistics,
    /// Multi-agency audits.
    pub audits: AuditStatistics,
    /// Deadlines by kind (every kind listed).
    pub deadlines: Vec<DeadlineStatistics>,
    /// Rapid review meetings.
    pub meetings: MeetingStatistics,
}

impl From<&stats::AnnualStatistics> for AnnualStatisticsView {
    fn from(s: &stats::AnnualStatistics) -> Self {
        let reports = &s.agency_reports;
        Self {
            year: s.year.to_string(),
            start_on: s.year.start_on(),
            end_on: s.year.end_on(),
            as_of: s.as_of,
            notifications: (&s.notifications).into(),
            referrals: ReferralStatistics { total: s.referrals },
            rapid_reviews: (&s.rapid_reviews).into(),
            agency_reports: AgencyReportStatistics {
                requested: reports.requested,
                on_time: reports.on_time,
                late: reports.late,
                on_time_percent: reports.on_time_percent,
                by_agency: reports
                    .by_agency
                    .iter()
                    .map(|a| AgencyReportTimeliness {
                        organisation: a.organisation.to_string(),
                        requested: a.requested,
                        on_time: a.on_time,
                        late: a.late,
                        on_time_percent: a.on_time_percent,
                    })
                    .collect(),
            },
            decisions: (&s.decisions).into(),
            panel_responses: (&s.panel_responses).into(),
            reconsiderations: (&s.reconsiderations).into(),
            practice_reviews: (&s.practice_reviews).into(),
            adult_reviews: (&s.adult_reviews).into(),
            homicide_reviews: (&s.homicide_reviews).into(),
            family_communication: (&s.family_communication).into(),
            recommendations: (&s.recommendations).into(),
            action_plans: (&s.action_plans).into(),
            learning_shared: (&s.learning_shared).into(),
            audits: (&s.audits).into(),
            deadlines: s
                .deadlines
                .iter()
                .map(|d| DeadlineStatistics {
                    kind: d.kind.as_str().to_owned(),
                    met: d.met,
                    met_late: d.met_late,
                    breached: d.breached,
                })
                .collect(),
            meetings: (&s.meetings).into(),
        }
    }
}

/// The CSV header.
pub const CSV_HEADER: &str = "section,figure,organisation,value";
/// The same, field by field.
const CSV_HEADER_FIELDS: [&str; 4] = ["section", "figure", "organisation", "value"];

/// A figure as a CSV value: counts as integers, percentages and medians with one decimal,
/// `null` as an empty value.
trait CsvValue {
    fn cell(&self) -> String;
}

impl CsvValue for u32 {
    fn cell(&self) -> String {
        self.to_string()
    }
}

impl CsvValue for u64 {
    fn cell(&self) -> String {
        self.to_string()
    }
}

impl CsvValue for Option<f64> {
    fn cell(&self) -> String {
        self.map(|v| format!("{v:.1}")).unwrap_or_default()
    }
}

/// The CSV document being written: RFC 4180 by the `csv` crate (CRLF line ends, a cell quoted
/// only when it holds a comma, a quote or a line break).
#[derive(Debug)]
struct Csv(csv::Writer<Vec<u8>>);

impl Csv {
    fn new() -> Self {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        Self(writer)
    }

    fn row(&mut self, section: &str, figure: &str, organisation: &str, value: &str) {
        // Writing to memory cannot fail, and every row has the header's four fields.
        self.0
            .write_record([section, figure, organisation, value])
            .expect("a CSV row written to memory");
    }

    fn section(&mut self, section: &str, figures: Vec<(&str, String)>) {
        for (figure, value) in figures {
            self.row(section, figure, "", &value);
        }
    }

    fn finish(self) -> String {
        let bytes = self
            .0
            .into_inner()
            .expect("a CSV document flushed to memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
    }
}

impl AnnualStatisticsView {
    /// One `section,figure,organisation,value` row per figure, in the order of the JSON: the
    /// period first (`period,year,,2022-23`), then each section's figures; per-agency figures
    /// carry the agency in `organisation`; deadline figures are named `<kind>.<status>`
    /// (`deadlines,rr_agency_report.breached,,1`). A `null` percentage is an empty value.
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new();
        let [section, figure, organisation, value] = CSV_HEADER_FIELDS;
        csv.row(section, figure, organisation, value);
        let as_of = self.as_of.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        csv.section(
            "period",
            vec![
                ("year", self.year.clone()),
                ("start_on", self.start_on.to_string()),
                ("end_on", self.end_on.to_string()),
                ("as_of", as_of),
            ],
        );
        csv.section("notifications", self.notifications.figures());
        csv.section("referrals", vec![("total", self.referrals.total.cell())]);
        csv.section("rapid_reviews", self.rapid_reviews.figures());
        let reports = &self.agency_reports;
        csv.section(
            "agency_reports",
            vec![
                ("requested", reports.requested.cell()),
                ("on_time", reports.on_time.cell()),
                ("late", reports.late.cell()),
                ("on_time_percent", reports.on_time_percent.cell()),
            ],
        );
        for agency in &reports.by_agency {
            for (figure, value) in [
                ("requested", agency.requested.cell()),
                ("on_time", agency.on_time.cell()),
                ("late", agency.late.cell()),
                ("on_time_percent", agency.on_time_percent.cell()),
            ] {
                csv.row("agency_reports", figure, &agency.organisation, &value);
            }
        }
        csv.section("decisions", self.decisions.figures());
        csv.section("panel_responses", self.panel_responses.figures());
        csv.section("reconsiderations", self.reconsiderations.figures());
        csv.section("practice_reviews", self.practice_reviews.figures());
        csv.section("adult_reviews", self.adult_reviews.figures());
        csv.section("homicide_reviews", self.homicide_reviews.figures());
        csv.section("family_communication", self.family_communication.figures());
        csv.section("recommendations", self.recommendations.figures());
        csv.section("action_plans", self.action_plans.figures());
        csv.section("learning_shared", self.learning_shared.figures());
        csv.section("audits", self.audits.figures());
        for deadline in &self.deadlines {
            for (status, count) in [
                ("met", deadline.met),
                ("met_late", deadline.met_late),
                ("breached", deadline.breached),
            ] {
                let figure = format!("{}.{status}", deadline.kind);
                csv.row("deadlines", &figure, "", &count.cell());
            }
        }
        csv.section("meetings", self.meetings.figures());
        csv.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row's text as `to_csv` writes it.
    fn csv_row(cells: [&str; 4]) -> String {
        let mut csv = Csv::new();
        csv.row(cells[0], cells[1], cells[2], cells[3]);
        csv.finish()
    }

    #[test]
    fn cells_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_row(["a", "suhft", "", "1"]), "a,suhft,,1\r\n");
        assert_eq!(csv_row(["a", "a,b", "", "1"]), "a,\"a,b\",,1\r\n");
        assert_eq!(
            csv_row(["a", "say \"hi\"", "", "1"]),
            "a,\"say \"\"hi\"\"\",,1\r\n"
        );
        assert_eq!(
            csv_row(["a", "two\nlines", "", "1"]),
            "a,\"two\nlines\",,1\r\n"
        );
        assert_eq!(
            csv_row(["section", "figure", "organisation", "value"]),
            format!("{CSV_HEADER}\r\n")
        );
        assert_eq!(Some(50.0).cell(), "50.0");
        assert_eq!(None::<f64>.cell(), "");
    }
}
