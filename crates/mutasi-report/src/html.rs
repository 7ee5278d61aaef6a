//! `report.html`: the content laid out as one self-contained page. Charts are inline SVG, styles
//! are inline CSS, there is no script, and a Content-Security-Policy forbids every network
//! request, so the file reads the same offline, forwarded by e-mail, or printed on A4.

use super::content::{Block, Cell, Content, TableBlock};
use super::i18n::{Lang, count, num, pval, tr};
use super::{Chart, ReportContext};

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1d1d1f; --muted: #5c5c66; --line: #d9d9de; --main: #1f5aa0; --up: #287846; --down: #be3228; --warn: #c85a14; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.5; font-size: 15px; }
header { border-bottom: 3px solid var(--main); margin-bottom: 16px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 21px; margin-top: 36px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 17px; margin-top: 24px; }
.meta { color: var(--muted); margin: 0 0 12px; }
nav ol { columns: 2; margin: 8px 0 0; }
ul.temuan { list-style: none; padding: 0; }
ul.temuan li { border-left: 6px solid var(--line); padding: 8px 12px; margin: 8px 0; background: #f7f7f9; }
ul.temuan li.naik { border-color: var(--up); }
ul.temuan li.turun { border-color: var(--down); }
ul.temuan li.belum { border-color: var(--muted); }
ul.temuan li.tidak-kredibel { border-color: var(--warn); }
.peringatan { border: 2px solid var(--down); background: #fdecea; padding: 10px 12px; }
.catatan { border: 1px solid var(--line); border-left: 6px solid var(--warn); padding: 8px 12px; background: #fffaf3; }
figure { margin: 16px 0; page-break-inside: avoid; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; page-break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
td.angka { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ditekan { text-align: center; color: var(--muted); }
tr { page-break-inside: avoid; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } nav { display: none; } h2 { page-break-after: avoid; } }
"#;

fn cell(c: &Cell, lang: Lang) -> String {
    match c {
        Cell::Text(t) => format!("<td>{}</td>", esc(t)),
        Cell::Num(x, d) => format!("<td class=\"angka\">{}</td>", esc(&num(*x, *d, lang))),
        Cell::PValue(p) => format!("<td class=\"angka\">{}</td>", esc(&pval(*p, lang))),
        Cell::Int(n) => format!("<td class=\"angka\">{}</td>", esc(&count(*n, lang))),
        Cell::Suppressed => "<td class=\"ditekan\" title=\"k\">—</td>".to_string(),
        Cell::Empty => "<td></td>".to_string(),
    }
}

fn table(t: &TableBlock, lang: Lang) -> String {
    let mut s = format!("<table>\n<caption>{}</caption>\n<thead><tr>", esc(&t.title));
    for c in &t.columns {
        s.push_str(&format!("<th>{}</th>", esc(c)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        s.push_str("<tr>");
        for c in r {
            s.push_str(&cell(c, lang));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// The SVG of a chart without its XML prologue, ready to inline.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

fn figure(chart: &Chart, svgs: &[(String, String)]) -> String {
    let svg = svgs.iter().find(|(n, _)| n == chart.name()).map(|(_, s)| inline_svg(s)).unwrap_or("");
    format!(
        "<figure id=\"grafik-{name}\" data-chart=\"{name}\">\n{svg}<figcaption>grafik/{name}.svg · grafik/{name}.png</figcaption>\n</figure>\n",
        name = esc(chart.name())
    )
}

/// The whole page. `svgs` holds each chart's SVG by name.
pub fn render(ctx: &ReportContext, content: &Content, svgs: &[(String, String)]) -> String {
    let lang = ctx.lang;
    let mut s = String::new();
    s.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        lang.code()
    ));
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!("<title>{} — {}</title>\n", esc(&ctx.title), esc(&ctx.period)));
    s.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n<header>\n"));
    s.push_str(&format!("<h1>{}</h1>\n", esc(&ctx.title)));
    s.push_str(&format!(
        "<p class=\"meta\">{}: <strong>{}</strong></p>\n",
        tr("periode_laporan", lang),
        esc(&ctx.period)
    ));
    if !ctx.description.is_empty() {
        s.push_str(&format!("<p>{}</p>\n", esc(&ctx.description)));
    }
    s.push_str(&format!("<nav><strong>{}</strong><ol>\n", tr("daftar_isi", lang)));
    for sec in &content.sections {
        s.push_str(&format!("<li><a href=\"#{}\">{}</a></li>\n", sec.id, esc(&sec.title)));
    }
    s.push_str("</ol></nav>\n</header>\n");
    for w in &ctx.warnings {
        s.push_str(&format!(
            "<p class=\"peringatan\" role=\"alert\"><strong>{}</strong> {}</p>\n",
            tr("peringatan", lang),
            esc(w)
        ));
    }
    s.push_str("<main>\n");
    for (i, sec) in content.sections.iter().enumerate() {
        s.push_str(&format!("<section id=\"{}\">\n<h2>{}. {}</h2>\n", sec.id, i + 1, esc(&sec.title)));
        for b in &sec.blocks {
            match b {
                Block::Heading(h) => s.push_str(&format!("<h3>{}</h3>\n", esc(h))),
                Block::Para(p) => s.push_str(&format!("<p>{}</p>\n", esc(p))),
                Block::Note(p) => s.push_str(&format!("<p class=\"catatan\">{}</p>\n", esc(p))),
                Block::List(items) => {
                    s.push_str("<ul>\n");
                    for it in items {
                        s.push_str(&format!("<li>{}</li>\n", esc(it)));
                    }
                    s.push_str("</ul>\n");
                }
                Block::Findings(fs) => {
                    s.push_str("<ul class=\"temuan\">\n");
                    for f in fs {
                        let class = f.verdict.map_or("fakta", |v| v.class());
                        s.push_str(&format!("<li class=\"{class}\">{}</li>\n", esc(&f.text)));
                    }
                    s.push_str("</ul>\n");
                }
                Block::Table(t) => s.push_str(&table(t, lang)),
                Block::Chart(c) => s.push_str(&figure(c, svgs)),
            }
        }
        s.push_str("</section>\n");
    }
    s.push_str(&format!(
        "</main>\n<footer>{} {} · {}</footer>\n</body>\n</html>\n",
        tr("dibuat_oleh", lang),
        env!("CARGO_PKG_VERSION"),
        esc(&ctx.period)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg a>"), "<svg a>");
    }
}
