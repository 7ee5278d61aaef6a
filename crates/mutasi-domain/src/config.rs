//! The user's configuration file (`mutasi.toml`), read once and validated into [`Config`].
//!
//! Every key has a default, so a run needs no file at all. Unknown keys are errors, so a typo
//! never silently falls back to a default. `docs/configuration.md` documents each key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The subgroup dimensions `mutasi run` knows: the kind of the first transfer, its destination's
/// unit type, whether it was requested (`permohonan_match`), and whether training started within
/// `training_months` after it (an association, not an effect: training is chosen after the move).
pub const SUBGROUP_DIMENSIONS: [&str; 4] = ["jenis_mutasi", "jenis_unit_tujuan", "diminta", "pelatihan"];

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub validate: ValidateConfig,
    pub privacy: PrivacyConfig,
    pub analysis: AnalysisConfig,
    pub service: ServiceConfig,
    pub movement: MovementConfig,
    pub requests: RequestsConfig,
    pub queries: QueriesConfig,
    pub run: RunConfig,
    pub gates: GatesConfig,
    /// Per-table settings, keyed by canonical table name (`pegawai`, `kinerja`, …).
    pub tables: BTreeMap<String, TableConfig>,
    /// CSV with columns `nip_lama,nip_baru`, relative to the input folder or absolute.
    pub nip_crosswalk: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValidateConfig {
    /// Largest share of rejected rows (0–1) that still counts as success. 0 means any reject
    /// makes `mutasi validate` exit with 1.
    pub max_reject_rate: f64,
    /// Days `tanggal_sk` may fall after `tmt` before a warning.
    pub sk_tolerance_days: i64,
}

impl Default for ValidateConfig {
    fn default() -> Self {
        ValidateConfig { max_reject_rate: 0.0, sk_tolerance_days: 30 }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// Secret for pseudonymous ids. Without it a built-in key is used and ids are only
    /// pseudonymous against casual readers. Also read from `MUTASI_PSEUDONYM_KEY`.
    /// Secret: never written out (the manifest says only whether one was set).
    #[serde(skip_serializing)]
    pub pseudonym_key: Option<String>,
    /// Write `nip` and `nama` into the canonical tables.
    pub include_identities: bool,
}

/// What `mutasi run` estimates (the analysis layer's `AnalysisOptions` default to these; a test
/// there holds them equal).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisConfig {
    /// Kinerja indicators to estimate; empty = every monthly indicator present.
    pub outcomes: Vec<String>,
    /// Subgroup dimensions (`jenis_mutasi`, `jenis_unit_tujuan`).
    pub subgroups: Vec<String>,
    /// Months before and after each transfer in the descriptive windows.
    pub pre: i64,
    pub post: i64,
    /// Minimum months on each side of a descriptive window.
    pub min_obs: usize,
    /// Bootstrap draws of each descriptive summary group's percentile interval (resampling
    /// people); 0 keeps the t interval only and leaves the bootstrap columns empty.
    pub bootstrap: usize,
    /// Event-time window of the event studies (months since the transfer).
    pub min_e: i64,
    pub max_e: i64,
    /// Subgroups with fewer transferred employees are not estimated.
    pub min_treated: usize,
    /// Summary groups and ATT(g,t) cells with fewer employees are suppressed.
    pub min_group: usize,
    /// Standardise outcomes within unit and month before estimating.
    pub standardize: bool,
    /// Comparison group of the employee estimates: `never` or `notyet`.
    pub control: String,
    /// Months after a transfer within which a training start counts (subgroup `pelatihan`).
    pub training_months: i64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            outcomes: Vec::new(),
            subgroups: vec!["jenis_mutasi".into(), "jenis_unit_tujuan".into()],
            pre: 6,
            post: 6,
            min_obs: 3,
            bootstrap: 999,
            min_e: -12,
            max_e: 12,
            min_treated: 20,
            min_group: 5,
            standardize: false,
            control: "never".into(),
            training_months: 3,
        }
    }
}

