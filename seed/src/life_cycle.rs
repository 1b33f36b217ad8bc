//! Realistic life cycles: partnerships and child cases going through notification, the rapid
//! review, the partners' decision, the Panel and the LCSPR, as the domain records them.

use casetrail_domain::case::decision::{
    DecisionCriterion, DecisionReached, PartnerDecisionRecorded, ReviewDecision,
};
use casetrail_domain::case::practice_review::{
    CaseClosed, ClosureReason, FamilyCommunicationRecorded, PanelResponseRecorded,
    PracticeReviewCommissioned, PublicationDelayApproved, PublicationWithheld, RecommendationAdded,
    RecommendationCompleted, ReconsideredOutcome, ReviewPublished,
};
use casetrail_domain::case::rapid_review::{
    AgencyReportSubmitted, DraftMilestone, DraftMilestoneRecorded, ModifiedResponseAgreed,
    Occurred, OrganisationAct, PartnerLeadNamed, RapidReviewInitiated, RapidReviewMeetingHeld,
    RapidReviewSubmitted, ReviewLeadAgreed,
};
use casetrail_domain::case::reconsideration::{
    AdviceSubject, IndependentAdviceRecorded, ReconsiderationReached, ReconsiderationSentToPanel,
    ReconsideredViewRecorded,
};
use casetrail_domain::case::{
    AbuseOrNeglect, AgeBand, CaseEvent, CaseReferred, ChildProfile, Harm, IncidentNotified,
    LocationBasis, PanelNotificationRecorded, SealedPersonalData,
};
use casetrail_domain::codec::encode;
use casetrail_domain::learning::LearningEvent;
use casetrail_domain::metadata::{EventMetadata, MetadataActor};
use casetrail_domain::partnership::{
    ClockStart, OrgKind, Organisation, PartnershipEvent, PartnershipSettings, StatutoryPartner,
};
use casetrail_domain::stream::{case_stream, learning_stream, partnership_stream};
use casetrail_domain::{CaseId, OrgSlug, PartnershipSlug, Role};
use casetrail_store::{GENESIS_HASH, NewEvent, RecordedEvent};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A small deterministic random source (xorshift64*): enough for test data, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A source from a seed (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// A source of its own for one thing among many (a case, a partnership's day): `id` and
    /// `salt` mixed by splitmix64's finaliser, so that ids close together, or alike in half
    /// their bits, give unrelated sources.
    pub fn for_id(id: u128, salt: u64) -> Self {
        let mix = |a: u64, b: u64| {
            let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Self::new(mix(mix(id as u64, (id >> 64) as u64), salt))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The organisations every generated partnership registers: the three statutory partners,
/// then the relevant agencies asked for reports.
pub const ORGANISATIONS: [(&str, OrgKind); 8] = [
    ("council", OrgKind::LocalAuthority),
    ("police", OrgKind::Police),
    ("icb", OrgKind::Health),
    ("hospital-trust", OrgKind::HealthProvider),
    ("primary-school", OrgKind::Education),
    ("probation", OrgKind::CriminalJustice),
    ("family-charity", OrgKind::Voluntary),
    ("housing", OrgKind::Other),
];

pub(crate) fn org(slug: &str) -> OrgSlug {
    OrgSlug::parse(slug).expect("generated organisation slugs are valid")
}

/// A partnership's slug by number.
pub fn partnership_slug(n: usize) -> PartnershipSlug {
    PartnershipSlug::parse(&format!("partnership-{n}")).expect("generated slugs are valid")
}

/// Sealed personal data of about the size a real one has (`len` base64 characters).
pub(crate) fn sealed(rng: &mut Rng, len: usize) -> SealedPersonalData {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let key_id = Uuid::from_u128(u128::from(rng.next_u64()));
    let mut text = |n: usize| -> String {
        let mut text = String::with_capacity(n);
        while text.len() < n {
            // Ten base64 characters from each 64 random bits.
            let mut bits = rng.next_u64();
            for _ in 0..10.min(n - text.len()) {
                text.push(char::from(BASE64[(bits & 63) as usize]));
                bits >>= 6;
            }
        }
        text
    };
    SealedPersonalData {
        key_id,
        algorithm: "AES-256-GCM".into(),
        nonce: text(16),
        ciphertext: text(len),
    }
}

/// What a partnership's stream starts with: its establishment and its organisations.
pub fn partnership_opening(slug: &PartnershipSlug) -> Vec<PartnershipEvent> {
    let established = PartnershipEvent::PartnershipEstablished {
        slug: slug.clone(),
        name: format!("{slug} Safeguarding Children Partnership"),
        settings: PartnershipSettings::default(),
    };
    let organisations = ORGANISATIONS.iter().map(|(slug, kind)| {
        PartnershipEvent::OrganisationRegistered(Organisation {
            slug: org(slug),
            name: slug.replace('-', " "),
            kind: *kind,
        })
    });
    std::iter::once(established).chain(organisations).collect()
}

/// A later fact of a partnership: a change of settings, an agency leaving or joining, or a
/// declared bank holiday (which moves the deadlines still pending).
///
/// One change in fifty declares a bank holiday, a handful per partnership over the log: the
/// Crown proclaims one every few years (2011, 2012, 2022 twice, 2023), and each declaration a
/// case's working-day deadlines were still pending at costs that case a recomputation of its
/// deadlines on every read (BENCHMARKS.md "Read models").
pub fn partnership_change(rng: &mut Rng, around: DateTime<Utc>) -> PartnershipEvent {
    match rng.below(50) {
        0 => PartnershipEvent::BankHolidayDeclared {
            // Anywhere in the next few weeks: often inside a running rapid review.
            date: (around + Duration::days(rng.below(40) as i64)).date_naive(),
            name: "Proclaimed bank holiday".into(),
            // Declared when it happened: it reaches the deadlines still pending then.
            declared_at: around,
            correction: None,
        },
        1..=19 => PartnershipEvent::PartnershipSettingsChanged(PartnershipSettings {
            rapid_review_clock_start: clock_start(rng),
            close_of_business: NaiveTime::from_hms_opt(16 + rng.below(3) as u32, 0, 0)
                .unwrap_or(NaiveTime::MIN),
            ..PartnershipSettings::default()
        }),
        20..=29 => PartnershipEvent::OrganisationRetired {
            slug: org(ORGANISATIONS[3 + rng.below(5) as usize].0),
        },
        _ => {
            let (slug, kind) = ORGANISATIONS[3 + rng.below(5) as usize];
            PartnershipEvent::OrganisationRegistered(Organisation {
                slug: org(slug),
                name: slug.replace('-', " "),
                kind,
            })
        }
    }
}

fn clock_start(rng: &mut Rng) -> ClockStart {
    match rng.below(3) {
        0 => ClockStart::PanelNotification,
        1 => ClockStart::BecameAware,
        _ => ClockStart::Initiation,
    }
}

fn child(rng: &mut Rng, case_id: CaseId) -> ChildProfile {
    ChildProfile {
        reference: format!("LA-{}", case_id.as_uuid().simple()),
        age_band: [
            AgeBand::Under1,
            AgeBand::From1To5,
            AgeBand::From6To10,
            AgeBand::From11To15,
            AgeBand::From16To17,
        ][rng.below(5) as usize],
        sex: if rng.chance(50) { "female" } else { "male" }.into(),
        ethnicity: "White British".into(),
        looked_after: rng.chance(30),
        child_protection_plan: rng.chance(40),
    }
}

/// One child case's whole life cycle, opened at `opened_at`, each fact some hours after the
/// one before. Callers cut it short to get cases still in progress.
pub fn case_life_cycle(rng: &mut Rng, case_id: CaseId, opened_at: DateTime<Utc>) -> Vec<CaseEvent> {
    let mut clock = Clock {
        at: opened_at,
        pace: STEADY,
    };
    let mut events = Vec::with_capacity(48);
    let notified = rng.chance(80);
    if notified {
        events.push(CaseEvent::IncidentNotified(IncidentNotified {
            case_id,
            notified_by: org("council"),
            child: child(rng, case_id),
            personal_data: sealed(rng, 480),
            incident_date: (opened_at - Duration::days(rng.below(10) as i64 + 1)).date_naive(),
            became_aware_on: opened_at.date_naive(),
            harm: if rng.chance(40) {
                Harm::Death
            } else {
                Harm::SeriousHarm
            },
            abuse_or_neglect: if rng.chance(60) {
                AbuseOrNeglect::Known
            } else {
                AbuseOrNeglect::Suspected
            },
            location_basis: LocationBasis::InArea,
            occurred_at: opened_at,
        }));
        let at = clock.next(rng);
        events.push(CaseEvent::PanelNotificationRecorded(
            PanelNotificationRecorded {
                panel_reference: format!("NCSPRP-{}", rng.below(1_000_000)),
                submitted_on: at.date_naive(),
                occurred_at: at,
            },
        ));
    } else {
        let referrer = ORGANISATIONS[1 + rng.below(7) as usize].0;
        events.push(CaseEvent::CaseReferred(CaseReferred {
            case_id,
            referred_by: org(referrer),
            child: child(rng, case_id),
            personal_data: sealed(rng, 480),
            incident_date: (opened_at - Duration::days(rng.below(30) as i64 + 1)).date_naive(),
            occurred_at: opened_at,
        }));
        if rng.chance(50) {
            events.push(closed(ClosureReason::NotTakenForward, clock.next(rng)));
            return events;
        }
    }
    // Most rapid reviews keep to their 15 working days; one in four runs late.
    clock.pace = if rng.chance(75) { BRISK } else { STEADY };
    rapid_review(rng, &mut clock, &mut events);
    decision_and_after(rng, &mut clock, &mut events);
    crate::action_plans::add_to(&mut events);
    crate::learning_shared::add_to(&mut events, case_id);
    events
}

/// Up to how many minutes (after half an hour) a case's next step follows its last: most of
/// its life at a steady pace, a rapid review that keeps to time briskly.
const STEADY: u64 = 3 * 24 * 60;
const BRISK: u64 = 14 * 60;

/// A case's clock: each step a while after the last.
struct Clock {
    at: DateTime<Utc>,
    pace: u64,
}

impl Clock {
    fn next(&mut self, rng: &mut Rng) -> DateTime<Utc> {
        self.at += Duration::minutes(30 + rng.below(self.pace) as i64);
        self.at
    }
}

pub(crate) fn closed(reason: ClosureReason, occurred_at: DateTime<Utc>) -> CaseEvent {
    CaseEvent::CaseClosed(CaseClosed {
        reason,
        occurred_at,
    })
}

pub(crate) fn act(organisation: &str, occurred_at: DateTime<Utc>) -> OrganisationAct {
    OrganisationAct {
        organisation: org(organisation),
        occurred_at,
    }
}

fn rapid_review(rng: &mut Rng, clock: &mut Clock, events: &mut Vec<CaseEvent>) {
    events.push(CaseEvent::RapidReviewInitiated(RapidReviewInitiated {
        clock_start: clock_start(rng),
        close_of_business: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
        occurred_at: clock.next(rng),
    }));
    events.push(CaseEvent::PartnersNotified(Occurred {
        occurred_at: clock.next(rng),
    }));
    for partner in [
        StatutoryPartner::LocalAuthority,
        StatutoryPartner::Police,
        StatutoryPartner::Health,
    ] {
        events.push(CaseEvent::PartnerLeadNamed(PartnerLeadNamed {
            partner,
            lead_name: format!("Lead {}", rng.below(500)),
            occurred_at: clock.next(rng),
        }));
    }
    events.push(CaseEvent::ReviewLeadAgreed(ReviewLeadAgreed {
        lead_name: format!("Reviewer {}", rng.below(100)),
        organisation: org("council"),
        occurred_at: clock.next(rng),
    }));
    let agencies: Vec<&str> = ORGANISATIONS[1..]
        .iter()
        .map(|(slug, _)| *slug)
        .filter(|_| rng.chance(45))
        .collect();
    for agency in &agencies {
        events.push(CaseEvent::AgencyReportRequested(act(
            agency,
            clock.next(rng),
        )));
    }
    if rng.chance(10) {
        events.push(CaseEvent::ModifiedResponseAgreed(ModifiedResponseAgreed {
            rationale: sealed(rng, 200),
            occurred_at: clock.next(rng),
        }));
    }
    for agency in &agencies {
        if rng.chance(90) {
            events.push(CaseEvent::AgencyReportSubmitted(AgencyReportSubmitted {
                organisation: org(agency),
                report: sealed(rng, 1200),
                occurred_at: clock.next(rng),
            }));
        }
    }
    events.push(CaseEvent::AgencyReportsCirculated(Occurred {
        occurred_at: clock.next(rng),
    }));
    let partners = ["council", "police", "icb"];
    let mut team: Vec<&str> = partners.to_vec();
    team.extend(agencies.iter().filter(|a| !partners.contains(a)));
    events.push(CaseEvent::RapidReviewMeetingHeld(RapidReviewMeetingHeld {
        attendees: team.iter().map(|slug| org(slug)).collect(),
        service_manager_present: rng.chance(85),
        occurred_at: clock.next(rng),
    }));
    for milestone in [
        DraftMilestone::FirstDraftCompleted,
        DraftMilestone::DraftCirculated,
    ] {
        events.push(CaseEvent::DraftMilestoneRecorded(DraftMilestoneRecorded {
            milestone,
            occurred_at: clock.next(rng),
        }));
    }
    for member in &team {
        events.push(CaseEvent::DraftCommentsSubmitted(act(
            member,
            clock.next(rng),
        )));
    }
    events.push(CaseEvent::DraftMilestoneRecorded(DraftMilestoneRecorded {
        milestone: DraftMilestone::SecondDraftFinalised,
        occurred_at: clock.next(rng),
    }));
    for member in &team {
        events.push(CaseEvent::SeniorSignOffConfirmed(act(
            member,
            clock.next(rng),
        )));
    }
    events.push(CaseEvent::RapidReviewSignedOff(Occurred {
        occurred_at: clock.next(rng),
    }));
}

fn decision_and_after(rng: &mut Rng, clock: &mut Clock, events: &mut Vec<CaseEvent>) {
    let decision = if rng.chance(35) {
        ReviewDecision::Lcspr
    } else {
        ReviewDecision::NoLcspr
    };
    let partners = [
        StatutoryPartner::LocalAuthority,
        StatutoryPartner::Police,
        StatutoryPartner::Health,
    ];
    let mut decided_at = clock.next(rng);
    for partner in &partners[..2] {
        decided_at = clock.next(rng);
        events.push(vote(rng, *partner, decision, decided_at));
    }
    // The second vote and the decision are appended by one command: one batch.
    events.push(CaseEvent::DecisionReached(DecisionReached {
        decision,
        agreed_by: partners[..2].to_vec(),
        occurred_at: decided_at,
    }));
    if rng.chance(50) {
        let at = clock.next(rng);
        events.push(vote(rng, partners[2], decision, at));
    }
    events.push(CaseEvent::RapidReviewSubmittedToPanel(
        RapidReviewSubmitted {
            national_review_may_be_appropriate: Some(rng.chance(5)),
            occurred_at: clock.next(rng),
        },
    ));
    clock.pace = STEADY;
    let agrees = rng.chance(85);
    events.push(CaseEvent::PanelResponseRecorded(PanelResponseRecorded {
        agrees,
        occurred_at: clock.next(rng),
    }));
    let mut lcspr = decision == ReviewDecision::Lcspr;
    if !agrees {
        // The partners reconsider with the Independent Advisor's advice; two agreeing views
        // decide: adhere, or turn the decision round (commission a review, or withdraw one).
        let outcome = match (rng.chance(50), lcspr) {
            (false, _) => ReconsideredOutcome::Adhere,
            (true, false) => ReconsideredOutcome::Commission,
            (true, true) => ReconsideredOutcome::Withdraw,
        };
        lcspr = match outcome {
            ReconsideredOutcome::Adhere => lcspr,
            ReconsideredOutcome::Commission => true,
            ReconsideredOutcome::Withdraw => false,
        };
        events.push(CaseEvent::IndependentAdviceRecorded(
            IndependentAdviceRecorded {
                subject: AdviceSubject::Reconsideration,
                advice: sealed(rng, 300),
                occurred_at: clock.next(rng),
            },
        ));
        let first_view_at = clock.next(rng);
        let reached_at = clock.next(rng);
        for (partner, at) in partners[..2].iter().zip([first_view_at, reached_at]) {
            events.push(CaseEvent::ReconsideredViewRecorded(
                ReconsideredViewRecorded {
                    partner: *partner,
                    outcome,
                    rationale: sealed(rng, 300),
                    occurred_at: at,
                },
            ));
        }
        // The second view and the reconsidered decision are appended by one command.
        events.push(CaseEvent::ReconsiderationReached(ReconsiderationReached {
            outcome,
            agreed_by: partners[..2].to_vec(),
            occurred_at: reached_at,
        }));
        events.push(CaseEvent::ReconsiderationSentToPanel(
            ReconsiderationSentToPanel {
                justification: sealed(rng, 300),
                occurred_at: clock.next(rng),
            },
        ));
    }
    events.push(CaseEvent::FamilyCommunicationRecorded(
        FamilyCommunicationRecorded {
            in_person: rng.chance(70),
            occurred_at: clock.next(rng),
        },
    ));
    if !lcspr {
        events.push(closed(ClosureReason::NoReview, clock.next(rng)));
        return;
    }
    practice_review(rng, clock, events);
}

fn vote(
    rng: &mut Rng,
    partner: StatutoryPartner,
    decision: ReviewDecision,
    occurred_at: DateTime<Utc>,
) -> CaseEvent {
    CaseEvent::PartnerDecisionRecorded(PartnerDecisionRecorded {
        partner,
        decision,
        criteria: vec![
            DecisionCriterion::ImprovementsNeeded,
            DecisionCriterion::AgenciesWorkingTogether,
        ],
        national_review_suggested: rng.chance(5),
        rationale: sealed(rng, 400),
        occurred_at,
    })
}

fn practice_review(rng: &mut Rng, clock: &mut Clock, events: &mut Vec<CaseEvent>) {
    events.push(CaseEvent::PracticeReviewCommissioned(
        PracticeReviewCommissioned {
            reviewer: format!("Independent reviewer {}", rng.below(50)),
            terms_of_reference: sealed(rng, 600),
            occurred_at: clock.next(rng),
        },
    ));
    if rng.chance(20) {
        let at = clock.next(rng);
        events.push(CaseEvent::PublicationDelayApproved(
            PublicationDelayApproved {
                new_due_on: (at + Duration::days(200)).date_naive(),
                reasons: sealed(rng, 200),
                occurred_at: at,
            },
        ));
    }
    let mut recommendations = Vec::new();
    for _ in 0..1 + rng.below(5) {
        let at = clock.next(rng);
        let id = Uuid::from_u128(u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()));
        recommendations.push(id);
        events.push(CaseEvent::RecommendationAdded(RecommendationAdded {
            recommendation_id: id,
            text: "Agencies share chronologies within five working days of a strategy \
                   discussion."
                .into(),
            owners: vec![org(ORGANISATIONS[rng.below(8) as usize].0)],
            due_on: (at + Duration::days(90 + rng.below(180) as i64)).date_naive(),
            occurred_at: at,
        }));
    }
    let withheld = rng.chance(10);
    if !withheld {
        events.push(CaseEvent::FinalReportSentToPanel(Occurred {
            occurred_at: clock.next(rng),
        }));
        events.push(CaseEvent::ReviewPublished(ReviewPublished {
            url: Some("https://example.org/reviews/child-a".into()),
            occurred_at: clock.next(rng),
        }));
    } else {
        events.push(CaseEvent::PublicationWithheld(PublicationWithheld {
            justification: sealed(rng, 300),
            occurred_at: clock.next(rng),
        }));
    }
    for id in recommendations {
        if rng.chance(70) {
            events.push(CaseEvent::RecommendationCompleted(
                RecommendationCompleted {
                    recommendation_id: id,
                    occurred_at: clock.next(rng),
                },
            ));
        }
    }
    let reason = if withheld {
        ClosureReason::PublicationWithheld
    } else {
        ClosureReason::ReviewPublished
    };
    events.push(closed(reason, clock.next(rng)));
    if !withheld && rng.chance(30) {
        events.push(CaseEvent::ReviewTakenDown(Occurred {
            occurred_at: clock.next(rng),
        }));
    }
}

/// An event of one stream, not yet in the log.
#[derive(Debug, Clone)]
pub enum StreamEvent {
    /// A partnership's fact.
    Partnership(PartnershipSlug, PartnershipEvent),
    /// A case's fact.
    Case(PartnershipSlug, CaseId, CaseEvent),
    /// A fact of a partnership's learning record.
    Learning(PartnershipSlug, LearningEvent),
}

/// Writes events into a log as the store does: gap-free positions, per-stream versions,
/// `recorded_at` never going backwards, metadata as the API writes it.
#[derive(Debug)]
pub struct LogWriter {
    position: u64,
    recorded_at: DateTime<Utc>,
    versions: HashMap<String, u64>,
}

impl LogWriter {
    /// An empty log whose first event is recorded no earlier than `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            position: 0,
            recorded_at: start,
            versions: HashMap::new(),
        }
    }

    /// When the last event was recorded.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        self.recorded_at
    }

    /// The last event's position (0 before the first).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Appends the next event `gap` after the previous one (zero: the same commit) and never
    /// before the fact happened.
    pub fn append(&mut self, event: &StreamEvent, gap: Duration) -> RecordedEvent {
        let (stream_id, (event_type, data)) = event.encoded();
        let occurred_at = match event {
            StreamEvent::Case(_, _, event) => Some(event.occurred_at()),
            // A meeting or learning event is recorded once held: that evening at the earliest.
            StreamEvent::Learning(_, event) => held_on(event).map(|day| {
                casetrail_domain::calendar::at_local_time(day, NaiveTime::MIN + Duration::hours(18))
            }),
            StreamEvent::Partnership(..) => None,
        };
        self.recorded_at = (self.recorded_at + gap).max(occurred_at.unwrap_or(self.recorded_at));
        let event_id = Uuid::from_u128(u128::from(self.position + 1));
        self.record(
            stream_id,
            NewEvent {
                event_id,
                schema_version: casetrail_domain::codec::schema_version(&event_type),
                metadata: event.metadata(event_id, self.position + 1),
                event_type,
                data,
            },
        )
    }

    /// Appends an event another part of the service wrote (a reminder notice) at `at`, or
    /// with the previous event when that was later.
    pub fn append_new(
        &mut self,
        stream_id: &str,
        event: NewEvent,
        at: DateTime<Utc>,
    ) -> RecordedEvent {
        self.recorded_at = self.recorded_at.max(at);
        self.record(stream_id.to_owned(), event)
    }

    fn record(&mut self, stream_id: String, event: NewEvent) -> RecordedEvent {
        self.position += 1;
        let version = self.versions.entry(stream_id.clone()).or_insert(0);
        *version += 1;
        RecordedEvent {
            position: self.position,
            stream_id,
            stream_version: *version,
            event_id: event.event_id,
            schema_version: event.schema_version,
            metadata: event.metadata,
            event_type: event.event_type,
            data: event.data,
            recorded_at: self.recorded_at,
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }
}

