//! The request id and path of the request being handled, available to code that has no
//! access to the request (error rendering), through a task-local set by the telemetry
//! middleware.

use std::future::Future;

/// What is known about the current request.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The request id (`x-request-id`).
    pub request_id: String,
    /// The request path, without the query string (which may carry filters, never needed in
    /// an error).
    pub path: String,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// Runs `fut` with `context` as the current request.
pub async fn scope<F: Future>(context: RequestContext, fut: F) -> F::Output {
    CONTEXT.scope(context, fut).await
}

/// The current request's context (empty outside a request).
pub fn current() -> RequestContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}
