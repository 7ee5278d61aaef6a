//! Reading CSV as offices export it.
//!
//! Bytes are decoded first (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252, which
//! older Excel writes), then a `sep=;` first line is honoured or the delimiter is sniffed among
//! `,` `;` tab and `|` from the first records, counting only delimiters outside quotes. Records
//! are parsed with the `csv` crate, so quoted fields may hold delimiters and newlines.

use std::path::Path;

use super::cell::Cell;
use super::file_error::{FileError, FileErrorKind};
use super::source::RowEvent;

/// A decoded CSV file ready to iterate.
pub struct CsvSource {
    text: String,
    /// Byte offset where the header starts (after a `sep=` line).
    start: usize,
    pub delimiter: u8,
    pub encoding: &'static str,
    pub headers: Vec<String>,
}

const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Decodes a text file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 line by
/// line; the label names the encoding found.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, &'static str), FileError> {
    decode_owned(path, bytes.to_vec())
}

/// [`decode`] of bytes the caller hands over: UTF-8, the usual case, becomes the text without a
/// copy (a 400 MB export is not held twice).
pub fn decode_owned(path: &Path, mut bytes: Vec<u8>) -> Result<(String, &'static str), FileError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError::new(
            path,
            FileErrorKind::NotASpreadsheet,
            "berkas ini arsip ZIP/xlsx, bukan CSV / this is a ZIP/xlsx archive, not CSV",
            "ganti ekstensinya menjadi .xlsx atau ekspor ulang sebagai CSV / rename it to .xlsx or re-export as CSV",
        ));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        return String::from_utf8(bytes).map(|s| (s, "UTF-8 (BOM)")).map_err(|e| {
            FileError::new(
                path,
                FileErrorKind::NotASpreadsheet,
                format!(
                    "BOM UTF-8 tetapi isi bukan UTF-8 sah (byte {}) / UTF-8 BOM but invalid UTF-8",
                    e.utf8_error().valid_up_to() + 3
                ),
                "simpan ulang berkas sebagai CSV UTF-8 / save the file again as CSV UTF-8",
            )
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _, _) = enc.decode(&bytes);
        return Ok((text.into_owned(), enc.name()));
    }
    if bytes.contains(&0) {
        return Err(FileError::new(
            path,
            FileErrorKind::NotASpreadsheet,
            "berkas berisi data biner, bukan teks CSV / the file holds binary data, not CSV text",
            "ekspor ulang data sebagai CSV, xlsx atau Parquet / re-export as CSV, xlsx or Parquet",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, "UTF-8")),
        Err(e) => Ok(decode_lines(&e.into_bytes())),
    }
}

/// A file that is not valid UTF-8 as a whole: each line is UTF-8 when it is valid UTF-8 with
/// non-ASCII text (rows pasted from another export), else Windows-1252, so neither half turns
/// into mojibake. The encoding label says when both occur.
fn decode_lines(bytes: &[u8]) -> (String, &'static str) {
    let mut text = String::with_capacity(bytes.len());
    let (mut utf8, mut cp1252) = (false, false);
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => {
                utf8 |= !s.is_ascii();
                text.push_str(s);
            }
            Err(_) => {
                cp1252 = true;
                let (t, _, _) = encoding_rs::WINDOWS_1252.decode(line);
                text.push_str(&t);
            }
        }
    }
    let label = if utf8 && cp1252 { "campuran / mixed: UTF-8 + Windows-1252" } else { "Windows-1252" };
    (text, label)
}

/// Counts delimiters outside quotes per record over the first records.
fn field_counts(text: &str, delim: u8, max_records: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut n = 0usize;
    let mut non_empty = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                if non_empty {
                    counts.push(n);
                    if counts.len() >= max_records {
                        return counts;
                    }
                }
                n = 0;
                non_empty = false;
            }
            b'\r' => {}
            _ if b == delim && !in_quotes => {
                n += 1;
                non_empty = true;
            }
            _ => non_empty = true,
        }
    }
    if non_empty {
        counts.push(n);
    }
    counts
}

/// Picks the delimiter whose count is non-zero in the header and most consistent across records.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in CANDIDATES {
        let counts = field_counts(text, d, 50);
        let Some(&header) = counts.first() else { continue };
        if header == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|c| **c == header).count();
        if (consistent, header) > (best.1, best.2) {
            best = (d, consistent, header);
        }
    }
    best.0
}

impl CsvSource {
    pub fn open(path: &Path) -> Result<CsvSource, FileError> {
        let bytes = std::fs::read(path).map_err(|e| FileError::io(path, &e))?;
        let (text, encoding) = decode_owned(path, bytes)?;
        CsvSource::from_text(path, text, encoding)
    }

    /// The header of a CSV file from its first 256 KiB, without reading the rest: enough to tell
    /// which table a file of unknown name holds.
    pub fn peek_headers(path: &Path) -> Result<Vec<String>, FileError> {
        use std::io::Read;
        let mut head = Vec::with_capacity(1 << 18);
        std::fs::File::open(path)
            .and_then(|f| f.take(1 << 18).read_to_end(&mut head))
            .map_err(|e| FileError::io(path, &e))?;
        // Whole lines only: a cut line could split a character or a quoted field.
        let full = std::fs::metadata(path).map(|m| m.len() as usize == head.len()).unwrap_or(true);
        if !full && let Some(end) = head.iter().rposition(|b| *b == b'\n') {
            head.truncate(end + 1);
        }
        let (text, encoding) = decode(path, &head)?;
        Ok(CsvSource::from_text(path, text, encoding)?.headers)
    }

