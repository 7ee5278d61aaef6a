//! `report.xlsx`: the findings and the report's key tables as formatted sheets, with the same
//! suppression as the page (a hidden cell is the text `—`, never its number), because managers
//! forward Excel files. Numbers stay numbers with a display format, so they can be re-used.
//! The document's creation date is the report month's first day, so a re-run writes the same file.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::content::{Cell, Content, TableBlock};
use super::i18n::tr;
use super::{ReportContext, ReportError};

fn xerr(path: &Path) -> impl Fn(XlsxError) -> ReportError + '_ {
    move |source| ReportError::Xlsx { path: path.to_path_buf(), source }
}

/// A valid, unique sheet name (at most 31 characters, none of `[]:*?/\`).
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    let mut name = clean.clone();
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{clean} {k}");
        k += 1;
    }
    name
}

fn write_table(ws: &mut Worksheet, t: &TableBlock, path: &Path) -> Result<(), ReportError> {
    let e = xerr(path);
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new().set_bold().set_background_color(0xDCE6F1).set_text_wrap();
    let int = Format::new().set_num_format("#,##0");
    let hidden = Format::new().set_align(FormatAlign::Center).set_font_color(0x808080);
    ws.write_string_with_format(0, 0, &t.title, &title).map_err(&e)?;
    for (c, name) in t.columns.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, name, &head).map_err(&e)?;
        ws.set_column_width(c as u16, if c == 0 { 34 } else { 16 }).map_err(&e)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(&e)?;
                }
                Cell::Num(x, d) if x.is_finite() => {
                    let f = Format::new().set_num_format(if *d == 0 {
                        "0".to_string()
                    } else {
                        format!("0.{}", "0".repeat(*d))
                    });
                    ws.write_number_with_format(r, c, *x, &f).map_err(&e)?;
                }
                Cell::PValue(x) if x.is_finite() => {
                    ws.write_number_with_format(r, c, *x, &Format::new().set_num_format("0.000"))
                        .map_err(&e)?;
                }
                Cell::Num(..) | Cell::PValue(_) | Cell::Empty => {}
                Cell::Int(n) => {
                    ws.write_number_with_format(r, c, *n as f64, &int).map_err(&e)?;
                }
                Cell::Suppressed => {
                    ws.write_string_with_format(r, c, "—", &hidden).map_err(&e)?;
                }
            }
        }
    }
    ws.set_freeze_panes(3, 0).map_err(&e)?;
    Ok(())
}

/// Writes the workbook: a summary sheet, then one sheet per table that names one.
pub fn write(ctx: &ReportContext, content: &Content, path: &Path) -> Result<(), ReportError> {
    let e = xerr(path);
    let mut wb = Workbook::new();
    let (y, m) = ctx.period.split_once('-').unwrap_or(("2000", "01"));
    let created =
        ExcelDateTime::from_ymd(y.parse().unwrap_or(2000), m.parse().unwrap_or(1), 1).map_err(&e)?;
    wb.set_properties(
        &DocProperties::new().set_title(&ctx.title).set_author("mutasi").set_creation_datetime(&created),
    );
    let mut taken: Vec<String> = Vec::new();
    {
        let name = sheet_name(tr("ringkasan", ctx.lang), &taken);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(&e)?;
        taken.push(name);
        let bold = Format::new().set_bold().set_font_size(14);
        let wrap = Format::new().set_text_wrap();
        ws.set_column_width(0, 120).map_err(&e)?;
        ws.write_string_with_format(0, 0, &ctx.title, &bold).map_err(&e)?;
        ws.write_string(1, 0, format!("{}: {}", tr("periode_laporan", ctx.lang), ctx.period)).map_err(&e)?;
        let red = Format::new().set_bold().set_font_color(0xBE3228).set_text_wrap();
        for (i, w) in ctx.warnings.iter().enumerate() {
            ws.write_string_with_format(2, 1 + i as u16, format!("{} {w}", tr("peringatan", ctx.lang)), &red)
                .map_err(&e)?;
        }
        for (i, f) in content.findings.iter().enumerate() {
            ws.write_string_with_format(3 + i as u32, 0, &f.text, &wrap).map_err(&e)?;
        }
        let note = 4 + content.findings.len() as u32;
        ws.write_string_with_format(note, 0, tr("disamarkan_catatan", ctx.lang), &wrap).map_err(&e)?;
    }
    for t in content.tables() {
        let Some(wanted) = &t.sheet else { continue };
        let name = sheet_name(wanted, &taken);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(&e)?;
        taken.push(name);
        write_table(ws, t, path)?;
    }
    wb.save(path).map_err(&e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Efek mutasi".to_string()];
        assert_eq!(sheet_name("Efek mutasi", &taken), "Efek mutasi 2");
        assert_eq!(sheet_name("a/b:c", &[]), "abc");
        assert!(sheet_name(&"x".repeat(40), &[]).chars().count() <= 31);
    }
}
