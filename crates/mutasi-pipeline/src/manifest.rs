//! `manifest.json`, written last into a period's folder: what went in (every input file with its
//! size, BLAKE3 hash and row counts; the resolved config), what came out (every file with its hash,
//! and each Parquet file's rows and columns), which mutasi built it (version and git commit), how
//! long each stage took, the gates and the data checks. An auditor re-runs the month and compares
//! hashes; only `dibuat` and the stage timings change between identical runs.

use crate::error::PipelineError;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::gates::Gate;
use mutasi_analysis::queries::QueryResult;

/// The mutasi commit this binary was built from (`build.rs`), when built from git.
pub fn git_commit() -> Option<&'static str> {
    option_env!("MUTASI_GIT_COMMIT").filter(|c| !c.is_empty())
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputFile {
    /// Path as given (the input folder's files by name under it).
    pub berkas: String,
    pub ukuran: u64,
    pub blake3: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baris_dibaca: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baris_diterima: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baris_ditolak: Option<u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutputFile {
    /// Path relative to the period folder.
    pub berkas: String,
    pub ukuran: u64,
    pub blake3: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baris: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kolom: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stage {
    pub tahap: String,
    pub detik: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub periode: String,
    pub versi: String,
    pub git_commit: Option<String>,
    /// UTC time the manifest was written (RFC 3339).
    pub dibuat: String,
    /// Published with `--force` although a gate failed.
    pub dipaksa: bool,
    pub peringatan: Vec<String>,
    pub masukan: Vec<InputFile>,
    /// Accepted rows per canonical table (the volume gate of the next period compares with it).
    pub baris_per_tabel: BTreeMap<String, u64>,
    pub konfigurasi: serde_json::Value,
    /// NIPs and names were written (`--include-identifiers` / `privacy.include_identities`).
    pub identitas_disertakan: bool,
    pub kunci_pseudonim: mutasi_io::privacy::KeyInfo,
    pub tahap: Vec<Stage>,
    pub gerbang: Vec<Gate>,
    pub cek: Vec<QueryResult>,
    pub keluaran: Vec<OutputFile>,
}

/// Size and BLAKE3 hash (hex) of a file, read in blocks.
pub fn hash_file(path: &Path) -> Result<(u64, String), PipelineError> {
    let mut f = std::fs::File::open(path).map_err(PipelineError::io(path))?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(PipelineError::io(path))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hasher.finalize().to_hex().to_string()))
}

/// Every regular file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.is_file()
                && let Ok(rel) = p.strip_prefix(base)
            {
                out.push(rel.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The input files: every file directly in `input` (with its row counts from the
/// reconciliation, by file name), then `extra` files (config, specs, SQL) as given.
pub fn inputs(
    input: &Path,
    counts: &BTreeMap<String, (u64, u64, u64)>,
    extra: &[PathBuf],
) -> Result<Vec<InputFile>, PipelineError> {
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(input)
        .map_err(PipelineError::io(input))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    for p in names.iter().chain(extra) {
        let (size, hash) = hash_file(p)?;
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let c = if p.parent() == Some(input) { counts.get(&name) } else { None };
        out.push(InputFile {
            berkas: p.display().to_string(),
            ukuran: size,
            blake3: hash,
            baris_dibaca: c.map(|c| c.0),
            baris_diterima: c.map(|c| c.1),
            baris_ditolak: c.map(|c| c.2),
        });
    }
    Ok(out)
}

/// Every output file of the period folder `dir` except the manifest itself, with hashes, and
/// the rows and columns of each Parquet file.
pub fn outputs(dir: &Path) -> Result<Vec<OutputFile>, PipelineError> {
    let mut out = Vec::new();
    for rel in files_under(dir) {
        let name = rel.to_string_lossy().to_string();
        if name == "manifest.json" {
            continue;
        }
        let path = dir.join(&rel);
        let (size, hash) = hash_file(&path)?;
        let (rows, cols) = if name.ends_with(".parquet") {
            let (r, c) = mutasi_io::data::table::parquet_shape(&path)?;
            (Some(r), Some(c))
        } else {
            (None, None)
        };
        out.push(OutputFile { berkas: name, ukuran: size, blake3: hash, baris: rows, kolom: cols });
    }
    Ok(out)
}

/// Reads a published period's accepted rows per table, for the volume gate.
pub fn previous_counts(manifest: &Path) -> Option<BTreeMap<String, u64>> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let map = v.get("baris_per_tabel")?.as_object()?;
    Some(map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_u64()?))).collect())
}

/// Writes `manifest.json` into `dir` (through a temporary file and a rename).
pub fn write(dir: &Path, m: &Manifest) -> Result<(), PipelineError> {
    let json = serde_json::to_string_pretty(m)?;
    let tmp = dir.join(".manifest.json.tmp");
    std::fs::write(&tmp, json + "\n").map_err(PipelineError::io(&tmp))?;
    std::fs::rename(&tmp, dir.join("manifest.json")).map_err(PipelineError::io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_walks() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("b.txt"), "abc").expect("write");
        std::fs::write(dir.path().join("sub/a.txt"), "").expect("write");
        std::fs::write(dir.path().join("manifest.json"), "{}").expect("write");
        let (size, hash) = hash_file(&dir.path().join("b.txt")).expect("hash");
        assert_eq!(size, 3);
        assert_eq!(hash, blake3::hash(b"abc").to_hex().to_string());
        let outs = outputs(dir.path()).expect("outputs");
        let names: Vec<&str> = outs.iter().map(|o| o.berkas.as_str()).collect();
        assert_eq!(names, ["b.txt", "sub/a.txt"], "sorted, recursive, without the manifest");
        let counts: BTreeMap<String, (u64, u64, u64)> = [("b.txt".to_string(), (10, 9, 1))].into();
        let ins = inputs(dir.path(), &counts, &[]).expect("inputs");
        let b = ins.iter().find(|i| i.berkas.ends_with("b.txt")).expect("b");
        assert_eq!((b.baris_dibaca, b.baris_ditolak), (Some(10), Some(1)));
    }
}
