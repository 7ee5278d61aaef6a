//! Why a run failed, by kind: the command line turns the kind into the exit code (data 1, usage
//! and internal 2) and shows the message, which carries its bilingual text and `hint:` line.

/// A failed run or validation.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Bad input data: a file that cannot be read at all.
    #[error("{0}")]
    Data(String),
    /// Wrong arguments or configuration.
    #[error("{0}")]
    Usage(String),
    /// A bug or an environment problem (disk full, permissions).
    #[error("{0}")]
    Internal(String),
    /// The caller's output (where progress lines go) failed, e.g. a closed pipe.
    #[error("{0}")]
    Output(#[source] std::io::Error),
}

impl PipelineError {
    /// The message users see.
    pub fn message(&self) -> String {
        self.to_string()
    }
}
