//! The figures of the annual report, counted from the cases as they stood and the learning
//! record as it was at the report's instant.

use super::{Amount, AnnualReport, Bar, Chart, Figure, Section, Source};
use crate::queries::subject_year;
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::calendar::local_date;
use casetrail_domain::case::{Case, CaseKind};
use casetrail_domain::deadline::DeadlineStatus;
use casetrail_domain::learning::{
    LearningEvent, LearningEventKind, MeetingGroup, SpendingCategory, Stated, Subject, TakingPart,
    mean_score, standing,
};
use casetrail_domain::partnership::Partnership;
use casetrail_domain::sorted_set::SortedSet;
use casetrail_domain::{CaseId, ThemeSlug};
use casetrail_projections::statistics::{AnnualStatistics, annual_statistics};
use chrono::{DateTime, Datelike, Utc};
use std::collections::{BTreeMap, HashMap};

/// What a report is counted from.
#[derive(Debug)]
pub struct ReportInputs<'a> {
    /// The partnership as it was at `as_of`.
    pub partnership: &'a Partnership,
    /// Its cases as they were at `as_of`.
    pub cases: Vec<&'a Case>,
    /// Its learning record's events recorded by `as_of`, in log order, with their positions.
    pub learning: Vec<(u64, &'a LearningEvent)>,
    /// The financial year reported on.
    pub year: FinancialYear,
    /// The instant the record is read as of.
    pub as_of: DateTime<Utc>,
}

/// The report of `inputs.year` as the record stood at `inputs.as_of`.
pub fn annual_report(inputs: &ReportInputs<'_>) -> AnnualReport {
    let statistics = annual_statistics(
        inputs.cases.iter().copied(),
        inputs.partnership,
        inputs.year,
        inputs.as_of,
    );
    let link = format!(
        "/v1/statistics/annual/{}?as_of={}",
        inputs.year,
        inputs
            .as_of
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    let learning = Learning::of(inputs);
    let mut sections = vec![
        learning.meetings(),
        learning.participation(),
        child_reviews(&statistics, &link),
        other_reviews(&statistics, &link),
        recommendations(&statistics, &link),
        audits(&statistics, &link),
        action_plans(&statistics, &link),
        learning_shared(&statistics, &link),
        learning.learning_events(),
        learning.themes(inputs),
        learning.finance(),
    ];
    sections.retain(|s| !s.figures.is_empty());
    AnnualReport {
        partnership: inputs.partnership.name.clone(),
        year: inputs.year,
        as_of: inputs.as_of,
        sections,
        charts: vec![
            deadlines_by_quarter(inputs),
            learning.reviews_by_theme(inputs),
        ],
    }
}

fn figure(
    key: impl Into<String>,
    label: impl Into<String>,
    amount: Amount,
    source: Source,
) -> Figure {
    Figure {
        key: key.into(),
        label: label.into(),
        amount,
        source,
    }
}

fn events(positions: impl IntoIterator<Item = u64>) -> Source {
    let mut positions: Vec<u64> = positions.into_iter().collect();
    positions.sort_unstable();
    positions.dedup();
    Source::Events { positions }
}

fn count(n: u32) -> Amount {
    Amount::Count(u64::from(n))
}

fn child_reviews(s: &AnnualStatistics, link: &str) -> Section {
    let figures = [
        (
            "notifications",
            "Serious incidents notified",
            count(s.notifications.total),
        ),
        (
            "notified_on_time",
            "Notified to the Panel within 5 working days",
            Amount::Percent(s.notifications.panel_notified_on_time_percent),
        ),
        (
            "referrals",
            "Cases referred for consideration",
            count(s.referrals),
        ),
        (
            "rapid_reviews_initiated",
            "Rapid reviews initiated",
            count(s.rapid_reviews.initiated),
        ),
        (
            "rapid_reviews_submitted",
            "Rapid reviews submitted to the Panel",
            count(s.rapid_reviews.submitted),
        ),
        (
            "rapid_reviews_on_time",
            "Rapid reviews submitted within 15 working days",
            Amount::Percent(s.rapid_reviews.submitted_on_time_percent),
        ),
        (
            "rapid_reviews_median",
            "Median time to submission",
            Amount::WorkingDays(s.rapid_reviews.median_working_days_to_submission),
        ),
        (
            "decisions_lcspr",
            "Decisions to hold a local review",
            count(s.decisions.lcspr),
        ),
        (
            "decisions_no_lcspr",
            "Decisions not to hold one",
            count(s.decisions.no_lcspr),
        ),
        (
            "panel_agreement",
            "Panel responses agreeing with the partners",
            Amount::Percent(s.panel_responses.agreement_percent),
        ),
        (
            "practice_reviews_commissioned",
            "Local child safeguarding practice reviews commissioned",
            count(s.practice_reviews.commissioned),
        ),
        (
            "practice_reviews_published",
            "Local child safeguarding practice reviews published",
            count(s.practice_reviews.published),
        ),
    ];
    statistics_section(
        "child_reviews",
        "Child safeguarding reviews",
        &figures,
        link,
    )
}

fn other_reviews(s: &AnnualStatistics, link: &str) -> Section {
    let figures = [
        (
            "sar_referred",
            "Safeguarding adult review referrals",
            count(s.adult_reviews.referred),
        ),
        (
            "sar_commissioned",
            "Safeguarding adult reviews commissioned",
            count(s.adult_reviews.commissioned),
        ),
        (
            "sar_completed",
            "Safeguarding adult reviews completed",
            count(s.adult_reviews.completed),
        ),
        (
            "sar_published",
            "Safeguarding adult reviews published",
            count(s.adult_reviews.published),
        ),
        (
            "dhr_notified",
            "Domestic homicides notified",
            count(s.homicide_reviews.notified),
        ),
        (
            "dhr_commissioned",
            "Domestic homicide reviews commissioned",
            count(s.homicide_reviews.commissioned),
        ),
        (
            "dhr_completed",
            "Domestic homicide reviews completed",
            count(s.homicide_reviews.completed),
        ),
        (
            "dhr_published",
            "Domestic homicide reviews published",
            count(s.homicide_reviews.published),
        ),
    ];
    statistics_section(
        "adult_and_homicide_reviews",
        "Safeguarding adult reviews and domestic homicide reviews",
        &figures,
        link,
    )
}

fn recommendations(s: &AnnualStatistics, link: &str) -> Section {
    let r = &s.recommendations;
    let figures = [
        ("added", "Recommendations made", count(r.added)),
        ("completed", "Recommendations completed", count(r.completed)),
        (
            "on_time",
            "Recommendations due in the year completed on time",
            Amount::Percent(r.on_time_percent),
        ),
        ("overdue", "Recommendations overdue", count(r.overdue)),
    ];
    statistics_section("recommendations", "Recommendations", &figures, link)
}

/// The standing records of the year, each with the position of the event that last stated it.
fn of_year<'a, T>(
    records: Vec<Stated<'a, u64, T>>,
    keep: impl Fn(&T) -> bool,
) -> Vec<(u64, &'a T)> {
    records
        .into_iter()
        .filter(|stated| keep(stated.record))
        .map(|stated| (stated.mark, stated.record))
        .collect()
}

