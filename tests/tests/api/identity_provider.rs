//! Identity providers (`CASETRAIL_JWKS_URL`): the keys are fetched at start, again when a token
//! names a key id not seen before (at most every 30 s) and on schedule, and the claims are
//! read where the provider puts them. A local server plays the provider's JWKS endpoint,
//! publishes the keys the test says and counts its fetches; tokens are signed with the
//! fixture keys and verified for real.

use actix_web::{App, HttpResponse, HttpServer, web};
use casetrail_api::auth::ClaimPath;
use casetrail_api::{Application, ServeConfig};
use casetrail_tests::tokens::keys::{EC_PRIVATE, JWKS};
use casetrail_tests::tokens::{IDP_AUDIENCE, IDP_ISSUER, rs256, sign};
use casetrail_tests::{Backend, TestApp, notification};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the identity provider publishes, and how often it was fetched.
#[derive(Debug, Default)]
struct Published {
    keys: Vec<Value>,
    fetches: usize,
}

/// The identity provider's JWKS endpoint, on a random local port.
#[derive(Debug)]
struct IdentityProvider {
    /// `http://127.0.0.1:<port>/keys`.
    url: String,
    published: Arc<Mutex<Published>>,
    handle: actix_web::dev::ServerHandle,
}

impl IdentityProvider {
    async fn start(keys: Vec<Value>) -> IdentityProvider {
        let published = Arc::new(Mutex::new(Published { keys, fetches: 0 }));
        let data = web::Data::from(Arc::clone(&published));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/keys", web::get().to(serve_keys))
        })
        .workers(1)
        .disable_signals()
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        IdentityProvider {
            url: format!("http://127.0.0.1:{port}/keys"),
            published,
            handle,
        }
    }

    /// Publishes these keys from now on (the provider rotating its keys).
    fn publish(&self, keys: Vec<Value>) {
        self.published.lock().unwrap().keys = keys;
    }

    /// The fetches so far.
    fn fetches(&self) -> usize {
        self.published.lock().unwrap().fetches
    }

    /// Waits until the keys were fetched `count` times in all.
    async fn fetched(&self, count: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.fetches() < count {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} fetches, not {count}",
                self.fetches()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

async fn serve_keys(published: web::Data<Mutex<Published>>) -> HttpResponse {
    // Counted under the same lock the keys are read with: a fetch counted after a `publish`
    // served the keys published.
    let mut published = published.lock().unwrap();
    published.fetches += 1;
    HttpResponse::Ok().json(json!({"keys": published.keys}))
}

/// The fixture RSA key's JWK under `kid`.
fn rsa_key(kid: &str) -> Value {
    let mut key = serde_json::from_str::<Value>(JWKS).unwrap()["keys"][0].clone();
    key["kid"] = json!(kid);
    key
}

/// The fixture P-256 key's JWK under `kid`.
fn ec_key(kid: &str) -> Value {
    let mut jwk = Jwk::from_encoding_key(&ec_signing_key(), Algorithm::ES256).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    serde_json::to_value(jwk).unwrap()
}

fn ec_signing_key() -> EncodingKey {
    EncodingKey::from_ec_pem(EC_PRIVATE.as_bytes()).unwrap()
}

/// The council's notifier, as the fixture provider's tokens say it.
fn notifier_claims() -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": "u-7", "name": "N", "partnership": "southend", "org": "southend-council",
           "roles": ["notifier"], "iss": IDP_ISSUER, "aud": IDP_AUDIENCE, "exp": now + 600})
}

fn es256(claims: &Value, kid: &str) -> String {
    sign(Algorithm::ES256, Some(kid), claims, &ec_signing_key())
}

/// A production start with its keys at `url`.
fn keys_at(url: &str) -> impl FnOnce(&mut ServeConfig) + use<> {
    let url = url.to_owned();
    move |config| {
        config.jwks_url = Some(url);
        config.jwt_issuer = Some(IDP_ISSUER.into());
        config.jwt_audience = Some(IDP_AUDIENCE.into());
    }
}

async fn spawn(configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
    TestApp::builder(Backend::Sqlite)
        .configure(configure)
        .spawn()
        .await
        .expect("SQLite is always available")
}

