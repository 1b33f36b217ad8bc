//! W3C Trace Context (`traceparent`): a caller that traces its requests (OpenTelemetry) sends
//! its trace id, and every log line of the request carries it, so that the caller's trace and
//! this service's lines can be joined. Only a well-formed header is taken; anything else is
//! ignored, as the specification asks, and never logged.

/// The trace a request belongs to, as its caller stated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TraceParent {
    /// 32 lowercase hex digits, not all zero.
    pub trace_id: String,
    /// The caller's span: 16 lowercase hex digits, not all zero.
    pub parent_id: String,
}

/// Reads a `traceparent` header value (`00-<trace id>-<parent id>-<flags>`). A version other
/// than `00` is read as far as version `00` defines it, as the specification asks of a newer
/// version; version `ff` is invalid.
pub(super) fn parse(value: &str) -> Option<TraceParent> {
    let mut parts = value.trim().splitn(5, '-');
    let version = parts.next()?;
    let trace_id = parts.next()?;
    let parent_id = parts.next()?;
    let flags = parts.next()?;
    let rest = parts.next();
    let hex = |text: &str, len: usize| {
        text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let not_zero = |text: &str| text.bytes().any(|b| b != b'0');
    let known = version == "00";
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace_id, 32)
        && not_zero(trace_id)
        && hex(parent_id, 16)
        && not_zero(parent_id)
        && hex(flags, 2)
        // Version 00 has exactly four fields; a later version may add more.
        && (rest.is_none() || !known);
    valid.then(|| TraceParent {
        trace_id: trace_id.to_owned(),
        parent_id: parent_id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const PARENT: &str = "00f067aa0ba902b7";

    #[test]
    fn a_well_formed_header_gives_its_trace_and_parent() {
        let parsed = parse(&format!("00-{TRACE}-{PARENT}-01")).unwrap();
        assert_eq!(parsed.trace_id, TRACE);
        assert_eq!(parsed.parent_id, PARENT);
        assert!(parse(&format!(" 00-{TRACE}-{PARENT}-00 ")).is_some());
        // A later version is read as far as 00 defines it, fields beyond included.
        assert!(parse(&format!("01-{TRACE}-{PARENT}-01-more")).is_some());
    }

    #[test]
    fn anything_else_is_ignored() {
        let zero_trace = "0".repeat(32);
        let zero_parent = "0".repeat(16);
        for value in [
            String::new(),
            format!("ff-{TRACE}-{PARENT}-01"),
            format!("00-{TRACE}-{PARENT}-01-more"),
            format!("00-{TRACE}-{PARENT}"),
            format!("00-{}-{PARENT}-01", TRACE.to_uppercase()),
            format!("00-{zero_trace}-{PARENT}-01"),
            format!("00-{TRACE}-{zero_parent}-01"),
            format!("00-{}-{PARENT}-01", &TRACE[1..]),
            format!("00-{TRACE}-{}-01", &PARENT[1..]),
            format!("00-{TRACE}-{PARENT}-1"),
            format!("0-{TRACE}-{PARENT}-01"),
            format!("00-{TRACE}x-{PARENT}-01"),
            "00-alex-smith-01".to_owned(),
        ] {
            assert_eq!(parse(&value), None, "{value:?}");
        }
    }
}
