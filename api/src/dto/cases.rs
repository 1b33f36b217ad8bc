//! Wire types of case notification and the case read model.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The notification's value types and a deadline's status are the domain's own: their
/// schemas derive from them (feature `openapi`), so no mirror can drift.
pub use casetrail_domain::case::{AbuseOrNeglect, Harm, LocationBasis};
pub use casetrail_domain::deadline::DeadlineStatus;

/// The child, as the local authority records them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildInput {
    /// The local authority's pseudonymous case reference.
    #[schema(example = "SBC-2022-0412")]
    pub reference: String,
    /// Given name (sealed; never in logs or read models).
    #[schema(example = "Alex")]
    pub given_name: String,
    /// Family name (sealed).
    #[schema(example = "Smith")]
    pub family_name: String,
    /// Date of birth (sealed; the case keeps only the age band).
    #[schema(example = "2016-03-01")]
    pub date_of_birth: NaiveDate,
    /// Sex.
    #[schema(example = "female")]
    pub sex: String,
    /// Ethnicity.
    #[schema(example = "White British")]
    pub ethnicity: String,
    /// Whether the child was looked after.
    pub looked_after: bool,
    /// Whether the child had a child protection plan.
    pub child_protection_plan: bool,
}

/// NotifyIncident request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "child": {
        "reference": "SBC-2022-0412", "given_name": "Alex", "family_name": "Smith",
        "date_of_birth": "2016-03-01", "sex": "female", "ethnicity": "White British",
        "looked_after": false, "child_protection_plan": true
    },
    "incident_date": "2022-12-20",
    "became_aware_on": "2022-12-22",
    "harm": "serious_harm",
    "abuse_or_neglect": "suspected",
    "location_basis": "in_area",
    "summary": "Admitted to hospital with injuries inconsistent with the account given."
}))]
pub struct NotifyIncidentRequest {
    /// The child.
    pub child: ChildInput,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// When the local authority became aware: starts the 5-working-day Panel notification.
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
    /// Summary of what happened (sealed with the personal data).
    #[schema(example = "Admitted to hospital with injuries inconsistent with the account given.")]
    pub summary: String,
    /// When the notification was made, if not now (RFC 3339).
    pub occurred_at: Option<DateTime<Utc>>,
    /// Open a case although one is open for the same child `reference` and `incident_date`
    /// (another incident on the same day). Without it, such a notification is 409
    /// `case.possible_duplicate` naming the open case in `existing_case_id`.
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// RecordPanelNotification request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"}))]
pub struct RecordPanelNotificationRequest {
    /// The Panel's reference for the notification.
    pub panel_reference: String,
    /// The day the notification was submitted to the Panel.
    pub submitted_on: NaiveDate,
    /// When, if not now; must fall on `submitted_on` (Europe/London).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The answer to every accepted command.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "version": 1, "position": 42}))]
pub struct CommandAccepted {
    /// The case.
    pub case_id: Uuid,
    /// The case's new version (send it back in `If-Match`).
    pub version: u64,
    /// The log position of the last event written.
    pub position: u64,
}

/// Late by how much.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LateBy {
    /// Working days late.
    pub working_days: i64,
    /// Whole hours late.
    pub hours: i64,
}

/// A deadline (api.md "A deadline, wherever it appears").
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
    "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
    "kind": "panel_notification", "organisation": "southend-council",
    "due_at": "2023-01-03T23:59:59.999999Z", "status": "met",
    "fulfilled_at": "2022-12-29T23:59:59.999999Z", "late_by": null,
    "fulfilled_by": "RecordPanelNotification", "original_due_at": null,
    "recommendation_id": null, "action_id": null, "provisional": false
}))]
pub struct DeadlineView {
    /// Stable id of this deadline.
    pub deadline_id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// Stable kind code, e.g. `panel_notification`.
    #[schema(value_type = casetrail_domain::deadline::DeadlineKind)]
    pub kind: String,
    /// The organisation that must act.
    pub organisation: Option<String>,
    /// When it falls due.
    pub due_at: DateTime<Utc>,
    /// Status now (or at `as_of`).
    pub status: DeadlineStatus,
    /// When the fulfilling fact occurred.
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// How late, when met late or breached.
    pub late_by: Option<LateBy>,
    /// The command that fulfils it.
    #[schema(value_type = super::CommandName)]
    pub fulfilled_by: String,
    /// The first due instant, when an approved delay or a pause (of a safeguarding adult
    /// review) has moved it: `due_at` is then the extended date.
    pub original_due_at: Option<DateTime<Utc>>,
    /// The recommendation a `recommendation` deadline is for, or whose plan holds an
    /// `action` deadline's action.
    pub recommendation_id: Option<Uuid>,
    /// The action an `action` deadline is for.
    pub action_id: Option<Uuid>,
    /// Whether it falls due after the last year gov.uk has published bank holidays for
    /// (2027): a holiday proclaimed later may still move it (docs/rules.md, section 2).
    pub provisional: bool,
    /// The case's version (its ETag) as of the instant the list answers for.
    pub case_version: u64,
    /// When the case's last fact was recorded. A deadline's `status` also moves with time
    /// alone (`due_soon`, `breached`), which no fact records.
    pub updated_at: DateTime<Utc>,
    /// The log position of the case's last fact: give the greatest seen as `changed_since`.
    pub updated_position: u64,
}

