//! Hive-style partitions of an input folder (`instansi=8171/`, `opd=DINKES/`): discovering them,
//! and restricting a run to some of them (`--only instansi=8171,8172`).
//!
//! At national scale each instansi is analysed on its own: its staff, units and transfers do not
//! mix with another's, and memory then grows with the largest instansi, not with the country.
//! The outputs mirror the layout (`<out>/instansi=8171/<period>/…`), so DuckDB, Spark, Trino or
//! Polars read every partition's summaries in place with hive partitioning.

use std::path::{Path, PathBuf};

/// One partition folder: `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub key: String,
    pub value: String,
    pub dir: PathBuf,
}

impl Partition {
    /// The folder name, `key=value`, used again for the outputs.
    pub fn name(&self) -> String {
        format!("{}={}", self.key, self.value)
    }
}

/// A partition key or value: letters, digits, `_`, `-` and `.`, never `..` (it names a folder).
fn valid_part(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// The `key=value` sub-folders of `input`, sorted by value. Empty when the folder is not
/// partitioned. All partitions must share one key.
/// Why the partitions of the input folder cannot be used (a usage error: the folder's layout or
/// the `--only` flag).
#[derive(Debug, thiserror::Error)]
pub enum PartitionError {
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{dir}: nama partisi tidak sah / invalid partition name\n\nhint: gunakan kunci=nilai dengan huruf, angka, _ - . / use key=value with letters, digits, _ - ."
    )]
    InvalidName { dir: std::path::PathBuf },
    #[error(
        "{input}: partisi memakai dua kunci ({first} dan {other}) / partitions use two keys\n\nhint: satu kunci per folder masukan / one key per input folder"
    )]
    TwoKeys { input: std::path::PathBuf, first: String, other: String },
    #[error("--only `{0}`: harus kunci=nilai / must be key=value\n\nhint: --only instansi=8171,8172")]
    NotKeyValue(String),
    #[error(
        "--only {key}={value}: partisi tidak ada / no such partition\n\nhint: partisi yang ada / partitions: {known}"
    )]
    Unknown { key: String, value: String, known: String },
}

pub fn discover(input: &Path) -> Result<Vec<Partition>, PartitionError> {
    if !input.is_dir() {
        // The run reports a missing input folder in its own words.
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(input)
        .map_err(|source| PartitionError::Io { path: input.to_path_buf(), source })?;
    let mut parts: Vec<Partition> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let (k, v) = name.split_once('=')?;
            Some(Partition { key: k.to_string(), value: v.to_string(), dir: e.path() })
        })
        .collect();
    parts.sort_by(|a, b| (&a.key, &a.value).cmp(&(&b.key, &b.value)));
    if let Some(bad) = parts.iter().find(|p| !valid_part(&p.key) || !valid_part(&p.value)) {
        return Err(PartitionError::InvalidName { dir: bad.dir.clone() });
    }
    if let (Some(first), Some(other)) = (parts.first(), parts.iter().find(|p| p.key != parts[0].key)) {
        return Err(PartitionError::TwoKeys {
            input: input.to_path_buf(),
            first: first.key.clone(),
            other: other.key.clone(),
        });
    }
    Ok(parts)
}

/// Keeps the partitions named by `only` (each `key=v1,v2,…`; repeated flags add values). Every
/// named value must exist, so a typo is an error rather than an empty run.
pub fn select(parts: Vec<Partition>, only: &[String]) -> Result<Vec<Partition>, PartitionError> {
    if only.is_empty() {
        return Ok(parts);
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    for raw in only {
        let (k, vs) = raw.split_once('=').ok_or_else(|| PartitionError::NotKeyValue(raw.clone()))?;
        for v in vs.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            wanted.push((k.trim().to_string(), v.to_string()));
        }
    }
    let known: Vec<String> = parts.iter().map(Partition::name).collect();
    for (k, v) in &wanted {
        if !parts.iter().any(|p| p.key == *k && p.value == *v) {
            let shown: Vec<&str> = known.iter().take(10).map(String::as_str).collect();
            return Err(PartitionError::Unknown {
                key: k.clone(),
                value: v.clone(),
                known: format!("{}{}", shown.join(", "), if known.len() > 10 { ", …" } else { "" }),
            });
        }
    }
    Ok(parts.into_iter().filter(|p| wanted.iter().any(|(k, v)| p.key == *k && p.value == *v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_selects_and_refuses_mixed_keys() {
        let dir = tempfile::tempdir().expect("temp");
        for d in ["instansi=8172", "instansi=8171", "bukan_partisi"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        std::fs::write(dir.path().join("instansi=9999"), "a file, not a folder").expect("file");
        let parts = discover(dir.path()).expect("parts");
        let names: Vec<String> = parts.iter().map(Partition::name).collect();
        assert_eq!(names, ["instansi=8171", "instansi=8172"]);
        let one = select(parts.clone(), &["instansi=8172".into()]).expect("one");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].value, "8172");
        assert_eq!(select(parts.clone(), &["instansi=8171,8172".into()]).expect("both").len(), 2);
        assert!(
            select(parts.clone(), &["instansi=7000".into()]).expect_err("typo").to_string().contains("8171")
        );
        assert!(select(parts.clone(), &["8171".into()]).is_err());
        assert_eq!(select(parts, &[]).expect("all").len(), 2);
        std::fs::create_dir_all(dir.path().join("opd=DINKES")).expect("mkdir");
        assert!(discover(dir.path()).expect_err("two keys").to_string().contains("dua kunci"));
        let flat = tempfile::tempdir().expect("temp");
        assert!(discover(flat.path()).expect("flat").is_empty());
    }
}
