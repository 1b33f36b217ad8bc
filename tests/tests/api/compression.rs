//! Response compression: gzip or brotli when the client asks for it, nothing otherwise.

use casetrail_tests::{TestApp, both_backends};
use flate2::read::GzDecoder;
use reqwest::StatusCode;
use serde_json::Value;
use std::io::Read;

async fn fetch(app: &TestApp, path: &str, encoding: Option<&str>) -> (String, Vec<u8>) {
    let mut request = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(app.business_manager());
    if let Some(encoding) = encoding {
        request = request.header("Accept-Encoding", encoding);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let vary = response
        .headers()
        .get("vary")
        .map_or(String::new(), |v| v.to_str().unwrap().to_ascii_lowercase());
    let content_encoding = response
        .headers()
        .get("content-encoding")
        .map_or(String::new(), |v| v.to_str().unwrap().to_owned());
    // A cache must not hand a compressed answer to a client that did not ask for it.
    if !content_encoding.is_empty() {
        assert!(vary.contains("accept-encoding"), "vary: {vary}");
    }
    (content_encoding, response.bytes().await.unwrap().to_vec())
}

both_backends!(
    answers_are_compressed_only_when_asked,
    |app: TestApp| async move {
        for path in ["/openapi.json", "/v1/cases?limit=50"] {
            let (plain_encoding, plain) = fetch(&app, path, None).await;
            assert_eq!(plain_encoding, "", "{path}");
            let plain: Value = serde_json::from_slice(&plain).unwrap();

            let (encoding, gzipped) = fetch(&app, path, Some("gzip")).await;
            assert_eq!(encoding, "gzip", "{path}");
            let mut inflated = Vec::new();
            GzDecoder::new(gzipped.as_slice())
                .read_to_end(&mut inflated)
                .unwrap();
            assert_eq!(serde_json::from_slice::<Value>(&inflated).unwrap(), plain);

            let (encoding, brotli) = fetch(&app, path, Some("br")).await;
            assert_eq!(encoding, "br", "{path}");
            assert_ne!(brotli, inflated, "{path}");
        }
        // The document compresses to a fraction of its size.
        let (_, plain) = fetch(&app, "/openapi.json", None).await;
        let (_, brotli) = fetch(&app, "/openapi.json", Some("br")).await;
        assert!(
            brotli.len() * 5 < plain.len(),
            "{} of {}",
            brotli.len(),
            plain.len()
        );
    }
);
