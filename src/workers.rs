//! A fixed number of worker threads over numbered jobs, results kept in job order.
//!
//! Used where whole independent units of work run side by side (partitions of a run, instansi of
//! a sample). Plain threads, not rayon: a rayon worker that waits for Polars' own pool steals
//! the next job onto its stack, so every job's memory stays alive until the last one ends.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `job(0..count)` on `workers` threads (at least one), each taking the next number; returns
/// the results in job order. A job that panics propagates the panic when the threads are joined.
pub fn in_order<T: Send>(count: usize, workers: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, count.max(1)) {
            scope.spawn(|| {
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
}
