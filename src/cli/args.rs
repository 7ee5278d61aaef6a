//! Arguments several commands share, and the closed sets they choose from, as clap types: a
//! value outside a set is refused by clap with the list of allowed values, before any work.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use mutasi_report::i18n::Lang;

/// The report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Id => Lang::Id,
            LangArg::En => Lang::En,
        }
    }
}

/// Parses a closed set's value with a bilingual message listing the allowed values (clap's own
/// message is English only).
fn one_of<T: ValueEnum>(raw: &str) -> Result<T, String> {
    T::from_str(raw.trim(), true).map_err(|_| {
        let names: Vec<String> = T::value_variants().iter().map(value_name).collect();
        format!("pilih salah satu / choose one of: {}", names.join(", "))
    })
}

/// `--lang`: `id` or `en`.
pub fn lang_arg(raw: &str) -> Result<LangArg, String> {
    one_of(raw)
}

/// `--log-format`: `text` or `json`.
pub fn log_format_arg(raw: &str) -> Result<crate::logging::LogFormat, String> {
    one_of(raw)
}

/// The name a user types for a value of a closed set (for `estimate.json` and messages).
pub fn value_name<T: ValueEnum>(v: &T) -> String {
    v.to_possible_value().map(|p| p.get_name().to_string()).unwrap_or_default()
}

/// What `mutasi run` and `mutasi report` both take: where the config and the queries are, and
/// how a month is published.
#[derive(Debug, Clone, Default, Args)]
pub struct PublishArgs {
    /// Berkas konfigurasi / Config file (mutasi.toml; `mutasi init` writes one).
    #[arg(long, env = "MUTASI_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder kueri SQL / Folder of SQL queries and checks [config: queries.dir; default ./queries
    /// when it exists].
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Sertakan NIP dan nama di tabel tervalidasi / Write NIPs and names into the validated tables;
    /// recorded in the manifest and shown on every report [config: privacy.include_identities].
    #[arg(long, alias = "include-identifiers")]
    pub with_identities: bool,
    /// Terbitkan walau gerbang gagal / Publish even when a gate fails; the manifest and the
    /// report carry a warning [config: gates.force].
    #[arg(long)]
    pub force: bool,
}