fn action_plans(s: &AnnualStatistics, link: &str) -> Section {
    let a = &s.action_plans;
    let figures = [
        (
            "actions_added",
            "Actions added to recommendations' plans",
            count(a.actions_added),
        ),
        (
            "actions_completed",
            "Actions completed",
            count(a.actions_completed),
        ),
        (
            "actions_on_time",
            "Actions due in the year completed on time",
            Amount::Percent(a.actions_on_time_percent),
        ),
        (
            "actions_overdue",
            "Actions overdue",
            count(a.actions_overdue),
        ),
        (
            "plans_signed_off",
            "Action plans signed off",
            count(a.plans_signed_off),
        ),
        (
            "practice_changed",
            "Reviews of impact finding practice changed",
            count(a.practice_changed),
        ),
        (
            "practice_partly_changed",
            "Reviews of impact finding practice partly changed",
            count(a.practice_partly_changed),
        ),
        (
            "practice_not_changed",
            "Reviews of impact finding practice not changed",
            count(a.practice_not_changed),
        ),
    ];
    statistics_section("action_plans", "Action plans", &figures, link)
}

fn audits(s: &AnnualStatistics, link: &str) -> Section {
    let a = &s.audits;
    let figures = [
        (
            "commissioned",
            "Multi-agency audits commissioned",
            count(a.commissioned),
        ),
        (
            "reported",
            "Multi-agency audits reported",
            count(a.reported),
        ),
        (
            "cases_audited",
            "Cases audited by the audits reported",
            count(a.cases_audited),
        ),
    ];
    statistics_section("audits", "Multi-agency audits", &figures, link)
}

