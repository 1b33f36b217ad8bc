//! Stopping on a signal: SIGTERM (a service manager, Kubernetes, `docker stop`) stops
//! gracefully, finishing the requests under way, writing the read models' snapshot and the
//! queued log lines; SIGINT (Ctrl-C) and SIGQUIT stop at once, dropping open connections,
//! and still close the store after the appends already acknowledged.

use actix_web::dev::ServerHandle;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The stop signals, listened for from the moment this is made: one that arrives before the
/// server runs waits for it, instead of ending the process unannounced.
pub struct StopSignals {
    terminate: Signal,
    interrupt: Signal,
    quit: Signal,
}

impl std::fmt::Debug for StopSignals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StopSignals")
    }
}

impl StopSignals {
    /// Takes the stop signals over from the default (which ends the process at once). Needs a
    /// Tokio runtime.
    pub fn listen() -> std::io::Result<Self> {
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
        })
    }

    /// Stops the server behind `handle` on the first stop signal.
    pub fn stop_server_on_signal(mut self, handle: ServerHandle) {
        actix_web::rt::spawn(async move {
            let graceful = tokio::select! {
                _ = self.terminate.recv() => true,
                _ = self.interrupt.recv() => false,
                _ = self.quit.recv() => false,
            };
            tracing::info!(graceful, "stop signal received");
            handle.stop(graceful).await;
        });
    }
}
