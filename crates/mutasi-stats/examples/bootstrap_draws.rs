//! Times the before/after summary's cluster bootstrap (`describe::summarise`, 199 draws) for one
//! group of G people, each a cluster of one value: the benchmark behind its batched draws
//! (`docs/benchmarks.md`, issue 32). Run with
//! `cargo run --release -p mutasi-stats --example bootstrap_draws -- 1000000`.

fn main() {
    let g: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let values: Vec<f64> = (0..g).map(|i| ((i * 7919) % 1009) as f64).collect();
    let clusters: Vec<usize> = (0..g).collect();
    let started = std::time::Instant::now();
    let s = mutasi_stats::describe::summarise(&values, &clusters, 0.05, 199, 3);
    let seconds = started.elapsed().as_secs_f64();
    println!("{g} people: interval {:?}, {seconds:.3} s", s.and_then(|s| s.boot));
}
