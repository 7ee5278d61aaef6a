//! Ingest: find the input files, read them, normalise every row, and keep what fails.
//!
//! [`discover`] says which file (or sheet) holds which table, by its name or else by its
//! headers, and what format its bytes are. Each is read through the format-neutral
//! [`source::Source`], its headers mapped through the alias table, its decimal style and the
//! day/month order of its date columns worked out from its values ([`profile`]), and each row
//! parsed by its table's parser in [`tables`]. Rows with a problem become rejects with file, row,
//! column, raw value and reason. A file that cannot be read at all stops the run with a
//! [`file_error::FileError`]; a data file or sheet that no table takes is listed with the reason.

pub mod cell;
pub mod columns;
pub mod context;
pub mod csv_source;
pub mod discover;
pub mod file_error;
pub mod inspect;
pub mod json_source;
pub mod markup;
pub mod profile;
pub mod row;
pub mod sheet_source;
pub mod source;
pub mod tables;
pub mod workbook;

use std::collections::HashMap;
use std::path::Path;

use cell::Cell;
use columns::{ColumnMap, map_columns, map_columns_keyed};
use discover::{Detected, Unused};
use file_error::{FileError, FileErrorKind};
use row::RowCtx;
use source::{FormatInfo, RowEvent, Source, open_sources};

use mutasi_domain::Finding;
use mutasi_domain::config::Config;
use mutasi_domain::model::{Prov, Tables};
use mutasi_domain::normalize::number::DecimalStyle;
use mutasi_domain::reason::Reason;
use mutasi_domain::schema::{Table, WideEncoding};

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
    /// The day/month order of each date column, and why.
    pub date_orders: Vec<DateOrderReport>,
    /// Values taken from outside the columns (a survey sheet's unit and period), and whence.
    pub context: Vec<String>,
}

/// How one date column of a file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOrderReport {
    pub column: &'static str,
    pub header: String,
    pub order: mutasi_domain::normalize::date::DateOrder,
    pub basis: profile::OrderBasis,
    /// The files of the table the decision pooled (1: this file alone).
    pub files: usize,
}

/// Everything ingest produced, before cross-table checks.
#[derive(Debug, Default)]
pub struct Loaded {
    pub tables: Tables,
    pub files: Vec<FileReport>,
    pub rejects: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// Data files and sheets of the input folder that no table takes, and why.
    pub unused: Vec<Unused>,
    /// What the job-history records became (set by the cross-table checks).
    pub riwayat: Option<crate::validate::riwayat::RiwayatCounts>,
}

