//! What each metric means, for the `# HELP` line a Prometheus user reads beside it, and the
//! build the process runs, as `casetrail_build_info`.

use super::log::DROPPED_METRIC;

/// Every metric the service records, with its meaning. A metric recorded without a line here
/// is exported without help (a test of `/metrics` fails on it).
const METRICS: [(Kind, &str, &str); 14] = [
    (
        Kind::Counter,
        "http_requests_total",
        "HTTP requests answered, by method, route template and status.",
    ),
    (
        Kind::Histogram,
        "http_request_duration_seconds",
        "Time to answer an HTTP request, by method, route template and status.",
    ),
    (
        Kind::Counter,
        "http_handler_panics_total",
        "Requests whose handler panicked (answered 500; the process goes on).",
    ),
    (
        Kind::Counter,
        "as_of_reads_refused_total",
        "Reads as_of a past instant refused because the user had too many under way.",
    ),
    (
        Kind::Gauge,
        "casetrail_projection_lag_events",
        "Events of the log the read models had not yet applied when the metrics were read.",
    ),
    (
        Kind::Counter,
        "casetrail_webhook_attempts_total",
        "Webhook delivery attempts, by outcome.",
    ),
    (
        Kind::Counter,
        DROPPED_METRIC,
        "Log lines dropped because the writer of standard error fell behind.",
    ),
    (
        Kind::Counter,
        "casetrail_events_appended_total",
        "Events committed to the log by this process.",
    ),
    (
        Kind::Histogram,
        "casetrail_append_batch_appends",
        "Appends (commands) committed together in one transaction of the event store's writer.",
    ),
    (
        Kind::Histogram,
        "casetrail_append_batch_seconds",
        "Time to commit one batch of appends, from the writer taking it to the commit.",
    ),
    (
        Kind::Counter,
        "casetrail_append_batches_failed_total",
        "Batches of appends that failed; none of their appends was acknowledged.",
    ),
    (
        Kind::Gauge,
        "casetrail_db_connections",
        "Connections of the event store's read pool, by state (idle, in_use).",
    ),
    (
        Kind::Gauge,
        "casetrail_access_log_queue_records",
        "Reads queued for the access log and not yet taken by its writer.",
    ),
    (
        Kind::Gauge,
        "casetrail_build_info",
        "Always 1; its labels name the release and the commit this process runs.",
    ),
];

#[derive(Clone, Copy)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// Describes every metric to the installed recorder and records the build.
pub(super) fn describe() {
    for (kind, name, help) in METRICS {
        match kind {
            Kind::Counter => metrics::describe_counter!(name, help),
            Kind::Gauge => metrics::describe_gauge!(name, help),
            Kind::Histogram => metrics::describe_histogram!(name, help),
        }
    }
    process_collector().describe();
    metrics::gauge!(
        "casetrail_build_info",
        "version" => env!("CARGO_PKG_VERSION"),
        "commit" => env!("CASETRAIL_COMMIT"),
    )
    .set(1.0);
}

/// The process's own metrics (`process_resident_memory_bytes`, `process_cpu_seconds_total`,
/// `process_open_fds`, `process_threads`, …), described with their help by the collector.
fn process_collector() -> &'static metrics_process::Collector {
    static COLLECTOR: std::sync::OnceLock<metrics_process::Collector> = std::sync::OnceLock::new();
    COLLECTOR.get_or_init(metrics_process::Collector::default)
}

/// Reads the process's metrics now, for a scrape.
pub fn collect_process_metrics() {
    process_collector().collect();
}
