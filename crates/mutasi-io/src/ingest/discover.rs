//! Which file of the input folder holds which table, and in what format.
//!
//! - **Format by content.** A file's bytes, not its extension, say what it is: Parquet, an xlsx
//!   or ods (zip), a BIFF `.xls` (OLE), an HTML table or XML Spreadsheet 2003 saved as `.xls`,
//!   JSON, or delimited text ([`sniff`]).
//! - **Table by name, else by headers.** `<table>.<ext>` and parts `<table>_<anything>.<ext>`
//!   hold that table, as do the files named in `[tables.<t>] files`. Any other data file (a SIASN
//!   `Data_ASN_*.xlsx`, a `HierarkiUnor*.xlsx`, an API response `rw-jabatan.json`) is recognised
//!   by its headers: the table whose required columns it has and whose characteristic headers
//!   it shares most ([`classify`]). Each sheet of a workbook is recognised on its own. A file that
//!   fits no table, or two equally, is listed with the reason and never guessed.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::columns::{is_known_header, map_columns_keyed};
use super::file_error::{FileError, FileErrorKind};
use super::markup::{looks_like_markup, read_markup};
use super::sheet_source::locate_header;
use super::workbook::{Grid, WorkbookKind, read_workbook};
use mutasi_domain::config::{Config, TableConfig};
use mutasi_domain::schema::{NIP_ALIASES, Table, header_key, signature};

/// Extensions of files that may hold a table. Other files (the config, notes, PDFs) are not
/// looked at.
pub const DATA_EXTENSIONS: [&str; 13] =
    ["csv", "tsv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods", "parquet", "json", "htm", "html", "xml"];

/// What a file's bytes show it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Csv,
    Parquet,
    Workbook(WorkbookKind),
    /// An HTML table or XML Spreadsheet 2003, whatever its extension.
    Markup,
    Json,
}

impl Detected {
    /// The format's name in the summary.
    pub fn name(self) -> &'static str {
        match self {
            Detected::Csv => "csv",
            Detected::Parquet => "parquet",
            Detected::Workbook(k) => k.name(),
            Detected::Markup => "html",
            Detected::Json => "json",
        }
    }
}

/// Reads the start of a file and says what it is.
pub fn sniff(path: &Path) -> Result<Detected, FileError> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(|e| FileError::io(path, &e))?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if head.starts_with(b"PAR1") {
        return Ok(Detected::Parquet);
    }
    if head.starts_with(b"PK\x03\x04") {
        let text = String::from_utf8_lossy(&head);
        if text.contains("application/vnd.oasis.opendocument.spreadsheet") || ext == "ods" {
            return Ok(Detected::Workbook(WorkbookKind::Ods));
        }
        if ext == "xlsb" || text.contains("workbook.bin") {
            return Ok(Detected::Workbook(WorkbookKind::Xlsb));
        }
        return Ok(Detected::Workbook(WorkbookKind::Xlsx));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Detected::Workbook(WorkbookKind::Xls));
    }
    if ext == "parquet" {
        return Err(FileError::new(
            path,
            FileErrorKind::Parquet,
            "bukan berkas Parquet yang sah (tanda PAR1 tidak ada) / not a valid Parquet file (no PAR1 magic)",
            "ekspor ulang sebagai Parquet, CSV atau xlsx / re-export as Parquet, CSV or xlsx",
        ));
    }
    // Text: the first non-blank character tells markup and JSON from delimited text. UTF-16
    // text is decoded first.
    let sample = if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        super::csv_source::decode(path, &head).map(|(t, _)| t).unwrap_or_default()
    } else {
        String::from_utf8_lossy(&head).into_owned()
    };
    let start = sample.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        return Ok(Detected::Markup);
    }
    if start.starts_with('{') || start.starts_with('[') {
        return Ok(Detected::Json);
    }
    Ok(Detected::Csv)
}

