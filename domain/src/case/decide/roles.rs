//! Which roles may send each case command, known before the case is looked at.
//!
//! The deciders check the same roles (and more: own organisation, own partner, statutory
//! partner); this table lets the edge refuse a caller who holds none of them before any
//! look-up, so a refusal says nothing about whether the case exists, and an idempotent replay
//! is refused to a caller who no longer holds the role. It is keyed by the command's name
//! (its operationId) so that a handler can check it before it builds the command (sealing
//! free text looks the case up).

use crate::{Actor, DomainError, Role};

const BM: Role = Role::BusinessManager;
const PDM: Role = Role::PartnerDecisionMaker;
const AGENCY: Role = Role::AgencyUser;
const IA: Role = Role::IndependentAdvisor;
const REVIEWER: Role = Role::Reviewer;
const NOTIFIER: Role = Role::Notifier;

/// The roles, any one of which may send the named command (the decider may ask for more);
/// `None` for a name that is no case command.
pub fn roles_for(command: &str) -> Option<&'static [Role]> {
    Some(match command {
        "NotifyIncident" | "RecordPanelNotification" | "RecordLookedAfterDeathNotified" => {
            &[NOTIFIER]
        }
        "ReferCaseForConsideration" => &[AGENCY, PDM, NOTIFIER],
        "ReferSafeguardingAdultReview" => &[AGENCY, PDM, BM],
        "NotifyDomesticHomicide" => &[NOTIFIER, PDM, BM],
        "NamePartnerLead" => &[PDM, BM],
        "SubmitAgencyReport" => &[AGENCY],
        "SubmitDraftComments" | "ConfirmSeniorSignOff" => &[AGENCY, PDM],
        "RecordDraftMilestone" => &[REVIEWER, BM],
        "SignOffRapidReview" | "RecordIndependentAdvice" => &[IA],
        "RecordPartnerDecision" | "RecordReconsideredDecision" => &[PDM],
        "SubmitRapidReviewToPanel" | "SendReconsiderationToPanel" => &[BM, IA],
        "RecordPanelNotificationCopied" => &[NOTIFIER, BM],
        "AddRecommendation" | "CompleteSar" | "CompleteDhr" => &[BM, REVIEWER],
        "CompleteRecommendation" => &[AGENCY, PDM, BM],
        "RecordSarDecision" | "RecordDhrDecision" => &[BM, PDM],
        "EraseCasePersonalData" => &[Role::Admin],
        "InitiateRapidReview"
        | "RecordPartnersNotified"
        | "AgreeReviewLead"
        | "AgreeModifiedResponse"
        | "RequestAgencyReport"
        | "CirculateAgencyReports"
        | "RecordRapidReviewMeeting"
        | "RecordPanelResponse"
        | "RecordImprovementsInformationSentToPanel"
        | "PublishImprovementsInformation"
        | "RecordCopySentToOfsted"
        | "RecordFamilyCommunication"
        | "CommissionPracticeReview"
        | "ApprovePublicationDelay"
        | "RecordFinalReportSentToPanel"
        | "PublishReview"
        | "WithholdPublication"
        | "RecordReviewTakenDown"
        | "CloseCase"
        | "CommissionSar"
        | "RecordFamilyInvited"
        | "PauseSar"
        | "ResumeSar"
        | "SubmitDhrToHomeOffice"
        | "NotifyHomeOfficeOfDhrDecision"
        | "RecordDhrQaOutcome"
        | "RecordDhrFamilyInvolvement"
        | "CommissionDhr" => &[BM],
        _ => return None,
    })
}

/// Refuses an actor holding none of the roles that may send the named command: 403
/// `auth.role_required`, decided from the token alone. A name that is no case command is
/// refused too, so a handler and this table cannot silently disagree.
pub fn may_send(command: &str, actor: &Actor) -> Result<(), DomainError> {
    let Some(roles) = roles_for(command) else {
        return Err(DomainError::forbidden(
            "auth.role_required",
            format!("{command} is open to no role"),
        ));
    };
    require_any(actor, roles)
}

/// 403 `auth.role_required` naming the roles, unless the actor holds one of them.
pub(super) fn require_any(actor: &Actor, roles: &[Role]) -> Result<(), DomainError> {
    if roles.iter().any(|role| actor.has(*role)) {
        Ok(())
    } else {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(DomainError::forbidden(
            "auth.role_required",
            format!("this command needs the role {}", names.join(" or ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::case::CaseCommand;

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            user: "u-1".into(),
            name: "A Worker".into(),
            partnership: crate::PartnershipSlug::parse("southend").unwrap(),
            org: crate::OrgSlug::parse("southend-council").unwrap(),
            roles: roles.iter().copied().collect(),
        }
    }

    #[test]
    fn a_command_is_open_only_to_its_roles_and_an_unknown_name_to_none() {
        assert!(may_send("EraseCasePersonalData", &actor(&[Role::Admin])).is_ok());
        assert!(may_send("CloseCase", &actor(&[Role::Auditor, Role::BusinessManager])).is_ok());
        for (command, roles) in [
            ("EraseCasePersonalData", &[Role::BusinessManager][..]),
            ("CloseCase", &[Role::Admin, Role::Notifier][..]),
            ("NoSuchCommand", &Role::ALL[..]),
        ] {
            let refused = may_send(command, &actor(roles)).unwrap_err();
            assert_eq!(refused.code, "auth.role_required", "{command}");
        }
    }

    #[test]
    fn every_case_command_names_the_roles_that_may_send_it() {
        for name in CaseCommand::NAMES {
            let roles = roles_for(name).unwrap_or_else(|| panic!("{name} has no roles"));
            assert!(!roles.is_empty(), "{name}");
            assert!(!roles.contains(&Role::Auditor), "{name}");
        }
    }
}
