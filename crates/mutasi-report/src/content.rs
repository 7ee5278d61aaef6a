//! What the report says, independent of layout: sections of paragraphs, findings, tables and
//! charts, in the report language and with small groups already suppressed. [`super::html`] and
//! [`super::xlsx`] only lay this out, so the page and the workbook cannot disagree.

use std::collections::{BTreeMap, BTreeSet};

use super::charts::bars::Bars;
use super::charts::dumbbell::{Dumbbell, DumbbellRow};
use super::charts::event_study::{EventPoint, EventStudy};
use super::charts::forest::{Forest, ForestRow};
use super::charts::heatmap::{FlowCell, Heatmap};
use super::charts::histogram::Histogram;
use super::charts::timeline::Timeline;
use super::charts::waterfall::{Step, Waterfall};
use super::findings::{Effect, Finding, Verdict, findings, indikator_label, sentence};
use super::i18n::{Lang, count, tr};
use super::inputs::ReportData;
use super::{Chart, ReportContext};
use mutasi_domain::suppress::{complementary, primary};

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A value and its decimals.
    Num(f64, usize),
    /// A p-value (`< 0,001` when tiny).
    PValue(f64),
    Int(u64),
    /// Hidden by the small-group rules.
    Suppressed,
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableBlock {
    pub title: String,
    /// Worksheet name when the table also goes into `report.xlsx` (at most 31 characters).
    pub sheet: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Para(String),
    /// A caveat the reader must not miss.
    Note(String),
    List(Vec<String>),
    Findings(Vec<Finding>),
    Table(TableBlock),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub findings: Vec<Finding>,
    pub sections: Vec<Section>,
}

