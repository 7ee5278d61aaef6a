//! Turning one row of cells into typed values, recording every problem as a [`Finding`].
//!
//! [`RowCtx`] is created per row. Its getters return `None` and record a reject when a value is
//! bad, so a table parser reads like a list of columns, and a row with any reject is dropped as a
//! whole.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::cell::Cell;
use super::columns::ColumnMap;
use mutasi_domain::Finding;
use mutasi_domain::model::Prov;
use mutasi_domain::normalize::date::{
    DateError, DateOrder, check_range, from_excel_serial, parse_date_ordered,
};
use mutasi_domain::normalize::nip::{Nip, NipError, nip_text_from_number, parse_nip};
use mutasi_domain::normalize::number::{DecimalStyle, NumberError, parse_number};
use mutasi_domain::normalize::period::{Period, PeriodError, parse_period, parse_period_ordered};
use mutasi_domain::reason::Reason;

/// Excel error values, as they appear in cells and in CSV saved from Excel.
pub const EXCEL_ERRORS: [&str; 8] =
    ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#DATA!"];

pub struct RowCtx<'a, 'c> {
    pub prov: Prov,
    pub cells: &'a [Cell<'a>],
    pub map: &'a ColumnMap,
    /// The day/month order of each of the file's columns, by position.
    pub orders: &'a [DateOrder],
    /// Values the file's rows get where they have no column (a survey sheet's unit and period).
    pub context: &'a super::context::RowContext,
    pub decimal: DecimalStyle,
    pub crosswalk: &'c HashMap<String, u64>,
    /// SIASN person id → NIP, from the `pegawai` rows read before.
    pub pns_ids: &'c HashMap<String, u64>,
    pub memo: &'c mut ParseMemo,
    pub rejects: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

/// Parses of text values already seen in this load. A kinerja export repeats each NIP once per
/// month and indicator, and each period once per employee: each distinct text is parsed once.
/// The parses are pure functions of the text (and of the crosswalk, fixed for a load), so a
/// remembered result is the result. Bounded, so a flat national file cannot grow it without end.
#[derive(Default)]
pub struct ParseMemo {
    nip: Remembered<Result<Nip, NipError>>,
    /// Day-first and month-first parses: a text may be read in either order by different files.
    period: [Remembered<Result<Period, PeriodError>>; 2],
}

/// The parses of one kind of text, and the last one looked up: an export lists a person's rows
/// together, so most lookups are the text of the row before and need no hashing.
struct Remembered<T> {
    map: foldhash::HashMap<String, T>,
    last: Option<(String, T)>,
}

impl<T> Default for Remembered<T> {
    fn default() -> Self {
        Remembered { map: foldhash::HashMap::default(), last: None }
    }
}

impl ParseMemo {
    /// Distinct texts remembered per kind; later ones are parsed every time.
    const LIMIT: usize = 1 << 20;

    fn remember<T: Clone>(memo: &mut Remembered<T>, key: &str, parse: impl FnOnce() -> T) -> T {
        if let Some((text, v)) = &memo.last
            && text == key
        {
            return v.clone();
        }
        let v = match memo.map.get(key) {
            Some(v) => v.clone(),
            None => {
                let v = parse();
                if memo.map.len() < Self::LIMIT {
                    memo.map.insert(key.to_string(), v.clone());
                }
                v
            }
        };
        match &mut memo.last {
            Some((text, last)) => {
                text.clear();
                text.push_str(key);
                *last = v.clone();
            }
            None => memo.last = Some((key.to_string(), v.clone())),
        }
        v
    }
}

fn nip_reason(e: &NipError) -> Reason {
    match e {
        NipError::Empty => Reason::RequiredEmpty,
        NipError::ExcelDamaged => Reason::NipExcelDamaged,
        NipError::OldNipUnmapped => Reason::NipOldUnmapped,
        NipError::WrongLength(_) => Reason::NipWrongLength,
        NipError::NotDigits => Reason::NipNotDigits,
        NipError::BirthDateInvalid => Reason::NipBirthDate,
        NipError::TmtInvalid => Reason::NipTmt,
        NipError::PppkCodeInvalid => Reason::NipPppkCode,
        NipError::GenderDigitInvalid => Reason::NipGender,
    }
}