/// One table's input: a file, and for a workbook recognised sheet by sheet, the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub table: Table,
    pub path: PathBuf,
    pub detected: Detected,
    /// Only this sheet of the workbook (set when its sheets hold different tables).
    pub sheet: Option<String>,
}

/// A data file, or a sheet of one, that no table takes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// Path relative to the input folder.
    pub file: String,
    pub sheet: Option<String>,
    pub reason: String,
}

/// The input folder's tables.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub unused: Vec<Unused>,
}

/// The table a file's name gives it: `<table>` or `<table>_<part>` (any case).
pub fn table_by_name(path: &Path) -> Option<Table> {
    let stem = path.file_stem().and_then(|s| s.to_str()).map(str::to_ascii_lowercase)?;
    if let Some(t) = Table::from_name(&stem) {
        return Some(t);
    }
    // The longest table name the stem starts with, followed by `_`: `riwayat_jabatan_2024`
    // is not a part of a table named `riwayat`.
    Table::ALL
        .into_iter()
        .filter(|t| stem.strip_prefix(t.name()).is_some_and(|r| r.starts_with('_')))
        .max_by_key(|t| t.name().len())
}

/// How the headers of one sheet fit the tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    Table(Table),
    /// Several tables fit equally well.
    Ambiguous(Vec<Table>),
    /// No table's required columns and characteristic headers are there.
    None,
}

/// The table whose required columns the headers have and whose characteristic headers
/// ([`signature`]) they share most. A table without employees (units, service figures, survey
/// answers) never takes a sheet with a NIP column.
pub fn classify(keys: &[Vec<String>], headers: &[String], cfg: &Config) -> Fit {
    let has_nip = keys.iter().flatten().any(|k| NIP_ALIASES.contains(&k.as_str()));
    let mut scored: Vec<(usize, Table)> = Vec::new();
    for table in Table::ALL {
        let no_people = matches!(table, Table::UnitKerja | Table::Layanan | Table::Skm);
        if no_people && has_nip {
            continue;
        }
        let tcfg = cfg.table(table);
        // A survey sheet's unit and period may come from its title, name or the config.
        let provided: &[&str] = if table == Table::Skm { &["unit_id", "tanggal"] } else { &[] };
        if map_columns_keyed(Path::new(""), table, &tcfg, headers, keys, provided).is_err() {
            continue;
        }
        let sig = signature(table);
        let hits = keys
            .iter()
            .filter(|k| k.iter().any(|k| sig.contains(&k.as_str()) || skm_question(table, k)))
            .count();
        // Headers the user mapped in the config count as characteristic too.
        let mapped = keys.iter().filter(|k| k.iter().any(|k| configured(&tcfg, k))).count();
        if hits + mapped > 0 {
            scored.push((hits + mapped, table));
        }
    }
    let Some(best) = scored.iter().map(|(s, _)| *s).max() else { return Fit::None };
    let top: Vec<Table> = scored.iter().filter(|(s, _)| *s == best).map(|(_, t)| *t).collect();
    match top.as_slice() {
        [one] => Fit::Table(*one),
        _ => Fit::Ambiguous(top),
    }
}

fn configured(tcfg: &TableConfig, key: &str) -> bool {
    tcfg.aliases.values().flatten().any(|a| header_key(a) == key)
}

fn skm_question(table: Table, key: &str) -> bool {
    table == Table::Skm && mutasi_domain::schema::skm_unsur_of_question(key).is_some()
}

/// The grids of a workbook or markup file.
pub fn read_grids(path: &Path, detected: Detected) -> Result<Vec<Grid>, FileError> {
    match detected {
        Detected::Workbook(kind) => read_workbook(path, kind),
        Detected::Markup => {
            let bytes = std::fs::read(path).map_err(|e| FileError::io(path, &e))?;
            let (text, _) = super::csv_source::decode_owned(path, bytes)?;
            if !looks_like_markup(&text) {
                return Err(FileError::new(
                    path,
                    FileErrorKind::NotASpreadsheet,
                    "berkas berisi markup (HTML/XML) tanpa tabel / markup without a table",
                    "ekspor ulang dari aplikasinya sebagai Excel atau CSV / re-export as Excel or CSV",
                ));
            }
            Ok(read_markup(&text))
        }
        _ => Ok(Vec::new()),
    }
}

