//! Cross-origin calls from a browser front-end (`CASETRAIL_CORS_ORIGINS`): the preflight and
//! its headers over plain HTTP on both backends, and a real browser (headless Chromium) calling
//! the API from a page of another origin, allowed and refused.

use casetrail_domain::Role;
use casetrail_tests::{TestApp, both_backends, chromium, notification, problem};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const FRONT_END: &str = "https://casework.example.org";

fn allow_front_end(config: &mut casetrail_api::config::ServeConfig) {
    config.cors_origins = vec![FRONT_END.to_owned()];
}

async fn preflight(app: &TestApp, origin: &str, method: &str, headers: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(
            Method::OPTIONS,
            format!("{}/v1/cases/notifications", app.address),
        )
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

both_backends!(
    a_configured_origin_is_answered_and_any_other_refused,
    configure = allow_front_end,
    |app: TestApp| async move {
        let allowed = preflight(
            &app,
            FRONT_END,
            "POST",
            "authorization,content-type,idempotency-key",
        )
        .await;
        assert_eq!(allowed.status(), StatusCode::OK);
        assert_eq!(header(&allowed, "access-control-allow-origin"), FRONT_END);
        let headers = header(&allowed, "access-control-allow-headers").to_ascii_lowercase();
        for name in [
            "authorization",
            "content-type",
            "idempotency-key",
            "if-match",
        ] {
            assert!(headers.contains(name), "{headers}");
        }
        // Tokens are never cookies: credentials are not allowed.
        assert_eq!(header(&allowed, "access-control-allow-credentials"), "");
        assert_eq!(header(&allowed, "access-control-max-age"), "600");

        // The answer to the actual request names the origin and exposes what a client reads.
        let notified = app
            .client
            .post(format!("{}/v1/cases/notifications", app.address))
            .header("Origin", FRONT_END)
            .bearer_auth(app.notifier())
            .json(&notification())
            .send()
            .await
            .unwrap();
        assert_eq!(notified.status(), StatusCode::CREATED);
        assert_eq!(header(&notified, "access-control-allow-origin"), FRONT_END);
        let exposed = header(&notified, "access-control-expose-headers").to_ascii_lowercase();
        for name in ["etag", "location", "x-request-id", "retry-after"] {
            assert!(exposed.contains(name), "{exposed}");
        }

        // Another origin, or a header outside the list, is refused as a problem.
        let before = app.log_length().await;
        problem(
            preflight(
                &app,
                "https://elsewhere.example.com",
                "POST",
                "authorization",
            )
            .await,
            StatusCode::FORBIDDEN,
            "cors.not_allowed",
        )
        .await;
        problem(
            preflight(&app, FRONT_END, "POST", "x-forwarded-user").await,
            StatusCode::FORBIDDEN,
            "cors.not_allowed",
        )
        .await;
        assert_eq!(
            app.log_length().await,
            before,
            "a refused preflight records nothing"
        );
        // A request that skips the preflight (no browser sends one with a token) is a
        // server-to-server call: answered, but without a grant a browser would honour.
        let unpreflighted = app
            .client
            .post(format!("{}/v1/cases/notifications", app.address))
            .header("Origin", "https://elsewhere.example.com")
            .bearer_auth(app.notifier())
            .json(&notification())
            .send()
            .await
            .unwrap();
        assert_eq!(unpreflighted.status(), StatusCode::CREATED);
        assert_eq!(header(&unpreflighted, "access-control-allow-origin"), "");

        // The service's own pages (the Swagger UI) send their own origin: always allowed.
        let own = app.address.clone();
        let same = preflight(&app, &own, "POST", "authorization,content-type").await;
        assert_eq!(same.status(), StatusCode::OK);
        assert_eq!(header(&same, "access-control-allow-origin"), own);
    }
);

both_backends!(
    without_configured_origins_there_is_no_cors,
    |app: TestApp| async move {
        let answer = preflight(&app, FRONT_END, "POST", "authorization").await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&answer, "access-control-allow-origin"), "");
        // A server-to-server client sends no Origin and is unaffected either way.
        let notified = app.notify(&notification()).await;
        assert_eq!(notified.status(), StatusCode::CREATED);
    }
);

