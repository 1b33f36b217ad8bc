//! Safeguarding adult reviews (Care Act 2014 s44): one endpoint per command. Agency reports,
//! publication and closure use the endpoints the child process uses.

// actix's route macro turns each handler into a unit struct without Debug, and the attribute
// cannot be passed through it from inside `case_command!`.
#![allow(missing_debug_implementations)]

use super::command;
use crate::dto::{
    AdultInput, CommissionSarRequest, CompleteSarRequest, PauseSarRequest,
    RecordSarDecisionRequest, ReferSafeguardingAdultReviewRequest,
};
use actix_web::post;
use casetrail_app::personal_data::ChildPersonalData;
use casetrail_domain::case::CaseCommand;
use casetrail_domain::case::commands::{self as cmd, At, PersonDetails};

case_opening!(
    tag = "Adult cases",
    refer_safeguarding_adult_review,
    "ReferSafeguardingAdultReview",
    "/v1/cases/sar-referrals",
    "Refer an adult for a safeguarding adult review (opens an adult case)",
    "Any organisation of the partnership asks the Safeguarding Adults Board to \
consider a safeguarding adult review (Care Act 2014 s44), with each s44 test on its own: whether \
the adult has needs for care and support; for an adult who died (condition 1), the date of death \
and whether the death is known or suspected to have resulted from abuse or neglect; for a living \
adult (condition 2), whether serious abuse or neglect is known or suspected and its date; and \
whether there is concern about how agencies worked together. Opens an adult case at stage \
`sar_referred`. The adult must have been 18 or over on the day of the death or of the abuse or \
neglect, not merely at the referral: a person under 18 then belongs in the child safeguarding \
process (422 `referral.not_an_adult`, which says so). The case keeps only the age band at that \
day. Names, date of birth and \
the concerns are sealed with a key of their own and never appear in read models or logs.",
    ReferSafeguardingAdultReviewRequest,
    |request, _input| {
        command::text("concerns", &request.concerns)?;
        let adult = person(&request.adult);
        let personal = ChildPersonalData {
            given_name: request.adult.given_name,
            family_name: request.adult.family_name,
            date_of_birth: request.adult.date_of_birth,
            summary: request.concerns,
        };
        let command = move |case_id, sealed| {
            CaseCommand::ReferSafeguardingAdultReview(cmd::ReferSafeguardingAdultReview {
                case_id,
                adult,
                personal_data: sealed,
                care_and_support_needs: request.care_and_support_needs,
                adult_died: request.adult_died,
                date_of_death: request.date_of_death,
                abuse_or_neglect: request.abuse_or_neglect,
                death_resulted_from_abuse_or_neglect: request.death_resulted_from_abuse_or_neglect,
                serious_abuse_or_neglect: request.serious_abuse_or_neglect,
                abuse_or_neglect_date: request.abuse_or_neglect_date,
                joint_working_concern: request.joint_working_concern,
                occurred_at: request.occurred_at,
            })
        };
        (personal, command)
    }
);

fn person(adult: &AdultInput) -> PersonDetails {
    PersonDetails {
        reference: adult.reference.clone(),
        date_of_birth: adult.date_of_birth,
        sex: adult.sex.clone(),
        ethnicity: adult.ethnicity.clone(),
    }
}

