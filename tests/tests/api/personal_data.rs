//! Personal data at rest (issue 12): keys wrapped outside the database, erasure, rotation,
//! keyed request hashes and private files, tried as an attacker with a copy of the database.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{Backend, TestApp, deadline, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;

/// One sealed field found in the log.
#[derive(Debug, Clone)]
struct Sealed {
    key_id: uuid::Uuid,
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
}

impl Sealed {
    /// Whether these 32 bytes open it (AES-256-GCM with the key id authenticated, as sealed).
    fn opens_with(&self, key: &[u8]) -> Option<Vec<u8>> {
        let key: [u8; 32] = key.try_into().ok()?;
        let nonce: [u8; 12] = self.nonce.as_slice().try_into().ok()?;
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(key))
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &self.ciphertext,
                    aad: self.key_id.as_bytes(),
                },
            )
            .ok()
    }
}

fn collect_sealed(value: &Value, found: &mut Vec<Sealed>) {
    match value {
        Value::Object(fields) => {
            if let (Some(key_id), Some(nonce), Some(ciphertext)) = (
                fields.get("key_id").and_then(Value::as_str),
                fields.get("nonce").and_then(Value::as_str),
                fields.get("ciphertext").and_then(Value::as_str),
            ) {
                found.push(Sealed {
                    key_id: key_id.parse().expect("key id"),
                    nonce: STANDARD.decode(nonce).expect("nonce"),
                    ciphertext: STANDARD.decode(ciphertext).expect("ciphertext"),
                });
            }
            fields.values().for_each(|v| collect_sealed(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_sealed(v, found)),
        _ => {}
    }
}

/// Every sealed field of every event in the database.
async fn sealed_in_log(url: &str) -> Vec<Sealed> {
    let store = casetrail_store::open(url).await.expect("open store");
    let events = store.read_all(0, 100_000).await.expect("read log");
    store.close().await;
    let mut found = Vec::new();
    for event in &events {
        collect_sealed(&event.data, &mut found);
    }
    found
}

/// A data key row as the database holds it.
#[derive(Debug, Clone)]
struct KeyRow {
    key_id: String,
    plaintext: Option<Vec<u8>>,
    wrapped: Option<Vec<u8>>,
    kek_id: Option<String>,
}

async fn key_rows(app_url: &str) -> Vec<KeyRow> {
    use sqlx::{Connection, Row};
    let sql = "SELECT key_id, key, wrapped_key, kek_id FROM data_keys ORDER BY key_id";
    if app_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(app_url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        rows.iter()
            .map(|r| KeyRow {
                key_id: r.get("key_id"),
                plaintext: r.get("key"),
                wrapped: r.get("wrapped_key"),
                kek_id: r.get("kek_id"),
            })
            .collect()
    } else {
        let mut conn = sqlx::PgConnection::connect(app_url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        rows.iter()
            .map(|r| KeyRow {
                key_id: r.get::<uuid::Uuid, _>("key_id").to_string(),
                plaintext: r.get("key"),
                wrapped: r.get("wrapped_key"),
                kek_id: r.get("kek_id"),
            })
            .collect()
    }
}

/// Every blob the key table holds, and every 32-byte window of each: the candidate keys an
/// attacker with the database would try.
fn candidate_keys(rows: &[KeyRow]) -> Vec<Vec<u8>> {
    let mut candidates = Vec::new();
    for row in rows {
        for blob in [&row.plaintext, &row.wrapped].into_iter().flatten() {
            candidates.push(blob.clone());
            candidates.extend(blob.windows(32).map(<[u8]>::to_vec));
        }
    }
    candidates
}

/// Unwraps a stored key with the KEK the way the service does: what the attacker lacks.
fn unwrap_with_kek(kek: &[u8], row: &KeyRow) -> Vec<u8> {
    let wrapped = row.wrapped.as_ref().expect("wrapped");
    let (nonce, sealed) = wrapped.split_at(12);
    let key_id: uuid::Uuid = row.key_id.parse().unwrap();
    let mut aad = key_id.as_bytes().to_vec();
    aad.extend_from_slice(row.kek_id.as_ref().unwrap().as_bytes());
    let nonce: [u8; 12] = nonce.try_into().unwrap();
    let kek: [u8; 32] = kek.try_into().unwrap();
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(kek))
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: sealed,
                aad: &aad,
            },
        )
        .expect("the KEK unwraps the stored key")
}

fn kek_path(app: &TestApp) -> PathBuf {
    app.config().data_dir.join("kek")
}

