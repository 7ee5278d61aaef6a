//! Report specifications (`reports/*.toml`): a case study or the city-wide monthly report as data,
//! not code. A spec names its scope (OPD, unit types) and overrides the `[analysis]`, `[service]`
//! and `[movement]` sections of `mutasi.toml` for its run; `docs/reports.md` documents every key.
//! Adding a case study for another OPD means writing one TOML file.

use std::path::Path;

use serde::Deserialize;

use mutasi_domain::config::{AnalysisConfig, Config, ConfigError, MovementConfig, ServiceConfig};

/// One report spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    pub report: ReportMeta,
    #[serde(default)]
    pub scope: Scope,
    pub analysis: Option<AnalysisConfig>,
    pub service: Option<ServiceConfig>,
    pub movement: Option<MovementConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportMeta {
    /// Short name, used as the output folder (`<out>/<name>/<period>/`).
    pub name: String,
    /// Title, Bahasa Indonesia first.
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// Which part of the instansi the report covers. Empty lists mean everything.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Scope {
    /// OPD names as in `unit_kerja.opd`: the units of these OPD, and every employee ever seen in
    /// or transferred to or from one of them (with their whole history).
    pub opd: Vec<String>,
    /// Unit types whose service (`layanan`, `skm`) is measured, e.g. `["Puskesmas"]`.
    pub jenis_unit: Vec<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.opd.is_empty() && self.jenis_unit.is_empty()
    }
}

impl ReportSpec {
    /// Reads and checks a spec.
    pub fn load(path: &Path) -> Result<ReportSpec, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        let spec: ReportSpec = toml::from_str(&text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?;
        let name_ok = !spec.report.name.is_empty()
            && spec
                .report
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !name_ok {
            return Err(ConfigError::Invalid(format!(
                "{}: report.name `{}` harus huruf kecil, angka, - atau _ / must be lowercase letters, digits, - or _",
                path.display(),
                spec.report.name
            )));
        }
        // The sections it overrides must be valid as a config.
        spec.apply(Config::default())
            .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
        Ok(spec)
    }

    /// `base` with the spec's sections in place of its own.
    pub fn apply(&self, mut base: Config) -> Result<Config, ConfigError> {
        if let Some(a) = &self.analysis {
            base.analysis = a.clone();
        }
        if let Some(s) = &self.service {
            base.service = s.clone();
        }
        if let Some(m) = &self.movement {
            base.movement = m.clone();
        }
        base.check()?;
        Ok(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spec shipped in `reports/` loads, and a bad one is refused with its file named.
    #[test]
    fn shipped_specs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reports");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("reports/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let spec = ReportSpec::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                names.push(spec.report.name);
            }
        }
        names.sort();
        assert_eq!(names, ["bulanan", "dinas-kesehatan", "dinas-pendidikan"]);
        let bad = tempfile::NamedTempFile::new().expect("tmp");
        std::fs::write(bad.path(), "[report]\nname = \"x\"\ntitle = \"t\"\n[analysis]\nmin_e = 5\n")
            .expect("write");
        let e = ReportSpec::load(bad.path()).expect_err("min_e > -1 is invalid");
        assert!(e.to_string().contains(&bad.path().display().to_string()), "{e}");
    }

    /// `docs/reports.md` documents every key the shipped specs use: each section as `[name]` or
    /// `[[name]]`, each value key in backticks.
    #[test]
    fn every_spec_key_is_documented() {
        fn keys(prefix: &str, v: &toml::Value, out: &mut Vec<(String, bool)>) {
            if let toml::Value::Table(t) = v {
                for (k, x) in t {
                    let path = format!("{prefix}{k}");
                    let section = matches!(x, toml::Value::Table(_))
                        || matches!(x, toml::Value::Array(a) if a.first().is_some_and(toml::Value::is_table));
                    out.push((path.clone(), section));
                    match x {
                        toml::Value::Array(a) => a.iter().for_each(|y| keys(&format!("{path}."), y, out)),
                        _ => keys(&format!("{path}."), x, out),
                    }
                }
            }
        }
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let doc = std::fs::read_to_string(root.join("docs/reports.md")).expect("docs/reports.md");
        let mut checked = 0;
        for entry in std::fs::read_dir(root.join("reports")).expect("reports/") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let v: toml::Value =
                toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
            let mut found = Vec::new();
            keys("", &v, &mut found);
            for (k, section) in found {
                let documented = if section {
                    doc.contains(&format!("`[{k}]`")) || doc.contains(&format!("`[[{k}]]`"))
                } else {
                    doc.contains(&format!("`{}`", k.rsplit('.').next().unwrap_or(&k)))
                };
                assert!(documented, "{}: `{k}` is not documented in docs/reports.md", path.display());
                checked += 1;
            }
        }
        assert!(checked > 30, "{checked} keys");
    }
}
