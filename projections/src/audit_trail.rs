//! The audit trail read model: every event of a partnership in log order, with who did it, on
//! which command and request, and a one-sentence summary an auditor can read without the data
//! protection risk of the payload.

use crate::ProjectionError;
use casetrail_domain::case::CaseEvent;
use casetrail_domain::case::adult_review::SarDecision;
use casetrail_domain::case::decision::ReviewDecision;
use casetrail_domain::case::erasure::ErasureBasis;
use casetrail_domain::case::homicide_review::{FamilyInvolvement, QaOutcome};
use casetrail_domain::case::practice_review::{ClosureReason, ReconsideredOutcome};
use casetrail_domain::case::rapid_review::DraftMilestone;
use casetrail_domain::case::reconsideration::AdviceSubject;
use casetrail_domain::case::shared::action_plan::{PracticeChange, Rag};
use casetrail_domain::case::shared::learning::DisseminationMethod;
use casetrail_domain::codec::decode;
use casetrail_domain::learning::{LearningEvent, Subject, pounds};
use casetrail_domain::partnership::{ClockStart, PartnershipEvent, StatutoryPartner};
use casetrail_domain::stream::{StreamRef, parse_stream};
use casetrail_domain::{CaseId, OrgSlug, PartnershipSlug, ThemeSlug};
use casetrail_store::RecordedEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Who sent the command that appended an event, as its metadata records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    /// The user's id at the identity provider; `unknown` for an event without metadata.
    pub user: String,
    /// The user's display name (staff); `unknown` for an event without metadata.
    pub name: String,
    /// The user's organisation; `None` for events the system wrote (demo data).
    pub org: Option<OrgSlug>,
    /// The user's roles when the command was decided.
    pub roles: Vec<String>,
}

/// One event as the audit trail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Global position in the log.
    pub position: u64,
    /// The stored stream id (`<partnership>/case/<id>` or `<partnership>/partnership`).
    pub stream: String,
    /// The case, for an event of a case stream.
    pub case_id: Option<CaseId>,
    /// The stored event type.
    pub event_type: String,
    /// When the fact happened: the event's own `occurred_at`; for partnership events, which
    /// carry none, when it was recorded.
    pub occurred_at: DateTime<Utc>,
    /// When the store committed the event.
    pub recorded_at: DateTime<Utc>,
    /// Who did it.
    pub actor: AuditActor,
    /// The command's name (its OpenAPI operationId).
    pub command: Option<String>,
    /// The HTTP request id (`x-request-id`).
    pub request_id: Option<String>,
    /// Shared by every event one command appended.
    pub correlation_id: Option<Uuid>,
    /// A short English sentence built only from fields that are not personal data.
    pub summary: String,
}

/// Values that repeat across many events (users, organisations, commands), stored once per
/// partnership and referred to by number, so the index stays small for millions of events.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
// A snapshot keeps the values; the numbers are their places.
#[serde(from = "Vec<Box<str>>", into = "Vec<Box<str>>")]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

/// The number of "no value" in an interned field.
const NONE: u32 = u32::MAX;

impl From<Vec<Box<str>>> for Interner {
    fn from(values: Vec<Box<str>>) -> Self {
        let ids = (0..)
            .zip(&values)
            .map(|(id, value)| (value.clone(), id))
            .collect();
        Interner { ids, values }
    }
}

impl From<Interner> for Vec<Box<str>> {
    fn from(interner: Interner) -> Self {
        interner.values
    }
}

impl Interner {
    fn intern(&mut self, value: Option<&str>) -> u32 {
        let Some(value) = value else { return NONE };
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(NONE);
        self.values.push(value.into());
        self.ids.insert(value.into(), id);
        id
    }

    fn get(&self, id: u32) -> Option<&str> {
        self.values.get(id as usize).map(AsRef::as_ref)
    }
}

/// One event in the trail's index: where it is, when, and what the filters need. Everything
/// else an entry shows (names, request ids, the summary) is rendered from the stored event when
/// a page is read, so the trail costs 32 bytes per event however large the log grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// A tuple in a snapshot: a million of them, each spelling its field names, would triple its size.
#[serde(
    from = "(u64, i64, u32, u32, u32, u32)",
    into = "(u64, i64, u32, u32, u32, u32)"
)]
struct AuditMark {
    position: u64,
    recorded_at_micros: i64,
    /// Index into `PartnershipTrail::cases`, or [`NONE`] for a partnership event.
    case: u32,
    user: u32,
    org: u32,
    command: u32,
}

impl From<(u64, i64, u32, u32, u32, u32)> for AuditMark {
    fn from(
        (position, recorded_at_micros, case, user, org, command): (u64, i64, u32, u32, u32, u32),
    ) -> Self {
        AuditMark {
            position,
            recorded_at_micros,
            case,
            user,
            org,
            command,
        }
    }
}

impl From<AuditMark> for (u64, i64, u32, u32, u32, u32) {
    fn from(m: AuditMark) -> Self {
        (
            m.position,
            m.recorded_at_micros,
            m.case,
            m.user,
            m.org,
            m.command,
        )
    }
}

/// One partnership's trail.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct PartnershipTrail {
    /// In position order.
    marks: Vec<AuditMark>,
    /// The cases, numbered in the order of their first event.
    cases: Vec<CaseId>,
    /// Each case's number and the indexes into `marks` of its events, in position order.
    by_case: HashMap<CaseId, (u32, Vec<u32>)>,
    users: Interner,
    orgs: Interner,
    commands: Interner,
    /// Organisation names as registered, so summaries name agencies the way people do.
    org_names: HashMap<OrgSlug, String>,
}

/// Every partnership's audit trail, folded from the log.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditTrail {
    partnerships: HashMap<PartnershipSlug, PartnershipTrail>,
}

/// An event of the trail as filters see it, before it is rendered.
#[derive(Debug, Clone, Copy)]
pub struct AuditRef<'a> {
    mark: &'a AuditMark,
    trail: &'a PartnershipTrail,
}

