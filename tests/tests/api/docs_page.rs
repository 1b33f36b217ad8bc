//! The docs page: Swagger UI titled Casetrail, with no online validator, its assets compressed
//! and cached for good under a versioned path, the page and its configuration revalidated.

use casetrail_tests::{TestApp, both_backends};
use reqwest::{Response, StatusCode};
use serde_json::Value;

async fn fetch(app: &TestApp, path: &str, encoding: Option<&str>) -> Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(encoding) = encoding {
        request = request.header("Accept-Encoding", encoding);
    }
    request.send().await.unwrap()
}

fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

both_backends!(
    the_docs_page_is_casetrails_without_a_validator,
    |app: TestApp| async move {
        let page = fetch(&app, "/docs/", None).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(header(&page, "cache-control"), "no-cache");
        assert!(header(&page, "content-type").starts_with("text/html"));
        let page = page.text().await.unwrap();
        assert!(page.contains("<title>Casetrail</title>"), "{page}");
        assert!(!page.contains("Swagger UI</title>"));

        // The configuration: the document, and `validatorUrl` null (no call to swagger.io).
        let script = fetch(&app, "/docs/swagger-initializer.js", None).await;
        assert_eq!(script.status(), StatusCode::OK);
        assert_eq!(header(&script, "cache-control"), "no-cache");
        let script = script.text().await.unwrap();
        let config = script
            .split_once("const config = ")
            .and_then(|(_, rest)| rest.split_once(";\n"))
            .map(|(config, _)| config)
            .expect("the configuration");
        let config: Value = serde_json::from_str(config).unwrap();
        assert_eq!(config["url"], "/openapi.json");
        assert!(
            config.get("validatorUrl").is_some_and(Value::is_null),
            "{config}"
        );
        assert!(!script.contains("swagger.io"));

        // Each asset the page loads is versioned, compressed when asked and cached for good.
        let assets: Vec<&str> = page
            .split('"')
            .filter(|part| part.starts_with("./assets/"))
            .collect();
        assert_eq!(assets.len(), 6, "{page}");
        for asset in assets {
            let path = format!("/docs/{}", asset.trim_start_matches("./"));
            let served = fetch(&app, &path, Some("gzip")).await;
            assert_eq!(served.status(), StatusCode::OK, "{path}");
            assert_eq!(
                header(&served, "cache-control"),
                "public, max-age=31536000, immutable",
                "{path}"
            );
            if path.ends_with(".js") || path.ends_with(".css") {
                assert_eq!(header(&served, "content-encoding"), "gzip", "{path}");
            }
        }
        // Another version is not one this instance has.
        let stale = fetch(
            &app,
            "/docs/assets/0000000000000000/swagger-ui-bundle.js",
            None,
        )
        .await;
        assert_eq!(stale.status(), StatusCode::NOT_FOUND);
        // The document is revalidated, and is not modified while it is the same.
        let document = fetch(&app, "/openapi.json", None).await;
        assert_eq!(header(&document, "cache-control"), "no-cache");
        let tag = header(&document, "etag");
        let again = app
            .client
            .get(format!("{}/openapi.json", app.address))
            .header("If-None-Match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
);
