//! `casetrail replay`: the read models as they stood at a past position or instant, folded
//! from the log (the database, or an export file without any database) by the same code the
//! server runs, and printed in the shapes the API answers with. Every event is checked against
//! the hash chain on the way: a replay of an altered log stops at the first altered position.

use crate::dto::{AnnualStatisticsView, AuditEntryView, CaseDetail, DeadlineView};
use crate::routes::case_view;
use anyhow::{Context, bail};
use casetrail_app::report::{AnnualReport, ReportInputs, annual_report};
use casetrail_app::visibility::ActionsShown;
use casetrail_domain::PartnershipSlug;
use casetrail_domain::calendar::financial_year::FinancialYear;
use casetrail_domain::stream::{StreamRef, parse_stream};
use casetrail_projections::statistics::annual_statistics;
use casetrail_projections::{AuditEntry, ReadModels};
use casetrail_store::{EventStore, ExportedEvent, RecordedEvent, Verifier};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use std::str::FromStr;

/// Events read per page from the database.
const PAGE: usize = 2_000;

/// How far to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Every event up to and including this log position; deadlines are evaluated at the
    /// instant that event was recorded.
    Position(u64),
    /// Every event recorded at or before this instant, which is when deadlines are evaluated:
    /// the same answer as `as_of` on the API.
    Instant(DateTime<Utc>),
    /// The whole log, deadlines evaluated now.
    End,
}

impl FromStr for Until {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse()
                .map(Until::Position)
                .map_err(|_| format!("position {text} is too large"));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Until::Instant(t.with_timezone(&Utc)))
            .map_err(|_| format!("{text:?} is neither a log position nor an RFC 3339 instant"))
    }
}

/// Which read models to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Model {
    /// Every case in full, as `GET /v1/cases/{id}` answers.
    Cases,
    /// Every deadline, as `GET /v1/deadlines` lists them.
    Deadlines,
    /// The audit trail, as `GET /v1/audit-trail` lists it.
    AuditTrail,
    /// The annual statistics of every financial year with facts.
    Statistics,
}

/// The folded read models and where the fold stopped.
#[derive(Debug)]
pub struct Replayed {
    models: ReadModels,
    until: Until,
    /// Each partnership's audit trail, rendered as the fold passed each event (the server's
    /// read model keeps only an index and reads events back; a replay has them at hand once).
    audit: Option<HashMap<PartnershipSlug, Vec<AuditEntry>>>,
    /// The last event folded: its position, when it was recorded, its hash.
    last: Option<(u64, DateTime<Utc>, [u8; 32])>,
}

/// Folds events in log order, checking each against the chain, up to `until`.
#[derive(Debug)]
struct Fold {
    replayed: Replayed,
    verifier: Verifier,
}

impl Fold {
    fn new(until: Until, models: &[Model]) -> Self {
        let audit = (models.is_empty() || models.contains(&Model::AuditTrail)).then(HashMap::new);
        Fold {
            replayed: Replayed {
                models: ReadModels::default(),
                until,
                audit,
                last: None,
            },
            verifier: Verifier::default(),
        }
    }

    /// Takes the next event; `Ok(false)` once past the position asked for.
    fn offer(&mut self, event: &RecordedEvent) -> anyhow::Result<bool> {
        if let Until::Position(until) = self.replayed.until
            && event.position > until
        {
            return Ok(false);
        }
        if let Err(reason) = self.verifier.check(event) {
            bail!(
                "the log is broken at position {}: {reason}; nothing replayed",
                event.position
            );
        }
        let models = &mut self.replayed.models;
        match self.replayed.until {
            // Later events are passed over, not stopped at: a replica's commit may be recorded
            // a moment before an earlier position's, and `as_of` on the API counts it alike.
            Until::Instant(at) if event.recorded_at > at => models.skip(event),
            _ => {
                models
                    .apply(event)
                    .with_context(|| format!("cannot fold position {}", event.position))?;
                if let (Some(audit), Some(slug)) = (
                    self.replayed.audit.as_mut(),
                    parse_stream(&event.stream_id).and_then(|stream| match stream {
                        StreamRef::Case(slug, _)
                        | StreamRef::Partnership(slug)
                        | StreamRef::Learning(slug) => Some(slug),
                        // Not in the audit trail: what time passing caused, not anyone's act.
                        StreamRef::Reminders(_) => None,
                    }),
                ) {
                    let entry = models
                        .audit()
                        .render(&slug, event)
                        .with_context(|| format!("cannot render position {}", event.position))?;
                    audit.entry(slug).or_default().push(entry);
                }
                self.replayed.last = Some((event.position, event.recorded_at, event.hash));
            }
        }
        Ok(true)
    }

    fn finish(self) -> anyhow::Result<Replayed> {
        if let Until::Position(until) = self.replayed.until {
            let head = self.replayed.models.position();
            if head < until {
                bail!("the log ends at position {head}, before position {until}");
            }
        }
        Ok(self.replayed)
    }
}

/// Replays the log in the store.
pub async fn from_store(
    store: &dyn EventStore,
    until: Until,
    models: &[Model],
) -> anyhow::Result<Replayed> {
    let mut fold = Fold::new(until, models);
    let mut after = 0;
    'pages: loop {
        let page = store.read_all(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            if !fold.offer(event)? {
                break 'pages;
            }
        }
    }
    fold.finish()
}

