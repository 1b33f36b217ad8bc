//! The name of a command as the audit trail, next steps and deadlines show it: documented as
//! the enum of every command, read from the domain, so the list cannot fall behind it.

use casetrail_domain::case::CaseCommand;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// The partnership's commands: the administration endpoints' operationIds, and
/// `EstablishPartnership`, which the system writes when it sets a partnership up from its seeds.
const PARTNERSHIP_COMMANDS: [&str; 7] = [
    "EstablishPartnership",
    "ChangePartnershipSettings",
    "RegisterOrganisation",
    "RetireOrganisation",
    "DeclareBankHoliday",
    "WithdrawBankHoliday",
    "MoveBankHoliday",
];

/// The learning record's commands (issue 17), the learning endpoints' operationIds.
const LEARNING_COMMANDS: [&str; 10] = [
    "AddTheme",
    "RetireTheme",
    "TagThemes",
    "RecordMeeting",
    "RecordLearningEvent",
    "RecordContribution",
    "RecordSpending",
    "CorrectMeeting",
    "CorrectLearningEvent",
    "WithdrawBudgetLine",
];

/// A command's name, which is also its OpenAPI operationId. Only documents a string field:
/// on the wire it stays a string, so a command added later is not a breaking change.
#[derive(Debug)]
pub struct CommandName;

impl CommandName {
    /// Every command's name: the case commands (the domain's list), then the partnership's.
    pub fn all() -> impl Iterator<Item = &'static str> {
        CaseCommand::NAMES
            .iter()
            .copied()
            .chain(PARTNERSHIP_COMMANDS)
            .chain(LEARNING_COMMANDS)
    }
}

impl utoipa::PartialSchema for CommandName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A command's name, which is also its OpenAPI operationId, e.g. \
                 `SubmitAgencyReport`.",
            ))
            .enum_values(Some(Self::all()))
            .into()
    }
}

impl utoipa::ToSchema for CommandName {}