/// How `mutasi run` computes unit service quality (IKM).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceConfig {
    /// SKM survey period: bulan, triwulan, semester or tahun.
    pub skm_period: String,
    /// `layanan` indicator whose sum over the survey period is the service population N.
    pub population_indikator: String,
    /// `layanan` indicator with a pre-aggregated IKM konversi (25–100) to compare with.
    pub reported_indikator: String,
    /// Per-unit unsur weights (summing to 1), by unit_id.
    pub unsur_weights: BTreeMap<String, Vec<f64>>,
    /// Event-time window of the unit analyses, in months (at least ±2 periods of the indicator).
    pub unit_window_months: i64,
    /// Unit analyses with fewer treated units are not estimated.
    pub min_treated_units: usize,
    /// The unit analyses; default: kepala_baru, kedatangan_dokter, pergantian_staf.
    pub unit_analyses: Option<Vec<UnitAnalysisConfig>>,
    /// Indicators of the unit analyses (`layanan` names, `ikm_konversi`); empty = all.
    pub unit_indikator: Vec<String>,
    /// Comparison units: `notyet` (never- and not-yet-treated) or `never`.
    pub unit_control: String,
    /// Mutu intervals (lower bounds of A, B, C on the 25–100 scale) of a 9-unsur survey;
    /// default PermenPANRB 14/2017: a = 88.31, b = 76.61, c = 65.00.
    pub mutu_9: crate::ikm::Grading,
    /// The same for a 14-unsur survey; default Kepmenpan 25/2004: a = 81.26, b = 62.51, c = 43.76.
    pub mutu_14: crate::ikm::Grading,
    /// Which unsur the columns headed `U8` and `U9` hold: `pengaduan_sarana` (the unsur list of
    /// PermenPANRB 14/2017, default) or `sarana_pengaduan` (the questionnaire's order, used by
    /// some portals). Columns named by their wording are read by it either way.
    pub u8_u9: String,
}

/// SQL summary tables and checks (`queries/**/*.sql`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueriesConfig {
    /// Folder of the `.sql` files; default `queries` in the working folder, when it exists.
    pub dir: Option<PathBuf>,
}

/// Transfer-request checks.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RequestsConfig {
    /// Longest time from a request's approval to the transfer it explains (days).
    pub window_days: i64,
    /// Years a CPNS serves before requesting a transfer (local rule); 0 turns the check off.
    pub cpns_min_years: i64,
}

impl Default for RequestsConfig {
    fn default() -> Self {
        RequestsConfig { window_days: 365, cpns_min_years: 10 }
    }
}

/// A comparison-group key: `never` or `notyet`.
pub fn control_of(key: &str, value: &str) -> Result<mutasi_stats::cs::Control, ConfigError> {
    match value {
        "never" => Ok(mutasi_stats::cs::Control::NeverTreated),
        "notyet" => Ok(mutasi_stats::cs::Control::NotYetTreated),
        other => Err(ConfigError::Invalid(format!("{key} = \"{other}\": pilih / choose never, notyet"))),
    }
}

/// Movement accounting settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MovementConfig {
    /// Blackout windows for transfers; default: Pilkada 2024 (2024-03-22 to 2025-02-20).
    pub blackouts: Option<Vec<BlackoutConfig>>,
    /// Monthly kinerja indicator whose rows say where each employee is each month.
    pub presence_indikator: String,
}

impl Default for MovementConfig {
    fn default() -> Self {
        MovementConfig { blackouts: None, presence_indikator: "capaian_iki".into() }
    }
}

/// One `[[movement.blackouts]]` window (dates `YYYY-MM-DD`, both ends included).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlackoutConfig {
    pub label: String,
    pub start: String,
    pub end: String,
}

impl MovementConfig {
    /// The configured windows, or the default.
    pub fn blackouts(&self) -> Result<Vec<crate::tenure::Blackout>, ConfigError> {
        let Some(list) = &self.blackouts else { return Ok(crate::tenure::default_blackouts()) };
        list.iter()
            .map(|b| {
                let date = |s: &str| {
                    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                        ConfigError::Invalid(format!("movement.blackouts `{}`: tanggal `{s}` harus YYYY-MM-DD / date must be YYYY-MM-DD", b.label))
                    })
                };
                let (start, end) = (date(&b.start)?, date(&b.end)?);
                if end < start {
                    return Err(ConfigError::Invalid(format!("movement.blackouts `{}`: end before start", b.label)));
                }
                Ok(crate::tenure::Blackout { label: b.label.clone(), start, end })
            })
            .collect()
    }
}

