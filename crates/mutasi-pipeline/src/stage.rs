//! The stages of a run as the user sees them: a spinner while a stage works (on a terminal, when
//! the command line turns spinners on), an info event with its duration when it ends; the
//! durations go into `manifest.json`.

use std::time::{Duration, Instant};

/// Whether stages draw a spinner; set once by the command line (`enable_spinners`).
static PROGRESS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Turns spinners on or off for the process (the first call wins).
pub fn enable_spinners(on: bool) {
    PROGRESS.get_or_init(|| on);
}

/// A stage of a run: a spinner while it works (terminal only), an info event with its duration
/// when it ends.
pub struct StageProgress {
    name: String,
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl StageProgress {
    pub fn start(name: &str) -> StageProgress {
        let bar = PROGRESS.get().copied().unwrap_or(false).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.set_message(name.to_string());
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        tracing::debug!(tahap = name, "mulai / start");
        StageProgress { name: name.to_string(), started: Instant::now(), bar }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Ends the stage; returns its duration in seconds (rounded to milliseconds).
    pub fn finish(self) -> f64 {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        let secs = (self.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        tracing::info!(tahap = %self.name, detik = secs, "selesai / done");
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without spinners a stage still measures its time.
    #[test]
    fn stages_time_themselves_without_a_terminal() {
        let s = StageProgress::start("uji");
        assert!(s.bar.is_none());
        std::thread::sleep(Duration::from_millis(5));
        assert!(s.finish() >= 0.004);
    }
}
