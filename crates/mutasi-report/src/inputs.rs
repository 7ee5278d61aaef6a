//! The report's data layer: reads the run's Parquet outputs (and the validated tables) into the
//! plain structs the charts, tables and findings take. This is the only report module that
//! touches files; everything after it works on vectors.
//!
//! A table that is absent (an analysis with nothing to say) reads as empty, so a report still
//! renders and says what could not be measured; a table that is present but unreadable is an
//! error naming its file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::charts::event_study::EventPoint;
use mutasi_io::data::table::{ColumnData, TableData, read_table_shared};

use crate::ReportError;

/// A table of the run as plain columns, or an empty one when its file is absent.
pub struct Table {
    /// Shared with the run's read cache: the report reads what the analyses just wrote.
    pub data: std::sync::Arc<TableData>,
    pub file: std::path::PathBuf,
}

impl Table {
    pub fn read(path: &Path) -> Result<Table, ReportError> {
        let data = if path.exists() { read_table_shared(path, None, None)? } else { Default::default() };
        Ok(Table { data, file: path.to_path_buf() })
    }

    pub fn height(&self) -> usize {
        self.data.height()
    }

    /// Text of row `i` (empty when null or missing).
    pub fn text(&self, col: &str, i: usize) -> String {
        match self.data.get(col) {
            Some(ColumnData::Str(_) | ColumnData::Dict { .. }) => {
                self.data.str_at(col, i).unwrap_or("").to_string()
            }
            Some(c) => c.text(i),
            None => String::new(),
        }
    }

    /// A number of row `i` (integers widened), `None` when null or missing.
    pub fn num(&self, col: &str, i: usize) -> Option<f64> {
        match self.data.get(col)? {
            ColumnData::F64(v) => v.get(i).copied().flatten(),
            ColumnData::I64(v) => v.get(i).copied().flatten().map(|x| x as f64),
            _ => None,
        }
    }

    pub fn flag(&self, col: &str, i: usize) -> Option<bool> {
        match self.data.get(col)? {
            ColumnData::Bool(v) => v.get(i).copied().flatten(),
            _ => None,
        }
    }

    pub fn date(&self, col: &str, i: usize) -> Option<NaiveDate> {
        match self.data.get(col)? {
            ColumnData::Date(v) => v.get(i).copied().flatten(),
            _ => None,
        }
    }

    /// Checks that the table, when present, has `cols`.
    pub fn require(&self, cols: &[&str]) -> Result<(), ReportError> {
        if self.height() == 0 {
            return Ok(());
        }
        match cols.iter().find(|c| self.data.get(c).is_none()) {
            Some(c) => Err(ReportError::MissingColumn { path: self.file.clone(), column: c.to_string() }),
            None => Ok(()),
        }
    }
}

/// One event-study point of one outcome × subgroup.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub outcome: String,
    pub subgroup: String,
    pub point: EventPoint,
}

/// An overall (dynamic) effect.
#[derive(Debug, Clone, PartialEq)]
pub struct OverallRow {
    pub outcome: String,
    /// Subgroup, or the unit analysis.
    pub group: String,
    pub att: f64,
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Treated units (unit effects only).
    pub n_treated_units: Option<u64>,
}

/// Mean before and after of the valid transfer windows of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowGroup {
    pub indikator: String,
    pub dimensi: String,
    pub kelompok: String,
    pub n: u64,
    pub mean_pre: f64,
    pub mean_post: f64,
}

/// One row of the descriptive summary.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepostRow {
    pub indikator: String,
    pub dimensi: String,
    pub kelompok: String,
    pub n: u64,
    pub rata_delta: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A unit's indicator over the periods, and the periods a new head (`jabatan_baru` containing
/// "kepala") arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSeries {
    pub unit_id: String,
    pub nama: String,
    pub periods: Vec<String>,
    pub ikm: Vec<Option<f64>>,
    pub arrivals: Vec<usize>,
}

