//! Pseudonymous ids for people, so outputs never carry NIPs or names unless asked.
//!
//! HR data is personal data under UU 27/2022 (Pelindungan Data Pribadi). `pegawai_id` is a keyed
//! BLAKE3 hash of the NIP: stable across runs with the same key (auditors get the same ids),
//! unlinkable without it. NIPs have a small, structured space, so an unkeyed hash could be
//! reversed by brute force. The key comes from, in order: `MUTASI_PSEUDONYM_KEY`,
//! `privacy.pseudonym_key`, or a key file `pseudonym.key` in the state directory, created with
//! 256 random bits and permissions 0600 on the first run ([`resolve_key`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Turns NIPs into `pegawai_id`s.
pub struct Pseudonymizer {
    key: [u8; 32],
    /// True when no secret was configured and the built-in key is in use.
    pub default_key: bool,
}

const CONTEXT: &str = "mutasi 2026-11 pegawai_id v1";
const BUILT_IN: &str = "mutasi-kunci-bawaan-bukan-rahasia";
const FINGERPRINT_CONTEXT: &str = "mutasi 2026-11 sidik kunci pseudonim v1";
/// The key file's name in the state directory.
pub const KEY_FILE: &str = "pseudonym.key";

/// Where the key came from, and its fingerprint (a one-way hash: the same fingerprint means the
/// same ids, without revealing the key). Recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// `env`, `konfigurasi`, `berkas` (the state directory's key file) or `bawaan` (built-in).
    pub sumber: &'static str,
    /// The key file, when the key came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub berkas: Option<PathBuf>,
    /// Set when the key file was created by this run.
    pub dibuat: bool,
    pub sidik_jari: String,
}

/// The state directory: `MUTASI_STATE_DIR`, systemd's `STATE_DIRECTORY`, `$XDG_STATE_HOME/mutasi`,
/// or `~/.local/state/mutasi`. `None` when none of them is set.
pub fn state_dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = env("MUTASI_STATE_DIR") {
        return Some(d);
    }
    // systemd's StateDirectory= may list several folders separated by ':'; the first is ours.
    if let Some(d) =
        std::env::var("STATE_DIRECTORY").ok().and_then(|v| v.split(':').next().map(PathBuf::from))
        && !d.as_os_str().is_empty()
    {
        return Some(d);
    }
    env("XDG_STATE_HOME")
        .map(|d| d.join("mutasi"))
        .or_else(|| env("HOME").map(|h| h.join(".local/state/mutasi")))
}

/// Resolves the pseudonym key: `MUTASI_PSEUDONYM_KEY`, then the configured secret, then the key
/// file in the state directory (created on first use), then the built-in key (only when no state
/// directory can be found). Returns the secret and where it came from.
pub fn resolve_key(configured: Option<&str>) -> Result<(Option<String>, KeyInfo), KeyError> {
    let info = |sumber, berkas, dibuat, secret: Option<&str>| KeyInfo {
        sumber,
        berkas,
        dibuat,
        sidik_jari: Pseudonymizer::from_key(secret).1,
    };
    if let Some(k) = std::env::var("MUTASI_PSEUDONYM_KEY").ok().filter(|k| !k.is_empty()) {
        let i = info("env", None, false, Some(&k));
        return Ok((Some(k), i));
    }
    if let Some(k) = configured.filter(|k| !k.is_empty()) {
        return Ok((Some(k.to_string()), info("konfigurasi", None, false, Some(k))));
    }
    let Some(dir) = state_dir() else {
        return Ok((None, info("bawaan", None, false, None)));
    };
    let path = dir.join(KEY_FILE);
    let (secret, created) = read_or_create_key(&path)?;
    let i = info("berkas", Some(path), created, Some(&secret));
    Ok((Some(secret), i))
}

/// Why the key file could not be read or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{path}: {what}: {source}\n\nhint: atur MUTASI_STATE_DIR ke folder yang dapat ditulis, atau berikan MUTASI_PSEUDONYM_KEY / set MUTASI_STATE_DIR to a writable folder, or set MUTASI_PSEUDONYM_KEY"
    )]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: kunci pseudonim terlalu pendek ({len} karakter) / pseudonym key too short\n\nhint: hapus berkas ini agar dibuat ulang (pegawai_id akan berubah) / delete it to create a new one (ids will change)"
    )]
    TooShort { path: PathBuf, len: usize },
}