impl StreamEvent {
    /// Its stream, stored type name and data.
    pub fn encoded(&self) -> (String, (String, serde_json::Value)) {
        match self {
            StreamEvent::Partnership(slug, event) => (partnership_stream(slug), encode(event)),
            StreamEvent::Case(slug, case_id, event) => (case_stream(slug, *case_id), encode(event)),
            StreamEvent::Learning(slug, event) => (learning_stream(slug), encode(event)),
        }
    }

    /// Metadata shaped as the API writes it: the business manager of the partnership's council
    /// sent the command, on request number `n`.
    pub fn metadata(&self, event_id: Uuid, n: u64) -> serde_json::Value {
        let command = match self {
            StreamEvent::Partnership(_, event) => event.event_type(),
            StreamEvent::Case(_, _, event) => event.event_type(),
            StreamEvent::Learning(_, event) => learning_command(event),
        };
        EventMetadata {
            actor: MetadataActor {
                user: "auth0|5f7c8ec7c33c6c004bbafe82".to_owned(),
                name: "Business Manager".to_owned(),
                org: OrgSlug::parse("council").ok(),
                roles: vec![Role::BusinessManager],
            },
            command: command.to_owned(),
            correlation_id: Some(event_id),
            request_id: Some(format!("req-{n}")),
            ..EventMetadata::default()
        }
        .to_json()
    }
}

