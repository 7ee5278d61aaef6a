//! A fixed number of worker threads over numbered jobs, results kept in job order.
//!
//! Used where whole independent units of work run side by side (partitions of a run, instansi of
//! a sample). Plain threads, not rayon: a rayon worker that waits for Polars' own pool steals
//! the next job onto its stack, so every job's memory stays alive until the last one ends.
//!
//! With more than one worker, each worker runs its jobs inside a rayon pool of its own, sized to
//! its share of the cores (one thread on two cores with two workers). That pool holds only its
//! worker's jobs, so a wait inside it cannot pick up another job either. The jobs' own parallel
//! loops (`par_iter` in the statistics) then run on their worker's thread instead of being
//! handed to the global pool: with every core already busy with a job, the hand-over only added
//! a sleep and a wake-up per loop and kept idle pool threads spinning on `sched_yield`: a
//! national month (562 partitions, two at a time) made 13 million context switches that way and
//! 0.8 million this way (`docs/benchmarks.md`). The loops' results do not depend on the number
//! of threads (fixed blocks, ordered collects), so neither do the jobs'.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `job(0..count)` on `workers` threads (at least one), each taking the next number; returns
/// the results in job order. A job that panics propagates the panic when the threads are joined.
pub fn in_order<T: Send>(count: usize, workers: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    let workers = workers.clamp(1, count.max(1));
    let share = std::thread::available_parallelism().map_or(1, usize::from).div_ceil(workers).max(1);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            if i >= count {
                break;
            }
            let r = job(i);
            if let Ok(mut all) = slots.lock() {
                all[i] = Some(r);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // One worker keeps the global pool (every core for its loops). A pool that cannot
                // be built (no thread left) leaves the loops to the global pool too.
                match (workers > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(share).build()) {
                    Some(Ok(pool)) => pool.install(work),
                    _ => work(),
                }
            });
        }
    });
    // Every slot is filled: each number below `count` was taken exactly once and its thread
    // joined; a poisoned lock means a job panicked, which `scope` has already propagated.
    slots.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_whatever_the_workers() {
        for workers in [0, 1, 3, 16] {
            let out = in_order(20, workers, |i| {
                std::thread::sleep(std::time::Duration::from_micros((20 - i as u64) * 50));
                i * i
            });
            assert_eq!(out, (0..20).map(|i| i * i).collect::<Vec<_>>(), "{workers} workers");
        }
        assert!(in_order(0, 4, |i| i).is_empty());
    }

    /// With several workers, a job's parallel loops run on its worker's own pool, at most its
    /// share of the cores, never on the global pool; a single worker keeps the global pool.
    #[test]
    fn several_workers_give_each_job_a_pool_of_its_share_of_the_cores() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let global = rayon::current_num_threads();
        let out = in_order(6, 2, |_| (rayon::current_thread_index().is_some(), rayon::current_num_threads()));
        for (inside, threads) in out {
            assert!(inside, "a job of two workers runs on a pool thread");
            assert_eq!(threads, cores.div_ceil(2));
        }
        let alone =
            in_order(3, 1, |_| (rayon::current_thread_index().is_some(), rayon::current_num_threads()));
        assert!(alone.iter().all(|(inside, threads)| !inside && *threads == global), "{alone:?}");
        // A parallel loop inside a job gives the same result as outside one.
        let sums = in_order(4, 2, |k| {
            use rayon::prelude::*;
            (0..10_000u64).into_par_iter().map(|x| x * k as u64).sum::<u64>()
        });
        assert_eq!(sums, (0..4u64).map(|k| (0..10_000u64).sum::<u64>() * k).collect::<Vec<_>>());
    }
}
