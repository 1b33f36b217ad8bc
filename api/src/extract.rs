//! Request extraction that answers in problem+json: JSON bodies (with the hash used for
//! idempotency), query strings, `If-Match`, `Idempotency-Key`, and the configuration of actix's
//! own extractors so their failures look like every other error. A body or query string that
//! does not parse is refused naming every field or parameter at fault, not only the first.

use crate::problem::ApiError;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use casetrail_app::{Expectations, Idempotency};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// Largest request body accepted, in bytes (documented in the README and OpenAPI).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest Idempotency-Key accepted.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// A JSON command body: the typed value and the SHA-256 of the request, for idempotency.
#[derive(Debug)]
pub struct JsonBody<T> {
    /// The parsed body.
    pub value: T,
    /// Hash of method, path and canonical body.
    pub request_hash: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = json_content_type(req);
        let method_and_path = format!("{} {}", req.method(), req.path());
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            content_type?;
            let bytes = bytes.await.map_err(|err| {
                match err.as_error::<actix_web::error::PayloadError>() {
                    Some(payload) => payload_error(payload).into(),
                    None => err,
                }
            })?;
            let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|err| {
                ApiError::bad_request("body.malformed_json", format!("malformed JSON: {err}"))
            })?;
            // Text with NUL characters cannot be stored (PostgreSQL refuses them in JSON);
            // it is refused here, naming where, instead of failing at the store.
            let nuls = nuls_at(&json, &mut String::new());
            if let Some(refusal) = ApiError::all_of(nuls) {
                return Err(refusal.into());
            }
            let request_hash = hash_request(&method_and_path, &json);
            let value = match serde_path_to_error::deserialize(&json) {
                Ok(value) => value,
                Err(first) => {
                    // Every field at fault at once: those that do not fit the command, and
                    // the texts that break the text rules, so a form can mark them all.
                    let mut fields = crate::body_errors::every_fault::<T>(&json, first);
                    if let Err(ApiError::Client { errors, .. }) =
                        crate::validation::check_body(&json)
                    {
                        let more: Vec<_> = errors
                            .into_iter()
                            .filter(|text| fields.iter().all(|shape| shape.field != text.field))
                            .collect();
                        fields.extend(more);
                    }
                    let details = fields.iter().map(|f| f.message.clone()).collect();
                    return Err(ApiError::fields(
                        StatusCode::BAD_REQUEST,
                        "body.invalid",
                        fields,
                        details,
                    )
                    .into());
                }
            };
            crate::validation::check_body(&json)?;
            Ok(JsonBody {
                value,
                request_hash,
            })
        })
    }
}

/// `application/json`, with no charset or UTF-8 (RFC 8259 allows no other): a body declared in
/// another charset would be read as UTF-8 all the same, and mean something else than was sent.
fn json_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    let value = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "body.unsupported_media_type",
            "the body must be application/json",
        ));
    }
    for parameter in parts {
        let (name, charset) = parameter.split_once('=').unwrap_or((parameter, ""));
        if !name.trim().eq_ignore_ascii_case("charset") {
            continue;
        }
        let charset = charset.trim().trim_matches('"');
        if !(charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")) {
            return Err(ApiError::client(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "body.unsupported_charset",
                "the body must be UTF-8 (charset=utf-8 or no charset)",
            ));
        }
    }
    Ok(())
}