/// Replays an NDJSON export (`casetrail export`, `GET /v1/events` as NDJSON) line by line.
pub fn from_export(
    input: impl std::io::BufRead,
    until: Until,
    models: &[Model],
) -> anyhow::Result<Replayed> {
    let mut fold = Fold::new(until, models);
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str::<ExportedEvent>(&line)
            .map_err(|e| e.to_string())
            .and_then(RecordedEvent::try_from)
            .map_err(|reason| {
                anyhow::anyhow!("line {} is not an exported event: {reason}", n + 1)
            })?;
        if !fold.offer(&event)? {
            break;
        }
    }
    fold.finish()
}

/// Where a replay stopped.
#[derive(Debug, Serialize)]
pub struct ReplayPoint {
    /// The last position folded (0 if none).
    pub position: u64,
    /// The instant deadlines and statistics are evaluated at.
    pub evaluated_at: DateTime<Utc>,
    /// The hash of the last event folded, hex: compare with `casetrail verify`.
    pub hash: Option<String>,
}

/// One partnership's read models.
#[derive(Debug, Serialize)]
pub struct PartnershipReplay {
    /// The partnership.
    pub partnership: String,
    /// Its cases, in the order they were opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<Vec<CaseDetail>>,
    /// Its deadlines, soonest due first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadlines: Option<Vec<DeadlineView>>,
    /// Its audit trail, in log order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_trail: Option<Vec<AuditEntryView>>,
    /// Its annual statistics, oldest year first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Vec<AnnualStatisticsView>>,
}

/// What `casetrail replay` prints.
#[derive(Debug, Serialize)]
pub struct ReplayReport {
    /// Where the replay stopped.
    pub until: ReplayPoint,
    /// Each partnership's read models.
    pub partnerships: Vec<PartnershipReplay>,
}

impl Replayed {
    /// The instant the answer is evaluated at.
    pub fn evaluated_at(&self) -> DateTime<Utc> {
        match self.until {
            Until::Instant(at) => at,
            Until::Position(_) => self.last.map_or_else(Utc::now, |(_, at, _)| at),
            Until::End => Utc::now(),
        }
    }

    /// Renders the chosen read models of one partnership, or of all.
    pub fn report(
        &self,
        partnership: Option<&PartnershipSlug>,
        models: &[Model],
    ) -> anyhow::Result<ReplayReport> {
        let slugs: Vec<&PartnershipSlug> = match partnership {
            Some(slug) if self.models.partnership(slug).is_some() => vec![slug],
            Some(slug) => bail!("no partnership {slug} in the log by then"),
            None => self.models.partnership_slugs(),
        };
        Ok(ReplayReport {
            until: ReplayPoint {
                position: self.last.map_or(0, |(position, _, _)| position),
                evaluated_at: self.evaluated_at(),
                hash: self.last.map(|(_, _, hash)| hex::encode(hash)),
            },
            partnerships: slugs
                .into_iter()
                .map(|slug| self.partnership_report(slug, models))
                .collect(),
        })
    }

    /// The annual report of `year` of one partnership (the only one in the log when none is
    /// named), as the API answers `as_of` the replay's instant.
    pub fn annual_report(
        &self,
        partnership: Option<&PartnershipSlug>,
        year: FinancialYear,
    ) -> anyhow::Result<AnnualReport> {
        let slug = match partnership {
            Some(slug) => slug,
            None => match self.models.partnership_slugs()[..] {
                [only] => only,
                [] => bail!("no partnership in the log by then"),
                _ => bail!("the log holds several partnerships: name one with --partnership"),
            },
        };
        let Some(partnership) = self.models.partnership(slug) else {
            bail!("no partnership {slug} in the log by then");
        };
        let at = self.evaluated_at();
        let inputs = ReportInputs {
            partnership,
            cases: self.models.cases(slug).map(|r| &r.case).collect(),
            learning: self
                .models
                .learning_history(slug, at)
                .map(|r| (r.position, &r.event))
                .collect(),
            year,
            as_of: at,
        };
        Ok(annual_report(&inputs))
    }

    fn partnership_report(&self, slug: &PartnershipSlug, models: &[Model]) -> PartnershipReplay {
        let at = self.evaluated_at();
        let wants = |model| models.is_empty() || models.contains(&model);
        let partnership = self.models.partnership(slug);
        let cases = || self.models.cases(slug);
        PartnershipReplay {
            partnership: slug.to_string(),
            cases: partnership.filter(|_| wants(Model::Cases)).map(|p| {
                cases()
                    .map(|record| case_view::detail(record, p, at, &ActionsShown::All))
                    .collect()
            }),
            deadlines: partnership.filter(|_| wants(Model::Deadlines)).map(|p| {
                let mut deadlines: Vec<DeadlineView> = cases()
                    .flat_map(|record| case_view::deadline_views(record, p, at))
                    .collect();
                deadlines.sort_by_key(|d| (d.due_at, d.deadline_id));
                deadlines
            }),
            audit_trail: wants(Model::AuditTrail).then(|| {
                self.audit
                    .as_ref()
                    .and_then(|audit| audit.get(slug))
                    .map_or_else(Vec::new, |entries| {
                        entries.iter().map(AuditEntryView::from).collect()
                    })
            }),
            statistics: partnership.filter(|_| wants(Model::Statistics)).map(|p| {
                self.models
                    .statistics_years(slug, at)
                    .into_iter()
                    .map(|year| {
                        let figures = annual_statistics(cases().map(|r| &r.case), p, year, at);
                        AnnualStatisticsView::from(&figures)
                    })
                    .collect()
            }),
        }
    }
}