fn learning_shared(s: &AnnualStatistics, link: &str) -> Section {
    let l = &s.learning_shared;
    let figures = [
        (
            "disseminations",
            "Times a review's learning was shared",
            count(l.disseminations),
        ),
        (
            "reviews",
            "Reviews whose learning was shared",
            count(l.reviews),
        ),
        (
            "organisations_reached",
            "Organisations the learning reached",
            count(l.organisations_reached),
        ),
        (
            "people_reached",
            "People the learning reached, where counted",
            Amount::Count(l.people_reached),
        ),
    ];
    statistics_section(
        "learning_shared",
        "Sharing the reviews' learning",
        &figures,
        link,
    )
}

/// A section of figures counted by the annual statistics, each keyed `section.key` and linked
/// to them.
fn statistics_section(
    section: &'static str,
    title: &'static str,
    figures: &[(&str, &str, Amount)],
    link: &str,
) -> Section {
    let figures = figures
        .iter()
        .map(|(key, label, amount)| {
            figure(
                format!("{section}.{key}"),
                *label,
                amount.clone(),
                Source::Statistics {
                    link: link.to_owned(),
                },
            )
        })
        .collect();
    Section {
        key: section,
        title,
        figures,
    }
}

/// The deadlines that fell due in each quarter of the year, by how they were met as of the
/// report's instant: the partnership's timeliness, quarter by quarter.
fn deadlines_by_quarter(inputs: &ReportInputs<'_>) -> Chart {
    let start = inputs.year.start_on();
    let calendar = &inputs.partnership.calendar;
    let mut quarters = [[0_u64; 3]; 4];
    for case in &inputs.cases {
        for deadline in case.deadlines(inputs.partnership) {
            let due = local_date(deadline.due_at);
            if !inputs.year.contains(due) {
                continue;
            }
            let months = (due.year() - start.year()) * 12 + due.month() as i32 - 4;
            let quarter = usize::try_from(months / 3).unwrap_or(0).min(3);
            let part = match deadline.status(inputs.as_of, calendar) {
                DeadlineStatus::Met => 0,
                DeadlineStatus::MetLate => 1,
                DeadlineStatus::Breached => 2,
                _ => continue,
            };
            quarters[quarter][part] += 1;
        }
    }
    let names = [
        "April to June",
        "July to September",
        "October to December",
        "January to March",
    ];
    Chart {
        key: "deadlines_by_quarter",
        title: format!("Deadlines falling due in {}, by quarter", inputs.year),
        series: vec!["met on time", "met late", "breached"],
        bars: names
            .iter()
            .zip(quarters)
            .map(|(name, values)| Bar {
                label: (*name).to_owned(),
                values: values.to_vec(),
            })
            .collect(),
    }
}

