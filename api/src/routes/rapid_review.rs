//! The rapid review and the partners' decision: one endpoint per command (Appendix E).

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_command!`.
#![allow(missing_debug_implementations)]

use crate::dto::{
    AgencyReportContent, AgreeModifiedResponseRequest, AgreeReviewLeadRequest,
    NamePartnerLeadRequest, OrganisationRequest, RecordPartnerDecisionRequest,
    RecordRapidReviewMeetingRequest, SubmitAgencyReportRequest,
};
use actix_web::post;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::commands as cmd;
use casetrail_domain::case::commands::{At, RecordDraftMilestone, SubmitRapidReviewToPanel};

case_command!(
    initiate_rapid_review,
    "InitiateRapidReview",
    "/v1/cases/{case_id}/rapid-review",
    "Initiate the rapid review",
    "Starts the 15-working-day rapid review (Appendix E). Day 0 follows the partnership's setting, \
fixed at initiation: by default the day the Panel was notified, or the day the local authority \
became aware, or the day of initiation (always for a referral). The clock does not wait for this \
command: once day 0 is known, every milestone is due whether or not the review was initiated.",
    At,
    |body, _input| CaseCommand::InitiateRapidReview(body)
);

case_command!(
    record_partners_notified,
    "RecordPartnersNotified",
    "/v1/cases/{case_id}/rapid-review/partners-notified",
    "Record that the partners were notified",
    "The business manager notified the three safeguarding partners of the rapid review, with the \
timescales and the pro-forma. Fulfils `rr_partners_notified` (day 2).",
    At,
    |body, _input| CaseCommand::RecordPartnersNotified(body)
);

case_command!(
    name_partner_lead,
    "NamePartnerLead",
    "/v1/cases/{case_id}/rapid-review/partner-leads",
    "Name a partner's lead for the review",
    "A safeguarding partner names the person leading the review within its organisation.",
    NamePartnerLeadRequest,
    |body, _input| CaseCommand::NamePartnerLead(cmd::NamePartnerLead {
        partner: body.partner.into(),
        lead_name: body.lead_name,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    agree_review_lead,
    "AgreeReviewLead",
    "/v1/cases/{case_id}/rapid-review/review-lead",
    "Agree the review lead/author",
    "The business manager and the partners' leads agree who leads and writes the rapid review \
report.",
    AgreeReviewLeadRequest,
    |body, _input| CaseCommand::AgreeReviewLead(cmd::AgreeReviewLead {
        lead_name: body.lead_name,
        organisation: command::organisation("organisation", &body.organisation)?,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    agree_modified_response,
    "AgreeModifiedResponse",
    "/v1/cases/{case_id}/rapid-review/modified-response",
    "Agree a modified response",
    "Where a further review is highly likely, organisations submit internal documents instead of \
agency reports, still due at close of business on day 6 (`rr_agency_report`). Before the reports are \
circulated. The rationale is sealed.",
    AgreeModifiedResponseRequest,
    |body, input| {
        command::text("rationale", &body.rationale)?;
        CaseCommand::AgreeModifiedResponse(cmd::AgreeModifiedResponse {
            rationale: input.seal(&body.rationale).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    request_agency_report,
    "RequestAgencyReport",
    "/v1/cases/{case_id}/agency-report-requests",
    "Ask an agency for its report",
    "Asks a registered organisation for its rapid review report, due at close of business on day 6 \
(`rr_agency_report`). The organisation becomes involved in the case, so its users can see it. \
On an adult case, asks for a report to the commissioned safeguarding adult review (no rapid \
review deadline; never from the reviewer's own organisation).",
    OrganisationRequest,
    |body, _input| CaseCommand::RequestAgencyReport(cmd::ForOrganisation {
        organisation: command::organisation("organisation", &body.organisation)?,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    submit_agency_report,
    "SubmitAgencyReport",
    "/v1/cases/{case_id}/agency-reports",
    "Submit an agency report",
    "An agency submits its report for the rapid review: its involvement, a summary and the learning \
it has identified (all sealed). Only for a report requested from the user's own organisation, \
once. Fulfils the organisation's `rr_agency_report` deadline. On an adult case, the report goes to \
the safeguarding adult review, until it is completed.",
    SubmitAgencyReportRequest,
    |body, input| {
        let organisation = command::organisation("organisation", &body.organisation)?;
        command::text("involvement", &body.involvement)?;
        command::text("summary", &body.summary)?;
        command::text("learning", &body.learning)?;
        let content = AgencyReportContent {
            involvement: body.involvement,
            summary: body.summary,
            learning: body.learning,
        };
        CaseCommand::SubmitAgencyReport(cmd::SubmitAgencyReport {
            organisation,
            report: input.seal(&content).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    circulate_agency_reports,
    "CirculateAgencyReports",
    "/v1/cases/{case_id}/rapid-review/reports-circulated",
    "Record that the reports were circulated",
    "The business manager circulated the agency reports to all involved before the meeting. \
Fulfils `rr_reports_circulated` (day 7).",
    At,
    |body, _input| CaseCommand::CirculateAgencyReports(body)
);

case_command!(
    record_rapid_review_meeting,
    "RecordRapidReviewMeeting",
    "/v1/cases/{case_id}/rapid-review/meeting",
    "Record the rapid review meeting",
    "The day-8 meeting, attended by the local authority, the police and health, with at least one \
service manager. Fulfils `rr_meeting`.",
    RecordRapidReviewMeetingRequest,
    |body, _input| {
        let mut attendees = Vec::with_capacity(body.attendees.len());
        for (n, org) in body.attendees.iter().enumerate() {
            attendees.push(command::organisation(&format!("attendees[{n}]"), org)?);
        }
        CaseCommand::RecordRapidReviewMeeting(cmd::RecordRapidReviewMeeting {
            attendees,
            service_manager_present: body.service_manager_present,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    record_draft_milestone,
    "RecordDraftMilestone",
    "/v1/cases/{case_id}/rapid-review/drafts",
    "Record a drafting step",
    "`first_draft_completed` (day 11), `draft_circulated` (day 12 by 09:30) and \
`second_draft_finalised` (day 12, end of day), in that order.",
    RecordDraftMilestone,
    |body, _input| CaseCommand::RecordDraftMilestone(body)
);

case_command!(
    submit_draft_comments,
    "SubmitDraftComments",
    "/v1/cases/{case_id}/rapid-review/draft-comments",
    "Return comments on the draft",
    "A member of the review team returns its organisation's comments on the circulated draft, due \
by 15:00 on day 12 (`rr_draft_comments`).",
    OrganisationRequest,
    |body, _input| CaseCommand::SubmitDraftComments(cmd::ForOrganisation {
        organisation: command::organisation("organisation", &body.organisation)?,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    confirm_senior_sign_off,
    "ConfirmSeniorSignOff",
    "/v1/cases/{case_id}/rapid-review/sign-offs",
    "Confirm an organisation's senior sign-off",
    "The report was signed off at the agreed senior level of the organisation, after the second \
draft (`rr_senior_sign_off`, day 13).",
    OrganisationRequest,
    |body, _input| CaseCommand::ConfirmSeniorSignOff(cmd::ForOrganisation {
        organisation: command::organisation("organisation", &body.organisation)?,
        occurred_at: body.occurred_at,
    })
);

case_command!(
    sign_off_rapid_review,
    "SignOffRapidReview",
    "/v1/cases/{case_id}/rapid-review/independent-sign-off",
    "The Independent Advisor signs the report off",
    "The Independent Advisor proof-reads and signs off the final report (`rr_independent_sign_off`, \
day 14).",
    At,
    |body, _input| CaseCommand::SignOffRapidReview(body)
);

case_command!(
    record_partner_decision,
    "RecordPartnerDecision",
    "/v1/cases/{case_id}/decisions",
    "Record a partner's decision on a review",
    "One safeguarding partner's decision on holding a local child safeguarding practice review, the \
criteria met, whether a national review may be appropriate, and the rationale (sealed). Each \
partner votes once, for itself. When two partners agree, the decision is reached and recorded as \
an event of its own; later votes never change it.",
    RecordPartnerDecisionRequest,
    |body, input| {
        command::text("rationale", &body.rationale)?;
        CaseCommand::RecordPartnerDecision(cmd::RecordPartnerDecision {
            partner: body.partner.into(),
            decision: body.decision,
            criteria: body.criteria.into_iter().collect(),
            national_review_suggested: body.national_review_suggested,
            rationale: input.seal(&body.rationale).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    submit_rapid_review_to_panel,
    "SubmitRapidReviewToPanel",
    "/v1/cases/{case_id}/rapid-review/submission",
    "Submit the rapid review to the Panel",
    "Submits the signed-off rapid review and the partners' decision to the national Panel \
(`rr_submission`, day 15). Needs the Independent Advisor's sign-off and a decision.",
    SubmitRapidReviewToPanel,
    |body, _input| CaseCommand::SubmitRapidReviewToPanel(body)
);

/// Registers this module's routes, in the order the OpenAPI document lists them: a new
/// command here is registered here.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(initiate_rapid_review)
        .service(record_partners_notified)
        .service(name_partner_lead)
        .service(agree_review_lead)
        .service(agree_modified_response)
        .service(request_agency_report)
        .service(submit_agency_report)
        .service(circulate_agency_reports)
        .service(record_rapid_review_meeting)
        .service(record_draft_milestone)
        .service(submit_draft_comments)
        .service(confirm_senior_sign_off)
        .service(sign_off_rapid_review)
        .service(record_partner_decision)
        .service(submit_rapid_review_to_panel);
}
