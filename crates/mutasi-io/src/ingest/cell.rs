//! One spreadsheet cell as a reader hands it over, before any interpretation.
//!
//! CSV gives only text; xlsx and Parquet also give typed numbers and dates. Keeping the type lets
//! the normalisers tell a NIP typed as a number (damaged by Excel) from one typed as text.

use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Bool(bool),
    /// An Excel error value such as `#N/A`.
    Error(&'static str),
}

/// The "no date" placeholders of SIASN (`01-01-0001`) and of databases (`0000-00-00`).
fn is_null_date(s: &str) -> bool {
    matches!(
        s.split([' ', 'T']).next().unwrap_or(""),
        "01-01-0001" | "0001-01-01" | "01/01/0001" | "00-00-0000" | "0000-00-00" | "00/00/0000"
    )
}

impl<'a> Cell<'a> {
    /// A text cell as exports write it: blank, the text `null`/`NULL` (SIASN and database dumps),
    /// a lone `-` placeholder and the no-date placeholders `01-01-0001`/`0000-00-00` are empty.
    /// Other text is kept verbatim, so a reject quotes it as written; the value readers drop a
    /// leading apostrophe (Excel's "keep as text" mark, which SIASN writes before NIPs and dates).
    pub fn text(raw: &'a str) -> Cell<'a> {
        let s = raw.trim();
        let s = s.strip_prefix('\'').map_or(s, str::trim_start);
        // By length first: millions of cells are read this way.
        let missing = match s.len() {
            0 => true,
            1 => s == "-",
            4 => s.eq_ignore_ascii_case("null"),
            _ => s.starts_with('0') && is_null_date(s),
        };
        if missing { Cell::Empty } else { Cell::Text(raw) }
    }

    /// Empty, or text that is only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as the user would see it, for reject messages.
    pub fn raw(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => (*s).to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format!("{f}"),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => (*e).to_string(),
        }
    }
}