impl AuditRef<'_> {
    /// Global position in the log.
    pub fn position(&self) -> u64 {
        self.mark.position
    }

    /// When the store committed the event.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.mark.recorded_at_micros).unwrap_or_default()
    }

    /// The case, for an event of a case stream.
    pub fn case_id(&self) -> Option<CaseId> {
        self.trail.cases.get(self.mark.case as usize).copied()
    }

    /// The id of the user who sent the command (`unknown` without metadata).
    pub fn user(&self) -> &str {
        self.trail.users.get(self.mark.user).unwrap_or("unknown")
    }

    /// The user's organisation; `None` for events the system wrote.
    pub fn org(&self) -> Option<&str> {
        self.trail.orgs.get(self.mark.org)
    }

    /// The command's name.
    pub fn command(&self) -> Option<&str> {
        self.trail.commands.get(self.mark.command)
    }
}

/// A page of the trail: the positions of its events, and the cursor (the last position given)
/// of the next page when there is one. Render each event with [`AuditTrail::render`].
pub type AuditPage = (Vec<u64>, Option<u64>);

/// A text field of an event's metadata, field by field rather than by JSON pointer: this runs
/// for every event of a rebuild.
fn meta_text<'a>(metadata: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(metadata, |value, key| value.get(key))
        .and_then(|v| v.as_str())
}

impl AuditTrail {
    /// Adds the next event of the log to the index; a partnership event that does not decode
    /// is an error and adds nothing. The review status model feeds its events the same way.
    pub fn apply(&mut self, event: &RecordedEvent) -> Result<(), ProjectionError> {
        match parse_stream(&event.stream_id) {
            Some(StreamRef::Partnership(slug)) => {
                let decoded: PartnershipEvent =
                    decode(&event.event_type, event.schema_version, &event.data).map_err(
                        |source| ProjectionError::Decode {
                            position: event.position,
                            source,
                        },
                    )?;
                self.apply_partnership_event(slug, event, &decoded);
            }
            Some(StreamRef::Case(slug, case_id)) => self.apply_case_event(slug, case_id, event),
            Some(StreamRef::Learning(slug)) => self.apply_learning_event(slug, event),
            // Reminders and recorded breaches are what time passing caused, not anyone's act:
            // the deadline views and the feed show them.
            Some(StreamRef::Reminders(_)) | None => {}
        }
        Ok(())
    }

    /// Adds a partnership event another read model has already decoded.
    pub(crate) fn apply_partnership_event(
        &mut self,
        slug: PartnershipSlug,
        event: &RecordedEvent,
        decoded: &PartnershipEvent,
    ) {
        let trail = self.partnerships.entry(slug).or_default();
        register_names(&mut trail.org_names, decoded);
        trail.push(None, event);
    }

    /// Adds an event of a partnership's learning stream: the partnership's trail, of no case.
    pub(crate) fn apply_learning_event(&mut self, slug: PartnershipSlug, event: &RecordedEvent) {
        self.partnerships.entry(slug).or_default().push(None, event);
    }

    /// Adds an event of a case stream.
    pub(crate) fn apply_case_event(
        &mut self,
        slug: PartnershipSlug,
        case_id: CaseId,
        event: &RecordedEvent,
    ) {
        let trail = self.partnerships.entry(slug).or_default();
        trail.push(Some(case_id), event);
    }

    /// Gives back the spare room the index grew into (after the start-up rebuild).
    pub(crate) fn compact(&mut self) {
        for trail in self.partnerships.values_mut() {
            trail.marks.shrink_to_fit();
            for (_, events) in trail.by_case.values_mut() {
                events.shrink_to_fit();
            }
        }
    }

    /// How many events a partnership's trail holds.
    pub fn len(&self, slug: &PartnershipSlug) -> usize {
        self.partnerships.get(slug).map_or(0, |t| t.marks.len())
    }

