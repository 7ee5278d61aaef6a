//! Ingest: find the input files, read them, normalise every row, and keep what fails.
//!
//! For each canonical table, the files `<table>.csv|xlsx|parquet` (and parts `<table>_*.ext`) in
//! the input folder are read through the format-neutral [`source::Source`], their headers mapped
//! through the alias table, their decimal style detected, and each row parsed by its table's
//! parser in [`tables`]. Rows with a problem become rejects with file, row, column, raw value and
//! reason. A file that cannot be read at all stops the run with a [`file_error::FileError`].

pub mod cell;
pub mod columns;
pub mod csv_source;
pub mod file_error;
pub mod row;
pub mod source;
pub mod tables;
pub mod xlsx_source;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cell::Cell;
use columns::{ColumnMap, is_known_header, map_columns};
use file_error::{FileError, FileErrorKind};
use row::RowCtx;
use source::{FormatInfo, RowEvent, Source};

use crate::config::Config;
use crate::model::{Prov, Tables};
use crate::normalize::number::{DecimalStyle, detect_style};
use crate::schema::{Table, WideEncoding};
use crate::validate::Finding;
use crate::validate::reason::Reason;

/// What was read from one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path relative to the input folder.
    pub name: String,
    pub table: Table,
    pub info: FormatInfo,
    pub decimal: Option<DecimalStyle>,
    pub rows_read: u64,
    /// Headers that matched no canonical column (kept out of the canonical table).
    pub unused_headers: Vec<String>,
}

