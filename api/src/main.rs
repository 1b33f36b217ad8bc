//! `casetrail`: serve the API, mint development tokens, print the OpenAPI document, and for
//! auditors export, verify and replay the event log.

use anyhow::Context;
use casetrail_api::auth::{DevTokenRequest, load_or_create_dev_secret, mint_dev_token};
use casetrail_api::config::AuthMode;
use casetrail_api::progress::{Progress, Unit};
use casetrail_api::state::AppState;
use casetrail_api::{Application, ServeConfig, openapi, telemetry};
use casetrail_app::personal_data::{KeyVault, LocalKeyring};
use casetrail_domain::case::erasure::EraseCasePersonalData;
use casetrail_domain::{Actor, CaseId, OrgSlug, PartnershipSlug, Role};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// mimalloc rather than glibc's allocator: rebuilding the read models allocates millions of
/// small values on one thread and frees them on another, which glibc's allocator serves slowly
/// and leaves fragmented (BENCHMARKS.md, "Start-up").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The release and the commit it was built from (`casetrail --version`), so that an operator
/// can tell exactly what runs.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("CASETRAIL_COMMIT"),
    ")"
);

/// Casetrail: event-sourced safeguarding case reviews.
#[derive(Debug, Parser)]
#[command(name = "casetrail", version = VERSION, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP API (SQLite in the data directory by default; DATABASE_URL for PostgreSQL).
    // Boxed: the settings are far larger than any other command's arguments.
    Serve(Box<ServeConfig>),
    /// Ask a running server whether it is ready (`GET /health/ready`): exit 0 when it is, 1
    /// when it answers otherwise or not at all; for a container's HEALTHCHECK.
    Health(HealthArgs),
    /// Apply this release's missing migrations to the database and exit (for deploy pipelines,
    /// with `serve --migrate false`); prints what was applied.
    Migrate(MigrateArgs),
    /// Print a development token signed with the data directory's dev secret.
    Token(TokenArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Verify the event log's hash chain, positions and stream versions, from the database or
    /// from an export file (exit 1 if broken).
    Verify(VerifyArgs),
    /// Write the whole event log as NDJSON to standard output, one stored event per line.
    Export(ExportArgs),
    /// Establish a partnership from a charter (JSON: slug, name, organisations with the three
    /// statutory partners, optional settings): the first act on a production instance.
    EstablishPartnership(EstablishArgs),
    /// Back up everything a restore needs (events, wrapped data keys, access log, webhooks)
    /// while the service runs, from one consistent snapshot; never the key-encryption key.
    Backup(BackupArgs),
    /// Restore a backup into an empty database (either backend) and verify it: the hash
    /// chain, the log's head and every table's count; exit 1 and nothing restored otherwise.
    Restore(RestoreArgs),
    /// Print the read models as they stood at a past log position or instant, folded from the
    /// database or an export file (JSON on standard output; exit 1 if the log is broken).
    Replay(ReplayArgs),
    /// Write a report built from the record, as the API answers it.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write realistic case life cycles across generated partnerships into the store, from a
    /// fixed random seed (the same seed writes the same events, and nothing twice).
    Seed(SeedArgs),
    /// Erase a case's personal data for ever (as `POST /v1/cases/{id}/erasure`): destroys its
    /// data key and records who, when and on what legal basis.
    Erase(EraseArgs),
    /// Rewrap every data key with the current key-encryption key (after adding a new one as
    /// --kek-file and naming the old one in --previous-kek-files); the event log is untouched.
    RotateKek(KeyArgs),
}

/// The reports `casetrail report` writes.
#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The partnership's annual report of a financial year (as `GET
    /// /v1/reports/annual/{year}`), folded from the database or an export file: Markdown by
    /// default, or HTML, JSON or CSV, on standard output.
    Annual(AnnualReportArgs),
}

#[derive(Debug, clap::Args)]
struct AnnualReportArgs {
    #[command(flatten)]
    database: Database,
    /// Read this NDJSON export (`casetrail export`) instead of the database.
    #[arg(long)]
    file: Option<PathBuf>,
    /// The financial year, 1 April to 31 March, e.g. `2021-22`.
    #[arg(long)]
    year: String,
    /// As the record stood at this RFC 3339 instant (as `as_of` on the API). Default: now.
    #[arg(long = "as-of")]
    as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// The partnership (slug); needed when the log holds several.
    #[arg(long)]
    partnership: Option<String>,
    /// How to write it.
    #[arg(long, value_enum, default_value = "markdown")]
    format: ReportFormat,
}

