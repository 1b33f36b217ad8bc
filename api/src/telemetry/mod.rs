//! Request telemetry: a request id for every request, one structured log line per request, and
//! Prometheus metrics. Log lines carry the route pattern, never the query or body, and the
//! user's and organisation's ids, never anything about a child or adult.

mod log;

pub use log::LogGuard;

use crate::request_context::{self, RequestContext};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use casetrail_domain::Actor;
use futures::FutureExt;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;
use std::time::Instant;
use tracing::Instrument;

/// The request id header, read from the client when well-formed and always answered.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Installs the process-wide metrics recorder once and returns its handle.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ])
                .unwrap_or_else(|_| PrometheusBuilder::new());
            match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is already installed (embedding): keep a private one.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}

/// Sets up structured logging: JSON lines by default, human-readable with `text`. Lines are
/// written to standard error by a thread of their own (`log`). Keep the guard until exit:
/// dropping it writes what is queued.
pub fn init_logging(format: crate::config::LogFormat) -> LogGuard {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("CASETRAIL_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    let result = match log::start(format) {
        Some(sink) => install(format, filter, sink),
        None => install(format, filter, std::io::stderr),
    };
    // Already initialised (tests start several apps in one process): keep the first.
    drop(result);
    LogGuard::new()
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

fn request_id_from(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
}

/// The middleware, for `App::wrap_fn`. It calls the inner service before returning, so the
/// future it returns does not borrow the service.
pub fn middleware<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, Error>> + use<S, B>
where
    S: actix_web::dev::Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    let started = Instant::now();
    let request_id = request_id_from(&req);
    let context = RequestContext {
        request_id: request_id.clone(),
        path: req.path().to_owned(),
    };
    let method = req.method().clone();
    let span = tracing::info_span!("request", request_id = %request_id);
    let call = srv.call(req);
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
                span.in_scope(|| {
                    tracing::error!(method = method.as_str(), "request handler panicked")
                });
                metrics::counter!("http_handler_panics_total").increment(1);
                return Err(PanicError { request_id, path }.into());
            }
        };
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
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
            ("method", method.to_string()),
            ("route", route.clone()),
            ("status", status.to_string()),
        ];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
        log::request(
            log::RequestLine {
                at: std::time::SystemTime::now(),
                request_id,
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
        if let Ok(value) = HeaderValue::from_str(&self.request_id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
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
            Ok(response) => response.into_parts().1,
            Err(err) => err.error_response(),
        };
        assert_eq!(response.status(), 500);
        assert_eq!(response.headers().get("x-request-id").unwrap(), "req-1");
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["code"], "internal");
        assert_eq!(problem["request_id"], "req-1");
        assert_eq!(problem["instance"], "/boom");
        assert!(!problem.to_string().contains("handler bug"));

        let fine =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(fine.status(), 200);
        assert!(fine.headers().contains_key("x-request-id"));
    }
}
