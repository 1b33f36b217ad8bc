//! `casetrail backup` and `casetrail restore` with the real binary, on both backends. A backup
//! taken while commands are being answered restores into an empty database of either backend:
//! the same events to the byte, the same read models, the personal data readable with the
//! same key-encryption key, the access log and the webhook subscriptions with their
//! deliveries. A backup cut short, altered or of a newer release restores nothing, and
//! neither a restore into a database that holds data nor a backup over an existing file
//! changes anything.

use casetrail_domain::Role;
use casetrail_tests::tokens::DevTokens;
use casetrail_tests::{Backend, Server, TestDb, seeded_database, verified};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn casetrail(dir: &Path, args: &[&str]) -> Output {
    casetrail_tests::casetrail(dir, args, &[])
}

use casetrail_tests::succeeded as ok;

/// `casetrail backup` of the database at `url` to `file`.
fn backup_to(dir: &Path, url: &str, file: &Path) -> Output {
    casetrail(
        dir,
        &[
            "backup",
            "--database-url",
            url,
            "--to",
            file.to_str().unwrap(),
        ],
    )
}

/// `casetrail restore` of `file` into the database at `url`.
fn restore_from(dir: &Path, url: &str, file: &Path) -> Output {
    casetrail(
        dir,
        &[
            "restore",
            "--database-url",
            url,
            "--from",
            file.to_str().unwrap(),
        ],
    )
}

fn token(data_dir: &Path, role: Role) -> String {
    DevTokens::of_data_dir(data_dir).as_cli("southend-council", &[role])
}

/// A database of each backend available here with nothing in it.
fn empty_targets(dir: &Path) -> Vec<(Backend, String, Option<TestDb>)> {
    let mut targets = vec![(
        Backend::Sqlite,
        format!("sqlite://{}", dir.join("restored.db").display()),
        None,
    )];
    if let Some(db) = TestDb::create_blocking(Backend::Postgres, dir) {
        targets.push((Backend::Postgres, db.url.clone(), Some(db)));
    }
    targets
}

/// The stored events, as `casetrail export` prints them, up to `head`.
fn events_until(dir: &Path, url: &str, head: u64) -> String {
    let export = casetrail(dir, &["export", "--database-url", url]);
    assert!(export.status.success());
    String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .filter(|line| {
            serde_json::from_str::<Value>(line).unwrap()["position"].as_u64() <= Some(head)
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The case's personal details, as its business manager reads them (an access log entry).
fn personal_details(server: &Server, data_dir: &Path, case_id: &str) -> casetrail_tests::Reply {
    server
        .call(
            "GET",
            &format!("/v1/cases/{case_id}/personal-details"),
            &token(data_dir, Role::BusinessManager),
            &[],
            None,
        )
        .answered()
}

/// Something in every table a backup holds: a case (its data key), a read of its personal
/// details (the access log), and a webhook subscription whose deliveries fail (nothing listens
/// at its port) and are recorded. Returns the case.
fn fill(server: &Server, data_dir: &Path) -> String {
    let case_id = server.notify(&token(data_dir, Role::Notifier));
    assert_eq!(personal_details(server, data_dir, &case_id).status, 200);
    let admin = token(data_dir, Role::Admin);
    let subscribed = server
        .call(
            "POST",
            "/v1/webhook-subscriptions",
            &admin,
            &[],
            Some(&json!({"url": "http://127.0.0.1:9/hook", "organisation": "southend-council", "after": "0"})),
        )
        .answered();
    assert_eq!(subscribed.status, 201, "{:?}", subscribed.body);
    let id = subscribed.body["subscription"]["id"].as_str().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let deliveries = server
            .call(
                "GET",
                &format!("/v1/webhook-subscriptions/{id}/deliveries"),
                &admin,
                &[],
                None,
            )
            .answered();
        if deliveries.body["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
        {
            break;
        }
        assert!(Instant::now() < deadline, "no delivery attempt recorded");
        std::thread::sleep(Duration::from_millis(200));
    }
    case_id
}

#[test]
fn a_backup_under_load_restores_into_either_backend_with_the_same_read_models() {
    let dir = tempfile::tempdir().unwrap();
    for (n, source) in Backend::ALL
        .into_iter()
        .filter_map(|backend| {
            TestDb::create_blocking(backend, &dir.path().join(format!("source-{backend:?}")))
        })
        .enumerate()
    {
        let work = dir.path().join(format!("work-{n}"));
        std::fs::create_dir_all(&work).unwrap();
        let data_dir = work.join("data");
        let server = Server::start_with(
            &source.url,
            &data_dir,
            &[("CASETRAIL_WEBHOOK_POLL", "100ms")],
        );
        let case_id = fill(&server, &data_dir);
        let file = work.join("casetrail.backup");

        // Notifications go on from another thread while the backup is taken.
        let (stop, answered) = (AtomicBool::new(false), AtomicUsize::new(0));
        let notifier = token(&data_dir, Role::Notifier);
        let (summary, during) = std::thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    server.notify(&notifier);
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            });
            while answered.load(Ordering::Relaxed) < 5 {
                std::thread::sleep(Duration::from_millis(10));
            }
            let before = answered.load(Ordering::Relaxed);
            let backup = backup_to(&work, &source.url, &file);
            let during = answered.load(Ordering::Relaxed) - before;
            stop.store(true, Ordering::Relaxed);
            (ok(&backup)["backup"].clone(), during)
        });
        let (status, log) = server.stop();
        assert!(status.success(), "{log}");
        assert!(
            during > 0,
            "commands were answered while the backup was taken"
        );
        let head = summary["head_position"].as_u64().unwrap();
        let source_head = verified(&work, &source.url)["head_position"]
            .as_u64()
            .unwrap();
        assert!(
            source_head > head,
            "the log went on after the backup's snapshot"
        );
        for table in [
            "events",
            "data_keys",
            "access_log",
            "webhook_subscriptions",
            "webhook_deliveries",
        ] {
            assert!(
                summary["counts"][table].as_u64().unwrap() > 0,
                "{table}: {summary}"
            );
        }
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&file).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "a backup is its owner's only");
        // Personal data only sealed, keys only wrapped: a backup opens nothing without the KEK.
        let written = std::fs::read_to_string(&file).unwrap();
        for clear in ["Alex", "Smith", "unexplained injuries", "2016-03-01"] {
            assert!(!written.contains(clear), "{clear} in clear in the backup");
        }

        let expected = events_until(&work, &source.url, head);
        let cut = work.join("until-head.ndjson");
        std::fs::write(&cut, &expected).unwrap();
        let until = head.to_string();
        let replayed = casetrail(
            &work,
            &["replay", "--file", cut.to_str().unwrap(), "--until", &until],
        );
        assert!(replayed.status.success());

        for (target, url, _db) in empty_targets(&work.join(format!("targets-{n}"))) {
            let restored = ok(&restore_from(&work, &url, &file));
            assert_eq!(restored["restored"], summary, "{target:?}");
            assert_eq!(
                events_until(&work, &url, u64::MAX),
                expected,
                "{target:?}: the same events"
            );
            let replay = casetrail(
                &work,
                &["replay", "--database-url", &url, "--until", &until],
            );
            assert!(replay.status.success());
            assert_eq!(
                replay.stdout, replayed.stdout,
                "{target:?}: the same read models"
            );

            // Served with the same data directory (its key-encryption key): the personal data
            // opens, the subscription and the access log are there.
            let server = Server::start_with(&url, &data_dir, &[("CASETRAIL_WEBHOOK_POLL", "off")]);
            let details = personal_details(&server, &data_dir, &case_id);
            assert_eq!(details.status, 200, "{target:?}");
            assert!(
                details.body.to_string().contains("\"Alex\""),
                "{target:?}: {:?}",
                details.body
            );
            let subscriptions = server
                .call(
                    "GET",
                    "/v1/webhook-subscriptions",
                    &token(&data_dir, Role::Admin),
                    &[],
                    None,
                )
                .answered();
            assert_eq!(
                subscriptions.body["items"].as_array().map(Vec::len),
                Some(1),
                "{target:?}"
            );
            server.stop();
        }
    }
}

