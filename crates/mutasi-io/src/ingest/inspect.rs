//! What mutasi understood of an input folder, without validating or writing anything: each
//! file's (and sheet's) table, header row, column mapping, unused columns with alias
//! suggestions, date orders, decimal style, encoding, and its first rows as parsed.
//!
//! `mutasi inspect` prints it; it reads each file the way `mutasi validate` does (the same
//! discovery, header detection, mapping and profile), so what it shows is what a run will do.

use std::path::Path;

use super::cell::Cell;
use super::columns::{ColumnMap, suggestions};
use super::discover::{Unused, discover};
use super::file_error::FileError;
use super::profile;
use super::source::{RowEvent, Source, open_sources};
use mutasi_domain::config::Config;
use mutasi_domain::normalize::date::{DateOrder, iso, parse_date_ordered};
use mutasi_domain::schema::{DATE_COLUMNS, Table};

/// How many data rows are shown per source.
const SHOWN_ROWS: usize = 3;

/// One source (a file, or one sheet of a workbook) as mutasi reads it.
#[derive(Debug, Clone)]
pub struct Inspected {
    pub file: String,
    pub sheet: Option<String>,
    pub table: Table,
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub decimal: Option<&'static str>,
    /// Sheet rows (1-based) taken as header and layout.
    pub header_rows: Vec<u64>,
    /// Header → canonical column.
    pub mapping: Vec<(String, &'static str)>,
    pub unused: Vec<String>,
    /// Unused header, the column it looks like, and the alias line.
    pub suggestions: Vec<(String, &'static str, String)>,
    /// Header, order, basis.
    pub dates: Vec<(String, &'static str, &'static str)>,
    /// Values from the sheet's title or name, or the config.
    pub context: Vec<String>,
    /// The first data rows: row number and (column, value as read).
    pub rows: Vec<(u64, Vec<(&'static str, String)>)>,
    /// Why the columns do not fit the table, when they do not.
    pub problem: Option<String>,
}

impl Inspected {
    /// A source with nothing understood of it yet.
    fn new(file: String, sheet: Option<String>, table: Table, format: &'static str) -> Inspected {
        Inspected {
            file,
            sheet,
            table,
            format,
            encoding: None,
            delimiter: None,
            decimal: None,
            header_rows: Vec::new(),
            mapping: Vec::new(),
            unused: Vec::new(),
            suggestions: Vec::new(),
            dates: Vec::new(),
            context: Vec::new(),
            rows: Vec::new(),
            problem: None,
        }
    }
}

/// A cell as shown: identity values masked, dates read in their column's order.
fn shown(column: &str, cell: Cell<'_>, order: DateOrder) -> String {
    let raw = cell.raw();
    if raw.is_empty() {
        return "∅".into();
    }
    if ["nip", "nama", "nama_nip", "penilai_nip"].contains(&column) {
        let n = raw.chars().count();
        let keep: String = raw.chars().take(4).collect();
        return format!("{keep}{} ({n} karakter / chars)", "•".repeat(n.saturating_sub(4).min(14)));
    }
    if DATE_COLUMNS.contains(&column)
        && let Cell::Text(s) = cell
        && column != "periode"
    {
        return match parse_date_ordered(s, order) {
            Ok(d) => format!("{raw} → {}", iso(d)),
            Err(e) => format!("{raw} → tidak terbaca / unreadable ({e:?})"),
        };
    }
    raw
}

/// Everything `mutasi inspect` shows, and the data files no table takes.
pub fn inspect(input: &Path, cfg: &Config) -> Result<(Vec<Inspected>, Vec<Unused>), FileError> {
    let found = discover(input, cfg)?;
    let pool = super::pool_date_evidence(input, &found.inputs, cfg)?;
    let mut unused = found.unused.clone();
    let mut out = Vec::new();
    for inp in found.inputs {
        let tcfg = cfg.table(inp.table);
        let rel = inp.path.strip_prefix(input).unwrap_or(&inp.path).display().to_string();
        let opened = match open_sources(&inp.path, &rel, inp.detected, inp.table, &tcfg, inp.sheet.as_deref())
        {
            Ok(o) => o,
            Err(e) => {
                let mut it = Inspected::new(rel, inp.sheet, inp.table, inp.detected.name());
                it.problem = Some(format!("{}\n  hint: {}", e.message, e.hint));
                out.push(it);
                continue;
            }
        };
        unused.extend(opened.skipped);
        for src in opened.sources {
            out.push(inspect_source(&src, &inp.path, &rel, inp.table, cfg, &pool)?);
        }
    }
    Ok((out, unused))
}

fn inspect_source(
    src: &Source,
    path: &Path,
    rel: &str,
    table: Table,
    cfg: &Config,
    pool: &profile::DatePool,
) -> Result<Inspected, FileError> {
    let info = src.info();
    let mut base = Inspected::new(rel.to_string(), info.sheet.clone(), table, info.format);
    base.encoding = info.encoding;
    base.delimiter = info.delimiter;
    base.header_rows = info.header_rows.clone();
    // The same mapping a run makes, with a survey sheet's unit and period from its title or name.
    let (map, ctx): (ColumnMap, super::context::RowContext) = match super::source_map(src, path, table, cfg) {
        Ok(m) => m,
        Err(e) => {
            base.problem = Some(format!("{}\n  hint: {}", e.message, e.hint));
            return Ok(base);
        }
    };
    let headers = src.headers();
    let mut mapping: Vec<(usize, String, &'static str)> =
        map.columns().map(|(name, i)| (i, headers.get(i).cloned().unwrap_or_default(), name)).collect();
    for (i, w) in &map.wide {
        mapping.push((*i, headers.get(*i).cloned().unwrap_or_default(), w.indikator));
    }
    if let Some((y, m)) = map.year_month {
        mapping.push((y, headers.get(y).cloned().unwrap_or_default(), "periode (tahun)"));
        mapping.push((m, headers.get(m).cloned().unwrap_or_default(), "periode (bulan)"));
    }
    if let Some(y) = map.year_only {
        mapping.push((y, headers.get(y).cloned().unwrap_or_default(), "periode (tahun)"));
    }
    mapping.sort_by_key(|(i, _, _)| *i);
    let numeric: Vec<usize> = super::numeric_columns(table, &map);
    let dates = super::date_columns(&map, headers);
    let mut prof = profile::profile(src, path, &numeric, &dates)?;
    pool.apply(table, &mut prof);
    let orders = prof.orders(headers.len());
    let mut rows = Vec::new();
    src.for_each(path, &mut |ev| {
        if let RowEvent::Row { number, cells } = ev {
            let values = mapping
                .iter()
                .map(|(i, _, name)| {
                    let cell = cells.get(*i).copied().unwrap_or(Cell::Empty);
                    (*name, shown(name, cell, orders.get(*i).copied().unwrap_or_default()))
                })
                .collect();
            rows.push((number, values));
        }
        rows.len() < SHOWN_ROWS
    })?;
    base.decimal = (!numeric.is_empty()).then(|| prof.decimal.as_str());
    base.mapping = mapping.into_iter().map(|(_, h, n)| (h, n)).collect();
    base.unused = map.unused.clone();
    base.suggestions = suggestions(table, &map);
    base.dates = prof
        .dates
        .iter()
        .map(|d| {
            let (order, basis) = d.decide();
            (d.header.clone(), order.label(), basis.label())
        })
        .collect();
    base.context = ctx.notes;
    base.rows = rows;
    Ok(base)
}

/// The report as printed, Bahasa Indonesia first.
pub fn render(items: &[Inspected], unused: &[Unused]) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    for it in items {
        let sheet = it.sheet.as_deref().map(|s| format!(" › lembar / sheet `{s}`")).unwrap_or_default();
        let _ = writeln!(o, "{}{sheet}", it.file);
        let _ = writeln!(o, "  tabel / table: {}", it.table.name());
        let mut fmt = it.format.to_string();
        if let Some(e) = it.encoding {
            let _ = write!(fmt, ", {e}");
        }
        if let Some(d) = it.delimiter {
            let _ = write!(
                fmt,
                ", pemisah / delimiter '{}'",
                if d == '\t' { "\\t".to_string() } else { d.to_string() }
            );
        }
        if let Some(d) = it.decimal {
            let _ = write!(fmt, ", desimal / decimal {d}");
        }
        let _ = writeln!(o, "  format: {fmt}");
        if !it.header_rows.is_empty() {
            let rows: Vec<String> = it.header_rows.iter().map(u64::to_string).collect();
            let _ = writeln!(o, "  baris header / header rows: {}", rows.join(", "));
        }
        if let Some(p) = &it.problem {
            let _ = writeln!(o, "  MASALAH / PROBLEM: {p}");
            let _ = writeln!(o);
            continue;
        }
        let _ = writeln!(o, "  kolom / columns:");
        for (h, n) in &it.mapping {
            let _ = writeln!(o, "    {h:<32} → {n}");
        }
        if !it.unused.is_empty() {
            let _ = writeln!(o, "  tidak dipakai / unused: {}", it.unused.join(", "));
        }
        for (h, c, line) in &it.suggestions {
            let _ = writeln!(
                o,
                "  saran / suggestion: `{h}` mirip / looks like `{c}`; tambahkan / add:\n      {line}"
            );
        }
        for (h, order, basis) in &it.dates {
            let _ = writeln!(o, "  tanggal / dates `{h}`: {order} ({basis})");
        }
        for c in &it.context {
            let _ = writeln!(o, "  {c}");
        }
        if !it.rows.is_empty() {
            let _ = writeln!(o, "  baris pertama / first rows:");
            for (n, values) in &it.rows {
                let v: Vec<String> = values.iter().map(|(c, v)| format!("{c} = {v}")).collect();
                let _ = writeln!(o, "    {n}: {}", v.join("; "));
            }
        }
        let _ = writeln!(o);
    }
    if !unused.is_empty() {
        let _ = writeln!(o, "Tidak dibaca / Not read:");
        for u in unused {
            let sheet = u.sheet.as_deref().map(|s| format!(" › `{s}`")).unwrap_or_default();
            let _ = writeln!(o, "  {}{sheet}: {}", u.file, u.reason);
        }
    }
    o
}
