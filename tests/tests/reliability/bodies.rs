//! Oversized and pathological bodies: refused with a clear problem+json, without the server
//! reading (or holding) more than the documented limit, and without harm to later requests.
//!
//! The oversized bodies go over a raw socket, so the test can offer far more than any server
//! should take and count how much was taken before the refusal came back.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

/// What each oversized request offers: far beyond memory a server could spare per request.
const OFFERED: u64 = 1 << 30;
/// What the server may have taken before refusing: the 64 KiB limit plus the kernel's socket
/// buffers on loopback (a few MiB), never the body.
const TAKEN_AT_MOST: u64 = 32 << 20;

/// How an oversized body is framed.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length` announces it.
    Declared,
    /// `Transfer-Encoding: chunked`, so its size is known only by reading it.
    Chunked,
}

/// The answer to an oversized request and how many body bytes got out before it.
#[derive(Debug)]
struct Refusal {
    status: u16,
    content_type: String,
    body: Value,
    sent: u64,
}

/// Streams up to [`OFFERED`] bytes until the server answers, then returns the answer.
async fn offer(app: &TestApp, path: &str, token: &str, framing: Framing) -> Refusal {
    let host = app.address.trim_start_matches("http://").to_owned();
    let (reader, mut writer) = TcpStream::connect(&host).await.unwrap().into_split();
    let length = match framing {
        Framing::Declared => format!("content-length: {OFFERED}"),
        Framing::Chunked => "transfer-encoding: chunked".to_owned(),
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\n{length}\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let piece = vec![b' '; 64 * 1024];
    let piece = match framing {
        Framing::Declared => piece,
        Framing::Chunked => [format!("{:x}\r\n", piece.len()).as_bytes(), &piece, b"\r\n"].concat(),
    };
    let mut response = tokio::spawn(read_response(reader));
    let (mut sent, mut open) = (0, true);
    let raw = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            tokio::select! {
                raw = &mut response => break raw.unwrap(),
                written = writer.write_all(&piece), if open && sent < OFFERED => match written {
                    Ok(()) => sent += 64 * 1024,
                    // The server closed the connection: its answer is on the way or already in.
                    Err(_) => open = false,
                },
            }
        }
    })
    .await
    .expect("an oversized body must be answered, not read to the end");
    parse(&raw, sent)
}

/// Reads one response: the head, then as many bytes as its content-length says.
async fn read_response(mut reader: OwnedReadHalf) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if raw.len() >= end + 4 + length {
                return raw;
            }
        }
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => return raw,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
        }
    }
}

fn parse(raw: &[u8], sent: u64) -> Refusal {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    Refusal {
        status,
        content_type,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        sent,
    }
}

fn assert_refused_as_too_large(refusal: &Refusal, what: &str) {
    assert_eq!(refusal.status, 413, "{what}: {refusal:?}");
    assert_eq!(refusal.content_type, "application/problem+json", "{what}");
    assert_eq!(refusal.body["code"], "body.too_large", "{what}");
    assert!(
        refusal.sent < TAKEN_AT_MOST,
        "{what}: {} bytes went in before the refusal",
        refusal.sent
    );
}