/// The headers (and their match keys) of a flat file: CSV, JSON or Parquet.
fn flat_headers(path: &Path, detected: Detected) -> Result<Vec<String>, FileError> {
    Ok(match detected {
        Detected::Csv => super::csv_source::CsvSource::peek_headers(path)?,
        Detected::Json => {
            let bytes = std::fs::read(path).map_err(|e| FileError::io(path, &e))?;
            let (text, _) = super::csv_source::decode_owned(path, bytes)?;
            super::json_source::JsonSource::open(path, &text)?.headers
        }
        Detected::Parquet => {
            crate::data::parquet_in::declared_shape(path).map(|(_, h)| h).unwrap_or_default()
        }
        _ => Vec::new(),
    })
}

fn fit_reason(fit: &Fit) -> String {
    match fit {
        Fit::None => "kolomnya tidak cocok dengan tabel mana pun / its columns fit no table".into(),
        Fit::Ambiguous(ts) => format!(
            "kolomnya cocok dengan beberapa tabel ({}) / its columns fit several tables",
            ts.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
        ),
        Fit::Table(_) => String::new(),
    }
}

/// The hint for a file that could not be placed.
fn ambiguous_error(path: &Path, fit: &Fit, sheet: Option<&str>) -> FileError {
    let where_ = sheet.map(|s| format!(" (lembar / sheet `{s}`)")).unwrap_or_default();
    FileError::new(
        path,
        FileErrorKind::Ambiguous,
        format!(
            "tabel berkas ini tidak dapat ditentukan{where_}: {} / cannot tell which table this file holds",
            fit_reason(fit)
        ),
        "beri nama berkas sesuai tabelnya (mis. pegawai.xlsx, riwayat_jabatan_2025.csv) atau sebutkan di mutasi.toml: [tables.<tabel>] files = [\"…\"] / name the file after its table or list it in the config",
    )
}