async fn list_status(app: &TestApp, token: &str) -> StatusCode {
    app.get("/v1/cases", token).await.status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_published_after_start_is_fetched_for_its_first_token() {
    let idp = IdentityProvider::start(vec![rsa_key("rsa-1")]).await;
    let app = spawn(keys_at(&idp.url)).await;
    assert_eq!(idp.fetches(), 1, "fetched at start");
    let rsa = rs256(&notifier_claims(), Some("rsa-1"));
    assert_eq!(list_status(&app, &rsa).await, StatusCode::OK);

    // The provider rotates: a new key, signing tokens before the next scheduled fetch.
    idp.publish(vec![rsa_key("rsa-1"), ec_key("ec-2")]);
    let ec = es256(&notifier_claims(), "ec-2");
    assert_eq!(list_status(&app, &ec).await, StatusCode::OK);
    assert_eq!(
        idp.fetches(),
        2,
        "one fetch, for the key id not seen before"
    );
    assert_eq!(list_status(&app, &ec).await, StatusCode::OK);
    assert_eq!(list_status(&app, &rsa).await, StatusCode::OK);
    assert_eq!(idp.fetches(), 2, "known keys cause no fetch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_key_ids_cause_at_most_one_fetch_per_30_seconds() {
    let idp = IdentityProvider::start(vec![rsa_key("rsa-1")]).await;
    let app = spawn(keys_at(&idp.url)).await;
    let made_up = || rs256(&notifier_claims(), Some(&uuid::Uuid::new_v4().to_string()));
    // At once: the requests share one fetch.
    let tokens: Vec<String> = (0..20).map(|_| made_up()).collect();
    let statuses =
        futures::future::join_all(tokens.iter().map(|token| list_status(&app, token))).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert_eq!(idp.fetches(), 2);
    // One after another: none, until 30 s have passed.
    for _ in 0..5 {
        assert_eq!(
            list_status(&app, &made_up()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(idp.fetches(), 2);
    // The provider's own key still verifies its tokens meanwhile.
    let rsa = rs256(&notifier_claims(), Some("rsa-1"));
    assert_eq!(list_status(&app, &rsa).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_key_stops_verifying_at_the_next_scheduled_fetch() {
    let idp = IdentityProvider::start(vec![rsa_key("rsa-1"), ec_key("ec-2")]).await;
    let app = spawn(|config: &mut ServeConfig| {
        keys_at(&idp.url)(config);
        config.jwks_refresh = Duration::from_millis(100);
    })
    .await;
    let rsa = rs256(&notifier_claims(), Some("rsa-1"));
    // Verified, and so remembered: the next request is answered from the token cache.
    assert_eq!(list_status(&app, &rsa).await, StatusCode::OK);
    assert_eq!(list_status(&app, &rsa).await, StatusCode::OK);

    idp.publish(vec![ec_key("ec-2")]);
    // The first fetch after the change served it; the second began after it was taken in.
    let fetches = idp.fetches();
    idp.fetched(fetches + 2).await;
    assert_eq!(list_status(&app, &rsa).await, StatusCode::UNAUTHORIZED);
    let ec = es256(&notifier_claims(), "ec-2");
    assert_eq!(list_status(&app, &ec).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_without_the_providers_keys_fails_naming_the_setting() {
    let idp = IdentityProvider::start(vec![rsa_key("rsa-1")]).await;
    let app = spawn(keys_at(&idp.url)).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let no_keys = IdentityProvider::start(vec![json!({"kty": "RSA", "use": "enc",
        "n": rsa_key("x")["n"], "e": "AQAB"})])
    .await;
    let cases = [
        (format!("http://127.0.0.1:{closed}/keys"), "connect"),
        (format!("{}/elsewhere", idp.url), "answered 404"),
        (
            no_keys.url.clone(),
            "no RSA (RS256) or P-256 EC (ES256) signing key",
        ),
        (
            "http://idp.example/keys".to_owned(),
            "http is accepted only to a loopback",
        ),
        ("ftp://127.0.0.1/keys".to_owned(), "must be https"),
    ];
    for (url, why) in cases {
        let mut config = app.config().clone();
        config.jwks_url = Some(url.clone());
        let error = Application::build(config)
            .await
            .map(|_| ())
            .expect_err("no start without the keys");
        let message = format!("{error:#}");
        assert!(message.contains("CASETRAIL_JWKS_URL"), "{url}: {message}");
        assert!(message.contains(why), "{url}: {message}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_read_where_the_provider_puts_them() {
    let idp = IdentityProvider::start(vec![rsa_key("rsa-1")]).await;
    // Keycloak's realm roles, and organisation, partnership and name under names of its own.
    let app = spawn(|config: &mut ServeConfig| {
        keys_at(&idp.url)(config);
        config.jwt_roles_claim = ClaimPath::parse("realm_access.roles").unwrap();
        config.jwt_org_claim = ClaimPath::parse("casetrail.organisation").unwrap();
        config.jwt_partnership_claim = ClaimPath::parse("tenant").unwrap();
        config.jwt_name_claim = ClaimPath::parse("preferred_username").unwrap();
    })
    .await;
    let now = chrono::Utc::now().timestamp();
    let keycloak = json!({"sub": "u-8", "preferred_username": "a.notifier", "tenant": "southend",
        "casetrail": {"organisation": "southend-council"},
        "realm_access": {"roles": ["notifier", "offline_access"]},
        "iss": IDP_ISSUER, "aud": IDP_AUDIENCE, "exp": now + 600});
    let token = rs256(&keycloak, Some("rsa-1"));
    // A notification needs all three: the notifier role, the council, the partnership.
    let response = app
        .post("/v1/cases/notifications", &token, &notification())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // The claims where they are by default are not read any more.
    let plain = rs256(&notifier_claims(), Some("rsa-1"));
    assert_eq!(list_status(&app, &plain).await, StatusCode::UNAUTHORIZED);
}
