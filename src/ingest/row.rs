//! Turning one row of cells into typed values, recording every problem as a [`Finding`].
//!
//! [`RowCtx`] is created per row. Its getters return `None` and record a reject when a value is
//! bad, so a table parser reads like a list of columns, and a row with any reject is dropped as a
//! whole.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cell::Cell;
use super::columns::ColumnMap;
use crate::model::Prov;
use crate::normalize::date::{DateError, check_range, from_excel_serial, parse_date};
use crate::normalize::nip::{Nip, NipError, nip_text_from_number, parse_nip};
use crate::normalize::number::{DecimalStyle, NumberError, parse_number};
use crate::normalize::period::{Period, PeriodError, parse_period};
use crate::validate::Finding;
use crate::validate::reason::Reason;

/// Excel error values, as they appear in cells and in CSV saved from Excel.
pub const EXCEL_ERRORS: [&str; 8] =
    ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#DATA!"];

pub struct RowCtx<'a, 'c> {
    pub prov: Prov,
    pub cells: &'a [Cell<'a>],
    pub map: &'a ColumnMap,
    pub decimal: DecimalStyle,
    pub crosswalk: &'c HashMap<String, u64>,
    pub rejects: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl From<DateError> for Reason {
    fn from(e: DateError) -> Reason {
        match e {
            DateError::Unrecognised => Reason::DateUnrecognised,
            DateError::NotACalendarDay => Reason::DateNotACalendarDay,
            DateError::OutOfRange => Reason::DateOutOfRange,
        }
    }
}

impl From<PeriodError> for Reason {
    fn from(e: PeriodError) -> Reason {
        match e {
            PeriodError::Unrecognised => Reason::PeriodUnrecognised,
            PeriodError::OutOfRange => Reason::PeriodOutOfRange,
        }
    }
}

impl From<NumberError> for Reason {
    fn from(e: NumberError) -> Reason {
        match e {
            NumberError::NotANumber => Reason::NumberInvalid,
            NumberError::WrongStyle => Reason::NumberWrongStyle,
            NumberError::NotFinite => Reason::NumberNotFinite,
        }
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
            Cell::Text(s) => EXCEL_ERRORS.contains(&s.trim()),
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
        let cell = self.cell(column);
        if cell.is_blank() || !self.usable(column, cell) {
            return None;
        }
        Some(match cell {
            Cell::Text(s) => s.trim().to_string(),
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            other => other.raw(),
        })
    }

    pub fn required_text(&mut self, column: &str) -> Option<String> {
        let before = self.rejects.len();
        let v = self.text(column);
        if v.is_none() && self.rejects.len() == before {
            self.reject(column, Cell::Empty, Reason::RequiredEmpty);
        }
        v
    }

    /// A NIP, through the old-NIP crosswalk when one is loaded.
    pub fn nip(&mut self, column: &str, required: bool) -> Option<Nip> {
        let cell = self.cell(column);
        if !self.present(column, cell, required) {
            return None;
        }
        let text = match cell {
            Cell::Text(s) => s.to_string(),
            Cell::Int(i) => i.to_string(),
            // An 18-digit NIP stored as a floating-point number has already lost digits
            // (Excel keeps 15 significant digits, a double about 16): it cannot be trusted.
            Cell::Float(f) if f >= 1e9 => {
                self.reject(column, cell, Reason::NipExcelDamaged);
                return None;
            }
            Cell::Float(f) => nip_text_from_number(f),
            other => other.raw(),
        };
        let cleaned = crate::normalize::nip::clean_nip(&text);
        let parsed = match self.crosswalk.get(&cleaned) {
            Some(new) if cleaned.len() == 9 => parse_nip(&format!("{new:018}")),
            _ => parse_nip(&text),
        };
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
            Cell::Text(s) => parse_date(s),
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
            Cell::Text(s) => parse_period(s),
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
            Cell::Text(s) => parse_number(s, self.decimal),
            _ => Err(NumberError::NotANumber),
        };
        self.settle(column, cell, parsed)
    }
}
