//! A real browser for the tests that need one: headless Chromium.

use std::path::PathBuf;

/// Chromium, if installed: `CHROMIUM`, else `chromium` or `chromium-browser` on the PATH. CI
/// installs it (`.ci/run`) and must not skip; elsewhere the browser tests are skipped without
/// it.
pub fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("CHROMIUM").map(PathBuf::from).or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium for the browser test: .ci/run installs it (apt-get install chromium)"
        );
        eprintln!("skipped: no Chromium here (set CHROMIUM or install chromium)");
    }
    found
}
