//! A process's memory as Linux reports it, for the benches and tests that measure it.

/// A field of `/proc/<pid>/status` given in KiB (`VmRSS`, resident memory; `VmHWM`, its peak),
/// for process `pid` or, with `None`, this one; `None` where the system keeps no such file.
pub fn status_kib(pid: Option<u32>, field: &str) -> Option<u64> {
    let path = pid.map_or_else(
        || "/proc/self/status".to_owned(),
        |pid| format!("/proc/{pid}/status"),
    );
    let status = std::fs::read_to_string(path).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// This process's resident memory in KiB (`VmRSS`).
pub fn resident_kib() -> Option<u64> {
    status_kib(None, "VmRSS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_this_process_and_another_by_pid() {
        let resident = resident_kib().expect("VmRSS on Linux");
        assert!(resident > 0);
        let peak = status_kib(Some(std::process::id()), "VmHWM").expect("VmHWM on Linux");
        assert!(
            peak >= resident / 2,
            "{peak} KiB peak, {resident} KiB resident"
        );
        // A field is matched whole: `VmRSS` is not `VmRS`.
        assert_eq!(status_kib(None, "VmRS"), None);
        assert_eq!(status_kib(Some(u32::MAX), "VmRSS"), None);
    }
}
