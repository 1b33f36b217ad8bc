//! Where a refused setting came from. clap names the flag of a value it refuses, also when
//! the value came from the flag's environment variable, and an operator then looks for a flag
//! nobody passed: the refusal is completed with the variable that set it.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

/// Parses the command line as `C`, exiting as clap does on an error, with the environment
/// variable named when the refused value came from one.
pub fn parse<C: CommandFactory + FromArgMatches>() -> C {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = C::command()
        .try_get_matches_from(&args)
        .and_then(|matches| C::from_arg_matches(&matches));
    match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            // Help, version and every other error are printed as clap prints them.
            let Some(variable) = variable_of_refused_value::<C>(&error, &args) else {
                error.exit()
            };
            eprint!("{}", error.render());
            eprintln!(
                "\nnote: the value came from the environment variable {variable}, not the command line"
            );
            std::process::exit(error.exit_code());
        }
    }
}

/// The environment variable a refused value came from: the refused argument's variable, when
/// its flag is not on the command line and the variable is set.
fn variable_of_refused_value<C: CommandFactory>(
    error: &clap::Error,
    args: &[std::ffi::OsString],
) -> Option<String> {
    if !matches!(
        error.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let Some(ContextValue::String(argument)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = argument.split_whitespace().next()?.strip_prefix("--")?;
    if given(args.iter().map(|arg| arg.to_string_lossy()), flag) {
        return None;
    }
    let command = C::command();
    let subcommand = args
        .get(1)
        .and_then(|name| command.find_subcommand(name.to_string_lossy().as_ref()));
    let variable = subcommand
        .into_iter()
        .chain(std::iter::once(&command))
        .flat_map(clap::Command::get_arguments)
        .find(|arg| arg.get_long() == Some(flag))?
        .get_env()?
        .to_string_lossy()
        .into_owned();
    std::env::var_os(&variable).map(|_| variable)
}

/// Names a setting for a message: `--flag` when the command line has it, the variable when it
/// set the value, else both, with "(default)".
pub fn describe(flag: &str, variable: &str) -> String {
    if given(
        std::env::args_os().map(|arg| arg.to_string_lossy().into_owned().into()),
        flag,
    ) {
        format!("--{flag}")
    } else if std::env::var_os(variable).is_some() {
        format!("{variable} (environment)")
    } else {
        format!("--{flag} / {variable} (default)")
    }
}

/// Whether the command line (program name first) has `--flag` or `--flag=value`.
fn given<'a>(args: impl Iterator<Item = std::borrow::Cow<'a, str>>, flag: &str) -> bool {
    args.skip(1).any(|arg| {
        arg.strip_prefix("--").is_some_and(|arg| {
            arg == flag || arg.strip_prefix(flag).is_some_and(|v| v.starts_with('='))
        })
    })
}