/// The formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Markdown,
    Html,
    Json,
    Csv,
}

/// The database a command works on, by default the one `serve` keeps in `./data`.
#[derive(Debug, clap::Args)]
struct Database {
    /// The event store: `sqlite://path` or `postgres://user@host/db`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://data/casetrail.db"
    )]
    url: String,
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    #[command(flatten)]
    database: Database,
}

#[derive(Debug, clap::Args)]
struct HealthArgs {
    /// The address the server listens on (as `serve --bind`); an unspecified one such as
    /// 0.0.0.0:8080 is asked on the loopback.
    #[arg(long, env = "CASETRAIL_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// How long to wait for the answer, in seconds.
    #[arg(long, default_value_t = 3.0)]
    timeout_seconds: f64,
}

#[derive(Debug, clap::Args)]
struct KeyArgs {
    #[command(flatten)]
    database: Database,
    /// Where a development instance keeps its key-encryption key (`kek`).
    #[arg(long, env = "CASETRAIL_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The current key-encryption key (default: the data directory's development KEK).
    #[arg(long, env = "CASETRAIL_KEK_FILE")]
    kek_file: Option<PathBuf>,
    /// Previous key-encryption keys (comma-separated files).
    #[arg(long, env = "CASETRAIL_PREVIOUS_KEK_FILES", value_delimiter = ',')]
    previous_kek_files: Vec<PathBuf>,
}

impl KeyArgs {
    fn keyring(&self) -> anyhow::Result<LocalKeyring> {
        LocalKeyring::open(
            self.kek_file.as_deref(),
            &self.data_dir,
            &self.previous_kek_files,
        )
    }
}

#[derive(Debug, clap::Args)]
struct EraseArgs {
    #[command(flatten)]
    keys: KeyArgs,
    /// The case's partnership (slug).
    #[arg(long, default_value = "southend")]
    partnership: String,
    /// The case.
    #[arg(long = "case")]
    case_id: uuid::Uuid,
    /// The legal basis.
    #[arg(long, value_enum)]
    legal_basis: casetrail_api::dto::ErasureBasis,
    /// Why, in words that identify no one (kept in clear in the log).
    #[arg(long)]
    reason: String,
    /// The admin erasing it (their user id), recorded in the event.
    #[arg(long)]
    user: String,
    /// The admin's organisation (slug).
    #[arg(long)]
    org: String,
}

