//! All-or-nothing publication of a run's folder.
//!
//! A run writes into a staging folder beside the target (`<out>/.<name>.tmp-<pid>`). Publishing
//! renames it into place; when the target already exists the two are swapped atomically
//! (`renameat2(RENAME_EXCHANGE)` on Linux) and the old one removed afterwards, so at every instant
//! the target name holds either the complete old folder or the complete new one.

use std::path::{Path, PathBuf};

use crate::error::PipelineError;

/// A fresh, empty staging folder for `target` (a stale one left by the same pid is removed).
pub fn staging_for(target: &Path) -> Result<PathBuf, PipelineError> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(PipelineError::io(parent))?;
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(PipelineError::io(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(PipelineError::io(&tmp))?;
    Ok(tmp)
}

/// Moves `staging` to `target`, replacing a previous `target` atomically.
pub fn publish(staging: &Path, target: &Path) -> Result<(), PipelineError> {
    let fail =
        |source| PipelineError::Publish { from: staging.to_path_buf(), to: target.to_path_buf(), source };
    if !target.exists() {
        return std::fs::rename(staging, target).map_err(fail);
    }
    exchange(staging, target).map_err(fail)?;
    // `staging` now holds the previous version.
    std::fs::remove_dir_all(staging).map_err(PipelineError::io(staging))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them like rename(2).
    let rc = unsafe {
        libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Elsewhere: move the old folder aside, then the new one in (a short window without `target`).
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("2026-10");
        for (round, file) in [(1, "a.txt"), (2, "b.txt")] {
            let s = staging_for(&target).expect("staging");
            std::fs::write(s.join(file), format!("{round}")).expect("write");
            publish(&s, &target).expect("publish");
            assert!(!s.exists(), "staging folder left behind");
        }
        assert!(target.join("b.txt").exists());
        assert!(!target.join("a.txt").exists(), "files of the previous run must not survive");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).expect("ls").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("2026-10")]);
    }
}