/// One `[[service.unit_analyses]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitAnalysisConfig {
    pub name: String,
    /// `kepala_baru`, `kedatangan_profesi` or `pergantian_staf`.
    pub kind: String,
    /// `|`-separated, case-insensitive patterns on `jabatan_baru` (kepala_baru, kedatangan_profesi).
    pub pattern: Option<String>,
    /// Share of staff arrived in the last 12 months (pergantian_staf).
    pub threshold: Option<f64>,
    /// Only units of this jenis_unit.
    pub jenis_unit: Option<String>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            skm_period: "semester".into(),
            population_indikator: "kunjungan".into(),
            reported_indikator: "ikm".into(),
            unsur_weights: BTreeMap::new(),
            unit_window_months: 12,
            min_treated_units: 3,
            unit_analyses: None,
            unit_indikator: Vec::new(),
            unit_control: "notyet".into(),
            mutu_9: crate::ikm::Grading::PERMENPANRB_14_2017,
            mutu_14: crate::ikm::Grading::KEPMENPAN_25_2004,
            u8_u9: "pengaduan_sarana".into(),
        }
    }
}

impl ServiceConfig {
    /// The configured unit analyses, or the defaults.
    pub fn unit_analyses(&self) -> Result<Vec<crate::unit_analysis::UnitAnalysis>, ConfigError> {
        use crate::unit_analysis::{UnitAnalysis, UnitTreatment, default_analyses};
        let Some(list) = &self.unit_analyses else { return Ok(default_analyses()) };
        list.iter()
            .map(|a| {
                let bad =
                    |what: &str| ConfigError::Invalid(format!("service.unit_analyses `{}`: {what}", a.name));
                let pattern = || {
                    a.pattern
                        .clone()
                        .filter(|p| !p.trim().is_empty())
                        .ok_or_else(|| bad("pattern diperlukan / pattern needed"))
                };
                let treatment = match a.kind.as_str() {
                    "kepala_baru" => UnitTreatment::NewHead { pattern: pattern()? },
                    "kedatangan_profesi" => UnitTreatment::Arrival { pattern: pattern()? },
                    "pergantian_staf" => {
                        let t = a.threshold.ok_or_else(|| bad("threshold diperlukan / threshold needed"))?;
                        if !(0.0..=1.0).contains(&t) {
                            return Err(bad("threshold antara 0 dan 1 / between 0 and 1"));
                        }
                        UnitTreatment::Turnover { threshold: t }
                    }
                    other => {
                        return Err(bad(&format!(
                            "kind `{other}`: kepala_baru, kedatangan_profesi, pergantian_staf"
                        )));
                    }
                };
                Ok(UnitAnalysis { name: a.name.clone(), treatment, jenis_unit: a.jenis_unit.clone() })
            })
            .collect()
    }

