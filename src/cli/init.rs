//! `mutasi init`: writes a commented `mutasi.toml` with every key at its default, the starting
//! point of a deployment. The same text is the reference block of `docs/configuration.md`, and a
//! test proves it parses to exactly the defaults.

use crate::cli::outln;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};

/// The commented configuration file, every key at its default.
pub const TEMPLATE: &str = include_str!("mutasi.toml.template");

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Berkas yang ditulis / File to write.
    #[arg(long, default_value = "mutasi.toml")]
    pub out: PathBuf,
    /// Timpa berkas yang ada / Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

pub fn init(a: &InitArgs) -> Result<Outcome, Failure> {
    if a.out.exists() && !a.force {
        return Err(Failure::Usage(format!(
            "{} sudah ada / already exists\n\nhint: --force untuk menimpa / --force to overwrite, atau / or --out FILE",
            a.out.display()
        )));
    }
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Internal(format!("{}: {e}", dir.display())))?;
    }
    std::fs::write(&a.out, TEMPLATE).map_err(|e| Failure::Internal(format!("{}: {e}", a.out.display())))?;
    outln!("Konfigurasi ditulis / config written: {}", a.out.display());
    outln!(
        "  isi [run] input dan out, lalu / set [run] input and out, then: mutasi run --config {}",
        a.out.display()
    );
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_domain::config::Config;

    /// The template parses to exactly the defaults, and names every key of every section.
    #[test]
    fn template_is_the_defaults_and_names_every_key() {
        let parsed = Config::parse(TEMPLATE).expect("the template is a valid config");
        let a = serde_json::to_value(&parsed).expect("json");
        let b = serde_json::to_value(Config::default()).expect("json");
        assert_eq!(a, b, "a value in the template differs from its default");
        let serde_json::Value::Object(sections) = b else { panic!("object") };
        for (section, v) in sections {
            if let serde_json::Value::Object(keys) = v {
                let shown =
                    TEMPLATE.contains(&format!("[{section}]")) || TEMPLATE.contains(&format!("[{section}."));
                assert!(shown, "section [{section}] missing");
                for key in keys.keys() {
                    let shown = TEMPLATE.contains(&format!("\n{key} ="))
                        || TEMPLATE.contains(&format!("\n# {key} ="))
                        || TEMPLATE.contains(&format!("[[{section}.{key}]]"))
                        || TEMPLATE.contains(&format!("[{section}.{key}]"));
                    assert!(shown, "{section}.{key} missing from the template");
                }
            } else {
                assert!(TEMPLATE.contains(&format!("{section} =")), "{section} missing");
            }
        }
        // pseudonym_key is never serialised but must be documented.
        assert!(TEMPLATE.contains("# pseudonym_key ="));
    }

    /// docs/configuration.md shows the same file.
    #[test]
    fn the_documentation_shows_the_template() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/configuration.md"))
            .expect("doc");
        assert!(
            doc.contains(TEMPLATE.trim_end()),
            "docs/configuration.md must contain src/cli/mutasi.toml.template verbatim"
        );
    }
}