impl Content {
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| s.blocks.iter()).filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
    }

    pub fn tables(&self) -> impl Iterator<Item = &TableBlock> {
        self.sections.iter().flat_map(|s| s.blocks.iter()).filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// The Indonesian or English half of a bilingual "id / en" message.
pub fn pick(message: &str, lang: Lang) -> String {
    match message.split_once(" / ") {
        Some((id, en)) => match lang {
            Lang::Id => id.trim().to_string(),
            Lang::En => en.trim().to_string(),
        },
        None => message.to_string(),
    }
}

/// A file-name-safe chart name.
fn slug(s: &str) -> String {
    let mut out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    out.trim_matches('_').to_string()
}

/// Builds the whole content.
pub fn assemble(ctx: &ReportContext, data: &ReportData) -> Content {
    let lang = ctx.lang;
    let effects = effects(ctx, data);
    let facts = facts(ctx, data);
    let summary = findings(&effects, &facts, lang);
    let main = ctx.outcomes.first().cloned().unwrap_or_else(|| "capaian_iki".into());
    let mut sections = Vec::new();

    // 1. Executive summary.
    let mut s1 = vec![Block::Findings(summary.clone())];
    if summary.iter().all(|f| f.verdict.is_none()) {
        s1.push(Block::Para(tr("tidak_ada_temuan", lang).into()));
    }
    s1.push(Block::Note(format!("{}: {}", tr("cara_membaca", lang), tr("cara_membaca_teks", lang))));
    if let Some(c) = event_chart(ctx, data, &main, "semua") {
        s1.push(Block::Chart(c));
    }
    sections.push(Section { id: "ringkasan", title: tr("ringkasan", lang).into(), blocks: s1 });

    // 2. Methodology.
    let control =
        if ctx.control == "notyet" { tr("pembanding_notyet", lang) } else { tr("pembanding_never", lang) };
    sections.push(Section {
        id: "metodologi",
        title: tr("metodologi", lang).into(),
        blocks: vec![
            Block::Para(tr("metode_cs", lang).into()),
            Block::Para(tr("metode_es", lang).into()),
            Block::Para(tr("metode_deskriptif", lang).into()),
            Block::Para(tr("metode_unit", lang).into()),
            Block::Table(TableBlock {
                title: tr("jendela", lang).into(),
                sheet: None,
                columns: vec![tr("istilah", lang).into(), tr("arti", lang).into()],
                rows: vec![
                    vec![Cell::Text(tr("kelompok_pembanding", lang).into()), Cell::Text(control.into())],
                    vec![
                        Cell::Text(tr("jendela_deskriptif", lang).into()),
                        Cell::Text(format!("−{} … +{}", ctx.pre, ctx.post)),
                    ],
                    vec![
                        Cell::Text(tr("jendela_peristiwa", lang).into()),
                        Cell::Text(format!("{} … +{}", ctx.min_e, ctx.max_e).replace('-', "−")),
                    ],
                    vec![Cell::Text(tr("min_mutasi", lang).into()), Cell::Int(ctx.min_treated as u64)],
                    vec![Cell::Text(tr("ambang_sel", lang).into()), Cell::Int(ctx.k)],
                ],
            }),
        ],
    });

    sections.push(quality(ctx, data));
    sections.push(results(ctx, data, &effects, &main));
    sections.push(requests(ctx, data));
    sections.push(appendix(lang));
    Content { findings: summary, sections }
}

/// Overall effects with their pre-trend tests and sizes, for the findings and the tables.
fn effects(ctx: &ReportContext, data: &ReportData) -> Vec<Effect> {
    let mut out = Vec::new();
    for o in &data.overall {
        let note = ctx
            .estimates
            .iter()
            .find(|n| n.outcome == o.outcome && n.subgroup == o.group && n.estimator == "cs");
        out.push(Effect {
            indikator: o.outcome.clone(),
            group: o.group.clone(),
            att: o.att,
            ci_low: o.ci_low.unwrap_or(f64::NAN),
            ci_high: o.ci_high.unwrap_or(f64::NAN),
            pretest_p: note.and_then(|n| n.pretest_p_value),
            n_treated: note.map_or(0, |n| n.treated as u64),
            unit: false,
        });
    }
    // Outcomes in the order asked for, then subgroups.
    out.sort_by_key(|e| {
        (ctx.outcomes.iter().position(|o| *o == e.indikator).unwrap_or(usize::MAX), e.group != "semua")
    });
    for u in &data.unit_overall {
        out.push(Effect {
            indikator: u.outcome.clone(),
            group: u.group.clone(),
            att: u.att,
            ci_low: u.ci_low.unwrap_or(f64::NAN),
            ci_high: u.ci_high.unwrap_or(f64::NAN),
            pretest_p: None,
            n_treated: u.n_treated_units.unwrap_or(0),
            unit: true,
        });
    }
    out
}

/// Descriptive sentences that complete the summary when estimates are few.
fn facts(ctx: &ReportContext, data: &ReportData) -> Vec<String> {
    let lang = ctx.lang;
    let moves: u64 = data.flows.values().sum();
    let (from, to) = &data.window;
    let mut out = vec![match lang {
        Lang::Id => format!("Dalam 12 bulan {from} s.d. {to} tercatat {} mutasi.", count(moves, lang)),
        Lang::En => {
            format!("{} transfers were recorded in the 12 months {from} to {to}.", count(moves, lang))
        }
    }];
    let skipped = ctx.estimates.iter().filter(|n| n.status != "ok").count();
    if skipped > 0 {
        out.push(match lang {
            Lang::Id => format!("{skipped} estimasi tidak dihitung karena kelompoknya kecil atau datanya kurang (lihat Kualitas data)."),
            Lang::En => format!("{skipped} estimates were not computed because the group was small or data were lacking (see Data quality)."),
        });
    }
    let rejected: u64 = data.files.iter().map(|f| f.ditolak).sum();
    let read: u64 = data.files.iter().map(|f| f.dibaca).sum();
    out.push(match lang {
        Lang::Id => {
            format!("{} dari {} baris data ditolak saat validasi.", count(rejected, lang), count(read, lang))
        }
        Lang::En => format!(
            "{} of {} data rows were rejected at validation.",
            count(rejected, lang),
            count(read, lang)
        ),
    });
    out
}

/// The event-study chart of one outcome and subgroup, when estimated.
fn event_chart(ctx: &ReportContext, data: &ReportData, outcome: &str, subgroup: &str) -> Option<Chart> {
    let points: Vec<EventPoint> = data
        .events
        .iter()
        .filter(|r| r.outcome == outcome && r.subgroup == subgroup)
        .map(|r| r.point.clone())
        .collect();
    if points.is_empty() {
        return None;
    }
    Some(Chart::EventStudy(EventStudy {
        name: slug(&format!("studi_peristiwa_{outcome}_{subgroup}")),
        title: format!("{}: {}", tr("studi_peristiwa", ctx.lang), indikator_label(outcome, ctx.lang)),
        y_label: outcome.to_string(),
        points,
    }))
}

fn quality(ctx: &ReportContext, data: &ReportData) -> Section {
    let lang = ctx.lang;
    let mut blocks = vec![Block::Table(TableBlock {
        title: tr("kualitas_data", lang).into(),
        sheet: Some("Kualitas data".into()),
        columns: ["berkas", "baris_dibaca", "baris_diterima", "baris_ditolak"]
            .iter()
            .map(|k| tr(k, lang).to_string())
            .collect(),
        rows: data
            .files
            .iter()
            .map(|f| {
                vec![
                    Cell::Text(f.berkas.clone()),
                    Cell::Int(f.dibaca),
                    Cell::Int(f.diterima),
                    Cell::Int(f.ditolak),
                ]
            })
            .collect(),
    })];
    if !data.rejects.is_empty() {
        blocks.push(Block::Table(TableBlock {
            title: tr("tolak_per_alasan", lang).into(),
            sheet: Some("Baris ditolak".into()),
            columns: vec!["kode".into(), tr("alasan", lang).into(), tr("jumlah", lang).into()],
            rows: data
                .rejects
                .iter()
                .map(|(code, id, en, n)| {
                    vec![
                        Cell::Text(code.clone()),
                        Cell::Text(if lang == Lang::Id { id.clone() } else { en.clone() }),
                        Cell::Int(*n),
                    ]
                })
                .collect(),
        }));
    }
    blocks.push(Block::Heading(tr("cek_data", lang).into()));
    let failed: Vec<String> = ctx
        .checks
        .iter()
        .filter(|c| c.cek && !c.lulus)
        .map(|c| {
            format!(
                "{} — {} ({} {})",
                c.berkas,
                tr("cek_gagal", lang),
                count(c.baris as u64, lang),
                if lang == Lang::Id { "baris" } else { "rows" }
            )
        })
        .collect();
    if failed.is_empty() {
        let n = ctx.checks.iter().filter(|c| c.cek).count();
        blocks.push(Block::Para(format!("{} ({n})", tr("cek_lulus", lang))));
    } else {
        blocks.push(Block::List(failed));
    }
    blocks.push(Block::Heading(tr("kecukupan", lang).into()));
    let mut adequacy = vec![format!(
        "{} / {} {}",
        count(data.ikm_sample_short, lang),
        count(data.ikm_periods, lang),
        tr("sampel_kurang", lang)
    )];
    for n in ctx.estimates.iter().filter(|n| n.status == "ok" && n.estimator == "cs") {
        if n.pretest_p_value.is_some_and(|p| p < super::findings::PRETEST_ALPHA) {
            adequacy.push(format!(
                "{} ({}): {} (p {})",
                indikator_label(&n.outcome, lang),
                n.subgroup,
                tr("tidak_kredibel", lang),
                super::findings::p_phrase(n.pretest_p_value.unwrap_or(f64::NAN), lang)
            ));
        }
    }
    blocks.push(Block::List(adequacy));
    blocks.push(Block::Heading(tr("tak_terukur", lang).into()));
    let mut missing: Vec<String> = ctx
        .estimates
        .iter()
        .filter(|n| n.status != "ok")
        .map(|n| {
            format!(
                "{} — {} ({}): {}",
                indikator_label(&n.outcome, lang),
                n.subgroup,
                n.estimator,
                pick(n.note.as_deref().unwrap_or(""), lang)
            )
        })
        .collect();
    missing.extend(ctx.unit_notes.iter().filter(|n| n.status != "ok").map(|n| {
        format!(
            "{} — {} ({}): {}",
            n.analysis,
            indikator_label(&n.indikator, lang),
            n.jenis_unit,
            pick(n.note.as_deref().unwrap_or(""), lang)
        )
    }));
    if missing.is_empty() {
        blocks.push(Block::Para(tr("semua_terukur", lang).into()));
    } else {
        blocks.push(Block::List(missing));
    }
    Section { id: "kualitas", title: tr("kualitas_data", lang).into(), blocks }
}

/// The verdict of an effect in a few words.
fn verdict_words(v: Verdict, lang: Lang) -> String {
    match (v, lang) {
        (Verdict::Up, Lang::Id) => "naik".into(),
        (Verdict::Up, Lang::En) => "rose".into(),
        (Verdict::Down, Lang::Id) => "turun".into(),
        (Verdict::Down, Lang::En) => "fell".into(),
        (Verdict::Inconclusive, _) => tr("belum_dapat", lang).into(),
        (Verdict::NotCredible, _) => tr("tidak_kredibel", lang).into(),
    }
}

fn results(ctx: &ReportContext, data: &ReportData, effects: &[Effect], main: &str) -> Section {
    let lang = ctx.lang;
    let k = ctx.k;
    let mut blocks = Vec::new();
    let staff: Vec<&Effect> = effects.iter().filter(|e| !e.unit).collect();
    if !staff.is_empty() {
        blocks.push(Block::Table(TableBlock {
            title: tr("efek_keseluruhan", lang).into(),
            sheet: Some("Efek mutasi".into()),
            columns: vec![
                tr("indikator", lang).into(),
                tr("kelompok", lang).into(),
                "n".into(),
                tr("estimasi", lang).into(),
                "IK 95% −".into(),
                "IK 95% +".into(),
                tr("uji_pratren", lang).into(),
                tr("tafsiran", lang).into(),
            ],
            rows: staff
                .iter()
                .map(|e| {
                    vec![
                        Cell::Text(e.indikator.clone()),
                        Cell::Text(e.group.clone()),
                        Cell::Int(e.n_treated),
                        Cell::Num(e.att, 2),
                        Cell::Num(e.ci_low, 2),
                        Cell::Num(e.ci_high, 2),
                        e.pretest_p.map_or(Cell::Empty, Cell::PValue),
                        Cell::Text(verdict_words(Verdict::of(e), lang)),
                    ]
                })
                .collect(),
        }));
    }
    for o in ctx.outcomes.iter().skip(1) {
        if let Some(c) = event_chart(ctx, data, o, "semua") {
            blocks.push(Block::Chart(c));
        }
    }
    // Descriptive before/after, with complementary suppression within each dimension.
    blocks.push(Block::Heading(tr("deskriptif_judul", lang).into()));
    blocks.push(Block::Note(tr("metode_deskriptif", lang).into()));
    for dim in ["jenis_mutasi", "opd_tujuan"] {
        let groups: Vec<_> =
            data.window_groups.iter().filter(|g| g.indikator == main && g.dimensi == dim).collect();
        let hidden = complementary(&groups.iter().map(|g| g.n).collect::<Vec<_>>(), k);
        let rows: Vec<DumbbellRow> = groups
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| !**h)
            .map(|(g, _)| DumbbellRow {
                label: g.kelompok.clone(),
                n: g.n,
                before: g.mean_pre,
                after: g.mean_post,
            })
            .collect();
        if !rows.is_empty() {
            blocks.push(Block::Chart(Chart::Dumbbell(Dumbbell {
                name: slug(&format!("sebelum_sesudah_{main}_{dim}")),
                title: format!("{}: {} — {dim}", tr("deskriptif_judul", lang), indikator_label(main, lang)),
                x_label: main.to_string(),
                rows,
            })));
        }
    }
    if let Some(d) = data.deltas.get(main).filter(|d| d.len() >= k as usize) {
        blocks.push(Block::Chart(Chart::Histogram(Histogram {
            name: slug(&format!("sebaran_delta_{main}")),
            title: format!("{}: {}", tr("sebaran_delta", lang), indikator_label(main, lang)),
            x_label: tr("perubahan", lang).into(),
            y_label: tr("jumlah", lang).into(),
            values: d.clone(),
            bins: 30,
            marker: Some(0.0),
        })));
    }
    blocks.push(Block::Table(prepost_table(ctx, data)));

    // Unit services.
    blocks.push(Block::Heading(tr("layanan_unit", lang).into()));
    let units: Vec<&Effect> = effects.iter().filter(|e| e.unit).collect();
    if !units.is_empty() {
        blocks.push(Block::Table(TableBlock {
            title: tr("efek_unit", lang).into(),
            sheet: Some("Efek layanan unit".into()),
            columns: vec![
                "analysis".into(),
                tr("indikator", lang).into(),
                "n unit".into(),
                tr("estimasi", lang).into(),
                "IK 95% −".into(),
                "IK 95% +".into(),
                tr("tafsiran", lang).into(),
            ],
            rows: units
                .iter()
                .map(|e| {
                    vec![
                        Cell::Text(e.group.clone()),
                        Cell::Text(e.indikator.clone()),
                        Cell::Int(e.n_treated),
                        Cell::Num(e.att, 2),
                        Cell::Num(e.ci_low, 2),
                        Cell::Num(e.ci_high, 2),
                        Cell::Text(verdict_words(Verdict::of(e), lang)),
                    ]
                })
                .collect(),
        }));
        for e in units.iter().take(2) {
            blocks.push(Block::Para(sentence(e, lang).text));
        }
    }
    // Timelines of the units with the most new heads.
    let mut series: Vec<_> = data.units.iter().filter(|u| u.ikm.iter().flatten().count() >= 2).collect();
    series.sort_by(|a, b| b.arrivals.len().cmp(&a.arrivals.len()).then_with(|| a.unit_id.cmp(&b.unit_id)));
    for u in series.iter().take(3) {
        blocks.push(Block::Chart(Chart::Timeline(Timeline {
            name: slug(&format!("layanan_{}", u.unit_id)),
            title: format!("{}: IKM — {}", tr("layanan_unit", lang), u.nama),
            y_label: "ikm_konversi".into(),
            periods: u.periods.clone(),
            values: u.ikm.clone(),
            arrivals: u.arrivals.clone(),
            mutu_bands: true,
        })));
    }

    // Flows, headcounts, mobility.
    blocks.push(Block::Heading(tr("arus_opd", lang).into()));
    if let Some(h) = flow_heatmap(ctx, data) {
        blocks.push(Block::Chart(Chart::Heatmap(h)));
    }
    blocks.push(Block::Heading(tr("jumlah_pegawai_opd", lang).into()));
    let mut moving: Vec<_> =
        data.movement.iter().filter(|m| ctx.scope_opd.is_empty() || ctx.scope_opd.contains(&m.opd)).collect();
    moving.sort_by(|a, b| (b.masuk + b.keluar).cmp(&(a.masuk + a.keluar)).then_with(|| a.opd.cmp(&b.opd)));
    for m in moving.iter().take(4) {
        blocks.push(Block::Chart(Chart::Waterfall(waterfall(ctx, data, m))));
    }
    let year: i64 = ctx.period.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let mobility: Vec<_> = data.mobility.iter().filter(|m| m.tahun == year).collect();
    if !mobility.is_empty() {
        let hidden = primary(&mobility.iter().map(|m| m.pindah).collect::<Vec<_>>(), k);
        blocks.push(Block::Table(TableBlock {
            title: format!("{} {year}", tr("mobilitas", lang)),
            sheet: Some("Mobilitas OPD".into()),
            columns: vec![
                "OPD".into(),
                tr("jumlah_pegawai", lang).into(),
                tr("keluar", lang).into(),
                format!("{} (%)", tr("laju", lang)),
            ],
            rows: mobility
                .iter()
                .zip(&hidden)
                .map(|(m, h)| {
                    let rate = if m.layak > 0 { 100.0 * m.pindah as f64 / m.layak as f64 } else { f64::NAN };
                    vec![
                        Cell::Text(m.opd.clone()),
                        Cell::Int(m.layak),
                        if *h { Cell::Suppressed } else { Cell::Int(m.pindah) },
                        if *h { Cell::Suppressed } else { Cell::Num(rate, 1) },
                    ]
                })
                .collect(),
        }));
    }
    if !data.differences.is_empty() {
        blocks.push(Block::Heading(tr("selisih_subkelompok", lang).into()));
        blocks.push(Block::Table(TableBlock {
            title: tr("selisih_subkelompok", lang).into(),
            sheet: Some("Selisih subkelompok".into()),
            columns: vec![
                tr("indikator", lang).into(),
                "dimensi".into(),
                tr("kelompok", lang).into(),
                format!("{} (a)", tr("estimasi", lang)),
                format!("{} (b)", tr("estimasi", lang)),
                "a − b".into(),
                "IK 95% −".into(),
                "IK 95% +".into(),
                "p".into(),
                tr("tafsiran", lang).into(),
            ],
            rows: data
                .differences
                .iter()
                .map(|d| {
                    vec![
                        Cell::Text(d.outcome.clone()),
                        Cell::Text(d.dimensi.clone()),
                        Cell::Text(d.groups.clone()),
                        d.att_a.map_or(Cell::Empty, |x| Cell::Num(x, 2)),
                        d.att_b.map_or(Cell::Empty, |x| Cell::Num(x, 2)),
                        Cell::Num(d.selisih, 2),
                        d.ci_low.map_or(Cell::Empty, |x| Cell::Num(x, 2)),
                        d.ci_high.map_or(Cell::Empty, |x| Cell::Num(x, 2)),
                        d.p_value.map_or(Cell::Empty, Cell::PValue),
                        Cell::Text(pick(&d.tafsiran, lang)),
                    ]
                })
                .collect(),
        }));
        if data.differences.iter().any(|d| d.dimensi == "pelatihan") {
            blocks.push(Block::Note(tr("pelatihan_catatan", lang).into()));
        }
    }
    blocks.push(Block::Note(tr("disamarkan_catatan", lang).replace(" k ", &format!(" k = {k} "))));
    Section { id: "hasil", title: tr("hasil_opd", lang).into(), blocks }
}