impl<'a, 'c> RowCtx<'a, 'c> {
    pub fn cell(&self, column: &str) -> Cell<'a> {
        self.map.get(column).and_then(|i| self.cells.get(i).copied()).unwrap_or(Cell::Empty)
    }

    /// The day/month order of `column`'s file column.
    fn order(&self, column: &str) -> DateOrder {
        self.map.get(column).and_then(|i| self.orders.get(i).copied()).unwrap_or_default()
    }

    pub fn cell_at(&self, idx: usize) -> Cell<'a> {
        self.cells.get(idx).copied().unwrap_or(Cell::Empty)
    }

    pub fn reject(&mut self, column: &str, cell: Cell<'_>, reason: Reason) {
        self.rejects.push(Finding::new(self.prov, column, cell.raw(), reason));
    }

    pub fn warn(&mut self, column: &str, raw: impl Into<String>, reason: Reason) {
        self.warnings.push(Finding::new(self.prov, column, raw, reason));
    }

    /// Rejects an Excel error cell; true when the cell is usable.
    fn usable(&mut self, column: &str, cell: Cell<'_>) -> bool {
        let is_error = match cell {
            Cell::Error(_) => true,
            // CSV saved from Excel keeps error values as text.
            // Every error value starts with `#`; most texts are ruled out by their first byte.
            Cell::Text(s) => s.trim_start().starts_with('#') && EXCEL_ERRORS.contains(&s.trim()),
            _ => false,
        };
        if is_error {
            self.reject(column, cell, Reason::ExcelErrorCell);
        }
        !is_error
    }

    /// True when the cell holds a usable value; a blank (rejected when `required`) or an Excel
    /// error is not.
    fn present(&mut self, column: &str, cell: Cell<'_>, required: bool) -> bool {
        if cell.is_blank() {
            if required {
                self.reject(column, cell, Reason::RequiredEmpty);
            }
            return false;
        }
        self.usable(column, cell)
    }

    /// The parsed value, or a reject with the error's reason.
    fn settle<T, E: Into<Reason>>(
        &mut self,
        column: &str,
        cell: Cell<'_>,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.reject(column, cell, e.into());
                None
            }
        }
    }

    /// Text, trimmed; `None` when blank. Numbers become their plain text.
    pub fn text(&mut self, column: &str) -> Option<String> {
        self.text_ref(column).map(Cow::into_owned)
    }

    /// [`RowCtx::text`] borrowing the cell's text where it can (no copy per row for texts that
    /// are only looked up).
    pub fn text_ref(&mut self, column: &str) -> Option<Cow<'a, str>> {
        let cell = self.cell(column);
        if cell.is_blank() || !self.usable(column, cell) {
            return None;
        }
        Some(match cell {
            // A leading apostrophe is Excel's "keep as text" mark, not part of the value.
            Cell::Text(s) => Cow::Borrowed(s.trim().strip_prefix('\'').map_or(s.trim(), str::trim_start)),
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cow::Owned(format!("{f:.0}")),
            other => Cow::Owned(other.raw()),
        })
    }

    pub fn required_text(&mut self, column: &str) -> Option<String> {
        self.required_text_ref(column).map(Cow::into_owned)
    }

    /// [`RowCtx::required_text`], borrowing as [`RowCtx::text_ref`] does.
    pub fn required_text_ref(&mut self, column: &str) -> Option<Cow<'a, str>> {
        let before = self.rejects.len();
        let v = self.text_ref(column);
        if v.is_none() && self.rejects.len() == before {
            self.reject(column, Cell::Empty, Reason::RequiredEmpty);
        }
        v
    }

    /// A NIP, through the old-NIP crosswalk when one is loaded; for a file that names people by
    /// their SIASN id instead (`pns_id`), the NIP of that id in `pegawai`.
    pub fn nip(&mut self, column: &str, required: bool) -> Option<Nip> {
        if column == "nip" && !self.map.has("nip") && self.map.has("pns_id") {
            let cell = self.cell("pns_id");
            let id = self.text_ref("pns_id")?;
            return match self.pns_ids.get(id.as_ref()) {
                Some(n) => parse_nip(&format!("{n:018}")).ok(),
                None => {
                    self.reject("pns_id", cell, Reason::PnsIdUnknown);
                    None
                }
            };
        }
        let cell = self.cell(column);
        self.nip_of(column, cell, required)
    }

    /// [`RowCtx::nip`] of a given cell (a part of another column's text).
    pub fn nip_of(&mut self, column: &str, cell: Cell<'_>, required: bool) -> Option<Nip> {
        if !self.present(column, cell, required) {
            return None;
        }
        let text: std::borrow::Cow<'_, str> = match cell {
            Cell::Text(s) => s.into(),
            Cell::Int(i) => i.to_string().into(),
            // An 18-digit NIP stored as a floating-point number has already lost digits
            // (Excel keeps 15 significant digits, a double about 16): it cannot be trusted.
            Cell::Float(f) if f >= 1e9 => {
                self.reject(column, cell, Reason::NipExcelDamaged);
                return None;
            }
            Cell::Float(f) => nip_text_from_number(f).into(),
            other => other.raw().into(),
        };
        let crosswalk = self.crosswalk;
        let parsed = ParseMemo::remember(&mut self.memo.nip, &text, || {
            let cleaned = mutasi_domain::normalize::nip::clean_nip(&text);
            match crosswalk.get(&cleaned) {
                Some(new) if cleaned.len() == 9 => parse_nip(&format!("{new:018}")),
                _ => parse_nip(&text),
            }
        });
        self.settle(column, cell, parsed.map_err(|e| nip_reason(&e)))
    }

    /// A date from a typed cell, an Excel serial number or text.
    pub fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let cell = self.cell(column);
        if !self.present(column, cell, required) {
            return None;
        }
        let parsed = match cell {
            Cell::Date(d) => check_range(d),
            Cell::DateTime(d) => check_range(d.date()),
            Cell::Int(i) => from_excel_serial(i as f64).ok_or(DateError::Unrecognised).and_then(check_range),
            Cell::Float(f) => from_excel_serial(f).ok_or(DateError::Unrecognised).and_then(check_range),
            Cell::Text(s) => parse_date_ordered(s, self.order(column)),
            _ => Err(DateError::Unrecognised),
        };
        self.settle(column, cell, parsed)
    }

    /// A reporting period from a typed date cell or text.
    pub fn period_of(&mut self, column: &str, cell: Cell<'_>) -> Option<Period> {
        if !self.present(column, cell, true) {
            return None;
        }
        let month_of =
            |d: NaiveDate| check_range(d).map(Period::of_date).map_err(|_| PeriodError::OutOfRange);
        let parsed = match cell {
            Cell::Date(d) => month_of(d),
            Cell::DateTime(d) => month_of(d.date()),
            Cell::Int(i) => parse_period(&i.to_string()),
            // An Excel date serial in a period column.
            Cell::Float(f) if f.fract() == 0.0 && f > 10_000.0 && f < 100_000.0 => {
                from_excel_serial(f).ok_or(PeriodError::Unrecognised).and_then(month_of)
            }
            Cell::Float(f) => parse_period(&format!("{f}")),
            Cell::Text(s) => {
                let order = self.order(column);
                let memo = &mut self.memo.period[usize::from(order == DateOrder::MonthFirst)];
                ParseMemo::remember(memo, s, || parse_period_ordered(s, order))
            }
            _ => Err(PeriodError::Unrecognised),
        };
        self.settle(column, cell, parsed)
    }

    /// A number from a typed cell or text in the file's decimal style.
    pub fn number_of(&mut self, column: &str, cell: Cell<'_>) -> Option<f64> {
        if !self.present(column, cell, true) {
            return None;
        }
        let parsed = match cell {
            Cell::Int(i) => Ok(i as f64),
            Cell::Float(f) if f.is_finite() => Ok(f),
            Cell::Float(_) => Err(NumberError::NotFinite),
            Cell::Text(s) => parse_number(s.trim().trim_start_matches('\''), self.decimal),
            _ => Err(NumberError::NotANumber),
        };
        self.settle(column, cell, parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_domain::config::Config;
    use mutasi_domain::schema::Table;

    /// A text parsed once gives the same value, or the same reject, on every later row, and each
    /// reject names its own row.
    #[test]
    fn remembered_parses_give_each_row_its_own_result() {
        let headers: Vec<String> = ["nip", "periode", "indikator", "nilai"].map(String::from).to_vec();
        let cfg = Config::default().table(Table::Kinerja);
        let map = super::super::columns::map_columns(
            std::path::Path::new("kinerja.csv"),
            Table::Kinerja,
            &cfg,
            &headers,
        )
        .expect("map");
        let crosswalk = HashMap::from([("131110468".to_string(), 198_609_262_015_051_001u64)]);
        let mut memo = ParseMemo::default();
        let rows = [
            ["198609262015051001", "2024-01"],
            ["19860926201505100X", "Bulan 13 2024"],
            ["198609262015051001", "2024-01"],
            ["19860926201505100X", "Bulan 13 2024"],
            ["131110468", "Januari 2024"],
            ["131110468", "Januari 2024"],
        ];
        let mut seen = Vec::new();
        for (k, [nip, periode]) in rows.iter().enumerate() {
            let cells = [Cell::Text(nip), Cell::Text(periode), Cell::Text("capaian_iki"), Cell::Text("80")];
            let mut ctx = RowCtx {
                prov: Prov { file: 0, row: k as u32 + 2 },
                cells: &cells,
                map: &map,
                orders: &[],
                context: &crate::ingest::context::RowContext::default(),
                decimal: DecimalStyle::Dot,
                crosswalk: &crosswalk,
                pns_ids: &HashMap::new(),
                memo: &mut memo,
                rejects: Vec::new(),
                warnings: Vec::new(),
            };
            let n = ctx.nip("nip", true).map(|n| n.value);
            let p = ctx.period_of("periode", Cell::Text(periode));
            let reasons: Vec<(u32, String, Reason)> =
                ctx.rejects.iter().map(|f| (f.prov.row, f.column.clone(), f.reason)).collect();
            seen.push((n, p.map(|p| p.label()), reasons));
        }
        let good = (Some(198_609_262_015_051_001), Some("2024-01".to_string()), vec![]);
        assert_eq!(seen[0], good);
        assert_eq!(seen[2], good);
        assert_eq!(seen[4], good, "the crosswalk is applied to a remembered old NIP too");
        assert_eq!(seen[5], good);
        for (k, row) in [(1usize, 3u32), (3, 5)] {
            assert_eq!(
                seen[k].2,
                vec![
                    (row, "nip".to_string(), Reason::NipNotDigits),
                    (row, "periode".to_string(), Reason::PeriodUnrecognised)
                ],
                "row {row}"
            );
        }
    }
}