#[derive(Debug, clap::Args)]
struct SeedArgs {
    #[command(flatten)]
    database: Database,
    /// Partnerships to generate (`partnership-0`, `partnership-1`, …).
    #[arg(long, default_value_t = 5)]
    partnerships: usize,
    /// Cases to open across them (about 30 events each).
    #[arg(long, default_value_t = 1_000)]
    cases: usize,
    /// Cases under way at once.
    #[arg(long, default_value_t = 2_000)]
    open_cases: usize,
    /// The random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, clap::Args)]
struct ReplayArgs {
    #[command(flatten)]
    database: Database,
    /// Replay this NDJSON export (`casetrail export`) instead of the database.
    #[arg(long)]
    file: Option<PathBuf>,
    /// A log position (every event up to it) or an RFC 3339 instant (every event recorded by
    /// then, as `as_of` on the API). Default: the whole log, evaluated now.
    #[arg(long)]
    until: Option<casetrail_api::replay::Until>,
    /// Only this partnership (slug). Default: every partnership in the log.
    #[arg(long)]
    partnership: Option<String>,
    /// Only these read models (repeatable). Default: all.
    #[arg(long = "model", value_enum)]
    models: Vec<casetrail_api::replay::Model>,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    database: Database,
    /// Verify this NDJSON export (`casetrail export`) instead of the database.
    #[arg(long)]
    file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct EstablishArgs {
    /// The event store (created and migrated if new).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// The charter: a JSON file (`-`: standard input).
    #[arg(long)]
    file: PathBuf,
    /// Who establishes it (an id at the operator's organisation), recorded in the event.
    #[arg(long)]
    user: String,
}

#[derive(Debug, clap::Args)]
struct BackupArgs {
    #[command(flatten)]
    database: Database,
    /// The backup file to write (it must not exist; `-`: standard output).
    #[arg(long)]
    to: PathBuf,
}

#[derive(Debug, clap::Args)]
struct RestoreArgs {
    /// The empty database to restore into (a SQLite file is created).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// The backup file (`-`: standard input).
    #[arg(long)]
    from: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    database: Database,
    /// Export only events after this position.
    #[arg(long, default_value_t = 0)]
    after: u64,
}

#[derive(Debug, clap::Args)]
struct TokenArgs {
    /// Partnership slug.
    #[arg(long, default_value = "southend")]
    partnership: String,
    /// Organisation slug, e.g. southend-council, essex-police, suhft.
    #[arg(long)]
    org: String,
    /// Role (repeatable): business_manager, notifier, partner_decision_maker, agency_user,
    /// independent_advisor, reviewer, auditor, admin, integration.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// User id.
    #[arg(long, default_value = "dev-user")]
    sub: String,
    /// Display name.
    #[arg(long, default_value = "Development User")]
    name: String,
    /// Lifetime in hours.
    #[arg(long, default_value_t = 12)]
    hours: i64,
    /// Data directory holding the dev secret.
    #[arg(long, env = "CASETRAIL_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
}

fn main() -> std::process::ExitCode {
    match run(casetrail_api::setting_source::parse::<Cli>()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader has what it wanted (`casetrail export | head`): end quietly, as Unix
        // tools do.
        Err(err) if closed_pipe(&err) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // As `main` returning the error would print it: the context, then each cause.
            eprintln!("Error: {err:?}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether the error is standard output closed by its reader.
fn closed_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            // serde_json's error does not give its I/O error as its source.
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(BrokenPipe)
    })
}

/// Standard output, one line: an error (a closed pipe) is the caller's, where `println!`
/// would panic.
fn print_line(line: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(config) => serve(*config),
        Command::Health(args) => health(&args),
        Command::Migrate(args) => migrate(&args),
        Command::Token(args) => print_line(&token(&args)?),
        Command::Openapi => {
            let mut out = std::io::stdout().lock();
            std::io::Write::write_all(&mut out, openapi::document_json().as_bytes())?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        }
        Command::Verify(args) => verify(&args),
        Command::Export(args) => export(&args),
        Command::EstablishPartnership(args) => establish_partnership(&args),
        Command::Backup(args) => backup(&args),
        Command::Restore(args) => restore(&args),
        Command::Replay(args) => replay(&args),
        Command::Report(ReportCommand::Annual(args)) => annual_report(&args),
        Command::Seed(args) => seed(&args),
        Command::Erase(args) => erase(args),
        Command::RotateKek(args) => rotate_kek(&args),
    }
}

fn migrate(args: &MigrateArgs) -> anyhow::Result<()> {
    let applied = runtime()?.block_on(casetrail_store::migrate(&args.database.url));
    let applied =
        applied.context("cannot migrate the database named by --database-url (or DATABASE_URL)")?;
    print_line(
        &serde_json::json!({
            "applied": applied,
            "schema_version": casetrail_store::latest_migration(&args.database.url)?,
        })
        .to_string(),
    )
}

fn health(args: &HealthArgs) -> anyhow::Result<()> {
    let timeout = std::time::Duration::try_from_secs_f64(args.timeout_seconds)
        .ok()
        .filter(|t| !t.is_zero())
        .context("--timeout-seconds must be a positive number of seconds")?;
    let found = casetrail_api::health_check::probe(&args.bind, timeout);
    // The verdict is the exit status, whether or not anyone reads the line.
    let _ = print_line(&serde_json::to_string(&found)?);
    std::process::exit(found.exit_code());
}

fn token(args: &TokenArgs) -> anyhow::Result<String> {
    let mut roles = Vec::new();
    for role in &args.roles {
        roles.push(Role::parse(role).with_context(|| format!("unknown role {role}"))?);
    }
    let secret = load_or_create_dev_secret(&args.data_dir)?;
    mint_dev_token(
        &secret,
        &DevTokenRequest {
            partnership: PartnershipSlug::parse(&args.partnership).context("--partnership")?,
            org: OrgSlug::parse(&args.org).context("--org")?,
            roles,
            sub: args.sub.clone(),
            name: args.name.clone(),
            ttl_seconds: args.hours * 3600,
        },
    )
}

fn rotate_kek(args: &KeyArgs) -> anyhow::Result<()> {
    let keyring = args.keyring()?;
    runtime()?.block_on(async {
        // Opening the event store applies the migrations the key table needs.
        let store = casetrail_store::open_existing(&args.database.url)
            .await
            .context(EXISTING_STORE)?;
        let keys = casetrail_store::open_data_keys(&args.database.url)
            .await
            .context("cannot open the personal data keys")?;
        let vault = KeyVault::new(keys, std::sync::Arc::new(keyring));
        let done = vault.rewrap_all().await;
        store.close().await;
        let done = done?;
        print_line(
            &serde_json::json!({
                "kek_id": vault.current_kek_id(),
                "rewrapped": done.rewrapped,
                "wrapped_from_plaintext": done.wrapped_from_plaintext,
            })
            .to_string(),
        )
    })
}

fn erase(args: EraseArgs) -> anyhow::Result<()> {
    let keyring = args.keys.keyring()?;
    let actor = Actor {
        user: args.user.clone(),
        name: "casetrail erase".to_owned(),
        partnership: PartnershipSlug::parse(&args.partnership).context("--partnership")?,
        org: OrgSlug::parse(&args.org).context("--org")?,
        roles: [Role::Admin].into_iter().collect(),
    };
    runtime()?.block_on(async {
        casetrail_store::require_event_log(&args.keys.database.url)
            .await
            .context(EXISTING_STORE)?;
        let state = AppState::open(
            &args.keys.database.url,
            std::sync::Arc::new(keyring),
            false,
            casetrail_app::clock::system_clock(),
            // A command run: the server's snapshot is the server's to write.
            None,
        )
        .await?;
        let case_id = CaseId::from_uuid(args.case_id);
        let erased = casetrail_app::erasure::erase(
            &state.bus,
            &state.projector,
            &state.data_keys,
            &actor,
            case_id,
            EraseCasePersonalData {
                legal_basis: args.legal_basis.into(),
                reason: args.reason,
            },
            casetrail_app::Expectations {
                request_id: format!("cli-{}", uuid::Uuid::now_v7()),
                ..casetrail_app::Expectations::default()
            },
        )
        .await;
        state.close().await;
        match erased {
            Ok(accepted) => {
                let accepted = casetrail_api::dto::CommandAccepted {
                    case_id: case_id.as_uuid(),
                    version: accepted.version,
                    position: accepted.position,
                };
                print_line(&serde_json::to_string(&accepted)?)
            }
            Err(err) => Err(anyhow::Error::new(err).context("the erasure was refused")),
        }
    })
}

/// What a command that reads an existing log says when it finds none: which setting named it.
const EXISTING_STORE: &str =
    "cannot open the event store named by --database-url (or DATABASE_URL)";

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn export(args: &ExportArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = casetrail_store::open_existing(&args.database.url)
            .await
            .context(EXISTING_STORE)?;
        let (store, progress) = following(store, "export").await?;
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let written = casetrail_store::export_ndjson(store.as_ref(), args.after, &mut out).await;
        std::io::Write::flush(&mut out)?;
        progress.finish();
        store.close().await;
        eprintln!("exported {} events", written?);
        anyhow::Ok(())
    })
}