/// Values of the numeric columns of a file, sampled to decide its decimal style.
pub(crate) fn numeric_columns(table: Table, map: &ColumnMap) -> Vec<usize> {
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

/// The date columns of a file: canonical name, position and header.
pub(crate) fn date_columns(map: &ColumnMap, headers: &[String]) -> Vec<(&'static str, usize, String)> {
    map.columns()
        .filter(|(name, _)| mutasi_domain::schema::DATE_COLUMNS.contains(name))
        .map(|(name, i)| (name, i, headers.get(i).cloned().unwrap_or_default()))
        .collect()
}

/// The file-level warnings of its date columns: one per column read in an assumed order, and one
/// per column that mixes both orders.
fn date_warnings(table: Table, file: u32, prof: &profile::Profile) -> Vec<(profile::PoolKey, Finding)> {
    let mut out = Vec::new();
    for d in &prof.dates {
        let (order, basis) = d.decide();
        let (reason, first) = match basis {
            profile::OrderBasis::Assumed => (Reason::DateOrderAssumed, &d.first_either),
            profile::OrderBasis::Mixed => {
                let minority = match order {
                    mutasi_domain::normalize::date::DateOrder::DayFirst => &d.first_month_first,
                    mutasi_domain::normalize::date::DateOrder::MonthFirst => &d.first_day_first,
                };
                (Reason::DateOrderMixed, minority)
            }
            _ => continue,
        };
        let Some((row, raw)) = first else { continue };
        let (id, en) = order.words();
        out.push((profile::pool_key(table, d), Finding::new(Prov { file, row: *row }, d.column, raw.clone(), reason).with_detail(format!(
            "kolom `{}` dibaca {id}: {} tanggal hanya hari-bulan, {} hanya bulan-hari, {} dua arah / column `{}` read {en}: {} day-first only, {} month-first only, {} either way",
            d.header, d.day_first, d.month_first, d.either, d.header, d.day_first, d.month_first, d.either
        ))));
    }
    out
}

/// Reads an optional NIP crosswalk (`nip_lama,nip_baru`).
fn load_crosswalk(input: &Path, cfg: &Config) -> Result<HashMap<String, u64>, FileError> {
    let Some(rel) = &cfg.nip_crosswalk else { return Ok(HashMap::new()) };
    let path = if rel.is_absolute() { rel.clone() } else { input.join(rel) };
    let src = csv_source::CsvSource::open(&path)?;
    let keys: Vec<String> = src.headers.iter().map(|h| mutasi_domain::schema::header_key(h)).collect();
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
            let o =
                mutasi_domain::normalize::nip::clean_nip(&cells.get(old).map(Cell::raw).unwrap_or_default());
            let n =
                mutasi_domain::normalize::nip::clean_nip(&cells.get(new).map(Cell::raw).unwrap_or_default());
            match mutasi_domain::normalize::nip::parse_nip(&n) {
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
    static SPARE_KINERJA: std::cell::RefCell<Vec<mutasi_domain::model::KinerjaRow>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether [`recycle`] keeps tables: set by a run of several partitions per thread
/// ([`keep_for_next_partition`]). A single run frees them, as it has nothing to validate next.
static KEEP_FOR_NEXT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes [`recycle`] keep (or free) emptied tables for the next partition of the same thread.
pub fn keep_for_next_partition(keep: bool) {
    KEEP_FOR_NEXT.store(keep, std::sync::atomic::Ordering::Relaxed);
}

/// Whether emptied tables are kept for the next partition ([`keep_for_next_partition`]).
pub fn keeps_tables() -> bool {
    KEEP_FOR_NEXT.load(std::sync::atomic::Ordering::Relaxed)
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

/// The message for a required table with no file: what the folder holds instead, and why
/// each data file there was not taken.
fn missing_table(input: &Path, table: Table, found: &discover::Discovery) -> FileError {
    let taken = found.inputs.iter().map(|i| {
        let file = i.path.strip_prefix(input).unwrap_or(&i.path).display().to_string();
        let sheet = i.sheet.as_deref().map(|s| format!(" (lembar / sheet `{s}`)")).unwrap_or_default();
        format!("{file}{sheet}: dibaca sebagai / read as {}", i.table.name())
    });
    let not_taken = found.unused.iter().map(|u| match &u.sheet {
        Some(s) => format!("{} (lembar / sheet `{s}`): {}", u.file, u.reason),
        None => format!("{}: {}", u.file, u.reason),
    });
    let found: Vec<String> = taken.chain(not_taken).collect();
    let listed = if found.is_empty() {
        String::new()
    } else {
        format!("; berkas yang ada / files found: {}", found.join("; "))
    };
    FileError::new(
        input,
        FileErrorKind::Io,
        format!(
            "tabel wajib `{}` tidak ditemukan di folder masukan / required table not found{listed}",
            table.name()
        ),
        format!(
            "letakkan {0}.csv, {0}.xlsx, {0}.xls, {0}.json atau {0}.parquet di folder masukan, atau ekspor yang headernya dikenali / put the table's file in the input folder",
            table.name()
        ),
    )
}

/// What every file of a folder is read with: the NIP crosswalk, SIASN person ids and the date
/// evidence pooled over a table's files.
struct Shared<'a> {
    input: &'a Path,
    cfg: &'a Config,
    crosswalk: &'a HashMap<String, u64>,
    pns_ids: &'a HashMap<String, u64>,
    pool: &'a profile::DatePool,
}

/// What reading one input file gave besides its rows: a report per source, the sheets it left
/// out, and the date-order warnings to give unless an earlier file gave them.
struct InputRead {
    reports: Vec<FileReport>,
    skipped: Vec<Unused>,
    date_warnings: Vec<(profile::PoolKey, Finding)>,
}

/// Reads one input file into `loaded`, its sources numbered from `first_file`.
fn read_input(
    shared: &Shared<'_>,
    input_file: &discover::Input,
    first_file: u32,
    loaded: &mut Loaded,
    interner: &mut tables::Interner,
    memo: &mut row::ParseMemo,
) -> Result<InputRead, FileError> {
    let (table, path) = (input_file.table, input_file.path.as_path());
    let cfg = shared.cfg;
    let tcfg = cfg.table(table);
    let rel = path.strip_prefix(shared.input).unwrap_or(path).display().to_string();
    let opened = open_sources(path, &rel, input_file.detected, table, &tcfg, input_file.sheet.as_deref())?;
    let mut read = InputRead { reports: Vec::new(), skipped: opened.skipped, date_warnings: Vec::new() };
    for src in opened.sources {
        let info = src.info();
        let name = match (&info.sheet, opened.several_sheets) {
            (Some(sheet), true) => format!("{rel}#{sheet}"),
            _ => rel.clone(),
        };
        let (map, context) = source_map(&src, path, table, cfg)?;
        let file_idx = first_file + read.reports.len() as u32;
        let (report, date_warnings) = read_source(
            &src,
            path,
            Pass {
                table,
                map: &map,
                file: file_idx,
                crosswalk: shared.crosswalk,
                pns_ids: shared.pns_ids,
                context: &context,
                reported_indikator: &cfg.service.reported_indikator,
            },
            shared.pool,
            loaded,
            interner,
            memo,
        )?;
        // Only the context values the rows used are worth reporting.
        let notes = context
            .notes
            .iter()
            .filter(|n| {
                (n.starts_with("unit") && !map.has("unit_id"))
                    || (n.starts_with("periode") && !map.has("tanggal"))
            })
            .cloned()
            .collect();
        read.reports.push(FileReport { name, info, context: notes, ..report });
        read.date_warnings.extend(date_warnings);
    }
    Ok(read)
}

/// Adds one input's reports, skipped sheets and date warnings to `loaded`, each date warning
/// once per pooled column (the first file with an example of it gives it).
fn add_read(loaded: &mut Loaded, read: InputRead, warned: &mut std::collections::HashSet<profile::PoolKey>) {
    loaded.unused.extend(read.skipped);
    loaded.files.extend(read.reports);
    for (key, finding) in read.date_warnings {
        if warned.insert(key) {
            loaded.warnings.push(finding);
        }
    }
}

/// Kinerja files read side by side: flat files (one source each), whose rows only add to the
/// kinerja table. Everything else is read one file after another.
fn read_alongside(input: &discover::Input) -> bool {
    input.table == Table::Kinerja && matches!(input.detected, Detected::Csv | Detected::Parquet)
}

/// Moves a kinerja file read on its own (`part`, its texts coded by `local`) into `loaded`: its
/// codes become `interner`'s, taken in the order the file first used them, so the codes come out
/// as a reading of the files one after another gives them.
fn merge_part(
    loaded: &mut Loaded,
    interner: &mut tables::Interner,
    mut part: Loaded,
    local: tables::Interner,
) {
    let local = local.into_symbols();
    let code: Vec<mutasi_domain::model::Sym> =
        (0..local.len() as u32).map(|c| interner.code(local.name(c))).collect();
    for k in &mut part.tables.kinerja {
        k.indikator = code[k.indikator as usize];
        k.unit_id = k.unit_id.map(|u| code[u as usize]);
    }
    if loaded.tables.kinerja.is_empty() && loaded.tables.kinerja.capacity() < part.tables.kinerja.len() {
        loaded.tables.kinerja = std::mem::take(&mut part.tables.kinerja);
    } else {
        loaded.tables.kinerja.append(&mut part.tables.kinerja);
    }
    loaded.rejects.append(&mut part.rejects);
    loaded.warnings.append(&mut part.warnings);
}

/// Loads every table from `input`. Fails on the first file (in the folder's order) that cannot
/// be read at all.
///
/// Kinerja files in a row are read side by side, as many at once as the thread pool has
/// threads (two on the standard machine; one per partition when partitions run in parallel),
/// each into its own table, merged in the folder's order: the result is the one a reading of
/// the files one after another gives, row for row and code for code (`docs/benchmarks.md`).
pub fn load(input: &Path, cfg: &Config) -> Result<Loaded, FileError> {
    let found = discover::discover(input, cfg)?;
    for table in Table::ALL.into_iter().filter(|t| t.is_required()) {
        if !found.inputs.iter().any(|i| i.table == table) {
            return Err(missing_table(input, table, &found));
        }
    }
    let crosswalk = load_crosswalk(input, cfg)?;
    let pool = pool_date_evidence(input, &found.inputs, cfg)?;
    let mut warned: std::collections::HashSet<profile::PoolKey> = std::collections::HashSet::new();
    let mut loaded = Loaded { unused: found.unused.clone(), ..Loaded::default() };
    // The memory of this thread's previous kinerja table, already mapped.
    loaded.tables.kinerja = SPARE_KINERJA.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut interner = tables::Interner::default();
    let mut memo = row::ParseMemo::default();
    // Kinerja rows to come from Parquet files, from their footers: rows times the file's
    // indicator columns (a wide row gives one row per indicator column). The table is sized for
    // all of them at the first kinerja file instead of growing by copies of millions of rows.
    let declared: Vec<usize> = found
        .inputs
        .iter()
        .map(|i| {
            if i.table != Table::Kinerja || i.detected != Detected::Parquet {
                return 0;
            }
            let Some((rows, headers)) = crate::data::parquet_in::declared_shape(&i.path) else { return 0 };
            // A file whose columns do not map is reported when it is read.
            let wide = map_columns(&i.path, i.table, &cfg.table(i.table), &headers)
                .map_or(1, |m| m.wide.len().max(1));
            rows.saturating_mul(wide)
        })
        .collect();
    let mut kinerja_left: usize = declared.iter().sum();
    // SIASN person id → NIP, built once the pegawai files are read (they are read before every
    // table that may name people by that id).
    let mut pns_ids: Option<HashMap<String, u64>> = None;
    let empty = HashMap::new();
    let side_by_side = rayon::current_num_threads().max(1);
    let inputs = &found.inputs;
    let mut at = 0;
    while at < inputs.len() {
        let table = inputs[at].table;
        if !matches!(table, Table::UnitKerja | Table::Pegawai) && pns_ids.is_none() {
            let mut ids = HashMap::new();
            for p in &loaded.tables.pegawai {
                if let Some(id) = &p.pns_id {
                    ids.entry(id.clone()).or_insert(p.nip.value);
                }
            }
            pns_ids = Some(ids);
        }
        let shared = Shared {
            input,
            cfg,
            crosswalk: &crosswalk,
            pns_ids: pns_ids.as_ref().unwrap_or(&empty),
            pool: &pool,
        };
        // The next files to read: a run of kinerja files read side by side, or one file.
        let run = if side_by_side > 1 && read_alongside(&inputs[at]) {
            inputs[at..].iter().take(side_by_side).take_while(|i| read_alongside(i)).count()
        } else {
            1
        };
        if table == Table::Kinerja {
            // Only a hint: a footer declaring more rows than memory holds leaves the table to grow.
            let _ = loaded.tables.kinerja.try_reserve(kinerja_left);
            kinerja_left -= declared[at..at + run].iter().sum::<usize>();
        }
        if run == 1 {
            let first = loaded.files.len() as u32;
            let read = read_input(&shared, &inputs[at], first, &mut loaded, &mut interner, &mut memo)?;
            add_read(&mut loaded, read, &mut warned);
        } else {
            use rayon::prelude::*;
            let first = loaded.files.len() as u32;
            let parts: Vec<Result<(Loaded, tables::Interner, InputRead), FileError>> = inputs[at..at + run]
                .par_iter()
                .enumerate()
                .map(|(k, inp)| {
                    let (mut part, mut local, mut memo) =
                        (Loaded::default(), tables::Interner::default(), row::ParseMemo::default());
                    let read = read_input(&shared, inp, first + k as u32, &mut part, &mut local, &mut memo)?;
                    Ok((part, local, read))
                })
                .collect();
            for part in parts {
                let (part, local, read) = part?;
                merge_part(&mut loaded, &mut interner, part, local);
                add_read(&mut loaded, read, &mut warned);
            }
        }
        at += run;
    }
    loaded.tables.symbols = interner.into_symbols();
    Ok(loaded)
}

/// Columns headed `U8`/`U9` (or `unsur 8`/`unsur 9`) hold sarana and pengaduan in the
/// questionnaire's order: exchanged, so `u8` is pengaduan and `u9` sarana as everywhere else.
/// Columns named by their wording are already right.
fn swap_numbered_u8_u9(map: &mut ColumnMap, keys: &[Vec<String>]) {
    let numbered = |col: &str, n: &str| {
        map.get(col)
            .and_then(|i| keys.get(i))
            .is_some_and(|k| k.iter().any(|k| k == &format!("u{n}") || k == &format!("unsur{n}")))
    };
    if numbered("u8", "8") && numbered("u9", "9") {
        map.swap("u8", "u9");
    }
}

/// A source's column map and the values its rows take from elsewhere (a survey sheet's unit
/// and period from its title, name or the config).
pub(crate) fn source_map(
    src: &Source,
    path: &Path,
    table: Table,
    cfg: &Config,
) -> Result<(ColumnMap, context::RowContext), FileError> {
    let tcfg = cfg.table(table);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let context = if table == Table::Skm {
        context::survey_context(&tcfg, &src.title_lines(), src.info().sheet.as_deref(), stem)
    } else {
        context::RowContext::default()
    };
    let mut provided: Vec<&str> = Vec::new();
    if context.unit.is_some() {
        provided.push("unit_id");
    }
    if context.periode.is_some() {
        provided.push("tanggal");
    }
    let mut map = map_columns_keyed(path, table, &tcfg, src.headers(), &src.keys(), &provided)?;
    if table == Table::Skm && cfg.service.u8_u9 == "sarana_pengaduan" {
        swap_numbered_u8_u9(&mut map, &src.keys());
    }
    Ok((map, context))
}

/// Date-order evidence pooled over the files of one table that share a column's header: a
/// table split over many files (one SIASN response per person) is one column, decided once.
/// Only tables read from several files are pooled, and only their date columns other than
/// `periode`; Parquet files (typed dates) are not read twice for it.
pub(crate) fn pool_date_evidence(
    input: &Path,
    inputs: &[discover::Input],
    cfg: &Config,
) -> Result<profile::DatePool, FileError> {
    let mut pool = profile::DatePool::default();
    for table in Table::ALL {
        let files: Vec<&discover::Input> = inputs.iter().filter(|i| i.table == table).collect();
        if files.len() < 2 {
            continue;
        }
        for inp in files.into_iter().filter(|i| i.detected != Detected::Parquet) {
            let rel = inp.path.strip_prefix(input).unwrap_or(&inp.path).display().to_string();
            let tcfg = cfg.table(table);
            // A CSV's header says whether it has such a column, without reading the file: a
            // kinerja part has only `periode`.
            if inp.detected == Detected::Csv {
                let headers = csv_source::CsvSource::peek_headers(&inp.path)?;
                let keys: Vec<Vec<String>> =
                    headers.iter().map(|h| vec![mutasi_domain::schema::header_key(h)]).collect();
                let provided: &[&str] = if table == Table::Skm { &["unit_id", "tanggal"] } else { &[] };
                let pooled =
                    map_columns_keyed(&inp.path, table, &tcfg, &headers, &keys, provided).is_ok_and(|m| {
                        m.columns()
                            .any(|(c, _)| mutasi_domain::schema::DATE_COLUMNS.contains(&c) && c != "periode")
                    });
                if !pooled {
                    continue;
                }
            }
            let opened = open_sources(&inp.path, &rel, inp.detected, table, &tcfg, inp.sheet.as_deref())?;
            for src in opened.sources {
                let (map, _) = source_map(&src, &inp.path, table, cfg)?;
                let dates: Vec<_> = date_columns(&map, src.headers())
                    .into_iter()
                    .filter(|(c, _, _)| *c != "periode")
                    .collect();
                if dates.is_empty() {
                    continue;
                }
                let prof = profile::profile(&src, &inp.path, &[], &dates)?;
                pool.add(table, &prof);
            }
        }
    }
    Ok(pool)
}

/// The lengths of what a file's rows add to, so a file read in the wrong date order can be read
/// again from scratch.
struct Lengths {
    tables: [usize; 9],
    rejects: usize,
    warnings: usize,
}

impl Lengths {
    fn of(l: &Loaded) -> Lengths {
        let t = &l.tables;
        Lengths {
            tables: [
                t.unit_kerja.len(),
                t.pegawai.len(),
                t.mutasi.len(),
                t.riwayat_jabatan.len(),
                t.kinerja.len(),
                t.layanan.len(),
                t.skm.len(),
                t.permohonan.len(),
                t.pelatihan.len(),
            ],
            rejects: l.rejects.len(),
            warnings: l.warnings.len(),
        }
    }

    fn restore(&self, l: &mut Loaded) {
        let t = &mut l.tables;
        let [u, p, m, r, k, ly, s, pm, pl] = self.tables;
        t.unit_kerja.truncate(u);
        t.pegawai.truncate(p);
        t.mutasi.truncate(m);
        t.riwayat_jabatan.truncate(r);
        t.kinerja.truncate(k);
        t.layanan.truncate(ly);
        t.skm.truncate(s);
        t.permohonan.truncate(pm);
        t.pelatihan.truncate(pl);
        l.rejects.truncate(self.rejects);
        l.warnings.truncate(self.warnings);
    }
}

/// How one source's rows are read: into which table, through which columns, with which
/// crosswalks and sheet context.
#[derive(Clone, Copy)]
struct Pass<'a> {
    table: Table,
    map: &'a ColumnMap,
    file: u32,
    crosswalk: &'a HashMap<String, u64>,
    /// SIASN person id → NIP.
    pns_ids: &'a HashMap<String, u64>,
    context: &'a context::RowContext,
    /// The `layanan` indicator an IKM worksheet's own IKM is recorded under.
    reported_indikator: &'a str,
}

impl Pass<'_> {
    /// Parses every row into `loaded` with the given decimal style and date orders; `observe`
    /// takes the date columns' evidence on the way. Returns the rows read and the layout rows
    /// among them.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        src: &Source,
        path: &Path,
        decimal: DecimalStyle,
        orders: &[mutasi_domain::normalize::date::DateOrder],
        mut observe: Option<&mut Vec<profile::DateColumn>>,
        loaded: &mut Loaded,
        interner: &mut tables::Interner,
        memo: &mut row::ParseMemo,
    ) -> Result<(u64, u64), FileError> {
        let Pass { table, map, file: file_idx, crosswalk, pns_ids, context, reported_indikator } = *self;
        let mut rows_read = 0u64;
        let mut layout_rows = 0u64;
        let t = &mut loaded.tables;
        let (rejects, warnings) = (&mut loaded.rejects, &mut loaded.warnings);
        // Row numbers are kept in 32 bits (`Prov`); a file with more rows is refused whole.
        let mut too_long: Option<u64> = None;
        src.for_each(path, &mut |ev| {
            let (RowEvent::Row { number, .. } | RowEvent::Ragged { number, .. }) = &ev;
            let Ok(number) = u32::try_from(*number) else {
                too_long = Some(*number);
                return false;
            };
            rows_read += 1;
            match ev {
                RowEvent::Ragged { found, expected, raw, .. } => {
                    let f = Finding::new(Prov { file: file_idx, row: number }, "*", raw, Reason::RaggedRow)
                        .with_detail(format!(
                            "{found} kolom, header {expected} / {found} fields, header has {expected}"
                        ));
                    rejects.push(f);
                }
                RowEvent::Row { cells, .. } => {
                    if let Some(columns) = observe.as_deref_mut() {
                        for c in columns.iter_mut() {
                            if let Some(Cell::Text(s)) = cells.get(c.index) {
                                c.observe(number, s);
                            }
                        }
                    }
                    let mut ctx = RowCtx {
                        prov: Prov { file: file_idx, row: number },
                        cells,
                        map,
                        orders,
                        context,
                        decimal,
                        crosswalk,
                        pns_ids,
                        memo: &mut *memo,
                        rejects: Vec::new(),
                        warnings: Vec::new(),
                    };
                    match table {
                        Table::UnitKerja => t.unit_kerja.extend(tables::unit_kerja(&mut ctx)),
                        Table::Pegawai => t.pegawai.extend(tables::pegawai(&mut ctx)),
                        Table::Mutasi => t.mutasi.extend(tables::mutasi(&mut ctx)),
                        Table::RiwayatJabatan => t.riwayat_jabatan.extend(tables::riwayat_jabatan(&mut ctx)),
                        Table::Kinerja => tables::kinerja(&mut ctx, &mut *interner, &mut t.kinerja),
                        Table::Layanan => t.layanan.extend(tables::layanan(&mut ctx, &mut *interner)),
                        Table::Skm => match tables::skm(&mut ctx) {
                            tables::SkmOutcome::Row(r) => t.skm.push(r),
                            tables::SkmOutcome::Rejected => {}
                            // The worksheet's own IKM, kept to compare with the one computed.
                            tables::SkmOutcome::Summary(Some(v))
                                if context.unit.is_some() && context.periode.is_some() =>
                            {
                                t.layanan.push(mutasi_domain::model::LayananRow {
                                    prov: ctx.prov,
                                    unit_id: context.unit.clone().unwrap_or_default(),
                                    periode: context
                                        .periode
                                        .unwrap_or(mutasi_domain::normalize::period::Period::month(1970, 1)),
                                    indikator: interner.indicator(reported_indikator),
                                    nilai: v,
                                });
                            }
                            // A summary or note row is layout, not a row read.
                            tables::SkmOutcome::Summary(_) => layout_rows += 1,
                        },
                        Table::Permohonan => t.permohonan.extend(tables::permohonan(&mut ctx)),
                        Table::Pelatihan => t.pelatihan.extend(tables::pelatihan(&mut ctx)),
                    }
                    rejects.append(&mut ctx.rejects);
                    warnings.append(&mut ctx.warnings);
                }
            }
            true
        })?;
        if let Some(row) = too_long {
            return Err(FileError::new(
                path,
                FileErrorKind::NotASpreadsheet,
                format!(
                    "berkas lebih dari {} baris (baris {row}) / the file has more than {} rows (row {row})",
                    u32::MAX,
                    u32::MAX
                ),
                "pecah ekspornya menjadi beberapa berkas, misalnya per tahun / split the export into several files, e.g. one per year",
            ));
        }
        Ok((rows_read, layout_rows))
    }
}