/// Headcount movement of one OPD over the report's twelve months.
#[derive(Debug, Clone, PartialEq)]
pub struct OpdMovement {
    pub opd: String,
    pub awal: u64,
    pub masuk: u64,
    pub keluar: u64,
    pub lainnya: i64,
    pub akhir: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileCounts {
    pub berkas: String,
    pub dibaca: u64,
    pub diterima: u64,
    pub ditolak: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FairnessRow {
    pub dimensi: String,
    pub kelompok: String,
    pub n: u64,
    pub rate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub ditandai: bool,
    pub ditekan: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DifferenceRow {
    pub outcome: String,
    pub dimensi: String,
    /// "ya − tidak": which group minus which.
    pub groups: String,
    pub att_a: Option<f64>,
    pub att_b: Option<f64>,
    pub selisih: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// How to read it, bilingual "id / en".
    pub tafsiran: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MobilityRow {
    pub opd: String,
    pub tahun: i64,
    pub layak: u64,
    pub pindah: u64,
}

/// Everything the report shows, as plain data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportData {
    pub events: Vec<EventRow>,
    pub overall: Vec<OverallRow>,
    pub unit_overall: Vec<OverallRow>,
    pub window_groups: Vec<WindowGroup>,
    /// Valid per-transfer deltas by indikator.
    pub deltas: BTreeMap<String, Vec<f64>>,
    pub prepost: Vec<PrepostRow>,
    pub units: Vec<UnitSeries>,
    /// Unit periods whose SKM sample was below the minimum, and all unit periods.
    pub ikm_sample_short: u64,
    pub ikm_periods: u64,
    /// OPD × OPD flows over the report's twelve months.
    pub flows: BTreeMap<(String, String), u64>,
    pub movement: Vec<OpdMovement>,
    pub mobility: Vec<MobilityRow>,
    pub files: Vec<FileCounts>,
    /// (reason code, Indonesian message, English message, rows).
    pub rejects: Vec<(String, String, String, u64)>,
    /// Request funnel over the twelve months: submitted, decided, approved, rejected.
    pub funnel: [u64; 4],
    /// Days from request to decision of the requests decided in the twelve months.
    pub decision_days: Vec<f64>,
    pub fairness: Vec<FairnessRow>,
    pub differences: Vec<DifferenceRow>,
    /// First and last month (YYYY-MM) of the twelve-month window.
    pub window: (String, String),
}

/// Reads the run folder `dir` (its analysis outputs and `validated/`) and the tables the analyses
/// used (`source`: `validated/` or the spec's `cakupan/`), for the twelve months ending `month`
/// (`YYYY-MM`).
pub fn read(dir: &Path, source: &Path, year: i32, month: u32) -> Result<ReportData, ReportError> {
    let first = if month == 12 { (year, 1) } else { (year - 1, month + 1) };
    let from = format!("{:04}-{:02}", first.0, first.1);
    let to = format!("{year:04}-{month:02}");
    let in_window = |p: &str| p >= from.as_str() && p <= to.as_str();
    let mut out = ReportData { window: (from.clone(), to.clone()), ..ReportData::default() };

    let es = Table::read(&dir.join("event_study.parquet"))?;
    es.require(&["outcome", "subgroup", "estimator", "e", "att"])?;
    for i in 0..es.height() {
        if es.text("estimator", i) != "cs" {
            continue;
        }
        let Some(att) = es.num("att", i) else { continue };
        out.events.push(EventRow {
            outcome: es.text("outcome", i),
            subgroup: es.text("subgroup", i),
            point: EventPoint {
                e: es.num("e", i).unwrap_or(0.0) as i64,
                att,
                ci_low: es.num("ci_low", i),
                ci_high: es.num("ci_high", i),
                band_low: es.num("band_low", i),
                band_high: es.num("band_high", i),
            },
        });
    }

    let ag = Table::read(&dir.join("aggregates.parquet"))?;
    ag.require(&["outcome", "subgroup", "type", "element", "att"])?;
    for i in 0..ag.height() {
        if ag.text("type", i) != "dynamic" || ag.num("element", i).is_some() {
            continue;
        }
        let Some(att) = ag.num("att", i) else { continue };
        out.overall.push(OverallRow {
            outcome: ag.text("outcome", i),
            group: ag.text("subgroup", i),
            att,
            se: ag.num("se", i),
            ci_low: ag.num("ci_low", i),
            ci_high: ag.num("ci_high", i),
            n_treated_units: None,
        });
    }

    let ue = Table::read(&dir.join("unit_effects.parquet"))?;
    ue.require(&["analisis", "indikator", "type", "element", "att"])?;
    for i in 0..ue.height() {
        if ue.text("type", i) != "dynamic" || ue.num("element", i).is_some() {
            continue;
        }
        let Some(att) = ue.num("att", i) else { continue };
        out.unit_overall.push(OverallRow {
            outcome: ue.text("indikator", i),
            group: ue.text("analisis", i),
            att,
            se: ue.num("se", i),
            ci_low: ue.num("ci_low", i),
            ci_high: ue.num("ci_high", i),
            n_treated_units: ue.num("n_treated_units", i).map(|x| x as u64),
        });
    }

    // Per-transfer windows: group means for the dumbbells and the deltas' distribution.
    let tw = Table::read(&dir.join("transfer_windows.parquet"))?;
    tw.require(&["indikator", "jenis_mutasi", "opd_tujuan", "rata_pre", "rata_post", "delta", "sah"])?;
    let mut sums: BTreeMap<(String, String, String), (u64, f64, f64)> = BTreeMap::new();
    for i in 0..tw.height() {
        if tw.flag("sah", i) != Some(true) {
            continue;
        }
        let (Some(pre), Some(post)) = (tw.num("rata_pre", i), tw.num("rata_post", i)) else { continue };
        let ind = tw.text("indikator", i);
        if let Some(d) = tw.num("delta", i) {
            out.deltas.entry(ind.clone()).or_default().push(d);
        }
        for dim in ["jenis_mutasi", "opd_tujuan"] {
            let s = sums.entry((ind.clone(), dim.to_string(), tw.text(dim, i))).or_insert((0, 0.0, 0.0));
            s.0 += 1;
            s.1 += pre;
            s.2 += post;
        }
    }
    out.window_groups = sums
        .into_iter()
        .map(|((indikator, dimensi, kelompok), (n, a, b))| WindowGroup {
            indikator,
            dimensi,
            kelompok,
            n,
            mean_pre: a / n as f64,
            mean_post: b / n as f64,
        })
        .collect();

    let ps = Table::read(&dir.join("prepost_summary.parquet"))?;
    ps.require(&["indikator", "dimensi", "kelompok", "n_mutasi", "rata_delta"])?;
    for i in 0..ps.height() {
        out.prepost.push(PrepostRow {
            indikator: ps.text("indikator", i),
            dimensi: ps.text("dimensi", i),
            kelompok: ps.text("kelompok", i),
            n: ps.num("n_mutasi", i).unwrap_or(0.0) as u64,
            rata_delta: ps.num("rata_delta", i),
            ci_low: ps.num("ci_low_t", i),
            ci_high: ps.num("ci_high_t", i),
        });
    }

    read_units(dir, source, &mut out)?;

    let fl = Table::read(&dir.join("flows_opd.parquet"))?;
    fl.require(&["periode", "opd_asal", "opd_tujuan", "n_mutasi"])?;
    for i in 0..fl.height() {
        if in_window(&fl.text("periode", i)) {
            *out.flows.entry((fl.text("opd_asal", i), fl.text("opd_tujuan", i))).or_insert(0) +=
                fl.num("n_mutasi", i).unwrap_or(0.0) as u64;
        }
    }

    let mv = Table::read(&dir.join("movement_opd.parquet"))?;
    mv.require(&["opd", "periode", "awal", "masuk", "keluar", "lainnya", "akhir"])?;
    let mut by_opd: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in 0..mv.height() {
        if in_window(&mv.text("periode", i)) {
            by_opd.entry(mv.text("opd", i)).or_default().push(i);
        }
    }
    for (opd, mut rows) in by_opd {
        rows.sort_by_key(|i| mv.text("periode", *i));
        let (Some(&f), Some(&l)) = (rows.first(), rows.last()) else { continue };
        let sum = |c: &str| rows.iter().map(|i| mv.num(c, *i).unwrap_or(0.0)).sum::<f64>();
        out.movement.push(OpdMovement {
            opd,
            awal: mv.num("awal", f).unwrap_or(0.0) as u64,
            masuk: sum("masuk") as u64,
            keluar: sum("keluar") as u64,
            lainnya: sum("lainnya") as i64,
            akhir: mv.num("akhir", l).unwrap_or(0.0) as u64,
        });
    }

    let mb = Table::read(&dir.join("mobility.parquet"))?;
    mb.require(&["opd", "tahun", "pegawai_layak", "pegawai_pindah"])?;
    for i in 0..mb.height() {
        out.mobility.push(MobilityRow {
            opd: mb.text("opd", i),
            tahun: mb.num("tahun", i).unwrap_or(0.0) as i64,
            layak: mb.num("pegawai_layak", i).unwrap_or(0.0) as u64,
            pindah: mb.num("pegawai_pindah", i).unwrap_or(0.0) as u64,
        });
    }

    let rc = Table::read(&dir.join("validated").join("reconciliation.parquet"))?;
    rc.require(&["berkas", "baris_dibaca", "baris_diterima", "baris_ditolak"])?;
    for i in 0..rc.height() {
        out.files.push(FileCounts {
            berkas: rc.text("berkas", i),
            dibaca: rc.num("baris_dibaca", i).unwrap_or(0.0) as u64,
            diterima: rc.num("baris_diterima", i).unwrap_or(0.0) as u64,
            ditolak: rc.num("baris_ditolak", i).unwrap_or(0.0) as u64,
        });
    }
    let rj = Table::read(&dir.join("validated").join("rejects.parquet"))?;
    rj.require(&["kode_alasan", "pesan_id", "pesan_en"])?;
    let mut reasons: BTreeMap<String, (String, String, u64)> = BTreeMap::new();
    for i in 0..rj.height() {
        let e = reasons.entry(rj.text("kode_alasan", i)).or_insert((
            rj.text("pesan_id", i),
            rj.text("pesan_en", i),
            0,
        ));
        e.2 += 1;
    }
    out.rejects = reasons.into_iter().map(|(k, (a, b, n))| (k, a, b, n)).collect();
    out.rejects.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));

    read_requests(dir, source, &in_window, &mut out)?;

    let sd = Table::read(&dir.join("subgroup_differences.parquet"))?;
    for i in 0..sd.height() {
        let Some(selisih) = sd.num("selisih", i) else { continue };
        out.differences.push(DifferenceRow {
            outcome: sd.text("outcome", i),
            dimensi: sd.text("dimensi", i),
            groups: format!("{} − {}", sd.text("kelompok_a", i), sd.text("kelompok_b", i)),
            att_a: sd.num("att_a", i),
            att_b: sd.num("att_b", i),
            selisih,
            ci_low: sd.num("ci_low", i),
            ci_high: sd.num("ci_high", i),
            p_value: sd.num("p_value", i),
            tafsiran: sd.text("tafsiran", i),
        });
    }
    Ok(out)
}

/// The semester label of a date, as `ikm_per_unit.periode` writes it (`2024-S1`).
fn semester(d: NaiveDate) -> String {
    format!("{}-S{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

/// IKM series of every unit with SKM data, arrivals by IKM period, and the sample flags.
fn read_units(dir: &Path, source: &Path, out: &mut ReportData) -> Result<(), ReportError> {
    let ikm = Table::read(&dir.join("ikm_per_unit.parquet"))?;
    ikm.require(&["unit_id", "periode", "ikm_konversi"])?;
    let units = Table::read(&source.join("unit_kerja.parquet"))?;
    let names: BTreeMap<String, String> =
        (0..units.height()).map(|i| (units.text("unit_id", i), units.text("nama_unit", i))).collect();
    let mut periods: BTreeSet<String> = BTreeSet::new();
    let mut values: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for i in 0..ikm.height() {
        let p = ikm.text("periode", i);
        periods.insert(p.clone());
        out.ikm_periods += 1;
        if ikm.flag("sampel_cukup", i) == Some(false) {
            out.ikm_sample_short += 1;
        }
        if let Some(v) = ikm.num("ikm_konversi", i) {
            values.entry(ikm.text("unit_id", i)).or_default().insert(p, v);
        }
    }
    let periods: Vec<String> = periods.into_iter().collect();
    let mutasi = Table::read(&source.join("mutasi.parquet"))?;
    let mut arrivals: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for i in 0..mutasi.height() {
        // A new head is the arrival a reader looks for; ordinary staff arrive every semester.
        if !mutasi.text("jabatan_baru", i).to_lowercase().contains("kepala") {
            continue;
        }
        let (Some(tmt), unit) = (mutasi.date("tmt", i), mutasi.text("unit_tujuan_id", i)) else { continue };
        if let Some(k) = periods.iter().position(|p| *p == semester(tmt)) {
            arrivals.entry(unit).or_default().insert(k);
        }
    }
    for (unit_id, by_period) in values {
        out.units.push(UnitSeries {
            nama: names.get(&unit_id).cloned().unwrap_or_else(|| unit_id.clone()),
            ikm: periods.iter().map(|p| by_period.get(p).copied()).collect(),
            arrivals: arrivals.get(&unit_id).map(|s| s.iter().copied().collect()).unwrap_or_default(),
            periods: periods.clone(),
            unit_id,
        });
    }
    Ok(())
}

/// The request funnel and decision times over the window, and the fairness table.
fn read_requests(
    dir: &Path,
    source: &Path,
    in_window: &dyn Fn(&str) -> bool,
    out: &mut ReportData,
) -> Result<(), ReportError> {
    let funnel = Table::read(&dir.join("permohonan_funnel.parquet"))?;
    funnel.require(&["periode", "diajukan", "diputuskan", "disetujui", "ditolak"])?;
    for i in 0..funnel.height() {
        if in_window(&funnel.text("periode", i)) {
            for (k, c) in ["diajukan", "diputuskan", "disetujui", "ditolak"].iter().enumerate() {
                out.funnel[k] += funnel.num(c, i).unwrap_or(0.0) as u64;
            }
        }
    }
    let req = Table::read(&source.join("permohonan.parquet"))?;
    for i in 0..req.height() {
        let (Some(a), Some(d)) = (req.date("tanggal_pengajuan", i), req.date("tanggal_keputusan", i)) else {
            continue;
        };
        if in_window(&d.format("%Y-%m").to_string()) && d >= a {
            out.decision_days.push((d - a).num_days() as f64);
        }
    }
    let fair = Table::read(&dir.join("permohonan_fairness.parquet"))?;
    fair.require(&["dimensi", "kelompok", "n", "tingkat_persetujuan"])?;
    for i in 0..fair.height() {
        out.fairness.push(FairnessRow {
            dimensi: fair.text("dimensi", i),
            kelompok: fair.text("kelompok", i),
            n: fair.num("n", i).unwrap_or(0.0) as u64,
            rate: fair.num("tingkat_persetujuan", i),
            ci_low: fair.num("ci_low", i),
            ci_high: fair.num("ci_high", i),
            p_value: fair.num("p_value", i),
            ditandai: fair.flag("ditandai", i).unwrap_or(false),
            ditekan: fair.flag("ditekan", i).unwrap_or(false),
        });
    }
    Ok(())
}