/// Everything ingest produced, before cross-table checks.
#[derive(Debug, Default)]
pub struct Loaded {
    pub tables: Tables,
    pub files: Vec<FileReport>,
    pub rejects: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

const DATA_EXTENSIONS: [&str; 5] = ["csv", "tsv", "xlsx", "xlsm", "parquet"];

/// Lists the files of each table in the input folder, sorted by name for reproducible runs.
pub fn discover(input: &Path, cfg: &Config) -> Result<Vec<(Table, PathBuf)>, FileError> {
    let entries = std::fs::read_dir(input).map_err(|e| {
        FileError::new(
            input,
            FileErrorKind::Io,
            format!("folder masukan tidak dapat dibaca / cannot read input folder: {e}"),
            "periksa --input / check --input",
        )
    })?;
    let mut names: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    names.sort();
    let mut out = Vec::new();
    for table in Table::ALL {
        let tcfg = cfg.table(table);
        if !tcfg.files.is_empty() {
            for f in &tcfg.files {
                let p = if f.is_absolute() { f.clone() } else { input.join(f) };
                if !p.is_file() {
                    return Err(FileError::new(
                        &p,
                        FileErrorKind::Io,
                        "berkas yang disebut di konfigurasi tidak ada / file named in the config does not exist",
                        format!("perbaiki tables.{}.files / fix tables.{}.files", table.name(), table.name()),
                    ));
                }
                out.push((table, p));
            }
            continue;
        }
        let mut stems: HashMap<String, PathBuf> = HashMap::new();
        for p in &names {
            let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            let stem =
                p.file_stem().and_then(|s| s.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            let part_of = stem == table.name()
                || stem
                    .strip_prefix(table.name())
                    .is_some_and(|r| r.starts_with('_') && Table::from_name(&stem).is_none());
            if !DATA_EXTENSIONS.contains(&ext.as_str()) || !part_of || stem.starts_with('.') {
                continue;
            }
            if let Some(other) = stems.insert(stem.clone(), p.clone()) {
                return Err(FileError::new(
                    p,
                    FileErrorKind::Ambiguous,
                    format!(
                        "`{}` dan `{}` sama-sama berisi tabel {} / both hold the same table",
                        other.display(),
                        p.display(),
                        table.name()
                    ),
                    "hapus atau pindahkan salah satunya / remove or move one of them",
                ));
            }
            out.push((table, p.clone()));
        }
    }
    Ok(out)
}

/// Values of the numeric columns of a file, sampled to decide its decimal style.
fn numeric_columns(table: Table, map: &ColumnMap) -> Vec<usize> {
    let mut cols = Vec::new();
    match table {
        Table::Kinerja if map.is_wide() => {
            cols.extend(map.wide.iter().filter(|(_, w)| w.encoding == WideEncoding::Numeric).map(|(i, _)| *i))
        }
        Table::Kinerja | Table::Layanan => cols.extend(map.get("nilai")),
        Table::Pelatihan => cols.extend(map.get("jam_pelajaran")),
        _ => {}
    }
    cols
}

fn detect_decimal(src: &Source, path: &Path, cols: &[usize]) -> Result<DecimalStyle, FileError> {
    if cols.is_empty() {
        return Ok(DecimalStyle::Dot);
    }
    let mut samples: Vec<String> = Vec::new();
    src.for_each(path, &mut |ev| {
        if let RowEvent::Row { cells, .. } = ev {
            for c in cols {
                if let Some(Cell::Text(s)) = cells.get(*c) {
                    samples.push((*s).to_string());
                }
            }
        }
        samples.len() < 200_000
    })?;
    Ok(detect_style(samples.iter().map(String::as_str)))
}

/// Reads an optional NIP crosswalk (`nip_lama,nip_baru`).
fn load_crosswalk(input: &Path, cfg: &Config) -> Result<HashMap<String, u64>, FileError> {
    let Some(rel) = &cfg.nip_crosswalk else { return Ok(HashMap::new()) };
    let path = if rel.is_absolute() { rel.clone() } else { input.join(rel) };
    let src = csv_source::CsvSource::open(&path)?;
    let keys: Vec<String> = src.headers.iter().map(|h| crate::schema::header_key(h)).collect();
    let (Some(old), Some(new)) =
        (keys.iter().position(|k| k == "niplama"), keys.iter().position(|k| k == "nipbaru"))
    else {
        return Err(FileError::new(
            &path,
            FileErrorKind::MissingColumns(vec!["nip_lama".into(), "nip_baru".into()]),
            "tabel padanan NIP perlu kolom nip_lama dan nip_baru / crosswalk needs nip_lama and nip_baru",
            "tambahkan kedua kolom / add both columns",
        ));
    };
    let mut map = HashMap::new();
    let mut bad: Option<String> = None;
    src.for_each(&path, &mut |ev| {
        if let RowEvent::Row { number, cells } = ev {
            let o = crate::normalize::nip::clean_nip(&cells.get(old).map(Cell::raw).unwrap_or_default());
            let n = crate::normalize::nip::clean_nip(&cells.get(new).map(Cell::raw).unwrap_or_default());
            match crate::normalize::nip::parse_nip(&n) {
                Ok(nip) if o.len() == 9 => {
                    map.insert(o, nip.value);
                }
                _ => {
                    bad = Some(format!("baris / row {number}: `{o}` → `{n}`"));
                    return false;
                }
            }
        }
        true
    })?;
    if let Some(b) = bad {
        return Err(FileError::new(
            &path,
            FileErrorKind::NotASpreadsheet,
            format!("baris padanan NIP tidak sah / invalid crosswalk row: {b}"),
            "nip_lama 9 digit, nip_baru NIP 18 digit yang sah / 9-digit old and valid 18-digit new NIP",
        ));
    }
    Ok(map)
}

thread_local! {
    /// The emptied kinerja table of this thread's last [`load`] ([`recycle`]).
    static SPARE_KINERJA: std::cell::RefCell<Vec<crate::model::KinerjaRow>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether [`recycle`] keeps tables: set by a run of several partitions per thread
/// ([`keep_for_next_partition`]). A single run frees them, as it has nothing to validate next.
static KEEP_FOR_NEXT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes [`recycle`] keep (or free) emptied tables for the next partition of the same thread.
pub fn keep_for_next_partition(keep: bool) {
    KEEP_FOR_NEXT.store(keep, std::sync::atomic::Ordering::Relaxed);
}

/// Keeps the memory of `loaded`'s kinerja table for this thread's next [`load`] when a run of
/// several partitions asked for it ([`keep_for_next_partition`]): such a run validates one
/// partition after another, and the next table fills pages already mapped instead of faulting
/// in hundreds of megabytes afresh (freed, they would go back to the system).
pub fn recycle(loaded: Loaded) {
    if !KEEP_FOR_NEXT.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let mut rows = loaded.tables.kinerja;
    rows.clear();
    SPARE_KINERJA.with(|s| {
        let mut spare = s.borrow_mut();
        if rows.capacity() > spare.capacity() {
            *spare = rows;
        }
    });
}

/// Loads every table from `input`. Fails on the first file that cannot be read at all.
pub fn load(input: &Path, cfg: &Config) -> Result<Loaded, FileError> {
    let files = discover(input, cfg)?;
    for table in Table::ALL.into_iter().filter(|t| t.is_required()) {
        if !files.iter().any(|(t, _)| *t == table) {
            return Err(FileError::new(
                &input.join(format!("{}.csv", table.name())),
                FileErrorKind::Io,
                format!("tabel wajib `{}` tidak ditemukan / required table not found", table.name()),
                format!(
                    "letakkan {0}.csv, {0}.xlsx atau {0}.parquet di folder masukan / put one of these in the input folder",
                    table.name()
                ),
            ));
        }
    }
    let crosswalk = load_crosswalk(input, cfg)?;
    let mut loaded = Loaded::default();
    // The memory of this thread's previous kinerja table, already mapped.
    loaded.tables.kinerja = SPARE_KINERJA.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut interner = tables::Interner::default();
    let mut memo = row::ParseMemo::default();
    // Kinerja rows to come from Parquet files, from their footers: rows times the file's
    // indicator columns (a wide row gives one row per indicator column). The table is sized for
    // all of them at the first kinerja file instead of growing by copies of millions of rows.
    let declared: Vec<usize> = files
        .iter()
        .map(|(t, p)| {
            let parquet = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
            if *t != Table::Kinerja || !parquet {
                return 0;
            }
            let Some((rows, headers)) = crate::data::parquet_in::declared_shape(p) else { return 0 };
            // A file whose columns do not map is reported when it is read.
            let wide = map_columns(p, *t, &cfg.table(*t), &headers).map_or(1, |m| m.wide.len().max(1));
            rows.saturating_mul(wide)
        })
        .collect();
    let mut kinerja_left: usize = declared.iter().sum();
    for ((table, path), declared) in files.into_iter().zip(declared) {
        let tcfg = cfg.table(table);
        let src = Source::open(&path, tcfg.sheet.as_deref(), &|h| is_known_header(table, &tcfg, h))?;
        let map = map_columns(&path, table, &tcfg, src.headers())?;
        if table == Table::Kinerja {
            // Only a hint: a footer declaring more rows than memory holds leaves the table to grow.
            let _ = loaded.tables.kinerja.try_reserve(kinerja_left);
            kinerja_left -= declared;
        }
        let decimal = detect_decimal(&src, &path, &numeric_columns(table, &map))?;
        let file_idx = loaded.files.len() as u32;
        let name = path.strip_prefix(input).unwrap_or(&path).display().to_string();
        let mut rows_read = 0u64;
        let t = &mut loaded.tables;
        let (rejects, warnings) = (&mut loaded.rejects, &mut loaded.warnings);
        src.for_each(&path, &mut |ev| {
            rows_read += 1;
            match ev {
                RowEvent::Ragged { number, found, expected, raw } => {
                    let f = Finding::new(Prov { file: file_idx, row: number }, "*", raw, Reason::RaggedRow)
                        .with_detail(format!(
                            "{found} kolom, header {expected} / {found} fields, header has {expected}"
                        ));
                    rejects.push(f);
                }
                RowEvent::Row { number, cells } => {
                    let mut ctx = RowCtx {
                        prov: Prov { file: file_idx, row: number },
                        cells,
                        map: &map,
                        decimal,
                        crosswalk: &crosswalk,
                        memo: &mut memo,
                        rejects: Vec::new(),
                        warnings: Vec::new(),
                    };
                    match table {
                        Table::UnitKerja => t.unit_kerja.extend(tables::unit_kerja(&mut ctx)),
                        Table::Pegawai => t.pegawai.extend(tables::pegawai(&mut ctx)),
                        Table::Mutasi => t.mutasi.extend(tables::mutasi(&mut ctx)),
                        Table::Kinerja => tables::kinerja(&mut ctx, &mut interner, &mut t.kinerja),
                        Table::Layanan => t.layanan.extend(tables::layanan(&mut ctx, &mut interner)),
                        Table::Skm => t.skm.extend(tables::skm(&mut ctx)),
                        Table::Permohonan => t.permohonan.extend(tables::permohonan(&mut ctx)),
                        Table::Pelatihan => t.pelatihan.extend(tables::pelatihan(&mut ctx)),
                    }
                    rejects.append(&mut ctx.rejects);
                    warnings.append(&mut ctx.warnings);
                }
            }
            true
        })?;
        if rows_read == 0 {
            return Err(FileError::new(
                &path,
                FileErrorKind::NoDataRows,
                "berkas hanya berisi header, tanpa baris data / header only, no data rows",
                "ekspor ulang dengan data, atau hapus berkas ini dari folder masukan / re-export with data or remove the file",
            ));
        }
        let has_numbers = !numeric_columns(table, &map).is_empty();
        loaded.files.push(FileReport {
            name,
            table,
            info: src.info(),
            decimal: has_numbers.then_some(decimal),
            rows_read,
            unused_headers: map.unused.clone(),
        });
    }
    loaded.tables.symbols = interner.into_symbols();
    Ok(loaded)
}