/// The learning record's facts that the report counts, with their positions.
struct Learning<'a> {
    year: FinancialYear,
    meetings: Vec<(u64, &'a casetrail_domain::learning::Meeting)>,
    held: Vec<(u64, &'a casetrail_domain::learning::LearningEventHeld)>,
    themes: BTreeMap<&'a ThemeSlug, (u64, &'a str)>,
    /// Each subject's themes, with the position of the tag that set them.
    tags: BTreeMap<&'a Subject, (u64, &'a SortedSet<ThemeSlug>)>,
    contributions: Vec<(u64, &'a casetrail_domain::learning::Contribution)>,
    spending: Vec<(u64, &'a casetrail_domain::learning::Spending)>,
}

impl<'a> Learning<'a> {
    fn of(inputs: &ReportInputs<'a>) -> Self {
        let year = inputs.year;
        let mut learning = Learning {
            year,
            meetings: Vec::new(),
            held: Vec::new(),
            themes: BTreeMap::new(),
            tags: BTreeMap::new(),
            contributions: Vec::new(),
            spending: Vec::new(),
        };
        for &(position, event) in &inputs.learning {
            match event {
                LearningEvent::ThemeAdded { theme, name } => {
                    learning.themes.insert(theme, (position, name));
                }
                LearningEvent::ThemesTagged { subject, themes } => {
                    learning.tags.insert(subject, (position, themes));
                }
                _ => {}
            }
        }
        // Meetings, learning events and the budget as they stand, corrections applied.
        let standing = standing(inputs.learning.iter().copied());
        learning.meetings = of_year(standing.meetings, |m| year.contains(m.held_on));
        learning.held = of_year(standing.learning_events, |h| year.contains(h.held_on));
        learning.contributions = of_year(standing.contributions, |c| c.financial_year == year);
        learning.spending = of_year(standing.spending, |s| s.financial_year == year);
        learning
    }

    fn meetings(&self) -> Section {
        let all = || events(self.meetings.iter().map(|(p, _)| *p));
        let mut figures = vec![figure(
            "meetings.held",
            "Partnership meetings held",
            Amount::Count(self.meetings.len() as u64),
            all(),
        )];
        for group in MeetingGroup::ALL {
            let of_group: Vec<u64> = self
                .meetings
                .iter()
                .filter(|(_, m)| m.group == group)
                .map(|(p, _)| *p)
                .collect();
            if !of_group.is_empty() {
                let key = format!("meetings.{}", snake(group));
                let label = format!("Meetings of the {}", group.name());
                figures.push(figure(
                    key,
                    label,
                    Amount::Count(of_group.len() as u64),
                    events(of_group),
                ));
            }
        }
        let taking_part = TakingPart::of(
            self.meetings
                .iter()
                .map(|(_, m)| (&m.attendance[..], &m.attendees)),
        );
        figures.extend([
            figure(
                "meetings.organisations",
                "Organisations taking part in meetings",
                Amount::Count(taking_part.organisations),
                all(),
            ),
            figure(
                "meetings.people",
                "Different people taking part in meetings",
                Amount::Count(taking_part.people),
                all(),
            ),
            figure(
                "meetings.attendances",
                "Attendances at meetings",
                Amount::Count(taking_part.attendances),
                all(),
            ),
        ]);
        Section {
            key: "meetings",
            title: "Meeting activity",
            figures,
        }
    }

    fn participation(&self) -> Section {
        let attended = self
            .meetings
            .iter()
            .map(|(_, m)| (&m.attendance[..], &m.attendees))
            .chain(
                self.held
                    .iter()
                    .map(|(_, h)| (&h.attendance[..], &h.attendees)),
            );
        let taking_part = TakingPart::of(attended);
        let all = || {
            events(
                self.meetings
                    .iter()
                    .map(|(p, _)| *p)
                    .chain(self.held.iter().map(|(p, _)| *p)),
            )
        };
        Section {
            key: "participation",
            title: "Organisations and people taking part",
            figures: vec![
                figure(
                    "participation.organisations",
                    "Organisations taking part in meetings and learning events",
                    Amount::Count(taking_part.organisations),
                    all(),
                ),
                figure(
                    "participation.people",
                    "Different people taking part in meetings and learning events",
                    Amount::Count(taking_part.people),
                    all(),
                ),
            ],
        }
    }

    fn learning_events(&self) -> Section {
        let mut figures = vec![figure(
            "learning_events.held",
            "Learning events and training held",
            Amount::Count(self.held.len() as u64),
            events(self.held.iter().map(|(p, _)| *p)),
        )];
        for kind in LearningEventKind::ALL {
            let of_kind: Vec<u64> = self
                .held
                .iter()
                .filter(|(_, h)| h.kind == kind)
                .map(|(p, _)| *p)
                .collect();
            if !of_kind.is_empty() {
                figures.push(figure(
                    format!("learning_events.{}", snake(kind)),
                    kind.name(),
                    Amount::Count(of_kind.len() as u64),
                    events(of_kind),
                ));
            }
        }
        let taking_part = TakingPart::of(
            self.held
                .iter()
                .map(|(_, h)| (&h.attendance[..], &h.attendees)),
        );
        let evaluated: Vec<(u64, &casetrail_domain::learning::Evaluation)> = self
            .held
            .iter()
            .filter_map(|(p, h)| h.evaluation.as_ref().map(|e| (*p, e)))
            .collect();
        let responses: u64 = evaluated.iter().map(|(_, e)| e.responses()).sum();
        let total: u64 = evaluated.iter().map(|(_, e)| e.score_total()).sum();
        figures.extend([
            figure(
                "learning_events.attendances",
                "Attendances at learning events and training",
                Amount::Count(taking_part.attendances),
                events(self.held.iter().map(|(p, _)| *p)),
            ),
            figure(
                "learning_events.evaluation",
                "Average evaluation score",
                Amount::Score(mean_score(total, responses)),
                events(evaluated.iter().map(|(p, _)| *p)),
            ),
        ]);
        Section {
            key: "learning_events",
            title: "Learning events and training",
            figures,
        }
    }

    /// How often each theme was tagged in the year: reviews by their case's opening,
    /// recommendations by their making, learning events by their day.
    /// Each theme's tags of the year, by log position: on reviews, recommendations, learning
    /// events and audits, in that order.
    fn theme_counts(&self, inputs: &ReportInputs<'_>) -> BTreeMap<&'a ThemeSlug, [Vec<u64>; 4]> {
        let cases: HashMap<CaseId, &Case> = inputs.cases.iter().map(|c| (c.case_id, *c)).collect();
        let mut counts: BTreeMap<&ThemeSlug, [Vec<u64>; 4]> = BTreeMap::new();
        for (subject, (position, themes)) in &self.tags {
            let Some(case) = cases.get(&subject.case_id()) else {
                continue;
            };
            if subject_year(case, subject) != Some(self.year) {
                continue;
            }
            let slot = match subject {
                Subject::Case { .. } if case.kind == CaseKind::Audit => 3,
                Subject::Case { .. } => 0,
                Subject::Recommendation { .. } => 1,
            };
            for theme in *themes {
                counts.entry(theme).or_default()[slot].push(*position);
            }
        }
        for (position, held) in &self.held {
            for theme in &held.themes {
                counts.entry(theme).or_default()[2].push(*position);
            }
        }
        counts
    }

    fn themes(&self, inputs: &ReportInputs<'_>) -> Section {
        let mut figures = Vec::new();
        for (theme, [reviews, recommendations, held, audits]) in self.theme_counts(inputs) {
            let name = self
                .themes
                .get(theme)
                .map_or(theme.as_str(), |(_, name)| name);
            for (what, positions) in [
                ("reviews", reviews),
                ("recommendations", recommendations),
                ("learning_events", held),
                ("audits", audits),
            ] {
                let label = format!("{name}: {}", what.replace('_', " "));
                figures.push(figure(
                    format!("themes.{theme}.{what}"),
                    label,
                    Amount::Count(positions.len() as u64),
                    events(positions),
                ));
            }
        }
        Section {
            key: "themes",
            title: "Learning themes",
            figures,
        }
    }

    fn reviews_by_theme(&self, inputs: &ReportInputs<'_>) -> Chart {
        Chart {
            key: "reviews_by_theme",
            title: format!("Reviews by learning theme, cases opened in {}", self.year),
            series: vec!["reviews"],
            bars: self
                .theme_counts(inputs)
                .into_iter()
                .map(|(theme, [reviews, _, _, _])| Bar {
                    label: self
                        .themes
                        .get(theme)
                        .map_or_else(|| theme.to_string(), |(_, name)| (*name).to_owned()),
                    values: vec![reviews.len() as u64],
                })
                .collect(),
        }
    }

    fn finance(&self) -> Section {
        let money: Vec<&(u64, &casetrail_domain::learning::Contribution)> = self
            .contributions
            .iter()
            .filter(|(_, c)| !c.in_kind)
            .collect();
        let in_kind: Vec<&(u64, &casetrail_domain::learning::Contribution)> = self
            .contributions
            .iter()
            .filter(|(_, c)| c.in_kind)
            .collect();
        let sum = |lines: &[&(u64, &casetrail_domain::learning::Contribution)]| {
            lines.iter().map(|(_, c)| c.amount_pence).sum::<i64>()
        };
        let mut figures = vec![
            figure(
                "finance.contributions",
                "Partners' contributions",
                Amount::Pence(sum(&money)),
                events(money.iter().map(|(p, _)| *p)),
            ),
            figure(
                "finance.in_kind",
                "Contributions in kind (goods and services)",
                Amount::Pence(sum(&in_kind)),
                events(in_kind.iter().map(|(p, _)| *p)),
            ),
        ];
        let mut by_category: BTreeMap<SpendingCategory, Vec<(u64, i64)>> = BTreeMap::new();
        for (position, line) in &self.spending {
            by_category
                .entry(line.category)
                .or_default()
                .push((*position, line.amount_pence));
        }
        for (category, lines) in &by_category {
            figures.push(figure(
                format!("finance.spending.{}", snake(*category)),
                format!("Spent on {}", category.name().to_lowercase()),
                Amount::Pence(lines.iter().map(|(_, a)| a).sum()),
                events(lines.iter().map(|(p, _)| *p)),
            ));
        }
        figures.push(figure(
            "finance.spending",
            "Total spending",
            Amount::Pence(self.spending.iter().map(|(_, s)| s.amount_pence).sum()),
            events(self.spending.iter().map(|(p, _)| *p)),
        ));
        if self.contributions.is_empty() && self.spending.is_empty() {
            figures.clear();
        }
        Section {
            key: "finance",
            title: "Financial summary",
            figures,
        }
    }
}

/// A value's snake_case name, as it is written on the wire.
fn snake(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