/// The descriptive summary: each dimension's groups with complementary suppression against the
/// `semua` row.
fn prepost_table(ctx: &ReportContext, data: &ReportData) -> TableBlock {
    let lang = ctx.lang;
    let mut rows = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in &data.prepost {
        let key = (r.indikator.clone(), r.dimensi.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for (ind, dim) in keys {
        let group: Vec<_> = data.prepost.iter().filter(|r| r.indikator == ind && r.dimensi == dim).collect();
        let hidden = if dim == "semua" {
            primary(&group.iter().map(|r| r.n).collect::<Vec<_>>(), ctx.k)
        } else {
            complementary(&group.iter().map(|r| r.n).collect::<Vec<_>>(), ctx.k)
        };
        for (r, h) in group.iter().zip(hidden) {
            let stat = |v: Option<f64>| {
                if h { Cell::Suppressed } else { v.map_or(Cell::Empty, |x| Cell::Num(x, 2)) }
            };
            rows.push(vec![
                Cell::Text(r.indikator.clone()),
                Cell::Text(r.dimensi.clone()),
                Cell::Text(r.kelompok.clone()),
                if h { Cell::Suppressed } else { Cell::Int(r.n) },
                stat(r.rata_delta),
                stat(r.ci_low),
                stat(r.ci_high),
            ]);
        }
    }
    TableBlock {
        title: tr("deskriptif_judul", lang).into(),
        sheet: Some("Sebelum-sesudah".into()),
        columns: vec![
            tr("indikator", lang).into(),
            "dimensi".into(),
            tr("kelompok", lang).into(),
            "n".into(),
            tr("perubahan", lang).into(),
            "IK 95% −".into(),
            "IK 95% +".into(),
        ],
        rows,
    }
}

/// The OPD × OPD flow matrix with cells of fewer than k transfers hidden.
fn flow_heatmap(ctx: &ReportContext, data: &ReportData) -> Option<Heatmap> {
    if data.flows.is_empty() {
        return None;
    }
    // One OPD list for both axes (origins and destinations), `luar_instansi` last.
    let mut all: BTreeSet<String> = BTreeSet::new();
    for (a, b) in data.flows.keys() {
        all.insert(a.clone());
        all.insert(b.clone());
    }
    let mut rows: Vec<String> = all.into_iter().filter(|o| o != "luar_instansi").collect();
    if data.flows.keys().any(|(a, b)| a == "luar_instansi" || b == "luar_instansi") {
        rows.push("luar_instansi".into());
    }
    let columns = rows.clone();
    let cells = rows
        .iter()
        .flat_map(|r| columns.iter().map(move |c| (r.clone(), c.clone())))
        .map(|key| match data.flows.get(&key).copied().unwrap_or(0) {
            n if n > 0 && n < ctx.k => FlowCell::Suppressed,
            n => FlowCell::Count(n),
        })
        .collect();
    Some(Heatmap {
        name: "arus_opd".into(),
        title: format!("{} ({} – {})", tr("arus_opd", ctx.lang), data.window.0, data.window.1),
        rows,
        columns,
        cells,
        k: ctx.k,
    })
}

/// One OPD's headcount waterfall over the twelve months; small steps merged into one
/// suppressed step together with their complement.
fn waterfall(ctx: &ReportContext, data: &ReportData, m: &super::inputs::OpdMovement) -> Waterfall {
    let lang = ctx.lang;
    let values = [m.masuk as f64, -(m.keluar as f64), m.lainnya as f64];
    let labels = [tr("masuk", lang), tr("keluar", lang), tr("lainnya", lang)];
    let hidden = complementary(&values.iter().map(|v| v.abs() as u64).collect::<Vec<_>>(), ctx.k);
    let mut steps: Vec<Step> = Vec::new();
    let mut merged = 0.0;
    for ((v, l), h) in values.iter().zip(labels).zip(&hidden) {
        if *h {
            merged += v;
        } else {
            steps.push(Step { label: l.to_string(), delta: *v });
        }
    }
    if hidden.iter().any(|h| *h) {
        steps.push(Step { label: tr("disamarkan", lang).into(), delta: merged });
    }
    Waterfall {
        name: slug(&format!("jumlah_pegawai_{}", m.opd)),
        title: format!("{} ({} – {})", m.opd, data.window.0, data.window.1),
        start: m.awal as f64,
        steps,
        end: m.akhir as f64,
    }
}

fn requests(ctx: &ReportContext, data: &ReportData) -> Section {
    let lang = ctx.lang;
    let mut blocks = vec![Block::Note(tr("permohonan_catatan", lang).into())];
    let [submitted, decided, approved, rejected] = data.funnel;
    if submitted + decided > 0 {
        blocks.push(Block::Chart(Chart::Bars(Bars {
            name: "permohonan_alur".into(),
            title: format!("{} ({} – {})", tr("alur_permohonan", lang), data.window.0, data.window.1),
            y_label: tr("permohonan", lang).into(),
            bars: vec![
                (tr("diajukan", lang).into(), submitted),
                (tr("diputuskan", lang).into(), decided),
                (tr("disetujui", lang).into(), approved),
                (tr("ditolak", lang).into(), rejected),
            ],
        })));
    }
    if data.decision_days.len() >= ctx.k as usize {
        blocks.push(Block::Chart(Chart::Histogram(Histogram {
            name: "permohonan_lama_keputusan".into(),
            title: tr("waktu_keputusan", lang).into(),
            x_label: tr("hari_keputusan", lang).into(),
            y_label: tr("permohonan", lang).into(),
            values: data.decision_days.clone(),
            bins: 20,
            marker: None,
        })));
    }
    let shown: Vec<_> =
        data.fairness.iter().filter(|f| !f.ditekan && f.n >= ctx.k && f.rate.is_some()).collect();
    if !shown.is_empty() {
        blocks.push(Block::Chart(Chart::Forest(Forest {
            name: "permohonan_persetujuan".into(),
            title: tr("persetujuan_kelompok", lang).into(),
            x_label: tr("tingkat_persetujuan", lang).into(),
            rows: shown
                .iter()
                .map(|f| ForestRow {
                    label: format!("{}: {}", f.dimensi, f.kelompok),
                    n: f.n,
                    estimate: f.rate.unwrap_or(f64::NAN),
                    low: f.ci_low.unwrap_or(f64::NAN),
                    high: f.ci_high.unwrap_or(f64::NAN),
                    flagged: f.ditandai,
                })
                .collect(),
            percent: true,
        })));
    }
    if !data.fairness.is_empty() {
        blocks.push(Block::Table(TableBlock {
            title: tr("persetujuan_kelompok", lang).into(),
            sheet: Some("Permohonan".into()),
            columns: vec![
                "dimensi".into(),
                tr("kelompok", lang).into(),
                "n".into(),
                format!("{} (%)", tr("tingkat_persetujuan", lang)),
                "IK 95% −".into(),
                "IK 95% +".into(),
                "p".into(),
                tr("ditandai", lang).into(),
            ],
            rows: data
                .fairness
                .iter()
                .map(|f| {
                    let hide = f.ditekan || f.n < ctx.k;
                    let pct = |v: Option<f64>| {
                        if hide {
                            Cell::Suppressed
                        } else {
                            v.map_or(Cell::Empty, |x| Cell::Num(100.0 * x, 1))
                        }
                    };
                    vec![
                        Cell::Text(f.dimensi.clone()),
                        Cell::Text(f.kelompok.clone()),
                        if hide { Cell::Suppressed } else { Cell::Int(f.n) },
                        pct(f.rate),
                        pct(f.ci_low),
                        pct(f.ci_high),
                        f.p_value.map_or(Cell::Empty, Cell::PValue),
                        Cell::Text(if f.ditandai { tr("ditandai", lang).into() } else { String::new() }),
                    ]
                })
                .collect(),
        }));
    }
    if blocks.len() == 1 {
        blocks.push(Block::Para(match lang {
            Lang::Id => "Tidak ada data permohonan mutasi dalam periode ini.".into(),
            Lang::En => "No transfer-request data in this period.".into(),
        }));
    }
    Section { id: "permohonan", title: tr("permohonan_judul", lang).into(), blocks }
}

fn appendix(lang: Lang) -> Section {
    let terms: BTreeMap<&str, &str> = [
        ("mutasi", "g_mutasi"),
        ("OPD", "g_opd"),
        ("IKM / SKM", "g_ikm"),
        ("SKP / e-Kinerja", "g_skp"),
        ("IK 95% / 95% CI", "g_ik"),
        ("DiD", "g_did"),
        ("Uji pra-tren / pre-trend test", "g_pratren"),
        ("k", "g_penyamaran"),
    ]
    .into_iter()
    .collect();
    Section {
        id: "lampiran",
        title: tr("lampiran", lang).into(),
        blocks: vec![Block::Table(TableBlock {
            title: tr("glosarium", lang).into(),
            sheet: None,
            columns: vec![tr("istilah", lang).into(), tr("arti", lang).into()],
            rows: terms
                .iter()
                .map(|(t, key)| vec![Cell::Text(t.to_string()), Cell::Text(tr(key, lang).into())])
                .collect(),
        })],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ReportContext {
        ReportContext {
            title: "t".into(),
            description: String::new(),
            period: "2025-12".into(),
            lang: Lang::Id,
            k: 5,
            pre: 6,
            post: 6,
            min_e: -12,
            max_e: 12,
            min_treated: 20,
            control: "never".into(),
            outcomes: vec!["capaian_iki".into()],
            scope_opd: vec![],
            estimates: vec![],
            unit_notes: vec![],
            checks: vec![],
            warnings: vec![],
        }
    }

    /// A small step is merged with its complement into one "Disamarkan" step: neither can be
    /// read, and start + steps still reaches the end.
    #[test]
    fn small_waterfall_steps_are_merged_with_their_complement() {
        let m = super::super::inputs::OpdMovement {
            opd: "Inspektorat".into(),
            awal: 40,
            masuk: 3,
            keluar: 12,
            lainnya: 7,
            akhir: 38,
        };
        let w = waterfall(&ctx(), &ReportData::default(), &m);
        let labels: Vec<&str> = w.steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Keluar", "Disamarkan"], "masuk (3) hidden with lainnya (7), the smallest other");
        assert_eq!(w.steps[1].delta, 10.0);
        let end = w.start + w.steps.iter().map(|s| s.delta).sum::<f64>();
        assert_eq!(end, w.end);
        let none = super::super::inputs::OpdMovement { masuk: 30, ..m };
        assert_eq!(waterfall(&ctx(), &ReportData::default(), &none).steps.len(), 3);
    }

    /// Flow cells below k are hidden; both axes list the same OPD, outside the instansi last.
    #[test]
    fn flow_cells_below_k_are_hidden() {
        let mut data = ReportData::default();
        data.flows.insert(("A".into(), "B".into()), 3);
        data.flows.insert(("B".into(), "A".into()), 9);
        data.flows.insert(("luar_instansi".into(), "A".into()), 5);
        let h = flow_heatmap(&ctx(), &data).expect("heatmap");
        assert_eq!(h.rows, ["A", "B", "luar_instansi"]);
        assert_eq!(h.rows, h.columns);
        assert_eq!(h.cells[1], FlowCell::Suppressed, "A → B: 3 < 5");
        assert_eq!(h.cells[3], FlowCell::Count(9));
        assert_eq!(h.cells[6], FlowCell::Count(5));
    }

    #[test]
    fn picks_the_language_half_and_slugs() {
        assert_eq!(pick("kurang data / too few data", Lang::En), "too few data");
        assert_eq!(pick("kurang data / too few data", Lang::Id), "kurang data");
        assert_eq!(pick("hanya satu", Lang::En), "hanya satu");
        assert_eq!(slug("Dinas Kesehatan / 2025"), "dinas_kesehatan_2025");
    }
}