/// Reads the key file, or creates it with 256 bits from the operating system's random source
/// and permissions 0600. Creation is atomic (a private temporary file hard-linked into place),
/// so two first runs at once agree on one key.
pub fn read_or_create_key(path: &Path) -> Result<(String, bool), KeyError> {
    let err =
        |what: &'static str, source: std::io::Error| KeyError::Io { path: path.to_path_buf(), what, source };
    let read = |p: &Path| -> Result<String, KeyError> {
        let text = std::fs::read_to_string(p).map_err(|e| err("kunci tidak terbaca / key unreadable", e))?;
        let key = text.trim().to_string();
        if key.len() < 32 {
            return Err(KeyError::TooShort { path: p.to_path_buf(), len: key.len() });
        }
        Ok(key)
    };
    if path.exists() {
        return read(path).map(|k| (k, false));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)
        .map_err(|e| err("folder status tidak dapat dibuat / cannot create the state folder", e))?;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .map_err(|e| err("sumber acak tidak tersedia / no random source", e))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = dir.join(format!(".{KEY_FILE}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = private_file(&tmp)?;
        f.write_all(format!("{hex}\n").as_bytes())?;
        f.sync_all()
    };
    write().map_err(|e| err("kunci tidak dapat ditulis / cannot write the key", e))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok((hex, true)),
        // Another run created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path).map(|k| (k, false)),
        Err(e) => Err(err("kunci tidak dapat ditulis / cannot write the key", e)),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

impl Pseudonymizer {
    pub fn new(secret: Option<&str>) -> Pseudonymizer {
        Self::from_key(secret).0
    }

    /// The pseudonymizer for a resolved key, and the key's public fingerprint.
    pub fn from_key(secret: Option<&str>) -> (Pseudonymizer, String) {
        let (material, default_key) = match secret {
            Some(s) if !s.is_empty() => (s, false),
            _ => (BUILT_IN, true),
        };
        let key = blake3::derive_key(CONTEXT, material.as_bytes());
        let fingerprint = blake3::derive_key(FINGERPRINT_CONTEXT, &key);
        let hex: String = fingerprint[..8].iter().map(|b| format!("{b:02x}")).collect();
        (Pseudonymizer { key, default_key }, hex)
    }

    /// `P` followed by 16 hex digits (64 bits: no collision in practice among 4.5 million ASN).
    pub fn pegawai_id(&self, nip: u64) -> String {
        let h = blake3::keyed_hash(&self.key, &nip.to_be_bytes());
        let hex = h.to_hex();
        format!("P{}", &hex.as_str()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_per_key_and_different_across_keys() {
        let a = Pseudonymizer::new(Some("rahasia"));
        let b = Pseudonymizer::new(Some("lain"));
        let nip = 198_609_262_015_051_001;
        assert_eq!(a.pegawai_id(nip), a.pegawai_id(nip));
        assert_ne!(a.pegawai_id(nip), b.pegawai_id(nip));
        assert_ne!(a.pegawai_id(nip), a.pegawai_id(nip + 1));
        assert_eq!(a.pegawai_id(nip).len(), 17);
        assert!(!a.pegawai_id(nip).contains("198609"));
        assert!(Pseudonymizer::new(None).default_key);
    }

    #[test]
    fn the_key_file_is_created_once_private_and_reused() {
        let tmp = tempfile::tempdir().expect("temp");
        let path = tmp.path().join("state").join(KEY_FILE);
        let (a, created) = read_or_create_key(&path).expect("create");
        assert!(created && a.len() == 64 && a.bytes().all(|b| b.is_ascii_hexdigit()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "key file mode {mode:o}");
            let dmode =
                std::fs::metadata(path.parent().expect("dir")).expect("meta").permissions().mode() & 0o777;
            assert_eq!(dmode, 0o700, "state dir mode {dmode:o}");
        }
        let (b, created) = read_or_create_key(&path).expect("read");
        assert_eq!((a.as_str(), created), (b.as_str(), false));
        std::fs::write(&path, "pendek\n").expect("write");
        assert!(read_or_create_key(&path).expect_err("short").to_string().contains("terlalu pendek"));
    }

    #[test]
    fn fingerprints_identify_the_key_without_revealing_it() {
        let (_, a) = Pseudonymizer::from_key(Some("rahasia"));
        let (_, b) = Pseudonymizer::from_key(Some("lain"));
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert_eq!(a, Pseudonymizer::from_key(Some("rahasia")).1);
    }
}
