//! Domestic homicide reviews: one endpoint per command. Publication and closure use the
//! endpoints the child process uses.

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_command!`.
#![allow(missing_debug_implementations)]

use super::command;
use crate::dto::{
    CommissionDhrRequest, CompleteDhrRequest, NotifyDomesticHomicideRequest,
    RecordDhrDecisionRequest,
};
use actix_web::post;
use casetrail_app::personal_data::ChildPersonalData;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::commands::{
    self as cmd, At, PersonDetails, RecordDhrFamilyInvolvement, RecordDhrQaOutcome,
};

case_opening!(
    tag = "Domestic homicide cases",
    notify_domestic_homicide,
    "NotifyDomesticHomicide",
    "/v1/cases/dhr-notifications",
    "Notify a domestic homicide (opens a domestic homicide case)",
    "Notifies the partnership of the death of a person aged 16 or over that has, or \
appears to have, resulted from violence, abuse or neglect by a relative, a (former) intimate \
partner or a member of the same household. Opens a case at stage `dhr_notified` with the \
`dhr_decision` deadline: the decision on a review is due one calendar month after the day of the \
notification, at the end of that day. The DVCVA 2004 s9(1) test is recorded: `relationship` \
(`relative`, `intimate_partner`, `former_intimate_partner` or `household_member`) and \
`violence_abuse_or_neglect` (`known` or `suspected`); a notification that fails it (`other`, \
`not_suspected`) is refused with 422 `dhr.relationship_test_not_met`. A victim under 16 is \
refused (422 `notification.criteria_not_met`). Names, date of birth and the summary are sealed; the case keeps \
only the age band at death.",
    NotifyDomesticHomicideRequest,
    |request, _input| {
        command::text("summary", &request.summary)?;
        let victim = PersonDetails {
            reference: request.victim.reference.clone(),
            date_of_birth: request.victim.date_of_birth,
            sex: request.victim.sex.clone(),
            ethnicity: request.victim.ethnicity.clone(),
        };
        let personal = ChildPersonalData {
            given_name: request.victim.given_name,
            family_name: request.victim.family_name,
            date_of_birth: request.victim.date_of_birth,
            summary: request.summary,
        };
        let command = move |case_id, sealed| {
            CaseCommand::NotifyDomesticHomicide(cmd::NotifyDomesticHomicide {
                case_id,
                victim,
                personal_data: sealed,
                date_of_death: request.date_of_death,
                relationship: request.relationship,
                violence_abuse_or_neglect: request.violence_abuse_or_neglect,
                occurred_at: request.occurred_at,
            })
        };
        (personal, command)
    }
);

case_command!(
    tag = "Domestic homicide cases",
    record_dhr_decision,
    "RecordDhrDecision",
    "/v1/cases/{case_id}/dhr-decision",
    "Record the decision on a domestic homicide review",
    "Whether a domestic homicide review is conducted, with the rationale (sealed). Fulfils \
`dhr_decision` (one calendar month after the notification); a decision to review opens \
`dhr_completion`, 6 calendar months after the decision. Either decision opens \
`dhr_home_office_notification`: the Home Office is to be told of it (NotifyHomeOfficeOfDhrDecision) \
by the end of the day the decision was due, or of the day of a later decision.",
    RecordDhrDecisionRequest,
    |body, input| {
        command::text("rationale", &body.rationale)?;
        CaseCommand::RecordDhrDecision(cmd::RecordDhrDecision {
            conduct_review: body.conduct_review,
            rationale: input.seal(&body.rationale).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Domestic homicide cases",
    commission_dhr,
    "CommissionDhr",
    "/v1/cases/{case_id}/dhr-commission",
    "Commission the domestic homicide review",
    "Commissions the review decided on from an independent chair, with terms of reference \
(sealed). The case moves to `dhr_in_progress`.",
    CommissionDhrRequest,
    |body, input| {
        command::text("terms_of_reference", &body.terms_of_reference)?;
        CaseCommand::CommissionDhr(cmd::CommissionDhr {
            chair: body.chair,
            terms_of_reference: input.seal(&body.terms_of_reference).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Domestic homicide cases",
    complete_dhr,
    "CompleteDhr",
    "/v1/cases/{case_id}/dhr-completion",
    "Complete the domestic homicide review",
    "The review panel completed the overview report (its summary and findings sealed). Fulfils \
`dhr_completion`.",
    CompleteDhrRequest,
    |body, input| {
        command::text("overview", &body.overview)?;
        CaseCommand::CompleteDhr(cmd::CompleteDhr {
            overview: input.seal(&body.overview).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Domestic homicide cases",
    submit_dhr_to_home_office,
    "SubmitDhrToHomeOffice",
    "/v1/cases/{case_id}/home-office-submission",
    "Submit the review to the Home Office",
    "The completed review was submitted to the Home Office quality assurance panel. The case moves \
to `submitted_to_home_office`. It is published only after the quality assurance panel's outcome \
approves it (RecordDhrQaOutcome); after a request to resubmit it is submitted again.",
    At,
    |body, _input| CaseCommand::SubmitDhrToHomeOffice(body)
);

case_command!(
    tag = "Domestic homicide cases",
    notify_home_office_of_dhr_decision,
    "NotifyHomeOfficeOfDhrDecision",
    "/v1/cases/{case_id}/home-office-decision-notification",
    "Record that the Home Office was told of the decision",
    "The Home Office was told of the partnership's decision on a domestic homicide review, \
whichever it was (a decision not to review too). Once, after the decision. Fulfils \
`dhr_home_office_notification`.",
    At,
    |body, _input| CaseCommand::NotifyHomeOfficeOfDhrDecision(body)
);

case_command!(
    tag = "Domestic homicide cases",
    record_dhr_qa_outcome,
    "RecordDhrQaOutcome",
    "/v1/cases/{case_id}/home-office-qa-outcome",
    "Record the Home Office quality assurance panel's outcome",
    "The Home Office quality assurance panel answered the submitted review: \
`approved_for_publication` lets it be published with PublishReview; `resubmission_requested` \
sends it back (stage `dhr_completed`) to be revised and submitted again. Once per submission. \
Publication before an approval is refused with 409 `dhr.qa_outcome_pending` or \
`dhr.resubmission_requested`.",
    RecordDhrQaOutcome,
    |body, _input| CaseCommand::RecordDhrQaOutcome(body)
);

case_command!(
    tag = "Domestic homicide cases",
    record_dhr_family_involvement,
    "RecordDhrFamilyInvolvement",
    "/v1/cases/{case_id}/dhr-family-involvement",
    "Record a step of the family's involvement",
    "The victim's family was `invited` to take part in the review (after a decision to review), \
then `contributed` or `declined` (after the invitation). Each step once, before publication.",
    RecordDhrFamilyInvolvement,
    |body, _input| CaseCommand::RecordDhrFamilyInvolvement(body)
);

/// Registers this module's routes, in the order the OpenAPI document lists them: a new
/// command here is registered here.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(notify_domestic_homicide)
        .service(record_dhr_decision)
        .service(commission_dhr)
        .service(complete_dhr)
        .service(submit_dhr_to_home_office)
        .service(notify_home_office_of_dhr_decision)
        .service(record_dhr_qa_outcome)
        .service(record_dhr_family_involvement);
}