/// A request whose gzip body is small on the wire and 16 MiB once inflated.
async fn gzip_bomb(app: &TestApp, token: &str) -> reqwest::Response {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(br#"{"summary": ""#).unwrap();
    encoder.write_all(&vec![b'x'; 16 << 20]).unwrap();
    encoder.write_all(br#""}"#).unwrap();
    let compressed = encoder.finish().unwrap();
    assert!(
        compressed.len() < 64 * 1024,
        "the bomb itself is under the limit"
    );
    app.client
        .post(format!("{}/v1/cases/notifications", app.address))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(compressed)
        .send()
        .await
        .unwrap()
}

both_backends!(
    oversized_bodies_are_refused_before_they_are_read,
    |app: TestApp| async move {
        let before = app.log_length().await;
        let notifier = app.notifier();
        let admin = app.token("southend-council", &[Role::Admin]);
        let routes = [
            ("/v1/cases/notifications", &notifier),
            ("/v1/partnership/settings", &admin),
        ];
        // Several floods at once: what the server holds must not add up with them.
        let app = &app;
        let floods = routes.iter().flat_map(|&(path, token)| {
            [Framing::Declared, Framing::Chunked, Framing::Chunked].map(move |framing| async move {
                (path, framing, offer(app, path, token, framing).await)
            })
        });
        for (path, framing, refusal) in join_all(floods).await {
            assert_refused_as_too_large(&refusal, &format!("{framing:?} to {path}"));
        }
        problem(
            gzip_bomb(app, &notifier).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body.too_large",
        )
        .await;

        assert_eq!(app.log_length().await, before);
        let response = app.notify(&notification()).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "the server still serves"
        );
    }
);

/// Bodies under the size limit that are built to hurt a parser: each gets its own 4xx.
fn pathological_bodies() -> Vec<(&'static str, String, StatusCode, &'static str)> {
    let depth = 30_000;
    let nested_arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let nested_objects = format!("{}1{}", r#"{"child":"#.repeat(5_000), "}".repeat(5_000));
    let zeros = format!("[{}0]", "0,".repeat(20_000));
    let keys: serde_json::Map<String, Value> =
        (0..3_000).map(|n| (format!("k{n}"), json!(n))).collect();
    let mut long_value = notification();
    long_value["child"]["looked_after"] = json!("x".repeat(60_000));
    let bad = StatusCode::BAD_REQUEST;
    vec![
        (
            "30,000 nested arrays",
            nested_arrays,
            bad,
            "body.malformed_json",
        ),
        (
            "5,000 nested objects",
            nested_objects,
            bad,
            "body.malformed_json",
        ),
        ("20,000 numbers", zeros, bad, "body.invalid"),
        (
            "3,000 unknown fields",
            Value::Object(keys).to_string(),
            bad,
            "body.invalid",
        ),
        (
            "a 60,000 character flag",
            long_value.to_string(),
            bad,
            "body.invalid",
        ),
    ]
}

both_backends!(
    pathological_json_gets_a_clear_problem,
    |app: TestApp| async move {
        let before = app.log_length().await;
        let notifier = app.notifier();
        let bodies = pathological_bodies();
        // Each body four times at once, so parsing them overlaps.
        let sent = bodies
            .iter()
            .cycle()
            .take(bodies.len() * 4)
            .map(|(what, body, ..)| {
                let request = app
                    .client
                    .post(format!("{}/v1/cases/notifications", app.address))
                    .bearer_auth(&notifier)
                    .header("content-type", "application/json")
                    .body(body.clone());
                async move { (*what, request.send().await.unwrap()) }
            });
        for (what, response) in join_all(sent).await {
            let (_, _, status, code) = bodies.iter().find(|b| b.0 == what).unwrap();
            assert_eq!(response.status(), *status, "{what}");
            let body = problem(response, *status, code).await;
            assert!(
                body.to_string().len() < 1_000,
                "{what}: the input is echoed"
            );
        }
        assert_eq!(app.log_length().await, before);
        assert_eq!(
            app.notify(&notification()).await.status(),
            StatusCode::CREATED
        );
    }
);

both_backends!(
    a_nul_character_is_a_client_error,
    |app: TestApp| async move {
        // Known to fail: a NUL character in a field stored in clear (the child's reference, a
        // Panel reference) reaches the store, which refuses it, and the client gets 500.
        let before = app.log_length().await;
        let mut body = notification();
        body["child"]["reference"] = json!("SBC-2022\u{0}-0412");
        let response = app.notify(&body).await;
        assert!(
            [StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY]
                .contains(&response.status()),
            "NotifyIncident: {}",
            response.status()
        );
        let case_id = app.notify_ok().await;
        let panel = json!({"panel_reference": "CSPRP\u{0}-1", "submitted_on": "2022-12-29"});
        let response = app
            .post(
                &format!("/v1/cases/{case_id}/panel-notification"),
                &app.notifier(),
                &panel,
            )
            .await;
        assert!(
            [StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY]
                .contains(&response.status()),
            "RecordPanelNotification: {}",
            response.status()
        );
        assert_eq!(app.log_length().await, before + 1);
    }
);
