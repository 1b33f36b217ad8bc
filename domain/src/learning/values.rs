//! The values the learning record is made of: who took part, in what, and what it cost.

use crate::{CaseId, OrgSlug};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The most organisations, or distinct people, one meeting or learning event may list.
pub const MAX_PARTICIPANTS: usize = 2_000;

/// The most people one organisation may bring to one meeting or event.
pub const MAX_PEOPLE_PER_ORGANISATION: u32 = 10_000;

/// The longest topic or description, in characters.
pub const MAX_TOPIC_CHARS: usize = 200;

/// The largest amount of money one line may record: one hundred million pounds, in pence.
pub const MAX_PENCE: i64 = 10_000_000_000;

/// A person taking part, by an id the caller's own directory gives them (a staff number, a
/// hash): never a name. Only whether two ids are the same is used, to count distinct people:
/// nothing displays one (no `Display`), and no answer reads one back.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
// Inline up to 24 bytes, as a staff number or the seed's references are: a meeting's
// attendees are most of what a partnership's learning record holds.
pub struct PersonRef(CompactString);

/// Redacted: a command or event printed for debugging (a log line, a panic) shows that there
/// was a reference, not which.
impl std::fmt::Debug for PersonRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonRef(..)")
    }
}

/// Why a person reference was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a person reference is 4 to 64 characters of letters, digits, '.', '_', ':' and '-', with at \
least one digit: an opaque id, never a name"
)]
pub struct InvalidPersonRef;

impl PersonRef {
    /// Parses a reference. At least one digit and no spaces: names have neither, so a name
    /// typed where an id belongs is refused rather than kept.
    pub fn parse(value: &str) -> Result<Self, InvalidPersonRef> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
        let valid = (4..=64).contains(&value.len())
            && value.chars().all(allowed)
            && value.chars().any(|c| c.is_ascii_digit());
        if valid {
            Ok(Self(CompactString::from(value)))
        } else {
            Err(InvalidPersonRef)
        }
    }
}

impl TryFrom<String> for PersonRef {
    type Error = InvalidPersonRef;
    fn try_from(value: String) -> Result<Self, InvalidPersonRef> {
        Self::parse(&value)
    }
}

impl From<PersonRef> for String {
    fn from(value: PersonRef) -> String {
        value.0.into_string()
    }
}

/// How many people an organisation brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// The organisation (registered in the partnership).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "essex-police"))]
    pub organisation: OrgSlug,
    /// How many of its people attended, 1 to 10,000.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000, example = 2))]
    pub people: u32,
}

/// The partnership's groups that meet (the arrangements' structure chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingGroup {
    /// The Strategic Leadership Group of the three partners.
    StrategicLeadership,
    /// The Strategic Safeguarding Partnership Group.
    StrategicPartnership,
    /// The Safeguarding Practice Review Group (rapid reviews, reviews' oversight).
    PracticeReview,
    /// The joint Learning and Development group.
    LearningAndDevelopment,
    /// Audit, Quality Assurance and Performance, children.
    AuditQualityPerformanceChildren,
    /// Audit, Quality Assurance and Performance, adults.
    AuditQualityPerformanceAdults,
    /// The Domestic Homicide Review Panel.
    DomesticHomicideReviewPanel,
    /// The schools' and education safeguarding forum.
    SchoolsAndEducation,
    /// Missing and exploitation.
    MissingAndExploitation,
    /// A task and finish group.
    TaskAndFinish,
}

impl MeetingGroup {
    /// Every group, in the order reports list them.
    pub const ALL: [MeetingGroup; 10] = [
        MeetingGroup::StrategicLeadership,
        MeetingGroup::StrategicPartnership,
        MeetingGroup::PracticeReview,
        MeetingGroup::LearningAndDevelopment,
        MeetingGroup::AuditQualityPerformanceChildren,
        MeetingGroup::AuditQualityPerformanceAdults,
        MeetingGroup::DomesticHomicideReviewPanel,
        MeetingGroup::SchoolsAndEducation,
        MeetingGroup::MissingAndExploitation,
        MeetingGroup::TaskAndFinish,
    ];

    /// Its name, as reports write it (the arrangements' structure chart).
    pub fn name(self) -> &'static str {
        match self {
            MeetingGroup::StrategicLeadership => "Strategic Leadership Group",
            MeetingGroup::StrategicPartnership => "Strategic Safeguarding Partnership Group",
            MeetingGroup::PracticeReview => "Safeguarding Practice Review Group",
            MeetingGroup::LearningAndDevelopment => "Learning and Development Group",
            MeetingGroup::AuditQualityPerformanceChildren => {
                "Audit, Quality Assurance and Performance Group (children)"
            }
            MeetingGroup::AuditQualityPerformanceAdults => {
                "Audit, Quality Assurance and Performance Group (adults)"
            }
            MeetingGroup::DomesticHomicideReviewPanel => "Domestic Homicide Review Panel",
            MeetingGroup::SchoolsAndEducation => "Schools and education forum",
            MeetingGroup::MissingAndExploitation => "Missing and exploitation group",
            MeetingGroup::TaskAndFinish => "Task and finish groups",
        }
    }
}

/// What a meeting discussed, by reference: a case review or one of its recommendations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Subject {
    /// A case and its reviews.
    Case {
        /// The case.
        #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
        case_id: CaseId,
    },
    /// A recommendation of a case's review.
    Recommendation {
        /// The case.
        #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
        case_id: CaseId,
        /// The recommendation.
        recommendation_id: uuid::Uuid,
    },
}