/// Lists every table's files (and sheets) in the input folder, sorted by name for reproducible
/// runs, with the data files no table takes.
pub fn discover(input: &Path, cfg: &Config) -> Result<Discovery, FileError> {
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
    let rel = |p: &Path| p.strip_prefix(input).unwrap_or(p).display().to_string();
    let mut out = Discovery::default();
    // Files named in the config belong to their tables; the crosswalk to no table.
    let mut claimed: Vec<PathBuf> = Vec::new();
    if let Some(c) = &cfg.nip_crosswalk {
        claimed.push(if c.is_absolute() { c.clone() } else { input.join(c) });
    }
    for table in Table::ALL {
        for f in &cfg.table(table).files {
            let p = if f.is_absolute() { f.clone() } else { input.join(f) };
            if !p.is_file() {
                return Err(FileError::new(
                    &p,
                    FileErrorKind::Io,
                    "berkas yang disebut di konfigurasi tidak ada / file named in the config does not exist",
                    format!("perbaiki tables.{}.files / fix tables.{}.files", table.name(), table.name()),
                ));
            }
            out.inputs.push(Input { table, path: p.clone(), detected: sniff(&p)?, sheet: None });
            claimed.push(p);
        }
    }
    let mut stems: HashMap<(Table, String), PathBuf> = HashMap::new();
    for p in &names {
        let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        let hidden =
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
        if !DATA_EXTENSIONS.contains(&ext.as_str()) || hidden || claimed.contains(p) {
            continue;
        }
        let by_name = table_by_name(p);
        // A table whose files the config lists takes no other file by its name.
        if let Some(t) = by_name
            && !cfg.table(t).files.is_empty()
        {
            out.unused.push(Unused {
                file: rel(p),
                sheet: None,
                reason: format!(
                    "tables.{}.files di konfigurasi menyebut berkas lain / the config lists other files",
                    t.name()
                ),
            });
            continue;
        }
        let detected = sniff(p)?;
        if let Some(table) = by_name {
            let stem =
                p.file_stem().and_then(|s| s.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            if let Some(other) = stems.insert((table, stem), p.clone()) {
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
            out.inputs.push(Input { table, path: p.clone(), detected, sheet: None });
            continue;
        }
        match detected {
            Detected::Workbook(_) | Detected::Markup => {
                let grids = read_grids(p, detected)?;
                for g in grids {
                    let sheet = Some(g.name.clone());
                    if g.hidden || g.not_a_worksheet || g.rows.is_empty() {
                        out.unused.push(Unused { file: rel(p), sheet, reason: sheet_skip_reason(&g) });
                        continue;
                    }
                    match classify_grid(&g, cfg) {
                        Fit::Table(table) => {
                            out.inputs.push(Input { table, path: p.clone(), detected, sheet })
                        }
                        Fit::Ambiguous(ts) => {
                            return Err(ambiguous_error(p, &Fit::Ambiguous(ts), sheet.as_deref()));
                        }
                        Fit::None => {
                            out.unused.push(Unused { file: rel(p), sheet, reason: fit_reason(&Fit::None) })
                        }
                    }
                }
            }
            _ => {
                // A file that cannot be read at all is not a table of this run: say why.
                let headers = match flat_headers(p, detected) {
                    Ok(h) => h,
                    Err(e) => {
                        out.unused.push(Unused { file: rel(p), sheet: None, reason: e.message });
                        continue;
                    }
                };
                let keys: Vec<Vec<String>> = headers.iter().map(|h| vec![header_key(h)]).collect();
                match classify(&keys, &headers, cfg) {
                    Fit::Table(table) => {
                        out.inputs.push(Input { table, path: p.clone(), detected, sheet: None })
                    }
                    fit @ Fit::Ambiguous(_) => return Err(ambiguous_error(p, &fit, None)),
                    Fit::None => {
                        out.unused.push(Unused { file: rel(p), sheet: None, reason: fit_reason(&Fit::None) })
                    }
                }
            }
        }
    }
    // Tables in load order, files by name within each.
    out.inputs.sort_by(|a, b| (a.table, &a.path).cmp(&(b.table, &b.path)));
    Ok(out)
}

/// Why a sheet is not read: hidden, a chart, or empty.
pub fn sheet_skip_reason(g: &Grid) -> String {
    if g.not_a_worksheet {
        "bukan lembar kerja (grafik atau makro) / not a worksheet (chart or macro)".into()
    } else if g.hidden {
        "lembar tersembunyi / hidden sheet".into()
    } else {
        "lembar kosong / empty sheet".into()
    }
}

/// The table of one sheet: its header row is found for each table in turn, and the table whose
/// header row fits it with the most known headers wins.
fn classify_grid(g: &Grid, cfg: &Config) -> Fit {
    let mut fits: Vec<(usize, Table)> = Vec::new();
    for table in Table::ALL {
        let tcfg = cfg.table(table);
        let Some(layout) = locate_header(g, &|h| is_known_header(table, &tcfg, h), false) else { continue };
        if classify(&layout.keys, &layout.headers, cfg) == Fit::Table(table) {
            fits.push((layout.known, table));
        }
    }
    let Some(best) = fits.iter().map(|(k, _)| *k).max() else { return Fit::None };
    let top: Vec<Table> = fits.iter().filter(|(k, _)| *k == best).map(|(_, t)| *t).collect();
    match top.as_slice() {
        [one] => Fit::Table(*one),
        _ => Fit::Ambiguous(top),
    }
}