/// The events a database holds, by `casetrail verify`.
fn events(dir: &Path, url: &str) -> u64 {
    verified(dir, url)["events"].as_u64().unwrap()
}

#[test]
fn a_backup_cut_short_altered_or_of_a_newer_release_restores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let source = seeded_database(work, 20);
    let file = work.join("casetrail.backup");
    ok(&backup_to(work, &source, &file));
    let whole = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = whole.lines().collect();

    // Never over an existing file: the backup there is left as it was.
    let again = backup_to(work, &source, &file);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), whole);

    let event = lines[5];
    let altered_event = event.replacen("\"stream_version\":", "\"stream_version\":1", 1);
    assert_ne!(altered_event, event);
    let variants = [
        (
            "no trailer",
            lines[..lines.len() - 1].join("\n") + "\n",
            "cut short",
        ),
        (
            "cut mid-line",
            whole[..whole.len() / 2].to_owned(),
            "malformed",
        ),
        (
            "an event altered",
            whole.replacen(event, &altered_event, 1),
            "breaks at position",
        ),
        (
            "the header altered",
            whole.replacen("\"backend\":\"sqlite\"", "\"backend\":\"postgres\"", 1),
            "SHA-256",
        ),
        (
            "a newer release",
            whole.replacen("\"schema\":", "\"schema\":9", 1),
            "newer release",
        ),
        (
            "not a backup",
            "{\"position\":1}\n".to_owned(),
            "not a Casetrail backup",
        ),
    ];
    for (n, (what, text, why)) in variants.into_iter().enumerate() {
        let damaged = work.join(format!("damaged-{n}"));
        std::fs::write(&damaged, text).unwrap();
        for (target, url, _db) in empty_targets(&work.join(format!("target-{n}"))) {
            let refused = restore_from(work, &url, &damaged);
            assert!(!refused.status.success(), "{what} into {target:?}");
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert!(stderr.contains(why), "{what} into {target:?}: {stderr}");
            let exists = url
                .strip_prefix("sqlite://")
                .is_none_or(|file| Path::new(file).exists());
            if exists {
                assert_eq!(
                    events(work, &url),
                    0,
                    "{what} into {target:?}: nothing restored"
                );
            }
        }
    }

    // A database that holds data is refused, and left as it was.
    let before = casetrail(work, &["export", "--database-url", &source]).stdout;
    let refused = restore_from(work, &source, &file);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only into an empty database"));
    assert_eq!(
        casetrail(work, &["export", "--database-url", &source]).stdout,
        before
    );
}