impl Subject {
    /// The case it is of.
    pub fn case_id(&self) -> CaseId {
        match self {
            Subject::Case { case_id } | Subject::Recommendation { case_id, .. } => *case_id,
        }
    }
}

/// What kind of learning a learning event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LearningEventKind {
    /// One of the three shared learning days a year the partners agree.
    SharedLearningEvent,
    /// A training course the partnership commissioned.
    Training,
    /// A structured update or conference (the 2021-22 report's "Structured Updates").
    StructuredUpdate,
    /// A briefing on a review's learning.
    Briefing,
}

impl LearningEventKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [LearningEventKind; 4] = [
        LearningEventKind::SharedLearningEvent,
        LearningEventKind::Training,
        LearningEventKind::StructuredUpdate,
        LearningEventKind::Briefing,
    ];

    /// Its name, as reports write it (plural).
    pub fn name(self) -> &'static str {
        match self {
            LearningEventKind::SharedLearningEvent => "Shared learning events",
            LearningEventKind::Training => "Training courses",
            LearningEventKind::StructuredUpdate => "Structured updates and conferences",
            LearningEventKind::Briefing => "Briefings",
        }
    }
}

/// How those attending rated it: how many gave each score, 1 (poor) to 5 (excellent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// Responses scoring 1, 2, 3, 4 and 5, in that order.
    #[cfg_attr(feature = "openapi", schema(example = json!([0, 1, 3, 10, 6])))]
    pub responses_by_score: [u32; 5],
}

impl Evaluation {
    /// How many responded.
    pub fn responses(&self) -> u64 {
        self.responses_by_score.iter().map(|n| u64::from(*n)).sum()
    }

    /// The total of the scores given.
    pub fn score_total(&self) -> u64 {
        (1u64..)
            .zip(self.responses_by_score)
            .map(|(score, n)| score * u64::from(n))
            .sum()
    }
}

/// The mean score of `responses` giving `score_total` in all, to one decimal, rounded half up
/// as a reader expects (4.05 reads 4.1); `None` without responses. Whole tenths are computed
/// in integers, so no float rounding moves a half.
pub fn mean_score(score_total: u64, responses: u64) -> Option<f64> {
    let tenths = (score_total * 20 + responses).checked_div(responses * 2)?;
    Some(tenths as f64 / 10.0)
}

/// What the partnership spends on (the resource plan's lines of expenditure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpendingCategory {
    /// Salaries.
    Salaries,
    /// Travel, subsistence and car allowances.
    Travel,
    /// Learning events: rooms, equipment, speakers, catering.
    Events,
    /// Training.
    Training,
    /// Reviews commissioned (independent reviewers, authors).
    Reviews,
    /// Web, ICT licences and hardware.
    Ict,
    /// Legal and other professional fees.
    ProfessionalFees,
    /// Meetings: rooms, equipment, catering.
    Meetings,
    /// Office space, telephones, stationery, postage, printing, insurance.
    Office,
    /// Anything else.
    Other,
}

impl SpendingCategory {
    /// Its name, as reports write it.
    pub fn name(self) -> &'static str {
        match self {
            SpendingCategory::Salaries => "Salaries",
            SpendingCategory::Travel => "Travel and subsistence",
            SpendingCategory::Events => "Learning events",
            SpendingCategory::Training => "Training",
            SpendingCategory::Reviews => "Reviews commissioned",
            SpendingCategory::Ict => "Web and ICT",
            SpendingCategory::ProfessionalFees => "Legal and professional fees",
            SpendingCategory::Meetings => "Meetings",
            SpendingCategory::Office => "Office and insurance",
            SpendingCategory::Other => "Other",
        }
    }
}

/// Who took part in some meetings or learning events, counted: the lists of a year and the
/// annual report add them up the same way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TakingPart {
    /// How many meetings or events.
    pub held: u64,
    /// Distinct organisations that attended any.
    pub organisations: u64,
    /// Distinct people named (by pseudonymous reference) at any.
    pub people: u64,
    /// Attendances: the people of every one, added up.
    pub attendances: u64,
}

impl TakingPart {
    /// The counts of the meetings or events given by their attendance and attendees.
    pub fn of<'a>(
        attended: impl IntoIterator<
            Item = (
                &'a [Attendance],
                &'a crate::sorted_set::SortedSet<PersonRef>,
            ),
        >,
    ) -> Self {
        let mut organisations: BTreeSet<&OrgSlug> = BTreeSet::new();
        let mut people: BTreeSet<&PersonRef> = BTreeSet::new();
        let (mut held, mut attendances) = (0, 0);
        for (attendance, attendees) in attended {
            held += 1;
            organisations.extend(attendance.iter().map(|a| &a.organisation));
            attendances += attendance.iter().map(|a| u64::from(a.people)).sum::<u64>();
            people.extend(attendees);
        }
        TakingPart {
            held,
            organisations: organisations.len() as u64,
            people: people.len() as u64,
            attendances,
        }
    }
}

/// A count with thousands separators: `12345` reads "12,345".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Pence as pounds, as the audit trail and the report write money: `123456` reads
/// "£1,234.56".
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    format!("{sign}£{}.{:02}", grouped(abs / 100), abs % 100)
}
