//! `casetrail health`: asks a running server's readiness probe (`GET /health/ready`) and says
//! whether it is ready, for a container's `HEALTHCHECK` or a script. The container images have
//! no shell tools to do it with (the Dockerfile's old check opened a TCP connection with bash's
//! `/dev/tcp` under dash, which always failed, so the container was never healthy).
//!
//! One plain HTTP/1.1 request over a TCP connection to the server's own listener: the probe is
//! for the machine the server runs on, which needs neither TLS nor a client library.

use serde::Serialize;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// What the probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Probe {
    /// The server answered 200: the database answers and the read models have caught up.
    Ready,
    /// The server answered, with another status (503 while it catches up with the log).
    NotReady {
        /// The HTTP status it answered with.
        http_status: u16,
    },
    /// No answer: nothing listens there, or it did not answer in time.
    Unreachable {
        /// Why, for the operator.
        error: String,
    },
}

impl Probe {
    /// The exit status a health check expects: 0 when ready, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Probe::Ready => 0,
            Probe::NotReady { .. } | Probe::Unreachable { .. } => 1,
        }
    }
}

/// Asks the server listening at `bind` (its `--bind` / `CASETRAIL_BIND`; an unspecified address
/// such as `0.0.0.0:8080` is asked on the loopback) within `timeout` in all.
pub fn probe(bind: &str, timeout: Duration) -> Probe {
    match ask(bind, timeout) {
        Ok(200) => Probe::Ready,
        Ok(http_status) => Probe::NotReady { http_status },
        Err(error) => Probe::Unreachable { error },
    }
}

fn ask(bind: &str, timeout: Duration) -> Result<u16, String> {
    let started = Instant::now();
    let address = address(bind)?;
    let left = || {
        timeout
            .checked_sub(started.elapsed())
            .filter(|left| !left.is_zero())
            .ok_or_else(|| format!("no answer from {address} within {timeout:?}"))
    };
    let mut stream = TcpStream::connect_timeout(&address, left()?)
        .map_err(|err| format!("cannot connect to {address}: {err}"))?;
    stream
        .set_write_timeout(Some(left()?))
        .map_err(|err| err.to_string())?;
    let request = format!(
        "GET /health/ready HTTP/1.1\r\nHost: {address}\r\nUser-Agent: casetrail-health\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|err| format!("cannot ask {address}: {err}"))?;
    // Only the status line is needed; the answer is small, but a server that sends no end
    // must not keep the check waiting.
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    while !answer.contains(&b'\n') && answer.len() < 8192 {
        stream
            .set_read_timeout(Some(left()?))
            .map_err(|err| err.to_string())?;
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
            Err(err) => return Err(format!("no answer from {address}: {err}")),
        }
    }
    status(&answer).ok_or_else(|| format!("{address} did not answer in HTTP"))
}

/// The address to connect to for a listener bound to `bind`.
fn address(bind: &str) -> Result<SocketAddr, String> {
    let mut address = bind
        .to_socket_addrs()
        .map_err(|err| format!("cannot read the address {bind:?}: {err}"))?
        .next()
        .ok_or_else(|| format!("the address {bind:?} names no host"))?;
    if address.ip().is_unspecified() {
        address.set_ip(match address.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    Ok(address)
}

/// The status code of an HTTP/1.x answer's status line.
fn status(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    parts
        .next()
        .filter(|version| version.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_unspecified_address_is_asked_on_the_loopback() {
        assert_eq!(
            address("0.0.0.0:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(address("[::]:8080").unwrap(), "[::1]:8080".parse().unwrap());
        assert_eq!(
            address("127.0.0.2:9000").unwrap(),
            "127.0.0.2:9000".parse().unwrap()
        );
        assert!(address("no port").is_err());
    }

    #[test]
    fn the_status_is_read_from_the_status_line_only() {
        assert_eq!(status(b"HTTP/1.1 200 OK\r\ncontent-length: 2"), Some(200));
        assert_eq!(status(b"HTTP/1.0 503 Service Unavailable\r\n"), Some(503));
        assert_eq!(status(b"SSH-2.0-OpenSSH_9.2\r\n"), None);
        assert_eq!(status(b"HTTP/1.1 abc\r\n"), None);
        assert_eq!(status(b""), None);
    }

    #[test]
    fn only_ready_exits_zero() {
        assert_eq!(Probe::Ready.exit_code(), 0);
        assert_eq!(Probe::NotReady { http_status: 503 }.exit_code(), 1);
        let nobody = Probe::Unreachable {
            error: String::new(),
        };
        assert_eq!(nobody.exit_code(), 1);
    }

    /// A listener that accepts and never answers: the probe gives up within its time.
    #[test]
    fn a_silent_listener_is_unreachable_within_the_timeout() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let bind = listener.local_addr().unwrap().to_string();
        let started = Instant::now();
        let found = probe(&bind, Duration::from_millis(300));
        assert!(matches!(found, Probe::Unreachable { .. }), "{found:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(listener);
    }
}
