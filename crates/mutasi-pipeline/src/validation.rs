//! Validation of one input folder into an output folder: load and normalise every export,
//! check across tables, prove by reconciliation that no row was lost, pseudonymise, and write the
//! canonical tables, rejects and `ringkasan.json`. `mutasi validate` and every month of
//! `mutasi run` start here.

use std::path::Path;

use mutasi_domain::config::Config;
use mutasi_io::ingest;
use mutasi_io::privacy::{KeyInfo, Pseudonymizer, resolve_key};
use mutasi_io::validate::crosscheck::{CrossOptions, crosscheck};
use mutasi_io::validate::reconcile::{overlap, reconcile};

use crate::error::PipelineError;
use crate::publish::{publish, staging_for};

/// Marker that says a folder was written by `mutasi validate`, so it may be replaced.
const MARKER: &str = ".mutasi-validate";

fn prepare_out(out: &Path) -> Result<std::path::PathBuf, PipelineError> {
    if out.exists() {
        let is_ours = out.join(MARKER).exists();
        let is_empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !is_ours && !is_empty {
            return Err(PipelineError::Usage(format!(
                "folder keluaran {} sudah berisi berkas lain / output folder holds other files\n\nhint: pilih --out yang kosong atau baru / choose an empty or new --out",
                out.display()
            )));
        }
    }
    staging_for(out)
}

/// The input folder must exist.
fn check_input(input: &Path) -> Result<(), PipelineError> {
    if input.is_dir() {
        return Ok(());
    }
    Err(PipelineError::Usage(format!(
        "folder masukan {} tidak ada / input folder does not exist\n\nhint: berikan folder berisi pegawai.csv, unit_kerja.csv, … / pass a folder with the exports",
        input.display()
    )))
}

/// `mutasi validate`: validates `input` into a staging folder beside `out` and swaps it into
/// place only when every step succeeded. Returns the summary and where the pseudonym key came
/// from.
pub fn validate_folder(
    input: &Path,
    out: &Path,
    cfg: &Config,
    with_identities: bool,
) -> Result<(mutasi_io::summary::Summary, KeyInfo), PipelineError> {
    // Before the staging folder exists, so a wrong --input leaves nothing behind.
    check_input(input)?;
    let tmp = prepare_out(out)?;
    let result = validate_into(input, cfg, &tmp, with_identities).and_then(|r| {
        let marker = tmp.join(MARKER);
        std::fs::write(&marker, "").map_err(PipelineError::io(&marker))?;
        Ok(r)
    });
    let done = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    publish(&tmp, out)?;
    Ok(done)
}

/// Loads, validates and writes the canonical tables, rejects and `ringkasan.json` into `dir`
/// (which must exist). Shared by `mutasi validate` and `mutasi run`.
pub fn validate_into(
    input: &Path,
    cfg: &Config,
    dir: &Path,
    with_identities: bool,
) -> Result<(mutasi_io::summary::Summary, KeyInfo), PipelineError> {
    check_input(input)?;
    let mut loaded = ingest::load(input, cfg)?;
    crosscheck(&mut loaded, CrossOptions { sk_tolerance_days: cfg.validate.sk_tolerance_days });
    let recon = reconcile(&loaded);
    let both = overlap(&loaded);
    if both > 0 || recon.iter().any(|r| !r.balanced()) {
        return Err(PipelineError::Internal(format!(
            "rekonsiliasi gagal: {both} baris diterima sekaligus ditolak, atau hitungan tidak seimbang / reconciliation failed; ini bug, mohon laporkan / this is a bug, please report it: {recon:?}"
        )));
    }
    let (key, key_info) = resolve_key(cfg.privacy.pseudonym_key.as_deref())?;
    let ids = Pseudonymizer::new(key.as_deref());
    let identities = with_identities || cfg.privacy.include_identities;
    let summary = mutasi_io::summary::build(&loaded, &recon, cfg.validate.max_reject_rate);
    mutasi_io::output::write_all(dir, &mut loaded, &recon, &ids, identities)?;
    let json = serde_json::to_string_pretty(&summary)?;
    std::fs::write(dir.join("ringkasan.json"), json + "\n").map_err(PipelineError::io(dir))?;
    ingest::recycle(loaded);
    Ok((summary, key_info))
}

/// Tells the operator when the pseudonym key was just created (it must be backed up: without it
/// next month's ids differ) or when only the built-in key was available.
pub fn announce_key(key: &KeyInfo) {
    match (key.sumber, &key.berkas) {
        ("berkas", Some(path)) if key.dibuat => tracing::warn!(
            "kunci pseudonim baru dibuat di {} (0600); simpan cadangannya, tanpa kunci ini pegawai_id bulan depan berbeda / a new pseudonym key was created; back it up, without it next month's ids differ",
            path.display()
        ),
        ("bawaan", _) => tracing::warn!(
            "pegawai_id memakai kunci bawaan karena folder status tidak ditemukan; atur MUTASI_STATE_DIR atau MUTASI_PSEUDONYM_KEY / pseudonyms use the built-in key (no state folder); set MUTASI_STATE_DIR or MUTASI_PSEUDONYM_KEY"
        ),
        _ => {}
    }
}
