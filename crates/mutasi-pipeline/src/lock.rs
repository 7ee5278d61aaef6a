//! One run per output folder at a time: an exclusive lock (`File::try_lock`, `flock(2)` on
//! Linux) on `<out>/.mutasi.lock`.
//!
//! The kernel releases the lock when its process dies, however it dies, so a lock left by a
//! killed run is never mistaken for a live one; the pid written into the file only names the
//! holder in the message a second run prints (and says when the previous holder is gone).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A held lock; released on drop.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    pub path: PathBuf,
    /// The pid of a previous holder that died without releasing the file (its lock was
    /// released by the kernel).
    pub stale_pid: Option<u32>,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "{path}: run lain (pid {pid}) sedang menulis folder ini / another run (pid {pid}) is writing this folder\n\nhint: tunggu sampai selesai / wait for it to finish"
    )]
    Busy { path: String, pid: String },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

/// Whether process `pid` still exists (Linux: its `/proc` entry). Elsewhere it is assumed alive,
/// so a previous holder is never wrongly called gone.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        pid > 0 && Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Takes the lock of `out` without waiting.
pub fn lock(out: &Path) -> Result<RunLock, LockError> {
    let path = out.join(".mutasi.lock");
    let io = |e: std::io::Error| LockError::Io { path: path.display().to_string(), message: e.to_string() };
    std::fs::create_dir_all(out).map_err(io)?;
    let mut file =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io)?;
    let mut previous = String::new();
    let _ = file.read_to_string(&mut previous);
    let previous: Option<u32> = previous.trim().parse().ok();
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(LockError::Busy {
                path: path.display().to_string(),
                pid: previous.map_or("?".into(), |p| p.to_string()),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    let stale_pid = previous.filter(|p| *p != std::process::id() && !alive(*p));
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    writeln!(file, "{}", std::process::id()).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(RunLock { file, path, stale_pid })
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Closing the file would release the lock as well.
        let _ = self.file.unlock();
    }
}

/// Removes staging folders (`.<name>.tmp-<pid>`) left in `out` by runs that were killed. Call it
/// only while holding the lock: no other run can be writing one.
pub fn remove_stale_staging(out: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(out) else { return removed };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let own = format!(".tmp-{}", std::process::id());
        if name.starts_with('.')
            && name.contains(".tmp-")
            && !name.ends_with(&own)
            && e.path().is_dir()
            && std::fs::remove_dir_all(e.path()).is_ok()
        {
            removed.push(e.path());
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second lock on the same folder is refused while the first is held (flock locks belong
    /// to the open file, so this holds within one process too), and granted after release.
    #[test]
    fn one_holder_at_a_time() {
        let dir = tempfile::tempdir().expect("tmp");
        let first = lock(dir.path()).expect("first");
        let second = lock(dir.path()).expect_err("busy");
        assert!(second.to_string().contains(&std::process::id().to_string()), "{second}");
        drop(first);
        let again = lock(dir.path()).expect("released");
        assert_eq!(again.stale_pid, None);
    }

    /// A pid left in the file by a process that no longer exists is reported as stale.
    #[test]
    fn a_dead_holder_is_stale() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join(".mutasi.lock"), "999999999\n").expect("write");
        let l = lock(dir.path()).expect("lock");
        assert_eq!(l.stale_pid, Some(999_999_999));
        std::fs::create_dir_all(dir.path().join(".2026-10.tmp-999999999")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("2026-09")).expect("mkdir");
        let removed = remove_stale_staging(dir.path());
        assert_eq!(removed.len(), 1);
        assert!(dir.path().join("2026-09").exists());
    }
}
