//! The key-encryption key and erasure from the command line, with the real binary: private
//! files, `serve` refusing what it must, `casetrail rotate-kek` and `casetrail erase`, on both
//! backends.

use casetrail_domain::Role;
use casetrail_tests::tokens::DevTokens;
use casetrail_tests::{Backend, Server, TestDb, notification};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

/// `casetrail <args>` in the system's temporary directory: every path it needs is given.
fn casetrail(args: &[&str], env: &[(&str, &str)]) -> Output {
    casetrail_tests::casetrail(&std::env::temp_dir(), args, env)
}

use casetrail_tests::succeeded as ok;

/// A development token of the council, as `casetrail token` prints it.
fn token(data_dir: &Path, role: Role) -> String {
    DevTokens::of_data_dir(data_dir).as_cli("southend-council", &[role])
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn new_kek(path: &Path) {
    std::fs::write(path, rand::random::<[u8; 32]>()).unwrap();
    chmod(path, 0o600);
}

/// A database on each backend available here: SQLite in the temporary directory, and a
/// fresh PostgreSQL one.
fn databases(dir: &Path) -> Vec<TestDb> {
    Backend::ALL
        .into_iter()
        .filter_map(|backend| TestDb::create_blocking(backend, dir))
        .collect()
}

/// Starts the service, opens a case and returns its id.
fn case(url: &str, data_dir: &Path, env: &[(&str, &str)]) -> String {
    let server = Server::start_with(url, data_dir, env);
    let case_id = server.notify(&token(data_dir, Role::Notifier));
    server.stop();
    case_id
}

fn details_status(url: &str, data_dir: &Path, env: &[(&str, &str)], case_id: &str) -> u16 {
    let server = Server::start_with(url, data_dir, env);
    let reply = server
        .call(
            "GET",
            &format!("/v1/cases/{case_id}/personal-details"),
            &token(data_dir, Role::BusinessManager),
            &[],
            None,
        )
        .answered();
    server.stop();
    reply.status
}

#[test]
fn files_are_private_and_serve_refuses_files_others_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let url = format!("sqlite://{}", data_dir.join("casetrail.db").display());
    // Checked while it serves: the write-ahead log and shared-memory files exist only then.
    let server = Server::start_with(&url, &data_dir, &[]);
    let created = server
        .call(
            "POST",
            "/v1/cases/notifications",
            &token(&data_dir, Role::Notifier),
            &[],
            Some(&notification()),
        )
        .answered();
    assert_eq!(created.status, 201);
    assert_eq!(mode(&data_dir), 0o700, "the data directory it made");
    for file in [
        "casetrail.db",
        "casetrail.db-wal",
        "casetrail.db-shm",
        "kek",
        "dev-jwt-secret",
    ] {
        assert_eq!(mode(&data_dir.join(file)), 0o600, "{file}");
    }
    server.stop();
    for file in ["kek", "dev-jwt-secret", "casetrail.db"] {
        let path = data_dir.join(file);
        chmod(&path, 0o644);
        let refused = casetrail(
            &["serve", "--dev"],
            &[
                ("DATABASE_URL", &url),
                ("CASETRAIL_DATA_DIR", data_dir.to_str().unwrap()),
                ("CASETRAIL_BIND", "127.0.0.1:0"),
            ],
        );
        assert!(!refused.status.success(), "{file}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains(path.to_str().unwrap()) && stderr.contains("chmod 600"),
            "{file}: {stderr}"
        );
        chmod(&path, 0o600);
    }
}

#[test]
fn production_needs_its_own_kek_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("casetrail.db").display());
    let production = [
        ("DATABASE_URL", url.as_str()),
        ("CASETRAIL_DATA_DIR", dir.path().to_str().unwrap()),
        ("CASETRAIL_BIND", "127.0.0.1:0"),
        (
            "CASETRAIL_JWT_SECRET",
            "a-shared-secret-of-at-least-32-bytes!!",
        ),
        ("CASETRAIL_JWT_ISSUER", "idp"),
        ("CASETRAIL_JWT_AUDIENCE", "casetrail"),
    ];
    let refused = casetrail(&["serve"], &production);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("CASETRAIL_KEK_FILE") && !stderr.contains("CASETRAIL_JWT_ISSUER"),
        "only the KEK is missing: {stderr}"
    );
    assert!(
        !dir.path().join("kek").exists(),
        "no KEK made up in production"
    );
    let short = dir.path().join("short.kek");
    std::fs::write(&short, [1u8; 16]).unwrap();
    chmod(&short, 0o600);
    let mut with_short = production.to_vec();
    with_short.push(("CASETRAIL_KEK_FILE", short.to_str().unwrap()));
    let refused = casetrail(&["serve"], &with_short);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("exactly 32 random bytes"));
}

#[test]
fn rotate_kek_rewraps_every_key_and_leaves_the_log_alone() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(dir.path()).iter().enumerate() {
        let data_dir = dir.path().join(format!("data-{n}"));
        let old = data_dir.join("kek");
        let case_id = case(&db.url, &data_dir, &[]);
        assert_eq!(details_status(&db.url, &data_dir, &[], &case_id), 200);
        let export_before = casetrail(&["export", "--database-url", &db.url], &[]).stdout;
        let new = dir.path().join(format!("new-{n}.kek"));
        new_kek(&new);
        let rotate = |previous: &Path| {
            casetrail(
                &[
                    "rotate-kek",
                    "--database-url",
                    &db.url,
                    "--kek-file",
                    new.to_str().unwrap(),
                    "--previous-kek-files",
                    previous.to_str().unwrap(),
                ],
                &[],
            )
        };
        let rotated = ok(&rotate(&old));
        assert_eq!(rotated["rewrapped"], 1, "{rotated}");
        // Again: nothing left to do.
        assert_eq!(ok(&rotate(&old))["rewrapped"], 0);
        let export_after = casetrail(&["export", "--database-url", &db.url], &[]).stdout;
        assert_eq!(export_before, export_after, "the log is untouched");
        assert_eq!(
            ok(&casetrail(&["verify", "--database-url", &db.url], &[]))["status"],
            "ok"
        );
        // The new KEK alone opens the case; the old one alone no longer does.
        let with_new = [("CASETRAIL_KEK_FILE", new.to_str().unwrap())];
        assert_eq!(details_status(&db.url, &data_dir, &with_new, &case_id), 200);
        assert_eq!(details_status(&db.url, &data_dir, &[], &case_id), 500);
    }
}

#[test]
fn erase_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(dir.path()).iter().enumerate() {
        let data_dir = dir.path().join(format!("data-{n}"));
        let case_id = case(&db.url, &data_dir, &[]);
        let erase = |basis: &str| {
            casetrail(
                &[
                    "erase",
                    "--database-url",
                    &db.url,
                    "--data-dir",
                    data_dir.to_str().unwrap(),
                    "--case",
                    &case_id,
                    "--legal-basis",
                    basis,
                    "--reason",
                    "Retention schedule review 2026-Q4",
                    "--user",
                    "admin-1",
                    "--org",
                    "southend-council",
                ],
                &[],
            )
        };
        let refused = erase("forgotten");
        assert!(!refused.status.success());
        let erased = ok(&erase("retention-period-ended"));
        assert_eq!(erased["case_id"], case_id.as_str());
        let again = erase("retention-period-ended");
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already been erased"));
        assert_eq!(
            ok(&casetrail(&["verify", "--database-url", &db.url], &[]))["status"],
            "ok"
        );
        assert_eq!(details_status(&db.url, &data_dir, &[], &case_id), 410);
    }
}