    /// A page of a partnership's trail (or of one case's) in log order: events after the
    /// cursor position, recorded by `as_of` when given, that pass the filter.
    pub fn page(
        &self,
        slug: &PartnershipSlug,
        case_id: Option<CaseId>,
        after: Option<u64>,
        as_of: Option<DateTime<Utc>>,
        limit: usize,
        mut filter: impl FnMut(AuditRef<'_>) -> bool,
    ) -> AuditPage {
        let Some(trail) = self.partnerships.get(slug) else {
            return (Vec::new(), None);
        };
        let after = after.unwrap_or(0);
        let marks: Box<dyn Iterator<Item = &AuditMark>> = match case_id {
            Some(case_id) => {
                let index = trail.by_case.get(&case_id).map_or(&[][..], |(_, i)| i);
                let start = index.partition_point(|&i| trail.marks[i as usize].position <= after);
                Box::new(
                    index[start..]
                        .iter()
                        .filter_map(|&i| trail.marks.get(i as usize)),
                )
            }
            None => {
                let start = trail.marks.partition_point(|m| m.position <= after);
                Box::new(trail.marks[start..].iter())
            }
        };
        // recorded_at never goes backwards along the log, so what was known by `as_of` is a
        // prefix: stop at the first event recorded later.
        let until = as_of.map(|at| at.timestamp_micros());
        let known = marks.take_while(|m| until.is_none_or(|until| m.recorded_at_micros <= until));
        let mut page = Vec::with_capacity(limit.min(64));
        for mark in known.filter(|&mark| filter(AuditRef { mark, trail })) {
            if page.len() == limit {
                let next = page.last().copied();
                return (page, next);
            }
            page.push(mark.position);
        }
        (page, None)
    }

    /// The entry of a stored event of the partnership, with its summary in today's names of
    /// the organisations.
    pub fn render(
        &self,
        slug: &PartnershipSlug,
        event: &RecordedEvent,
    ) -> Result<AuditEntry, ProjectionError> {
        let empty = HashMap::new();
        let names = self.partnerships.get(slug).map_or(&empty, |t| &t.org_names);
        render(event, names)
    }
}

/// Renders one stored event as the trail shows it: who, what, when, and a summary.
fn render(
    event: &RecordedEvent,
    names: &HashMap<OrgSlug, String>,
) -> Result<AuditEntry, ProjectionError> {
    let decode_error = |source| ProjectionError::Decode {
        position: event.position,
        source,
    };
    let (case_id, occurred_at, summary) = match parse_stream(&event.stream_id) {
        Some(StreamRef::Case(_, case_id)) => {
            let decoded: CaseEvent = decode(&event.event_type, event.schema_version, &event.data)
                .map_err(decode_error)?;
            (
                Some(case_id),
                decoded.occurred_at(),
                case_summary(&decoded, names),
            )
        }
        Some(StreamRef::Learning(_)) => {
            let decoded: LearningEvent =
                decode(&event.event_type, event.schema_version, &event.data)
                    .map_err(decode_error)?;
            (None, event.recorded_at, learning_summary(&decoded, names))
        }
        _ => {
            let decoded: PartnershipEvent =
                decode(&event.event_type, event.schema_version, &event.data)
                    .map_err(decode_error)?;
            let mut names = names.clone();
            register_names(&mut names, &decoded);
            (
                None,
                event.recorded_at,
                partnership_summary(&decoded, &names),
            )
        }
    };
    let metadata = &event.metadata;
    let text = |path: &[&str]| meta_text(metadata, path).map(str::to_owned);
    let actor = AuditActor {
        user: text(&["actor", "user"]).unwrap_or_else(|| "unknown".to_owned()),
        name: text(&["actor", "name"]).unwrap_or_else(|| "unknown".to_owned()),
        org: meta_text(metadata, &["actor", "org"]).and_then(|org| OrgSlug::parse(org).ok()),
        roles: metadata
            .get("actor")
            .and_then(|a| a.get("roles"))
            .and_then(|v| v.as_array())
            .map(|roles| {
                roles
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    };
    Ok(AuditEntry {
        position: event.position,
        stream: event.stream_id.clone(),
        case_id,
        event_type: event.event_type.clone(),
        occurred_at,
        recorded_at: event.recorded_at,
        actor,
        command: text(&["command"]),
        request_id: text(&["request_id"]),
        correlation_id: meta_text(metadata, &["correlation_id"])
            .and_then(|id| Uuid::parse_str(id).ok()),
        summary,
    })
}

impl PartnershipTrail {
    fn push(&mut self, case_id: Option<CaseId>, event: &RecordedEvent) {
        let metadata = &event.metadata;
        let index = u32::try_from(self.marks.len()).unwrap_or(NONE);
        let case = match case_id {
            None => NONE,
            Some(case_id) => {
                let next = u32::try_from(self.cases.len()).unwrap_or(NONE);
                let (number, events) = self.by_case.entry(case_id).or_insert_with(|| {
                    self.cases.push(case_id);
                    (next, Vec::new())
                });
                events.push(index);
                *number
            }
        };
        // An organisation that is not a valid slug is kept as written: filters compare text.
        self.marks.push(AuditMark {
            position: event.position,
            recorded_at_micros: event.recorded_at.timestamp_micros(),
            case,
            user: self.users.intern(meta_text(metadata, &["actor", "user"])),
            org: self.orgs.intern(meta_text(metadata, &["actor", "org"])),
            command: self.commands.intern(meta_text(metadata, &["command"])),
        });
    }
}

fn register_names(names: &mut HashMap<OrgSlug, String>, event: &PartnershipEvent) {
    if let PartnershipEvent::OrganisationRegistered(org) = event {
        names.insert(org.slug.clone(), org.name.clone());
    }
}

fn org_name(names: &HashMap<OrgSlug, String>, org: &OrgSlug) -> String {
    names.get(org).cloned().unwrap_or_else(|| org.to_string())
}

fn partner_name(partner: StatutoryPartner) -> &'static str {
    match partner {
        StatutoryPartner::LocalAuthority => "the local authority",
        StatutoryPartner::Police => "the police",
        StatutoryPartner::Health => "health",
    }
}

/// Capitalises the first letter, for a partner opening a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn partnership_summary(event: &PartnershipEvent, names: &HashMap<OrgSlug, String>) -> String {
    match event {
        PartnershipEvent::PartnershipEstablished { .. } => {
            "The partnership was established".to_owned()
        }
        PartnershipEvent::OrganisationRegistered(org) => {
            format!("{} joined the partnership", org_name(names, &org.slug))
        }
        PartnershipEvent::PartnershipSettingsChanged(_) => {
            "The partnership's settings were changed".to_owned()
        }
        PartnershipEvent::OrganisationRetired { slug } => {
            format!("{} left the partnership", org_name(names, slug))
        }
        PartnershipEvent::BankHolidayDeclared {
            date, correction, ..
        } => with_correction(format!("{date} was declared a bank holiday"), correction),
        PartnershipEvent::BankHolidayWithdrawn {
            date, correction, ..
        } => with_correction(
            format!("The bank holiday on {date} was withdrawn"),
            correction,
        ),
        PartnershipEvent::BankHolidayMoved {
            from,
            to,
            correction,
            ..
        } => with_correction(
            format!("The bank holiday on {from} was moved to {to}"),
            correction,
        ),
    }
}

fn learning_summary(event: &LearningEvent, names: &HashMap<OrgSlug, String>) -> String {
    match event {
        LearningEvent::ThemeAdded { name, .. } => format!("The learning theme {name} was added"),
        LearningEvent::ThemeRetired { theme } => format!("The learning theme {theme} was retired"),
        LearningEvent::ThemesTagged { subject, themes } => {
            let what = match subject {
                Subject::Case { .. } => "A case's reviews were".to_owned(),
                Subject::Recommendation { .. } => "A recommendation of a case was".to_owned(),
            };
            let themes: Vec<&str> = themes.iter().map(ThemeSlug::as_str).collect();
            if themes.is_empty() {
                format!("{what} untagged")
            } else {
                format!("{what} tagged with {}", themes.join(", "))
            }
        }
        LearningEvent::MeetingRecorded(meeting) => format!(
            "A meeting of {} on {} was recorded: {}",
            label(meeting.group),
            meeting.held_on,
            took_part(&meeting.attendance)
        ),
        LearningEvent::LearningEventRecorded(held) => format!(
            "{} \"{}\" on {} was recorded: {}",
            capitalised(label(held.kind)),
            held.topic,
            held.held_on,
            took_part(&held.attendance)
        ),
        LearningEvent::ContributionRecorded(line) => format!(
            "{} contributed {}{} for {}",
            org_name(names, &line.organisation),
            pounds(line.amount_pence),
            if line.in_kind { " in kind" } else { "" },
            line.financial_year
        ),
        LearningEvent::SpendingRecorded(line) => format!(
            "{} was spent on {} in {}",
            pounds(line.amount_pence),
            label(line.category),
            line.financial_year
        ),
        LearningEvent::MeetingCorrected(meeting) => format!(
            "The record of a meeting was corrected: {} on {}, {}",
            label(meeting.group),
            meeting.held_on,
            took_part(&meeting.attendance)
        ),
        LearningEvent::LearningEventCorrected(held) => format!(
            "The record of a learning event was corrected: {} \"{}\" on {}, {}",
            label(held.kind),
            held.topic,
            held.held_on,
            took_part(&held.attendance)
        ),
        LearningEvent::BudgetLineWithdrawn { .. } => {
            "A budget line was withdrawn as recorded in error".to_owned()
        }
    }
}

/// "5 people of 2 organisations", "1 person of 1 organisation".
fn took_part(attendance: &[casetrail_domain::learning::Attendance]) -> String {
    let people: u64 = attendance.iter().map(|a| u64::from(a.people)).sum();
    let organisations = attendance.len();
    format!(
        "{people} {} of {organisations} organisation{}",
        if people == 1 { "person" } else { "people" },
        if organisations == 1 { "" } else { "s" }
    )
}

/// A snake_case value as words: `practice_review` reads "practice review".
fn label(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

fn capitalised(text: String) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A calendar correction says so, with the admin's reason, so the audit trail shows why
/// deadlines already settled were recomputed.
fn with_correction(
    summary: String,
    correction: &Option<casetrail_domain::calendar::history::Correction>,
) -> String {
    match correction {
        Some(correction) => format!("{summary} as a correction: {}", correction.reason),
        None => summary,
    }
}

/// A reconsidered outcome in words.
fn outcome_words(outcome: ReconsideredOutcome) -> &'static str {
    match outcome {
        ReconsideredOutcome::Adhere => "adhere to the decision",
        ReconsideredOutcome::Commission => "commission an LCSPR",
        ReconsideredOutcome::Withdraw => "withdraw the decision to hold an LCSPR",
    }
}

/// The summary of a case event. Only organisations, partners, dates of process steps and
/// enumerated outcomes go in: never references, sealed text, or names of people.
fn case_summary(event: &CaseEvent, names: &HashMap<OrgSlug, String>) -> String {
    let org = |slug: &OrgSlug| org_name(names, slug);
    match event {
        CaseEvent::IncidentNotified(e) => format!(
            "{} notified a serious child safeguarding incident",
            org(&e.notified_by)
        ),
        CaseEvent::CaseReferred(e) => format!(
            "{} referred a case to the partners for consideration",
            org(&e.referred_by)
        ),
        CaseEvent::PanelNotificationRecorded(_) => {
            "The local authority notified the national Panel".to_owned()
        }
        CaseEvent::RapidReviewInitiated(e) => format!(
            "Rapid review initiated; {}",
            match e.clock_start {
                ClockStart::PanelNotification => "day 0 follows the Panel notification",
                ClockStart::BecameAware => "day 0 follows the day the local authority became aware",
                ClockStart::Initiation => "day 0 is the day of initiation",
            }
        ),
        CaseEvent::PartnersNotified(_) => {
            "The safeguarding partners were notified of the rapid review".to_owned()
        }
        CaseEvent::PartnerLeadNamed(e) => format!(
            "{} named a lead for the rapid review",
            sentence(partner_name(e.partner))
        ),
        CaseEvent::ReviewLeadAgreed(e) => {
            format!("A review lead from {} was agreed", org(&e.organisation))
        }
        CaseEvent::ModifiedResponseAgreed(_) => {
            "A modified response was agreed: internal documents instead of agency reports"
                .to_owned()
        }
        CaseEvent::AgencyReportRequested(e) => {
            format!("{} was asked for an agency report", org(&e.organisation))
        }
        CaseEvent::AgencyReportSubmitted(e) => {
            format!("{} submitted its agency report", org(&e.organisation))
        }
        CaseEvent::AgencyReportsCirculated(_) => "The agency reports were circulated".to_owned(),
        CaseEvent::RapidReviewMeetingHeld(e) => format!(
            "The rapid review meeting was held with {} organisation{}{}",
            e.attendees.len(),
            if e.attendees.len() == 1 { "" } else { "s" },
            if e.service_manager_present {
                ", a service manager present"
            } else {
                ""
            }
        ),
        CaseEvent::DraftMilestoneRecorded(e) => match e.milestone {
            DraftMilestone::FirstDraftCompleted => "The first draft was completed",
            DraftMilestone::DraftCirculated => "The draft was circulated",
            DraftMilestone::SecondDraftFinalised => "The second draft was finalised",
        }
        .to_owned(),
        CaseEvent::DraftCommentsSubmitted(e) => {
            format!(
                "{} returned its comments on the draft",
                org(&e.organisation)
            )
        }
        CaseEvent::SeniorSignOffConfirmed(e) => format!(
            "A senior manager of {} signed the rapid review off",
            org(&e.organisation)
        ),
        CaseEvent::RapidReviewSignedOff(_) => {
            "The Independent Advisor signed the rapid review off".to_owned()
        }
        CaseEvent::PartnerDecisionRecorded(e) => format!(
            "{} voted {}",
            sentence(partner_name(e.partner)),
            match e.decision {
                ReviewDecision::Lcspr => "to hold an LCSPR",
                ReviewDecision::NoLcspr => "not to hold an LCSPR",
            }
        ),
        CaseEvent::DecisionReached(e) => format!(
            "The partners decided {} ({} agreeing)",
            match e.decision {
                ReviewDecision::Lcspr => "to hold an LCSPR",
                ReviewDecision::NoLcspr => "not to hold an LCSPR",
            },
            e.agreed_by
                .iter()
                .map(|p| partner_name(*p).trim_start_matches("the "))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        CaseEvent::RapidReviewSubmittedToPanel(_) => {
            "The rapid review was submitted to the national Panel".to_owned()
        }
        CaseEvent::PanelResponseRecorded(e) => if e.agrees {
            "The national Panel agreed with the partners' decision"
        } else {
            "The national Panel disagreed with the partners' decision"
        }
        .to_owned(),
        CaseEvent::DecisionReconsidered(e) => match e.outcome {
            ReconsideredOutcome::Adhere => "The partners reconsidered and kept their decision",
            ReconsideredOutcome::Commission => {
                "The partners reconsidered and decided to commission an LCSPR"
            }
            ReconsideredOutcome::Withdraw => {
                "The partners reconsidered and withdrew their decision to hold an LCSPR"
            }
        }
        .to_owned(),
        CaseEvent::PanelNotificationCopied(_) => {
            "A copy of the Panel notification went to the business manager".to_owned()
        }
        CaseEvent::LookedAfterDeathNotified(_) => {
            "The death of a looked-after child was notified to Ofsted and the Secretary of State"
                .to_owned()
        }
        CaseEvent::IndependentAdviceRecorded(e) => match e.subject {
            AdviceSubject::DecisionDispute => {
                "The Independent Advisor advised on the partners' dispute"
            }
            AdviceSubject::Reconsideration => {
                "The Independent Advisor advised on the reconsideration"
            }
        }
        .to_owned(),
        CaseEvent::ReconsideredViewRecorded(e) => format!(
            "{} gave its reconsidered view: {}",
            sentence(partner_name(e.partner)),
            outcome_words(e.outcome)
        ),
        CaseEvent::ReconsiderationReached(e) => format!(
            "The partners' reconsidered decision: {} ({} agreeing)",
            outcome_words(e.outcome),
            e.agreed_by
                .iter()
                .map(|p| partner_name(*p).trim_start_matches("the "))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        CaseEvent::ReconsiderationSentToPanel(_) => {
            "The reconsidered decision's justification was sent to the national Panel".to_owned()
        }
        CaseEvent::ImprovementsInformationSentToPanel(_) => {
            "The improvements information was sent to the national Panel and the Secretary of State"
                .to_owned()
        }
        CaseEvent::ImprovementsInformationPublished(_) => {
            "The improvements information was published instead of the report".to_owned()
        }
        CaseEvent::PracticeReviewCopiedToOfsted(_) => {
            "The review's report or improvements information was sent to Ofsted".to_owned()
        }
        CaseEvent::PersonalDataErased(e) => format!(
            "The case's personal data was erased: {}",
            match e.legal_basis {
                ErasureBasis::UkGdprArticle17Request => "a request under UK GDPR Art. 17",
                ErasureBasis::RetentionPeriodEnded => "the retention period ended",
                ErasureBasis::CourtOrder => "a court order",
            }
        ),
        CaseEvent::FamilyCommunicationRecorded(e) => if e.in_person {
            "The outcome was communicated to the family in person"
        } else {
            "The outcome was communicated to the family"
        }
        .to_owned(),
        CaseEvent::PracticeReviewCommissioned(_) => {
            "The local child safeguarding practice review was commissioned".to_owned()
        }
        CaseEvent::PublicationDelayApproved(e) => format!(
            "A delay to publication was approved, until {}",
            e.new_due_on
        ),
        CaseEvent::FinalReportSentToPanel(_) => {
            "The final report was sent to the national Panel and the Secretary of State".to_owned()
        }
        CaseEvent::ReviewPublished(_) => "The review was published".to_owned(),
        CaseEvent::PublicationWithheld(_) => "Publication of the review was withheld".to_owned(),
        CaseEvent::ReviewTakenDown(_) => {
            "The published report was taken down from the website".to_owned()
        }
        CaseEvent::RecommendationAdded(e) => format!(
            "A recommendation for {} was added, due {}",
            e.owners.iter().map(&org).collect::<Vec<_>>().join(" and "),
            e.due_on
        ),
        CaseEvent::LearningDisseminated(e) => format!(
            "The review's learning was shared by {} with {}{}",
            match e.method {
                DisseminationMethod::SevenMinuteBriefing => "a seven-minute briefing",
                DisseminationMethod::PractitionerBriefing => "a practitioner briefing",
                DisseminationMethod::LearningEvent => "a learning event",
                DisseminationMethod::Training => "training",
                DisseminationMethod::Newsletter => "the newsletter",
            },
            e.organisations
                .iter()
                .map(&org)
                .collect::<Vec<_>>()
                .join(", "),
            match e.people_reached {
                Some(1) => " (1 person)".to_owned(),
                Some(n) => format!(" ({n} people)"),
                None => String::new(),
            }
        ),
        CaseEvent::RecommendationCompleted(_) => "A recommendation was completed".to_owned(),
        CaseEvent::ActionAdded(e) => format!(
            "An action for {} was added to a recommendation's plan, due {}",
            e.owners.iter().map(&org).collect::<Vec<_>>().join(" and "),
            e.due_on
        ),
        CaseEvent::ActionProgressRecorded(e) => format!(
            "Progress on an action was recorded: {}{}",
            match e.rag {
                Rag::Red => "red",
                Rag::Amber => "amber",
                Rag::Green => "green",
            },
            match e.evidence.len() {
                0 => String::new(),
                1 => ", with 1 piece of evidence".to_owned(),
                n => format!(", with {n} pieces of evidence"),
            }
        ),
        CaseEvent::ActionCompleted(_) => "An action was completed".to_owned(),
        CaseEvent::ActionPlanSignedOff(e) => format!(
            "A recommendation's action plan was signed off by the {}",
            e.group.name()
        ),
        CaseEvent::ImpactReviewed(e) => format!(
            "The impact of a recommendation's action plan was reviewed: {}",
            match e.practice_changed {
                PracticeChange::Changed => "practice has changed",
                PracticeChange::PartlyChanged => "practice has partly changed",
                PracticeChange::NotChanged => "practice has not changed",
            }
        ),
        CaseEvent::CaseClosed(e) => format!(
            "The case was closed: {}",
            match e.reason {
                ClosureReason::NoReview => "no review",
                ClosureReason::ReviewPublished => "the review was published",
                ClosureReason::PublicationWithheld => "publication was withheld",
                ClosureReason::NotTakenForward => "not taken forward",
                ClosureReason::CriteriaNotMet => "the notification criteria were not met",
                ClosureReason::AuditCompleted => "the audit was completed",
            }
        ),
        CaseEvent::AuditCommissioned(e) => format!(
            "A multi-agency audit of {} agencies on a sample of {} cases was commissioned",
            e.agencies.len(),
            e.sample_size
        ),
        CaseEvent::AuditFindingsRecorded(e) => format!(
            "The audit's findings were recorded, from {} cases audited",
            e.cases_audited
        ),
        CaseEvent::SarReferred(e) => format!(
            "{} referred an adult for a safeguarding adult review",
            org(&e.referred_by)
        ),
        CaseEvent::SarDecisionRecorded(e) => format!(
            "The Safeguarding Adults Board decided {}",
            match e.decision {
                SarDecision::Mandatory => "a review is required",
                SarDecision::Discretionary => "to hold a discretionary review",
                SarDecision::NotRequired => "no review is required",
            }
        ),
        CaseEvent::SarCommissioned(_) => {
            "The safeguarding adult review was commissioned".to_owned()
        }
        CaseEvent::SarFamilyInvited(_) => {
            "The family was invited to contribute to the review".to_owned()
        }
        CaseEvent::SarPaused(_) => "The safeguarding adult review was paused".to_owned(),
        CaseEvent::SarResumed(_) => "The safeguarding adult review resumed".to_owned(),
        CaseEvent::SarCompleted(e) => format!(
            "The safeguarding adult review was completed, with findings under {} safeguarding \
             principle{}",
            e.principles_with_findings.len(),
            if e.principles_with_findings.len() == 1 {
                ""
            } else {
                "s"
            }
        ),
        CaseEvent::DomesticHomicideNotified(e) => {
            format!("{} notified a domestic homicide", org(&e.notified_by))
        }
        CaseEvent::DhrDecisionRecorded(e) => if e.conduct_review {
            "The partnership decided to conduct a domestic homicide review"
        } else {
            "The partnership decided not to conduct a domestic homicide review"
        }
        .to_owned(),
        CaseEvent::DhrCommissioned(_) => "The domestic homicide review was commissioned".to_owned(),
        CaseEvent::DhrCompleted(_) => {
            "The domestic homicide review's overview report was completed".to_owned()
        }
        CaseEvent::DhrSubmittedToHomeOffice(_) => {
            "The review was submitted to the Home Office quality assurance panel".to_owned()
        }
        CaseEvent::DhrDecisionNotifiedToHomeOffice(_) => {
            "The Home Office was told of the decision on a domestic homicide review".to_owned()
        }
        CaseEvent::DhrQaOutcomeRecorded(e) => match e.outcome {
            QaOutcome::ApprovedForPublication => {
                "The Home Office quality assurance panel approved the review for publication"
            }
            QaOutcome::ResubmissionRequested => {
                "The Home Office quality assurance panel asked for the review to be resubmitted"
            }
        }
        .to_owned(),
        CaseEvent::DhrFamilyInvolvementRecorded(e) => match e.involvement {
            FamilyInvolvement::Invited => {
                "The victim's family was invited to take part in the review"
            }
            FamilyInvolvement::Contributed => "The victim's family contributed to the review",
            FamilyInvolvement::Declined => {
                "The victim's family chose not to take part in the review"
            }
        }
        .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use casetrail_domain::stream::{case_stream, partnership_stream};
    use casetrail_store::GENESIS_HASH;
    use serde_json::{Value, json};
    use std::collections::BTreeSet;

    const FIXTURES: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../domain/tests/fixtures/events"
    );

    const PARTNERSHIP_EVENTS: &[&str] = &[
        "PartnershipEstablished",
        "OrganisationRegistered",
        "PartnershipSettingsChanged",
        "OrganisationRetired",
        "BankHolidayDeclared",
        "BankHolidayWithdrawn",
        "BankHolidayMoved",
    ];

    fn slug() -> PartnershipSlug {
        PartnershipSlug::parse("southend").unwrap()
    }

    fn case(n: u128) -> CaseId {
        CaseId::from_uuid(Uuid::from_u128(n))
    }

    fn at(minute: u32) -> DateTime<Utc> {
        let ten: DateTime<Utc> = "2023-01-09T10:00:00Z".parse().unwrap();
        ten + chrono::TimeDelta::minutes(i64::from(minute))
    }

    fn metadata(user: &str, org: Option<&str>, command: &str, request_id: &str) -> Value {
        json!({
            "actor": {"user": user, "name": format!("Name of {user}"), "org": org,
                      "roles": ["business_manager"]},
            "partnership": "southend",
            "command": command,
            "correlation_id": Uuid::from_u128(7),
            "causation_id": null,
            "request_id": request_id,
            "idempotency_key": null,
            "request_hash": null,
        })
    }

    fn row(position: u64, stream_id: String, fixture: &Value, metadata: Value) -> RecordedEvent {
        RecordedEvent {
            position,
            stream_id,
            stream_version: position,
            event_id: Uuid::from_u128(u128::from(position)),
            event_type: fixture["event_type"].as_str().unwrap().to_owned(),
            schema_version: i32::try_from(fixture["schema_version"].as_i64().unwrap()).unwrap(),
            data: fixture["data"].clone(),
            metadata,
            recorded_at: at(u32::try_from(position).unwrap()),
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }

    fn fixtures() -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(FIXTURES)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        // The reminders stream's events are not in the audit trail (`apply`).
        let reminders = <casetrail_domain::reminders::ReminderEvent as casetrail_domain::codec::StoredEvent>::EVENT_TYPES;
        files
            .iter()
            .map(|path| {
                serde_json::from_str::<Value>(&std::fs::read_to_string(path).unwrap()).unwrap()
            })
            .filter(|f| !reminders.contains(&f["event_type"].as_str().unwrap_or_default()))
            .collect()
    }

    fn fixture(event_type: &str) -> Value {
        fixtures()
            .into_iter()
            .find(|f| f["event_type"] == event_type)
            .unwrap()
    }

    fn stream_of(event_type: &str, case_id: CaseId) -> String {
        if PARTNERSHIP_EVENTS.contains(&event_type) {
            partnership_stream(&slug())
        } else if LearningEvent::EVENT_TYPES.contains(&event_type) {
            casetrail_domain::stream::learning_stream(&slug())
        } else {
            case_stream(&slug(), case_id)
        }
    }

    /// String values that must never reach a summary: references of the child, adult or
    /// victim (and the Panel's), anything sealed, and names of people (staff included).
    fn personal_strings(value: &Value, key: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    personal_strings(value, key, found);
                }
            }
            Value::Array(items) => {
                for item in items {
                    personal_strings(item, key, found);
                }
            }
            Value::String(text) => {
                let personal = key.contains("reference")
                    || [
                        "ciphertext",
                        "nonce",
                        "key_id",
                        "lead_name",
                        "reviewer",
                        "chair",
                        "text",
                        "url",
                        // Pseudonymous references of those attending: counted, never shown.
                        "attendees",
                    ]
                    .contains(&key);
                if personal {
                    found.push(text.clone());
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_event_type_has_a_summary_without_personal_data() {
        let fixtures = fixtures();
        let types: BTreeSet<&str> = fixtures
            .iter()
            .map(|f| f["event_type"].as_str().unwrap())
            .collect();
        for event_type in CaseEvent::EVENT_TYPES
            .iter()
            .chain(PARTNERSHIP_EVENTS)
            .chain(LearningEvent::EVENT_TYPES)
        {
            assert!(types.contains(event_type), "no fixture for {event_type}");
        }
        let mut trail = AuditTrail::default();
        for (n, fixture) in fixtures.iter().enumerate() {
            let event_type = fixture["event_type"].as_str().unwrap();
            let position = u64::try_from(n).unwrap() + 1;
            let meta = metadata("u1", Some("southend-council"), "Command", "req");
            let event = row(position, stream_of(event_type, case(1)), fixture, meta);
            trail.apply(&event).unwrap();
            let entry = trail.render(&slug(), &event).unwrap();
            assert_eq!(entry.position, position);
            assert_eq!(entry.event_type, event_type);
            let summary = &entry.summary;
            assert!(!summary.trim().is_empty(), "{event_type}: empty summary");
            let mut personal = Vec::new();
            personal_strings(&fixture["data"], "", &mut personal);
            for text in personal {
                assert!(
                    !summary.contains(&text),
                    "{event_type}: summary {summary:?} contains {text:?}"
                );
            }
        }
        // The personal values checked include the child's reference and the sealed text.
        let mut notified = Vec::new();
        personal_strings(&fixture("IncidentNotified")["data"], "", &mut notified);
        assert!(notified.contains(&"SBC-2022-0871".to_owned()));
        assert!(notified.iter().any(|t| t.len() > 100));
    }

    #[test]
    fn money_reads_as_pounds_and_learning_summaries_name_what_was_recorded() {
        assert_eq!(pounds(0), "£0.00");
        assert_eq!(pounds(5), "£0.05");
        assert_eq!(pounds(99_999), "£999.99");
        assert_eq!(pounds(100_000), "£1,000.00");
        assert_eq!(pounds(21_351_600), "£213,516.00");
        assert_eq!(pounds(123_456_789_012), "£1,234,567,890.12");
        assert_eq!(pounds(-150), "-£1.50");
        let names: HashMap<OrgSlug, String> = [(
            OrgSlug::parse("essex-police").unwrap(),
            "Essex Police".to_owned(),
        )]
        .into();
        let summary = |name: &str| {
            let fixture = fixture(name);
            let event: LearningEvent = decode(name, 1, &fixture["data"]).unwrap();
            learning_summary(&event, &names)
        };
        assert_eq!(
            summary("ContributionRecorded"),
            "Essex Police contributed £50,000.00 for 2021-22"
        );
        assert_eq!(
            summary("MeetingRecorded"),
            "A meeting of practice review on 2022-03-10 was recorded: 5 people of 2 organisations"
        );
        assert_eq!(
            summary("LearningEventRecorded"),
            "Shared learning event \"Professional curiosity\" on 2022-02-01 was recorded: 40 \
             people of 1 organisation"
        );
        assert_eq!(
            summary("ThemesTagged"),
            "A recommendation of a case was tagged with neglect, professional-curiosity"
        );
        assert_eq!(
            summary("SpendingRecorded"),
            "£213,516.00 was spent on salaries in 2021-22"
        );
    }

    #[test]
    fn summaries_name_organisations_and_outcomes() {
        let mut trail = AuditTrail::default();
        let system = json!({"actor": {"user": "system", "name": "Casetrail demo data",
            "org": null, "roles": []}, "command": "EstablishPartnership"});
        let registered = fixture("OrganisationRegistered");
        let meta = || metadata("u1", Some("suhft"), "SubmitAgencyReport", "req-1");
        let mut report = fixture("AgencyReportSubmitted");
        report["data"]["organisation"] = json!("essex-police");
        let decided = fixture("DecisionReached");
        let initiated = fixture("RapidReviewInitiated");
        let rows = [
            row(1, partnership_stream(&slug()), &registered, system),
            row(2, case_stream(&slug(), case(1)), &report, meta()),
            row(3, case_stream(&slug(), case(1)), &decided, meta()),
            row(4, case_stream(&slug(), case(1)), &initiated, meta()),
        ];
        for event in &rows {
            trail.apply(event).unwrap();
        }
        let entries: Vec<AuditEntry> = rows
            .iter()
            .map(|event| trail.render(&slug(), event).unwrap())
            .collect();
        let summaries: Vec<&str> = entries.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "Essex Police joined the partnership",
                "Essex Police submitted its agency report",
                "The partners decided to hold an LCSPR (local authority and health agreeing)",
                "Rapid review initiated; day 0 follows the Panel notification",
            ]
        );
        // The system's event has no organisation; a partnership event happened when recorded.
        let first = &entries[0];
        assert_eq!(first.actor.org, None);
        assert_eq!(first.actor.user, "system");
        assert_eq!(first.occurred_at, first.recorded_at);
        assert_eq!(first.case_id, None);
    }

    /// A trail of two cases and a partnership event, by three users, and its rows.
    fn sample() -> (AuditTrail, Vec<RecordedEvent>) {
        let mut trail = AuditTrail::default();
        let mut rows = Vec::new();
        let notified = fixture("IncidentNotified");
        let requested = fixture("AgencyReportRequested");
        let holiday = fixture("BankHolidayDeclared");
        let events = [
            (case(1), &notified, "la", "NotifyIncident"),
            (case(2), &notified, "la", "NotifyIncident"),
            (case(1), &requested, "bm", "RequestAgencyReport"),
            (case(1), &holiday, "admin", "DeclareBankHoliday"),
            (case(2), &requested, "bm", "RequestAgencyReport"),
        ];
        for (n, (case_id, fixture, user, command)) in events.into_iter().enumerate() {
            let position = u64::try_from(n).unwrap() + 1;
            let event_type = fixture["event_type"].as_str().unwrap();
            let meta = metadata(
                user,
                Some("southend-council"),
                command,
                &format!("req-{position}"),
            );
            let event = row(position, stream_of(event_type, case_id), fixture, meta);
            trail.apply(&event).unwrap();
            rows.push(event);
        }
        (trail, rows)
    }

    fn all(trail: &AuditTrail, case_id: Option<CaseId>) -> Vec<u64> {
        trail
            .page(&slug(), case_id, None, None, usize::MAX, |_| true)
            .0
    }

    #[test]
    fn entries_carry_who_did_what_on_which_request() {
        let (trail, rows) = sample();
        let entry = &trail.render(&slug(), &rows[2]).unwrap();
        assert_eq!(entry.case_id, Some(case(1)));
        assert_eq!(entry.stream, case_stream(&slug(), case(1)));
        assert_eq!(entry.event_type, "AgencyReportRequested");
        assert_eq!(entry.actor.user, "bm");
        assert_eq!(entry.actor.name, "Name of bm");
        assert_eq!(
            entry.actor.org,
            Some(OrgSlug::parse("southend-council").unwrap())
        );
        assert_eq!(entry.actor.roles, ["business_manager"]);
        assert_eq!(entry.command.as_deref(), Some("RequestAgencyReport"));
        assert_eq!(entry.request_id.as_deref(), Some("req-3"));
        assert_eq!(entry.correlation_id, Some(Uuid::from_u128(7)));
        // occurred_at comes from the event, not from when it was recorded.
        assert_eq!(entry.occurred_at, requested_at());
        assert_eq!(entry.recorded_at, at(3));
    }

    fn requested_at() -> DateTime<Utc> {
        fixture("AgencyReportRequested")["data"]["occurred_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn a_case_trail_holds_only_that_cases_events() {
        let (trail, _) = sample();
        assert_eq!(all(&trail, Some(case(1))), [1, 3]);
        let page = trail.page(&slug(), Some(case(2)), None, None, 10, |_| true);
        assert_eq!(page, (vec![2, 5], None));
        assert!(all(&trail, Some(case(9))).is_empty());
        assert_eq!(all(&trail, None), [1, 2, 3, 4, 5]);
        assert_eq!(trail.len(&slug()), 5);
    }

    #[test]
    fn pages_follow_the_log_from_the_cursor() {
        let (trail, _) = sample();
        let page = trail.page(&slug(), None, None, None, 2, |_| true);
        assert_eq!(page, (vec![1, 2], Some(2)));
        let page = trail.page(&slug(), None, Some(2), None, 2, |_| true);
        assert_eq!(page, (vec![3, 4], Some(4)));
        let page = trail.page(&slug(), None, Some(4), None, 2, |_| true);
        assert_eq!(page, (vec![5], None));
        // An exactly full last page has no next cursor.
        let page = trail.page(&slug(), None, Some(3), None, 2, |_| true);
        assert_eq!(page, (vec![4, 5], None));
        let page = trail.page(&slug(), Some(case(1)), Some(1), None, 1, |_| true);
        assert_eq!(page, (vec![3], None));
    }

    #[test]
    fn as_of_and_filters_narrow_the_trail() {
        let (trail, _) = sample();
        let page = trail.page(&slug(), None, None, Some(at(3)), 10, |_| true);
        assert_eq!(page, (vec![1, 2, 3], None));
        let by_bm = trail.page(&slug(), None, None, None, 10, |e| e.user() == "bm");
        assert_eq!(by_bm, (vec![3, 5], None));
        let page = trail.page(&slug(), None, None, None, 1, |e| e.user() == "bm");
        assert_eq!(page, (vec![3], Some(3)));
        let other = PartnershipSlug::parse("thurrock").unwrap();
        assert_eq!(trail.len(&other), 0);
        let page = trail.page(&other, None, None, None, 10, |_| true);
        assert_eq!(page, (vec![], None));
    }

    #[test]
    fn an_undecodable_event_adds_nothing() {
        let mut trail = AuditTrail::default();
        let bad = json!({"event_type": "PartnershipEstablished", "schema_version": 1, "data": {"slug": 5}});
        let event = row(1, partnership_stream(&slug()), &bad, json!({}));
        assert!(matches!(
            trail.apply(&event),
            Err(ProjectionError::Decode { position: 1, .. })
        ));
        assert_eq!(trail.len(&slug()), 0);
    }
}
