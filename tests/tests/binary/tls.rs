//! PostgreSQL over TLS, as managed PostgreSQL services require. The local server is given a
//! certificate signed by a certificate authority made here; `casetrail` connects with
//! `sslmode=verify-full` and that authority, its connections are encrypted (the server's own
//! `pg_stat_ssl` says so), and a server its authority did not sign is refused, naming why.

use casetrail_tests::{EmptyPostgres, Server};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The server's certificate and key, written into its data directory by the server itself
/// (`COPY … TO`, so owned by its user), and still there for a restart should the test die
/// before putting the configuration back.
const CERT_FILE: &str = "casetrail-test-server.crt";
const KEY_FILE: &str = "casetrail-test-server.key";

/// A certificate authority of the test's own.
fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// The local server's certificate for the duration of a test: put back as it was on drop.
struct ServerCertificate {
    admin: String,
}

impl ServerCertificate {
    /// Gives the server of `admin` a certificate for `localhost` and `127.0.0.1` signed by
    /// `ca`, and waits until new connections get it.
    fn install(admin: &str, ca: &CertifiedIssuer<'_, KeyPair>) -> Self {
        let key = KeyPair::generate().unwrap();
        let params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let certificate = params.signed_by(&key, ca).unwrap();
        let data_directory = query_text(admin, "SHOW data_directory");
        let cert_file = format!("{data_directory}/{CERT_FILE}");
        let key_file = format!("{data_directory}/{KEY_FILE}");
        write_server_file(admin, &cert_file, &certificate.pem());
        write_server_file(admin, &key_file, &key.serialize_pem());
        // The server takes a key only if no one else may read it; COPY wrote it 0644. The test
        // runs on the server's machine as a user that may change it (root in CI).
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap_or_else(
            |error| {
                panic!(
                    "chmod 600 {key_file} (the test needs the PostgreSQL server's machine): {error}"
                )
            },
        );
        let installed = Self {
            admin: admin.to_owned(),
        };
        // One statement at a time: ALTER SYSTEM refuses the implicit transaction of several.
        for statement in [
            format!("ALTER SYSTEM SET ssl_cert_file = '{cert_file}'"),
            format!("ALTER SYSTEM SET ssl_key_file = '{key_file}'"),
            "ALTER SYSTEM SET ssl = on".to_owned(),
            "SELECT pg_reload_conf()".to_owned(),
        ] {
            EmptyPostgres::run(admin, &statement);
        }
        installed.wait_for("ssl_cert_file", &cert_file);
        installed
    }

    /// Waits until a new connection sees `setting` at `value` (a reload is asynchronous).
    fn wait_for(&self, setting: &str, value: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while query_text(&self.admin, &format!("SHOW {setting}")) != value {
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not reload {setting}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for ServerCertificate {
    fn drop(&mut self) {
        for statement in [
            "ALTER SYSTEM RESET ssl_cert_file",
            "ALTER SYSTEM RESET ssl_key_file",
            "ALTER SYSTEM RESET ssl",
            "SELECT pg_reload_conf()",
        ] {
            EmptyPostgres::run(&self.admin, statement);
        }
    }
}

/// Writes `text` to the server's `file`, as the server's user.
fn write_server_file(admin: &str, file: &str, text: &str) {
    // One row per line; PEM has no quote or backslash for COPY's text format to escape.
    let lines: Vec<String> = text.lines().map(|line| format!("'{line}'")).collect();
    EmptyPostgres::run(
        admin,
        &format!(
            "COPY (SELECT unnest(ARRAY[{}])) TO '{file}'",
            lines.join(",")
        ),
    );
}

fn query_text(url: &str, sql: &str) -> String {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async move {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut connection)
                .await
                .unwrap()
        })
}

fn write_pem(dir: &Path, name: &str, pem: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn postgres_over_tls_is_verified_against_the_certificate_authority_given() {
    let Some(admin) = casetrail_testkit::admin_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ca = authority("Casetrail test CA");
    let stranger = authority("Someone else's CA");
    let ca_file = write_pem(dir.path(), "ca.pem", &ca.pem());
    let stranger_file = write_pem(dir.path(), "stranger.pem", &stranger.pem());
    let _certificate = ServerCertificate::install(&admin, &ca);
    let db = EmptyPostgres::create(&admin);
    let verified = format!("{}?sslmode=verify-full&sslrootcert={ca_file}", db.url);

    // A certificate the given authority did not sign: refused, nothing done, and the message
    // says why rather than only that the database could not be reached.
    let refused = casetrail_tests::casetrail(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            &format!("{}?sslmode=verify-full&sslrootcert={stranger_file}", db.url),
        ],
        &[],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("certificate"), "{stderr}");
    assert!(
        !db.has_tables(),
        "nothing done over an unverified connection"
    );

    casetrail_tests::succeeded(&casetrail_tests::casetrail(
        dir.path(),
        &["migrate", "--database-url", &verified],
        &[],
    ));

    // The server on the verified connection: every connection it holds is encrypted.
    let server = Server::start(&verified, &dir.path().join("data"));
    let ready = server
        .call("GET", "/health/ready", "", &[], None)
        .answered();
    assert_eq!(ready.status, 200);
    let database = db.url.rsplit('/').next().unwrap().to_owned();
    let connections = query_text(
        &admin,
        &format!(
            "SELECT count(*) FILTER (WHERE s.ssl) || '/' || count(*) FROM pg_stat_ssl s \
             JOIN pg_stat_activity a USING (pid) WHERE a.datname = '{database}'"
        ),
    );
    let (encrypted, all) = connections.split_once('/').unwrap();
    assert!(all != "0" && encrypted == all, "{connections} encrypted");
    let (status, log) = server.stop();
    assert!(status.success(), "{log}");

    // `require` encrypts without verifying (libpq's meaning): it works without the authority.
    casetrail_tests::verified(dir.path(), &format!("{}?sslmode=require", db.url));
}
