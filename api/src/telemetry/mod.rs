//! Request telemetry: a request id for every request, one structured log line per request, and
//! Prometheus metrics. Log lines carry the route pattern, never the query or body, and the
//! user's and organisation's ids, never anything about a child or adult.

mod described;
mod log;
mod trace_context;

pub use described::collect_process_metrics;
pub use log::{DEFAULT_QUEUE_LINES, LogGuard};

use crate::request_context::{self, RequestContext};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use casetrail_domain::Actor;
use futures::FutureExt;
use futures::future::Either;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;
use std::time::Instant;
use tracing::Instrument;

/// The request id header: always the server's own id in the answer. A client's id sent in it
/// is logged beside ours (`client_request_id`), never used as ours: it could collide with
/// another request's or be chosen to confuse whoever reads the log.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The methods the API answers (every route's method is among them). Any other is refused
/// before routing, and counted under the fixed label `other`: a method is any token a client
/// invents, and each label value is a time series kept for the life of the process.
pub(crate) const KNOWN_METHODS: [Method; 7] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::OPTIONS,
];

/// The `Allow` header of a 405 for an unknown method.
const ALLOW: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/// The method as a metric and log label: one of the known methods, or `other`.
fn method_label(method: &Method) -> &'static str {
    KNOWN_METHODS
        .iter()
        .find(|known| *known == method)
        .map_or("other", Method::as_str)
}

/// Installs the process-wide metrics recorder once and returns its handle.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ])
                // A count of appends, not seconds: buckets up to the writer's largest batch.
                .and_then(|builder| {
                    builder.set_buckets_for_metric(
                        metrics_exporter_prometheus::Matcher::Full(
                            "casetrail_append_batch_appends".to_owned(),
                        ),
                        &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0],
                    )
                })
                .unwrap_or_else(|_| PrometheusBuilder::new());
            match builder.install_recorder() {
                Ok(handle) => {
                    described::describe();
                    handle
                }
                // Another recorder is already installed (embedding): keep a private one.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}

/// Sets up structured logging: JSON lines by default, human-readable with `text`. Lines are
/// written to standard error by a thread of their own (`log`), at most `queue_lines` waiting
/// (more are dropped and counted). Keep the guard until exit: dropping it writes what is queued.
/// A `CASETRAIL_LOG` that is not a filter is refused, naming it, rather than logging at the
/// default level in its place.
pub fn init_logging(
    format: crate::config::LogFormat,
    queue_lines: usize,
) -> anyhow::Result<LogGuard> {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("CASETRAIL_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::try_new(&directives)
            .map_err(|err| anyhow::anyhow!("CASETRAIL_LOG is not a log filter: {err}"))?,
        _ => EnvFilter::new("info,sqlx=warn,actix_server=warn"),
    };
    let result = match log::start(format, queue_lines) {
        Some(sink) => install(format, filter, sink),
        None => install(format, filter, std::io::stderr),
    };
    // Already initialised (tests start several apps in one process): keep the first.
    drop(result);
    Ok(LogGuard::new())
}

fn install<W>(
    format: crate::config::LogFormat,
    filter: tracing_subscriber::EnvFilter,
    writer: W,
) -> Result<(), tracing_subscriber::util::TryInitError>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::util::SubscriberInitExt;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        crate::config::LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .finish()
            .try_init(),
        crate::config::LogFormat::Text => builder.finish().try_init(),
    }
}

/// The client's own request id, when it sent a well-formed one (kept for the log only).
fn client_request_id(req: &ServiceRequest) -> Option<String> {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// Headers every response carries: no content sniffing anywhere, and nothing under `/v1`
/// (all of it about cases, some of it personal details) kept by a browser or proxy cache.
fn secure_headers(headers: &mut HeaderMap, path: &str, request_id: &str) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if path == "/v1" || path.starts_with("/v1/") {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID, value);
    }
}

/// 405 for a method no route answers, before routing.
fn unknown_method() -> actix_web::HttpResponse {
    let mut response = crate::problem::problem_response(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        format!("the method is not supported; use one of {ALLOW}"),
        Vec::new(),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(ALLOW));
    response
}

