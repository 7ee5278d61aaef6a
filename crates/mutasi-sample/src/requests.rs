//! Transfer requests and training in the synthetic data, with planted facts (issue #5):
//!
//! - **Requests.** About 30 % of rotasi are preceded by the employee's own request for that
//!   destination (submitted 1–4 months before the TMT), and every employee files an independent
//!   request with probability 6 % a year. Every request is decided with probability
//!   [`APPROVE_MALE`] for men and [`APPROVE_FEMALE`] for women (the planted approval gap); recent
//!   ones may still be in process, a few are cancelled. A rejected request before a transfer does
//!   not stop the transfer (it is then assigned).
//! - **Training.** After 40 % of rotasi, promosi and demosi a `bimbingan` (mentoring) starts within
//!   the first three months; each adds [`TRAINING_EFFECT`] points of capaian_iki, ramped like the
//!   transfer effects.
//!
//! Separate random streams, so people and transfers are those of the same seed without them.

use crate::SampleError;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

use super::people::{Person, month_date};
use super::rng::{Rand, Stream};
use mutasi_domain::model::JenisMutasi;

pub const APPROVE_MALE: f64 = 0.75;
pub const APPROVE_FEMALE: f64 = 0.55;
pub const TRAINING_EFFECT: f64 = 1.5;

fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Plants post-transfer trainings in `people` (their months drive the kinerja effect).
pub fn plant_trainings(people: &mut [Person], months: u32, seed: u64) {
    for (i, p) in people.iter_mut().enumerate() {
        let mut r = Rand::new(seed, Stream::Pelatihan, i as u64);
        let mut trainings = Vec::new();
        for e in &p.events {
            let moved = matches!(e.kind, JenisMutasi::Rotasi | JenisMutasi::Promosi | JenisMutasi::Demosi);
            if moved && e.to.is_some() && r.chance(0.4) {
                let m = e.month + r.int(0, 2) as u32;
                if m < months {
                    trainings.push(m);
                }
            }
        }
        p.trainings = trainings;
    }
}

/// Writes `pelatihan.csv` (post-transfer and background trainings).
pub fn write_pelatihan(
    path: &Path,
    people: &[Person],
    start: (i32, u32),
    seed: u64,
) -> Result<(), SampleError> {
    let mut out = String::from("NIP,Tanggal Mulai,Jenis,Tanggal Selesai,JP,Penyelenggara\n");
    for (i, p) in people.iter().enumerate() {
        let mut r = Rand::new(seed, Stream::Pelatihan, (1 << 32) | i as u64);
        let rows: Vec<(NaiveDate, &str)> = p
            .trainings
            .iter()
            .map(|m| (month_date(start, *m) + Duration::days(r.int(0, 26)), "Bimbingan"))
            .collect();
        for (d, jenis) in rows {
            let days = r.int(2, 20);
            let hours = r.int(8, 40);
            let _ = writeln!(
                out,
                "{},{},{jenis},{},{hours},BPSDM Provinsi Maluku",
                p.nip,
                dmy(d),
                dmy(d + Duration::days(days))
            );
        }
    }
    std::fs::write(path, out).map_err(SampleError::io(path))
}

/// Writes `permohonan.csv`; returns the number of requests.
pub fn write_permohonan(
    path: &Path,
    people: &[Person],
    unit_ids: &[String],
    months: u32,
    start: (i32, u32),
    seed: u64,
) -> Result<usize, SampleError> {
    let end = month_date(start, months.saturating_sub(1)) + Duration::days(27);
    let mut out = String::from("NIP,Tanggal Pengajuan,Status,Unit Tujuan,Tanggal Keputusan,Alasan\n");
    let mut n = 0;
    for (i, p) in people.iter().enumerate() {
        let mut r = Rand::new(seed, Stream::Permohonan, i as u64);
        let mut requests: Vec<(NaiveDate, Option<String>)> = Vec::new();
        for e in &p.events {
            if let (JenisMutasi::Rotasi, Some(to)) = (e.kind, e.to)
                && r.chance(0.3)
            {
                let submitted = month_date(start, e.month) - Duration::days(r.int(30, 120));
                requests.push((submitted, Some(unit_ids[to].clone())));
            }
        }
        for year_start in (0..months).step_by(12) {
            if r.chance(0.06) {
                let m = (year_start + r.int(0, 11) as u32).min(months - 1);
                let to = unit_ids[r.int(0, unit_ids.len() as i64 - 1) as usize].clone();
                requests.push((month_date(start, m) + Duration::days(r.int(0, 26)), Some(to)));
            }
        }
        requests.sort();
        for (submitted, to) in requests {
            let decided = submitted + Duration::days(r.int(7, 60));
            let approve = if p.female { APPROVE_FEMALE } else { APPROVE_MALE };
            let approved = r.chance(approve);
            let cancelled = r.chance(0.03);
            let (status, date) = if cancelled {
                ("Dibatalkan", String::new())
            } else if decided > end {
                ("Diproses", String::new())
            } else if approved {
                ("Disetujui", dmy(decided))
            } else {
                ("Ditolak", dmy(decided))
            };
            let alasan =
                r.pick_str(&["Dekat domisili", "Pengembangan karier", "Alasan keluarga", "Kebutuhan unit"]);
            let _ = writeln!(
                out,
                "{},{},{status},{},{date},{alasan}",
                p.nip,
                dmy(submitted),
                to.unwrap_or_default()
            );
            n += 1;
        }
    }
    std::fs::write(path, out).map_err(SampleError::io(path))?;
    Ok(n)
}
