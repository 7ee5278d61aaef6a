//! `run.json` (what a month's run did) and `<period>.failed.json` (why it published nothing).

use serde::Serialize;

use mutasi_analysis::analyses::EstimateNote;
use mutasi_analysis::queries::QueryResult;
use mutasi_analysis::service::unit_effects::UnitNote;

/// `run.json`: what the run did, without timestamps, so a re-run gives the same file.
#[derive(Debug, Serialize)]
pub(crate) struct RunReport {
    /// The report spec, when the run used one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) laporan: Option<ReportInfo>,
    pub(crate) periode: String,
    pub(crate) versi: String,
    pub(crate) keluaran: Vec<String>,
    pub(crate) opsi: OptionsReport,
    pub(crate) estimasi: Vec<EstimateNote>,
    pub(crate) efek_unit: Vec<UnitNote>,
    pub(crate) kueri: Vec<QueryResult>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OptionsReport {
    pub(crate) outcomes: Vec<String>,
    pub(crate) subgroups: Vec<String>,
    pub(crate) pre: i64,
    pub(crate) post: i64,
    pub(crate) min_obs: usize,
    pub(crate) min_e: i64,
    pub(crate) max_e: i64,
    pub(crate) min_treated: usize,
    pub(crate) min_group: usize,
    pub(crate) standardize: bool,
    /// Bootstrap draws of the descriptive summaries (0: none).
    pub(crate) bootstrap: usize,
    pub(crate) control: String,
    pub(crate) base_period: String,
    pub(crate) method: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReportInfo {
    pub(crate) nama: String,
    pub(crate) judul: String,
    pub(crate) opd: Vec<String>,
    pub(crate) jenis_unit: Vec<String>,
}

/// `<out>/<period>.failed.json`: why a run published nothing.
#[derive(Debug, Serialize)]
pub(crate) struct FailedReport {
    pub(crate) periode: String,
    pub(crate) gerbang: String,
    pub(crate) alasan: String,
}