case_command!(
    tag = "Adult cases",
    record_sar_decision,
    "RecordSarDecision",
    "/v1/cases/{case_id}/sar-decision",
    "Record the Board's decision on a review",
    "The Safeguarding Adults Board decided: `mandatory` (the s44 criteria are met: care and \
support needs; condition 1, the adult died and the death is known or suspected to have resulted \
from abuse or neglect, or condition 2, the adult is alive and serious abuse or neglect is known \
or suspected; and concern about how agencies worked together), `discretionary` or \
`not_required`, with the \
rationale (sealed). `mandatory` when the criteria are not met is refused with 422 \
`sar.criteria_not_met` and the reason. A decision to hold a review opens `sar_completion`, 6 \
calendar months later.",
    RecordSarDecisionRequest,
    |body, input| {
        command::text("rationale", &body.rationale)?;
        CaseCommand::RecordSarDecision(cmd::RecordSarDecision {
            decision: body.decision,
            rationale: input.seal(&body.rationale).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Adult cases",
    commission_sar,
    "CommissionSar",
    "/v1/cases/{case_id}/sar-commission",
    "Commission the safeguarding adult review",
    "Commissions the review decided on from a reviewer independent of the case, with terms of \
reference (sealed). A reviewer from one of the partnership's organisations names it in \
`reviewer_organisation`, which must not be involved in the case (422 \
`sar.reviewer_not_independent`). Agency reports are then requested and submitted with \
RequestAgencyReport and SubmitAgencyReport.",
    CommissionSarRequest,
    |body, input| {
        command::text("terms_of_reference", &body.terms_of_reference)?;
        let reviewer_organisation = body
            .reviewer_organisation
            .as_deref()
            .map(|org| command::organisation("reviewer_organisation", org))
            .transpose()?;
        CaseCommand::CommissionSar(cmd::CommissionSar {
            reviewer: body.reviewer,
            reviewer_organisation,
            terms_of_reference: input.seal(&body.terms_of_reference).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Adult cases",
    record_family_invited,
    "RecordFamilyInvited",
    "/v1/cases/{case_id}/family-invited",
    "Record that the family was invited to contribute",
    "The adult's family (or the adult) was invited to contribute to the commissioned review. Once \
per case.",
    At,
    |body, _input| CaseCommand::RecordFamilyInvited(body)
);

case_command!(
    tag = "Adult cases",
    pause_sar,
    "PauseSar",
    "/v1/cases/{case_id}/sar-pauses",
    "Pause the safeguarding adult review",
    "Pauses the review, e.g. for criminal or coroner's proceedings, with the reason (sealed). The \
case moves to `sar_paused` and the `sar_completion` clock stops: while paused its `due_at` moves \
on day by day, and on resumption it is extended by the paused days; from the first day the pause \
moves it, `original_due_at` shows the first six-month date beside the extended `due_at`. Nothing is commissioned or completed while paused.",
    PauseSarRequest,
    |body, input| {
        command::text("reason", &body.reason)?;
        CaseCommand::PauseSar(cmd::PauseSar {
            reason: input.seal(&body.reason).await?,
            occurred_at: body.occurred_at,
        })
    }
);

case_command!(
    tag = "Adult cases",
    resume_sar,
    "ResumeSar",
    "/v1/cases/{case_id}/sar-resumption",
    "Resume the paused safeguarding adult review",
    "The paused review resumes; `sar_completion` is extended by the calendar days it was paused.",
    At,
    |body, _input| CaseCommand::ResumeSar(body)
);

case_command!(
    tag = "Adult cases",
    complete_sar,
    "CompleteSar",
    "/v1/cases/{case_id}/sar-completion",
    "Complete the safeguarding adult review",
    "The review is completed with its findings against the six safeguarding principles: which \
principles have findings (`empowerment`, `prevention`, `proportionality`, `protection`, \
`partnership`, `accountability`) and the findings themselves (sealed). Fulfils `sar_completion`; \
the review may then be published with PublishReview.",
    CompleteSarRequest,
    |body, input| {
        command::text("findings", &body.findings)?;
        CaseCommand::CompleteSar(cmd::CompleteSar {
            principles_with_findings: body.principles_with_findings.into_iter().collect(),
            findings: input.seal(&body.findings).await?,
            occurred_at: body.occurred_at,
        })
    }
);

/// Registers this module's routes, in the order the OpenAPI document lists them: a new
/// command here is registered here.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(refer_safeguarding_adult_review)
        .service(record_sar_decision)
        .service(commission_sar)
        .service(record_family_invited)
        .service(pause_sar)
        .service(resume_sar)
        .service(complete_sar);
}
