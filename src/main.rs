//! The `mutasi` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = mutasi::cli::Cli::parse();
    std::process::ExitCode::from(mutasi::cli::run(cli))
}
