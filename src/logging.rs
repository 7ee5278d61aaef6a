//! Logging and progress for unattended and interactive runs.
//!
//! Events go to stderr through `tracing`: human-readable lines on a terminal (`--log-format
//! text`), one JSON object per line for log collectors (`--log-format json`). `-q` keeps only
//! errors, `-v` adds debug detail. Long stages show a spinner only when stderr is a terminal and
//! the format is text, so timers and log files never receive control characters. stdout stays
//! the command's result (what was published, where the report is).

use std::io::IsTerminal;

use tracing::Level;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(s: &str) -> Option<LogFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// Level from `-q` / `-v` counts: errors only, info (default), debug, trace.
pub fn level(quiet: bool, verbose: u8) -> Level {
    match (quiet, verbose) {
        (true, _) => Level::ERROR,
        (false, 0) => Level::INFO,
        (false, 1) => Level::DEBUG,
        _ => Level::TRACE,
    }
}

/// Installs the global subscriber (once; later calls are ignored).
pub fn init(format: LogFormat, level: Level) {
    let builder =
        tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).compact().try_init(),
    };
    mutasi_pipeline::stage::enable_spinners(
        format == LogFormat::Text && level >= Level::INFO && std::io::stderr().is_terminal(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_levels() {
        assert_eq!(LogFormat::parse("JSON"), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse("xml"), None);
        assert_eq!(level(true, 3), Level::ERROR);
        assert_eq!(level(false, 0), Level::INFO);
        assert_eq!(level(false, 1), Level::DEBUG);
    }
}