fn establish_partnership(args: &EstablishArgs) -> anyhow::Result<()> {
    let text = if args.file == std::path::Path::new("-") {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read the charter {}", args.file.display()))?
    };
    let charter: casetrail_app::establish::Charter =
        serde_json::from_str(&text).context("the charter (--file) is not a partnership charter")?;
    if args.user.trim().is_empty() {
        anyhow::bail!("--user must name who establishes the partnership");
    }
    let slug = charter.slug.to_string();
    let position = runtime()?.block_on(async {
        let store = casetrail_store::open(&args.database_url)
            .await
            .context("cannot open the database named by --database-url (or DATABASE_URL)")?;
        let established = casetrail_app::establish::establish(
            store.as_ref(),
            charter,
            &args.user,
            chrono::Utc::now(),
        )
        .await;
        store.close().await;
        anyhow::Ok(established?)
    })?;
    print_line(
        &serde_json::json!({ "status": "established", "partnership": slug, "position": position })
            .to_string(),
    )
}

fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    let summary = runtime()?
        .block_on(casetrail_api::backup_cli::backup(
            &args.database.url,
            &args.to,
        ))
        .context("casetrail backup --database-url (or DATABASE_URL)")?;
    let line = serde_json::json!({ "status": "ok", "backup": summary }).to_string();
    if args.to == std::path::Path::new("-") {
        eprintln!("{line}");
        Ok(())
    } else {
        print_line(&line)
    }
}

fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let summary = runtime()?
        .block_on(casetrail_api::backup_cli::restore(
            &args.database_url,
            &args.from,
        ))
        .context("casetrail restore --database-url (or DATABASE_URL)")?;
    print_line(&serde_json::json!({ "status": "ok", "restored": summary }).to_string())
}

fn seed(args: &SeedArgs) -> anyhow::Result<()> {
    let workload = casetrail_seed::Workload {
        partnerships: args.partnerships,
        cases: args.cases,
        open_cases: args.open_cases,
        seed: args.seed,
    };
    runtime()?.block_on(async {
        let store = casetrail_store::open(&args.database.url)
            .await
            .context("cannot open the event store (--database-url)")?;
        let started = std::time::Instant::now();
        let progress = Progress::start("seed", Unit::Events, None);
        let seeded = casetrail_seed::seed(store.as_ref(), &workload, |done| {
            progress.set(done.events);
        })
        .await;
        progress.finish();
        store.close().await;
        let seeded = seeded?;
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "seeded {} events in {} appends over {} partnerships in {seconds:.1} s ({:.0} events/s)",
            seeded.events,
            seeded.appends,
            args.partnerships,
            seeded.events as f64 / seconds
        );
        anyhow::Ok(())
    })
}

/// The read models folded from the database or an export file up to `until`; a broken log
/// ends the process with exit 1, naming the command.
fn folded(
    command: &'static str,
    database: &Database,
    file: Option<&PathBuf>,
    until: casetrail_api::replay::Until,
    models: &[casetrail_api::replay::Model],
) -> anyhow::Result<casetrail_api::replay::Replayed> {
    use casetrail_api::replay;
    let replayed = match file {
        Some(path) => {
            let file = casetrail_api::progress::Reading::open(path, command)?;
            replay::from_export(std::io::BufReader::new(file), until, models)
        }
        None => runtime()?.block_on(async {
            let store = casetrail_store::open_existing(&database.url)
                .await
                .context(EXISTING_STORE)?;
            let (store, progress) = following(store, command).await?;
            let replayed = replay::from_store(store.as_ref(), until, models).await;
            progress.finish();
            store.close().await;
            replayed
        }),
    };
    match replayed {
        Ok(replayed) => Ok(replayed),
        Err(err) => {
            eprintln!("casetrail {command}: {err:#}");
            std::process::exit(1);
        }
    }
}

/// The partnership a reading command is limited to, if one is named.
fn partnership_arg(slug: Option<&str>) -> anyhow::Result<Option<PartnershipSlug>> {
    slug.map(PartnershipSlug::parse)
        .transpose()
        .context("--partnership")
}

fn annual_report(args: &AnnualReportArgs) -> anyhow::Result<()> {
    use casetrail_api::replay::{Model, Until};
    use casetrail_app::report::{to_csv, to_html, to_markdown};
    let year = casetrail_domain::calendar::financial_year::FinancialYear::parse(&args.year)
        .context("--year")?;
    let partnership = partnership_arg(args.partnership.as_deref())?;
    let until = args.as_of.map_or(Until::End, Until::Instant);
    // The statistics' model: the audit trail is not rendered for a report.
    let replayed = folded(
        "report",
        &args.database,
        args.file.as_ref(),
        until,
        &[Model::Statistics],
    )?;
    let report = replayed.annual_report(partnership.as_ref(), year)?;
    let text = match args.format {
        ReportFormat::Markdown => to_markdown(&report),
        ReportFormat::Html => to_html(&report),
        ReportFormat::Csv => to_csv(&report),
        ReportFormat::Json => {
            let view = casetrail_api::dto::AnnualReportView::from(&report);
            format!("{}\n", serde_json::to_string_pretty(&view)?)
        }
    };
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, text.as_bytes())?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