/// The child as a case shows it: no names, no date of birth.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildView {
    /// Pseudonymous reference.
    pub reference: String,
    /// Age band at the incident: `under_1`, `1_to_5`, `6_to_10`, `11_to_15`, `16_to_17`.
    #[schema(value_type = casetrail_domain::case::AgeBand)]
    pub age_band: String,
    /// Sex.
    pub sex: String,
    /// Ethnicity.
    pub ethnicity: String,
    /// Looked after.
    pub looked_after: bool,
    /// Child protection plan.
    pub child_protection_plan: bool,
}

/// The facts of a statutory notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    /// When the local authority became aware.
    pub became_aware_on: NaiveDate,
    /// Harm.
    pub harm: Harm,
    /// Abuse or neglect.
    pub abuse_or_neglect: AbuseOrNeglect,
    /// Location basis.
    pub location_basis: LocationBasis,
}

/// ReferCaseForConsideration request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "child": {
        "reference": "SUHFT-22-0988", "given_name": "Sam", "family_name": "Brown",
        "date_of_birth": "2019-07-14", "sex": "male", "ethnicity": "Mixed",
        "looked_after": true, "child_protection_plan": false
    },
    "incident_date": "2022-11-30",
    "reasons": "Repeated attendances with injuries; concerns about information sharing."
}))]
pub struct ReferCaseForConsiderationRequest {
    /// The child.
    pub child: ChildInput,
    /// When the incident happened.
    pub incident_date: NaiveDate,
    /// Why the partners should consider a review (sealed with the personal data).
    pub reasons: String,
    /// When the referral was made, if not now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The Panel notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PanelNotificationView {
    /// The Panel's reference.
    pub panel_reference: String,
    /// Day submitted.
    pub submitted_on: NaiveDate,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A case in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummary {
    /// Case id.
    pub case_id: Uuid,
    /// `child`, `adult` or `domestic_homicide`.
    #[schema(value_type = casetrail_domain::case::CaseKind)]
    pub kind: String,
    /// Life-cycle stage, e.g. `notified`, `panel_notified`, `sar_in_progress`, `dhr_decided`.
    #[schema(value_type = casetrail_domain::case::Stage)]
    pub stage: String,
    /// Version (ETag).
    pub version: u64,
    /// Pseudonymous reference.
    pub reference: String,
    /// When the case was opened.
    pub opened_at: DateTime<Utc>,
    /// Whether any deadline is breached now.
    pub has_overdue_deadlines: bool,
    /// When the case's last fact was recorded.
    pub updated_at: DateTime<Utc>,
    /// The log position of the case's last fact: pass the greatest of a page as
    /// `changed_since` to ask only for what changed after it.
    pub updated_position: u64,
    /// When the case's soonest deadline still to be met (pending, due soon or breached) falls
    /// due; `null` when none is left. The case list's `sort=due_at` is by this.
    pub next_due_at: Option<DateTime<Utc>>,
}

/// A case in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "child", "stage": "panel_notified",
    "version": 2, "opened_at": "2022-12-22T10:15:00Z", "origin": "notification",
    "opened_by": "southend-council",
    "child": {"reference": "SBC-2022-0412", "age_band": "6_to_10", "sex": "female",
              "ethnicity": "White British", "looked_after": false, "child_protection_plan": true},
    "incident_date": "2022-12-20",
    "adult": null, "sar": null, "victim": null, "dhr": null,
    "notification": {"became_aware_on": "2022-12-22", "harm": "serious_harm",
                     "abuse_or_neglect": "suspected", "location_basis": "in_area"},
    "panel_notification": {"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29",
                           "occurred_at": "2022-12-29T23:59:59.999999Z"},
    "involved_organisations": ["southend-council"],
    "rapid_review": null, "votes": [], "decision": null,
    "after_review": {"panel_agrees": null, "panel_responded_at": null,
                     "reconsidered_outcome": null, "family_told_in_person": null,
                     "practice_review": null, "recommendations": [], "closure_reason": null,
                     "closed_at": null},
    "next_steps": [{"command": "InitiateRapidReview", "role": "business_manager",
                    "organisation": null, "due_at": null, "status": null}],
    "deadlines": [{"deadline_id": "5b0e8f7e-4a53-5d1e-9c3c-2f7f0d4b8a11",
                   "case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f", "kind": "panel_notification",
                   "organisation": "southend-council", "due_at": "2023-01-03T23:59:59.999999Z",
                   "status": "met", "fulfilled_at": "2022-12-29T23:59:59.999999Z", "late_by": null,
                   "fulfilled_by": "RecordPanelNotification", "original_due_at": null,
                   "recommendation_id": null, "action_id": null}]
}))]
pub struct CaseDetail {
    /// Case id.
    pub case_id: Uuid,
    /// Kind.
    #[schema(value_type = casetrail_domain::case::CaseKind)]
    pub kind: String,
    /// Stage.
    #[schema(value_type = casetrail_domain::case::Stage)]
    pub stage: String,
    /// Version (also the ETag).
    pub version: u64,
    /// When opened.
    pub opened_at: DateTime<Utc>,
    /// How the case came: `notification` (a serious incident notified by the local authority,
    /// or a domestic homicide) or `referral` (for a child or a safeguarding adult review).
    #[schema(value_type = super::CaseOrigin)]
    pub origin: String,
    /// The organisation that notified or referred the case.
    pub opened_by: String,
    /// The child, without identifying details (child cases; `null` otherwise).
    pub child: Option<ChildView>,
    /// Incident date (child cases; `null` otherwise).
    pub incident_date: Option<NaiveDate>,
    /// The adult, without identifying details (adult cases; `null` otherwise).
    pub adult: Option<super::AdultView>,
    /// The safeguarding adult review (adult cases; `null` otherwise).
    pub sar: Option<super::SarView>,
    /// The victim, without identifying details (domestic homicide cases; `null` otherwise).
    pub victim: Option<super::VictimView>,
    /// The domestic homicide review (domestic homicide cases; `null` otherwise).
    pub dhr: Option<super::DhrView>,
    /// The multi-agency audit (audits only).
    pub audit: Option<super::AuditView>,
    /// The statutory notification's facts (notified cases only).
    pub notification: Option<NotificationView>,
    /// The Panel notification, once recorded.
    pub panel_notification: Option<PanelNotificationView>,
    /// Organisations involved in the case.
    pub involved_organisations: Vec<String>,
    /// The rapid review, once initiated.
    pub rapid_review: Option<super::RapidReviewView>,
    /// The partners' votes so far.
    pub votes: Vec<super::VoteView>,
    /// The partners' decision, once two agree.
    pub decision: Option<super::DecisionView>,
    /// What followed the rapid review: the Panel, the family, the LCSPR, recommendations.
    pub after_review: super::AfterReviewView,
    /// What must happen next and who must act: unmet deadlines (soonest first) and the steps
    /// the process expects without a deadline of their own.
    pub next_steps: Vec<NextStepView>,
    /// Every deadline of the case.
    pub deadlines: Vec<DeadlineView>,
}

/// The child's identifying details, for those who need them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalDetails {
    /// Case id.
    pub case_id: Uuid,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// The notification's summary.
    pub summary: String,
}

/// Something that must happen next on a case, and who must do it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"command": "SubmitAgencyReport", "role": "agency_user",
    "organisation": "suhft", "due_at": "2022-09-20T16:00:00Z", "status": "due_soon"}))]
pub struct NextStepView {
    /// The command that takes the step.
    #[schema(value_type = super::CommandName)]
    pub command: String,
    /// The role that acts.
    #[schema(value_type = casetrail_domain::Role)]
    pub role: String,
    /// The organisation that acts, when one is named.
    pub organisation: Option<String>,
    /// When it is due, when a deadline governs it.
    pub due_at: Option<DateTime<Utc>>,
    /// The deadline's status (`pending`, `due_soon` or `breached`), when one governs it.
    pub status: Option<DeadlineStatus>,
}

/// A page of deadlines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlinePage {
    /// The deadlines.
    pub items: Vec<DeadlineView>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePage {
    /// The cases.
    pub items: Vec<CaseSummary>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}
