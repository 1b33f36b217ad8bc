//! Files that must be readable by the service's user only: the database and its write-ahead
//! log, the key-encryption keys and the JWT secret. Created with mode 0600; `serve` refuses to
//! start, naming the file, when one of them is readable or writable by anyone else.

use anyhow::{Context, bail};
use std::path::Path;

/// Creates a new file readable and writable by its owner only, with `bytes`, flushed to disk.
pub fn create_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // A directory made here is its owner's only; an existing one is left as it is.
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// Refuses a file that users other than its owner may read or write.
pub fn require_private(path: &Path, setting: &str) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("cannot read {} ({setting})", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "{} ({setting}) is accessible to other users (mode {:o}); \
                 it holds secrets or personal data: run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (path, setting);
    Ok(())
}

/// Checks the SQLite database file and the write-ahead log and shared-memory files beside it,
/// those that exist.
pub fn require_private_database(database_url: &str) -> anyhow::Result<()> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{path}{suffix}");
        if Path::new(&file).exists() {
            require_private(Path::new(&file), "DATABASE_URL")?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_files_are_created_0600_and_others_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/secret");
        create_private(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700, "a directory made for secrets");
        require_private(&path, "SETTING").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = require_private(&path, "SETTING").unwrap_err().to_string();
        assert!(err.contains("secret") && err.contains("SETTING") && err.contains("640"));
        assert!(create_private(&path, b"y").is_err(), "never overwrites");
    }

    #[test]
    fn the_database_and_its_wal_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        create_private(&db, b"").unwrap();
        let url = format!("sqlite://{}", db.display());
        require_private_database(&url).unwrap();
        std::fs::write(dir.path().join("c.db-wal"), b"").unwrap();
        std::fs::set_permissions(
            dir.path().join("c.db-wal"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let err = require_private_database(&url).unwrap_err().to_string();
        assert!(err.contains("c.db-wal"), "{err}");
        require_private_database("postgres://x/y").unwrap();
    }
}
