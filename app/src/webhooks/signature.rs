//! Standard Webhooks signatures (https://www.standardwebhooks.com): each message carries
//! `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated
//! list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per secret in use.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of a secret as shown to the subscriber.
pub const SECRET_PREFIX: &str = "whsec_";

/// A secret as the subscriber is given it: `whsec_` and the key in base64.
pub fn secret_text(key: &[u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// One `v1,<signature>` entry.
pub fn sign(key: &[u8], message_id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
        // HMAC takes keys of any length; this cannot happen.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&[0]).expect("a one-byte key")
    });
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header: one entry per key, the newest first.
pub fn signature_header(
    keys: &[[u8; 32]],
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> String {
    keys.iter()
        .map(|key| sign(key, message_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_specifications_example_signs_as_the_reference_libraries_do() {
        // The test vector of the Standard Webhooks reference libraries.
        let key = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signature = sign(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn every_key_signs_and_the_secret_is_shown_with_its_prefix() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let header = signature_header(&[a, b], "1.0", 5, b"{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(
            parts,
            [sign(&a, "1.0", 5, b"{}"), sign(&b, "1.0", 5, b"{}")]
        );
        assert_ne!(parts[0], parts[1]);
        assert_ne!(sign(&a, "1.0", 6, b"{}"), parts[0]);
        assert_ne!(sign(&a, "1.1", 5, b"{}"), parts[0]);
        assert_ne!(sign(&a, "1.0", 5, b"{ }"), parts[0]);
        let text = secret_text(&a);
        assert!(text.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&text[6..]).unwrap(), a);
    }
}
