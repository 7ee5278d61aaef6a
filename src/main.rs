//! The `mutasi` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    tune_allocator();
    let cli = mutasi::cli::Cli::parse();
    std::process::ExitCode::from(mutasi::cli::run(cli))
}

/// Keeps freed column buffers in the process for the next table instead of returning them to the
/// kernel. A partition allocates and frees hundreds of multi-megabyte buffers; with glibc's
/// defaults each came from a fresh `mmap`, was faulted in page by page and unmapped again: most
/// of the kernel time, which was a fifth of a partition's CPU time (`docs/benchmarks.md`).
/// Buffers up to 32 MiB (glibc's largest threshold) now come from the heap, which is trimmed
/// only above 1 GiB of free memory.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called once, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}