    /// A CSV source over text already decoded.
    pub fn from_text(path: &Path, text: String, encoding: &'static str) -> Result<CsvSource, FileError> {
        if text.trim().is_empty() {
            return Err(FileError::new(
                path,
                FileErrorKind::Empty,
                "berkas kosong / the file is empty",
                "ekspor ulang data / export the data again",
            ));
        }
        // Excel's "sep=;" hint line.
        let first_line_end = text.find('\n').unwrap_or(text.len());
        let first = text[..first_line_end].trim();
        let (start, delimiter) = match first.strip_prefix("sep=") {
            Some(d) if d.len() == 1 => (first_line_end + 1, d.as_bytes()[0]),
            Some("\\t") => (first_line_end + 1, b'\t'),
            _ => (0, sniff_delimiter(&text)),
        };
        let start = start.min(text.len());
        let mut src = CsvSource { text, start, delimiter, encoding, headers: Vec::new() };
        let mut rdr = src.reader();
        let mut rec = csv::StringRecord::new();
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => {
                return Err(FileError::new(
                    path,
                    FileErrorKind::Empty,
                    "berkas kosong / the file is empty",
                    "ekspor ulang data / export the data again",
                ));
            }
            Err(e) => {
                return Err(FileError::new(
                    path,
                    FileErrorKind::NotASpreadsheet,
                    format!("header tidak terbaca / header unreadable: {e}"),
                    "simpan ulang sebagai CSV / save again as CSV",
                ));
            }
        }
        src.headers = rec.iter().map(|h| h.trim().to_string()).collect();
        Ok(src)
    }

    fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.text.as_bytes()[self.start..])
    }

    /// Calls `f` for every data record; stops early when it returns false. Row numbers are as a
    /// spreadsheet shows them: the header is row 1.
    pub fn for_each(&self, path: &Path, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        let mut rdr = self.reader();
        let mut rec = csv::StringRecord::new();
        let width = self.headers.len();
        let text = &self.text[self.start..];
        // Spreadsheet row = physical line where the record starts, minus the newlines inside
        // quoted fields of earlier records (a spreadsheet shows those inside one cell). Blank
        // lines, which the csv reader skips, still count as rows, as they do in Excel.
        let mut line: u64 = 1;
        let mut scanned: usize = 0;
        let mut embedded: u64 = 0;
        let count_embedded =
            |rec: &csv::StringRecord| rec.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        // Skip the header record.
        if let Ok(true) = rdr.read_record(&mut rec) {
            embedded += count_embedded(&rec);
        }
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let mut at = rec.position().map_or(scanned, |p| p.byte() as usize).min(text.len());
                    // Skipped blank lines may sit between the reported offset and the record.
                    while at < text.len() && matches!(text.as_bytes()[at], b'\n' | b'\r') {
                        at += 1;
                    }
                    line +=
                        text.as_bytes()[scanned.min(at)..at].iter().filter(|b| **b == b'\n').count() as u64;
                    scanned = at;
                    let row = line - embedded;
                    embedded += count_embedded(&rec);
                    if rec.len() != width
                        && !(rec.len() > width && rec.iter().skip(width).all(|f| f.trim().is_empty()))
                    {
                        let raw = rec.iter().collect::<Vec<_>>().join(&(self.delimiter as char).to_string());
                        if !f(RowEvent::Ragged { number: row, found: rec.len(), expected: width, raw }) {
                            return Ok(());
                        }
                        continue;
                    }
                    let cells: Vec<Cell<'_>> = rec.iter().take(width).map(Cell::text).collect();
                    if !f(RowEvent::Row { number: row, cells: &cells }) {
                        return Ok(());
                    }
                }
                Err(e) => {
                    return Err(FileError::new(
                        path,
                        FileErrorKind::NotASpreadsheet,
                        format!("CSV rusak setelah baris {line} / malformed CSV after line {line}: {e}"),
                        "periksa tanda kutip yang tidak ditutup / look for an unclosed quote",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_delimiter_and_ignores_quoted_ones() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        // Commas inside quotes and decimal commas do not fool it.
        assert_eq!(sniff_delimiter("nama;nilai\n\"Ely, S.Pd\";76,5\n\"A, B\";80,25\n"), b';');
    }

    /// A Windows-1252 file with rows pasted from a UTF-8 export: both halves decode correctly.
    #[test]
    fn mixed_encodings_decode_line_by_line() {
        let bytes = b"nama\nJos\xe9\nMaria \xc3\xa9\n";
        let (text, label) = decode(Path::new("x.csv"), bytes).expect("decoded");
        assert_eq!(text, "nama\nJos\u{e9}\nMaria \u{e9}\n");
        assert!(label.contains("mixed"), "{label}");
        let (plain, label) = decode(Path::new("x.csv"), b"nama\nJos\xe9\n").expect("decoded");
        assert_eq!((plain.as_str(), label), ("nama\nJos\u{e9}\n", "Windows-1252"));
    }
}
