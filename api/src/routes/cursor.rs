//! Opaque list cursors: base64url of a versioned prefix of the list's own and a payload. A
//! cursor given by one list is refused by another, and a format can change (a new prefix)
//! without old cursors being misread.

use crate::problem::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The cursor of `payload` for the list whose cursors start with `prefix` (e.g. `c1`).
pub fn encode(prefix: &str, payload: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(format!("{prefix}:{payload}"))
}

/// The payload of a cursor this list gave.
pub fn decode(prefix: &str, cursor: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| Some(text.strip_prefix(prefix)?.strip_prefix(':')?.to_owned()))
        .ok_or_else(invalid)
}

/// The prefix and payload of any cursor this API gave: for a list whose cursors differ by
/// their sort, to tell a cursor of another sort (which names it) from one never given.
pub fn decode_any(cursor: &str) -> Result<(String, String), ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (prefix, payload) = text.split_once(':')?;
            Some((prefix.to_owned(), payload.to_owned()))
        })
        .ok_or_else(invalid)
}

/// The position or id a cursor of this list carries.
pub fn decode_number(prefix: &str, cursor: &str) -> Result<u64, ApiError> {
    decode(prefix, cursor)?.parse().map_err(|_| invalid())
}

/// 400 for a cursor this API did not give (or gave for another list).
pub fn invalid() -> ApiError {
    ApiError::invalid_parameter(
        "cursor",
        "query.invalid_cursor",
        "the cursor is not one this API gave",
    )
}

/// 400 for a cursor given by this list in another order: it marks a place in that order only.
pub fn of_another_sort(given_for: &str) -> ApiError {
    ApiError::invalid_parameter(
        "cursor",
        "query.invalid_cursor",
        format!(
            "the cursor was given for sort={given_for}: send it with that sort, or leave it out \
             to start the list again"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_only_in_its_own_list() {
        let cursor = encode("a1", 42);
        assert_eq!(decode_number("a1", &cursor).ok(), Some(42));
        assert!(decode_number("c1", &cursor).is_err());
        assert!(decode_number("a", &cursor).is_err());
        assert!(decode_number("a1", "not base64!").is_err());
        assert!(decode_number("a1", &encode("a1", "x")).is_err());
    }
}