/// Reads one source's rows into `loaded`'s tables, rejects and warnings; returns its report
/// (name and format filled in by the caller) and its date-order warnings (given once per pooled
/// column by the caller). `pool` holds the date-order evidence of the table's other files.
fn read_source(
    src: &Source,
    path: &Path,
    pass: Pass<'_>,
    pool: &profile::DatePool,
    loaded: &mut Loaded,
    interner: &mut tables::Interner,
    memo: &mut row::ParseMemo,
) -> Result<(FileReport, Vec<(profile::PoolKey, Finding)>), FileError> {
    let (table, map, file_idx) = (pass.table, pass.map, pass.file);
    // A `periode` column's order from the sample the decimal style comes from; the other date
    // columns' from all their values, observed while the rows are read.
    let (sampled, whole): (Vec<_>, Vec<_>) =
        date_columns(map, src.headers()).into_iter().partition(|(c, _, _)| *c == "periode");
    let mut prof = profile::profile(src, path, &numeric_columns(table, map), &sampled)?;
    let decimal = prof.decimal;
    let width = src.headers().len();
    let mut observed: Vec<profile::DateColumn> =
        whole.iter().map(|(c, i, h)| profile::DateColumn::new(c, *i, h)).collect();
    // Read day-first unless the table's other files already decided otherwise (pooled).
    let mut first = prof.clone();
    first.dates.extend(observed.iter().cloned());
    pool.apply(table, &mut first);
    let first_orders = first.orders(width);
    let before = Lengths::of(loaded);
    let (mut rows_read, mut layout_rows) =
        pass.run(src, path, decimal, &first_orders, Some(&mut observed), loaded, interner, memo)?;
    prof.dates.extend(observed);
    pool.apply(table, &mut prof);
    let orders = prof.orders(width);
    if orders != first_orders {
        // A month-first column: the rows are read again in its order.
        before.restore(loaded);
        (rows_read, layout_rows) = pass.run(src, path, decimal, &orders, None, loaded, interner, memo)?;
    }
    let rows_read = rows_read - layout_rows;
    if rows_read == 0 {
        return Err(FileError::new(
            path,
            FileErrorKind::NoDataRows,
            "berkas hanya berisi header, tanpa baris data / header only, no data rows",
            "ekspor ulang dengan data, atau hapus berkas ini dari folder masukan / re-export with data or remove the file",
        ));
    }
    // One warning per column, pooled or not: the first file with an example of it says it
    // (the caller keeps count).
    let dated = date_warnings(table, file_idx, &prof);
    // Unused columns that look like a missing field: say so, with the alias line to add.
    // Header rows are among a sheet's first rows, so their number fits the 32 bits of `Prov`.
    let header_row = src.info().header_rows.first().copied().and_then(|r| u32::try_from(r).ok()).unwrap_or(0);
    // A job history named as a transfer list would count every first appointment as a transfer.
    if table == Table::Mutasi
        && !map.has("unit_asal_id")
        && discover::classify(&src.keys(), src.headers(), &mutasi_domain::config::Config::default())
            == discover::Fit::Table(Table::RiwayatJabatan)
    {
        loaded.warnings.push(Finding::new(
            Prov { file: file_idx, row: header_row },
            "unit_asal_id",
            "",
            Reason::MutasiLooksLikeHistory,
        ));
    }
    for (header, column, line) in columns::suggestions(table, map) {
        loaded.warnings.push(
            Finding::new(
                Prov { file: file_idx, row: header_row },
                column,
                header,
                Reason::ColumnLooksLikeField,
            )
            .with_detail(line),
        );
    }
    let has_numbers = !numeric_columns(table, map).is_empty();
    let report = FileReport {
        name: String::new(),
        table,
        info: FormatInfo::default(),
        decimal: has_numbers.then_some(decimal),
        rows_read,
        unused_headers: map.unused.clone(),
        context: Vec::new(),
        date_orders: prof
            .dates
            .iter()
            .map(|d| {
                let (order, basis) = d.decide();
                DateOrderReport {
                    column: d.column,
                    header: d.header.clone(),
                    order,
                    basis,
                    files: d.pooled_files.max(1),
                }
            })
            .collect(),
    };
    Ok((report, dated))
}