/// The middleware, for `App::wrap_fn`. It calls the inner service before returning, so the
/// future it returns does not borrow the service.
pub fn middleware<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>> + use<S, B>
where
    S: actix_web::dev::Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    let started = Instant::now();
    let request_id = uuid::Uuid::now_v7().to_string();
    let client_request_id = client_request_id(&req);
    let trace = req
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(trace_context::parse);
    let context = RequestContext {
        request_id: request_id.clone(),
        path: req.path().to_owned(),
    };
    let method = method_label(req.method());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        client_request_id = tracing::field::Empty,
        trace_id = tracing::field::Empty,
        parent_span_id = tracing::field::Empty,
    );
    if let Some(client_id) = &client_request_id {
        span.record("client_request_id", client_id.as_str());
    }
    // Every line logged within the request carries the caller's trace.
    if let Some(trace) = &trace {
        span.record("trace_id", trace.trace_id.as_str());
        span.record("parent_span_id", trace.parent_id.as_str());
    }
    let call = if method == "other" {
        let (request, _) = req.into_parts();
        let response = request_context::scope_sync(context.clone(), unknown_method);
        Either::Left(std::future::ready(Ok(ServiceResponse::new(
            request,
            response.map_into_right_body(),
        ))))
    } else {
        Either::Right(
            srv.call(req)
                .map(|r| r.map(ServiceResponse::map_into_left_body)),
        )
    };
    async move {
        let path = context.path.clone();
        let result = AssertUnwindSafe(request_context::scope(
            context,
            call.instrument(span.clone()),
        ))
        .catch_unwind()
        .await;
        // Handlers and extractors render their errors into responses inside the call, so
        // within the request's context; an `Err` here can only come from the framework itself.
        let mut response = match result {
            Ok(result) => result?,
            Err(_) => {
                span.in_scope(|| tracing::error!(method, "request handler panicked"));
                metrics::counter!("http_handler_panics_total").increment(1);
                return Err(PanicError { request_id, path }.into());
            }
        };
        secure_headers(response.headers_mut(), &path, &request_id);
        let status = response.status().as_u16();
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let (user, org) = response
            .request()
            .extensions()
            .get::<Actor>()
            .map(|a| (a.user.clone(), a.org.to_string()))
            .unwrap_or_default();
        let elapsed = started.elapsed();
        let labels = [
            ("method", method.to_owned()),
            ("route", route.clone()),
            ("status", status.to_string()),
        ];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
        log::request(
            log::RequestLine {
                at: std::time::SystemTime::now(),
                request_id,
                client_request_id,
                trace_id: trace.map(|trace| trace.trace_id),
                method,
                route,
                status,
                latency: elapsed,
                user,
                org,
            },
            &span,
        );
        Ok(response)
    }
}

/// A handler panicked: answered as a 500 problem, with the request id to quote, never with
/// the panic's message.
#[derive(Debug, thiserror::Error)]
#[error("request handler panicked")]
struct PanicError {
    request_id: String,
    path: String,
}

impl actix_web::ResponseError for PanicError {
    fn error_response(&self) -> actix_web::HttpResponse {
        let context = RequestContext {
            request_id: self.request_id.clone(),
            path: self.path.clone(),
        };
        let mut response = crate::problem::problem_response_for(
            context,
            actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; quote the request id to support".to_owned(),
            Vec::new(),
        );
        secure_headers(response.headers_mut(), &self.path, &self.request_id);
        response
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use actix_web::{App, HttpResponse, test, web};

    #[actix_web::test]
    async fn a_panicking_handler_is_a_500_problem_and_the_server_goes_on() {
        let app = test::init_service(
            App::new()
                .wrap_fn(super::middleware)
                .route(
                    "/boom",
                    web::get().to(|| async {
                        #[allow(clippy::panic)]
                        if true {
                            panic!("handler bug");
                        }
                        HttpResponse::Ok().finish()
                    }),
                )
                .route(
                    "/fine",
                    web::get().to(|| async { HttpResponse::Ok().finish() }),
                ),
        )
        .await;
        let request = test::TestRequest::get()
            .uri("/boom")
            .insert_header(("x-request-id", "req-1"))
            .to_request();
        let response = match test::try_call_service(&app, request).await {
            Ok(response) => response.into_parts().1.map_into_boxed_body(),
            Err(err) => err.error_response(),
        };
        assert_eq!(response.status(), 500);
        let request_id = response.headers().get("x-request-id").unwrap().clone();
        // The server's own id, never the client's.
        assert_ne!(request_id, "req-1");
        assert_eq!(
            response.headers().get("x-content-type-options").unwrap(),
            "nosniff"
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["code"], "internal");
        assert_eq!(problem["request_id"], request_id.to_str().unwrap());
        assert_eq!(problem["instance"], "/boom");
        assert!(!problem.to_string().contains("handler bug"));

        let fine =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(fine.status(), 200);
        assert!(fine.headers().contains_key("x-request-id"));
    }
}
