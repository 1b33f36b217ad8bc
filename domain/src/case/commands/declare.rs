//! The macro behind the catalogue in `commands.rs`: from one entry per command it makes the
//! command enum, the names, the dispatch to each command's decider and the rules of who may
//! send each (`RULES`), so none of them can leave a command out.

/// Declares every case command from its catalogue entry:
///
/// ```text
/// /// doc
/// Name(Payload) => decider,
///     Applies, [roles…], organisation rule;
/// ```
///
/// A command that opens a case (`Opens(kind)`) is decided on the state as it is (a case that
/// does not exist yet); any other is decided on an existing case, once the case has admitted it
/// (open, of a kind the command applies to, its sender authorised).
macro_rules! case_commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident($payload:ty) => $decider:path,
            $applies:ident $(($kinds:expr))?, [$($role:expr),+ $(,)?], $organisation:expr;
    )*) => {
        /// Any command on a case.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum CaseCommand {
            $($(#[$doc])* $variant($payload),)*
        }

        impl CaseCommand {
            /// Every command's name.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The command's name, which is also its OpenAPI operationId.
            pub fn name(&self) -> &'static str {
                match self {
                    $(CaseCommand::$variant(_) => stringify!($variant),)*
                }
            }

            /// Hands the command to its decider.
            pub(in crate::case) fn dispatch(
                &self,
                state: Option<&Case>,
                ctx: &Context<'_>,
            ) -> Result<Vec<CaseEvent>, DomainError> {
                match self {
                    $(CaseCommand::$variant(command) => {
                        case_commands!(@decide $applies, $decider, self, state, command, ctx)
                    })*
                }
            }
        }

        /// Every case command's rule of who may send it. The order of the roles is the order
        /// a refusal names them in.
        pub const RULES: &[CommandRule] = &[$(
            rule(
                stringify!($variant),
                Applies::$applies $(($kinds))?,
                &[$($role),+],
                $organisation,
            ),
        )*];
    };
    (@decide Opens, $decider:path, $whole:expr, $state:ident, $command:ident, $ctx:ident) => {{
        // Who may open a case is known before whether it exists.
        authorise($whole, $ctx)?;
        $decider($state, $command, $ctx)
    }};
    (@decide $applies:ident, $decider:path, $whole:expr, $state:ident, $command:ident, $ctx:ident) => {{
        let case = admit($state, $whole, $ctx)?;
        $decider(case, $command, $ctx)
    }};
}

pub(super) use case_commands;