fn replay(args: &ReplayArgs) -> anyhow::Result<()> {
    use casetrail_api::replay::Until;
    let until = args.until.unwrap_or(Until::End);
    let partnership = partnership_arg(args.partnership.as_deref())?;
    let replayed = folded(
        "replay",
        &args.database,
        args.file.as_ref(),
        until,
        &args.models,
    )?;
    let report = replayed.report(partnership.as_ref(), &args.models)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, &report)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

fn verify(args: &VerifyArgs) -> anyhow::Result<()> {
    let verdict = match &args.file {
        Some(path) => {
            let file = casetrail_api::progress::Reading::open(path, "verify")?;
            casetrail_store::verify_ndjson(std::io::BufReader::new(file))?
        }
        None => verify_database(&args.database.url)?,
    };
    let printed = print_line(&serde_json::to_string_pretty(&verdict)?);
    // A broken log is exit 1 even when the reader has closed the pipe.
    if matches!(verdict, casetrail_store::Integrity::Broken { .. }) {
        std::process::exit(1);
    }
    printed
}

/// The store, its reads of the log reported as progress towards its head.
async fn following(
    store: std::sync::Arc<dyn casetrail_store::EventStore>,
    command: &'static str,
) -> anyhow::Result<(std::sync::Arc<dyn casetrail_store::EventStore>, Progress)> {
    let head = store.head_position().await?;
    let progress = Progress::start(command, Unit::Events, Some(head));
    let store = casetrail_api::progress::Following::new(store, progress.clone());
    Ok((std::sync::Arc::new(store), progress))
}

fn verify_database(database_url: &str) -> anyhow::Result<casetrail_store::Integrity> {
    runtime()?.block_on(async {
        let store = casetrail_store::open_existing(database_url)
            .await
            .context(EXISTING_STORE)?;
        let (store, progress) = following(store, "verify").await?;
        let verdict = casetrail_store::verify(store.as_ref()).await;
        progress.finish();
        store.close().await;
        anyhow::Ok(verdict?)
    })
}

fn serve(config: ServeConfig) -> anyhow::Result<()> {
    // Held until the server has stopped, so the last lines are written.
    let _log_writer = telemetry::init_logging(config.log_format, config.log_queue_lines)?;
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let bind = config.bind.clone();
        let stand_ins = config.development_stand_ins();
        let dev = config.dev;
        // Taken over before the (possibly long) start, so that a stop asked for at any moment
        // from here on is a graceful one.
        let signals = casetrail_api::signals::StopSignals::listen()?;
        let app = Application::build(config).await?;
        signals.stop_server_on_signal(app.handle());
        // One line an operator (or a log pipeline) can tell the start by: what runs, on what.
        let migrations: Vec<String> = app
            .migrations_applied()
            .iter()
            .map(i64::to_string)
            .collect();
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            commit = env!("CASETRAIL_COMMIT"),
            backend = app.backend(),
            bind = %bind,
            port = app.port(),
            auth = ?app.auth_mode(),
            dev,
            migrations_applied = %migrations.join(","),
            "casetrail started"
        );
        if dev {
            // Said in the log for whoever reads it later, and on the terminal for whoever
            // started it: development values must never hold real cases.
            tracing::warn!(
                stand_ins = %stand_ins.join("; "),
                "development mode: not for real cases"
            );
            eprintln!("DEVELOPMENT MODE (--dev): not for real cases.");
            for stand_in in &stand_ins {
                eprintln!("  - {stand_in}");
            }
        }
        let base = format!("http://127.0.0.1:{}", app.port());
        eprintln!("Casetrail is listening on port {}", app.port());
        eprintln!("  API reference: {base}/docs   OpenAPI: {base}/openapi.json");
        if app.auth_mode() == AuthMode::Development {
            eprintln!(
                "  Development tokens: casetrail token --role notifier --org southend-council"
            );
            eprintln!(
                "  (or: cargo run -p casetrail-api -- token --role notifier --org southend-council)"
            );
        }
        app.run_until_stopped().await?;
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            commit = env!("CASETRAIL_COMMIT"),
            "casetrail stopped"
        );
        Ok(())
    })
}
