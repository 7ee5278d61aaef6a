//! The `mutasi` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // When stdout is closed early (`mutasi estimate … | head`), end quietly as other Unix tools
    // do, instead of panicking on a failed print: Rust ignores SIGPIPE by default.
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = mutasi::cli::Cli::parse();
    std::process::ExitCode::from(mutasi::cli::run(cli))
}