    /// The survey period kind.
    pub fn period(&self) -> Result<crate::normalize::period::PeriodKind, ConfigError> {
        use crate::normalize::period::PeriodKind as K;
        [K::Bulan, K::Triwulan, K::Semester, K::Tahun]
            .into_iter()
            .find(|k| k.as_str() == self.skm_period)
            .ok_or_else(|| {
                ConfigError::Invalid(format!(
                    "service.skm_period = \"{}\": pilih / choose bulan, triwulan, semester, tahun",
                    self.skm_period
                ))
            })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TableConfig {
    /// Files to read instead of `<table>.csv|xlsx|parquet`, relative to the input folder.
    pub files: Vec<PathBuf>,
    /// The one worksheet to read from workbooks (default: every sheet carrying the table's header).
    pub sheet: Option<String>,
    /// Extra header aliases: canonical column → headers as they appear in the files.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// `skm` only: the unit of survey sheets that have no unit column (a per-unit IKM
    /// worksheet, a Google Form of one unit), when neither the sheet's title nor its name says it.
    pub unit: Option<String>,
    /// `skm` only: the survey period (`2025-S1`, "Semester I 2025", `2025`) of sheets with no
    /// date column, when neither the sheet's title nor its name says it.
    pub periode: Option<String>,
}

/// `[run]`: what `mutasi run` does when its flags are not given (flag > `MUTASI_*` > this file).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Folder with the exports (`--input`, `MUTASI_INPUT`).
    pub input: Option<PathBuf>,
    /// Output folder (`--out`, `MUTASI_OUT`).
    pub out: Option<PathBuf>,
    /// Report month `YYYY-MM` (`--period`, `MUTASI_PERIOD`). Default: none, the last complete
    /// month, which is what a timer wants.
    pub period: Option<String>,
    /// A range of months `YYYY-MM..YYYY-MM` run in order (`--backfill`). Default: none.
    pub backfill: Option<String>,
    /// Report specs written into `<out>/<period>/laporan/<name>/` by every run.
    pub reports: Vec<PathBuf>,
    /// Report language, `id` or `en` (`--lang`, `MUTASI_LANG`).
    pub lang: String,
    /// Shell command run with the failure summary on stdin when a run fails (`--on-failure`,
    /// `MUTASI_ON_FAILURE`).
    pub on_failure: Option<String>,
    /// Log format, `text` or `json` (`--log-format`, `MUTASI_LOG_FORMAT`).
    pub log_format: String,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            input: None,
            out: None,
            period: None,
            backfill: None,
            reports: Vec::new(),
            lang: "id".into(),
            on_failure: None,
            log_format: "text".into(),
        }
    }
}

/// `[gates]`: when a month is not published. The reject-rate gate is `[validate]
/// max_reject_rate`; the checks gate is `queries/checks/`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatesConfig {
    /// Freshness: the latest kinerja month must be at least the period minus this many months.
    pub freshness_lag_months: i64,
    /// Volume: every table's accepted rows within ±this fraction of the previous published
    /// period's (0.5 = from half to one and a half times).
    pub volume_band: f64,
    /// Publish even when a gate fails; the manifest and the report then carry a warning
    /// (`--force`).
    pub force: bool,
}

impl Default for GatesConfig {
    fn default() -> Self {
        GatesConfig { freshness_lag_months: 2, volume_band: 0.5, force: false }
    }
}

