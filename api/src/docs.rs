//! The interactive API reference at `/docs/` (Swagger UI, embedded in the binary: it works with
//! no internet access) and the OpenAPI document at `/openapi.json`.
//!
//! The page is titled Casetrail, and its configuration sets `validatorUrl` to `null`: Swagger
//! UI's default sends the document's URL to an online validator at swagger.io, which would
//! tell a third party the internal host name of every instance whose docs are opened (and
//! show a broken badge where it cannot reach it).
//!
//! Caching: the static assets are served under `/docs/assets/<version>/`, where the version is
//! a hash of their bytes, with `Cache-Control: public, max-age=31536000, immutable`; a new
//! Swagger UI is a new path, so a browser never keeps a stale one. The page and its
//! configuration (`/docs/`, `/docs/swagger-initializer.js`) and the document are `no-cache`:
//! revalidated on every visit (with `If-None-Match`, answered 304 while unchanged). Everything
//! is compressed when the browser asks (`Accept-Encoding`).

use actix_web::http::StatusCode;
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};
use utoipa_swagger_ui::Config;

/// The page's title.
pub const TITLE: &str = "Casetrail";

/// The assets the page loads, served under their versioned path.
const ASSETS: [&str; 6] = [
    "swagger-ui.css",
    "index.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "favicon-32x32.png",
    "favicon-16x16.png",
];

/// A year, as RFC 9111 suggests for "never changes".
const IMMUTABLE_SECONDS: u32 = 31_536_000;

/// The document, serialised once.
#[derive(Debug, Clone)]
struct Document(web::Bytes);

/// Registers `/openapi.json`, `/docs` and everything under it.
pub fn configure(api: &utoipa::openapi::OpenApi) -> impl FnOnce(&mut web::ServiceConfig) + use<> {
    let document = Document(web::Bytes::from(
        serde_json::to_vec(api).expect("the OpenAPI document serialises"),
    ));
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(web::Data::new(document))
            .route("/openapi.json", web::get().to(openapi_json))
            .service(web::redirect("/docs", "/docs/"))
            .route("/docs/", web::get().to(index))
            .route("/docs/index.html", web::get().to(index))
            .route("/docs/swagger-initializer.js", web::get().to(initializer))
            .route(
                "/docs/assets/{version}/{file}",
                web::get().to(versioned_asset),
            )
            .route("/docs/{file}", web::get().to(unversioned_asset));
    }
}

async fn openapi_json(document: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(revalidate())
        .body(document.0.clone())
}

/// Swagger UI's page, titled Casetrail, loading the versioned assets.
async fn index() -> HttpResponse {
    static PAGE: OnceLock<String> = OnceLock::new();
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(revalidate())
        .body(PAGE.get_or_init(index_html).as_str())
}

fn index_html() -> String {
    let Some(page) = dist_file("index.html") else {
        return String::new();
    };
    let mut page = String::from_utf8_lossy(&page).replace(
        "<title>Swagger UI</title>",
        &format!("<title>{TITLE}</title>"),
    );
    let version = assets_version();
    for asset in ASSETS {
        page = page
            .replace(
                &format!("\"./{asset}\""),
                &format!("\"./assets/{version}/{asset}\""),
            )
            .replace(
                &format!("\"{asset}\""),
                &format!("\"./assets/{version}/{asset}\""),
            );
    }
    page
}

/// The configuration Swagger UI starts with: the document, and no online validator.
pub fn swagger_config() -> serde_json::Value {
    serde_json::json!({
        "url": "/openapi.json",
        "dom_id": "#swagger-ui",
        "deepLinking": true,
        "layout": "StandaloneLayout",
        "validatorUrl": null,
    })
}

async fn initializer() -> HttpResponse {
    let script = format!(
        "window.onload = function () {{\n  document.title = {title};\n  const config = {config};\n  \
         window.ui = SwaggerUIBundle(Object.assign(config, {{\n    presets: \
         [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],\n    plugins: \
         [SwaggerUIBundle.plugins.DownloadUrl],\n  }}));\n}};\n",
        title = serde_json::Value::from(TITLE),
        config = swagger_config(),
    );
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(revalidate())
        .body(script)
}

async fn versioned_asset(path: web::Path<(String, String)>) -> HttpResponse {
    let (version, file) = path.into_inner();
    if version != assets_version() || !ASSETS.contains(&file.as_str()) {
        return not_found();
    }
    asset(&file, immutable())
}

/// A file of Swagger UI at its own name (as before the assets were versioned, and the files the
/// page does not load itself): served, but revalidated each time.
async fn unversioned_asset(file: web::Path<String>) -> HttpResponse {
    asset(&file.into_inner(), revalidate())
}

fn asset(file: &str, caching: CacheControl) -> HttpResponse {
    match utoipa_swagger_ui::serve(file, Arc::new(Config::default())) {
        Ok(Some(found)) if file != "swagger-initializer.js" => HttpResponse::Ok()
            .content_type(found.content_type)
            .insert_header(caching)
            .body(found.bytes.into_owned()),
        _ => not_found(),
    }
}

fn not_found() -> HttpResponse {
    crate::problem::problem_response(
        StatusCode::NOT_FOUND,
        "resource.not_found",
        "no such resource; the API is documented at /docs".to_owned(),
        Vec::new(),
    )
}

fn dist_file(file: &str) -> Option<Vec<u8>> {
    utoipa_swagger_ui::serve(file, Arc::new(Config::default()))
        .ok()
        .flatten()
        .map(|found| found.bytes.into_owned())
}

/// The first 16 hex digits of the SHA-256 of the assets: a new Swagger UI, a new path.
pub fn assets_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hasher = Sha256::new();
        for asset in ASSETS {
            hasher.update(asset.as_bytes());
            hasher.update(dist_file(asset).unwrap_or_default());
        }
        hex::encode(hasher.finalize())[..16].to_owned()
    })
}

fn immutable() -> CacheControl {
    CacheControl(vec![
        CacheDirective::Public,
        CacheDirective::MaxAge(IMMUTABLE_SECONDS),
        CacheDirective::Extension("immutable".to_owned(), None),
    ])
}

fn revalidate() -> CacheControl {
    CacheControl(vec![CacheDirective::NoCache])
}
