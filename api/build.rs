//! Records the commit the binary is built from, for `casetrail --version`: `CASETRAIL_COMMIT`
//! when the build sets it (a container build without `.git`), else `git rev-parse`, else
//! "unknown commit".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CASETRAIL_COMMIT");
    // A new commit changes HEAD or the branch it names. Only paths that exist: cargo runs the
    // script again on every build for one that does not, and rebuilds the crate after it.
    for watched in ["../.git/HEAD", "../.git/refs/heads", "../.git/packed-refs"] {
        if std::path::Path::new(watched).exists() {
            println!("cargo:rerun-if-changed={watched}");
        }
    }
    let commit = std::env::var("CASETRAIL_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo:rustc-env=CASETRAIL_COMMIT={commit}");
}

fn git_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    // Uncommitted changes are not told: the script does not run again when only they change.
    (output.status.success() && !commit.is_empty()).then_some(commit)
}