/// A configuration problem, reported with the file it came from.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("tidak dapat membaca berkas konfigurasi {path} / cannot read config file: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("berkas konfigurasi {path} tidak sah / invalid config file: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("nilai konfigurasi tidak sah / invalid config value: {0}")]
    Invalid(String),
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Config::parse(&text).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse { path: path.to_path_buf(), message },
            other => other,
        })
    }

    /// Parses and validates config text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text)
            .map_err(|e| ConfigError::Parse { path: PathBuf::new(), message: e.to_string() })?;
        cfg.check()?;
        Ok(cfg)
    }

    /// Checks every value (also used for a report spec's sections).
    pub fn check(&self) -> Result<(), ConfigError> {
        let rate = self.validate.max_reject_rate;
        if !(0.0..=1.0).contains(&rate) {
            return Err(ConfigError::Invalid(format!(
                "validate.max_reject_rate = {rate} harus antara 0 dan 1 / must be between 0 and 1"
            )));
        }
        if self.validate.sk_tolerance_days < 0 {
            return Err(ConfigError::Invalid("validate.sk_tolerance_days harus ≥ 0 / must be ≥ 0".into()));
        }
        let a = &self.analysis;
        if let Some(d) = a.subgroups.iter().find(|d| !SUBGROUP_DIMENSIONS.contains(&d.as_str())) {
            return Err(ConfigError::Invalid(format!(
                "analysis.subgroups: `{d}` tidak dikenal / unknown (kenal / known: jenis_mutasi, jenis_unit_tujuan, diminta, pelatihan)"
            )));
        }
        if a.pre < 1 || a.post < 1 || a.min_obs < 1 || a.min_e > -1 || a.max_e < 0 {
            return Err(ConfigError::Invalid(
                "analysis: pre, post, min_obs ≥ 1, min_e ≤ -1, max_e ≥ 0 / out of range".into(),
            ));
        }
        if self.gates.freshness_lag_months < 0
            || self.gates.volume_band.is_nan()
            || self.gates.volume_band <= 0.0
        {
            return Err(ConfigError::Invalid(
                "gates.freshness_lag_months ≥ 0 dan gates.volume_band > 0 / must be ≥ 0 and > 0".into(),
            ));
        }
        if !["id", "en"].contains(&self.run.lang.as_str()) {
            return Err(ConfigError::Invalid(format!(
                "run.lang `{}` harus id atau en / must be id or en",
                self.run.lang
            )));
        }
        if !["text", "json"].contains(&self.run.log_format.as_str()) {
            return Err(ConfigError::Invalid(format!(
                "run.log_format `{}` harus text atau json / must be text or json",
                self.run.log_format
            )));
        }
        self.service.period()?;
        for (key, g) in [("service.mutu_9", &self.service.mutu_9), ("service.mutu_14", &self.service.mutu_14)]
        {
            g.check().map_err(|e| ConfigError::Invalid(format!("{key}: {e}")))?;
        }
        if !["pengaduan_sarana", "sarana_pengaduan"].contains(&self.service.u8_u9.as_str()) {
            return Err(ConfigError::Invalid(format!(
                "service.u8_u9 = \"{}\": pilih / choose pengaduan_sarana, sarana_pengaduan",
                self.service.u8_u9
            )));
        }
        control_of("analysis.control", &self.analysis.control)?;
        control_of("service.unit_control", &self.service.unit_control)?;
        self.service.unit_analyses()?;
        self.movement.blackouts()?;
        if self.requests.window_days < 0 || self.requests.cpns_min_years < 0 {
            return Err(ConfigError::Invalid(
                "requests.window_days dan cpns_min_years harus ≥ 0 / must be ≥ 0".into(),
            ));
        }
        for (unit, w) in &self.service.unsur_weights {
            if crate::ikm::check_weights(w, 9).is_err() && crate::ikm::check_weights(w, 14).is_err() {
                return Err(ConfigError::Invalid(format!(
                    "service.unsur_weights.{unit}: 9 atau 14 bobot ≥ 0 berjumlah 1 / 9 or 14 weights ≥ 0 summing to 1"
                )));
            }
        }
        // Input files named by the config stay inside the input folder: relative, without `..`.
        let escapes =
            |p: &Path| p.is_absolute() || p.components().any(|c| c == std::path::Component::ParentDir);
        if let Some(p) = self.nip_crosswalk.as_deref().filter(|p| escapes(p)) {
            return Err(ConfigError::Invalid(format!(
                "nip_crosswalk `{}` harus di dalam folder masukan (relatif, tanpa ..) / must stay inside the input folder (relative, no ..)",
                p.display()
            )));
        }
        for (name, t) in &self.tables {
            if let Some(p) = t.files.iter().find(|p| escapes(p)) {
                return Err(ConfigError::Invalid(format!(
                    "tables.{name}.files: `{}` harus di dalam folder masukan (relatif, tanpa ..) / must stay inside the input folder (relative, no ..)",
                    p.display()
                )));
            }
        }
        for (name, t) in &self.tables {
            let Some(table) = crate::schema::Table::from_name(name) else {
                return Err(ConfigError::Invalid(format!(
                    "tabel `{name}` tidak dikenal / unknown table (kenal / known: unit_kerja, pegawai, mutasi, kinerja, layanan, skm)"
                )));
            };
            if (t.unit.is_some() || t.periode.is_some()) && table != crate::schema::Table::Skm {
                return Err(ConfigError::Invalid(format!(
                    "tables.{name}: `unit` dan `periode` hanya untuk tabel skm / only for the skm table"
                )));
            }
            if let Some(p) = &t.periode
                && crate::normalize::period::parse_period(p).is_err()
            {
                return Err(ConfigError::Invalid(format!(
                    "tables.{name}.periode = \"{p}\": periode tidak dikenal / unrecognised period"
                )));
            }
            for col in t.aliases.keys() {
                let known = table.columns().iter().any(|c| c.name == col)
                    || (table == crate::schema::Table::Kinerja
                        && crate::schema::KINERJA_WIDE.iter().any(|w| w.indikator == col));
                if !known {
                    return Err(ConfigError::Invalid(format!(
                        "tables.{name}.aliases: kolom `{col}` tidak ada di tabel {name} / no such column"
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn table(&self, table: crate::schema::Table) -> TableConfig {
        self.tables.get(table.name()).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Config-named input files cannot point outside the input folder.
    #[test]
    fn input_paths_stay_inside_the_input_folder() {
        for bad in [
            "nip_crosswalk = \"../rahasia.csv\"",
            "nip_crosswalk = \"/etc/passwd\"",
            "[tables.pegawai]\nfiles = [\"a/../../b.csv\"]",
        ] {
            let e = Config::parse(bad).expect_err(bad);
            assert!(e.to_string().contains("inside the input folder"), "{e}");
        }
        assert!(Config::parse("nip_crosswalk = \"sub/padanan.csv\"").is_ok());
    }

    #[test]
    fn defaults_without_a_file() {
        let c = Config::parse("").expect("empty config is valid");
        assert_eq!(c.validate.max_reject_rate, 0.0);
        assert_eq!(c.validate.sk_tolerance_days, 30);
        assert!(!c.privacy.include_identities);
    }

    #[test]
    fn service_keys_are_checked() {
        let c = Config::parse("[service]\nskm_period = \"tahun\"\n[service.unsur_weights]\nPKM01 = [0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n")
            .expect("valid");
        assert_eq!(c.service.period().expect("period").as_str(), "tahun");
        assert_eq!(Config::default().service.skm_period, "semester");
        assert!(matches!(
            Config::parse("[service]\nskm_period = \"mingguan\""),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            Config::parse("[service.unsur_weights]\nPKM01 = [0.5, 0.5, 0.5]"),
            Err(ConfigError::Invalid(_))
        ));
        assert_eq!(Config::default().service.unit_analyses().expect("defaults").len(), 3);
        let c = Config::parse("[[service.unit_analyses]]\nname = \"bidan\"\nkind = \"kedatangan_profesi\"\npattern = \"bidan\"\njenis_unit = \"Puskesmas\"\n")
            .expect("valid");
        let a = c.service.unit_analyses().expect("analyses");
        assert_eq!((a.len(), a[0].name.as_str()), (1, "bidan"));
        for bad in [
            "[[service.unit_analyses]]\nname = \"x\"\nkind = \"mingguan\"\n",
            "[[service.unit_analyses]]\nname = \"x\"\nkind = \"kepala_baru\"\n",
            "[[service.unit_analyses]]\nname = \"x\"\nkind = \"pergantian_staf\"\nthreshold = 2.0\n",
        ] {
            assert!(matches!(Config::parse(bad), Err(ConfigError::Invalid(_))), "{bad}");
        }
    }

    #[test]
    fn typos_and_bad_values_are_errors() {
        assert!(matches!(Config::parse("[validate]\nmax_rejct_rate = 0.1"), Err(ConfigError::Parse { .. })));
        assert!(matches!(Config::parse("[validate]\nmax_reject_rate = 2.0"), Err(ConfigError::Invalid(_))));
        assert!(matches!(Config::parse("[tables.pegawaii]\nsheet = \"x\""), Err(ConfigError::Invalid(_))));
        assert!(matches!(
            Config::parse("[tables.pegawai.aliases]\nnipp = [\"Nomor Pegawai\"]"),
            Err(ConfigError::Invalid(_))
        ));
        let ok = Config::parse("[tables.pegawai.aliases]\nnip = [\"Nomor Pegawai\"]").expect("valid alias");
        assert_eq!(ok.table(crate::schema::Table::Pegawai).aliases["nip"], vec!["Nomor Pegawai".to_string()]);
    }
}
