//! Seeded randomness for the generator: independent, reproducible streams per entity.
//!
//! Each person, unit and purpose gets its own ChaCha8 stream derived from the user's seed, so
//! the output does not depend on iteration order and any size is reproducible for a seed.
//! ChaCha8 is a named, portable algorithm (unlike `StdRng`, which may change between versions).

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// SplitMix64 finaliser: mixes ids into well-spread seeds.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Purposes of separate random streams.
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    Units = 1,
    Person = 2,
    Kinerja = 3,
    Schedule = 4,
    Layanan = 5,
    Skm = 6,
    Permohonan = 7,
    Pelatihan = 8,
}

pub struct Rand(ChaCha8Rng);

impl Rand {
    pub fn new(seed: u64, stream: Stream, id: u64) -> Rand {
        Rand(ChaCha8Rng::seed_from_u64(mix(mix(seed ^ mix(stream as u64)) ^ id)))
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// Uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.0.random_range(lo..=hi)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box–Muller; one draw per call keeps streams simple to reason about).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.int(0, items.len() as i64 - 1) as usize]
    }

    /// One of a list of static strings.
    pub fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.int(0, items.len() as i64 - 1) as usize]
    }

    /// Index drawn with probability proportional to `weights`.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut r = Rand::new(7, Stream::Person, 3);
                move |_| r.unit()
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut r = Rand::new(7, Stream::Person, 3);
                move |_| r.unit()
            })
            .collect();
        let c: Vec<f64> = (0..5)
            .map({
                let mut r = Rand::new(7, Stream::Person, 4);
                move |_| r.unit()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut r = Rand::new(1, Stream::Kinerja, 0);
        let draws: Vec<f64> = (0..20_000).map(|_| r.normal()).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "mean {mean} var {var}");
    }
}