/// A 422 for each key or text in the body that contains a NUL character, naming its path.
fn nuls_at(value: &serde_json::Value, path: &mut String) -> Vec<ApiError> {
    use serde_json::Value;
    let refusal = |path: &str| {
        ApiError::invalid_field(
            path,
            "body.nul_character",
            format!("{path}: text must not contain NUL characters"),
        )
    };
    match value {
        Value::String(text) if text.contains('\0') => vec![refusal(path)],
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, value)| {
                let before = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let found = if key.contains('\0') {
                    vec![refusal(path)]
                } else {
                    nuls_at(value, path)
                };
                path.truncate(before);
                found
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(n, item)| {
                let before = path.len();
                path.push_str(&format!("[{n}]"));
                let found = nuls_at(item, path);
                path.truncate(before);
                found
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn hash_request(method_and_path: &str, body: &serde_json::Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method_and_path.as_bytes());
    hasher.update(b"\n");
    hasher.update(casetrail_store::canonical_json(body).as_bytes());
    hex::encode(hasher.finalize())
}

/// Removes the offending value from serde's messages ("invalid type: string \"Alex\",
/// expected ..."): the value may be personal data, and error messages never carry any.
pub(crate) fn scrub(message: &str) -> String {
    for prefix in ["invalid type", "invalid value", "invalid length"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match rest.find(", expected") {
                Some(at) => format!("{prefix}{}", &rest[at..]),
                None => prefix.to_owned(),
            };
        }
    }
    if message.starts_with("unknown variant") {
        return match message.find(", expected") {
            Some(at) => format!("unknown variant{}", &message[at..]),
            None => "unknown variant".to_owned(),
        };
    }
    // Date and time parse errors ("input contains invalid characters") carry no value.
    message.to_owned()
}

/// The `If-Match` version, if sent: `"<version>"`. A malformed value can never match, and
/// neither can a weak tag (`W/"…"`): `If-Match` compares strongly (RFC 9110 13.1.1), and the
/// only weak tags this API gives are body validators (`conditional`), never versions.
pub fn if_match(req: &HttpRequest) -> Result<Option<u64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|v| !v.starts_with("W/"))
        .map(|v| v.trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::client(
                StatusCode::PRECONDITION_FAILED,
                "version.precondition_failed",
                "If-Match must be a case version as given in the ETag, e.g. \"3\" (never a weak \
                 W/ validator of a body)",
            )
        })
}

/// The `Idempotency-Key`, if sent, with the request's hash.
pub fn idempotency(req: &HttpRequest, request_hash: &str) -> Result<Option<Idempotency>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&k.len()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "idempotency.invalid_key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(Idempotency {
        key: key.to_owned(),
        request_hash: request_hash.to_owned(),
    }))
}

/// A query string parsed into `T` (whose fields are the parameters): when it does not parse,
/// 400 `query.invalid` naming every parameter at fault in `errors[].parameter`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    /// The parsed parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            parse_query(req.query_string())
                .map(Query)
                .map_err(Into::into),
        )
    }
}

/// Parses a query string; when it fails, tries each parameter alone to name every one that is
/// malformed or unknown (a parameter alone lacks the others, so "missing" says nothing of it).
fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let whole_error = match serde_urlencoded::from_str::<T>(query) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    for (name, value) in &pairs {
        if !seen.insert(name.as_str()) {
            errors.push(ApiError::invalid_parameter(
                name,
                "query.invalid",
                format!("{name} is given more than once"),
            ));
            continue;
        }
        let alone = serde_urlencoded::to_string([(name, value)]).unwrap_or_default();
        if let Err(err) = serde_urlencoded::from_str::<T>(&alone) {
            let message = err.to_string();
            if !message.starts_with("missing field") {
                let message = scrub(&message);
                errors.push(ApiError::invalid_parameter(
                    name,
                    "query.invalid",
                    format!("{name}: {message}"),
                ));
            }
        }
    }
    Err(ApiError::all_of(errors)
        .unwrap_or_else(|| ApiError::bad_request("query.invalid", scrub(&whole_error.to_string()))))
}

/// Makes actix's path, query and payload extractors answer in problem+json.
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .app_data(web::PathConfig::default().error_handler(|_, _| {
            // A malformed id names nothing: the same answer as an unknown one.
            ApiError::client(
                StatusCode::NOT_FOUND,
                "resource.not_found",
                "no such resource",
            )
            .into()
        }))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            ApiError::bad_request("query.invalid", scrub(&err.to_string())).into()
        }));
}

/// Maps a payload error (too large, broken stream) to problem+json.
pub fn payload_error(err: &actix_web::error::PayloadError) -> ApiError {
    match err {
        actix_web::error::PayloadError::Overflow => ApiError::client(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body.too_large",
            format!("the body must be at most {MAX_BODY_BYTES} bytes"),
        ),
        _ => ApiError::bad_request("body.unreadable", "the request body could not be read"),
    }
}

/// What a command request expects of the stream (`If-Match`), its `Idempotency-Key` and the
/// request id, as the command bus takes them.
pub fn expectations(req: &HttpRequest, request_hash: &str) -> Result<Expectations, ApiError> {
    Ok(Expectations {
        if_match: if_match(req)?,
        idempotency: idempotency(req, request_hash)?,
        request_id: crate::request_context::current().request_id,
        data_key: None,
    })
}