/// The day a meeting or learning event of the record was held.
fn held_on(event: &LearningEvent) -> Option<chrono::NaiveDate> {
    match event {
        LearningEvent::MeetingRecorded(meeting) | LearningEvent::MeetingCorrected(meeting) => {
            Some(meeting.held_on)
        }
        LearningEvent::LearningEventRecorded(held)
        | LearningEvent::LearningEventCorrected(held) => Some(held.held_on),
        _ => None,
    }
}

/// The command that records a learning event (its operationId), for the metadata.
fn learning_command(event: &LearningEvent) -> &'static str {
    match event {
        LearningEvent::ThemeAdded { .. } => "AddTheme",
        LearningEvent::ThemeRetired { .. } => "RetireTheme",
        LearningEvent::ThemesTagged { .. } => "TagThemes",
        LearningEvent::MeetingRecorded(_) => "RecordMeeting",
        LearningEvent::LearningEventRecorded(_) => "RecordLearningEvent",
        LearningEvent::ContributionRecorded(_) => "RecordContribution",
        LearningEvent::SpendingRecorded(_) => "RecordSpending",
        LearningEvent::MeetingCorrected(_) => "CorrectMeeting",
        LearningEvent::LearningEventCorrected(_) => "CorrectLearningEvent",
        LearningEvent::BudgetLineWithdrawn { .. } => "WithdrawBudgetLine",
    }
}