/// Serves `page` to every request on `listener`: the front-end's origin.
fn serve_page(listener: TcpListener, page: Arc<OnceLock<String>>) {
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let page = Arc::clone(&page);
            tokio::spawn(async move {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let body = page.get().cloned().unwrap_or_default();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
}

/// The front-end: notifies a case (a preflighted POST with a token and an Idempotency-Key),
/// reads the headers a client needs, reads the case back, and writes what it saw as JSON.
fn front_end_page(api: &str, token: &str) -> String {
    format!(
        r#"<!doctype html><html><body><pre id="out">pending</pre><script>
const api = {api:?}, token = {token:?}, body = {body};
const out = document.getElementById("out");
async function run() {{
  const seen = {{}};
  const notified = await fetch(api + "/v1/cases/notifications", {{
    method: "POST",
    headers: {{"Authorization": "Bearer " + token, "Content-Type": "application/json",
               "Idempotency-Key": "browser-1"}},
    body: JSON.stringify(body)
  }});
  seen.notify_status = notified.status;
  seen.etag = notified.headers.get("ETag");
  seen.location = notified.headers.get("Location");
  seen.request_id = notified.headers.get("x-request-id");
  const accepted = await notified.json();
  const read = await fetch(api + "/v1/cases/" + accepted.case_id, {{
    headers: {{"Authorization": "Bearer " + token}}
  }});
  seen.read_status = read.status;
  seen.stage = (await read.json()).stage;
  out.textContent = JSON.stringify(seen);
}}
run().catch(error => out.textContent = JSON.stringify({{error: String(error)}}));
</script></body></html>"#,
        body = notification()
    )
}

/// What the page wrote once the browser had run it.
async fn run_in_browser(chromium: &PathBuf, url: &str) -> Value {
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--virtual-time-budget=15000",
                "--dump-dom",
                url,
            ])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("Chromium finished within a minute")
    .expect("Chromium ran");
    let dom = String::from_utf8_lossy(&output.stdout);
    let text = dom
        .split_once(r#"<pre id="out">"#)
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| {
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("no result in the page: {dom}"));
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("the page wrote {text:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_page_of_an_allowed_origin_calls_the_api_and_another_is_blocked() {
    let Some(chromium) = chromium() else {
        return;
    };
    // The front-end's own server, on an origin of its own (another port).
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let allowed_origin = format!("http://127.0.0.1:{port}");
    let page = Arc::new(OnceLock::new());
    serve_page(listener, Arc::clone(&page));
    // CORS is about the browser and the HTTP layer; one backend shows it.
    let Some(app) = TestApp::builder(casetrail_tests::Backend::Sqlite)
        .configure(|config| config.cors_origins = vec![allowed_origin.clone()])
        .spawn()
        .await
    else {
        return;
    };
    let token = app.token("southend-council", &[Role::Notifier, Role::BusinessManager]);
    page.set(front_end_page(&app.address, &token)).unwrap();

    let seen = run_in_browser(&chromium, &format!("{allowed_origin}/")).await;
    assert_eq!(seen["notify_status"], 201, "{seen}");
    assert_eq!(seen["read_status"], 200, "{seen}");
    assert_eq!(seen["stage"], "notified", "{seen}");
    assert!(
        seen["etag"].as_str().is_some_and(|e| !e.is_empty()),
        "{seen}"
    );
    assert!(
        seen["location"]
            .as_str()
            .is_some_and(|l| l.starts_with("/v1/cases/")),
        "{seen}"
    );
    assert!(seen["request_id"].as_str().is_some(), "{seen}");
    let written = app.log_length().await;

    // The same page served as `localhost` is another origin: the browser blocks the call.
    let blocked = run_in_browser(&chromium, &format!("http://localhost:{port}/")).await;
    assert!(
        blocked["error"]
            .as_str()
            .is_some_and(|e| e.contains("Failed to fetch")),
        "{blocked}"
    );
    assert_eq!(
        app.log_length().await,
        written,
        "the blocked page recorded nothing"
    );
}