/// The SQLite database file and its write-ahead log, as bytes.
fn sqlite_files(url: &str) -> Vec<(String, Vec<u8>)> {
    let path = url.trim_start_matches("sqlite://");
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let file = format!("{path}{suffix}");
            std::fs::read(&file).ok().map(|bytes| (file, bytes))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A case with sealed text beyond the notification: a modified response's rationale.
async fn case_with_sealed_text(app: &TestApp) -> String {
    let case_id = app.notify_ok().await;
    let manager = app.business_manager();
    let path = |p: &str| format!("/v1/cases/{case_id}/{p}");
    let started = app.post(&path("rapid-review"), &manager, &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let modified = app
        .post(
            &path("rapid-review/modified-response"),
            &manager,
            &json!({"rationale": "Alex's school raised concerns in 2021."}),
        )
        .await;
    assert_eq!(
        modified.status(),
        StatusCode::OK,
        "{}",
        modified.text().await.unwrap()
    );
    case_id
}

both_backends!(
    a_copy_of_the_database_opens_no_personal_data,
    |app: TestApp| async move {
        a_copy_of_the_database_opens_no_personal_data_on(app).await;
    }
);
async fn a_copy_of_the_database_opens_no_personal_data_on(app: TestApp) {
    let backend = app.backend;
    case_with_sealed_text(&app).await;
    case_with_sealed_text(&app).await;
    let url = app.db.url.clone();
    let kek = std::fs::read(kek_path(&app)).unwrap();
    let stopped = app.stop().await;
    let sealed = sealed_in_log(&url).await;
    assert_eq!(sealed.len(), 4, "two notifications and two rationales");
    let rows = key_rows(&url).await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r.plaintext.is_none()),
        "no key in the clear"
    );
    // The attacker: every blob of the key table, and every 32-byte window of each, tried as
    // the key of every sealed field. None opens.
    let candidates = candidate_keys(&rows);
    assert!(candidates.len() > 2 * 28, "wrapped keys are 60 bytes");
    for field in &sealed {
        for candidate in &candidates {
            assert!(
                field.opens_with(candidate).is_none(),
                "personal data opened with a blob of the database"
            );
        }
    }
    // On SQLite, the whole file and its WAL: no 32-byte window of them opens anything
    // either, and no name or summary is there in the clear.
    if backend == Backend::Sqlite {
        for (file, bytes) in sqlite_files(&url) {
            for needle in ["Alex", "Smith", "unexplained injuries", "school raised"] {
                assert!(!contains(&bytes, needle.as_bytes()), "{needle} in {file}");
            }
            let first = &sealed[0];
            assert!(
                bytes.windows(32).all(|w| first.opens_with(w).is_none()),
                "{file} holds the key in the clear"
            );
        }
    }
    // The control: with the KEK, which lives outside the database, every field opens. So
    // the attempt above is one that would have succeeded with the plaintext keys of old.
    for field in &sealed {
        let row = rows
            .iter()
            .find(|r| r.key_id == field.key_id.to_string())
            .unwrap();
        let key = unwrap_with_kek(&kek, row);
        assert!(field.opens_with(&key).is_some());
    }
    drop(stopped);
}

both_backends!(
    erasure_destroys_the_key_and_keeps_the_process,
    |app: TestApp| async move {
        erasure_destroys_the_key_and_keeps_the_process_on(app).await;
    }
);
async fn erasure_destroys_the_key_and_keeps_the_process_on(app: TestApp) {
    let backend = app.backend;
    let case_id = case_with_sealed_text(&app).await;
    let other = case_with_sealed_text(&app).await;
    let notifier = app.notifier();
    let panel = app
        .post(
            &format!("/v1/cases/{case_id}/panel-notification"),
            &notifier,
            &json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"}),
        )
        .await;
    assert_eq!(panel.status(), StatusCode::OK);
    let before = app.case(&case_id).await;
    let kek = std::fs::read(kek_path(&app)).unwrap();
    let key_id = sealed_in_log(&app.db.url).await[0].key_id.to_string();
    let row = key_rows(&app.db.url)
        .await
        .into_iter()
        .find(|r| r.key_id == key_id)
        .unwrap();
    let wrapped = row.wrapped.clone().unwrap();
    let plain_key = unwrap_with_kek(&kek, &row);
    let erasure = json!({"legal_basis": "uk_gdpr_article17_request",
        "reason": "DPO request 2026-0143: no exemption applies"});
    let erase_path = format!("/v1/cases/{case_id}/erasure");

    // Only an admin erases; the role is checked before the case is looked up.
    for token in [app.business_manager(), notifier.clone()] {
        problem(
            app.post(&erase_path, &token, &erasure).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        problem(
            app.post(
                &format!("/v1/cases/{}/erasure", uuid::Uuid::new_v4()),
                &token,
                &erasure,
            )
            .await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
    }
    problem(
        app.post(
            &erase_path,
            &app.admin(),
            &json!({"legal_basis": "court_order", "reason": "  "}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "field.required",
    )
    .await;
    let erased = app.post(&erase_path, &app.admin(), &erasure).await;
    assert_eq!(erased.status(), StatusCode::OK);

    // Personal details: gone, with a clear code; the other case's are still there.
    let details = format!("/v1/cases/{case_id}/personal-details");
    problem(
        app.get(&details, &app.business_manager()).await,
        StatusCode::GONE,
        "personal_data.erased",
    )
    .await;
    let kept = app
        .get(
            &format!("/v1/cases/{other}/personal-details"),
            &app.business_manager(),
        )
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    // Nothing more can be sealed under the destroyed key.
    problem(
        app.post(
            &format!("/v1/cases/{case_id}/rapid-review/modified-response"),
            &app.business_manager(),
            &json!({"rationale": "More about Alex."}),
        )
        .await,
        StatusCode::CONFLICT,
        "personal_data.erased",
    )
    .await;
    // Erasing twice is a conflict.
    problem(
        app.post(&erase_path, &app.admin(), &erasure).await,
        StatusCode::CONFLICT,
        "personal_data.already_erased",
    )
    .await;

    // The process is intact: the same deadlines with the same statuses, the erasure in the
    // audit trail with its legal basis, and the hash chain verifies.
    let after = app.case(&case_id).await;
    // The deadline itself; the case it belongs to has one more fact (its version and last
    // change move on).
    let without_case = |case: &Value| {
        let mut d = deadline(case, "panel_notification").clone();
        for field in ["case_version", "updated_at", "updated_position"] {
            d.as_object_mut().unwrap().remove(field);
        }
        d
    };
    assert_eq!(without_case(&after), without_case(&before));
    assert_eq!(after["stage"], before["stage"]);
    let trail: Value = app
        .get(
            &format!("/v1/cases/{case_id}/audit-trail"),
            &app.token("southend-council", &[Role::Auditor]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["summary"]
                == "The case's personal data was erased: a request under UK GDPR Art. 17"),
        "{trail}"
    );
    let url = app.db.url.clone();
    // On SQLite neither the wrapped nor the plain key survives in the file or its WAL, read
    // as an attacker would copy them, while the service runs.
    if backend == Backend::Sqlite {
        let files = sqlite_files(&url);
        assert!(!files.is_empty());
        for (file, bytes) in files {
            assert!(!contains(&bytes, &wrapped), "wrapped key in {file}");
            assert!(!contains(&bytes, &plain_key), "key in {file}");
        }
    }
    let stopped = app.stop().await;
    let store = casetrail_store::open(&url).await.unwrap();
    let verdict = casetrail_store::verify(store.as_ref()).await.unwrap();
    store.close().await;
    assert!(
        matches!(verdict, casetrail_store::Integrity::Ok { .. }),
        "{verdict:?}"
    );
    let row = key_rows(&url)
        .await
        .into_iter()
        .find(|r| r.key_id == key_id)
        .unwrap();
    assert!(row.wrapped.is_none() && row.plaintext.is_none());
    drop(stopped);
}

/// Writes a key back in the clear, the way versions before key wrapping stored it.
async fn store_in_the_clear(url: &str, key_id: &str, key: &[u8]) {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(
            "UPDATE data_keys SET key = ?, wrapped_key = NULL, kek_id = NULL WHERE key_id = ?",
        )
        .bind(key)
        .bind(key_id)
        .execute(&mut conn)
        .await
        .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(
            "UPDATE data_keys SET key = $1, wrapped_key = NULL, kek_id = NULL WHERE key_id = $2",
        )
        .bind(key)
        .bind(key_id.parse::<uuid::Uuid>().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

both_backends!(
    keys_an_older_version_left_in_the_clear_are_wrapped_at_start,
    |app: TestApp| async move {
        let backend = app.backend;
        let case_id = case_with_sealed_text(&app).await;
        let kek = std::fs::read(kek_path(&app)).unwrap();
        let url = app.db.url.clone();
        let stopped = app.stop().await;
        let row = key_rows(&url).await.remove(0);
        let plain = unwrap_with_kek(&kek, &row);
        store_in_the_clear(&url, &row.key_id, &plain).await;
        let app = stopped.start(|_| {}).await;
        let details = app
            .get(
                &format!("/v1/cases/{case_id}/personal-details"),
                &app.business_manager(),
            )
            .await;
        assert_eq!(details.status(), StatusCode::OK);
        let row = key_rows(&url).await.remove(0);
        assert!(row.plaintext.is_none(), "wrapped and cleared at start");
        assert_eq!(unwrap_with_kek(&kek, &row), plain);
        if backend == Backend::Sqlite {
            for (file, bytes) in sqlite_files(&url) {
                assert!(!contains(&bytes, &plain), "the old plaintext key in {file}");
            }
        }
    }
);

/// The request hash stored for an Idempotency-Key.
async fn stored_request_hash(url: &str) -> (Value, Value) {
    let store = casetrail_store::open(url).await.unwrap();
    let events = store.read_all(0, 10_000).await.unwrap();
    store.close().await;
    let last = events.last().unwrap();
    (
        last.metadata["request_hash"].clone(),
        last.metadata["metadata_version"].clone(),
    )
}

both_backends!(
    the_stored_request_hash_is_keyed,
    |app: TestApp| async move {
        let other = TestApp::spawn(app.backend).await.unwrap();
        let mut hashes = Vec::new();
        for app in [&app, &other] {
            let sent = app
                .client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("Idempotency-Key", "notify-alex-1")
                .json(&casetrail_tests::notification())
                .send()
                .await
                .unwrap();
            assert_eq!(sent.status(), StatusCode::CREATED);
            let (hash, version) = stored_request_hash(&app.db.url).await;
            assert_eq!(version, 2);
            let hash = hash.as_str().unwrap().to_owned();
            let (kek_id, mac) = hash.split_once(':').unwrap();
            assert!(kek_id.starts_with("kek-") && mac.len() == 64, "{hash}");
            hashes.push(hash);
            // The same request again is recognised under the keyed hash; another body is not.
            let again = app
                .client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("Idempotency-Key", "notify-alex-1")
                .json(&casetrail_tests::notification())
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), StatusCode::CREATED);
            let mut changed = casetrail_tests::notification();
            changed["child"]["given_name"] = json!("Sam");
            let reused = app
                .client
                .post(format!("{}/v1/cases/notifications", app.address))
                .bearer_auth(app.notifier())
                .header("Idempotency-Key", "notify-alex-1")
                .json(&changed)
                .send()
                .await
                .unwrap();
            problem(
                reused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency.key_reused",
            )
            .await;
        }
        // The same request under two installations' KEKs: two unrelated hashes, so a hash
        // confirms no guess about the body to anyone without the KEK.
        assert_ne!(hashes[0], hashes[1]);
    }
);

/// Puts a wrapped key back in its row, as a restored backup of the key table would.
async fn restore_key(url: &str, row: &KeyRow) {
    use sqlx::Connection;
    let wrapped = row.wrapped.clone().unwrap();
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(
            "UPDATE data_keys SET wrapped_key = ?, kek_id = ?, erased_at = NULL WHERE key_id = ?",
        )
        .bind(wrapped)
        .bind(&row.kek_id)
        .bind(&row.key_id)
        .execute(&mut conn)
        .await
        .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(
            "UPDATE data_keys SET wrapped_key = $1, kek_id = $2, erased_at = NULL WHERE key_id = $3",
        )
        .bind(wrapped)
        .bind(&row.kek_id)
        .bind(row.key_id.parse::<uuid::Uuid>().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

both_backends!(
    a_key_restored_after_its_erasure_is_destroyed_at_start,
    |app: TestApp| async move {
        let case_id = case_with_sealed_text(&app).await;
        let url = app.db.url.clone();
        let row = key_rows(&url).await.remove(0);
        let erased = app
            .post(
                &format!("/v1/cases/{case_id}/erasure"),
                &app.admin(),
                &json!({"legal_basis": "court_order", "reason": "Order 2026/117"}),
            )
            .await;
        assert_eq!(erased.status(), StatusCode::OK);
        let stopped = app.stop().await;
        // A backup of the key table restored over the erasure (or a stop between the event
        // and the key's destruction): the key is back, the log says it was erased.
        restore_key(&url, &row).await;
        assert!(key_rows(&url).await[0].wrapped.is_some());
        let app = stopped.start(|_| {}).await;
        assert!(
            key_rows(&url).await[0].wrapped.is_none(),
            "destroyed again before serving"
        );
        problem(
            app.get(
                &format!("/v1/cases/{case_id}/personal-details"),
                &app.business_manager(),
            )
            .await,
            StatusCode::GONE,
            "personal_data.erased",
        )
        .await;
    }
);
